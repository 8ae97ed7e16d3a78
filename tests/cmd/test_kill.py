"""test_kill.py - tcptable -K closes exactly the connections its filter selects, and nothing
unless everything it needs is there (a filter, a yes, CAP_NET_ADMIN).

In a private network namespace: three connections to port 7400 (two IPv4, one IPv6), two to
port 7500, and listeners on 7400, 7500 (both families) and 7600. Checked, in this order:
  - -K without a filter is a usage error (exit 2); nothing closed;
  - without --yes and with standard input not a terminal (/dev/null, a pipe saying "y") it
    lists the connections, closes nothing and exits 1; on a terminal answering "n" likewise;
  - as uid 65534 it says in one line that it needs CAP_NET_ADMIN, exits 1, closes nothing;
  - with --all-netns it refuses (one namespace at a time), closes nothing;
  - -K --dport 7400 --yes closes the three: each local socket gets ECONNABORTED, each peer a
    reset (ECONNRESET, POLLERR|POLLHUP; the namespace's OutRsts counter grows by 3); the
    connections to 7500 still carry data both ways; the listeners still accept;
  - run again, nothing matches (exit 0); on a terminal answering "y" it closes;
  - a listener is closed only when -l selects it.
"""
import errno
import os
import select
import socket
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmdlib as C  # noqa: E402

V4, V6 = socket.AF_INET, socket.AF_INET6
L = {}
victims = []   # (client, server) pairs to port 7400
others = []    # pairs to port 7500


def pair(listener, fam, addr, port):
    c = C.connect(fam, addr, port)
    s, _ = listener.accept()
    for x in (c, s):
        x.settimeout(5)
    return c, s


def setup():
    C.enter_private_netns('test_kill')
    L['7400'] = C.listener(V4, '127.0.0.1', 7400)
    L['7400v6'] = C.listener(V6, '::1', 7400, v6only=True)
    L['7500'] = C.listener(V4, '127.0.0.1', 7500)
    L['7500v6'] = C.listener(V6, '::1', 7500, v6only=True)
    L['7600'] = C.listener(V4, '127.0.0.1', 7600)
    victims.append(pair(L['7400'], V4, '127.0.0.1', 7400))
    victims.append(pair(L['7400'], V4, '127.0.0.1', 7400))
    victims.append(pair(L['7400v6'], V6, '::1', 7400))
    others.append(pair(L['7500'], V4, '127.0.0.1', 7500))
    others.append(pair(L['7500v6'], V6, '::1', 7500))


def round_trip(c, s, what):
    try:
        c.sendall(b'ping')
        C.check_eq(s.recv(16), b'ping', '%s: client to server' % what)
        s.sendall(b'pong')
        C.check_eq(c.recv(16), b'pong', '%s: server to client' % what)
    except OSError as e:
        C.fail('%s: the connection no longer works: %s' % (what, e))


def nothing_closed(what):
    for n, (c, s) in enumerate(victims + others):
        round_trip(c, s, '%s: connection %d' % (what, n))
    rows = C.run('--jsonl', '--state', 'established').jsonl()
    C.check_eq(len(rows), 2 * len(victims + others), '%s: ESTABLISHED rows' % what)


def victim_lines(out):
    return [l for l in out.decode().splitlines() if ':7400 ' in l + ' ' and 'ESTABLISHED' in l]


tap = C.Tap()


@tap.case('-K without a filter is a usage error (exit 2) and closes nothing')
def kill_needs_a_filter():
    for args in (['-K', '--yes'], ['--kill'], ['-K', '-p', '--yes'], ['-K', '--sort', '--yes']):
        r = C.run(*args, status=2)
        C.check(r.out == b'' and r.err.count(b'\n') == 1 and b'filter' in r.err,
                'tcptable %s: %s' % (' '.join(args), r.describe()))
    nothing_closed('-K without a filter')


@tap.case('-K without --yes, stdin not a terminal: lists them, closes nothing, exits 1')
def kill_without_yes():
    r = C.run('-K', '--dport', '7400', status=1)
    C.check_eq(len(victim_lines(r.out)), 3, 'connections listed:\n%s' % r.describe())
    C.check(b'--yes' in r.err and b'closed' not in r.out, r.describe())
    r = C.run('-K', '--dport', '7400', input=b'y\n', status=1)
    C.check(b'--yes' in r.err, 'a pipe saying y is not an answer: %s' % r.describe())
    nothing_closed('-K without --yes')


@tap.case('-K on a terminal answered "n" closes nothing and exits 1')
def kill_answered_no():
    r = C.run_on_pty('-K', '--dport', '7400', stdin_text=b'n\n')
    C.check(r.status == 1 and b'[y/N]' in r.err and b'Close 3 connections' in r.err,
            r.describe())
    nothing_closed('-K answered n')


@tap.case('-K as uid 65534 says it needs CAP_NET_ADMIN in one line, closes nothing, exits 1')
def kill_unprivileged():
    r = C.run('-K', '--dport', '7400', '--yes', as_uid=65534, status=None)
    C.check(r.status == 1 and r.out == b'' and r.err.count(b'\n') == 1
            and b'CAP_NET_ADMIN' in r.err, r.describe())
    nothing_closed('-K as nobody')


@tap.case('-K --all-netns is a usage error (one namespace at a time, exit 2), closes nothing')
def kill_all_netns():
    r = C.run('-K', '--all-netns', '--dport', '7400', '--yes', status=2)
    C.check(r.err.count(b'\n') == 1 and b'closed' not in r.out, r.describe())
    nothing_closed('-K --all-netns')


def error_of(sock):
    try:
        data = sock.recv(16)
    except OSError as e:
        return e.errno
    return 'read %r' % data


@tap.case('-K --dport 7400 --yes closes those three: ECONNABORTED here, a reset at the peer')
def kill_closes_the_selected():
    rsts = C.read_snmp_tcp()['OutRsts']
    r = C.run('-K', '--dport', '7400', '--yes')
    C.check_eq(len(victim_lines(r.out)), 3, 'connections listed:\n%s' % r.describe())
    C.check(r.out.endswith(b'closed 3 of 3 connections\n'), r.describe())
    for n, (c, s) in enumerate(victims):
        p = select.poll()
        p.register(s, select.POLLIN | select.POLLERR | select.POLLHUP)
        ev = dict(p.poll(2000)).get(s.fileno(), 0)
        C.check(ev & select.POLLERR and ev & select.POLLHUP,
                'peer %d: poll events %#x, want POLLERR|POLLHUP' % (n, ev))
        C.check_eq(error_of(s), errno.ECONNRESET, 'peer %d: recv error' % n)
        C.check_eq(error_of(c), errno.ECONNABORTED, 'closed socket %d: recv error' % n)
    C.check_eq(C.read_snmp_tcp()['OutRsts'] - rsts, 3, 'resets sent')


@tap.case('-K --dport 7400 left the other connections working')
def kill_spares_the_others():
    for n, (c, s) in enumerate(others):
        round_trip(c, s, 'connection %d to 7500' % n)
    rows = C.run('--jsonl', '--state', 'established').jsonl()
    C.check_eq(sorted(r['remote_port'] for r in rows if r['local_port'] == 7500 or
                      r['remote_port'] == 7500).count(7500), 2, 'ESTABLISHED to 7500')
    C.check(not [r for r in rows if 7400 in (r['local_port'], r['remote_port'])],
            'connections of 7400 still listed: %r' % rows)


@tap.case('-K again: nothing matches, exit 0')
def kill_again_finds_nothing():
    r = C.run('-K', '--dport', '7400', '--yes')
    C.check_eq(r.out, b'no connection matches; nothing to close\n', 'stdout')


@tap.case('-K left every listener listening')
def kill_spares_listeners():
    for port, fam, addr in ((7400, V4, '127.0.0.1'), (7400, V6, '::1'), (7500, V4, '127.0.0.1'),
                            (7600, V4, '127.0.0.1')):
        key = str(port) + ('v6' if fam == V6 else '')
        c, s = pair(L[key], fam, addr, port)
        round_trip(c, s, 'new connection to %s:%d' % (addr, port))
        c.close()
        s.close()


@tap.case('-K on a terminal answered "y" closes the selected connection')
def kill_answered_yes():
    L['7700'] = C.listener(V4, '127.0.0.1', 7700)
    c, s = pair(L['7700'], V4, '127.0.0.1', 7700)
    r = C.run_on_pty('-K', '--dport', '7700', '--color=never', stdin_text=b'y\n')
    C.check(r.status == 0 and b'Close 1 connection?' in r.err
            and r.out.endswith(b'closed 1 of 1 connection\r\n'), r.describe())
    C.check_eq(error_of(s), errno.ECONNRESET, 'peer: recv error')
    C.check_eq(error_of(c), errno.ECONNABORTED, 'closed socket: recv error')
    for n, (c, s) in enumerate(others):
        round_trip(c, s, 'connection %d to 7500' % n)


@tap.case('a listener is closed only when -l selects it')
def kill_listener_only_with_l():
    r = C.run('-K', '--sport', '7600', '--yes')
    C.check_eq(r.out, b'no connection matches; nothing to close\n', 'without -l')
    r = C.run('-K', '-l', '--sport', '7600', '--yes')
    C.check(r.out.endswith(b'closed 1 of 1 connection\n'), r.describe())
    try:
        C.connect(V4, '127.0.0.1', 7600).close()
    except ConnectionRefusedError:
        pass
    else:
        C.fail('the listener on 7600 still accepts')
    C.check_eq(C.run('--jsonl', '--sport', '7600').jsonl(), [], 'rows of 7600')


if __name__ == '__main__':
    sys.exit(tap.run(setup))
