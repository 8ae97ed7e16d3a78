"""Every TCP and UDP socket of a Linux host, from libtcptable (netlink sock_diag).

Two interfaces over the same library:

psutil's
    net_connections(kind="inet") returns what psutil.net_connections(kind) returns, built
    in C, about twenty times faster: switch with one line,

        from tcptable import net_connections   # was: from psutil import net_connections

    libtcptable lists TCP and UDP sockets, not UNIX ones: the kinds that need them ("unix",
    "all") raise ValueError rather than return a partial answer.

native
    connections(...) and iter_connections(...) take the library's query (states,
    families, ports, addresses, uids, pids, process names, owners, tcp_info, network
    namespaces, source, order) and give Connection records with every field of the C row;
    the iterator streams them without holding them all. stats() reads the kernel's TCP
    counters.

The GIL is released while the library works. Errors are ValueError for bad arguments,
PermissionError and other OSError subclasses (with errno and the library's message) for
what the system refused, MemoryError when memory ran out.
"""
import collections
import ipaddress
import os
import socket

from . import _tcptable

__all__ = ["net_connections", "connections", "iter_connections", "stats", "sconn", "addr",
           "Connection", "Owner", "TcpInfo", "Stats", "ConnectionStream", "PROTOCOLS",
           "KINDS", "library_version"]

# --- records ----------------------------------------------------------------------------
# Plain namedtuple classes, as psutil's: tuples with field names, _asdict(), _replace(),
# pickling. The C part fills instances directly (what tuple.__new__ does), one per row.

sconn = collections.namedtuple("sconn", ["fd", "family", "type", "laddr", "raddr", "status",
                                         "pid"])
sconn.__doc__ = """A socket, as psutil.net_connections() reports it (psutil._common.sconn).

fd      the descriptor of the process below; -1 when no process the caller may inspect
        holds it (TIME-WAIT, SYN-RECV, other users' processes without privileges)
family  socket.AF_INET or socket.AF_INET6
type    socket.SOCK_STREAM
laddr   addr(ip, port), or () when the port is 0
raddr   addr(ip, port), or () for listeners
status  psutil's status string: "ESTABLISHED", "SYN_SENT", ..., "LISTEN", "CLOSING"
pid     the process holding it (of several, the highest pid, as psutil), or None
"""
addr = collections.namedtuple("addr", ["ip", "port"])
addr.__doc__ = "An endpoint, as psutil's addr: ip as inet_ntop() spells it, port an int."

Connection = collections.namedtuple("Connection", [
    "protocol", "family", "state", "local_addr", "local_port", "remote_addr", "remote_port",
    "scope_id", "uid", "inode", "cookie", "cgroup_id", "netns", "rqueue", "wqueue", "timer",
    "timer_expires_ms", "retransmits", "owners", "info"])
Connection.__doc__ = """One socket with every field of libtcptable's row (struct tcpt_conn).

protocol          "tcp" or "udp"
family            socket.AF_INET or socket.AF_INET6
state             the library's name: "ESTABLISHED", "SYN-SENT", ..., "LISTEN", "CLOSING"
local_addr        the address as inet_ntop() spells it ("0.0.0.0", "::" when unbound)
local_port        int
remote_addr       likewise ("0.0.0.0", "::" for listeners)
remote_port       int, 0 for listeners
scope_id          index of the interface the socket is bound to, 0 when unbound
uid               owner uid as the kernel records it (0 for TIME-WAIT)
inode             socket inode (0 for TIME-WAIT and SYN-RECV)
cookie            the kernel's socket cookie (0 from the /proc source)
cgroup_id         cgroup v2 id of the socket's creator (0 from the /proc source)
netns             inode of the socket's network namespace
rqueue, wqueue    receive and send queues (for LISTEN: accept queue and backlog limit)
timer             "off", "on", "keepalive", "timewait", "persist"
timer_expires_ms  time until the timer fires, 0 without one
retransmits       retransmits (or keepalive probes) of the running timer
owners            tuple of Owner, ordered by (pid, fd); () unless owners were asked for
info              TcpInfo when tcp_info was asked for and the kernel gave it, else None
"""
Owner = collections.namedtuple("Owner", ["pid", "fd", "name", "exe"])
Owner.__doc__ = """A process holding a descriptor for a socket. name (/proc/PID/comm) and exe
(/proc/PID/exe) are str decoded with surrogateescape (untrusted bytes: a process names
itself), None unless processes=True or when they could not be read."""
TcpInfo = collections.namedtuple("TcpInfo", [
    "rtt_us", "rttvar_us", "min_rtt_us", "rto_us", "ato_us", "snd_mss", "rcv_mss", "pmtu",
    "snd_cwnd", "snd_ssthresh", "retrans", "total_retrans", "lost", "last_data_sent_ms",
    "last_data_recv_ms", "last_ack_recv_ms", "bytes_sent", "bytes_retrans", "bytes_acked",
    "bytes_received", "delivery_rate", "pacing_rate", "segs_out", "segs_in", "ca_state",
    "congestion"])
TcpInfo.__doc__ = """The kernel's tcp_info and congestion algorithm for one connection
(struct tcpt_tcp_info; fields an older kernel does not report are 0)."""
Stats = collections.namedtuple("Stats", [
    "rto_algorithm", "rto_min_ms", "rto_max_ms", "max_conn", "active_opens",
    "passive_opens", "attempt_fails", "estab_resets", "curr_estab", "in_segs", "out_segs",
    "retrans_segs", "in_errs", "out_rsts", "in_csum_errors"])
Stats.__doc__ = """The kernel's TCP counters (the Tcp lines of /proc/net/snmp; Linux counts
IPv4 and IPv6 together); max_conn is -1: no fixed limit."""

_tcptable._setup(sconn, addr, Connection, Owner, TcpInfo, Stats, socket.AF_INET,
                 socket.AF_INET6, socket.SOCK_STREAM, socket.SOCK_DGRAM)
ConnectionStream = _tcptable.ConnectionStream

# --- psutil's kinds -----------------------------------------------------------------------

_IPV4, _IPV6, _BOTH = 1, 2, 0  # the library's family mask (TCPT_FAMILY_*; 0: both)

#: The protocols this libtcptable lists. A kind that needs another raises ValueError.
PROTOCOLS = frozenset({"tcp", "udp"})

# psutil's kinds (psutil/_pslinux.py, Connections.tmap): protocols and families.
_KINDS = {
    "all": (("tcp", "udp", "unix"), _BOTH),
    "tcp": (("tcp",), _BOTH),
    "tcp4": (("tcp",), _IPV4),
    "tcp6": (("tcp",), _IPV6),
    "udp": (("udp",), _BOTH),
    "udp4": (("udp",), _IPV4),
    "udp6": (("udp",), _IPV6),
    "unix": (("unix",), _BOTH),
    "inet": (("tcp", "udp"), _BOTH),
    "inet4": (("tcp", "udp"), _IPV4),
    "inet6": (("tcp", "udp"), _IPV6),
}

#: The kinds net_connections() answers with this libtcptable.
KINDS = tuple(k for k, (protos, _) in _KINDS.items() if set(protos) <= PROTOCOLS)


def net_connections(kind="inet"):
    """Return the host's sockets as psutil.net_connections(kind) does.

    A list of sconn(fd, family, type, laddr, raddr, status, pid) namedtuples, equal as a
    multiset to psutil's for the same sockets, in no particular order. The sockets are
    those of the calling thread's network namespace; their owners are found among every
    process the caller may inspect (fd -1 and pid None for the others).

    kind is one of psutil's: "inet" (the default), "inet4", "inet6", "tcp", "tcp4", "tcp6",
    "udp", "udp4", "udp6" are answered; "unix" and "all" need UNIX sockets, which this
    libtcptable does not list, and raise ValueError (as does any other value), so that no
    caller mistakes a partial answer for psutil's. KINDS lists what is answered.
    """
    try:
        protocols, families = _KINDS[kind]
    except (KeyError, TypeError):
        raise ValueError("invalid %r kind argument; choose between %s"
                         % (kind, ", ".join(repr(k) for k in _KINDS))) from None
    missing = [p for p in protocols if p not in PROTOCOLS]
    if missing:
        raise ValueError("kind %r needs %s sockets, which this tcptable does not list; "
                         "kinds it answers: %s" % (kind, " and ".join(p.upper() for p in missing),
                                                   ", ".join(KINDS)))
    return _tcptable.net_connections(protocols, families)


# --- the native query ---------------------------------------------------------------------

_SOURCES = {"auto": 0, "netlink": 1, "proc": 2, "bpf": 3}
_ORDERS = {"kernel": 0, "address": 1}
_WANT_OWNERS, _WANT_PROCESS, _WANT_INFO = 1, 2, 4


def _families(families):
    if families is None:
        return _BOTH
    mask = 0
    for f in families:
        if f == socket.AF_INET:
            mask |= _IPV4
        elif f == socket.AF_INET6:
            mask |= _IPV6
        else:
            raise ValueError("family %r: expected socket.AF_INET or socket.AF_INET6" % (f,))
    return mask


def _states(states):
    if states is None:
        return 0
    mask = 0
    for s in states:
        n = _tcptable.state_from_name(s) if isinstance(s, str) else int(s)
        if not 0 < n < 32:
            raise ValueError("state %r out of range" % (s,))
        mask |= 1 << n
    if not mask:
        raise ValueError("states: an empty list selects nothing; None means every state")
    return mask


def _ports(ports):
    out = []
    for p in ports:
        first, last = (p, p) if isinstance(p, int) else p
        if not (0 <= first <= 65535 and 0 <= last <= 65535):
            raise ValueError("port %r out of range" % (p,))
        out.append((first, last))
    return tuple(out)


def _prefixes(addrs):
    out = []
    for a in addrs:
        net = ipaddress.ip_network(a, strict=False)  # ValueError for a bad address
        family = socket.AF_INET if net.version == 4 else socket.AF_INET6
        out.append((int(family), net.prefixlen, net.network_address.packed.ljust(16, b"\0")))
    return tuple(out)


def _names(names):
    return tuple(os.fsencode(n) for n in names)


def _open_netns(netns, opened):
    fds = []
    for ns in netns:
        if isinstance(ns, int) or hasattr(ns, "fileno"):
            fds.append(ns)
        else:
            fd = os.open(ns, os.O_RDONLY | os.O_CLOEXEC)
            opened.append(fd)
            fds.append(fd)
    return tuple(fds)


def _call(fn, protocols, families, states, local_ports, remote_ports, ports, local_addrs,
          remote_addrs, uids, pids, names, owners, processes, tcp_info, netns, source, order):
    if isinstance(protocols, str):
        protocols = (protocols,)
    protocols = tuple(protocols)
    for p in protocols:
        if p not in PROTOCOLS:
            raise ValueError("protocol %r: this tcptable lists %s" % (p, ", ".join(PROTOCOLS)))
    if not protocols:
        raise ValueError("protocols: an empty list selects nothing")
    try:
        src, ordr = _SOURCES[source], _ORDERS[order]
    except KeyError as e:
        raise ValueError("unknown source or order %s (sources: %s; orders: %s)"
                         % (e, ", ".join(_SOURCES), ", ".join(_ORDERS))) from None
    want = ((_WANT_OWNERS if owners or processes else 0) | (_WANT_PROCESS if processes else 0)
            | (_WANT_INFO if tcp_info else 0))
    lists = (_ports(local_ports), _ports(remote_ports), _ports(ports), _prefixes(local_addrs),
             _prefixes(remote_addrs), tuple(int(u) for u in uids), tuple(int(p) for p in pids),
             _names(names))
    filt = lists if any(lists) else None
    opened = []
    try:
        spec = (protocols, _families(families), _states(states), want, src, ordr, filt,
                _open_netns(netns or (), opened))
        return fn(spec)
    finally:
        for fd in opened:
            os.close(fd)


_QUERY_DOC = """
    protocols      protocol names, of PROTOCOLS ("tcp")
    families       None (both) or an iterable of socket.AF_INET, socket.AF_INET6
    states         None (every state) or names ("ESTABLISHED", "time-wait", "SYN_SENT"...)
                   or numbers of the kernel's TCP states; filtered by the kernel
    local_ports, remote_ports, ports (either end)
                   ints or (first, last) ranges; filtered by the kernel
    local_addrs, remote_addrs
                   addresses or prefixes: "127.0.0.1", "10.0.0.0/8", "::1", ipaddress
                   objects (an IPv4 prefix also matches IPv4-mapped IPv6 addresses)
    uids, pids     sockets of these uids; sockets held by these processes (any owner)
    names          sockets held by processes of these exact names (/proc/PID/comm)
    owners         join the processes holding each socket (Owner(pid, fd, None, None))
    processes      also each owner's name and executable (implies owners)
    tcp_info       the kernel's tcp_info and congestion algorithm (netlink only)
    netns          None (the calling thread's namespace) or namespaces to read, all in
                   one answer: paths (/run/netns/NAME, /proc/PID/ns/net), open
                   descriptors or files; the calling thread never changes namespace
    source         "auto" (rows from netlink, /proc when refused; owners from the BPF
                   iterator where the caller may load it, else the /proc fd scan),
                   "netlink", "proc", or "bpf" (owners from BPF wherever it loads, silently
                   /proc where it does not). The interpreter loads the BPF program once
                   and keeps it (a tcpt_context): later calls pay only the walk
    order          "kernel" (as delivered) or "address" (IPv4 first, then numeric local
                   address, local port, remote address, remote port)
    Lists combine with "and", the items of one list with "or"; an empty list is no
    condition. Bad values raise ValueError (or TypeError for a wrong type).
"""


def connections(*, protocols=("tcp",), families=None, states=None, local_ports=(),
                remote_ports=(), ports=(), local_addrs=(), remote_addrs=(), uids=(), pids=(),
                names=(), owners=False, processes=False, tcp_info=False, netns=None,
                source="auto", order="kernel"):
    return _call(_tcptable.connections, protocols, families, states, local_ports,
                 remote_ports, ports, local_addrs, remote_addrs, uids, pids, names, owners,
                 processes, tcp_info, netns, source, order)


connections.__doc__ = """Return a list of Connection records, one per socket the query selects.

One consistent snapshot (deduplicated; with owners, the /proc fd scan runs beside the
kernel's dump). Keyword arguments:
""" + _QUERY_DOC


def iter_connections(*, protocols=("tcp",), families=None, states=None, local_ports=(),
                     remote_ports=(), ports=(), local_addrs=(), remote_addrs=(), uids=(),
                     pids=(), names=(), owners=False, processes=False, tcp_info=False,
                     netns=None, source="auto", order="kernel"):
    return _call(_tcptable.iterate, protocols, families, states, local_ports, remote_ports,
                 ports, local_addrs, remote_addrs, uids, pids, names, owners, processes,
                 tcp_info, netns, source, order)


iter_connections.__doc__ = """Return a ConnectionStream: the records of connections(), streamed.

Rows come as the kernel delivers them and only a few batches are held at any time, however
many sockets there are (tcpt_snapshot_stream()). With owners, the fd scan runs before the
dump; with order="address", netns or the /proc source, the library collects first. Errors
of the library are raised by the next() that meets them. Use it in a with block, or call
close(), to stop early; afterwards .rows, .unreadable_processes, .source and .owner_source
give the counts and the sources used.
Keyword arguments as connections():
""" + _QUERY_DOC


def stats():
    """Return the kernel's TCP counters, a Stats record (calling thread's namespace)."""
    return _tcptable.stats()


def library_version():
    """Return the version of libtcptable actually loaded, "MAJOR.MINOR.PATCH"."""
    return _tcptable.version()
