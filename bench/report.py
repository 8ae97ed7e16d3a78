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
             f"{'tool':<22} {'runs':>4} {'median':>9} {'min - max':>17} {'peak RSS':>10}"
             f"  {'vs ss':<17} {'vs floor':<18} note"]
    for t in result["tools"]:
        lines.append(row(t, med))
    return lines


def ratio(value, base, label):
    return f"{value / base:5.2f} {label}" if base else ""


def row(t, med):
    s = med.get(t["name"])
    if not s:
        return f"{t['name']:<22} {'-':>4} {'':>9} {'':>17} {'':>10}  {'':<17} {'':<18} " \
               f"{t['status']}: {t['note']}"
    peer = med.get(t["peer"])
    vs_ss = ratio(s["median"], peer["median"], t["peer"]) if peer and t["peer"] != t["name"] \
        else ""
    fl = floor_time(t["floor"], med)
    vs_floor = ratio(s["median"], fl, t["floor"]) if fl else ""
    note = f"{s['failed']} runs failed; " if s["failed"] else ""
    return (f"{t['name']:<22} {s['runs']:>4} {s['median']:>7.3f} s "
            f"{s['min']:>7.3f} - {s['max']:>7.3f} {s['rss'] / 1024:>6.1f} MiB"
            f"  {vs_ss:<17} {vs_floor:<18} {note}{t['note']}")


class Check:
    """One target: VALUE <= LIMIT, shown as a ratio."""

    def __init__(self, what, value, limit, target, unit="s"):
        self.what, self.value, self.limit, self.target, self.unit = \
            what, value, limit, target, unit

    def line(self):
        if self.value is None or self.limit is None:
            return f"  n/a   {self.what:<46} (not measured in this run)"
        verdict = "PASS" if self.value <= self.limit else "FAIL"
        r = self.value / self.limit
        return (f"  {verdict}  {self.what:<46} {self.show(self.value)} vs limit "
                f"{self.show(self.limit)} ({self.target}): measured/limit = {r:.2f}")

    def show(self, x):
        if self.unit == "KiB":
            return f"{x / 1024:7.1f} MiB"
        return f"{x:7.0f} ns" if self.unit == "ns" else f"{x:7.3f} s"


def _m(med, name, key="median"):
    return med[name][key] if name in med else None


def _scaled(x, k):
    return None if x is None else x * k


def _sum(*xs):
    return None if any(x is None for x in xs) else sum(xs)


def targets(results):
    """Checks of issue 4 at the largest N (and the scaling from N/10)."""
    big = max(results, key=lambda r: r["n"])
    med = medians(big)
    dump, fmt, fd = _m(med, "floor dump"), _m(med, "floor fmt"), _m(med, "floor fdscan")
    sort = _m(med, "floor sort")
    sort_cost = None if sort is None or dump is None else max(sort - dump, 0.0)
    checks = [
        Check("tcptable <= 0.5 x ss -tan", _m(med, "tcptable"),
              _scaled(_m(med, "ss -tan"), 0.5), "0.5 x ss -tan"),
        Check("tcptable <= 1.3 x (dump + format floor)", _m(med, "tcptable"),
              _scaled(fmt, 1.3), "1.3 x floor fmt"),
        Check("tcptable -p <= 0.1 x ss -tanp", _m(med, "tcptable -p"),
              _scaled(_m(med, "ss -tanp"), 0.1), "0.1 x ss -tanp"),
        Check("tcptable -p <= 1.3 x (dump + fd-scan floor)", _m(med, "tcptable -p"),
              _scaled(_sum(dump, fd), 1.3), "1.3 x (floor dump + floor fdscan)"),
        Check("GetTcpTable2 sorted <= 1.3 x (dump + fd-scan)", _m(med, "GetTcpTable2"),
              _scaled(_sum(dump, fd), 1.3), "1.3 x (floor dump + floor fdscan)"),
        Check("GetTcpTable sorted <= 1.3 x dump + sort", _m(med, "GetTcpTable"),
              _sum(_scaled(dump, 1.3), sort_cost), "1.3 x floor dump + (floor sort - dump)"),
        Check("peak RSS tcptable <= 2 x ss -tan", _m(med, "tcptable", "rss"),
              _scaled(_m(med, "ss -tan", "rss"), 2), "2 x ss -tan", "KiB"),
        Check("peak RSS tcptable -p <= ss -tanp", _m(med, "tcptable -p", "rss"),
              _m(med, "ss -tanp", "rss"), "1 x ss -tanp", "KiB"),
    ]
    checks += scaling_checks(results, big)
    return big, checks


def per_socket(result, name):
    s = medians(result).get(name)
    return s["median"] / result["kernel"]["rows"] if s else None


def scaling_checks(results, big):
    small = [r for r in results if r["n"] * 10 == big["n"]]
    out = []
    for name in ("tcptable", "tcptable -p"):
        here = per_socket(big, name)
        there = per_socket(small[0], name) if small else None
        out.append(Check(f"{name}: time/socket at N <= 1.5 x at N/10",
                         None if here is None else here * 1e9,
                         None if there is None else there * 1.5e9,
                         "1.5 x ns/socket at N/10", "ns"))
    return out


def target_lines(results):
    big, checks = targets(results)
    return [f"Targets of issue 4 at N = {big['n']} (ratios from the same run):"] + \
        [c.line() for c in checks]


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
