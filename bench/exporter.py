#!/usr/bin/env python3
"""The exporter's benchmark: scrape time and RSS of tcptable-exporter's /metrics against
node_exporter's tcpstat collector, at N sockets, in the same run.

usage: exporter.py [--build DIR] [--runs R] [--sockets N] [--load-seconds S]
                   [--also NAME=EXE]...

bench/gen makes N/2 established loopback connections (N sockets) in a private network
namespace, within a private PID namespace (so that the owner scan reads the processes that
hold these sockets, not those of everyone else on a shared machine), and runs this script
again inside it (--inner), which starts
  - tcptable-exporter (--scrape.min-interval=0: every scrape a fresh snapshot), with owners
    (the default: per-process and per-port series) and with --no-collector.processes;
  - prometheus-node-exporter --collector.disable-defaults --collector.tcpstat (Debian
    package prometheus-node-exporter: connections by state only);
  - each --also NAME=EXE: another tcptable-exporter binary (another build or branch), with
    owners, scraped beside the others (to compare two designs in the same run);
checks that each counts the sockets, scrapes them alternately R times (wall time of a whole
scrape, request to last byte), and reports medians, peak RSS (VmHWM) and RSS afterwards, and
the ratios the issue sets as targets: our time <= 1.0x node_exporter's, RSS <= 0.25x.
Then (unless --load-seconds 0) the load test of tests/exporter/test_load.py for S seconds
(30 by default: the issue's; `make check` runs it for 10).
"""
import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--build', default=os.environ.get('TCPT_BUILD_ROOT', 'build'))
    p.add_argument('--runs', type=int, default=7)
    p.add_argument('--sockets', type=int, default=200000)
    p.add_argument('--load-seconds', type=float, default=30)
    p.add_argument('--also', action='append', default=[], metavar='NAME=EXE',
                   help='another tcptable-exporter binary to scrape beside (with owners)')
    p.add_argument('--inner', action='store_true', help=argparse.SUPPRESS)
    p.add_argument('--out', help=argparse.SUPPRESS)
    return p.parse_args()


def wait_port(port, proc, timeout=30):
    import socket
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection(('127.0.0.1', port), timeout=1):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def status_kb(pid, field):
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith(field + ':'):
                return int(line.split()[1])
    return 0


class Target:
    def __init__(self, name, argv, port, count_fn):
        self.name, self.port, self.count_fn = name, port, count_fn
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        if not wait_port(port, self.proc):
            raise RuntimeError('%s did not start' % name)
        self.times = []
        self.count = None

    def scrape(self):
        c = http.client.HTTPConnection('127.0.0.1', self.port, timeout=300)
        t0 = time.monotonic()
        c.request('GET', '/metrics')
        r = c.getresponse()
        body = r.read()
        dt = time.monotonic() - t0
        c.close()
        if r.status != 200:
            raise RuntimeError('%s: status %d' % (self.name, r.status))
        text = body.decode()
        self.count = self.count_fn(text)
        self.size = len(body)
        self.owners = owner_source(text)
        return dt

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


def count_tcptable(text):
    n = 0
    for line in text.split('\n'):
        if line.startswith('tcptable_connections{'):
            n += int(float(line.rsplit(' ', 1)[1]))
    return n


def owner_source(text):
    """The owner source a tcptable-exporter answer names (tcptable_source_info), or '-'."""
    for line in text.split('\n'):
        if line.startswith('tcptable_source_info{part="owners"'):
            return line.split('source="', 1)[1].split('"', 1)[0]
    return '-'


def count_node(text):
    n = 0
    for line in text.split('\n'):
        if line.startswith('node_tcp_connection_states{') and '_queued_bytes' not in line:
            n += int(float(line.rsplit(' ', 1)[1]))
    return n


def inner(args):
    exe = os.path.join(args.build, 'src', 'exporter', 'tcptable-exporter')
    node = shutil.which('prometheus-node-exporter')
    want = int(os.environ['TCPT_BENCH_CONNS']) * 2
    targets = [
        Target('tcptable-exporter', [exe, '--web.listen-address=127.0.0.1:19101',
                                     '--scrape.min-interval=0'], 19101, count_tcptable),
        Target('tcptable-exporter --no-collector.processes',
               [exe, '--web.listen-address=127.0.0.1:19102', '--scrape.min-interval=0',
                '--no-collector.processes'], 19102, count_tcptable),
    ]
    for i, also in enumerate(args.also):
        name, _, path = also.partition('=')
        port = 19111 + i
        targets.append(Target(name, [path, '--web.listen-address=127.0.0.1:%d' % port,
                                     '--scrape.min-interval=0'], port, count_tcptable))
    if node:
        targets.append(Target('node_exporter tcpstat',
                              [node, '--web.listen-address=127.0.0.1:19103',
                               '--collector.disable-defaults', '--collector.tcpstat'],
                              19103, count_node))
    try:
        for t in targets:
            t.scrape()  # warm-up
        if os.environ.get('TCPT_BENCH_DUMP'):
            for t in targets:
                c = http.client.HTTPConnection('127.0.0.1', t.port, timeout=300)
                c.request('GET', '/metrics')
                with open(os.environ['TCPT_BENCH_DUMP'] + '.' + str(t.port), 'wb') as f:
                    f.write(c.getresponse().read())
        for _ in range(args.runs):
            for t in targets:
                t.times.append(t.scrape())
        out = []
        for t in targets:
            out.append({'name': t.name, 'median_s': statistics.median(t.times),
                        'min_s': min(t.times), 'max_s': max(t.times),
                        'hwm_kb': status_kb(t.proc.pid, 'VmHWM'),
                        'rss_kb': status_kb(t.proc.pid, 'VmRSS'),
                        'counted': t.count, 'bytes': t.size, 'owners': t.owners})
    finally:
        for t in targets:
            t.stop()
    with open(args.out, 'w') as f:
        json.dump({'sockets_made': want, 'targets': out}, f)
    return 0


def report(res, args):
    print('exporter bench: %d sockets made, %d runs each, %s, %d cores, load %s'
          % (res['sockets_made'], args.runs, time.strftime('%Y-%m-%d %H:%M'), os.cpu_count(),
             open('/proc/loadavg').read().split()[0]))
    print('%-44s %9s %9s %9s %10s %10s %9s %7s' % ('', 'median s', 'min s', 'max s',
                                                   'peak MiB', 'RSS MiB', 'sockets', 'owners'))
    for t in res['targets']:
        print('%-44s %9.3f %9.3f %9.3f %10.1f %10.1f %9d %7s' % (
            t['name'], t['median_s'], t['min_s'], t['max_s'], t['hwm_kb'] / 1024,
            t['rss_kb'] / 1024, t['counted'], t.get('owners', '-')))
    byname = {t['name']: t for t in res['targets']}
    node = byname.get('node_exporter tcpstat')
    if node:
        for t in res['targets']:
            if t is node or t['owners'] == '-':
                continue
            print('%s / node_exporter: time %.2fx (target <= %s), peak RSS %.2fx '
                  '(target <= 0.25)' % (t['name'], t['median_s'] / node['median_s'],
                                        '0.6 with bpf owners' if t['owners'] == 'bpf'
                                        else '1.0', t['hwm_kb'] / node['hwm_kb']))
    else:
        print('node_exporter not installed (scripts/deps.sh bench): no ratios')
    return 0


def outer(args):
    if os.geteuid() != 0:
        print('bench/exporter.py: needs root (private network namespace)', file=sys.stderr)
        return 1
    gen = os.path.join(args.build, 'bench', 'gen')
    with tempfile.NamedTemporaryFile(prefix='tcpt-bench-exp-', suffix='.json') as out:
        # a PID namespace of its own: the owner scan reads the processes holding the
        # sockets, not every other process of a shared machine
        cmd = ['unshare', '--pid', '--fork', '--mount-proc', '--kill-child',
               gen, '-t', '1800', str(args.sockets // 2), '--', sys.executable,
               os.path.abspath(__file__), '--inner', '--out', out.name, '--build',
               os.path.abspath(args.build), '--runs', str(args.runs)]
        for also in args.also:
            name, _, path = also.partition('=')
            cmd += ['--also', '%s=%s' % (name, os.path.abspath(path))]
        rc = subprocess.run(cmd).returncode
        if rc != 0:
            print('bench/exporter.py: the run in the namespace failed (%d)' % rc,
                  file=sys.stderr)
            return 1
        with open(out.name) as f:
            res = json.load(f)
    status = report(res, args)
    bad = [t['name'] for t in res['targets'] if t['counted'] < res['sockets_made']]
    if bad:
        print('bench: counted fewer sockets than were made: %s' % bad, file=sys.stderr)
        status = 1
    if args.load_seconds > 0:
        env = dict(os.environ, TCPT_BUILD_ROOT=os.path.abspath(args.build),
                   TCPT_SOURCE_ROOT=ROOT)
        print('\nload test, %g s:' % args.load_seconds, flush=True)
        r = subprocess.run([sys.executable, os.path.join(ROOT, 'tests', 'exporter',
                                                         'test_load.py'),
                            '--seconds', str(args.load_seconds)], env=env)
        status = status or r.returncode
    return status


if __name__ == '__main__':
    ARGS = parse_args()
    sys.exit(inner(ARGS) if ARGS.inner else outer(ARGS))
