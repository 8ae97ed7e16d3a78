"""test_ssfilter.py - ss's filter language: for every expression of a corpus, tcptable lists
exactly the sockets `ss -tan EXPRESSION` lists, in a private network namespace holding a known
set of sockets (LISTEN in both families and dual-stack, ESTABLISHED over IPv4, IPv6 and
v4-mapped, FIN-WAIT-2, CLOSE-WAIT, TIME-WAIT, SYN-SENT, SYN-RECV), on well-known, low and
high ports. Rows are compared as sets of (local address, local port, remote address, remote
port, state), for --source=netlink (the kernel runs the compiled bytecode) and --source=proc
(only the user-space re-check runs). Malformed expressions exit 2 and name the position.

ss (iproute2) is the oracle: it must be installed; the case fails otherwise.
"""
import ipaddress
import os
import re
import shutil
import socket
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmdlib as C  # noqa: E402

V4, V6 = socket.AF_INET, socket.AF_INET6
keep = []
all_rows = {}  # (local, lport, remote, rport) -> state, from an unfiltered ss

SS_STATES = {'ESTAB': 'ESTABLISHED', 'UNCONN': 'CLOSE'}


def norm_addr(text):
    text = text.split('%', 1)[0]
    if text == '*':
        return '::'
    return ipaddress.ip_address(text.strip('[]')).compressed


def split_end(end):
    addr, port = end.rsplit(':', 1)
    return norm_addr(addr), 0 if port == '*' else int(port)


def ss_rows(args):
    """The rows `ss -tanH ARGS` prints, as (family, local, lport, remote, rport, state)."""
    if not shutil.which('ss'):
        C.fail('ss (iproute2) is not installed: it is the oracle of this test')
    p = subprocess.run(['ss', '-tanH'] + args, capture_output=True, text=True, timeout=30)
    if p.returncode != 0:
        C.fail('ss -tanH %s failed: %s' % (' '.join(args), p.stderr.strip()))
    rows = []
    for line in p.stdout.splitlines():
        f = line.split()
        if not f:
            continue
        # with one state selected, ss leaves the State column out
        state = None if re.fullmatch(r'\d+', f[0]) else f.pop(0)
        local, remote = split_end(f[2]), split_end(f[3])
        key = local + remote
        if state is None:
            state = all_rows.get(key)
            C.check(state is not None, 'ss listed %r, which the unfiltered ss did not' % (key,))
        rows.append((family_of(key[0]),) + key + (SS_STATES.get(state, state),))
    return rows


def tcptable_rows(args, source):
    r = C.run('--source=' + source, '--jsonl', *args)
    return [(family_of(norm_addr(x['local_address'])), norm_addr(x['local_address']),
             x['local_port'], norm_addr(x['remote_address']), x['remote_port'], x['state'])
            for x in r.jsonl()]


def family_of(addr):
    return 'ipv6' if ':' in addr else 'ipv4'


def setup():
    C.enter_private_netns('test_ssfilter')
    listeners = {
        22: C.listener(V4, '127.0.0.1', 22),
        80: C.listener(V4, '0.0.0.0', 80),
        443: C.listener(V6, '::', 443),                 # dual stack
        1024: C.listener(V6, '::1', 1024, v6only=True),
        1025: C.listener(V4, '127.0.0.2', 1025),
        7001: C.listener(V4, '127.0.0.1', 7001),
        7002: C.listener(V6, '::', 7002, v6only=True),
    }
    keep.extend(listeners.values())

    def pair(port, fam, addr, bind=None):
        c = C.connect(fam, addr, port, bind)
        s, _ = listeners[port].accept()
        keep.extend([c, s])
        return c, s

    pair(22, V4, '127.0.0.1')
    pair(80, V4, '127.0.0.3', bind='127.0.0.4')
    pair(443, V4, '127.0.0.1', bind='127.0.0.5')  # server end ::ffff:127.0.0.1
    pair(443, V6, '::1')
    pair(1024, V6, '::1')
    pair(1025, V4, '127.0.0.2')

    # FIN-WAIT-2 / CLOSE-WAIT
    c, s = pair(7001, V4, '127.0.0.1')
    c.shutdown(socket.SHUT_WR)
    C.wait_state(c, 'FIN-WAIT-2')
    C.wait_state(s, 'CLOSE-WAIT')

    # TIME-WAIT: the client closes first
    c = C.connect(V4, '127.0.0.6', 80)
    s, _ = listeners[80].accept()
    c.close()
    C.wait_state(s, 'CLOSE-WAIT')
    s.close()
    C.wait_no_rows('--state', 'last-ack')

    # SYN-SENT and SYN-RECV: a client that hears nothing
    c = socket.socket(V4, socket.SOCK_STREAM)
    C.attach_drop_all_filter(c)
    c.bind(('127.0.0.7', 0))
    c.setblocking(False)
    try:
        c.connect(('127.0.0.1', 7001))
    except BlockingIOError:
        pass
    keep.append(c)
    r = C.run('--state', 'syn-recv', '--jsonl')
    if len(r.jsonl()) != 1:
        C.fail('the SYN-RECV request did not appear: %s' % r.describe())
    for row in ss_rows([]):
        all_rows[row[1:5]] = row[5]
    C.check(len(all_rows) == 24, 'the namespace holds too few sockets: %r' % all_rows)


# Each entry: the expression as tcptable gets it, and the same for ss when ss spells it
# differently (None: the same words).
CORPUS = [
    # states and groups
    (['state', 'established'], None),
    (['state', 'listening'], None),
    (['state', 'syn-sent'], None),
    (['state', 'syn-recv'], None),
    (['state', 'fin-wait-2'], None),
    (['state', 'close-wait'], None),
    (['state', 'time-wait'], None),
    (['state', 'closed'], None),
    (['state', 'all'], None),
    (['state', 'connected'], None),
    (['state', 'synchronized'], None),
    (['state', 'bucket'], None),
    (['state', 'big'], None),
    (['exclude', 'listening'], None),
    (['excl', 'established'], None),
    (['state', 'connected', 'exclude', 'established'], None),
    (['state', 'established', 'state', 'time-wait'], None),
    (['state', 'established,time-wait'], ['state', 'established', 'state', 'time-wait']),
    # the example of the issue
    (['state', 'established', '( dport = :443 or sport = :443 )'], None),
    # addresses
    (['dst', '127.0.0.0/8'], None),
    (['dst 127.0.0.1'], None),
    (['src', '[::1]'], None),
    (['src', '[::ffff:127.0.0.1]'], None),
    (['src', '0.0.0.0/0'], None),
    (['src', '[::/0]'], None),
    (['dst', '127.0.0.1:443'], None),
    (['dst', '[::1]:443'], None),
    (['dst', '::1:443'], None),  # ss cuts at the last ':'
    (['src', 'fe80::1:1024 or src ::1:1024'], None),
    (['src', '*:443'], None),
    (['dst', '*'], None),
    (['src = 127.0.0.2'], None),
    (['dst 127.0.0.1 or dst [::1]'], None),
    # ports and every comparison spelling
    (['sport', 'gt', ':1024'], None),
    (['sport > :1024'], None),
    (['sport >= :1024'], None),
    (['sport ge :1024'], None),
    (['sport geq :1024'], None),
    (['sport < :1024'], None),
    (['sport lt :1024'], None),
    (['sport <= :1024'], None),
    (['sport le :1024'], None),
    (['dport leq :1024'], None),
    (['dport', '!=', ':22'], None),
    (['dport ne :22'], None),
    (['dport neq :443'], None),
    (['sport = :443'], None),
    (['sport == :443'], None),
    (['sport eq :443'], None),
    (['sport :443'], None),
    (['dport = 443'], None),
    (['sport = :ssh or dport = :https'], None),
    (['sport = :0x1bb'], None),
    (['sport = *'], None),
    # not, and, or, and their spellings
    (['not sport = :22'], None),
    (['! sport = :22'], None),
    (['not not sport = :22'], None),
    (['src 127.0.0.1 and dport = :22'], None),
    (['src 127.0.0.1 && dport = :22'], None),
    (['src 127.0.0.1 & dport = :22'], None),
    (['src 127.0.0.1 dport = :22'], None),
    (['sport = :22 or sport = :80'], None),
    (['sport = :22 || sport = :80'], None),
    (['sport = :22 | sport = :80'], None),
    (['sport = :22 , sport = :80'], ['sport = :22 or sport = :80']),
    # one precedence, from the left, as ss's grammar has it
    (['sport = :22 or sport = :80 and dst 127.0.0.1'], None),
    (['dst 127.0.0.1 and sport = :22 or sport = :80'], None),
    (['not sport = :22 or sport = :22'], None),
    # nesting
    (['( ( sport = :22 or sport = :443 ) and not ( dst 127.0.0.1 ) )'], None),
    (['not ( sport >= :1024 or dport >= :1024 )'], None),
    (['( src [::1] or ( src 127.0.0.0/8 and ( dport = :80 or dport = :1025 ) ) )'], None),
    (['(sport = :22)', 'or', '(dport = :22)'], ['( sport = :22 )', 'or', '( dport = :22 )']),
    (['!(sport = :22)'], ['! ( sport = :22 )']),
    # states and an expression together
    (['state', 'listening', 'sport', '<', ':1024'], None),
    (['exclude', 'time-wait', '( sport >= :1024 and dport > :1024 )'], None),
    (['state', 'bucket', 'dst 127.0.0.0/8'], None),
    (['state', 'synchronized', 'not src [::1]'], None),
]

BAD = [
    # (expression, position, token)
    (['( sport = :22'], 14, ''),
    (['sport = :22 )'], 13, ')'),
    (['sport', '>'], 8, ''),
    (['dport = :99999'], 9, ':99999'),
    (['src 1.2.3.4/33'], 5, '1.2.3.4/33'),
    (['state', 'bogus'], 7, 'bogus'),
    (['and sport = :1'], 1, 'and'),
    (['state', 'established', '( dport = :443 or sport = )'], 45, ')'),
    (['sport = :22 or or dport = :22'], 16, 'or'),
    (['src > 127.0.0.1'], 5, '>'),
]


# Each dump walks the kernel's whole table (every namespace's sockets), so ss answers each
# expression once, for the netlink case and the /proc case that follows it at once (the only
# sockets that change, TIME-WAIT ones, live 60 s).
last_ss = {}
ss_sizes = {}


def corpus_case(args, ss_args, source):
    def run():
        key = tuple(ss_args if ss_args is not None else args)
        if source == 'netlink' or key not in last_ss:
            last_ss.clear()
            last_ss[key] = ss_rows(list(key))
        want = last_ss[key]
        ss_sizes[key] = len(want)
        got = tcptable_rows(args, source)
        C.check_same_rows(got, want, 'tcptable %s (--source=%s) against ss'
                          % (' '.join(args), source))
    return run


tap = C.Tap()
for args, ss_args in CORPUS:
    for source in ('netlink', 'proc'):
        tap.add('%s (%s)' % (' '.join(args), source), corpus_case(args, ss_args, source))


@tap.case('the corpus has at least 40 expressions that select neither all nor none')
def corpus_is_big_and_discriminating():
    C.check(len(CORPUS) >= 40, 'only %d expressions' % len(CORPUS))
    distinct = {tuple(ss if ss is not None else a) for a, ss in CORPUS}
    C.check_eq(set(ss_sizes), distinct, 'the expressions ss answered')
    partial = [n for n in ss_sizes.values() if 0 < n < len(all_rows)]
    C.check(len(partial) >= 40, 'only %d expressions select a proper subset' % len(partial))


@tap.case('malformed expressions exit 2 naming the token and its position')
def malformed():
    for args, position, token in BAD:
        r = C.run(*args, status=None)
        err = r.err.decode(errors='replace')
        C.check(r.status == 2 and r.out == b'' and r.err.count(b'\n') == 1,
                'want exit 2, no output and one line on stderr: ' + r.describe())
        C.check('position %d' % position in err, 'no "position %d": %s' % (position, err))
        if token:
            C.check("'%s'" % token in err, 'the token %r is not named: %s' % (token, err))
        else:
            C.check('(its end)' in err, 'the end is not named: %s' % err)


@tap.case('an empty set of states lists nothing (where ss falls back to its default states)')
def no_states():
    for source in ('netlink', 'proc'):
        got = tcptable_rows(['state', 'listening', 'exclude', 'listening'], source)
        C.check_same_rows(got, [], 'state listening exclude listening (%s)' % source)
        got = tcptable_rows(['-l', 'state', 'established'], source)
        C.check_same_rows(got, [], '-l narrowed to established (%s)' % source)


@tap.case('the filter language and the filter options combine with and')
def combined_with_options():
    got = tcptable_rows(['--dport', '22,443', 'state', 'established', 'src 127.0.0.0/8'],
                        'netlink')
    want = ss_rows(['state', 'established', '( dport = :22 or dport = :443 ) and src 127.0.0.0/8'])
    C.check_same_rows(got, want, '--dport with the filter language')
    got = tcptable_rows(['--state', 'listen,established', 'exclude', 'established'], 'netlink')
    want = ss_rows(['state', 'listening'])
    C.check_same_rows(got, want, '--state narrowed by exclude')


if __name__ == '__main__':
    sys.exit(tap.run(setup))
