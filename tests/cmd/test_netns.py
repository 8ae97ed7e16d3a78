"""test_netns.py - tcptable --all-netns and --netns against namespaces the test creates.

Three network namespaces: the test's own private one (P, a listener on 7300), one a child
process unshares (A, listeners on 7301 and [::1]:7311), and a named one made with
`ip netns add` (B, /run/netns/tcpt-cmd-PID: a listener on 7302 and a connection to it), which
the test deletes when it ends.
  - --all-netns shows each namespace's sockets exactly, told apart by the netns field (JSON)
    and the Netns column (the table names B by its name); with both sources; with -p; with a
    filter;
  - --netns /proc/PID/ns/net and --netns NAME show only that namespace's sockets;
  - -K --netns NAME closes connections there and nowhere else;
  - a bad --netns (no such name, no such path, not a network namespace) is exit 1 and one
    line; --netns with --all-netns is a usage error; without root, one line and exit 1.
Other namespaces of the host (other tests running at the same time) may appear in
--all-netns output; only the three above are checked.
"""
import os
import socket
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmdlib as C  # noqa: E402

NS_NAME = 'tcpt-cmd-%d' % os.getpid()
NS_PATH = '/run/netns/' + NS_NAME
keep = []
holders = {}
want = {}     # netns inode -> set of row keys
inode = {}    # 'P', 'A', 'B' -> netns inode
created_named = False


def holder_keys(h):
    keys = set()
    for s in h.info['sockets']:
        fam = s['family']
        any_addr = ('::' if fam == 'ipv6' else '0.0.0.0', 0)
        remote = tuple(s['remote']) if s['remote'] else any_addr
        state = 'ESTABLISHED' if s['remote'] else 'LISTEN'
        keys.add((fam, s['local'][0], s['local'][1], remote[0], remote[1], state))
        if s['remote']:  # the listener's unaccepted end, in the same namespace
            keys.add((fam, remote[0], remote[1], s['local'][0], s['local'][1], 'ESTABLISHED'))
    return keys


def setup():
    global created_named
    C.enter_private_netns('test_netns')
    C.require_mount_namespaces('test_netns')
    inode['P'] = C.netns_inode()
    keep.append(C.listener(socket.AF_INET, '127.0.0.1', 7300))
    want[inode['P']] = {('ipv4', '127.0.0.1', 7300, '0.0.0.0', 0, 'LISTEN')}

    holders['A'] = C.Holder('--unshare', '--listen', 4, '127.0.0.1', 7301,
                            '--listen', 6, '::1', 7311)
    inode['A'] = holders['A'].info['netns']
    want[inode['A']] = holder_keys(holders['A'])

    subprocess.run(['ip', 'netns', 'delete', NS_NAME], capture_output=True)
    r = subprocess.run(['ip', 'netns', 'add', NS_NAME], capture_output=True)
    if r.returncode != 0:
        C.fail('ip netns add %s: %s' % (NS_NAME, r.stderr.decode(errors='replace')))
    created_named = True
    subprocess.run(['ip', '-n', NS_NAME, 'link', 'set', 'lo', 'up'], check=True)
    holders['B'] = C.Holder('--setns', NS_PATH, '--listen', 4, '127.0.0.1', 7302,
                            '--connect', 4, '127.0.0.1', 7302)
    inode['B'] = holders['B'].info['netns']
    C.check_eq(inode['B'], os.stat(NS_PATH).st_ino, 'the named namespace')
    want[inode['B']] = holder_keys(holders['B'])
    C.check(len(set(inode.values())) == 3, 'three distinct namespaces: %r' % inode)


def teardown():
    for h in holders.values():
        h.stop()
    if created_named:
        r = subprocess.run(['ip', 'netns', 'delete', NS_NAME], capture_output=True)
        if r.returncode != 0:
            sys.stderr.write('could not delete netns %s: %s\n' % (NS_NAME, r.stderr))


def rows_by_netns(rows):
    out = {}
    for r in rows:
        out.setdefault(r['netns'], []).append(C.key_of(r))
    return out


def check_namespaces(rows, which, what):
    got = rows_by_netns(rows)
    for w in which:
        C.check_same_rows(got.get(inode[w], []), want[inode[w]],
                          '%s, namespace %s (%d)' % (what, w, inode[w]))


def one_line_error(r, status=1):
    C.check(r.status == status and r.out == b'' and r.err.count(b'\n') == 1
            and r.err.startswith(b'tcptable: '),
            'want exit %d, empty stdout, one line on stderr; %s' % (status, r.describe()))


tap = C.Tap()


@tap.case('--all-netns sees the sockets of each namespace, told apart by the netns field')
def all_netns_json():
    check_namespaces(C.run('--all-netns', '--json').json(), 'PAB', '--all-netns --json')


@tap.case('--all-netns --source=proc sees the same sockets per namespace')
def all_netns_proc():
    check_namespaces(C.run('--all-netns', '--source=proc', '--jsonl').jsonl(), 'PAB',
                     '--all-netns --source=proc')


@tap.case('--all-netns -p names the processes of other namespaces')
def all_netns_owners():
    rows = C.run('--all-netns', '--jsonl', '-p').jsonl()
    for r in rows:
        if r['netns'] == inode['A']:
            C.check_eq([o['pid'] for o in r['owners']], [holders['A'].pid],
                       'owners of %s' % (C.key_of(r),))


@tap.case('--all-netns with a filter filters in every namespace')
def all_netns_filter():
    rows = C.run('--all-netns', '--jsonl', '--sport', '7300-7302').jsonl()
    got = rows_by_netns(rows)
    for w in 'PAB':
        C.check_same_rows(got.get(inode[w], []),
                          {k for k in want[inode[w]] if 7300 <= k[2] <= 7302},
                          '--all-netns --sport 7300-7302, namespace %s' % w)


@tap.case('--all-netns table: a Netns column, the name of a named namespace, else its inode')
def all_netns_table():
    lines = C.run('--all-netns').text().splitlines()
    C.check_eq(lines[0].split()[:2], ['Netns', 'Proto'], 'header')
    cells = {}
    for l in lines[1:]:
        f = l.split()
        cells.setdefault(f[4], set()).add(f[0])  # local address -> netns cells
    # other namespaces of the host (tests running at the same time) may hold the same
    # addresses: check that ours are there, labelled right, not that they are alone
    for addr, label, wrong in (('127.0.0.1:7301', str(inode['A']), None),
                               ('127.0.0.1:7302', NS_NAME, str(inode['B'])),
                               ('127.0.0.1:7300', str(inode['P']), None)):
        got = cells.get(addr, set())
        C.check(label in got, 'Netns cells of %s: %r, expected %s among them' % (addr, got, label))
        C.check(wrong is None or wrong not in got,
                'the named namespace shows as its inode %s for %s' % (wrong, addr))


@tap.case('--netns /proc/PID/ns/net shows only that namespace')
def netns_path():
    path = '/proc/%d/ns/net' % holders['A'].pid
    rows = C.run('--netns', path, '--json').json()
    C.check_same_rows([C.key_of(r) for r in rows], want[inode['A']], '--netns ' + path)
    C.check(all(r['netns'] == inode['A'] for r in rows), 'netns fields: %r' % rows)
    C.check_eq(C.run('--netns', path).text().split()[0], 'Netns', 'table header')


@tap.case('--netns NAME (/run/netns) shows only that namespace, with both sources')
def netns_name():
    for source in ('netlink', 'proc'):
        rows = C.run('--netns', NS_NAME, '--source=' + source, '--jsonl').jsonl()
        C.check_same_rows([C.key_of(r) for r in rows], want[inode['B']],
                          '--netns %s --source=%s' % (NS_NAME, source))
        C.check(all(r['netns'] == inode['B'] for r in rows), 'netns fields: %r' % rows)


@tap.case('--netns with a bad name, a missing path or not a netns: bad usage (exit 2), one line')
def netns_bad():
    for value in ('tcpt-no-such-namespace', '/nonexistent/tcpt/ns', '/proc/self/ns/mnt'):
        one_line_error(C.run('--netns', value, status=None), status=2)


@tap.case('--netns and --all-netns together are a usage error (exit 2)')
def netns_and_all():
    one_line_error(C.run('--netns', NS_NAME, '--all-netns', status=None), status=2)


@tap.case('without root, --all-netns and --netns of another user say so in one line, exit 1')
def netns_unprivileged():
    for args in (['--all-netns'], ['--netns', '/proc/%d/ns/net' % holders['A'].pid],
                 ['--netns', NS_NAME]):
        one_line_error(C.run(*args, as_uid=65534, status=None))


@tap.case('--kill --netns NAME closes a connection in that namespace only (last: it changes B)')
def kill_in_named_namespace():
    hs = holders['B'].info['sockets'][1]  # B's client socket, connected to 7302
    r = C.run('-K', '--netns', NS_NAME, '--dport', '7302', '--yes')
    C.check(r.out.endswith(b'closed 1 of 1 connection\n'), r.describe())
    rows = C.run('--netns', NS_NAME, '--jsonl').jsonl()
    C.check_same_rows([C.key_of(x) for x in rows],
                      {('ipv4', '127.0.0.1', 7302, '0.0.0.0', 0, 'LISTEN')},
                      'namespace B after -K (its client closed, the peer reset)')
    check_namespaces(C.run('--all-netns', '--jsonl').jsonl(), 'PA', 'the other namespaces')


if __name__ == '__main__':
    sys.exit(tap.run(setup, teardown))
