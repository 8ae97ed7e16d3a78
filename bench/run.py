#!/usr/bin/env python3
"""The benchmark of issue 4: tcptable and its API against ss, netstat, lsof and the floors.

usage: run.py [--build DIR] [--runs R] [--tools REGEX] [--tap] [N ...]

For each N, bench/gen makes N loopback connections in a private network namespace and runs
this script again inside it (--inner), which checks every tool's row count, times the tools
with bench/timer and writes its results as JSON. This outer part prints one table per N,
then checks the targets at the largest N. With --tap it prints TAP instead (the smoke test).
Needs root (network namespaces). See bench/README.md.
"""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure  # noqa: E402
import report   # noqa: E402


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--build", default=os.environ.get("TCPT_BUILD_ROOT", "build"))
    p.add_argument("--runs", type=int, default=5, help="timed runs per tool (default 5)")
    p.add_argument("--tap", action="store_true", help="print TAP (the smoke test)")
    p.add_argument("--timeout", type=int, default=0, help="seconds per N (default: scaled)")
    p.add_argument("--udp", type=int, default=0,
                   help="also compare tcptable -uan with ss -uan at this many UDP sockets")
    p.add_argument("--tools", help="only the tools whose names match this regular expression "
                   "(e.g. to leave out the quadratic peers at large N)")
    p.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--inner-udp", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    p.add_argument("n", type=int, nargs="*", default=[1000, 10000, 100000])
    return p.parse_args()


def machine():
    return (f"{os.cpu_count()} cores, kernel {platform.release()}, "
            f"{datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}")


def timeout_for(n, args):
    """ss -tanp and netstat -tanp grow with N squared: ~25 s each at 100k, ~100 s at 200k."""
    return args.timeout or int(300 + 900 * (n / 100000) ** 2)


GEN_SETUP_FAILED = 125  # gen's status when it could not make the namespace or connections


def run_one(n, args, udp=False):
    """One N in its own namespace (N UDP sockets and no connections with UDP). Returns (the
    inner part's results or None, gen's status)."""
    gen = os.path.join(args.build, "bench", "gen")
    with tempfile.NamedTemporaryFile(prefix="tcpt-bench-", suffix=".json") as out:
        make = ["-u", str(n), "0"] if udp else [str(n)]
        cmd = [gen, "-t", str(timeout_for(n, args))] + make + [
               "--", sys.executable, os.path.abspath(__file__),
               "--inner-udp" if udp else "--inner", "--out", out.name, "--build",
               args.build, "--runs", str(args.runs), str(n)]
        env = dict(os.environ)
        if args.tools:
            env["TCPT_BENCH_TOOLS"] = args.tools
        rc = subprocess.run(cmd, env=env).returncode
        if rc != 0:
            print(f"bench: N={n}: the run inside the namespace failed (status {rc})",
                  file=sys.stderr)
            return None, rc
        with open(out.name) as f:
            return json.load(f), 0


def save(results, build, where):
    """Keep the raw numbers next to the build (never committed), for the README's table."""
    d = os.path.join(build, "bench-results")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, datetime.datetime.now().strftime("%Y%m%d-%H%M%S.json"))
    with open(path, "w") as f:
        json.dump({"machine": where, "results": results}, f, indent=1)
    return path


def skip_reason(args):
    if os.geteuid() != 0:
        return "needs root (private network namespaces)"
    if not os.access(os.path.join(args.build, "bench", "gen"), os.X_OK):
        return f"bench programs not built in {args.build}"
    return None


def tap_failure(args, rc):
    """As the other namespace tests do: no namespace is a skip, except under CI=true."""
    ci = os.environ.get("CI") == "true"
    if rc == GEN_SETUP_FAILED and not ci:
        print("1..0 # SKIP cannot make the namespace and connections (see stderr)")
    else:
        print(f"1..1\nnot ok 1 - the run inside the namespace failed (status {rc})")
    return 0


def outer(args):
    reason = skip_reason(args)
    if reason:  # under CI=true a skip is a failure, as in the other tests
        ci = os.environ.get("CI") == "true"
        if args.tap:
            print("1..1\nnot ok 1 - " + reason if ci else "\n".join(report.tap([], reason)))
            return 0
        print(f"bench: {reason}", file=sys.stderr)
        return 1
    where, results = machine(), []
    for n in args.n:
        print(f"== N = {n}", file=sys.stderr, flush=True)
        result, rc = run_one(n, args)
        if result is None:
            return tap_failure(args, rc) if args.tap else 1
        results.append(result)
        if not args.tap:
            print("\n".join(report.table(result, where)) + "\n", flush=True)
    udp = None
    if args.udp:
        print(f"== {args.udp} UDP sockets", file=sys.stderr, flush=True)
        udp, rc = run_one(args.udp, args, udp=True)
        if udp is None:
            return tap_failure(args, rc) if args.tap else 1
    path = save(results + ([udp] if udp else []), args.build, where)
    udp_lines = report.udp_table(udp, where) + [""] + report.udp_target_lines(udp) if udp \
        else []
    if args.tap:  # the tables too, as TAP comments: the smoke test runs that code as well
        lines = [l for r in results for l in report.table(r, where)]
        lines += report.target_lines(results) + report.target_lines_9(results) + udp_lines
        print("\n".join(report.tap(results + ([udp] if udp else []))
                        + ["# " + l for l in lines]))
    else:
        print("\n".join(report.target_lines(results)))
        print("\n".join(report.target_lines_9(results)))
        if udp_lines:
            print("\n" + "\n".join(udp_lines))
        print(f"\nraw results: {path}")
    bad = [t for r in results + ([udp] if udp else []) for t in r["tools"]
           if t["status"] in ("wrong", "error")]
    return 1 if bad else 0


def inner(args):
    if args.inner_udp:
        result = measure.measure_udp(args.build, args.n[0], args.runs)
    else:
        result = measure.measure(args.build, args.n[0], args.runs)
    with open(args.out, "w") as f:
        json.dump(result, f)
    return 0


ARGS = parse_args()
if __name__ == "__main__":
    sys.exit(inner(ARGS) if ARGS.inner or ARGS.inner_udp else outer(ARGS))
