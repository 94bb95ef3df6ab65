#!/usr/bin/env python3
"""Operational drills for `parallax run` against a local HTTP server (issue: cron-grade operation).

  kill  — N runs, each killed with SIGKILL at a random moment while feeds keep changing, then one
          clean run; checks PRAGMA integrity_check, that every article ever served is stored, and
          that the report site is complete (every story has its pages, the index lists them all).
  soak  — N consecutive runs against feeds that change every run, with faults (HTTP 500, stalled
          responses that hit the crawler's timeout, malformed XML); checks nothing is lost
          (articles stored == articles served), that memory stays flat and that the database grows
          linearly in articles.

Usage: drill.py kill|soak --binary PATH [--runs N] [--feeds N] [--seed S] [--keep DIR]
Everything lives in a temporary folder; the server binds 127.0.0.1 on a free port.
"""
import argparse, hashlib, http.server, json, os, random, resource, signal, sqlite3, subprocess, sys
import tempfile, threading, time
from email.utils import formatdate

PLACES = ["Harbor City", "Northvale", "Eastport", "Mill Creek", "Ridgeford", "Lakeside", "Stonebridge", "Westmoor"]
EVENTS = [("council approves", "budget for new tram line"), ("storm floods", "riverside homes"),
          ("court blocks", "mining permit near wetlands"), ("hospital opens", "children's cancer wing"),
          ("police arrest", "suspect in bank robbery"), ("school board bans", "phones in classrooms"),
          ("factory fire forces", "evacuation of old town"), ("mayor unveils", "plan to cut bus fares"),
          ("strike halts", "container port operations"), ("drought prompts", "water rationing order")]
VERBS = ["reports", "says", "confirms", "update:", "live:"]


class Newsroom:
    """Feeds that grow every round: each round a few new events, each covered by some outlets."""

    def __init__(self, feeds, seed):
        self.rng = random.Random(seed)
        self.feeds = feeds
        self.items = {f: [] for f in range(feeds)}  # feed -> [(url, title, summary, pubdate)]
        self.round = 0
        self.lock = threading.Lock()
        self.fault = {"500": 0.0, "stall": 0.0, "malformed": 0.0}
        self.stall_seconds = 3.0
        self.requests = 0
        self.faults_served = {"500": 0, "stall": 0, "malformed": 0}

    def advance(self):
        with self.lock:
            self.round += 1
            when = time.time()
            for event_no in range(self.rng.randint(1, 3)):
                place = self.rng.choice(PLACES)
                verb, obj = self.rng.choice(EVENTS)
                key = f"r{self.round}e{event_no}"
                for feed in self.rng.sample(range(self.feeds), self.rng.randint(1, min(6, self.feeds))):
                    title = f"{place} {verb} {obj} ({self.round}-{event_no})"
                    if self.rng.random() < 0.5:
                        title = f"{self.rng.choice(VERBS).capitalize()} {title}"
                    url = f"https://outlet{feed}.example/{key}-{feed}"
                    summary = f"Officials in {place} said the {obj} decision followed weeks of debate. Round {self.round}."
                    self.items[feed].append((url, title, summary, formatdate(when, usegmt=True)))

    def served_urls(self):
        with self.lock:
            return {item[0] for items in self.items.values() for item in items}

    def body(self, feed):
        with self.lock:
            items = list(self.items[feed])
        parts = [f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Outlet {feed}</title>'
                 f'<link>https://outlet{feed}.example/</link>']
        for url, title, summary, date in reversed(items):
            parts.append(f"<item><title>{title}</title><link>{url}</link><guid>{url}</guid>"
                         f"<description>{summary}</description><pubDate>{date}</pubDate></item>")
        parts.append("</channel></rss>\n")
        return "".join(parts).encode()


def make_handler(newsroom):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            newsroom.requests += 1
            if not self.path.startswith("/feed/"):
                self.send_error(404)
                return
            feed = int(self.path.split("/")[2].split(".")[0])
            roll = newsroom.rng.random()
            f = newsroom.fault
            if roll < f["500"]:
                newsroom.faults_served["500"] += 1
                self.send_response(500)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            roll -= f["500"]
            if roll < f["stall"]:
                newsroom.faults_served["stall"] += 1
                time.sleep(newsroom.stall_seconds)
                self.close_connection = True
                return
            roll -= f["stall"]
            body = newsroom.body(feed)
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if roll < f["malformed"]:
                newsroom.faults_served["malformed"] += 1
                body = body[: len(body) * 2 // 3] + b"<item><title>broken & <b>unclosed"
                etag = '"broken"'
            elif self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def write_config(directory, port, feeds, timeout):
    lines = ["allow-private-networks: true", "retention: never", "state: state.sqlite", "reports: reports"]
    # Every drill feed lives on one host (127.0.0.1): politeness spacing would only slow the drill.
    crawl = ["per-host: 16", "host-spacing-seconds: 0"] + ([f"timeout-seconds: {timeout}"] if timeout is not None else [])
    lines.append("crawl: { " + ", ".join(crawl) + " }")
    lines.append("outlets:")
    biases = ["left", "lean-left", "center", "lean-right", "right"]
    for f in range(feeds):
        lines += [f"  - id: outlet{f}", f"    name: Outlet {f}", f"    domains: [outlet{f}.example]",
                  f"    bias: {biases[f % 5]}"]
    lines.append("feeds:")
    for f in range(feeds):
        lines += [f"  - url: http://127.0.0.1:{port}/feed/{f}.xml", f"    outlet: outlet{f}"]
    path = os.path.join(directory, "drill.yaml")
    with open(path, "w") as out:
        out.write("\n".join(lines) + "\n")
    return path


def run_parallax(binary, config, kill_after=None):
    """Runs one `parallax run`; returns (exit status or 'killed', seconds, peak RSS in KiB, stderr)."""
    # --all: the drill's runs follow each other within seconds, far inside any poll interval.
    force = ["--all"] if "--all" in subprocess.run([binary, "run", "--help"], capture_output=True, text=True).stdout else []
    started = time.monotonic()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen([binary, "run", *force, "--config", config, "--quiet"],
                                   stdout=subprocess.DEVNULL, stderr=errors)
        deadline = None if kill_after is None else started + kill_after
        killed = False
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.monotonic() >= deadline:
                os.kill(process.pid, signal.SIGKILL)
                killed = True
                _, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.002)
        process.returncode = 0  # reaped above; keeps Popen from waiting again
        errors.seek(0)
        stderr = errors.read().decode(errors="replace")
    seconds = time.monotonic() - started
    code = "killed" if killed else os.waitstatus_to_exitcode(status)
    return code, seconds, usage.ru_maxrss, stderr


def stored_urls(state):
    db = sqlite3.connect(f"file:{state}?mode=ro", uri=True)
    try:
        return {row[0] for row in db.execute("SELECT url FROM article")}
    finally:
        db.close()


def integrity(state):
    db = sqlite3.connect(f"file:{state}?mode=ro", uri=True)
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()


def site_problems(state, reports):
    db = sqlite3.connect(f"file:{state}?mode=ro", uri=True)
    try:
        stories = {row[0]: row[1] for row in db.execute("SELECT id, articleCount FROM story")}
    finally:
        db.close()
    problems = []
    index_path = os.path.join(reports, "index.json")
    try:
        index = json.load(open(index_path))
        listed = {story["id"] for story in index["stories"]}
        if listed != set(stories):
            problems.append(f"index.json lists {len(listed)} stories, the database has {len(stories)}")
    except Exception as error:  # a missing or half-written index is exactly what this drill looks for
        problems.append(f"{index_path}: {error}")
    for page in ("index.html", "index.md"):
        if not os.path.exists(os.path.join(reports, page)):
            problems.append(f"{page} is missing")
    for story_id, count in stories.items():
        for extension in ("html", "md"):
            page = os.path.join(reports, "stories", f"{story_id}.{extension}")
            if not os.path.exists(page) or os.path.getsize(page) == 0:
                problems.append(f"{page} is missing or empty")
        path = os.path.join(reports, "stories", f"{story_id}.json")
        try:
            report = json.load(open(path))
            if report.get("coverage", report).get("articleCount", count) != count:
                problems.append(f"{path}: articleCount differs from the database")
        except Exception as error:
            problems.append(f"{path}: {error}")
    return problems


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A killed run drops its connections mid-request: that is the drill, not a server fault.
        if not isinstance(sys.exc_info()[1], (ConnectionError, BrokenPipeError)):
            super().handle_error(request, client_address)


def start_server(newsroom):
    server = QuietServer(("127.0.0.1", 0), make_handler(newsroom))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def kill_drill(args, directory):
    newsroom = Newsroom(args.feeds, args.seed)
    server = start_server(newsroom)
    config = write_config(directory, server.server_address[1], args.feeds, None)
    state, reports = os.path.join(directory, "state.sqlite"), os.path.join(directory, "reports")
    # Two unkilled runs: the first creates the database and is slower; the second's length is
    # the window the kills are spread over.
    for _ in range(2):
        newsroom.advance()
        status, baseline, _, stderr = run_parallax(args.binary, config)
        if status != 0:
            sys.exit(f"drill: an unkilled run failed ({status}): {stderr.strip()}")
    rng = random.Random(args.seed + 1)
    killed = finished = 0
    for _ in range(args.runs):
        newsroom.advance()
        status, _, _, stderr = run_parallax(args.binary, config, kill_after=rng.uniform(0.05, baseline))
        if status == "killed":
            killed += 1
        elif status == 0:
            finished += 1
        else:
            sys.exit(f"drill: a run failed with status {status}: {stderr.strip()}")
    status, _, _, stderr = run_parallax(args.binary, config)
    served, stored = newsroom.served_urls(), stored_urls(state)
    lost = served - stored
    verdict = integrity(state)
    problems = site_problems(state, reports)
    print(f"kill drill: {args.runs} runs against {args.feeds} feeds, unkilled run {baseline:.2f} s; "
          f"{killed} killed with SIGKILL mid-run, {finished} finished before the kill")
    print(f"  clean run after the kills: exit {status}; integrity_check: {verdict}; "
          f"articles served {len(served)}, stored {len(stored & served)}, lost {len(lost)}; "
          f"site problems: {len(problems)}")
    for problem in problems[:5]:
        print("   ", problem)
    ok = status == 0 and verdict == "ok" and not lost and not problems
    print(f"  kills survived: {killed if ok else 0} of {killed}")
    return ok


def soak_drill(args, directory):
    newsroom = Newsroom(args.feeds, args.seed)
    newsroom.fault = {"500": 0.05, "stall": 0.02, "malformed": 0.02}
    newsroom.stall_seconds = args.timeout + 1.5
    server = start_server(newsroom)
    config = write_config(directory, server.server_address[1], args.feeds, args.timeout)
    state = os.path.join(directory, "state.sqlite")
    rows, exits = [], {}
    for run in range(1, args.runs + 1):
        newsroom.advance()
        status, seconds, rss, stderr = run_parallax(args.binary, config)
        exits[status] = exits.get(status, 0) + 1
        if status not in (0, 3):
            sys.exit(f"drill: run {run} could not complete ({status}): {stderr.strip()}")
        size = sum(os.path.getsize(p) for p in (state, state + "-wal") if os.path.exists(p))
        rows.append((run, len(stored_urls(state)), size, rss, seconds))
    newsroom.fault = {"500": 0.0, "stall": 0.0, "malformed": 0.0}
    status, _, _, stderr = run_parallax(args.binary, config)
    served, stored = newsroom.served_urls(), stored_urls(state)
    lost = served - stored
    print(f"soak drill: {args.runs} runs against {args.feeds} feeds that change every run; "
          f"{newsroom.requests} requests, faults served: {newsroom.faults_served['500']} HTTP 500, "
          f"{newsroom.faults_served['stall']} stalled past the {args.timeout} s timeout, "
          f"{newsroom.faults_served['malformed']} malformed XML")
    print(f"  run exits: {', '.join(f'{k}: {v}' for k, v in sorted(exits.items(), key=str))}; final clean run: exit {status}")
    print(f"  articles served {len(served)}, stored {len(stored)}, lost {len(lost)}; integrity_check: {integrity(state)}")
    print("  run | articles | db KiB | KiB/article | peak RSS MiB | seconds")
    marks = sorted({max(1, args.runs * k // 4) for k in range(1, 5)} | {1})
    for run, articles, size, rss, seconds in rows:
        if run in marks:
            print(f"  {run:3d} | {articles:8d} | {size // 1024:6d} | {size / 1024 / max(articles, 1):11.2f} | {rss / 1024:12.1f} | {seconds:.2f}")
    # Linear growth: bytes per article over the second half vs. the first half.
    half = len(rows) // 2
    first = (rows[half - 1][2] - rows[0][2]) / max(1, rows[half - 1][1] - rows[0][1])
    second = (rows[-1][2] - rows[half - 1][2]) / max(1, rows[-1][1] - rows[half - 1][1])
    rss_first = max(r[3] for r in rows[: max(1, len(rows) // 10)])
    rss_last = max(r[3] for r in rows[-max(1, len(rows) // 10):])
    print(f"  database growth: {first:.0f} B/article in the first half, {second:.0f} B/article in the second")
    print(f"  peak RSS: {rss_first / 1024:.1f} MiB over the first tenth of runs, {rss_last / 1024:.1f} MiB over the last tenth")
    return status in (0, 3) and not lost and integrity(state) == "ok"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("drill", choices=["kill", "soak"])
    parser.add_argument("--binary", required=True, help="the parallax executable")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--timeout", type=float, default=2, help="the crawler's timeout in the soak drill, seconds")
    parser.add_argument("--keep", help="work in this folder and keep it")
    args = parser.parse_args()
    args.binary = os.path.abspath(args.binary)
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        directory = args.keep
        ok = (kill_drill if args.drill == "kill" else soak_drill)(args, directory)
    else:
        with tempfile.TemporaryDirectory(prefix="parallax-drill-") as directory:
            ok = (kill_drill if args.drill == "kill" else soak_drill)(args, directory)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
