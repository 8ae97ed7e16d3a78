"""test_resolve.py - host and service names (-r, and host names in --src/--dst and the filter
language) without reaching any network.

The test enters a private network namespace and a private mount namespace, bind-mounts its
own /etc/hosts (names for some loopback addresses) and /etc/resolv.conf (one nameserver,
127.0.0.53, timeout 5 s) over the real ones, and binds a UDP socket to 127.0.0.53:53 that
reads the queries and never answers. So an address in the hosts file resolves at once, and
any other lookup hangs until tcptable's budget (2 s per listing) runs out.

Checked: names and service names in the table; addresses that did not answer stay numeric and
are counted on stderr; the lookups are concurrent (two hanging addresses cost one budget, not
two) and cached (one query per address, however many rows show it); --dst/--src and the
filter language take host names and mean all their addresses; a forward lookup that hangs is
a usage error after the budget.
"""
import ctypes
import os
import socket
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmdlib as C  # noqa: E402

CLONE_NEWNS = 0x00020000
V4 = socket.AF_INET
keep = []
dns = None
tmp = tempfile.TemporaryDirectory(prefix='tcpt-resolve-')
BUDGET = 2.0

HOSTS = """127.0.0.1 localhost
127.0.0.10 alpha.test
127.0.0.11 beta.test
127.0.0.12 multi.test
127.0.0.13 multi.test
"""


def bind_over(path, text):
    src = os.path.join(tmp.name, os.path.basename(path))
    with open(src, 'w') as f:
        f.write(text)
    r = subprocess.run(['mount', '--bind', src, path], capture_output=True, text=True)
    if r.returncode != 0:
        C.fail('mount --bind %s %s: %s' % (src, path, r.stderr.strip()))


def setup():
    global dns, alpha_conn
    C.enter_private_netns('test_resolve')
    if ctypes.CDLL(None, use_errno=True).unshare(CLONE_NEWNS) != 0:
        C.fail('unshare(CLONE_NEWNS): %s' % os.strerror(ctypes.get_errno()))
    subprocess.run(['mount', '--make-rprivate', '/'], check=True)
    bind_over('/etc/hosts', HOSTS)
    bind_over('/etc/resolv.conf', 'nameserver 127.0.0.53\noptions timeout:5 attempts:1\n')
    dns = socket.socket(V4, socket.SOCK_DGRAM)
    dns.bind(('127.0.0.53', 53))
    dns.setblocking(False)
    keep.append(dns)

    l80 = C.listener(V4, '127.0.0.10', 80)
    c = C.connect(V4, '127.0.0.10', 80, bind='127.0.0.11')
    s, _ = l80.accept()
    l7 = C.listener(V4, '127.0.0.20', 7777)           # no name: its lookup hangs
    c7 = C.connect(V4, '127.0.0.20', 7777, bind='127.0.0.20')
    s7, _ = l7.accept()
    l8 = C.listener(V4, '127.0.0.21', 7778)           # another one
    keep.extend([l80, c, s, l7, c7, s7, l8])
    alpha_conn = (c.getsockname()[1],)


def queries():
    """The names asked of the silent nameserver since the last call."""
    names = []
    while True:
        try:
            pkt = dns.recv(4096)
        except BlockingIOError:
            return names
        i, labels = 12, []
        while i < len(pkt) and pkt[i]:
            labels.append(pkt[i + 1:i + 1 + pkt[i]].decode(errors='replace'))
            i += 1 + pkt[i]
        names.append('.'.join(labels))


def table(*args):
    start = time.monotonic()
    r = C.run('-r', '-H', '--sort', *args, timeout=20)
    return [l.split() for l in r.text().splitlines()], r, time.monotonic() - start


tap = C.Tap()


@tap.case('-r shows host names from /etc/hosts and service names')
def names_shown():
    queries()
    rows, r, _ = table()
    ends = {(l[3], l[4]) for l in rows}  # Proto Recv-Q Send-Q Local Remote State
    port = alpha_conn[0]
    C.check(('alpha.test:http', '0.0.0.0:*') in ends, 'no named listener: %s' % r.describe())
    C.check(('beta.test:%d' % port, 'alpha.test:http') in ends, 'no named client: %s'
            % r.describe())
    C.check(('alpha.test:http', 'beta.test:%d' % port) in ends, 'no named server end: %s'
            % r.describe())


@tap.case('addresses that do not answer in time stay numeric and are counted on stderr')
def unanswered_stay_numeric():
    rows, r, took = table()
    ends = {(l[3], l[4]) for l in rows}  # Proto Recv-Q Send-Q Local Remote State
    C.check(('127.0.0.20:7777', '0.0.0.0:*') in ends, 'not numeric: %s' % r.describe())
    C.check(('127.0.0.21:7778', '0.0.0.0:*') in ends, 'not numeric: %s' % r.describe())
    C.check(b'2 addresses did not resolve within 2 s' in r.err,
            'the unanswered addresses are not counted: %s' % r.describe())
    C.check(took < BUDGET + 1.5, 'took %.1f s with a budget of %.0f s' % (took, BUDGET))
    C.check(took >= BUDGET - 0.2, 'finished in %.1f s: did it wait for the lookups at all?'
            % took)


@tap.case('lookups are concurrent and cached: one query per address, one budget in all')
def concurrent_and_cached():
    queries()
    _, r, took = table()
    asked = queries()
    C.check_eq(asked.count('20.0.0.127.in-addr.arpa'), 1,
               'queries for 127.0.0.20, which 3 row ends show (%r)' % asked)
    C.check_eq(asked.count('21.0.0.127.in-addr.arpa'), 1, 'queries for 127.0.0.21 (%r)' % asked)
    C.check(not [q for q in asked if q.startswith(('10.0.0.127', '11.0.0.127'))],
            'names in /etc/hosts went to DNS: %r' % asked)
    C.check(took < 2 * BUDGET, 'two hanging lookups took %.1f s: not concurrent' % took)


@tap.case('without -r nothing is looked up')
def numeric_by_default():
    queries()
    start = time.monotonic()
    r = C.run('-H')
    C.check(time.monotonic() - start < 1.0, 'a plain listing waited')
    C.check(b'alpha.test' not in r.out and not queries(), 'names without -r: %s' % r.describe())


def keys(args):
    return {(x['local_address'], x['local_port'], x['remote_address'], x['remote_port'])
            for x in C.run('--jsonl', *args).jsonl()}


@tap.case('--dst, --src and the filter language take host names, meaning all their addresses')
def forward_names():
    C.check_eq(keys(['--dst', 'alpha.test']), keys(['--dst', '127.0.0.10']), '--dst alpha.test')
    C.check_eq(keys(['--src', 'beta.test']), keys(['--src', '127.0.0.11']), '--src beta.test')
    C.check_eq(keys(['dst alpha.test']), keys(['dst 127.0.0.10']), 'dst alpha.test')
    C.check_eq(keys(['src', 'alpha.test:http']), keys(['src 127.0.0.10:80']),
               'src alpha.test:http')
    C.check(len(keys(['dst alpha.test'])) == 1, 'dst alpha.test lists no row')
    both = keys(['src', 'multi.test', 'or', 'src', 'alpha.test'])
    C.check_eq(both, keys(['src 127.0.0.10']), 'multi.test has no socket, alpha.test some')
    with_multi = keys(['--src', 'multi.test,alpha.test,127.0.0.20'])
    C.check_eq(with_multi, keys(['--src', '127.0.0.12,127.0.0.13,127.0.0.10,127.0.0.20']),
               '--src with a name of two addresses')


@tap.case('a host name that does not resolve in time is a usage error after the budget')
def forward_timeout():
    for args in (['--dst', 'nowhere.test'], ['dst nowhere.test']):
        start = time.monotonic()
        r = C.run(*args, status=2)
        took = time.monotonic() - start
        C.check(took < BUDGET + 1.5, '%s took %.1f s' % (args, took))
        C.check(b'nowhere.test' in r.err, 'the name is not named: %s' % r.describe())


if __name__ == '__main__':
    status = tap.run(setup)
    tmp.cleanup()
    sys.exit(status)
