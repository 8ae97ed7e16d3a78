"""holder.py - a process that keeps sockets for the tests in tests/cmd (see cmdlib.Holder).

Arguments, done in order:
  --unshare              a new network namespace of its own, lo up
  --setns PATH           enter the network namespace at PATH
  --uid N                become uid and gid N (no supplementary groups)
  --name NAME            set its name (/proc/PID/comm); NAME is raw bytes
  --listen FAM ADDR PORT a listening socket (FAM 4 or 6)
  --connect FAM ADDR PORT  a connected socket
  --exec PATH ARG...     (last) exec PATH with the sockets still open (inheritable)
It prints one JSON line: {"pid", "netns", "uid", "sockets": [{"fd", "family", "local",
"remote",
"inode", "cookie"}]}, then keeps everything until its standard input closes.
"""
import ctypes
import json
import os
import socket
import struct
import subprocess
import sys

libc = ctypes.CDLL(None, use_errno=True)
args = [os.fsencode(a) for a in sys.argv[1:]]
socks = []
exec_argv = None
i = 0
while i < len(args):
    a = args[i].decode('latin-1')
    if a == '--unshare':
        if libc.unshare(0x40000000) != 0:
            sys.exit('holder: unshare: ' + os.strerror(ctypes.get_errno()))
        subprocess.run(['ip', 'link', 'set', 'lo', 'up'], check=True)
        i += 1
    elif a == '--setns':
        fd = os.open(args[i + 1], os.O_RDONLY)
        if libc.setns(fd, 0x40000000) != 0:
            sys.exit('holder: setns: ' + os.strerror(ctypes.get_errno()))
        os.close(fd)
        i += 2
    elif a == '--uid':
        uid = int(args[i + 1])
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
        # a process that changed its uid is not dumpable, which makes /proc/PID/fd root's;
        # as any process of that user would, it is readable by its own user again
        libc.prctl(4, 1, 0, 0, 0)  # PR_SET_DUMPABLE
        i += 2
    elif a == '--name':
        name = args[i + 1]
        if libc.prctl(15, ctypes.c_char_p(name), 0, 0, 0) != 0:
            sys.exit('holder: prctl: ' + os.strerror(ctypes.get_errno()))
        i += 2
    elif a in ('--listen', '--connect'):
        fam = socket.AF_INET6 if args[i + 1] == b'6' else socket.AF_INET
        addr, port = args[i + 2].decode(), int(args[i + 3])
        s = socket.socket(fam, socket.SOCK_STREAM)
        if a == '--listen':
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((addr, port))
            s.listen(8)
        else:
            s.connect((addr, port))
        socks.append(s)
        i += 4
    elif a == '--exec':
        exec_argv = args[i + 1:]
        break
    else:
        sys.exit('holder: unknown argument ' + a)


def ends(s):
    local = s.getsockname()[:2]
    try:
        remote = s.getpeername()[:2]
    except OSError:
        remote = None
    return local, remote


info = {
    'pid': os.getpid(),
    'netns': os.stat('/proc/self/ns/net').st_ino,
    'uid': os.getuid(),
    'sockets': [{'fd': s.fileno(), 'family': 'ipv6' if s.family == socket.AF_INET6 else 'ipv4',
                 'local': ends(s)[0], 'remote': ends(s)[1], 'inode': os.fstat(s.fileno()).st_ino,
                 'cookie': struct.unpack('Q', s.getsockopt(socket.SOL_SOCKET, 57, 8))[0]}
                for s in socks],
}
sys.stdout.write(json.dumps(info) + '\n')
sys.stdout.flush()
if exec_argv:
    for s in socks:
        s.set_inheritable(True)
    os.execv(exec_argv[0], exec_argv)
sys.stdin.buffer.read()
