"""The part of the benchmark that runs inside the generator's network namespace.

Phase 1 runs every tool once with its output kept and checks its row count against the
kernel's (a dump taken just before and just after it: TIME-WAIT sockets expire 60 s after
setup, so the kernel's count may drop while a slow tool runs). That run is also the warm-up.
Phase 2 hands the tools that passed to the C timer, which alternates them.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

import tools as toolmod

QUICK_S = 1.0      # a warm-up shorter than this gets twice the runs (when runs >= 5): cheap,
                   # and the median of a fast tool is the noisiest on a shared machine
SLOW_S = 5.0       # a warm-up longer than this gets at most 3 timed runs
VERY_SLOW_S = 60.0  # ... and longer than this, 1


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def kernel_counts(build):
    """What the kernel holds right now, from the dump floor."""
    out = subprocess.run([os.path.join(build, "bench", "floor_dump")], check=True,
                         capture_output=True, text=True).stdout
    return toolmod.parse_kv(out)


def expected_range(tool, before, after):
    key = {"rows": "rows", "v4": "v4", "held": "held", "sockets": "held"}[tool.expect]
    return min(before[key], after[key]), max(before[key], after[key])


def owners_expected(tool, kernel):
    """Every socket with an inode here is held by the generator or its workers."""
    return kernel["held4"] if tool.expect == "v4" else kernel["held"]


def judge(tool, rows, owned, before, after):
    """(ok, note) for a tool's counts."""
    lo, hi = expected_range(tool, before, after)
    if tool.expect == "sockets":  # the fd scan also finds other processes' sockets
        ok = rows >= lo
        note = f"{rows} socket fds on the host (>= {lo} of ours)"
    else:
        ok = lo <= rows <= hi
        want = f"{lo}" if lo == hi else f"{lo}..{hi}"
        note = f"{rows} rows (kernel: {want})"
    if owned is not None and tool.count != "lsof":
        want = owners_expected(tool, after)
        ok = ok and owned == want
        note += f", {owned} with owners (want {want})"
    return ok, note


def unsupported(tool, stderr):
    return tool.optional and any(w in stderr for w in ("unknown option", "unrecognized"))


def check_one(tool, build, pids, tmp, counts):
    """Run TOOL once (the warm-up), count its rows against COUNTS() taken before and after.
    Fills tool.status, .note, .warm."""
    before = counts()
    out_path = os.path.join(tmp, "out")
    with open(out_path, "wb") as out:
        t0 = time.monotonic()
        proc = subprocess.run(tool.argv, stdout=out, stderr=subprocess.PIPE)
        tool.warm = time.monotonic() - t0
    after = counts()
    err = proc.stderr.decode("utf-8", "replace").strip()
    if proc.returncode != 0:
        tool.status = "skip" if unsupported(tool, err) else "error"
        tool.note = (f"not supported by this build: {err.splitlines()[0]}"
                     if tool.status == "skip" else
                     f"exit {proc.returncode}: {err.splitlines()[0] if err else ''}")
        return
    with open(out_path, "rb") as f:
        rows, owned = toolmod.count_rows(tool, f.read(), pids)
    ok, tool.note = judge(tool, rows, owned, before, after)
    tool.status = "ok" if ok else "wrong"
    tool.rows = rows


def check_counts(tools, build, pids, counts=None):
    """Phase 1, fast tools first so that the slow ones' minute does not delay the others.
    COUNTS: what the kernel holds (default: the TCP dump floor's counts)."""
    counts = counts or (lambda: kernel_counts(build))
    with tempfile.TemporaryDirectory(prefix="tcpt-bench-") as tmp:
        for tool in sorted(tools, key=lambda t: t.slow):
            if tool.missing:
                tool.status, tool.note = "skip", tool.missing
                continue
            check_one(tool, build, pids, tmp, counts)
            log(f"  count  {tool.name:<22} {tool.status:<5} {tool.note} "
                f"[{tool.warm:.2f} s]")


def runs_for(tool, runs):
    if tool.warm > VERY_SLOW_S:
        return 1
    if tool.warm > SLOW_S:
        return min(runs, 3)
    return 2 * runs if tool.warm < QUICK_S and runs >= 5 else runs


def time_tools(tools, build, runs):
    """Phase 2: the C timer alternates the tools.
    Returns {name: [(wall, rss_kib, status, cpu)]}."""
    timed = [t for t in tools if t.status == "ok"]
    for t in timed:
        t.runs = runs_for(t, runs)
    results = {t.name: [] for t in timed}
    with tempfile.NamedTemporaryFile("w", prefix="tcpt-bench-spec-") as spec:
        for t in timed:
            spec.write("\t".join([t.name, str(t.runs)] + t.argv) + "\n")
        spec.flush()
        timer = os.path.join(build, "bench", "timer")
        proc = subprocess.Popen([timer, spec.name], stdout=subprocess.PIPE, text=True)
        for line in proc.stdout:
            name, _, wall, rss, status, cpu = line.rstrip("\n").split("\t")
            results[name].append((float(wall), int(rss), int(status), float(cpu)))
            print(".", end="", file=sys.stderr, flush=True)
        proc.wait()
    log("")
    return results


def host_tcp_alloc():
    """TCP sockets allocated in every namespace of the host (sockstat's "alloc" is global)."""
    with open("/proc/net/sockstat") as f:
        for line in f:
            if line.startswith("TCP:"):
                fields = line.split()
                return int(fields[fields.index("alloc") + 1])
    return -1


def measure(build, n, runs):
    """Everything for one N, as a dict ready for JSON."""
    env = os.environ
    pids = set(env.get("TCPT_BENCH_PIDS", "").split(","))
    kernel = kernel_counts(build)
    alloc = host_tcp_alloc()
    tools = toolmod.build_tools(build)
    only = env.get("TCPT_BENCH_TOOLS")  # run.py --tools: a regular expression over names
    if only:
        tools = [t for t in tools if re.search(only, t.name)]
    check_counts(tools, build, pids)
    timings = time_tools(tools, build, runs)
    return {
        "n": n,
        "conns6": int(env.get("TCPT_BENCH_CONNS6", 0)),
        "listeners": int(env.get("TCPT_BENCH_LISTENERS", 0)),
        "setup_ms": int(env.get("TCPT_BENCH_SETUP_MS", 0)),
        "kernel": kernel,
        "foreign_tcp": alloc - (kernel["rows"] - kernel["tw"]),
        "tools": [tool_result(t, timings.get(t.name, [])) for t in tools],
    }


def udp_kernel_counts():
    """The UDP sockets this namespace holds ("inuse" of sockstat and sockstat6); every one
    is held by a generator worker."""
    n = 0
    for path, key in (("/proc/net/sockstat", "UDP:"), ("/proc/net/sockstat6", "UDP6:")):
        try:
            with open(path) as f:
                for line in f:
                    fields = line.split()
                    if fields and fields[0] == key:
                        n += int(fields[fields.index("inuse") + 1])
        except OSError:
            pass
    return {"rows": n, "v4": n, "held": n, "held4": n}


def measure_udp(build, n, runs):
    """The UDP comparison for N sockets, as a dict ready for JSON."""
    env = os.environ
    pids = set(env.get("TCPT_BENCH_PIDS", "").split(","))
    tools = toolmod.build_udp_tools(build)
    check_counts(tools, build, pids, udp_kernel_counts)
    timings = time_tools(tools, build, runs)
    return {
        "n": n, "udp": True,
        "udp6": int(env.get("TCPT_BENCH_UDP6", 0)),
        "setup_ms": int(env.get("TCPT_BENCH_SETUP_MS", 0)),
        "kernel": udp_kernel_counts(),
        "tools": [tool_result(t, timings.get(t.name, [])) for t in tools],
    }


def tool_result(t, runs):
    return {"name": t.name, "status": t.status, "note": t.note, "peer": t.peer,
            "floor": t.floor, "owners": bool(t.owners), "warm": t.warm,
            "runs": [list(r) for r in runs]}
