"""tcptable.net_connections() against psutil.net_connections(), in a private namespace with
the known sockets of conftest.World: equal as multisets for every kind both answer, as root
and as nobody; the kinds this libtcptable cannot answer raise ValueError; the records behave
as psutil's namedtuples."""
import collections
import json
import os
import pickle
import shutil
import socket
import subprocess
import sys
import tempfile

import psutil
import pytest

import tcptable
from conftest import diff, multiset

ANSWERED = ["tcp", "tcp4", "tcp6", "udp", "udp4", "udp6", "inet", "inet4", "inet6"]
NOT_ANSWERED = ["unix", "all"]


def test_package_is_the_build_trees():
    root = os.path.realpath(os.environ["TCPT_BUILD_ROOT"])
    assert os.path.realpath(tcptable.__file__).startswith(root + os.sep)
    assert os.path.realpath(tcptable._tcptable.__file__).startswith(root + os.sep)


def test_the_known_sockets_are_there(world):
    """The test's own assumption: psutil sees the sockets the world made."""
    world.fresh_time_wait()
    rows = psutil.net_connections("tcp")
    states = collections.Counter(r.status for r in rows)
    assert states["TIME_WAIT"] >= 1 and states["CLOSE_WAIT"] == 1
    assert states["FIN_WAIT2"] == 1 and states["LISTEN"] == 7
    assert states["ESTABLISHED"] == 6  # est4, est6, mapped: both ends


@pytest.mark.parametrize("kind", ANSWERED)
def test_equal_to_psutil_as_root(world, kind):
    world.fresh_time_wait()
    got, want = tcptable.net_connections(kind), psutil.net_connections(kind)
    assert multiset(got) == multiset(want), diff(got, want)
    assert len(got) == len(want)


def test_udp_sockets_are_there_as_psutil_shows_them(world):
    rows = tcptable.net_connections("udp")
    mine = {r.laddr.port: r for r in rows if r.laddr}
    for s, peer in ((world.udp4, None), (world.udp6, None), (world.udpc, world.udp4)):
        r = mine[s.getsockname()[1]]
        assert (r.type, r.status, r.pid) == (socket.SOCK_DGRAM, "NONE", os.getpid())
        assert r.raddr == (() if peer is None else (peer.getsockname()[0], peer.getsockname()[1]))
    assert all(r.type == socket.SOCK_STREAM for r in tcptable.net_connections("tcp"))


def test_default_kind_is_inet():
    assert multiset(tcptable.net_connections()) == multiset(tcptable.net_connections("inet"))


@pytest.mark.parametrize("kind", NOT_ANSWERED)
def test_kinds_needing_udp_or_unix_raise(kind):
    psutil.net_connections(kind)  # a kind psutil knows
    with pytest.raises(ValueError, match="needs (UNIX|UDP and UNIX) sockets"):
        tcptable.net_connections(kind)


@pytest.mark.parametrize("kind", ["TCP", "tcp7", "", None, 4, b"tcp"])
def test_unknown_kinds_raise_as_psutil(kind):
    with pytest.raises(ValueError):
        psutil.net_connections(kind)
    with pytest.raises(ValueError, match="invalid .* kind argument"):
        tcptable.net_connections(kind)


def test_kinds_listed():
    assert tcptable.KINDS == ("tcp", "tcp4", "tcp6", "udp", "udp4", "udp6", "inet", "inet4",
                              "inet6")
    assert tcptable.PROTOCOLS == {"tcp", "udp"}


def test_records_behave_as_psutils(world):
    rows = tcptable.net_connections("tcp")
    ref = psutil.net_connections("tcp")
    c = next(r for r in rows if r.raddr)
    p = next(r for r in ref if r.raddr)
    assert isinstance(c, tuple) and len(c) == 7
    assert type(c)._fields == type(p)._fields == ("fd", "family", "type", "laddr", "raddr",
                                                  "status", "pid")
    assert list(c._asdict()) == list(p._asdict())
    assert type(c.laddr)._fields == type(p.laddr)._fields == ("ip", "port")
    assert c.laddr.ip == c.laddr[0] and c.laddr.port == c.laddr[1]
    assert c._replace(pid=1).pid == 1
    assert pickle.loads(pickle.dumps(c)) == c
    assert repr(c).startswith("sconn(fd=")
    for r in rows:
        assert type(r.family) is socket.AddressFamily and type(r.type) is socket.SocketKind
        assert r.type is socket.SOCK_STREAM
        assert r.family in (socket.AF_INET, socket.AF_INET6)
        assert r.laddr == () or (type(r.laddr.ip) is str and type(r.laddr.port) is int)
        assert type(r.status) is str and type(r.fd) is int
        assert r.pid is None or type(r.pid) is int
        assert (r.pid is None) == (r.fd == -1)


def test_shared_socket_reported_by_highest_pid_and_its_lowest_fd(world):
    port = world.shared.getsockname()[1]
    rows = [r for r in tcptable.net_connections("tcp4") if r.laddr and r.laddr.port == port]
    assert len(rows) == 1
    assert world.holder.pid > os.getpid()  # the premise: the child's pid is the higher one
    assert (rows[0].pid, rows[0].fd) == (world.holder.pid, world.holder_fds[0])
    assert [r for r in psutil.net_connections("tcp4") if r.laddr and r.laddr.port == port] \
        == rows


def test_time_wait_has_no_owner(world):
    port = world.fresh_time_wait()
    rows = [r for r in tcptable.net_connections("tcp4") if r.status == "TIME_WAIT"]
    assert {(r.fd, r.pid) for r in rows} == {(-1, None)}
    assert port in [r.laddr.port for r in rows]


def test_ipv4_mapped_address_spelled_as_psutil(world):
    port = world.mapped[0].getsockname()[1]
    rows = [r for r in tcptable.net_connections("tcp6") if r.laddr and r.laddr.port == port]
    assert [r.laddr.ip for r in rows] == ["::ffff:127.0.0.1"]
    assert rows[0].raddr == ("::ffff:127.0.0.1", world.listen4.getsockname()[1])


# --- as nobody -----------------------------------------------------------------------------

NOBODY_SCRIPT = r"""
import json, socket, sys
import psutil, tcptable
mine = socket.socket()
mine.bind(("127.0.0.1", 0))
mine.listen(1)
out = {"port": mine.getsockname()[1], "kinds": {}}
for kind in ("tcp", "tcp4", "tcp6", "udp", "udp4", "udp6", "inet", "inet4", "inet6"):
    out["kinds"][kind] = {
        "tcptable": [list(r) for r in tcptable.net_connections(kind)],
        "psutil": [list(r) for r in psutil.net_connections(kind)],
    }
try:
    tcptable.connections(netns=[int(sys.argv[1])])
    out["netns"] = "no error"
except PermissionError as e:
    out["netns"] = ["PermissionError", e.errno]
except Exception as e:
    out["netns"] = [type(e).__name__, str(e)]
json.dump(out, sys.stdout)
"""


def public_copy():
    """The package and libtcptable copied where uid 65534 may read them (the build tree may
    lie under a directory nobody cannot enter)."""
    d = tempfile.mkdtemp(prefix="tcpt-py-nobody-")
    os.chmod(d, 0o755)
    shutil.copytree(os.path.dirname(tcptable.__file__), os.path.join(d, "tcptable"),
                    ignore=shutil.ignore_patterns("*.p", "__pycache__"))
    os.mkdir(os.path.join(d, "lib"))
    shutil.copy(os.path.join(os.environ["TCPT_BUILD_ROOT"], "src", "lib", "libtcptable.so.0"),
                os.path.join(d, "lib"))
    for root, dirs, files in os.walk(d):
        for n in dirs + files:
            os.chmod(os.path.join(root, n), 0o755)
    return d


def as_nobody(script, *args, pass_fds=()):
    d = public_copy()
    try:
        env = dict(os.environ, PYTHONPATH=d, LD_LIBRARY_PATH=os.path.join(d, "lib"),
                   HOME="/nonexistent")
        r = subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                           text=True, env=env, user=65534, group=65534, extra_groups=[],
                           cwd="/", pass_fds=pass_fds, timeout=60)
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout)
    finally:
        shutil.rmtree(d)


def plain(rows):
    """JSON rows back as comparable tuples."""
    return [tuple(tuple(x) if isinstance(x, list) else x for x in r) for r in rows]


@pytest.fixture(scope="module")
def nobody(world):
    if os.geteuid() != 0:
        pytest.skip("becoming nobody needs root")
    world.fresh_time_wait()
    fd = os.open("/proc/self/ns/net", os.O_RDONLY)
    try:
        return as_nobody(NOBODY_SCRIPT, str(fd), pass_fds=[fd])
    finally:
        os.close(fd)


@pytest.mark.parametrize("kind", ANSWERED)
def test_equal_to_psutil_as_nobody(nobody, kind):
    got, want = (plain(nobody["kinds"][kind][k]) for k in ("tcptable", "psutil"))
    assert multiset(got) == multiset(want), diff(got, want)


def test_as_nobody_only_its_own_socket_has_an_owner(nobody, world):
    rows = plain(nobody["kinds"]["tcp"]["tcptable"])
    owned = [r for r in rows if r[6] is not None]
    assert [(r[3][1], r[5]) for r in owned] == [(nobody["port"], "LISTEN")]


def test_as_nobody_equal_unowned_rows_are_reported_once(nobody, world):
    port = world.reuse[0].getsockname()[1]
    rows = [r for r in plain(nobody["kinds"]["tcp4"]["tcptable"]) if r[3] and r[3][1] == port]
    assert len(rows) == 1 and rows[0][0] == -1
    assert len([r for r in tcptable.net_connections("tcp4") if r.laddr and
                r.laddr.port == port]) == 2  # as root: two sockets, two fds


def test_as_nobody_entering_a_namespace_is_permission_error(nobody):
    assert nobody["netns"] == ["PermissionError", 1]
