"""The native API: every field of connections() against the known sockets of
conftest.World, every filter, the sources, the order, other namespaces, the iterator,
stats() against /proc/net/snmp, and bad arguments."""
import collections
import os
import resource
import socket
import subprocess
import sys

import pytest

import cmdlib
import tcptable
from conftest import cgroup_id
from tcptable import Owner

ALL = dict(owners=True, processes=True, tcp_info=True)


def inode(sock):
    return os.fstat(sock.fileno()).st_ino


def by_inode(rows):
    out = {}
    for r in rows:
        if r.inode:
            assert r.inode not in out, "a socket listed twice: %r" % (r,)
            out[r.inode] = r
    return out


def port(sock):
    return sock.getsockname()[1]


def comm(pid):
    return cmdlib.read_comm(pid).decode()


def me(fd):
    return Owner(os.getpid(), fd, comm(os.getpid()), os.readlink("/proc/self/exe"))


@pytest.fixture(scope="module")
def rows(world):
    world.fresh_time_wait()
    return tcptable.connections(**ALL)


# --- every field ---------------------------------------------------------------------------

STABLE_INFO = ["ca_state", "snd_mss", "rcv_mss", "pmtu", "snd_cwnd", "snd_ssthresh", "lost",
               "retrans", "total_retrans", "bytes_acked", "bytes_received", "bytes_sent",
               "bytes_retrans", "segs_out", "segs_in", "congestion"]


def test_every_field_of_an_established_server_end(world, rows, netns):
    client, server = world.est4
    r = by_inode(rows)[inode(server)]
    assert r[:18] == (
        "tcp", socket.AF_INET, "ESTABLISHED", "127.0.0.1", port(world.listen4), "127.0.0.1",
        port(client), 0, os.geteuid(), inode(server), cmdlib.cookie_of(server),
        r.cgroup_id, netns, 100, 0, "off", 0, 0)
    assert type(r.family) is socket.AddressFamily
    want_cgroup = cgroup_id()
    if want_cgroup is not None:
        assert r.cgroup_id == want_cgroup
    assert r.owners == (me(server.fileno()),)
    want = cmdlib.tcp_info(server)
    assert {k: getattr(r.info, k) for k in STABLE_INFO} == {k: want[k] for k in STABLE_INFO}
    assert r.info.bytes_received == 100 and r.info.congestion
    assert 0 < r.info.rto_us and r.info.rtt_us > 0


def test_keepalive_timer_of_the_client_end(world, rows):
    client, server = world.est4
    r = by_inode(rows)[inode(client)]
    assert (r.state, r.local_port, r.remote_port, r.rqueue, r.wqueue) == (
        "ESTABLISHED", port(client), port(world.listen4), 0, 0)
    assert r.timer == "keepalive" and 0 < r.timer_expires_ms <= 600_000
    assert r.info.bytes_acked == cmdlib.tcp_info(client)["bytes_acked"] > 100  # and SYN


def test_listeners(world, rows):
    ix = by_inode(rows)
    for sock, local, remote in [(world.listen4, "127.0.0.1", "0.0.0.0"),
                                (world.listen6, "::1", "::"), (world.dual, "::", "::")]:
        r = ix[inode(sock)]
        assert (r.family, r.state, r.local_addr, r.local_port, r.remote_addr,
                r.remote_port, r.rqueue, r.wqueue, r.timer) == (
            sock.family, "LISTEN", local, port(sock), remote, 0, 0, 16, "off")
        assert r.owners == (me(sock.fileno()),)


def test_scope_id_of_a_socket_bound_to_lo(world, rows):
    assert by_inode(rows)[inode(world.device)].scope_id == socket.if_nametoindex("lo")
    assert by_inode(rows)[inode(world.listen4)].scope_id == 0


def test_ipv6_and_mapped_rows(world, rows):
    ix = by_inode(rows)
    c6 = ix[inode(world.est6[0])]
    assert (c6.family, c6.local_addr, c6.remote_addr, c6.remote_port) == (
        socket.AF_INET6, "::1", "::1", port(world.listen6))
    cm, sm = ix[inode(world.mapped[0])], ix[inode(world.mapped[1])]
    assert (cm.family, cm.local_addr, cm.remote_addr) == (
        socket.AF_INET6, "::ffff:127.0.0.1", "::ffff:127.0.0.1")
    assert (sm.family, sm.local_addr, sm.remote_port) == (socket.AF_INET, "127.0.0.1",
                                                          port(world.mapped[0]))


def test_half_closed_pair(world, rows):
    ix = by_inode(rows)
    assert ix[inode(world.half[0])].state == "FIN-WAIT-2"
    assert ix[inode(world.half[1])].state == "CLOSE-WAIT"


def test_time_wait_row(world):
    tw_port = world.fresh_time_wait()
    tw = [r for r in tcptable.connections(**ALL) if r.state == "TIME-WAIT"]
    assert len(tw) in (1, 2)
    r = next(r for r in tw if r.local_port == tw_port)
    assert (r.local_port, r.remote_port, r.inode, r.owners, r.info, r.timer, r.uid) == (
        tw_port, port(world.listen4), 0, (), None, "timewait", 0)
    assert 0 < r.timer_expires_ms <= 60_000


def test_every_owner_of_a_shared_socket(world, rows):
    r = by_inode(rows)[inode(world.shared)]
    pid = world.holder.pid
    exe = os.readlink("/proc/%d/exe" % pid)
    assert r.owners == tuple(sorted([
        me(world.shared.fileno()), me(world.shared_dup),
        Owner(pid, 150, "tcpt-holder", exe), Owner(pid, 200, "tcpt-holder", exe)]))


def test_owners_without_processes_have_no_names(world):
    r = by_inode(tcptable.connections(owners=True))[inode(world.listen4)]
    assert r.owners == (Owner(os.getpid(), world.listen4.fileno(), None, None),)
    assert r.info is None


def test_nothing_joined_unless_asked(world):
    for r in tcptable.connections():
        assert r.owners == () and r.info is None


def test_records_are_namedtuples(rows):
    r = rows[0]
    assert isinstance(r, tuple) and r._fields == tcptable.Connection._fields
    assert list(r._asdict()) == list(tcptable.Connection._fields)
    assert len(tcptable.Connection._fields) == 20
    assert len(tcptable.TcpInfo._fields) == 26
    with_info = next(x for x in rows if x.info)
    assert type(with_info.info) is tcptable.TcpInfo
    assert all(type(o) is Owner for x in rows for o in x.owners)


# --- filters -------------------------------------------------------------------------------

def keys(rows):
    return collections.Counter((r.family, r.state, r.local_addr, r.local_port, r.remote_addr,
                                r.remote_port, r.inode) for r in rows)


def expect(rows, pred):
    return keys(r for r in rows if pred(r))


def test_filters(world, rows):
    p4 = port(world.listen4)
    cases = [
        (dict(states=["LISTEN"]), lambda r: r.state == "LISTEN"),
        (dict(states=["time_wait", "Close-Wait"]),
         lambda r: r.state in ("TIME-WAIT", "CLOSE-WAIT")),
        (dict(states=[10]), lambda r: r.state == "LISTEN"),
        (dict(families=[socket.AF_INET6]), lambda r: r.family == socket.AF_INET6),
        (dict(families=[socket.AF_INET, socket.AF_INET6]), lambda r: True),
        (dict(local_ports=[p4]), lambda r: r.local_port == p4),
        (dict(remote_ports=[(p4, p4)]), lambda r: r.remote_port == p4),
        (dict(ports=[p4]), lambda r: p4 in (r.local_port, r.remote_port)),
        (dict(local_addrs=["::1"]), lambda r: r.local_addr == "::1"),
        (dict(remote_addrs=["127.0.0.0/8"]),
         lambda r: r.remote_addr.replace("::ffff:", "").startswith("127.")),
        (dict(uids=[os.geteuid()]), lambda r: r.uid == os.geteuid()),
        (dict(uids=[12345]), lambda r: False),
        (dict(pids=[world.holder.pid]), lambda r: r.inode == inode(world.shared)),
        (dict(names=["tcpt-holder"]), lambda r: r.inode == inode(world.shared)),
        (dict(names=[b"tcpt-holder"], states=["ESTABLISHED"]), lambda r: False),
        (dict(states=["LISTEN"], families=[socket.AF_INET], local_ports=[p4]),
         lambda r: r.inode == inode(world.listen4)),
    ]
    for kw, pred in cases:
        got, want = keys(tcptable.connections(**kw)), expect(rows, pred)
        assert got == want, "filter %r" % (kw,)
        assert want or kw in (dict(uids=[12345]),
                              dict(names=[b"tcpt-holder"], states=["ESTABLISHED"])), kw


def test_proc_source_gives_the_same_rows(world):
    netlink = tcptable.connections(source="netlink")
    proc = tcptable.connections(source="proc")
    assert keys(proc) == keys(netlink)
    assert all(r.cookie == 0 and r.cgroup_id == 0 for r in proc)
    it = tcptable.iter_connections(source="proc")
    assert keys(it) == keys(netlink) and it.source == tcptable._tcptable.SOURCE_PROC


def bpf_expected():
    """Whether the BPF owner source must work here: root, under CI=true (as the C tests)."""
    return os.geteuid() == 0 and os.environ.get("CI") == "true"


def test_bpf_source_gives_the_owners_of_the_proc_scan(world):
    by_proc = tcptable.connections(source="netlink", processes=True)
    it = tcptable.iter_connections(source="bpf", processes=True)
    by_bpf = list(it)
    assert it.owner_source in (tcptable._tcptable.SOURCE_BPF, tcptable._tcptable.SOURCE_PROC)
    if bpf_expected():
        assert it.owner_source == tcptable._tcptable.SOURCE_BPF
    own = lambda rows: sorted((r.inode, r.owners) for r in rows if r.inode)
    assert own(by_bpf) == own(by_proc)
    assert own(tcptable.connections(source="bpf", processes=True)) == own(by_proc)
    plain = tcptable.iter_connections(source="netlink", owners=True)
    list(plain)
    assert plain.owner_source == tcptable._tcptable.SOURCE_PROC
    none = tcptable.iter_connections()
    list(none)
    assert none.owner_source == 0


def test_the_bpf_program_is_loaded_once_per_interpreter(world):
    it = tcptable.iter_connections(source="bpf", owners=True)
    list(it)
    if it.owner_source != tcptable._tcptable.SOURCE_BPF:
        assert not bpf_expected()
        pytest.skip("the BPF owner source does not load here")
    kept = cmdlib.bpf_programs()
    assert len(kept) == 1, kept  # held between calls
    fds = sorted(os.listdir("/proc/self/fd"))
    for _ in range(50):
        tcptable.connections(source="bpf", owners=True)
        tcptable.net_connections("tcp")
    assert cmdlib.bpf_programs() == kept  # the same program, not a new one per call
    assert sorted(os.listdir("/proc/self/fd")) == fds


def test_address_order(world):
    rows = tcptable.connections(order="address")

    def key(r):
        f = socket.AF_INET if r.family == socket.AF_INET else socket.AF_INET6
        return (0 if f == socket.AF_INET else 1, socket.inet_pton(f, r.local_addr),
                r.local_port, socket.inet_pton(f, r.remote_addr), r.remote_port)
    assert [key(r) for r in rows] == sorted(key(r) for r in rows)
    assert keys(rows) == keys(tcptable.connections())


# --- namespaces ----------------------------------------------------------------------------

OTHER_NETNS = r"""
import ctypes, os, socket, subprocess, sys
assert ctypes.CDLL(None).unshare(0x40000000) == 0
subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(3)
print(s.getsockname()[1], flush=True)
sys.stdin.read()
"""


@pytest.fixture(scope="module")
def other_netns(netns):
    if os.geteuid() != 0:
        pytest.skip("another namespace needs root")
    p = subprocess.Popen([sys.executable, "-c", OTHER_NETNS], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE)
    listen_port = int(p.stdout.readline())
    yield p.pid, listen_port
    p.stdin.close()
    p.wait()


def test_rows_of_another_namespace(world, other_netns):
    pid, listen_port = other_netns
    path = "/proc/%d/ns/net" % pid
    ino = os.stat(path).st_ino
    rows = tcptable.connections(netns=[path])
    assert [(r.state, r.local_port, r.netns) for r in rows] == [("LISTEN", listen_port, ino)]
    with open(path) as f:  # a file object and a descriptor do as well as a path
        both = tcptable.connections(netns=[f, os.open("/proc/self/ns/net", os.O_RDONLY)])
    here = tcptable.connections()
    assert keys(both) == keys(rows) + keys(here)
    assert os.stat("/proc/self/ns/net").st_ino != ino  # this thread never moved


# --- the iterator --------------------------------------------------------------------------

def test_iterator_gives_the_snapshots_rows(world, rows):
    it = tcptable.iter_connections(**ALL)
    assert type(it) is tcptable.ConnectionStream and iter(it) is it
    assert it.rows is None  # not exhausted yet
    streamed = list(it)
    assert keys(streamed) == keys(rows)
    assert [(r.inode, r.owners) for r in sorted(streamed)] == \
        [(r.inode, r.owners) for r in sorted(rows)]
    assert it.rows == len(streamed) and it.source == tcptable._tcptable.SOURCE_NETLINK
    assert it.unreadable_processes == 0
    with pytest.raises(StopIteration):
        next(it)


@pytest.fixture(scope="module")
def many(world):
    """1,000 more connections (2,000 sockets): several batches of the iterator."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))
    lst = cmdlib.listener(socket.AF_INET, "127.0.0.1", 0, backlog=1024)
    socks = []
    for _ in range(1000):
        c = socket.create_connection(("127.0.0.1", port(lst)))
        socks += [c, lst.accept()[0]]
    yield lst, socks
    for s in socks + [lst]:
        s.close()


def test_iterator_over_many_batches(many):
    lst, socks = many
    it = tcptable.iter_connections(ports=[port(lst)], owners=True)
    streamed = list(it)
    assert len(streamed) == 2001 and it.rows == 2001
    assert keys(streamed) == keys(tcptable.connections(ports=[port(lst)]))
    assert {r.inode for r in streamed} == {inode(s) for s in socks + [lst]}


def test_iterator_stopped_early(many):
    before = len(os.listdir("/proc/self/fd"))
    it = tcptable.iter_connections()
    first = [next(it) for _ in range(10)]
    assert len(first) == 10
    it.close()
    with pytest.raises(StopIteration):
        next(it)
    with tcptable.iter_connections() as it2:
        next(it2)
    with pytest.raises(StopIteration):
        next(it2)
    it3 = tcptable.iter_connections()
    next(it3)
    del it3  # dropped with its thread waiting on a full queue
    assert len(os.listdir("/proc/self/fd")) == before
    assert len(os.listdir("/proc/self/task")) == 1  # every stream thread joined


def test_iterator_raises_the_librarys_error_on_next():
    it = tcptable.iter_connections(states=[20])  # a bit the library refuses
    with pytest.raises(ValueError, match="invalid argument"):
        next(it)
    with pytest.raises(StopIteration):
        next(it)


# --- stats ---------------------------------------------------------------------------------

def snmp_tcp():
    with open("/proc/net/snmp") as f:
        lines = [l.split() for l in f if l.startswith("Tcp:")]
    return dict(zip(lines[0][1:], map(int, lines[1][1:])))


def test_stats_against_proc_net_snmp(world):
    before = snmp_tcp()
    s = tcptable.stats()
    after = snmp_tcp()
    assert type(s) is tcptable.Stats and len(s) == 15
    assert (s.rto_algorithm, s.rto_min_ms, s.rto_max_ms, s.max_conn) == (
        after["RtoAlgorithm"], after["RtoMin"], after["RtoMax"], after["MaxConn"])
    for field, name in [("active_opens", "ActiveOpens"), ("passive_opens", "PassiveOpens"),
                        ("attempt_fails", "AttemptFails"), ("estab_resets", "EstabResets"),
                        ("in_segs", "InSegs"), ("out_segs", "OutSegs"),
                        ("retrans_segs", "RetransSegs"), ("in_errs", "InErrs"),
                        ("out_rsts", "OutRsts"), ("in_csum_errors", "InCsumErrors")]:
        assert before[name] <= getattr(s, field) <= after[name], field
    # this namespace's own: ESTABLISHED + CLOSE-WAIT (est4, est6, mapped, half's server)
    # plus the 2,000 of `many` if that fixture is alive
    estab = sum(1 for r in tcptable.connections(states=["ESTABLISHED", "CLOSE-WAIT"]))
    assert s.curr_estab == estab and estab >= 7


# --- bad arguments -------------------------------------------------------------------------

@pytest.mark.parametrize("kw, exc, match", [
    (dict(protocols=["sctp"]), ValueError, "protocol 'sctp'"),
    (dict(protocols=[]), ValueError, "selects nothing"),
    (dict(families=[99]), ValueError, "family"),
    (dict(states=["bogus"]), ValueError, "unknown TCP state"),
    (dict(states=[]), ValueError, "selects nothing"),
    (dict(states=[99]), ValueError, "out of range"),
    (dict(states=[20]), ValueError, "invalid argument"),
    (dict(ports=[70000]), ValueError, "out of range"),
    (dict(ports=[-1]), ValueError, "out of range"),
    (dict(local_ports=[(9, 3)]), ValueError, "invalid argument"),
    (dict(local_addrs=["300.1.1.1"]), ValueError, "does not appear to be"),
    (dict(uids=[-1]), ValueError, "out of range"),
    (dict(pids=[2 ** 40]), ValueError, "out of range"),
    (dict(names=["a\0b"]), ValueError, "NUL"),
    (dict(source="bogus"), ValueError, "unknown source"),
    (dict(order="bogus"), ValueError, "unknown source or order"),
    (dict(netns=["/dev/null"]), ValueError, "invalid argument"),
    (dict(netns=["/nonexistent/ns"]), FileNotFoundError, "nonexistent"),
    (dict(netns=[987654]), OSError, "not an open file descriptor"),
    (dict(bogus=1), TypeError, "bogus"),
    (dict(states=[None]), TypeError, ""),
])
def test_bad_arguments(kw, exc, match):
    with pytest.raises(exc, match=match):
        tcptable.connections(**kw)
    with pytest.raises(exc, match=match):
        list(tcptable.iter_connections(**kw))


def test_closed_namespace_descriptor_is_ebadf():
    import errno
    with pytest.raises(OSError) as e:
        tcptable.connections(netns=[987654])
    assert e.value.errno == errno.EBADF


def test_raw_module_checks_its_input():
    with pytest.raises(TypeError):
        tcptable._tcptable.connections(("bad",))
    with pytest.raises(TypeError):
        tcptable._tcptable.net_connections(["tcp"], 0)
    with pytest.raises(ValueError):
        tcptable._tcptable.net_connections(("sctp",), 0)
    with pytest.raises(TypeError):
        tcptable._tcptable._setup(*([tuple] * 6), 2, 10, 1, 2)


def test_help_reads_well():
    import pydoc
    text = pydoc.render_doc(tcptable, renderer=pydoc.plaintext)
    for name in ["net_connections", "connections", "iter_connections", "stats", "sconn",
                 "Connection", "from tcptable import net_connections"]:
        assert name in text
    assert tcptable.library_version().count(".") == 2
