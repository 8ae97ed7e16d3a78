"""conns.py - many established loopback connections for the exporter's load test.

N connections are spread over worker processes (the hard RLIMIT_NOFILE here is 20,000), each
with a listener of its own and both ends of its connections: 2N established sockets, plus
one listener per worker. Call in the test's private network namespace."""
import json
import os
import select
import subprocess
import sys

C = None  # set by the importer: cmdlib

WORKER = r'''
import json, resource, socket, sys
n, port = int(sys.argv[1]), int(sys.argv[2])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
l = socket.socket()
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(('127.0.0.1', port))
l.listen(4096)
keep = []
for i in range(n):
    c = socket.create_connection(('127.0.0.1', port))
    s, _ = l.accept()
    keep += [c, s]
sys.stdout.write(json.dumps({'pid': __import__('os').getpid(), 'n': n}) + '\n')
sys.stdout.flush()
sys.stdin.read()
'''


class Connections:
    def __init__(self, n, first_port=7600, per_worker=5000):
        self.procs = []
        left, port = n, first_port
        while left > 0:
            k = min(left, per_worker)
            self.procs.append(subprocess.Popen([sys.executable, '-c', WORKER, str(k),
                                                str(port)], stdin=subprocess.PIPE,
                                               stdout=subprocess.PIPE))
            left -= k
            port += 1
        self.listeners = len(self.procs)
        for p in self.procs:
            ready, _, _ = select.select([p.stdout], [], [], 120)
            line = p.stdout.readline() if ready else b''
            if not line:
                self.close()
                raise RuntimeError('a connection worker did not start')
            json.loads(line)
        self.n = n

    def close(self):
        for p in self.procs:
            try:
                p.stdin.close()
            except OSError:
                pass
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            p.stdout.close()
        self.procs = []
