#!/usr/bin/env python3
"""test_udp.py - UDP in the tcptable command, against ss in the same private namespace.

The namespace holds known UDP sockets (IPv4, IPv6, dual-stack, IPv4-mapped, bound to a device,
connected and unconnected, one shared with a child process) and TCP ones (listeners, an
established pair, a TIME-WAIT). For each of the combined short options people type
(-tulpn, -uan, -tan, -lntu, ...), the table tcptable prints lists exactly the sockets, states,
queues and owning processes `ss` prints for the same options. Also: -t/-u/-a/-l meaning, the
proto field of JSON and CSV, -s with the kernel's UDP counters, and -K refusing UDP.
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmdlib as C  # noqa: E402

S = {}
CHILD = {}

SS_STATES = {'ESTAB': 'ESTABLISHED', 'UNCONN': 'UNCONN'}


def udp(family, addr, port=0, v6only=None, connect=None, device=None):
    s = socket.socket(family, socket.SOCK_DGRAM)
    if v6only is not None:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, v6only)
    if device:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, device.encode())
    if addr is not None:
        s.bind((addr, port))
    if connect:
        s.connect(connect)
    return s


def setup():
    C.enter_private_netns('tcptable UDP tests')
    if not shutil.which('ss'):
        raise C.Skip('ss (iproute2) is not installed')
    V4, V6 = socket.AF_INET, socket.AF_INET6
    S['u4'] = udp(V4, '127.0.0.1', 7401)
    S['u4any'] = udp(V4, '0.0.0.0', 7402)
    S['u4c'] = udp(V4, '127.0.0.1', connect=('127.0.0.1', 7401))
    S['u4c'].send(b'unread')  # left in u4's receive queue
    S['u6'] = udp(V6, '::1', 7403, v6only=1)
    S['u6c'] = udp(V6, '::1', v6only=1, connect=('::1', 7403))
    S['dual'] = udp(V6, '::', 7404, v6only=0)
    S['mapped'] = udp(V6, None, connect=('::ffff:127.0.0.1', 7402))
    S['dev'] = udp(V6, '::1', 7405, v6only=1, device='lo')
    S['shared'] = udp(V4, '127.0.0.1', 7406)
    S['L4'] = C.listener(V4, '127.0.0.1', 7407)
    S['L6'] = C.listener(V6, '::', 7408)
    S['c4'] = C.connect(V4, '127.0.0.1', 7407)
    S['s4'], _ = S['L4'].accept()
    tw = C.connect(V4, '127.0.0.1', 7407)
    peer, _ = S['L4'].accept()
    tw.close()  # the active closer: TIME-WAIT
    peer.close()
    # a child that holds the shared socket too (and nothing else of ours matters)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(w)
        C.set_comm('udpsharer')
        os.read(r, 1)
        os._exit(0)
    os.close(r)
    CHILD['pid'], CHILD['release'] = pid, w
    time.sleep(0.1)


def teardown():
    if 'release' in CHILD:
        os.close(CHILD['release'])
        os.waitpid(CHILD['pid'], 0)
    for s in S.values():
        s.close()


# --- the two tables, as comparable keys ------------------------------------------------------

def norm_addr(text):
    """An endpoint's address without brackets or interface, wildcards spelled one way."""
    a = text.strip('[]')
    a = a.split('%')[0]
    return '*' if a in ('*', '0.0.0.0', '::') else a


def split_endpoint(cell):
    m = re.fullmatch(r'(.*):([0-9]+|\*)', cell)
    C.check(m, 'not an endpoint: %r' % cell)
    addr, port = m.group(1), m.group(2)
    if '%' in addr:  # ss: [::1]%lo, tcptable: [::1%lo] or [::1]%lo
        addr = addr.split('%')[0]
    return norm_addr(addr), 0 if port == '*' else int(port)


def pids_of_ss(process):
    return frozenset(int(p) for p in re.findall(r'pid=([0-9]+)', process))


def pids_of_tcptable(cell):
    return frozenset(int(p) for p in re.findall(r'(?:^|,)([0-9]+)/', cell))


def ss_rows(flags):
    """(proto, local, lport, remote, rport, state, recv_q, send_q, pids) per line of ss."""
    out = subprocess.run(['ss'] + flags, capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    C.check(lines and lines[0].split()[0] in ('Netid', 'State'), 'ss header: %r' % out[:200])
    netid = lines[0].startswith('Netid')
    only = 'udp' if 'u' in flags[0] and 't' not in flags[0] else 'tcp'
    rows = []
    for line in lines[1:]:
        f = line.split(None, 6 if netid else 5)
        if netid:
            proto, f = f[0], f[1:]
        else:
            proto = only
        state, rq, sq, local, remote = f[:5]
        process = f[5] if len(f) > 5 else ''
        state = SS_STATES.get(state, state)
        (la, lp), (ra, rp) = split_endpoint(local), split_endpoint(remote)
        rows.append((proto, la, lp, ra, rp, state, int(rq), int(sq), pids_of_ss(process)))
    return rows


def tcptable_rows(flags):
    out = C.run(*flags).text()
    lines = out.splitlines()
    head = lines[0].replace('Local Address', 'Local').replace('Remote Address', 'Remote')
    cols = head.split()
    C.check(cols[:6] == ['Proto', 'Recv-Q', 'Send-Q', 'Local', 'Remote', 'State'],
            'tcptable header: %r' % lines[0])
    rows = []
    for line in lines[1:]:
        f = line.split()
        proto, rq, sq, local, remote, state = f[:6]
        owners = f[cols.index('PID/Program')] if 'PID/Program' in cols and \
            len(f) > cols.index('PID/Program') else ''
        (la, lp), (ra, rp) = split_endpoint(local), split_endpoint(remote)
        rows.append((proto.rstrip('6'), la, lp, ra, rp, state, int(rq), int(sq),
                     pids_of_tcptable(owners)))
    return rows


def fmt(rows):
    return '\n'.join('  %s %s:%d -> %s:%d %s rq=%d sq=%d pids=%s'
                     % (r[:8] + (sorted(r[8]),)) for r in sorted(rows, key=str)) or '  (none)'


def same_as_ss(flags, ours=None):
    want = ss_rows(flags)
    got = tcptable_rows(ours or flags)
    if sorted(got, key=str) != sorted(want, key=str):
        C.fail('tcptable %s vs ss %s:\nonly tcptable:\n%s\nonly ss:\n%s'
               % (' '.join(ours or flags), ' '.join(flags),
                  fmt(set(got) - set(want)), fmt(set(want) - set(got))))
    return got


tap = C.Tap()


def ss_case(flags, check_rows=None):
    def run():
        rows = same_as_ss(flags)
        if check_rows:
            check_rows(rows)
    tap.add('tcptable %s lists exactly what ss %s lists' % (' '.join(flags), ' '.join(flags)),
            run)


def udp_ports(rows):
    return sorted(r[2] for r in rows if r[0] == 'udp' and r[2] in range(7401, 7407))


def tulpn_rows(rows):
    C.check_eq(udp_ports(rows), [7401, 7402, 7403, 7404, 7405, 7406], 'unconnected UDP ports')
    C.check(all(r[5] in ('LISTEN', 'UNCONN') for r in rows), 'only listeners and UNCONN')
    shared = [r for r in rows if r[2] == 7406]
    C.check_eq(shared[0][8], frozenset([os.getpid(), CHILD['pid']]), 'owners of the shared')
    C.check(any(r[2] == 7401 and r[6] > 0 for r in rows), 'the unread datagram in Recv-Q')


def uan_rows(rows):
    C.check(all(r[0] == 'udp' for r in rows), 'only UDP with -u')
    states = sorted(r[5] for r in rows)
    C.check_eq(states.count('ESTABLISHED'), 3, 'connected UDP sockets')
    C.check_eq(states.count('UNCONN'), 6, 'unconnected UDP sockets')


def tan_rows(rows):
    C.check(all(r[0] == 'tcp' for r in rows), 'only TCP with -t')
    C.check('TIME-WAIT' in {r[5] for r in rows}, 'the TIME-WAIT row with -a')


# (each -p costs both tools a scan of every process's descriptors: a few only)
for flags, extra in ((['-tulpn'], tulpn_rows), (['-uan'], uan_rows), (['-tan'], tan_rows),
                     (['-lntu'], None), (['-tanp'], None), (['-tuan'], None),
                     (['-4uan'], None), (['-6uanp'], None), (['-tln'], None)):
    ss_case(flags, extra)


@tap.case('-e and -n combine with the others: -tulen lists what -tuln does, -tulpen has both columns')
def extended_combines():
    C.check_eq(sorted(tcptable_rows(['-tulen']), key=str),
               sorted(tcptable_rows(['-tuln']), key=str), '-tulen vs -tuln')
    header = C.run('-tulpen').text().splitlines()[0]
    C.check('UID' in header and 'Inode' in header and 'PID/Program' in header,
            '-e and -p columns: %r' % header)


@tap.case('neither -t nor -u is TCP alone, as before; -t is the same')
def default_is_tcp():
    plain = tcptable_rows([])
    C.check(plain and all(r[0] == 'tcp' for r in plain), 'rows without options: %r' % plain)
    C.check_eq(sorted(tcptable_rows(['-t']), key=str), sorted(plain, key=str), '-t')


@tap.case('-u without -a or -l lists every UDP socket; -a undoes -l')
def all_states_default():
    C.check_eq(len(tcptable_rows(['-u'])), 9, 'UDP rows with -u')
    C.check_eq(sorted(tcptable_rows(['-ula']), key=str), sorted(tcptable_rows(['-u']), key=str),
               '-ula vs -u')


@tap.case('--json and --csv carry proto; states UNCONN and ESTABLISHED')
def structured_proto():
    rows = C.run('-tua', '--json').json()
    protos = {(r['proto'], r['family'], r['state']) for r in rows if r['local_port'] in
              range(7401, 7407) or r['remote_port'] in range(7401, 7407)}
    for want in (('udp', 'ipv4', 'UNCONN'), ('udp', 'ipv4', 'ESTABLISHED'),
                 ('udp', 'ipv6', 'UNCONN'), ('udp', 'ipv6', 'ESTABLISHED')):
        C.check(want in protos, '%s not in %s' % (want, protos))
    C.check({r['proto'] for r in rows} == {'tcp', 'udp'}, 'proto values')
    csv = C.run('-u', '--csv').text().splitlines()
    head = csv[0].split(',')
    C.check_eq(head[:3], ['netns', 'proto', 'family'], 'CSV header')
    C.check(all(l.split(',')[1] == 'udp' for l in csv[1:]), 'CSV proto of -u rows')
    inode = os.fstat(S['u4'].fileno()).st_ino
    row = [r for r in C.run('-u', '--json').json() if r['inode'] == inode]
    C.check_eq(len(row), 1, 'u4 in --json')
    C.check_eq((row[0]['local_port'], row[0]['state'], row[0]['cookie']),
               (7401, 'UNCONN', C.cookie_of(S['u4'])), 'u4 port, state, cookie')


def snmp_udp(path, prefix):
    with open(path) as f:
        text = f.read()
    if prefix == 'Udp:':
        lines = [l.split() for l in text.splitlines() if l.startswith('Udp:')]
        return dict(zip(lines[0][1:], map(int, lines[1][1:])))
    return {l.split()[0][4:]: int(l.split()[1]) for l in text.splitlines()
            if l.startswith('Udp6')}


@tap.case('-us --json: UDP sockets per state and the kernel\'s counters, IPv4 and IPv6')
def summary_udp():
    s = C.run('-us', '--json').json()
    C.check('states' not in s and 'udp' in s, 'keys of -us: %s' % list(s))
    u = s['udp']
    C.check_eq(u['states'], {'UNCONN': {'ipv4': 3, 'ipv6': 3},
                             'ESTABLISHED': {'ipv4': 1, 'ipv6': 2}}, 'UDP states')
    C.check_eq(u['total'], {'ipv4': 4, 'ipv6': 5}, 'UDP total')
    v4 = snmp_udp('/proc/net/snmp', 'Udp:')
    v6 = snmp_udp('/proc/net/snmp6', 'Udp6')
    names = {'in_datagrams': 'InDatagrams', 'no_ports': 'NoPorts', 'in_errors': 'InErrors',
             'out_datagrams': 'OutDatagrams', 'rcvbuf_errors': 'RcvbufErrors',
             'sndbuf_errors': 'SndbufErrors', 'in_csum_errors': 'InCsumErrors',
             'ignored_multi': 'IgnoredMulti', 'mem_errors': 'MemErrors'}
    for k, n in names.items():
        C.check_eq(u['counters']['ipv4'][k], v4.get(n, 0), 'ipv4 ' + k)
        C.check_eq(u['counters']['ipv6'][k], v6.get(n, 0), 'ipv6 ' + k)
    C.check(u['counters']['ipv4']['out_datagrams'] >= 1, 'our datagram was counted')
    both = C.run('-tus', '--json').json()
    C.check('states' in both and 'counters' in both and 'udp' in both, 'keys of -tus')
    table = C.run('-tus').text()
    C.check('TCP state' in table and 'UDP state' in table and 'UNCONN' in table,
            '-tus table:\n' + table)
    C.check('UDP counters' in table and 'datagrams received' in table, 'UDP counters shown')
    C.check('UDP' not in C.run('-s').text(), 'plain -s shows UDP')


@tap.case('-K with -u alone is refused (exit 2, one line); with -tu it leaves UDP alone')
def kill_refuses_udp():
    r = C.run('-K', '-u', '--sport', '7401', '--yes', status=2)
    C.check(b'UDP' in r.err and r.err.count(b'\n') == 1, 'stderr: %r' % r.err)
    C.check(any(x[2] == 7401 for x in tcptable_rows(['-uan'])), 'u4 still there')
    c = C.connect(socket.AF_INET, '127.0.0.1', 7407)
    srv, _ = S['L4'].accept()
    port = c.getsockname()[1]
    r = C.run('-K', '-tu', '--port', str(port), '--yes', status=None)
    C.check(b'UDP sockets are left alone' in r.err, 'stderr: %r' % r.err)
    C.check_eq(r.status, 0, 'exit status of -K -tu: ' + r.describe())
    c.settimeout(2)
    try:
        c.recv(1)
        C.fail('the TCP connection was not closed')
    except (ConnectionResetError, ConnectionAbortedError):
        pass
    finally:
        c.close()
        srv.close()


if __name__ == '__main__':
    sys.exit(tap.run(setup, teardown))
