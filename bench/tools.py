"""The commands the benchmark compares, and how to count the rows each one printed.

Each tool says which kernel count its rows must match (every TCP socket, the IPv4 ones, or
only the sockets some process holds), which peer it is compared with (ss -tan, or ss -tanp
when it finds owners) and which floor.
"""
import json
import os
import re
import shutil
from dataclasses import dataclass

# A TCP state as any of the tools spells it, as a whole word.
STATE_RE = re.compile(
    r"\b(ESTAB(LISHED)?|LISTEN|TIME[-_]WAIT|SYN[-_]SENT|SYN[-_]RECV|SYN[-_]RECEIVED|"
    r"FIN[-_]WAIT[-_]?[12]|CLOSE[-_]WAIT|LAST[-_]ACK|CLOSING|CLOSED?|UNCONN|BOUND-INACTIVE)\b")
# A "PID/name" owner column (netstat -p, tcptable -p).
PID_SLASH_RE = re.compile(r"\s\d+/\S")
KV_RE = re.compile(r"(\w+)=(\d+)")


@dataclass
class Tool:
    name: str
    argv: list
    count: str           # how to count its output: text, json, kv, lsof, fmt
    expect: str = "rows"  # the kernel count to match: rows, v4, held; "sockets" for the fd scan
    owners: str = ""      # how to count rows with owners: users, pidslash, kv:<key>, lsof
    peer: str = "ss -tan"
    floor: str = "fmt"    # fmt, dump, sort, dump+fdscan, or "" for the floors themselves
    slow: bool = False    # quadratic peers: measured last in the count phase
    missing: str = ""     # why it cannot run here ("" when it can)
    optional: bool = False  # an unsupported option is a skip, not a failure
    # filled by the count phase
    status: str = ""      # ok, wrong, error, skip
    note: str = ""
    warm: float = 0.0     # seconds of the count run, which is also the warm-up
    rows: int = -1
    runs: int = 0         # timed runs


def build_tools(build):
    """Every tool, in the order they alternate in the timing rounds."""
    cli = os.path.join(build, "src", "cli", "tcptable")
    b = os.path.join(build, "bench")
    ours = [
        Tool("tcptable", [cli], "text"),
        Tool("tcptable -p", [cli, "-p"], "text", owners="pidslash",
             peer="ss -tanp", floor="dump+fdscan"),
        Tool("tcptable --json", [cli, "--json"], "json", optional=True),
        Tool("snap", [f"{b}/snap"], "kv", floor="dump"),
        Tool("snap -p", [f"{b}/snap", "-p"], "kv", owners="kv:owned",
             peer="ss -tanp", floor="dump+fdscan"),
        # issue 9: the owner sources side by side ("tcptable -p" is --source=auto)
        Tool("tcptable -p bpf", [cli, "-p", "--source=bpf"], "text", owners="pidslash",
             peer="ss -tanp", floor="dump+fdscan"),
        Tool("tcptable -p netlink", [cli, "-p", "--source=netlink"], "text",
             owners="pidslash", peer="ss -tanp", floor="dump+fdscan"),
        Tool("snap -p bpf", [f"{b}/snap", "-p", "-S", "bpf"], "kv", owners="kv:owned",
             peer="ss -tanp", floor="dump+fdscan"),
        Tool("snap -p netlink", [f"{b}/snap", "-p", "-S", "netlink"], "kv",
             owners="kv:owned", peer="ss -tanp", floor="dump+fdscan"),
        Tool("GetTcpTable", [f"{b}/iphlp", "table"], "kv", expect="v4", floor="sort"),
        Tool("GetTcpTable2", [f"{b}/iphlp", "table2"], "kv", expect="v4", owners="kv:pids",
             peer="ss -tanp", floor="dump+fdscan"),
        Tool("GetExtendedTcpTable", [f"{b}/iphlp", "extended"], "kv", expect="v4",
             owners="kv:pids", peer="ss -tanp", floor="dump+fdscan"),
    ]
    peers = [
        Tool("ss -tan", ["ss", "-tan"], "text"),
        Tool("netstat -tan", ["netstat", "-tan"], "text"),
        Tool("lsof -nP -iTCP", ["lsof", "-nP", "-iTCP"], "lsof", expect="held",
             owners="lsof", peer="ss -tanp", floor="dump+fdscan"),
        Tool("ss -tanp", ["ss", "-tanp"], "text", owners="users", peer="ss -tanp",
             floor="dump+fdscan", slow=True),
        Tool("netstat -tanp", ["netstat", "-tanp"], "text", owners="pidslash",
             peer="ss -tanp", floor="dump+fdscan", slow=True),
    ]
    floors = [
        Tool("floor dump", [f"{b}/floor_dump"], "kv", floor=""),
        Tool("floor dump, 2 walks", [f"{b}/floor_dump", "-m", "family"], "kv", floor="dump"),
        Tool("floor fmt", [f"{b}/floor_fmt"], "fmt", floor="dump"),
        Tool("floor sort", [f"{b}/floor_sort"], "kv", floor="dump"),
        Tool("floor fdscan", [f"{b}/floor_fdscan"], "kv", expect="sockets", peer="ss -tanp",
             floor=""),
        # the BPF floors (issue 9): load, attach and read a minimal iterator program
        Tool("floor bpf files", [f"{b}/floor_bpf", "files"], "kv", expect="sockets",
             peer="ss -tanp", floor=""),
        Tool("floor bpf tcp", [f"{b}/floor_bpf", "tcp"], "kv", floor="dump"),
    ]
    tools = ours + peers + floors
    for t in tools:
        t.missing = _missing(t.argv[0])
    return tools


def build_udp_tools(build):
    """The UDP comparison: tcptable -uan against ss -uan, one walk per family each. (The
    owner columns cost what they cost for TCP, an fd scan of every process: not repeated.)"""
    cli = os.path.join(build, "src", "cli", "tcptable")
    tools = [
        Tool("tcptable -uan", [cli, "-uan"], "text", peer="ss -uan", floor=""),
        Tool("ss -uan", ["ss", "-uan"], "text", peer="ss -uan", floor=""),
        Tool("netstat -uan", ["netstat", "-uan"], "netstat-udp", peer="ss -uan", floor="",
             slow=True),
    ]
    for t in tools:
        t.missing = _missing(t.argv[0])
    return tools


def _missing(prog):
    if os.sep in prog:
        return "" if os.access(prog, os.X_OK) else "not built"
    return "" if shutil.which(prog) else "not installed"


def parse_kv(text):
    """{"rows": 12, ...} from the last "key=value ..." line a bench program printed."""
    lines = [l for l in text.splitlines() if "=" in l]
    return {k: int(v) for k, v in KV_RE.findall(lines[-1])} if lines else {}


def count_rows(tool, data, pids):
    """(rows, rows with owners or None) in the output DATA (bytes) of TOOL."""
    text = data.decode("utf-8", "replace")
    if tool.count == "kv":
        kv = parse_kv(text)
        rows = kv.get("sockets" if tool.expect == "sockets" else "rows", -1)
        key = tool.owners[3:] if tool.owners.startswith("kv:") else None
        return rows, kv.get(key) if key else None
    if tool.count == "fmt":
        return text.count("\n"), None
    if tool.count == "json":
        return _count_json(text), None
    if tool.count == "netstat-udp":  # unconnected UDP rows have no state column
        return sum(1 for l in text.splitlines() if l.startswith("udp")), None
    if tool.count == "lsof":
        n = _count_lsof(text, pids)
        return n, n
    lines = [l for l in text.splitlines() if STATE_RE.search(l)]
    return len(lines), _count_owners(tool, lines)


def _count_owners(tool, lines):
    if tool.owners == "users":
        return sum("users:((" in l for l in lines)
    if tool.owners == "pidslash":
        return sum(bool(PID_SLASH_RE.search(l)) for l in lines)
    return None


def _count_lsof(text, pids):
    """Lines of our processes only: lsof reports every process's TCP sockets, including
    those of other namespaces that other people's programs hold."""
    n = 0
    for line in text.splitlines()[1:]:
        f = line.split()
        n += len(f) > 1 and f[1] in pids and " TCP " in line
    return n


def _count_json(text):
    """Rows of a JSON document: its array, the largest array it holds, or JSON lines."""
    try:
        doc = json.loads(text)
    except ValueError:
        return sum(1 for l in text.splitlines() if l.lstrip().startswith("{"))
    if isinstance(doc, list):
        return len(doc)
    if isinstance(doc, dict):
        lists = [v for v in doc.values() if isinstance(v, list)]
        return max((len(v) for v in lists), default=-1)
    return -1
