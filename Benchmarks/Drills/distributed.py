#!/usr/bin/env python3
"""Distributed drill: several crawl workers and competing leaders on one PostgreSQL state,
SIGKILLed at random (issue 14, part 5).

A throw-away PostgreSQL cluster (initdb/pg_ctl in a temporary folder, a Unix socket only, as
scripts/test-postgres makes it) holds the state. A loopback feed server answers on --hosts
addresses (127.1.0.1, 127.1.0.2, …: distinct hosts to the crawler) for --feeds feeds, and logs
every request with server-side start and end times and the client's User-Agent. --workers
processes run `parallax crawl` in a loop and --leaders processes `parallax run` in a loop (they
crawl too, then compete for the leader lock); each slot has its own User-Agent, so the log says
which process fetched what. One host answers its first request with 429 Retry-After. For
--kill-for seconds a random process is SIGKILLed every --kill-every seconds; the loops go on
until every feed was fetched, then one clean `parallax run` and `parallax check`.

Checks: every article served is stored exactly once; no feed fetched twice within its poll
interval (a refetch is excused only when the process that fetched it first was killed, and only
once the lease of that fetch was over); per host never more than 2 requests at once and starts
never closer than 0.5 s, across all processes; no request to the paused host before its
Retry-After ended; `parallax check` passes (integrity, leader, leases); the reports folder lists
exactly the stored stories, each with its pages.

Usage: distributed.py --binary PATH [--feeds 5000] [--hosts 20] [--workers 4] [--leaders 2]
                      [--kill-for 120] [--kill-every 5] [--lease 60] [--seed 1] [--keep DIR]
"""
import argparse, glob, http.server, json, os, random, shutil, signal, socketserver, subprocess, sys
import tempfile, threading, time

INTERVAL_MINUTES = 5  # the shortest poll interval a config may ask for
RETRY_AFTER = 20
SPACING, PER_HOST = 0.5, 2
PLACES = ["Harbor City", "Northvale", "Eastport", "Mill Creek", "Ridgeford", "Lakeside", "Stonebridge", "Westmoor",
          "Oakmont", "Fairhaven", "Brookfield", "Silverton"]
EVENTS = ["council approves budget for new tram line", "storm floods riverside homes", "court blocks mining permit",
          "hospital opens children's cancer wing", "police arrest suspect in bank robbery", "school board bans phones",
          "factory fire forces evacuation of old town", "mayor unveils plan to cut bus fares",
          "strike halts container port operations", "drought prompts water rationing order"]


class FeedServer:
    """Feeds on many loopback hosts, and the log of every request."""

    def __init__(self, feeds, hosts, outlets):
        self.feeds, self.hosts, self.outlets = feeds, hosts, outlets
        self.lock = threading.Lock()
        self.log = []  # (start, end, host, feed, user agent, status)
        self.served = {}  # article URL -> times served in a 200
        self.paused_host = 0
        self.pause_served = None
        self.servers = []

    def address(self, host):
        return f"127.1.{host // 250}.{host % 250 + 1}"

    def items(self, feed):
        # Two articles per feed; about eight feeds of different outlets tell each event.
        event = feed // 8
        place = PLACES[event % len(PLACES)]
        what = EVENTS[event % len(EVENTS)]
        outlet = feed % self.outlets
        return [(f"https://outlet{outlet}.example/{feed}-{n}", f"{place} {what} (event {event}, part {n})",
                 f"Officials in {place} said the {what} decision followed weeks of debate. Event {event}.") for n in range(2)]

    def body(self, feed):
        parts = [f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Feed {feed}</title>']
        for url, title, summary in self.items(feed):
            parts.append(f"<item><title>{title}</title><link>{url}</link><guid>{url}</guid>"
                         f"<description>{summary}</description><pubDate>Thu, 03 Dec 2026 12:00:00 GMT</pubDate></item>")
        parts.append("</channel></rss>\n")
        return "".join(parts).encode()

    def start(self):
        drill = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                start = time.time()
                host = self.server.host_number
                try:
                    feed = int(self.path.split("/")[2].split(".")[0])
                except (IndexError, ValueError):
                    feed = -1
                status = 200
                with drill.lock:
                    first_of_paused = host == drill.paused_host and drill.pause_served is None
                    if first_of_paused:
                        drill.pause_served = start
                if feed < 0 or feed >= drill.feeds or feed % drill.hosts != host:
                    status = 404
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif first_of_paused:
                    status = 429
                    self.send_response(429)
                    self.send_header("Retry-After", str(RETRY_AFTER))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                else:
                    body = drill.body(feed)
                    self.send_response(200)
                    self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    self.wfile.flush()
                end = time.time()
                with drill.lock:
                    drill.log.append((start, end, host, feed, self.headers.get("User-Agent", ""), status))
                    if status == 200:
                        for url, _, _ in drill.items(feed):
                            drill.served[url] = drill.served.get(url, 0) + 1

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True
            allow_reuse_address = True

        port = 0
        for host in range(self.hosts):
            server = Server((self.address(host), port), Handler)
            server.host_number = host
            port = server.server_address[1]
            threading.Thread(target=server.serve_forever, daemon=True).start()
            self.servers.append(server)
        self.port = port

    def url(self, feed):
        return f"http://{self.address(feed % self.hosts)}:{self.port}/feed/{feed}.xml"


class Postgres:
    """A throw-away cluster on a Unix socket in a temporary folder, removed when stopped."""

    def __init__(self, directory):
        self.bin = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: [int(x) for x in p.split("/")[4].split(".")])[-1]
        self.dir = os.path.join(directory, "pg")
        os.makedirs(self.dir)
        self.port = 5433
        self.root = os.getuid() == 0
        if self.root:
            shutil.chown(self.dir, "postgres", "postgres")
        os.chmod(self.dir, 0o700)
        self.admin_password = os.urandom(12).hex()
        self.password = os.urandom(12).hex()
        pwfile = os.path.join(self.dir, "pw")
        with open(pwfile, "w") as out:
            out.write(self.admin_password + "\n")
        if self.root:
            shutil.chown(pwfile, "postgres")
        self.owner(["initdb", "-D", f"{self.dir}/data", "-U", "postgres", "-A", "scram-sha-256", f"--pwfile={pwfile}"])
        self.owner(["pg_ctl", "-D", f"{self.dir}/data", "-l", f"{self.dir}/server.log", "-o",
                    f"-p {self.port} -k {self.dir} -c listen_addresses='' -c max_connections=100", "-w", "start"])
        self.psql("CREATE ROLE drill LOGIN PASSWORD '%s'" % self.password, database="postgres", admin=True)
        self.psql("CREATE DATABASE drill OWNER drill", database="postgres", admin=True)
        self.url = f"postgresql://drill:{self.password}@/drill?host={self.dir}&port={self.port}"

    def owner(self, command):
        prefix = ["runuser", "-u", "postgres", "--"] if self.root else []
        subprocess.run(prefix + [os.path.join(self.bin, command[0])] + command[1:], check=True, stdout=subprocess.DEVNULL)

    def psql(self, sql, database="drill", admin=False):
        env = dict(os.environ, PGPASSWORD=self.admin_password if admin else self.password)
        result = subprocess.run([os.path.join(self.bin, "psql"), "-h", self.dir, "-p", str(self.port), "-U",
                                 "postgres" if admin else "drill", "-d", database, "-qtAX", "-c", sql],
                                env=env, capture_output=True, text=True, check=True)
        return [line.split("|") for line in result.stdout.splitlines() if line]

    def stop(self):
        try:
            self.owner(["pg_ctl", "-D", f"{self.dir}/data", "-m", "immediate", "-w", "stop"])
        except subprocess.CalledProcessError:
            pass


def write_config(directory, name, server, args):
    lines = ["allow-private-networks: true", "retention: never",
             "crawl: { concurrency: 16, per-host: %d, host-spacing-seconds: %s, interval-minutes: %d, lease-seconds: %d, user-agent: 'parallax-drill %s' }"
             % (PER_HOST, SPACING, INTERVAL_MINUTES, args.lease, name), "outlets:"]
    biases = ["left", "lean-left", "center", "lean-right", "right"]
    for outlet in range(args.outlets):
        lines += [f"  - id: outlet{outlet}", f"    name: Outlet {outlet}", f"    domains: [outlet{outlet}.example]",
                  f"    bias: {biases[outlet % 5]}"]
    lines.append("feeds:")
    for feed in range(args.feeds):
        lines += [f"  - url: {server.url(feed)}", f"    outlet: outlet{feed % args.outlets}"]
    path = os.path.join(directory, f"{name}.yaml")
    with open(path, "w") as out:
        out.write("\n".join(lines) + "\n")
    return path


class Slot:
    """One process slot: runs its command again and again until told to stop."""

    def __init__(self, name, command, env):
        self.name, self.command, self.env = name, command, env
        self.process = None
        self.lock = threading.Lock()
        self.exits = {}
        self.stopping = False
        self.kills = []  # times this slot's process was SIGKILLed
        self.thread = threading.Thread(target=self.loop, daemon=True)

    def loop(self):
        while not self.stopping:
            with self.lock:
                if self.stopping:
                    break
                self.process = subprocess.Popen(self.command, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            _, errors = self.process.communicate()
            code = self.process.returncode
            key = "killed" if code == -signal.SIGKILL else code
            self.exits[key] = self.exits.get(key, 0) + 1
            if key not in (0, "killed"):
                self.last_error = errors.decode(errors="replace").strip()[-400:]
            time.sleep(0.2)

    def kill(self):
        with self.lock:
            if self.process is not None and self.process.poll() is None:
                self.process.kill()
                self.kills.append(time.time())
                return True
        return False


def check_log(log, slots, args, pause_start):
    """Per-host concurrency and spacing, refetches within the interval, the pause."""
    problems, excused = [], 0
    by_host, by_feed = {}, {}
    for entry in log:
        by_host.setdefault(entry[2], []).append(entry)
        by_feed.setdefault(entry[3], []).append(entry)
    most, closest = 0, float("inf")
    for host, entries in by_host.items():
        events = sorted([(e[0], 1) for e in entries] + [(e[1], -1) for e in entries], key=lambda x: (x[0], x[1]))
        now = 0
        for _, delta in events:
            now += delta
            most = max(most, now)
        starts = sorted(e[0] for e in entries)
        for a, b in zip(starts, starts[1:]):
            closest = min(closest, b - a)
            if b - a < SPACING:
                problems.append(f"host {host}: two requests {b - a:.3f} s apart")
    if most > PER_HOST:
        problems.append(f"{most} requests to one host at once")
    kills = {slot.name: slot.kills for slot in slots}
    interval = INTERVAL_MINUTES * 60
    for feed, entries in by_feed.items():
        entries.sort()
        for first, second in zip(entries, entries[1:]):
            gap = second[0] - first[0]
            if first[5] == 429 and gap >= RETRY_AFTER - 1:
                continue  # the host asked to wait; the feed came back after the pause
            if gap >= interval - 1:
                continue
            fetcher = first[4].replace("parallax-drill ", "")
            killed = any(first[0] <= k <= second[0] for k in kills.get(fetcher, []))
            if killed and gap >= args.lease - 1:
                excused += 1
            else:
                problems.append(f"feed {feed} fetched twice {gap:.1f} s apart (by {first[4]!r} then {second[4]!r})")
    if pause_start is not None:
        early = [e for e in by_host.get(0, []) if pause_start < e[0] < pause_start + RETRY_AFTER - 1]
        if early:
            problems.append(f"{len(early)} requests to the paused host within its Retry-After")
    return problems, excused, most, closest


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--feeds", type=int, default=5000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--outlets", type=int, default=40)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--leaders", type=int, default=2)
    parser.add_argument("--kill-for", type=float, default=120)
    parser.add_argument("--kill-every", type=float, default=5)
    parser.add_argument("--lease", type=int, default=60)
    parser.add_argument("--deadline", type=float, default=1800, help="give up after this many seconds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", help="keep the drill's folder here")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    directory = args.keep or tempfile.mkdtemp(prefix="parallax-distributed-")
    os.makedirs(directory, exist_ok=True)
    if os.getuid() == 0:
        os.chmod(directory, 0o755)
    postgres = Postgres(directory)
    try:
        return run(args, binary, directory, postgres)
    finally:
        postgres.stop()
        if not args.keep:
            shutil.rmtree(directory, ignore_errors=True)


def run(args, binary, directory, postgres):
    rng = random.Random(args.seed)
    server = FeedServer(args.feeds, args.hosts, args.outlets)
    server.start()
    reports = os.path.join(directory, "reports")
    env = dict(os.environ, PARALLAX_STATE=postgres.url)
    slots = []
    for n in range(args.workers):
        config = write_config(directory, f"worker{n}", server, args)
        slots.append(Slot(f"worker{n}", [binary, "crawl", "--config", config, "--quiet"], env))
    for n in range(args.leaders):
        config = write_config(directory, f"leader{n}", server, args)
        slots.append(Slot(f"leader{n}", [binary, "run", "--config", config, "--reports", reports, "--quiet"], env))
    # The schema is made once, before the processes race to open the state.
    subprocess.run([binary, "check", "--config", os.path.join(directory, "worker0.yaml"), "--reports", reports],
                   env=env, capture_output=True)
    started = time.time()
    for slot in slots:
        slot.thread.start()
    kills = 0
    while time.time() - started < args.kill_for:
        time.sleep(rng.uniform(0.5, 1.5) * args.kill_every)
        if rng.choice(slots).kill():
            kills += 1
    # No more kills: the loops go on until every feed has given its articles.
    everything = {url for feed in range(args.feeds) for url, _, _ in server.items(feed)}
    while time.time() - started < args.deadline:
        with server.lock:
            served = set(server.served)
        if served >= everything:
            break
        time.sleep(1)
    for slot in slots:
        slot.stopping = True
    for slot in slots:
        slot.thread.join()
    crawl_seconds = time.time() - started
    final = subprocess.run([binary, "run", "--config", os.path.join(directory, "leader0.yaml"), "--reports", reports, "--quiet"],
                           env=env, capture_output=True, text=True)
    check = subprocess.run([binary, "check", "--config", os.path.join(directory, "leader0.yaml"), "--reports", reports],
                           env=env, capture_output=True, text=True)

    with server.lock:
        log, served_counts, pause_start = list(server.log), dict(server.served), server.pause_served
    stored = [row[0] for row in postgres.psql("SELECT url FROM article")]
    stored_set = set(stored)
    duplicates = len(stored) - len(stored_set)
    lost = set(served_counts) - stored_set
    extra = stored_set - set(served_counts)
    problems, excused, most, closest = check_log(log, slots, args, pause_start)
    stories = {int(row[0]): int(row[1]) for row in postgres.psql("SELECT id, articleCount FROM story")}
    site = site_problems(reports, stories)
    leases = postgres.psql("SELECT COUNT(*) FROM feed WHERE leaseOwner IS NOT NULL")[0][0]

    statuses = {}
    for entry in log:
        statuses[entry[5]] = statuses.get(entry[5], 0) + 1
    exits = {}
    for slot in slots:
        for key, count in slot.exits.items():
            kind = ("worker " if slot.name.startswith("worker") else "leader ") + str(key)
            exits[kind] = exits.get(kind, 0) + count
    errors = [f"{slot.name}: {slot.last_error}" for slot in slots if hasattr(slot, "last_error")]
    print(f"distributed drill: {args.feeds} feeds on {args.hosts} loopback hosts, {args.workers} crawl workers and "
          f"{args.leaders} leader loops on PostgreSQL, lease {args.lease} s; {kills} SIGKILLs over {args.kill_for:.0f} s; "
          f"every feed fetched after {crawl_seconds:.0f} s")
    print(f"  requests: {len(log)} ({', '.join(f'{k}: {v}' for k, v in sorted(statuses.items()))}); "
          f"process exits: {', '.join(f'{k}: {v}' for k, v in sorted(exits.items()))}")
    print(f"  articles served {len(served_counts)}, stored {len(stored_set & set(served_counts))}, lost {len(lost)}, "
          f"duplicates {duplicates}, stored but never served {len(extra)}")
    print(f"  per host: at most {most} requests at once (limit {PER_HOST}), closest starts {closest:.3f} s apart "
          f"(limit {SPACING} s); refetches within the {INTERVAL_MINUTES}-minute interval: "
          f"{len([p for p in problems if 'fetched twice' in p])}, excused (first fetcher killed, after its lease): {excused}")
    print(f"  final run: exit {final.returncode}; check: exit {check.returncode}, "
          f"{'integrity check passed' if 'integrity check passed' in check.stdout else 'integrity check NOT passed'}; "
          f"leases left: {leases}; stories {len(stories)}, site problems {len(site)}")
    for line in (problems + site + errors)[:10]:
        print("   ", line)
    if final.returncode != 0:
        print("    final run:", final.stderr.strip()[-400:])
    ok = (not lost and not duplicates and not extra and not problems and not site and final.returncode == 0
          and check.returncode == 0 and "integrity check passed" in check.stdout and leases == "0"
          and len(served_counts) > 0)
    print("  verdict:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


def site_problems(reports, stories):
    problems = []
    index_path = os.path.join(reports, "index.json")
    try:
        listed = {story["id"] for story in json.load(open(index_path))["stories"]}
        if listed != set(stories):
            problems.append(f"index.json lists {len(listed)} stories, the database has {len(stories)}")
    except Exception as error:
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


if __name__ == "__main__":
    sys.exit(main())
