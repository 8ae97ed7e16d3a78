"""udpholder.py - UDP sockets with known states and traffic, for the exporter's tests.

usage: udpholder.py NETNS_PATH NAME

Enters the network namespace at NETNS_PATH, names itself NAME (/proc/PID/comm), and makes
  A  127.0.0.1:7501, bound, unconnected (SO_REUSEPORT)
  B  127.0.0.1:7501 (SO_REUSEPORT), connected to 127.0.0.1:7503
  C  127.0.0.1:7503, connected to 127.0.0.1:7501; sends two 100-byte datagrams (to A or B)
  D  [::1]:7502, bound, unconnected
  E  [::1]:7504, connected to [::1]:7502; sends two 50-byte datagrams (to D)
and A sends one datagram to 127.0.0.1:7509, where nobody is bound (the kernel's NoPorts).
One datagram of each family is read (the kernel counts InDatagrams when a datagram is read),
the other stays in a receive buffer. So the namespace's counters become: Udp InDatagrams 1,
NoPorts 1, OutDatagrams 3; Udp6 InDatagrams 1, NoPorts 0, OutDatagrams 2.
Prints one JSON line ({"pid"}) once the datagrams have arrived, then keeps everything until
its standard input closes.
"""
import ctypes
import json
import os
import select
import socket
import sys

libc = ctypes.CDLL(None, use_errno=True)
fd = os.open(sys.argv[1], os.O_RDONLY)
if libc.setns(fd, 0x40000000) != 0:
    sys.exit('udpholder: setns: ' + os.strerror(ctypes.get_errno()))
os.close(fd)
if libc.prctl(15, ctypes.c_char_p(sys.argv[2].encode()), 0, 0, 0) != 0:
    sys.exit('udpholder: prctl: ' + os.strerror(ctypes.get_errno()))


def udp(family, local, reuseport=False, peer=None):
    s = socket.socket(family, socket.SOCK_DGRAM)
    if reuseport:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    s.bind(local)
    if peer:
        s.connect(peer)
    return s


V4, V6 = socket.AF_INET, socket.AF_INET6
a = udp(V4, ('127.0.0.1', 7501), reuseport=True)
b = udp(V4, ('127.0.0.1', 7501), reuseport=True, peer=('127.0.0.1', 7503))
c = udp(V4, ('127.0.0.1', 7503), peer=('127.0.0.1', 7501))
d = udp(V6, ('::1', 7502))
e = udp(V6, ('::1', 7504), peer=('::1', 7502))
for _ in range(2):
    c.send(b'4' * 100)
    e.send(b'6' * 50)
a.sendto(b'x', ('127.0.0.1', 7509))
for group in ([a, b], [d]):
    ready, _, _ = select.select(group, [], [], 10)
    if not ready:
        sys.exit('udpholder: a datagram did not arrive')
    ready[0].recv(1000)
    ready, _, _ = select.select(group, [], [], 10)
    if not ready:
        sys.exit('udpholder: the second datagram did not arrive')
sys.stdout.write(json.dumps({'pid': os.getpid()}) + '\n')
sys.stdout.flush()
sys.stdin.read()
