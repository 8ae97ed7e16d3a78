#!/usr/bin/env python3
"""The benchmark of issue 15: tcptable.net_connections() against psutil.net_connections().

usage: python_bench.py [--build DIR] [--runs R] [--tap] [N]   (default N = 100000)
       python_bench.py [--build DIR] --objects COUNT

For N, bench/gen makes N loopback connections (2N sockets) in a private network namespace
and runs this script inside it (--inner). Each call is made in a fresh interpreter (the
build's, build/python/interpreter.txt), which times the call itself; its peak RSS is the
child's ru_maxrss. The check run (also the warm-up) compares row counts with the kernel's
and tcptable's list with psutil's as multisets (less the TIME-WAIT rows, which expire 60 s
after set-up, maybe while psutil runs); then the calls alternate, R rounds.
--objects compares the ways of building COUNT psutil-shaped records (bench/pyobj.c).
Needs root (network namespaces). See bench/README.md.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

CALLS = [  # name, module, expression
    ('psutil.net_connections("tcp")', "psutil", 'm.net_connections("tcp")'),
    ('tcptable.net_connections("tcp")', "tcptable", 'm.net_connections("tcp")'),
    ("tcptable.connections(owners=True)", "tcptable", "m.connections(owners=True)"),
    ("tcptable.iter_connections(owners=True)", "tcptable",
     "sum(1 for _ in m.iter_connections(owners=True))"),
    ("tcptable.connections()", "tcptable", "m.connections()"),
    ("interpreter + both imports", "psutil, tcptable", "[]"),
]

CHILD = r"""
import hashlib, json, sys, time
name, mod, expr, check = sys.argv[1:5]
import psutil, tcptable
m = psutil if mod == "psutil" else tcptable
t0 = time.perf_counter()
r = eval(expr)
t1 = time.perf_counter()
out = {"seconds": t1 - t0, "rows": r if isinstance(r, int) else len(r)}
if not isinstance(r, int) and r and hasattr(r[0], "pid"):
    out["owned"] = sum(x.pid is not None for x in r)
elif not isinstance(r, int) and r:
    out["owned"] = sum(bool(x.owners) for x in r)
if check == "1" and "net_connections" in expr:  # TIME-WAIT rows expire 60 s after set-up,
    lasting = [x for x in r if x.status != "TIME_WAIT"]  # maybe during psutil's run
    out["digest"] = hashlib.sha256(repr(sorted(map(repr, lasting))).encode()).hexdigest()
print(json.dumps(out))
"""


def interpreter(build):
    with open(os.path.join(build, "python", "interpreter.txt")) as f:
        return f.read().strip()


def run_call(py, build, call, check):
    env = dict(os.environ, PYTHONPATH=os.path.join(build, "python"))
    p = subprocess.Popen([py, "-c", CHILD, call[0], call[1], call[2], "1" if check else "0"],
                         stdout=subprocess.PIPE, env=env)
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    p.stdout.close()
    if p.returncode != 0:
        raise RuntimeError(f"{call[0]}: exit {p.returncode}")
    res = json.loads(out)
    res["rss_kib"] = ru.ru_maxrss
    return res


def kernel_counts(build):
    out = subprocess.run([os.path.join(build, "bench", "floor_dump")], check=True,
                         capture_output=True, text=True).stdout
    line = [l for l in out.splitlines() if "=" in l][-1]
    return {k: int(v) for k, v in (kv.split("=") for kv in line.split())}


def inner(args):
    py = interpreter(args.build)
    result = {"n": args.n, "calls": [], "python": py}
    digests = {}
    for call in CALLS:  # the check run, also the warm-up
        before = kernel_counts(args.build)
        res = run_call(py, args.build, call, check=True)
        after = kernel_counts(args.build)
        ok, note = True, ""
        if call[2] != "[]":
            lo, hi = sorted((before["rows"], after["rows"]))
            ok = lo <= res["rows"] <= hi
            note = f"{res['rows']} rows (kernel: {lo}..{hi})"
            if "owned" in res and "owners=True" in call[2] or "net_connections" in call[2]:
                ok = ok and res.get("owned") == after["held"]
                note += f", {res.get('owned')} with owners (want {after['held']})"
        if "digest" in res:
            digests[call[0]] = res["digest"]
        result["calls"].append({"name": call[0], "ok": ok, "note": note, "runs": []})
        print(f"  check  {call[0]:<40} {'ok' if ok else 'WRONG'} {note} "
              f"[{res['seconds']:.2f} s]", file=sys.stderr, flush=True)
    same = len(set(digests.values())) == 1 and len(digests) == 2
    result["equal_to_psutil"] = same
    print(f"  check  tcptable.net_connections == psutil.net_connections as multisets: {same}",
          file=sys.stderr)
    for _ in range(args.runs):  # alternating rounds
        for call, entry in zip(CALLS, result["calls"]):
            if entry["ok"]:
                res = run_call(py, args.build, call, check=False)
                entry["runs"].append([res["seconds"], res["rss_kib"]])
        print(".", end="", file=sys.stderr, flush=True)
    print("", file=sys.stderr)
    with open(args.out, "w") as f:
        json.dump(result, f)
    return 0


def summary(entry):
    runs = entry["runs"]
    if not runs:
        return None
    t = [r[0] for r in runs]
    return {"median": statistics.median(t), "min": min(t), "max": max(t),
            "rss": max(r[1] for r in runs) / 1024, "runs": len(runs)}


def table(result, where):
    s = {c["name"]: summary(c) for c in result["calls"]}
    ps = s[CALLS[0][0]]
    lines = [f"N = {result['n']} connections ({2 * result['n']} sockets and the listeners and "
             f"TIME-WAIT ones); {result['python']}; {where}", "",
             f"{'call':<40} {'runs':>4} {'median':>9} {'min - max':>17} {'peak RSS':>10}  "
             f"{'time vs psutil':>14} {'RSS vs psutil':>13}  check"]
    for c in result["calls"]:
        x = s[c["name"]]
        if not x:
            lines.append(f"{c['name']:<40} {'-':>4}  {c['note']}")
            continue
        vt = f"{x['median'] / ps['median']:.3f}" if ps else ""
        vr = f"{x['rss'] / ps['rss']:.3f}" if ps else ""
        lines.append(f"{c['name']:<40} {x['runs']:>4} {x['median']:>7.3f} s "
                     f"{x['min']:>7.3f} - {x['max']:>7.3f} {x['rss']:>6.1f} MiB  {vt:>14} "
                     f"{vr:>13}  {c['note']}")
    lines.append(f"(times are of the call alone, in a fresh interpreter; peak RSS is the "
                 f"whole process's)")
    return lines


def targets(result):
    s = {c["name"]: summary(c) for c in result["calls"]}
    ps, ours = s[CALLS[0][0]], s[CALLS[1][0]]
    if not ps or not ours:
        return ["targets: not measured (a call failed its check)"], False
    checks = [("time", ours["median"], 0.1 * ps["median"], "s"),
              ("peak RSS", ours["rss"], 0.5 * ps["rss"], "MiB")]
    lines = [f"Targets of issue 15 at N = {result['n']} (same run):"]
    good = True
    for what, got, limit, unit in checks:
        ok = got <= limit
        good &= ok
        lines.append(f"  {'PASS' if ok else 'FAIL'}  tcptable.net_connections {what} <= "
                     f"{'0.1' if what == 'time' else '0.5'} x psutil's: {got:.3f} {unit} vs "
                     f"limit {limit:.3f} {unit}: measured/limit = {got / limit:.2f}")
    eq = result["equal_to_psutil"]
    lines.append(f"  {'PASS' if eq else 'FAIL'}  the same rows as psutil (multisets)")
    return lines, good and eq


def objects(args):
    """The ways of building COUNT records, best of 5 each."""
    sys.path.insert(0, os.path.join(args.build, "python"))
    sys.path.insert(0, os.path.join(args.build, "bench"))
    import collections
    import socket
    import time
    import pyobj
    import tcptable
    sconn = collections.namedtuple("sconn", "fd family type laddr raddr status pid")
    addr = tcptable.addr("127.0.0.1", 5000)
    items = (3, socket.AF_INET, socket.SOCK_STREAM, addr, addr, "ESTABLISHED", 1234)
    n = args.objects

    def python():
        t0 = time.perf_counter()
        out = [sconn(1000 + k, items[1], items[2], items[3], items[4], items[5], items[6])
               for k in range(n)]
        return time.perf_counter() - t0, out
    ways = [("pure Python: sconn(...) per row", python, sconn),
            ("C: PyStructSequence", lambda: pyobj.build(0, pyobj.StructSeq, n, items), None),
            ("C: namedtuple class, vectorcall", lambda: pyobj.build(1, sconn, n, items), sconn),
            ("C: tuple.__new__(cls, t), vectorcall", lambda: pyobj.build(2, sconn, n, items),
             sconn),
            ("C: cls->tp_alloc + fill", lambda: pyobj.build(3, sconn, n, items), sconn),
            ("C: tp_alloc + fill, tracked at the end", lambda: pyobj.build(4, sconn, n, items),
             sconn)]
    print(f"{n} psutil-shaped records, best of 5 ({interpreter(args.build)}):")
    print(f"{'way':<40} {'seconds':>8} {'ns/record':>10} {'bytes':>6}  namedtuple API")
    for name, fn, cls in ways:
        best, sample = None, None
        for _ in range(5):
            secs, out = fn()
            best = secs if best is None else min(best, secs)
            sample = out[0]
            del out
        api = hasattr(sample, "_asdict") and isinstance(sample, tuple)
        print(f"{name:<40} {best:>8.3f} {best / n * 1e9:>10.0f} {sys.getsizeof(sample):>6}  "
              f"{'yes' if api else 'no (' + type(sample).__name__ + ')'}")
    return 0


def outer(args):
    if os.geteuid() != 0:
        print("python_bench: needs root (a private network namespace)", file=sys.stderr)
        return 1
    import datetime
    import platform
    where = (f"{os.cpu_count()} cores, kernel {platform.release()}, "
             f"{datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}")
    gen = os.path.join(args.build, "bench", "gen")
    with tempfile.NamedTemporaryFile(prefix="tcpt-pybench-", suffix=".json") as out:
        cmd = [gen, "-t", str(600 + args.n // 100), str(args.n), "--", sys.executable,
               os.path.abspath(__file__), "--inner", "--out", out.name, "--build",
               args.build, "--runs", str(args.runs), str(args.n)]
        rc = subprocess.run(cmd).returncode
        if rc != 0:
            if args.tap:
                print("1..1\nnot ok 1 - the run in the namespace failed (status %d)" % rc)
                return 0
            return 1
        with open(out.name) as f:
            result = json.load(f)
    lines = table(result, where)
    tlines, _ = targets(result)
    if args.tap:
        checks = [(c["ok"], c["name"] + ": " + c["note"]) for c in result["calls"]]
        checks.append((result["equal_to_psutil"], "net_connections equal to psutil's"))
        print(f"1..{len(checks)}")
        for i, (ok, what) in enumerate(checks, 1):
            print(f"{'ok' if ok else 'not ok'} {i} - {what}")
        print("\n".join("# " + l for l in lines + tlines))
        return 0
    print("\n".join(lines + [""] + tlines))
    bad = [c for c in result["calls"] if not c["ok"]] or not result["equal_to_psutil"]
    return 1 if bad else 0


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--build", default=os.environ.get("TCPT_BUILD_ROOT", "build"))
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--tap", action="store_true")
    p.add_argument("--objects", type=int, default=0)
    p.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    p.add_argument("n", type=int, nargs="?", default=100000)
    args = p.parse_args()
    args.build = os.path.abspath(args.build)
    if args.objects:
        return objects(args)
    return inner(args) if args.inner else outer(args)


if __name__ == "__main__":
    sys.exit(main())
