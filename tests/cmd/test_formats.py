"""test_formats.py - tcptable's output formats parsed by real parsers and compared, field by
field, with sockets the test made and measured itself.

--json (python3 -m json.tool and json.loads), --jsonl (line by line), --csv (Python's csv
module): the documented field names in the documented order (src/cli/record.h), numbers as
JSON numbers, and each value against the truth taken from the socket's descriptor: the
namespace's inode, the socket inode (fstat), its cookie (SO_COOKIE), the uid of its creator,
its cgroup id, the interface it is bound to, its queues (SIOCINQ/SIOCOUTQ, a listener's
backlog), its timer (a zero-window sender has the persist timer), -e user and cgroup, -p owners
{pid, fd, name, exe} in (pid, fd) order, -i tcp_info against getsockopt(TCP_INFO). Also the
/proc source's documented zeros, the summary (-s, table and JSON) against the sockets and
/proc/net/snmp, the table's -o and -i text, --format, and empty results.
"""
import collections
import csv
import io
import json
import os
import re
import socket
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmdlib as C  # noqa: E402

V4, V6 = socket.AF_INET, socket.AF_INET6
ME = os.getpid()
MY_NAME = 'tcpt-formats'
S = {}          # name -> socket
holders = {}
dups = []       # extra descriptors
tw_ends = None  # the TIME-WAIT row's ends
NETNS = None
CGROUP = None   # (path, id) of this process's cgroup v2


def own_cgroup():
    path = None
    with open('/proc/self/cgroup') as f:
        for line in f:
            if line.startswith('0::'):
                path = line[3:].rstrip('\n')
    mount = None
    with open('/proc/self/mountinfo') as f:
        for line in f:
            left, right = line.split(' - ', 1)
            if right.split()[0] == 'cgroup2':
                mount = left.split()[4]
                break
    if path is None or mount is None:
        return None
    return path, os.stat(mount + (path if path != '/' else '')).st_ino


def setup():
    global NETNS, CGROUP, tw_ends
    C.enter_private_netns('test_formats')
    C.set_comm(MY_NAME)
    NETNS = C.netns_inode()
    CGROUP = own_cgroup()
    holders['nobody'] = C.Holder('--uid', 65534, '--name', 'tcpt-nobody',
                                 '--listen', 4, '127.0.0.1', 7104)

    # An idle connection with known traffic: 1000 bytes client -> server, all read; 300
    # bytes server -> client, left unread.
    S['L1'] = C.listener(V4, '127.0.0.1', 7101, backlog=11)
    S['c1'] = C.connect(V4, '127.0.0.1', 7101)
    S['s1'], _ = S['L1'].accept()
    S['c1'].sendall(b'x' * 1000)
    got = 0
    while got < 1000:
        got += len(S['s1'].recv(1000 - got))
    S['s1'].sendall(b'y' * 300)
    deadline = time.monotonic() + 5
    while C.inq(S['c1']) != 300 or C.tcp_info(S['c1'])['bytes_acked'] != 1001:
        C.check(time.monotonic() < deadline, 'traffic did not settle')
        time.sleep(0.01)
    dups.append(os.dup(S['c1'].fileno()))  # c1 has two descriptors in this process

    # A sender facing a zero window: bytes unacknowledged, the persist timer runs.
    S['L2'] = C.listener(V4, '127.0.0.1', 7102, rcvbuf=4096)
    S['c2'] = C.connect(V4, '127.0.0.1', 7102)
    S['s2'], _ = S['L2'].accept()
    S['c2'].setblocking(False)
    try:
        while True:
            S['c2'].send(b'z' * 65536)
    except BlockingIOError:
        pass
    deadline = time.monotonic() + 5
    while C.outq(S['c2']) == 0 or C.inq(S['s2']) == 0:
        C.check(time.monotonic() < deadline, 'the window never closed')
        time.sleep(0.01)

    # An IPv6 listener bound to lo with a connection it has not accepted: recv_q 1.
    S['L3'] = C.listener(V6, '::1', 7103, backlog=17, v6only=True, device='lo')
    S['c3'] = C.connect(V6, '::1', 7103)
    deadline = time.monotonic() + 5
    while True:
        r = C.run('--jsonl', '--sport', '7103', '--state', 'established')
        if len(r.jsonl()) == 1:
            break
        C.check(time.monotonic() < deadline, 'the pending connection never appeared')
        time.sleep(0.01)

    # TIME-WAIT: no owner, uid 0, inode 0, the timewait timer.
    c = C.connect(V4, '127.0.0.1', 7101)
    s, _ = S['L1'].accept()
    tw_ends = (c.getsockname()[:2], c.getpeername()[:2])
    c.close()
    C.wait_state(s, 'CLOSE-WAIT')
    s.close()
    C.wait_no_rows('--state', 'last-ack')


def teardown():
    for h in holders.values():
        h.stop()


def key(fam, local, remote, state):
    fam = 'ipv6' if fam in (V6, 'ipv6') else 'ipv4'
    if remote is None:
        remote = ('::' if fam == 'ipv6' else '0.0.0.0', 0)
    return (fam, local[0], local[1], remote[0], remote[1], state)


def sock_key(s):
    try:
        remote = s.getpeername()[:2]
    except OSError:
        remote = None
    return key(s.family, s.getsockname()[:2], remote, C.tcp_state(s))


def pending_key():
    c = S['c3']
    return key(V6, c.getpeername()[:2], c.getsockname()[:2], 'ESTABLISHED')


def all_keys():
    keys = [sock_key(S[n]) for n in ('L1', 'c1', 's1', 'L2', 'c2', 's2', 'L3', 'c3')]
    keys.append(pending_key())
    keys.append(key(V4, tw_ends[0], tw_ends[1], 'TIME-WAIT'))
    keys.append(key(V4, ('127.0.0.1', 7104), None, 'LISTEN'))
    return keys


def by_key(rows):
    out = {}
    for r in rows:
        k = C.key_of(r)
        C.check(k not in out, 'row listed twice: %s' % (k,))
        out[k] = r
    return out


def interface_of(s):
    name = s.getsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, 16).rstrip(b'\0')
    return socket.if_nametoindex(name.decode()) if name else 0


def truth(name, source='netlink'):
    """What tcptable must print for socket NAME (base fields, but timer_expires_ms)."""
    s = S[name]
    st = os.fstat(s.fileno())
    state = C.tcp_state(s)
    want = {
        'netns': NETNS, 'uid': st.st_uid, 'inode': st.st_ino, 'retransmits': 0,
        'cookie': C.cookie_of(s) if source == 'netlink' else 0,
        'cgroup_id': CGROUP[1] if source == 'netlink' and CGROUP else None,
        'interface': interface_of(s) if source == 'netlink' else 0,
        'timer': 'off',
    }
    if source != 'netlink':
        want['cgroup_id'] = 0
    if want['cgroup_id'] is None:
        del want['cgroup_id']
    if state == 'LISTEN':
        want['recv_q'] = 1 if name == 'L3' else 0
        want['send_q'] = {'L1': 11, 'L2': 16, 'L3': 17}[name] if source == 'netlink' else 0
    else:
        want['recv_q'] = C.inq(s)
        want['send_q'] = C.outq(s)
    if name == 'c2':
        want['timer'] = 'persist'
        del want['retransmits']  # zero-window probes sent so far: time-dependent
    return want


def listing(*args, source='netlink'):
    r = C.run('--source=' + source, '--json', *args)
    rows = r.json()
    C.check(isinstance(rows, list), '--json is not an array')
    return by_key(rows)


tap = C.Tap()


@tap.case('--json output is accepted by python3 -m json.tool')
def json_tool_accepts():
    for args in ([], ['-e', '-p', '-o', '-i'], ['--sport', '1']):
        r = C.run('--json', *args)
        p = subprocess.run([sys.executable, '-m', 'json.tool'], input=r.out, capture_output=True)
        C.check(p.returncode == 0, 'json.tool rejects `tcptable --json %s`: %s\n%r'
                % (' '.join(args), p.stderr.decode(errors='replace'), r.out[:500]))


@tap.case('--json lists exactly the sockets of the namespace')
def json_lists_the_sockets():
    C.check_same_rows(listing().keys(), all_keys(), 'tcptable --json')


@tap.case('--json fields are the documented names in the documented order')
def json_field_order():
    for k, r in listing().items():
        C.check_eq(list(r), C.BASE_FIELDS, 'fields of %s' % (k,))
    want = C.BASE_FIELDS + C.EXTENDED_FIELDS + ['owners', 'info']
    for k, r in listing('-e', '-p', '-i').items():
        C.check_eq(list(r), want, 'fields with -e -p -i of %s' % (k,))
        for o in r['owners']:
            C.check_eq(list(o), C.OWNER_FIELDS, 'owner fields of %s' % (k,))
        if r['info'] is not None:
            C.check_eq(list(r['info']), C.INFO_FIELDS, 'info fields of %s' % (k,))


STRING_FIELDS = {'proto', 'family', 'state', 'local_address', 'remote_address', 'timer', 'user',
                 'cgroup', 'congestion', 'name', 'exe'}


def check_types(obj, where):
    for f, v in obj.items():
        if f in ('owners',):
            C.check(isinstance(v, list), '%s.%s is not an array' % (where, f))
            for o in v:
                check_types(o, where + '.owners[]')
        elif f == 'info':
            C.check(v is None or isinstance(v, dict), '%s.info is %r' % (where, v))
            if v:
                check_types(v, where + '.info')
        elif f == 'pacing_rate' and v is None:
            pass  # unlimited (documented)
        elif f in STRING_FIELDS:
            C.check(v is None or isinstance(v, str), '%s.%s is not a string: %r'
                    % (where, f, v))
        else:
            C.check(type(v) is int and v >= 0, '%s.%s is not a JSON number: %r'
                    % (where, f, v))


@tap.case('--json numbers are JSON numbers, strings are strings')
def json_types():
    for k, r in listing('-e', '-p', '-i').items():
        check_types(r, str(k))
    raw = C.run('--json', '-e', '-p', '-i').out.decode()
    for f in C.BASE_FIELDS + C.INFO_FIELDS + ['pid', 'fd']:
        if f not in STRING_FIELDS:
            C.check('"%s":"' % f not in raw, 'a quoted number in the output: %s' % f)


@tap.case('--json base fields equal what the sockets say (netlink)')
def json_base_fields_netlink():
    rows = listing()
    for name in ('L1', 'c1', 's1', 'L2', 'c2', 's2', 'L3', 'c3'):
        r = rows[sock_key(S[name])]
        for f, v in truth(name).items():
            C.check_eq(r[f], v, '%s of %s (%s)' % (f, name, sock_key(S[name])))
        C.check_eq(r['family'], 'ipv6' if S[name].family == V6 else 'ipv4', 'family')
    C.check(rows[sock_key(S['c2'])]['timer_expires_ms'] > 0, 'persist timer with no expiry')
    C.check(all(r['timer_expires_ms'] == 0 for k, r in rows.items() if r['timer'] == 'off'),
            'a timer that is off expires')


@tap.case('--json: an interface-bound IPv6 listener shows its interface index')
def json_interface():
    r = listing()[sock_key(S['L3'])]
    C.check_eq(r['interface'], socket.if_nametoindex('lo'), 'interface of [::1]:7103%lo')
    C.check(r['interface'] != 0, 'lo has index 0?')


@tap.case('--json: an unaccepted connection has inode 0, recv_q 1 on its listener')
def json_pending():
    rows = listing('-p')
    r = rows[pending_key()]
    C.check_eq((r['inode'], r['owners'], r['uid']), (0, [], 0), 'unaccepted server socket')
    C.check_eq(rows[sock_key(S['L3'])]['recv_q'], 1, 'recv_q of its listener')


@tap.case('--json: TIME-WAIT has uid 0, inode 0, no owner, the timewait timer')
def json_time_wait():
    r = listing('-p')[key(V4, tw_ends[0], tw_ends[1], 'TIME-WAIT')]
    C.check_eq((r['uid'], r['inode'], r['owners'], r['timer']), (0, 0, [], 'timewait'),
               'TIME-WAIT row')
    C.check(0 < r['timer_expires_ms'] <= 60000, 'TIME-WAIT expires in %d ms'
            % r['timer_expires_ms'])


@tap.case('--json: a socket of uid 65534 shows uid 65534 and -e user nobody')
def json_other_uid():
    h = holders['nobody']
    r = listing('-e', '-p')[key(V4, ('127.0.0.1', 7104), None, 'LISTEN')]
    hs = h.info['sockets'][0]
    C.check_eq((r['uid'], r['user'], r['inode'], r['cookie']),
               (65534, 'nobody', hs['inode'], hs['cookie']), 'nobody\'s listener')
    C.check_eq(r['owners'], [{'pid': h.pid, 'fd': hs['fd'], 'name': 'tcpt-nobody',
                              'exe': os.readlink('/proc/%d/exe' % h.pid)}], 'its owner')


@tap.case('--json -e: user is the uid\'s name, cgroup the path of the creator\'s cgroup')
def json_extended():
    if CGROUP is None:
        raise C.Skip('no cgroup v2 here')
    rows = listing('-e')
    r = rows[sock_key(S['c1'])]
    C.check_eq((r['user'], r['cgroup'], r['cgroup_id']), ('root', CGROUP[0], CGROUP[1]),
               'user and cgroup of c1')


@tap.case('--json -p: owners are [{pid, fd, name, exe}] in (pid, fd) order')
def json_owners():
    rows = listing('-p')
    exe = os.readlink('/proc/self/exe')
    r = rows[sock_key(S['c1'])]
    want = sorted([S['c1'].fileno(), dups[0]])
    C.check_eq(r['owners'], [{'pid': ME, 'fd': fd, 'name': MY_NAME, 'exe': exe} for fd in want],
               'owners of c1 (two descriptors)')
    for name in ('L1', 's1', 'L2', 'c2', 's2', 'L3', 'c3'):
        C.check_eq(rows[sock_key(S[name])]['owners'],
                   [{'pid': ME, 'fd': S[name].fileno(), 'name': MY_NAME, 'exe': exe}],
                   'owners of %s' % name)


STABLE_INFO = ['ca_state', 'rto_us', 'ato_us', 'snd_mss', 'rcv_mss', 'lost', 'retrans', 'pmtu',
               'rtt_us', 'rttvar_us', 'min_rtt_us', 'snd_ssthresh', 'snd_cwnd', 'total_retrans',
               'pacing_rate', 'bytes_acked', 'bytes_received', 'segs_out', 'segs_in',
               'delivery_rate', 'bytes_sent', 'bytes_retrans', 'congestion']
TIMES = ['last_data_sent_ms', 'last_data_recv_ms', 'last_ack_recv_ms']


@tap.case('--json -i: tcp_info equals getsockopt(TCP_INFO) of the idle connection')
def json_info():
    for attempt in range(5):
        before = {n: C.tcp_info(S[n]) for n in ('c1', 's1')}
        rows = listing('-i')
        after = {n: C.tcp_info(S[n]) for n in ('c1', 's1')}
        if all({f: before[n][f] for f in STABLE_INFO} == {f: after[n][f] for f in STABLE_INFO}
               for n in before):
            break
    else:
        raise C.Skip('the connection never stayed idle for a snapshot')
    for n in ('c1', 's1'):
        info = rows[sock_key(S[n])]['info']
        C.check(info is not None, 'no info for %s' % n)
        for f in STABLE_INFO:
            C.check_eq(info[f], after[n][f], 'info.%s of %s' % (f, n))
        for f in TIMES:
            C.check(before[n][f] <= info[f] <= after[n][f] + 5,
                    'info.%s of %s: %d, not within [%d, %d]'
                    % (f, n, info[f], before[n][f], after[n][f]))
    c1 = rows[sock_key(S['c1'])]['info']
    C.check_eq((c1['bytes_sent'], c1['bytes_acked']), (1000, 1001), 'c1 bytes sent/acked')
    C.check_eq(rows[sock_key(S['s1'])]['info']['bytes_received'], 1000, 's1 bytes received')
    C.check(c1['rtt_us'] > 0 and c1['congestion'], 'c1 has an rtt and a congestion algorithm')


@tap.case('--json -i: rows without tcp_info (TIME-WAIT, SYN-RECV) have info null')
def json_info_null():
    r = listing('-i')[key(V4, tw_ends[0], tw_ends[1], 'TIME-WAIT')]
    C.check(r['info'] is None, 'TIME-WAIT info: %r' % (r['info'],))


@tap.case('--json -i: listeners carry the tcp_info the kernel gives, as tcptable.h documents')
def json_info_listen():
    r = listing('-i')[sock_key(S['L1'])]
    C.check(isinstance(r['info'], dict) and r['info']['congestion'],
            'LISTEN info: %r' % (r['info'],))


@tap.case('--jsonl gives the same objects as --json, one per line')
def jsonl_matches_json():
    a = C.run('--json', '-e', '-p').json()
    r = C.run('--jsonl', '-e', '-p')
    C.check(r.out.endswith(b'\n') and b'\n\n' not in r.out, 'JSONL framing: %r' % r.out[-200:])
    b = r.jsonl()
    strip = lambda rows: sorted(json.dumps({k: v for k, v in x.items()
                                            if k != 'timer_expires_ms'}) for x in rows)
    C.check_eq(len(b), len(a), 'number of objects')
    C.check_eq(strip(b), strip(a), '--jsonl objects')


@tap.case('--json -i: an unlimited pacing_rate (2^64-1) is null; --csv leaves it empty')
def json_pacing_unlimited():
    C.check_eq(C.tcp_info(S['L1'])['pacing_rate'], 2**64 - 1,
               'the kernel\'s pacing rate of a listener (unlimited)')
    rows = listing('-i')
    C.check(rows[sock_key(S['L1'])]['info']['pacing_rate'] is None,
            'LISTEN pacing_rate: %r' % (rows[sock_key(S['L1'])]['info'],))
    c1 = rows[sock_key(S['c1'])]['info']['pacing_rate']
    C.check(isinstance(c1, int) and c1 < 2**64 - 1, 'a limited pacing_rate is a number: %r' % c1)
    header, csv_rows = parse_csv(C.run('--csv', '-i').out)
    recs = {C.key_of(dict(zip(header, r))): dict(zip(header, r)) for r in csv_rows}
    C.check_eq(recs[sock_key(S['L1'])]['info_pacing_rate'], '', 'CSV pacing_rate of L1')


def parse_csv(out):
    C.check(out.endswith(b'\r\n'), 'CSV lines end with CRLF: %r' % out[-50:])
    text = out.decode('utf-8', 'surrogateescape')
    rows = list(csv.reader(io.StringIO(text, newline=''), strict=True))
    C.check(rows, 'no header')
    width = len(rows[0])
    for n, r in enumerate(rows):
        C.check_eq(len(r), width, 'fields in CSV line %d' % (n + 1))
    return rows[0], rows[1:]


def csv_header_for(extended, owners, info):
    h = list(C.BASE_FIELDS)
    if extended:
        h += C.EXTENDED_FIELDS
    if owners:
        h += ['owner_pids', 'owner_fds', 'owner_names', 'owner_exes']
    if info:
        h += ['info_' + f for f in C.INFO_FIELDS]
    return h


@tap.case('--csv header names the documented fields, in order')
def csv_header():
    for args, flags in (([], (0, 0, 0)), (['-e'], (1, 0, 0)), (['-p'], (0, 1, 0)),
                        (['-i'], (0, 0, 1)), (['-e', '-p', '-i'], (1, 1, 1))):
        header, _ = parse_csv(C.run('--csv', *args).out)
        C.check_eq(header, csv_header_for(*flags), 'CSV header with %s' % args)


def csv_list(values):
    return ';'.join(str(v).replace('\\', '\\\\').replace(';', '\\;') for v in values)


@tap.case('--csv rows equal the --json objects field by field')
def csv_matches_json():
    args = ['-e', '-p', '-i']
    objs = by_key(C.run('--json', *args).json())
    header, rows = parse_csv(C.run('--csv', *args).out)
    C.check_eq(len(rows), len(objs), 'CSV rows')
    volatile = {'timer_expires_ms'} | {'info_' + f for f in TIMES + STABLE_INFO}
    for r in rows:
        rec = dict(zip(header, r))
        k = C.key_of(rec)
        C.check(k in objs, 'CSV row %s not in --json' % (k,))
        o = objs[k]
        # a zero-window sender's probes (its retransmits) go on between the two runs
        ticking = {'retransmits'} if o['timer'] == 'persist' else set()
        for f in header:
            if f in volatile or f in ticking:
                continue
            if f.startswith('owner_'):
                field = {'owner_pids': 'pid', 'owner_fds': 'fd', 'owner_names': 'name',
                         'owner_exes': 'exe'}[f]
                want = csv_list(w[field] for w in o['owners'])
            elif f.startswith('info_'):
                v = (o['info'] or {}).get(f[5:])
                want = '' if v is None else str(v)
            else:
                want = '' if o[f] is None else str(o[f])
            C.check_eq(rec[f], want, 'CSV %s of %s' % (f, k))
        if o['info'] is None:
            C.check(all(rec['info_' + f] == '' for f in C.INFO_FIELDS),
                    'a row without tcp_info has empty info_ fields')
        else:
            C.check_eq(rec['info_congestion'], o['info']['congestion'], 'info_congestion')


@tap.case('--csv: an empty result is the header alone; --json [] and --jsonl nothing')
def empty_results():
    header, rows = parse_csv(C.run('--csv', '--sport', '1').out)
    C.check_eq((header, rows), (C.BASE_FIELDS, []), 'empty CSV')
    C.check_eq(C.run('--json', '--sport', '1').json(), [], 'empty --json')
    C.check_eq(C.run('--jsonl', '--sport', '1').out, b'', 'empty --jsonl')


@tap.case('--format=json|jsonl|csv|table equal --json, --jsonl, --csv and the default')
def format_option():
    # rows whose timers do not tick: listeners and idle connections
    steady = ['--state', 'listening,established', '--port', '7101,7103,7104', '-e']
    for fmt, alias in (('json', ['--json']), ('jsonl', ['--jsonl']), ('csv', ['--csv']),
                       ('table', [])):
        a = C.run('--format=' + fmt, *steady).out
        b = C.run(*(alias + steady)).out
        C.check(a.count(b'\n') >= 5, 'too few rows: %r' % a)
        C.check_eq(a, b, '--format=%s' % fmt)
    r = C.run('--format=xml', status=2)
    C.check(r.err.count(b'\n') == 1 and r.out == b'', 'one line for a bad --format')


@tap.case('--source=proc: the documented zeros (cookie, cgroup_id, interface, listener '
          'send_q), no info; the rest as netlink')
def proc_source_fields():
    rows = listing('-i', '-e', source='proc')
    for name in ('L1', 'c1', 's1', 'L2', 's2', 'L3', 'c3'):
        r = rows[sock_key(S[name])]
        for f, v in truth(name, 'proc').items():
            C.check_eq(r[f], v, '%s of %s from /proc' % (f, name))
        C.check(r['info'] is None, 'info from /proc')
        C.check_eq(r['cgroup'], None, 'cgroup from /proc')
    c2 = rows[sock_key(S['c2'])]
    C.check_eq((c2['timer'], c2['timer_expires_ms'] % 10), ('persist', 0),
               'persist timer from /proc (10 ms steps)')


@tap.case('the table shows the timers with -o and tcp_info lines with -i')
def table_timers_and_info():
    out = C.run('-o', '--sport', str(S['c2'].getsockname()[1])).text()
    lines = out.splitlines()
    C.check_eq(lines[0].split()[-1], 'Timer', 'last column with -o')
    C.check(len(lines) == 2 and re.fullmatch(r'persist,[0-9]+ms,[0-9]+', lines[1].split()[-1]),
            'persist timer cell: %r' % out)
    port = S['c1'].getsockname()[1]
    out = C.run('-i', '--sport', str(port)).text().splitlines()
    C.check_eq(len(out), 3, 'header, row, info line: %r' % out)
    cong = C.tcp_info(S['c1'])['congestion']
    C.check(out[2].startswith('\t' + cong + ' rtt:') and 'sent:1000B' in out[2]
            and 'acked:1001B' in out[2], 'the info line: %r' % out[2])


def expected_counts():
    c = collections.Counter()
    for k in all_keys():
        c[(k[5], k[0])] += 1
    return c


@tap.case('-s --json counts the sockets per state and family, and the kernel\'s counters')
def summary_json():
    snmp_before = C.read_snmp_tcp()
    j = C.run('-s', '--json').json()
    snmp_after = C.read_snmp_tcp()
    C.check_eq(list(j), ['scope', 'namespaces', 'states', 'total', 'counters'], 'summary keys')
    C.check_eq((j['scope'], j['namespaces']), ('netns', 1), 'scope of the summary')
    want = expected_counts()
    C.check_eq(list(j['states']), [C.TCP_STATES[n] for n in range(1, 12)],
               'every state, in the kernel\'s order, zero counts included')
    got = collections.Counter()
    for state, fams in j['states'].items():
        C.check_eq(set(fams), {'ipv4', 'ipv6'}, 'families of %s' % state)
        for fam, n in fams.items():
            C.check(type(n) is int, 'a count is not a number')
            if n:
                got[(state, fam)] = n
    C.check_eq(dict(got), dict(want), 'counts per state and family')
    C.check_eq(j['total'], {'ipv4': sum(n for (s, f), n in want.items() if f == 'ipv4'),
                            'ipv6': sum(n for (s, f), n in want.items() if f == 'ipv6')},
               'totals')
    names = {'active_opens': 'ActiveOpens', 'passive_opens': 'PassiveOpens',
             'attempt_fails': 'AttemptFails', 'estab_resets': 'EstabResets',
             'curr_estab': 'CurrEstab', 'in_segs': 'InSegs', 'out_segs': 'OutSegs',
             'retrans_segs': 'RetransSegs', 'in_errs': 'InErrs', 'out_rsts': 'OutRsts',
             'in_csum_errors': 'InCsumErrors'}
    C.check_eq(list(j['counters']), list(names), 'counter names')
    for k, snmp in names.items():
        v = j['counters'][k]
        C.check(type(v) is int and snmp_before[snmp] <= v <= snmp_after[snmp],
                '%s: %r, /proc/net/snmp %d..%d' % (k, v, snmp_before[snmp], snmp_after[snmp]))
    # this namespace's own counters, not the host's: 5 connects (c1, c2, c3, TIME-WAIT,
    # the nobody holder made none), 4 handshakes completed on a listener (the pending one too)
    C.check_eq((j['counters']['active_opens'], j['counters']['passive_opens']), (4, 4),
               'active and passive opens of this namespace')


@tap.case('-s (table) shows the same counts and counters')
def summary_table():
    snmp = C.read_snmp_tcp()
    out = C.run('-s').text().splitlines()
    C.check_eq(out[0].split(), ['State', 'IPv4', 'IPv6', 'Total'], 'header')
    want = expected_counts()
    states = sorted({s for s, f in want})
    got = {}
    for line in out[1:]:
        if not line.strip():
            break
        name, v4, v6, total = line.split()
        C.check_eq(int(v4) + int(v6), int(total), 'total of %s' % name)
        got[name] = (int(v4), int(v6))
    C.check_eq(got.pop('all'), (sum(n for (s, f), n in want.items() if f == 'ipv4'),
                                sum(n for (s, f), n in want.items() if f == 'ipv6')), 'all')
    C.check_eq(got, {s: (want[(s, 'ipv4')], want[(s, 'ipv6')]) for s in states}, 'per state')
    text = '\n'.join(out)
    for label, snmp_name in (('active opens (connect)', 'ActiveOpens'),
                             ('passive opens (accept)', 'PassiveOpens'),
                             ('established now (incl. close-wait)', 'CurrEstab')):
        line = next((l for l in out if l.strip().startswith(label)), None)
        C.check(line is not None, 'no %r line in %s' % (label, text))
        C.check_eq(int(line.split()[-1]), snmp[snmp_name], label)


@tap.case('-s with a filter counts only the selected sockets')
def summary_filtered():
    j = C.run('-s', '--json', '-6').json()
    C.check_eq(j['total']['ipv4'], 0, 'IPv4 sockets under -6')
    C.check_eq(j['total']['ipv6'], sum(1 for k in all_keys() if k[0] == 'ipv6'), 'IPv6 total')


@tap.case('-p as uid 65534: owners of its own processes only, and a note on stderr')
def owners_unprivileged():
    r = C.run('--json', '-p', as_uid=65534)
    rows = by_key(r.json())
    h = holders['nobody']
    C.check_eq([o['pid'] for o in rows[key(V4, ('127.0.0.1', 7104), None, 'LISTEN')]['owners']],
               [h.pid], 'owners of nobody\'s own listener')
    C.check_eq(rows[sock_key(S['c1'])]['owners'], [], 'owners of root\'s socket')
    C.check(r.err.count(b'\n') == 1 and b'could not be inspected' in r.err,
            'the note on stderr: %r' % r.err)


if __name__ == '__main__':
    sys.exit(tap.run(setup, teardown))
