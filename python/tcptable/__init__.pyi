# Type stubs of the tcptable package (see __init__.py for the documentation).
import ipaddress
import os
import socket
from typing import Iterable, Iterator, Literal, NamedTuple, Optional, Tuple, Union

_Kind = Literal["inet", "inet4", "inet6", "tcp", "tcp4", "tcp6", "udp", "udp4", "udp6",
                "unix", "all"]
_Port = Union[int, Tuple[int, int]]
_Address = Union[str, "ipaddress.IPv4Network", "ipaddress.IPv6Network",
                 "ipaddress.IPv4Address", "ipaddress.IPv6Address"]
_Netns = Union[str, bytes, os.PathLike, int]



PROTOCOLS: frozenset[str]
KINDS: Tuple[str, ...]

class addr(NamedTuple):
    ip: str
    port: int

class sconn(NamedTuple):
    fd: int
    family: socket.AddressFamily
    type: socket.SocketKind
    laddr: Union[addr, Tuple[()]]
    raddr: Union[addr, Tuple[()]]
    status: str
    pid: Optional[int]

class Owner(NamedTuple):
    pid: int
    fd: int
    name: Optional[str]
    exe: Optional[str]

class TcpInfo(NamedTuple):
    rtt_us: int
    rttvar_us: int
    min_rtt_us: int
    rto_us: int
    ato_us: int
    snd_mss: int
    rcv_mss: int
    pmtu: int
    snd_cwnd: int
    snd_ssthresh: int
    retrans: int
    total_retrans: int
    lost: int
    last_data_sent_ms: int
    last_data_recv_ms: int
    last_ack_recv_ms: int
    bytes_sent: int
    bytes_retrans: int
    bytes_acked: int
    bytes_received: int
    delivery_rate: int
    pacing_rate: int
    segs_out: int
    segs_in: int
    ca_state: int
    congestion: str

class Connection(NamedTuple):
    protocol: str
    family: socket.AddressFamily
    state: str
    local_addr: str
    local_port: int
    remote_addr: str
    remote_port: int
    scope_id: int
    uid: int
    inode: int
    cookie: int
    cgroup_id: int
    netns: int
    rqueue: int
    wqueue: int
    timer: str
    timer_expires_ms: int
    retransmits: int
    owners: Tuple[Owner, ...]
    info: Optional[TcpInfo]

class Stats(NamedTuple):
    rto_algorithm: int
    rto_min_ms: int
    rto_max_ms: int
    max_conn: int
    active_opens: int
    passive_opens: int
    attempt_fails: int
    estab_resets: int
    curr_estab: int
    in_segs: int
    out_segs: int
    retrans_segs: int
    in_errs: int
    out_rsts: int
    in_csum_errors: int

class ConnectionStream(Iterator[Connection]):
    rows: Optional[int]
    unreadable_processes: Optional[int]
    source: Optional[int]
    owner_source: Optional[int]
    def __next__(self) -> Connection: ...
    def close(self) -> None: ...
    def __enter__(self) -> "ConnectionStream": ...
    def __exit__(self, *exc: object) -> bool: ...

def net_connections(kind: _Kind = ...) -> list[sconn]: ...
def connections(*, protocols: Iterable[str] = ...,
                families: Optional[Iterable[int]] = ...,
                states: Optional[Iterable[Union[str, int]]] = ...,
                local_ports: Iterable[_Port] = ..., remote_ports: Iterable[_Port] = ...,
                ports: Iterable[_Port] = ..., local_addrs: Iterable[_Address] = ...,
                remote_addrs: Iterable[_Address] = ..., uids: Iterable[int] = ...,
                pids: Iterable[int] = ..., names: Iterable[Union[str, bytes]] = ...,
                owners: bool = ..., processes: bool = ..., tcp_info: bool = ...,
                netns: Optional[Iterable[_Netns]] = ...,
                source: Literal["auto", "netlink", "proc", "bpf"] = ...,
                order: Literal["kernel", "address"] = ...) -> list[Connection]: ...
def iter_connections(*, protocols: Iterable[str] = ...,
                     families: Optional[Iterable[int]] = ...,
                     states: Optional[Iterable[Union[str, int]]] = ...,
                     local_ports: Iterable[_Port] = ..., remote_ports: Iterable[_Port] = ...,
                     ports: Iterable[_Port] = ..., local_addrs: Iterable[_Address] = ...,
                     remote_addrs: Iterable[_Address] = ..., uids: Iterable[int] = ...,
                     pids: Iterable[int] = ..., names: Iterable[Union[str, bytes]] = ...,
                     owners: bool = ..., processes: bool = ..., tcp_info: bool = ...,
                     netns: Optional[Iterable[_Netns]] = ...,
                     source: Literal["auto", "netlink", "proc", "bpf"] = ...,
                     order: Literal["kernel", "address"] = ...) -> ConnectionStream: ...
def stats() -> Stats: ...
def library_version() -> str: ...
