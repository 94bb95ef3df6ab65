#!/usr/bin/env python3
"""The brief's cost as a user meets it: the whole `parallax run` process on the sample, with a
fresh state and reports folder each time, alternately by two builds of the same code: the base
built with `-Xswiftc -DPARALLAX_WITHOUT_BRIEF` (no brief, no related stories; see BENCHMARKS.md),
and the ordinary build. CPU time (user + system) of the child process, from wait4, because wall
time on a shared machine is noise.

    python3 Benchmarks/Brief/whole_command.py BASE_BINARY BRIEF_BINARY [--config FILE] [--pairs N]
"""
import argparse, os, shutil, statistics, subprocess, tempfile


def run(binary, config):
    scratch = tempfile.mkdtemp(prefix="whole-command-")
    try:
        args = [binary, "run", "--config", config, "--state", os.path.join(scratch, "state.sqlite"),
                "--reports", os.path.join(scratch, "reports")]
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{binary}: parallax run exited with {os.waitstatus_to_exitcode(status)}")
        return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("brief")
    parser.add_argument("--config", default="feeds/sample/sample.yaml")
    parser.add_argument("--pairs", type=int, default=15)
    options = parser.parse_args()
    for binary in (options.base, options.brief):  # warm-up: page cache, nothing counted
        run(binary, options.config)
    base, brief, ratios = [], [], []
    for pair in range(options.pairs):
        order = (options.base, options.brief) if pair % 2 == 0 else (options.brief, options.base)
        result = {binary: run(binary, options.config) for binary in order}
        base.append(result[options.base][0])
        brief.append(result[options.brief][0])
        ratios.append(brief[-1] / base[-1])
    print(f"whole `parallax run` on {options.config}, {options.pairs} pairs, alternating")
    print(f"base:  median {statistics.median(base):.3f} s CPU ({options.base})")
    print(f"brief: median {statistics.median(brief):.3f} s CPU ({options.brief})")
    print(f"the brief's cost: {100 * (statistics.median(brief) / statistics.median(base) - 1):+.1f} % CPU (ratio of medians), "
          f"median of pairwise ratios {100 * (statistics.median(ratios) - 1):+.1f} % (goal ≤ 15 %)")


if __name__ == "__main__":
    main()
