#!/usr/bin/env python3
"""watch_latency.py - how fast `tcptable -w` answers a key at 200,000 sockets (issue 10).

bench/gen makes N loopback connections (2N sockets) in a private network namespace; inside
it, the view runs in tmux at 120x40, refreshing every second, and this script presses End
and Home in turn, timing each from `send-keys` until `capture-pane` shows the moved window
("rows a-b of N" in the header). Presses are spread at random over the refresh cycle, so
some land while the worker thread is taking a snapshot and scanning owners. Reported: the
median, 90th percentile and maximum key-to-redraw latency per configuration:
  default          owners from the BPF source where it loads (one read per refresh)
  -p --source netlink   owners from a /proc fd scan (the slow path: ~0.7 s per refresh
                   at 200k descriptors), which used to freeze the screen

Usage (root): python3 bench/watch_latency.py --build BUILD [--conns 100000] [--samples 40]
A benchmark, not a test: run it alone, never beside other suites (2 shared cores).
"""
import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time

CONFIGS = [("default", "-w 1"), ("-p --source netlink", "-p --source netlink -w 1")]


def tmux(sock, *args):
    return subprocess.run(["tmux", "-S", sock, *args], capture_output=True, text=True,
                          timeout=30).stdout


def window(sock):
    """(first, last, total) of 'rows a-b of N' in the header, or None."""
    out = tmux(sock, "capture-pane", "-p", "-t", "v")
    m = re.search(r"rows (\d+)-(\d+) of (\d+)", out)
    return tuple(int(x) for x in m.groups()) if m else None


def measure(build, args, samples, expect):
    with tempfile.TemporaryDirectory(prefix="tcpt-watch-bench-") as d:
        sock = os.path.join(d, "tmux.sock")
        binary = os.path.join(build, "src", "cli", "tcptable")
        tmux(sock, "-f", "/dev/null", "new-session", "-d", "-s", "v", "-x", "120", "-y", "40",
             "%s %s" % (binary, args))
        try:
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                w = window(sock)
                if w and w[2] >= expect:
                    break
                time.sleep(0.2)
            else:
                raise SystemExit("the view never showed %d rows" % expect)
            times = []
            at_end = False
            for _ in range(samples):
                time.sleep(random.uniform(0.2, 1.2))  # anywhere in the refresh cycle
                key = "Home" if at_end else "End"
                t0 = time.perf_counter()
                tmux(sock, "send-keys", "-t", "v", key)
                while True:
                    w = window(sock)
                    if w and ((w[0] == 1) != (not at_end)):
                        break
                    if time.perf_counter() - t0 > 30:
                        raise SystemExit("no redraw 30 s after %s" % key)
                times.append((time.perf_counter() - t0) * 1000)
                at_end = not at_end
            return times
        finally:
            tmux(sock, "kill-server")


def inner(a):
    n = int(os.environ.get("TCPT_BENCH_CONNS", a.conns))
    expect = 2 * n
    print("watch latency at %d sockets (%d connections), %d presses each" %
          (expect, n, a.samples))
    for name, args in CONFIGS:
        t = sorted(measure(a.build, args, a.samples, expect))
        p90 = t[int(len(t) * 0.9) - 1]
        print("  %-22s median %6.1f ms   p90 %6.1f ms   max %6.1f ms" %
              (name, statistics.median(t), p90, t[-1]))
        sys.stdout.flush()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--build", default="build")
    p.add_argument("--conns", type=int, default=100000)
    p.add_argument("--samples", type=int, default=40)
    p.add_argument("--inner", action="store_true")
    a = p.parse_args()
    if a.inner:
        return inner(a)
    if os.geteuid() != 0:
        raise SystemExit("watch_latency: needs root (a private network namespace)")
    gen = os.path.join(a.build, "bench", "gen")
    return subprocess.run([gen, "-t", "1800", str(a.conns), "--", sys.executable,
                           os.path.abspath(__file__), "--inner", "--build", a.build,
                           "--samples", str(a.samples)]).returncode


if __name__ == "__main__":
    sys.exit(main())
