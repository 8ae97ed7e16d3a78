"""Shared by the tests of the tcptable Python package (tests/python/test_*.py).

Each test program (one pytest run per file, see meson.build) moves into a private network
namespace of its own before any test runs (root needed; without root every test that needs
it is skipped loudly, and under CI=true fails), and makes there the known sockets of World.
The package under test is the build tree's (PYTHONPATH), imported by /usr/bin/python3 or the
interpreter the build chose.
"""
import ctypes
import os
import socket
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.join(os.environ.get("TCPT_SOURCE_ROOT", ""), "tests", "cmd"))
import cmdlib  # noqa: E402  (the command tests' socket helpers: tcp_info, cookies, queues)

CLONE_NEWNET = 0x40000000
NETNS_ERROR = None


def pytest_configure(config):
    """Enter the private namespace first, while this process has a single thread."""
    global NETNS_ERROR
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNET) != 0:
        e = ctypes.get_errno()
        NETNS_ERROR = os.strerror(e) + (" (not root)" if os.geteuid() else "")
    else:
        r = subprocess.run(["ip", "link", "set", "lo", "up"], capture_output=True, text=True)
        if r.returncode:
            NETNS_ERROR = "ip link set lo up: " + r.stderr.strip()
    if NETNS_ERROR:
        sys.stderr.write("\n*** tests/python: no private network namespace (%s): the tests "
                         "that need one are %s.\n\n"
                         % (NETNS_ERROR, "FAILED (CI=true)" if in_ci() else "SKIPPED"))


def in_ci():
    return os.environ.get("CI") == "true"


def need_netns():
    if NETNS_ERROR:
        if in_ci():
            pytest.fail("no private network namespace under CI=true: " + NETNS_ERROR)
        pytest.skip("no private network namespace: " + NETNS_ERROR)


@pytest.fixture(scope="session")
def netns():
    need_netns()
    return os.stat("/proc/self/ns/net").st_ino


def cgroup_id():
    """The cgroup v2 id of this process: the inode of its cgroup directory."""
    with open("/proc/self/cgroup") as f:
        for line in f:
            if line.startswith("0::"):
                return os.stat("/sys/fs/cgroup" + line[3:].strip()).st_ino
    return None


class World:
    """The known sockets, each in a state it keeps while the tests run.

    listen4, listen6     listeners on 127.0.0.1 and [::1] (IPv6-only)
    dual                 a dual-stack listener on [::]
    reuse                two SO_REUSEPORT listeners on one 127.0.0.1 port (as nobody they
                         are equal tuples, which psutil's set reports once)
    est4                 (client, server) established over IPv4; the server has 100 unread
                         bytes, the client keepalive armed
    est6                 (client, server) over [::1]
    mapped               an IPv6 client of listen4 (::ffff:127.0.0.1), and its server end
    half                 (client, server): client shut down its writing side: FIN-WAIT-2 and
                         CLOSE-WAIT
    tw_port              the local port of a closed connection in TIME-WAIT (no owner); the
                         kernel drops it after 60 s: fresh_time_wait() makes another when
                         it is older than 30 s (the old one stays until it expires)
    device               a listener bound to lo (scope id 1)
    shared               a listener this process holds twice (fd, dup) and a child holds at
                         another fd number; the child's pid is in holder
    udp4, udp6           unconnected UDP sockets on 127.0.0.1 and [::1]
    udpc                 a UDP socket on 127.0.0.1 connected to udp4
    """

    def __init__(self):
        self.socks = []
        self.listen4 = self.keep(cmdlib.listener(socket.AF_INET, "127.0.0.1", 0))
        self.listen6 = self.keep(cmdlib.listener(socket.AF_INET6, "::1", 0, v6only=True))
        self.dual = self.keep(cmdlib.listener(socket.AF_INET6, "::", 0))
        self.reuse = [self.reuseport(0)]
        self.reuse.append(self.reuseport(self.reuse[0].getsockname()[1]))
        self.device = self.keep(cmdlib.listener(socket.AF_INET, "127.0.0.1", 0, device="lo"))
        self.est4 = self.pair(self.listen4, socket.AF_INET, "127.0.0.1")
        self.est4[0].setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        self.est4[0].setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 600)
        self.est4[0].sendall(b"x" * 100)
        self.est6 = self.pair(self.listen6, socket.AF_INET6, "::1")
        self.mapped = self.pair(self.listen4, socket.AF_INET6, "::ffff:127.0.0.1")
        self.half = self.pair(self.listen4, socket.AF_INET, "127.0.0.1")
        self.half[0].shutdown(socket.SHUT_WR)
        cmdlib.wait_state(self.half[0], "FIN-WAIT-2")
        cmdlib.wait_state(self.half[1], "CLOSE-WAIT")
        self.make_time_wait()
        self.shared = self.keep(cmdlib.listener(socket.AF_INET, "127.0.0.1", 0))
        self.shared_dup = os.dup(self.shared.fileno())
        self.holder = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(self.shared_dup)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, pass_fds=[self.shared_dup])
        self.holder_fds = sorted(int(x) for x in self.holder.stdout.readline().split())
        self.wait_received(self.est4[1], 100)
        self.udp4 = self.keep(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
        self.udp4.bind(("127.0.0.1", 0))
        self.udp6 = self.keep(socket.socket(socket.AF_INET6, socket.SOCK_DGRAM))
        self.udp6.bind(("::1", 0))
        self.udpc = self.keep(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
        self.udpc.bind(("127.0.0.1", 0))
        self.udpc.connect(self.udp4.getsockname())

    def make_time_wait(self):
        c, s = self.pair(self.listen4, socket.AF_INET, "127.0.0.1", keep=False)
        self.tw_port = c.getsockname()[1]
        c.close()
        s.close()
        self.tw_made = time.monotonic()
        self.wait_time_wait()

    def fresh_time_wait(self):
        """The port of a TIME-WAIT socket that will last 30 s more."""
        if time.monotonic() - self.tw_made > 30:
            self.make_time_wait()
        return self.tw_port

    def keep(self, s):
        self.socks.append(s)
        return s

    def reuseport(self, port):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        s.bind(("127.0.0.1", port))
        s.listen(4)
        return self.keep(s)

    def pair(self, listener, family, host, keep=True):
        c = socket.socket(family, socket.SOCK_STREAM)
        c.connect((host, listener.getsockname()[1]))
        s, _ = listener.accept()
        if keep:
            self.keep(c)
            self.keep(s)
        return c, s

    @staticmethod
    def wait_received(sock, n):
        deadline = time.monotonic() + 5
        while cmdlib.inq(sock) < n and time.monotonic() < deadline:
            time.sleep(0.005)

    def wait_time_wait(self):
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            with open("/proc/net/tcp") as f:
                if any(":%04X " % self.tw_port in line and line.split()[3] == "06"
                       for line in f):
                    return
            time.sleep(0.005)
        raise AssertionError("no TIME-WAIT socket appeared")

    def close(self):
        self.holder.stdin.close()
        self.holder.wait()
        os.close(self.shared_dup)
        for s in self.socks:
            s.close()


# The child holding the shared listener (named tcpt-holder): it moves the descriptor to 200, keeps a second
# copy at 150, says which fds it holds, and waits for its stdin to close.
HOLDER = """
import ctypes, os, sys
ctypes.CDLL(None).prctl(15, b"tcpt-holder", 0, 0, 0)  # PR_SET_NAME: /proc/PID/comm
fd = int(sys.argv[1])
os.dup2(fd, 200)
os.dup2(fd, 150)
os.close(fd)
print(150, 200, flush=True)
sys.stdin.read()
"""


@pytest.fixture(scope="session")
def world(netns):
    w = World()
    yield w
    w.close()


def multiset(rows):
    """Rows as a sorted list of plain tuples (for messages) and as a Counter."""
    import collections
    return collections.Counter(tuple(r) for r in rows)


def diff(got, want):
    """What differs between two multisets of rows, for an assertion message."""
    g, w = multiset(got), multiset(want)
    return "\nonly here:\n%s\nonly in the reference:\n%s" % (
        "\n".join("  %r x%d" % kv for kv in (g - w).items()) or "  (none)",
        "\n".join("  %r x%d" % kv for kv in (w - g).items()) or "  (none)")
