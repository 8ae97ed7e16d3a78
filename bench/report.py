"""Tables, the targets of issue 4, and TAP, from the results measure.py wrote."""
import statistics

FLOOR_PARTS = {"fmt": ["floor fmt"], "dump": ["floor dump"], "sort": ["floor sort"],
               "dump+fdscan": ["floor dump", "floor fdscan"]}


def stats(tool):
    """median, min, max wall seconds and peak RSS (KiB) of a tool's timed runs, or None."""
    runs = [r for r in tool["runs"] if r[2] == 0]
    if not runs:
        return None
    walls = [r[0] for r in runs]
    return {"median": statistics.median(walls), "min": min(walls), "max": max(walls),
            "cpu": statistics.median(r[3] for r in runs),
            "rss": max(r[1] for r in runs), "runs": len(runs),
            "failed": len(tool["runs"]) - len(runs)}


def medians(result):
    return {t["name"]: s for t in result["tools"] if (s := stats(t))}


def floor_time(kind, med):
    """The floor a tool is held to: a floor's median, or the sum of two."""
    parts = FLOOR_PARTS.get(kind)
    if not parts or any(p not in med for p in parts):
        return None
    return sum(med[p]["median"] for p in parts)


def header(result, machine):
    k = result["kernel"]
    return (f"N = {result['n']} connections ({result['conns6']} IPv6): {k['rows']} TCP sockets "
            f"({k['rows'] - k['tw'] - result['listeners']} established, "
            f"{result['listeners']} listening, {k['tw']} TIME-WAIT); setup "
            f"{result['setup_ms'] / 1000:.1f} s; {machine}; "
            f"TCP sockets of other namespaces: {result['foreign_tcp']}")


def table(result, machine):
    """The lines of one N's table."""
    med = medians(result)
    lines = [header(result, machine), "",
             f"{'tool':<22} {'runs':>4} {'median':>9} {'min - max':>17} {'cpu':>7} {'peak RSS':>10}"
             f"  {'vs ss':<17} {'vs floor':<18} note"]
    for t in result["tools"]:
        lines.append(row(t, med))
    return lines


def ratio(value, base, label):
    return f"{value / base:5.2f} {label}" if base else ""


def row(t, med):
    s = med.get(t["name"])
    if not s:
        return f"{t['name']:<22} {'-':>4} {'':>9} {'':>17} {'':>7} {'':>10}  {'':<17} {'':<18} " \
               f"{t['status']}: {t['note']}"
    peer = med.get(t["peer"])
    vs_ss = ratio(s["median"], peer["median"], t["peer"]) if peer and t["peer"] != t["name"] \
        else ""
    fl = floor_time(t["floor"], med)
    vs_floor = ratio(s["median"], fl, t["floor"]) if fl else ""
    note = f"{s['failed']} runs failed; " if s["failed"] else ""
    return (f"{t['name']:<22} {s['runs']:>4} {s['median']:>7.3f} s "
            f"{s['min']:>7.3f} - {s['max']:>7.3f} {s['cpu']:>7.3f} {s['rss'] / 1024:>6.1f} MiB"
            f"  {vs_ss:<17} {vs_floor:<18} {note}{t['note']}")


class Check:
    """One target: VALUE <= LIMIT, shown as a ratio. For times, CPU is the same check done on
    CPU time (user + system), which a busy machine disturbs less than wall time."""

    def __init__(self, what, target, value, limit, unit="s", cpu=(None, None)):
        self.what, self.target, self.value, self.limit, self.unit = \
            what, target, value, limit, unit
        self.cpu = cpu

    def line(self):
        if self.value is None or self.limit is None:
            return f"  n/a   {self.what:<46} (not measured in this run)"
        verdict = "PASS" if self.value <= self.limit else "FAIL"
        r = self.value / self.limit
        cv, cl = self.cpu
        on_cpu = f"; on CPU time {cv / cl:.2f}" if cv is not None and cl else ""
        return (f"  {verdict}  {self.what:<46} {self.show(self.value)} vs limit "
                f"{self.show(self.limit)} ({self.target}): measured/limit = {r:.2f}{on_cpu}")

    def show(self, x):
        if self.unit == "KiB":
            return f"{x / 1024:7.1f} MiB"
        return f"{x:7.0f} ns" if self.unit == "ns" else f"{x:7.3f} s"


def _scaled(x, k):
    return None if x is None else x * k


def _sum(*xs):
    return None if any(x is None for x in xs) else sum(xs)


def _sort_limit(m):
    """1.3 x dump floor + the sort's own cost (sort floor - dump floor)."""
    dump, sort = m("floor dump"), m("floor sort")
    return None if dump is None or sort is None else 1.3 * dump + max(sort - dump, 0.0)


# (what, target, function of a metric accessor -> (measured, limit))
TIME_TARGETS = [
    ("tcptable <= 0.5 x ss -tan", "0.5 x ss -tan",
     lambda m: (m("tcptable"), _scaled(m("ss -tan"), 0.5))),
    ("tcptable <= 1.3 x (dump + format floor)", "1.3 x floor fmt",
     lambda m: (m("tcptable"), _scaled(m("floor fmt"), 1.3))),
    ("tcptable -p <= 0.1 x ss -tanp", "0.1 x ss -tanp",
     lambda m: (m("tcptable -p"), _scaled(m("ss -tanp"), 0.1))),
    ("tcptable -p <= 1.3 x (dump + fd-scan floor)", "1.3 x (floor dump + floor fdscan)",
     lambda m: (m("tcptable -p"), _scaled(_sum(m("floor dump"), m("floor fdscan")), 1.3))),
    ("GetTcpTable2 sorted <= 1.3 x (dump + fd-scan)", "1.3 x (floor dump + floor fdscan)",
     lambda m: (m("GetTcpTable2"), _scaled(_sum(m("floor dump"), m("floor fdscan")), 1.3))),
    ("GetTcpTable sorted <= 1.3 x dump + sort", "1.3 x floor dump + (floor sort - dump)",
     lambda m: (m("GetTcpTable"), _sort_limit(m))),
]
RSS_TARGETS = [
    ("peak RSS tcptable <= 2 x ss -tan", "2 x ss -tan",
     lambda m: (m("tcptable"), _scaled(m("ss -tan"), 2))),
    ("peak RSS tcptable -p <= ss -tanp", "1 x ss -tanp",
     lambda m: (m("tcptable -p"), m("ss -tanp"))),
]


# Issue 9 (the BPF source): at the largest N, ratios from the same run.
TIME_TARGETS_9 = [
    ("tcptable -p <= 0.35 x (dump + fd-scan floor)", "0.35 x (floor dump + floor fdscan)",
     lambda m: (m("tcptable -p"), _scaled(_sum(m("floor dump"), m("floor fdscan")), 0.35))),
    ("tcptable -p <= 1.6 x tcptable", "1.6 x tcptable",
     lambda m: (m("tcptable -p"), _scaled(m("tcptable"), 1.6))),
    ("GetTcpTable2 sorted+PIDs <= 0.35 x (dump + fd-scan)", "0.35 x (floor dump + floor fdscan)",
     lambda m: (m("GetTcpTable2"), _scaled(_sum(m("floor dump"), m("floor fdscan")), 0.35))),
    ("tcptable <= 0.45 x ss -tan", "0.45 x ss -tan",
     lambda m: (m("tcptable"), _scaled(m("ss -tan"), 0.45))),
    ("tcptable -p bpf >= 3 x faster than netlink", "netlink / 3",
     lambda m: (m("tcptable -p bpf"), _scaled(m("tcptable -p netlink"), 1 / 3))),
]
RSS_TARGETS_9 = [
    ("peak RSS tcptable -p (auto) <= -p netlink", "1 x tcptable -p --source=netlink",
     lambda m: (m("tcptable -p"), m("tcptable -p netlink"))),
]


def _best_single(m):
    a, b = m("tcptable -p bpf"), m("tcptable -p netlink")
    return None if a is None or b is None else min(a, b)


def auto_checks(results):
    """auto (tcptable -p) within 5 % of the better single source, at every N."""
    out = []
    for r in sorted(results, key=lambda r: r["n"]):
        med = medians(r)
        wall, cpu = accessor(med, "median"), accessor(med, "cpu")
        out.append(Check(f"N={r['n']}: auto <= 1.05 x best of bpf, netlink",
                         "1.05 x min(-p bpf, -p netlink)", wall("tcptable -p"),
                         _scaled(_best_single(wall), 1.05),
                         cpu=(cpu("tcptable -p"), _scaled(_best_single(cpu), 1.05))))
    return out


def target_lines_9(results):
    big = max(results, key=lambda r: r["n"])
    med = medians(big)
    wall, cpu, rss = (accessor(med, k) for k in ("median", "cpu", "rss"))
    checks = [Check(what, target, *f(wall), cpu=f(cpu)) for what, target, f in TIME_TARGETS_9]
    checks += [Check(what, target, *f(rss), unit="KiB") for what, target, f in RSS_TARGETS_9]
    checks += auto_checks(results)
    return [f"Targets of issue 9 at N = {big['n']} (ratios from the same run):"] + \
        [c.line() for c in checks]


def accessor(med, key):
    return lambda name: med[name][key] if name in med else None


def targets(results):
    """Checks of issue 4 at the largest N (and the scaling from N/10)."""
    big = max(results, key=lambda r: r["n"])
    med = medians(big)
    wall, cpu, rss = (accessor(med, k) for k in ("median", "cpu", "rss"))
    checks = [Check(what, target, *f(wall), cpu=f(cpu)) for what, target, f in TIME_TARGETS]
    checks += [Check(what, target, *f(rss), unit="KiB") for what, target, f in RSS_TARGETS]
    checks += scaling_checks(results, big)
    return big, checks


def per_socket_ns(result, name, key):
    s = medians(result).get(name) if result else None
    return s[key] / result["kernel"]["rows"] * 1e9 if s else None


def scaling_checks(results, big):
    small = next((r for r in results if r["n"] * 10 == big["n"]), None)
    out = []
    for name in ("tcptable", "tcptable -p"):
        def pair(key, name=name):
            return (per_socket_ns(big, name, key), _scaled(per_socket_ns(small, name, key), 1.5))
        out.append(Check(f"{name}: time/socket at N <= 1.5 x at N/10",
                         "1.5 x ns/socket at N/10", *pair("median"), unit="ns",
                         cpu=pair("cpu")))
    return out


def target_lines(results):
    big, checks = targets(results)
    return [f"Targets of issue 4 at N = {big['n']} (ratios from the same run):"] + \
        [c.line() for c in checks]


def udp_table(result, machine):
    """The lines of the UDP comparison's table."""
    med = medians(result)
    lines = [f"N = {result['n']} UDP sockets ({result['udp6']} IPv6, one in ten connected): "
             f"{result['kernel']['rows']} in the kernel; setup {result['setup_ms'] / 1000:.1f} s; "
             f"{machine}", "",
             f"{'tool':<22} {'runs':>4} {'median':>9} {'min - max':>17} {'cpu':>7} {'peak RSS':>10}"
             f"  {'vs ss':<17} {'vs floor':<18} note"]
    return lines + [row(t, med) for t in result["tools"]]


def udp_target_lines(result):
    med = medians(result)
    wall, cpu, rss = (accessor(med, k) for k in ("median", "cpu", "rss"))
    pairs = [("tcptable -uan <= 0.5 x ss -uan", "0.5 x ss -uan",
              lambda m: (m("tcptable -uan"), _scaled(m("ss -uan"), 0.5)))]
    checks = [Check(w, t, *f(wall), cpu=f(cpu)) for w, t, f in pairs]
    checks.append(Check("peak RSS tcptable -uan <= 2 x ss -uan", "2 x ss -uan",
                        *(lambda m: (m("tcptable -uan"), _scaled(m("ss -uan"), 2)))(rss),
                        unit="KiB"))
    return [f"Targets of issue 12 at N = {result['n']} UDP sockets (ratios from the same run):"] \
        + [c.line() for c in checks]


def tap(results, skipped_reason=None):
    """TAP lines: one test per tool's row count and one for the timing runs."""
    if skipped_reason:
        return [f"1..0 # SKIP {skipped_reason}"]
    lines = []
    for result in results:
        for t in result["tools"]:
            lines.append(tap_line(len(lines) + 1, result["n"], t))
        bad = [t["name"] for t in result["tools"] if any(r[2] for r in t["runs"])]
        lines.append(f"{'not ok' if bad else 'ok'} {len(lines) + 1} - N={result['n']}: every "
                     f"timed run exited 0{': ' + ', '.join(bad) if bad else ''}")
    return [f"1..{len(lines)}"] + lines


def tap_line(i, n, t):
    desc = f"N={n}: {t['name']}: {t['note']}"
    if t["status"] == "skip":
        return f"ok {i} - N={n}: {t['name']} # SKIP {t['note']}"
    return f"{'ok' if t['status'] == 'ok' else 'not ok'} {i} - {desc}"
