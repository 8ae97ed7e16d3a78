"""test_filters.py - every filter of tcptable against sockets whose every detail the test knows.

In a private network namespace the test makes listeners and connections in many states
(LISTEN, ESTABLISHED, SYN-SENT, SYN-RECV, FIN-WAIT-2, CLOSE-WAIT, TIME-WAIT, a bound-only
socket), in both families, including an IPv4 client of a dual-stack listener (a v4-mapped IPv6
socket), sockets of another uid (nobody) and of processes with known names. For each filter
(--state names and groups, --sport/--dport/--port single, range, list and service name,
--src/--dst addresses and prefixes, --pid, --user, --comm, -4/-6/-l, and combinations) it
compares the exact set of rows (family, local end, remote end, state) tcptable prints with the
set a model of the filter's documented semantics selects, for --source=netlink and
--source=proc.

Semantics modelled (tcptable --help, include/tcptable.h): options AND, items of a list OR;
an IPv4 prefix also matches v4-mapped IPv6 addresses (an IPv6 prefix matches IPv6 rows only);
--pid and --comm match rows with an owner of that pid or exact name (never TIME-WAIT/SYN-RECV);
--user matches the socket's uid.
"""
import os
import socket
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmdlib as C  # noqa: E402

V4, V6 = socket.AF_INET, socket.AF_INET6
ME = os.getpid()
MY_NAME = 'tcpt-filters'
keep = []          # sockets kept open for the whole run
holders = []
model = []         # the rows the namespace holds (what an unfiltered listing shows)
bound_only = None  # the row of a socket bound but neither listening nor connected


def row(fam, local, remote, state, uid=0, owners=()):
    fam_name = 'ipv6' if fam in (V6, 'ipv6') else 'ipv4'
    if remote is None:
        remote = ('::' if fam_name == 'ipv6' else '0.0.0.0', 0)
    r = {'family': fam_name, 'local_address': local[0], 'local_port': local[1],
         'remote_address': remote[0], 'remote_port': remote[1], 'state': state, 'uid': uid,
         'owners': set(owners)}
    return r


def add(*args, **kw):
    r = row(*args, **kw)
    model.append(r)
    return r


def ends(s):
    return s.getsockname()[:2], s.getpeername()[:2]


def setup():
    global bound_only
    C.enter_private_netns('test_filters')
    C.set_comm(MY_NAME)
    me = (ME, MY_NAME)

    # Other processes first, so that they inherit none of our sockets.
    nobody = C.Holder('--uid', 65534, '--name', 'tcpt-nobody', '--listen', 4, '127.0.0.1', 7005)
    holders.append(nobody)
    add(V4, ('127.0.0.1', 7005), None, 'LISTEN', uid=65534, owners=[(nobody.pid, 'tcpt-nobody')])

    L1 = C.listener(V4, '127.0.0.1', 7001)
    L2 = C.listener(V4, '0.0.0.0', 7002)
    L3 = C.listener(V6, '::1', 7003, v6only=True)
    L4 = C.listener(V6, '::', 7004)
    L8 = C.listener(V4, '127.0.0.1', 7008)
    L9 = C.listener(V4, '127.0.0.1', 8080)  # "http-alt" in /etc/services
    L10 = C.listener(V4, '127.0.0.1', 443)  # "https"
    keep.extend([L1, L2, L3, L4, L8, L9, L10])
    add(V4, ('127.0.0.1', 7001), None, 'LISTEN', owners=[me])
    add(V4, ('0.0.0.0', 7002), None, 'LISTEN', owners=[me])
    add(V6, ('::1', 7003), None, 'LISTEN', owners=[me])
    add(V6, ('::', 7004), None, 'LISTEN', owners=[me])
    add(V4, ('127.0.0.1', 7008), None, 'LISTEN', owners=[me])
    add(V4, ('127.0.0.1', 8080), None, 'LISTEN', owners=[me])
    add(V4, ('127.0.0.1', 443), None, 'LISTEN', owners=[me])

    holder = C.Holder('--name', 'tcpt-holder', '--listen', 4, '127.0.0.1', 7006,
                      '--connect', 4, '127.0.0.1', 7001)
    holders.append(holder)
    hl, hc = holder.info['sockets']
    hown = [(holder.pid, 'tcpt-holder')]
    add(V4, tuple(hl['local']), None, 'LISTEN', owners=hown)
    add(V4, tuple(hc['local']), tuple(hc['remote']), 'ESTABLISHED', owners=hown)
    a, _ = L1.accept()
    keep.append(a)
    add(V4, *ends(a), 'ESTABLISHED', owners=[me])

    def pair(listener, fam, addr, port, bind=None):
        c = C.connect(fam, addr, port, bind)
        s, _ = listener.accept()
        keep.extend([c, s])
        add(c.family, *ends(c), 'ESTABLISHED', owners=[me])
        add(s.family, *ends(s), 'ESTABLISHED', owners=[me])
        return c, s

    pair(L1, V4, '127.0.0.1', 7001)                  # IPv4 both ends
    pair(L10, V4, '127.0.0.1', 443)
    pair(L3, V6, '::1', 7003)                        # IPv6 both ends
    pair(L4, V4, '127.0.0.1', 7004, bind='127.0.0.2')  # server end ::ffff:127.0.0.1:7004

    # FIN-WAIT-2 / CLOSE-WAIT: the client shuts down its sending side, the server keeps going.
    c = C.connect(V4, '127.0.0.3', 7002)
    s, _ = L2.accept()
    keep.extend([c, s])
    c.shutdown(socket.SHUT_WR)
    C.wait_state(c, 'FIN-WAIT-2')
    C.wait_state(s, 'CLOSE-WAIT')
    add(V4, *ends(c), 'FIN-WAIT-2', owners=[me])
    add(V4, *ends(s), 'CLOSE-WAIT', owners=[me])

    # TIME-WAIT: the client closes first; nobody owns the row, its uid and inode are 0.
    c = C.connect(V4, '127.0.0.4', 7002)
    s, _ = L2.accept()
    tw = ends(c)
    c.close()
    C.wait_state(s, 'CLOSE-WAIT')
    s.close()
    add(V4, *tw, 'TIME-WAIT')
    C.wait_no_rows('--state', 'last-ack')

    # SYN-SENT and SYN-RECV: a client that hears nothing (a socket filter drops every
    # packet) never completes the handshake; the listener keeps a request (SYN-RECV).
    c = socket.socket(V4, socket.SOCK_STREAM)
    C.attach_drop_all_filter(c)
    c.bind(('127.0.0.5', 0))
    c.setblocking(False)
    try:
        c.connect(('127.0.0.1', 7008))
    except BlockingIOError:
        pass
    keep.append(c)
    add(V4, c.getsockname()[:2], ('127.0.0.1', 7008), 'SYN-SENT', owners=[me])
    add(V4, ('127.0.0.1', 7008), c.getsockname()[:2], 'SYN-RECV')

    # Bound, neither listening nor connected: shown only by --state bound-inactive (as CLOSE).
    b = socket.socket(V4, socket.SOCK_STREAM)
    b.bind(('127.0.0.1', 7010))
    keep.append(b)
    bound_only = row(V4, ('127.0.0.1', 7010), None, 'CLOSE', owners=[me])

    # Wait for every SYN-RECV request to exist (the SYN is delivered at once on lo).
    r = C.run('--state', 'syn-recv', '--jsonl')
    if len(r.jsonl()) != 1:
        C.fail('the SYN-RECV request did not appear: %s' % r.describe())


def teardown():
    for h in holders:
        h.stop()


# --- the model of each filter ---------------------------------------------------------------

GROUPS = {
    'all': {'ESTABLISHED', 'SYN-SENT', 'SYN-RECV', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT',
            'CLOSE', 'CLOSE-WAIT', 'LAST-ACK', 'LISTEN', 'CLOSING'},
}
GROUPS['connected'] = GROUPS['all'] - {'LISTEN', 'CLOSE'}
GROUPS['synchronized'] = GROUPS['connected'] - {'SYN-SENT'}
GROUPS['bucket'] = {'SYN-RECV', 'TIME-WAIT'}
GROUPS['big'] = GROUPS['all'] - GROUPS['bucket']
GROUPS['listening'] = {'LISTEN'}


def states(*names):
    out = set()
    for n in names:
        out |= GROUPS.get(n, {n.upper().replace('_', '-')})
    return lambda r: r['state'] in out


def in_ranges(port, spec):
    return any(a <= port <= b for a, b in spec)


def sport(*spec):
    return lambda r: in_ranges(r['local_port'], spec)


def dport(*spec):
    return lambda r: in_ranges(r['remote_port'], spec)


def anyport(*spec):
    return lambda r: in_ranges(r['local_port'], spec) or in_ranges(r['remote_port'], spec)


def prefix_match(addr, fam, prefix):
    """The kernel's inet_diag host condition: a v4 prefix matches IPv4 rows and v4-mapped
    addresses of IPv6 rows; a v6 prefix only IPv6 rows."""
    import ipaddress
    net = ipaddress.ip_network(prefix, strict=False)
    a = ipaddress.ip_address(addr)
    if net.version == 4:
        if fam == 'ipv6':
            if a.ipv4_mapped is None:
                return False
            a = a.ipv4_mapped
        return a in net
    return fam == 'ipv6' and a in net


def src(*prefixes):
    return lambda r: any(prefix_match(r['local_address'], r['family'], p) for p in prefixes)


def dst(*prefixes):
    return lambda r: any(prefix_match(r['remote_address'], r['family'], p) for p in prefixes)


def pid(*pids):
    return lambda r: any(p in pids for p, _ in r['owners'])


def comm(*names):
    return lambda r: any(n in names for _, n in r['owners'])


def user(*uids):
    return lambda r: r['uid'] in uids


def family(name):
    return lambda r: r['family'] == name


def all_of(*preds):
    return lambda r: all(p(r) for p in preds)


def everything(r):
    return True


def holder_pid(name):
    for h in holders:
        if C.read_comm(h.pid) == name.encode():
            return h.pid
    C.fail('no holder named %s' % name)


NOTHING = 'a filter nothing matches'

# (name, args, predicate); args may hold callables, resolved once the holders exist.
FILTERS = [
    ('no filter lists every socket of the namespace', [], everything),
    ('--state established', ['--state', 'established'], states('established')),
    ('--state listen', ['--state', 'listen'], states('listen')),
    ('--state syn-sent', ['--state', 'syn-sent'], states('syn-sent')),
    ('--state syn-recv', ['--state', 'syn-recv'], states('syn-recv')),
    ('--state fin-wait-2', ['--state', 'fin-wait-2'], states('fin-wait-2')),
    ('--state close-wait', ['--state', 'close-wait'], states('close-wait')),
    ('--state time-wait', ['--state', 'time-wait'], states('time-wait')),
    ('--state TIME_WAIT (case and underscore)', ['--state', 'TIME_WAIT'], states('time-wait')),
    ('--state established,time-wait (a list is OR)', ['--state', 'established,time-wait'],
     states('established', 'time-wait')),
    ('--state given twice adds', ['--state', 'syn-sent', '--state', 'close-wait'],
     states('syn-sent', 'close-wait')),
    ('--state all', ['--state', 'all'], everything),
    ('--state connected (all but LISTEN and CLOSE)', ['--state', 'connected'],
     states('connected')),
    ('--state synchronized (connected but SYN-SENT)', ['--state', 'synchronized'],
     states('synchronized')),
    ('--state bucket (SYN-RECV, TIME-WAIT)', ['--state', 'bucket'], states('bucket')),
    ('--state big (all but the bucket)', ['--state', 'big'], states('big')),
    ('--state listening', ['--state', 'listening'], states('listening')),
    ('--sport one port', ['--sport', '7001'], sport((7001, 7001))),
    ('--sport a range', ['--sport', '7001-7004'], sport((7001, 7004))),
    ('--sport a list', ['--sport', '7003,7008,7005'],
     sport((7003, 7003), (7008, 7008), (7005, 7005))),
    ('--sport a service name (https = 443)', ['--sport', 'https'], sport((443, 443))),
    ('--sport a service name with a dash (http-alt = 8080)', ['--sport', 'http-alt'],
     sport((8080, 8080))),
    ('--sport a range from a service name', ['--sport', '443-http-alt'], sport((443, 8080))),
    ('--sport a range and a port', ['--sport', '7000-7002,8080'],
     sport((7000, 7002), (8080, 8080))),
    ('--dport one port', ['--dport', '7001'], dport((7001, 7001))),
    ('--dport a service name', ['--dport', 'https'], dport((443, 443))),
    ('--dport a range', ['--dport', '7002-7004'], dport((7002, 7004))),
    ('--dport a list', ['--dport', '7008,7004'], dport((7008, 7008), (7004, 7004))),
    ('--port one port (either end)', ['--port', '7001'], anyport((7001, 7001))),
    ('--port a range (either end)', ['--port', '7003-7004'], anyport((7003, 7004))),
    ('--port a list (either end)', ['--port', '7002,7008'], anyport((7002, 7002), (7008, 7008))),
    ('--src an IPv4 address', ['--src', '127.0.0.1'], src('127.0.0.1/32')),
    ('--src an IPv4 prefix', ['--src', '127.0.0.0/8'], src('127.0.0.0/8')),
    ('--src an IPv4 address list', ['--src', '127.0.0.3,127.0.0.5'],
     src('127.0.0.3/32', '127.0.0.5/32')),
    ('--src 0.0.0.0 (the wildcard address, exactly)', ['--src', '0.0.0.0'], src('0.0.0.0/32')),
    ('--src an IPv6 address', ['--src', '::1'], src('::1/128')),
    ('--src an IPv6 address in brackets', ['--src', '[::1]'], src('::1/128')),
    ('--src an IPv6 prefix', ['--src', '::/0'], src('::/0')),
    ('--src a v4-mapped IPv6 prefix', ['--src', '::ffff:127.0.0.0/104'],
     src('::ffff:127.0.0.0/104')),
    ('--dst an IPv4 address matches the v4-mapped IPv6 socket too', ['--dst', '127.0.0.2'],
     dst('127.0.0.2/32')),
    ('--dst an IPv4 prefix', ['--dst', '127.0.0.0/8'], dst('127.0.0.0/8')),
    ('--dst an IPv4 /0 prefix', ['--dst', '0.0.0.0/0'], dst('0.0.0.0/0')),
    ('--dst an IPv6 address', ['--dst', '::1'], dst('::1/128')),
    ('--dst an IPv6 and an IPv4 address', ['--dst', '::1,127.0.0.5'],
     dst('::1/128', '127.0.0.5/32')),
    ('--pid this process', ['--pid', lambda: str(ME)], pid(ME)),
    ('--pid another process', ['--pid', lambda: str(holder_pid('tcpt-holder'))],
     lambda r: pid(holder_pid('tcpt-holder'))(r)),
    ('--pid a list', ['--pid', lambda: '%d,%d' % (holder_pid('tcpt-holder'),
                                                   holder_pid('tcpt-nobody'))],
     lambda r: pid(holder_pid('tcpt-holder'), holder_pid('tcpt-nobody'))(r)),
    ('--user a name', ['--user', 'nobody'], user(65534)),
    ('--user a uid', ['--user', '65534'], user(65534)),
    ('--user root', ['--user', 'root'], user(0)),
    ('--user a list', ['--user', '0,nobody'], user(0, 65534)),
    ('--comm a name', ['--comm', 'tcpt-holder'], comm('tcpt-holder')),
    ('--comm a list', ['--comm', 'tcpt-holder,tcpt-nobody'], comm('tcpt-holder', 'tcpt-nobody')),
    ('--comm this process', ['--comm', MY_NAME], comm(MY_NAME)),
    ('-4', ['-4'], family('ipv4')),
    ('-6', ['-6'], family('ipv6')),
    ('-4 -6 (both families)', ['-4', '-6'], everything),
    ('-l', ['-l'], states('listen')),
    ('--listening', ['--listening'], states('listen')),
    ('-4 -l', ['-4', '-l'], all_of(family('ipv4'), states('listen'))),
    ('-6 -l', ['-6', '-l'], all_of(family('ipv6'), states('listen'))),
    ('--sport and --state (AND)', ['--sport', '7001', '--state', 'established'],
     all_of(sport((7001, 7001)), states('established'))),
    ('--state list and --sport range', ['--state', 'listening,established', '--sport',
                                        '7001-7004'],
     all_of(states('listen', 'established'), sport((7001, 7004)))),
    ('-6 and --dst IPv4 prefix (the v4-mapped row only)', ['-6', '--dst', '127.0.0.0/8'],
     all_of(family('ipv6'), dst('127.0.0.0/8'))),
    ('--src and --dport', ['--src', '127.0.0.1', '--dport', '7001'],
     all_of(src('127.0.0.1/32'), dport((7001, 7001)))),
    ('--user and --comm', ['--user', 'root', '--comm', 'tcpt-holder,tcpt-nobody'],
     all_of(user(0), comm('tcpt-holder', 'tcpt-nobody'))),
    ('--pid and --state', ['--pid', lambda: str(ME), '--state', 'listening'],
     all_of(pid(ME), states('listen'))),
    ('-4 and --port', ['-4', '--port', '7004'], all_of(family('ipv4'), anyport((7004, 7004)))),
    ('--sport and --dport', ['--sport', '7001-7010', '--dport', '30000-65535'],
     all_of(sport((7001, 7010)), dport((30000, 65535)))),
    ('--src and --dst', ['--src', '127.0.0.0/8', '--dst', '127.0.0.5'],
     all_of(src('127.0.0.0/8'), dst('127.0.0.5/32'))),
    (NOTHING, ['--sport', '1', '--state', 'listening'], lambda r: False),
]


def resolve(args):
    return [a() if callable(a) else a for a in args]


results = {}  # (source, args) -> Result: the listings, taken concurrently once set up


def take_listings():
    """Run every filter's tcptable at once (the cases then only compare): the suite stays
    fast on a busy machine, well within the life of the SYN-RECV request."""
    import concurrent.futures
    jobs = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        for source in ('netlink', 'proc'):
            for name, args, pred in FILTERS:
                argv = tuple(resolve(args))
                jobs[(source, argv)] = pool.submit(C.run, '--source=' + source, '--jsonl',
                                                   *argv, status=None)
        for k, f in jobs.items():
            try:
                results[k] = f.result()
            except Exception as e:  # reported by the case
                results[k] = e


def filter_case(name, args, pred, source):
    def run():
        argv = resolve(args)
        if not results:
            take_listings()
        r = results[(source, tuple(argv))]
        if isinstance(r, Exception):
            raise r
        if r.status != 0:
            C.fail('expected exit status 0; %s' % r.describe())
        want = [C.key_of(m) for m in model if pred(m)]
        C.check(want or name == NOTHING, 'the model selects no row: a weak case')
        C.check_same_rows([C.key_of(x) for x in r.jsonl()], want,
                          'tcptable --source=%s %s' % (source, ' '.join(argv)))
    return run


# Known bugs: the case fails as 'not ok # TODO' until fixed, then passes as a plain 'ok'.
KNOWN_BUGS = {}

tap = C.Tap()
for source in ('netlink', 'proc'):
    for name, args, pred in FILTERS:
        tap.add('%s (%s)' % (name, source), filter_case(name, args, pred, source),
                known_bug=KNOWN_BUGS.get(name))


@tap.case('--state bound-inactive lists the bound-only socket as CLOSE (netlink)')
def bound_inactive_netlink():
    r = C.run('--source=netlink', '--jsonl', '--state', 'bound-inactive')
    C.check_same_rows([C.key_of(x) for x in r.jsonl()], [C.key_of(bound_only)],
                      'tcptable --state bound-inactive')


@tap.case('--state bound-inactive,listening combines the bound socket and listeners')
def bound_inactive_and_listening():
    r = C.run('--source=netlink', '--jsonl', '--state', 'bound-inactive,listening')
    want = [C.key_of(m) for m in model if m['state'] == 'LISTEN'] + [C.key_of(bound_only)]
    C.check_same_rows([C.key_of(x) for x in r.jsonl()], want,
                      'tcptable --state bound-inactive,listening')


@tap.case('rows carry the uid of the process that made the socket')
def uids_are_right():
    for source in ('netlink', 'proc'):
        r = C.run('--source=' + source, '--jsonl')
        got = {C.key_of(x): x['uid'] for x in r.jsonl()}
        for m in model:
            C.check_eq(got.get(C.key_of(m)), m['uid'], 'uid of %s (%s)' % (C.key_of(m), source))


@tap.case('--pid and --comm match the owners -p shows')
def owners_are_right():
    r = C.run('--jsonl', '-p')
    for x in r.jsonl():
        m = next((m for m in model if C.key_of(m) == C.key_of(x)), None)
        C.check(m is not None, 'unexpected row %s' % (C.key_of(x),))
        got = {(o['pid'], o['name']) for o in x['owners']}
        C.check_eq(got, m['owners'], 'owners of %s' % (C.key_of(x),))


BAD_VALUES = [
    ('--state', 'establishd'), ('--state', 'established,'), ('--sport', '80x'),
    ('--sport', '9000-8000'), ('--sport', '65536'), ('--dport', '1-'), ('--port', ''),
    ('--src', '10.0.0.0/33'), ('--src', '::1/129'), ('--dst', 'example'), ('--pid', '0'),
    ('--pid', 'abc'), ('--user', 'no-such-user-tcpt'), ('--comm', 'a-name-longer-than-15'),
]


@tap.case('a bad filter value is one line on stderr and exit status 2')
def bad_values():
    for opt, value in BAD_VALUES:
        r = C.run(opt, value, status=None)
        C.check(r.status == 2 and r.out == b'' and r.err.count(b'\n') == 1
                and r.err.startswith(b'tcptable: '),
                'tcptable %s %r: want exit 2, empty stdout, one line on stderr; %s'
                % (opt, value, r.describe()))


if __name__ == '__main__':
    sys.exit(tap.run(setup, teardown))
