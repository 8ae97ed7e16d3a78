"""test_load.py - 200 concurrent scrapers against 20k sockets, and a slowloris.

usage: test_load.py [--seconds S] [--connections N] [--scrapers K]

In a private PID and network namespace: N loopback connections (2N established sockets;
10,000 by default, so 20k sockets), one exporter (--scrape.min-interval=0, --web.timeout=3s),
K scraper threads (200) each scraping over its own keep-alive connection for S seconds (10 in
`make check`, to keep the suite short; `make bench` runs the 30 s of the issue), while 50
slowloris clients send half a request and then nothing. Checks:
  - no scrape failed, and each answer counts the sockets (tcptable_snapshot_sockets);
  - at most one snapshot in flight: the exporter's summed snapshot time never exceeds the
    wall time it has been up, and scrapes shared snapshots (fewer snapshots than scrapes);
  - no fd or memory growth: open fds back to the idle count afterwards, RSS at the end within
    2 MiB of RSS a third of the way in;
  - the slowloris clients did not delay any scrape beyond the timeout, and the exporter
    closed each of them within the timeout (plus slack);
  - a clean exit.
"""
import argparse
import http.client
import os
import socket
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exporterlib as E  # noqa: E402
import conns  # noqa: E402

C = E.C
conns.C = C
T = C.Tap()
state = {}
TIMEOUT_S = 3
SLOWLORIS = 50


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument('--seconds', type=float, default=10)
    p.add_argument('--connections', type=int, default=10000)
    p.add_argument('--scrapers', type=int, default=200)
    return p.parse_args()


ARGS = parse_args()


def setup():
    C.enter_private_netns('test_load')
    state['conns'] = conns.Connections(ARGS.connections)
    state['e'] = E.Exporter('--scrape.min-interval=0', '--web.timeout=%ds' % TIMEOUT_S,
                            '--web.max-connections=1024')
    state['started'] = time.monotonic()


def teardown():
    if 'e' in state and state['e'].proc.poll() is None:
        state['e'].stop(check=False)
    if 'conns' in state:
        state['conns'].close()


class Scraper(threading.Thread):
    def __init__(self, port, until):
        super().__init__(daemon=True)
        self.port, self.until = port, until
        self.ok = 0
        self.failures = []
        self.max_latency = 0.0
        self.sockets = set()

    def run(self):
        c = None
        while time.monotonic() < self.until:
            t0 = time.monotonic()
            try:
                if c is None:
                    c = http.client.HTTPConnection('127.0.0.1', self.port, timeout=30)
                c.request('GET', '/metrics')
                r = c.getresponse()
                body = r.read()
                if r.status != 200:
                    self.failures.append('status %d' % r.status)
                    continue
                for line in body.split(b'\n'):
                    if line.startswith(b'tcptable_snapshot_sockets '):
                        self.sockets.add(int(line.split()[1]))
                self.ok += 1
            except (OSError, http.client.HTTPException) as ex:
                self.failures.append(repr(ex))
                if c:
                    c.close()
                c = None
            self.max_latency = max(self.max_latency, time.monotonic() - t0)
        if c:
            c.close()


class Slowloris(threading.Thread):
    """Half a request, then silence: how long until the server closes the connection."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.port = port
        self.closed_after = None

    def run(self):
        s = socket.create_connection(('127.0.0.1', self.port), timeout=TIMEOUT_S + 30)
        t0 = time.monotonic()
        s.sendall(b'GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ')
        try:
            while s.recv(4096):
                pass
        except OSError:
            pass
        self.closed_after = time.monotonic() - t0
        s.close()


def self_metric(samples, name):
    return samples[(name, frozenset())]


@T.case('%d scrapers for the run, %d slowloris clients: no failed scrape, right counts'
        % (ARGS.scrapers, SLOWLORIS))
def load():
    e = state['e']
    e.metrics()
    time.sleep(0.5)
    state['idle_fds'] = e.fd_count()
    until = time.monotonic() + ARGS.seconds
    lorises = [Slowloris(e.port) for _ in range(SLOWLORIS)]
    for s in lorises:
        s.start()
    scrapers = [Scraper(e.port, until) for _ in range(ARGS.scrapers)]
    for s in scrapers:
        s.start()
    time.sleep(ARGS.seconds / 3)
    state['rss_third'] = e.rss_kb()
    for s in scrapers:
        s.join(timeout=ARGS.seconds + 60)
    state['rss_end'] = e.rss_kb()
    for s in lorises:
        s.join(timeout=TIMEOUT_S + 30)
    failures = [f for s in scrapers for f in s.failures]
    ok = sum(s.ok for s in scrapers)
    sockets = set().union(*(s.sockets for s in scrapers))
    state.update(scrapes=ok, max_latency=max(s.max_latency for s in scrapers),
                 loris=[s.closed_after for s in lorises])
    C.check(not failures, '%d failed scrapes (of %d), e.g. %s' % (len(failures), ok,
                                                                  failures[:5]))
    C.check(ok >= ARGS.scrapers, 'only %d scrapes' % ok)
    # every answer counts the made sockets, plus at most the listeners, the scrapers' and
    # the slowloris connections (both ends)
    low = 2 * ARGS.connections
    high = low + state['conns'].listeners + 1 + 2 * (ARGS.scrapers + SLOWLORIS) + 8
    C.check(sockets and min(sockets) >= low and max(sockets) <= high,
            'tcptable_snapshot_sockets %s not within [%d, %d]' % (sorted(sockets)[:5], low,
                                                                   high))
    print('# %d scrapes in %.0f s; max latency %.2f s' % (ok, ARGS.seconds,
                                                          state['max_latency']))


@T.case('at most one snapshot in flight, and scrapes shared them')
def one_in_flight():
    samples, _ = E.parse(state['e'].metrics()[1])
    up = time.monotonic() - state['started'] + 1.0  # it started before 'started'
    busy = self_metric(samples, 'tcptable_exporter_snapshot_seconds_total')
    snaps = self_metric(samples, 'tcptable_exporter_snapshots_total')
    print('# %d snapshots, %.1f s of snapshot time in %.1f s up; %d scrapes'
          % (snaps, busy, up, state['scrapes']))
    C.check(busy <= up, 'snapshot time %.2f s > wall time %.2f s: snapshots overlapped'
            % (busy, up))
    C.check(snaps < state['scrapes'] / 2, '%d snapshots for %d scrapes: not shared'
            % (snaps, state['scrapes']))


@T.case('no fd or memory growth')
def no_growth():
    e = state['e']
    deadline = time.monotonic() + 10
    while e.fd_count() > state['idle_fds'] and time.monotonic() < deadline:
        time.sleep(0.1)
    C.check(e.fd_count() <= state['idle_fds'], 'fds: %d idle before, %d after'
            % (state['idle_fds'], e.fd_count()))
    grew = state['rss_end'] - state['rss_third']
    print('# RSS %d KiB a third in, %d KiB at the end' % (state['rss_third'], state['rss_end']))
    if E.instrumented():
        raise C.Skip('RSS under ASan is its quarantine (fds checked; leaks: LeakSanitizer at '
                     'exit)')
    C.check(grew <= 2048, 'RSS grew by %d KiB during the run' % grew)


@T.case('slowloris: no scrape delayed beyond the timeout; each closed within it')
def slowloris():
    C.check(state['max_latency'] < TIMEOUT_S, 'a scrape took %.2f s (timeout %d s)'
            % (state['max_latency'], TIMEOUT_S))
    closed = [t for t in state['loris'] if t is not None]
    C.check_eq(len(closed), SLOWLORIS, 'slowloris connections closed by the server')
    C.check(max(closed) < TIMEOUT_S + 2, 'a slowloris connection lived %.1f s' % max(closed))
    C.check(min(closed) >= TIMEOUT_S - 0.5, 'a slowloris connection closed early: %.1f s'
            % min(closed))


@T.case('a clean exit after the load')
def clean_exit():
    state['e'].stop()


E.private_pid_namespace()
sys.exit(T.run(setup, teardown))
