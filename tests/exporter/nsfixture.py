"""nsfixture.py - a named network namespace with known sockets, for the exporter's tests.

/run/netns/tcpt-exp-PID (PID: the test's, as the host sees it) gets, from two holder processes (tests/cmd/holder.py):
  tcpt-srv  listens on 127.0.0.1:7401 and [::1]:7402;
  tcpt-cli  connects three times to 127.0.0.1:7401 (never accepted: the server ends wait in
            the accept queue, ESTABLISHED, with no owner);
and from tests/exporter/udpholder.py:
  tcpt-udp  UDP: 127.0.0.1:7501 unconnected, and connected 127.0.0.1:7501 -> :7503,
            127.0.0.1:7503 -> :7501; [::1]:7502 unconnected, [::1]:7504 -> [::1]:7502; a
            datagram read and one left unread on ports 7501 and 7502 each, one sent to a
            port nobody has.
Nothing else ever happens there, so its kernel counters are known too.
"""
import json
import os
import select
import subprocess
import sys

import exporterlib as E

C = E.C
NAME = 'tcpt-exp-%s' % E.unique_id()
PATH = '/run/netns/' + NAME
CONNS = 3
UDP_HOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'udpholder.py')


class UdpHolder:
    """udpholder.py in the namespace at PATH, named NAME, until stop()."""

    def __init__(self, path, name):
        self.proc = subprocess.Popen([sys.executable, UDP_HOLDER, path, name],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        ready, _, _ = select.select([self.proc.stdout], [], [], 20)
        line = self.proc.stdout.readline() if ready else b''
        if not line:
            self.stop()
            C.fail('udpholder.py did not start')
        self.pid = json.loads(line)['pid']

    def stop(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()


def in_netns(*argv):
    return subprocess.run(['ip', 'netns', 'exec', NAME] + list(argv), capture_output=True,
                          check=True).stdout.decode()


class Fixture:
    def __init__(self):
        subprocess.run(['ip', 'netns', 'delete', NAME], capture_output=True)
        r = subprocess.run(['ip', 'netns', 'add', NAME], capture_output=True)
        C.check(r.returncode == 0, 'ip netns add: %s' % r.stderr.decode(errors='replace'))
        subprocess.run(['ip', '-n', NAME, 'link', 'set', 'lo', 'up'], check=True)
        self.holders = []
        self.holders.append(C.Holder('--setns', PATH, '--name', 'tcpt-srv',
                                     '--listen', 4, '127.0.0.1', 7401,
                                     '--listen', 6, '::1', 7402))
        args = ['--setns', PATH, '--name', 'tcpt-cli']
        for _ in range(CONNS):
            args += ['--connect', 4, '127.0.0.1', 7401]
        self.holders.append(C.Holder(*args))
        self.holders.append(UdpHolder(PATH, 'tcpt-udp'))
        self.inode = os.stat(PATH).st_ino

    def close(self):
        for h in self.holders:
            h.stop()
        subprocess.run(['ip', 'netns', 'delete', NAME], capture_output=True)

    @staticmethod
    def snmp(prefix='Tcp:'):
        """The namespace's Tcp (or Udp:) counters, read there."""
        out = in_netns('cat', '/proc/net/snmp')
        lines = [l.split() for l in out.split('\n') if l.startswith(prefix)]
        return dict(zip(lines[0][1:], (int(v) for v in lines[1][1:])))

    @staticmethod
    def snmp6_udp():
        """The namespace's Udp6 counters (/proc/net/snmp6), names without Udp6."""
        out = in_netns('cat', '/proc/net/snmp6')
        return {l.split()[0][4:]: int(l.split()[1]) for l in out.split('\n')
                if l.startswith('Udp6')}

    @staticmethod
    def udp_queues(port):
        """(tx, rx) bytes summed over the UDP sockets on local PORT, from /proc/net/udp{,6}
        in the namespace (the kernel's own table: the oracle of the queue metrics)."""
        tx = rx = 0
        for f in ('/proc/net/udp', '/proc/net/udp6'):
            for line in in_netns('cat', f).split('\n')[1:]:
                cols = line.split()
                if len(cols) > 4 and int(cols[1].rsplit(':', 1)[1], 16) == port:
                    t, r = cols[4].split(':')
                    tx, rx = tx + int(t, 16), rx + int(r, 16)
        return tx, rx

    def check_metrics(self, samples, netns=NAME):
        """Every series of the namespace equals what the holders made."""
        ns = {'netns': netns} if netns else {}
        L = E.labelset
        conns = E.nonzero(E.select_samples(samples, 'tcptable_connections', protocol='tcp',
                                           **ns))
        C.check_eq(conns, {L(family='ipv4', state='listen'): 1,
                           L(family='ipv6', state='listen'): 1,
                           L(family='ipv4', state='established'): 2 * CONNS},
                   'tcptable_connections (by family and state)')
        listeners = E.select_samples(samples, 'tcptable_listeners', protocol='tcp', **ns)
        C.check_eq(listeners,
                   {L(family='ipv4', address='127.0.0.1', port='7401', process='tcpt-srv'): 1,
                    L(family='ipv6', address='::1', port='7402', process='tcpt-srv'): 1},
                   'tcptable_listeners (by address, port and process)')
        procs = E.select_samples(samples, 'tcptable_process_connections', protocol='tcp', **ns)
        C.check_eq(procs, {L(process='tcpt-srv', state='listen'): 2,
                           L(process='tcpt-cli', state='established'): CONNS},
                   'tcptable_process_connections')
        want_ports = {
            'tcptable_port_established_connections': {L(port='7401'): CONNS, L(port='7402'): 0},
            'tcptable_port_accept_queue_connections': {L(port='7401'): CONNS,
                                                       L(port='7402'): 0},
            'tcptable_port_accept_queue_limit_connections': {L(port='7401'): 8,
                                                             L(port='7402'): 8},
            'tcptable_port_receive_queue_bytes': {L(port='7401'): 0, L(port='7402'): 0},
            'tcptable_port_send_queue_bytes': {L(port='7401'): 0, L(port='7402'): 0},
        }
        for name, want in want_ports.items():
            C.check_eq(E.select_samples(samples, name, protocol='tcp', **ns), want, name)
        snmp = self.snmp()
        for metric, field in [('tcptable_tcp_active_opens_total', 'ActiveOpens'),
                              ('tcptable_tcp_passive_opens_total', 'PassiveOpens')]:
            C.check_eq(E.select_samples(samples, metric, **ns), {L(): snmp[field]}, metric)
        C.check_eq(snmp['ActiveOpens'], CONNS, 'ActiveOpens in the namespace (the oracle)')
        self.check_udp(samples, ns)

    UDP_COUNTERS = [('received_datagrams', 'InDatagrams'), ('no_port_datagrams', 'NoPorts'),
                    ('receive_errors', 'InErrors'), ('sent_datagrams', 'OutDatagrams'),
                    ('receive_buffer_errors', 'RcvbufErrors'),
                    ('send_buffer_errors', 'SndbufErrors'),
                    ('checksum_errors', 'InCsumErrors'),
                    ('ignored_multicast_datagrams', 'IgnoredMulti'),
                    ('memory_errors', 'MemErrors')]

    def check_udp(self, samples, ns):
        """The UDP sockets of udpholder.py, and the namespace's UDP counters."""
        L = E.labelset
        conns = E.nonzero(E.select_samples(samples, 'tcptable_connections', protocol='udp',
                                           **ns))
        C.check_eq(conns, {L(family='ipv4', state='unconn'): 1,
                           L(family='ipv4', state='established'): 2,
                           L(family='ipv6', state='unconn'): 1,
                           L(family='ipv6', state='established'): 1},
                   'tcptable_connections (UDP, by family and state)')
        C.check_eq(set(dict(k)['state'] for k in E.select_samples(
            samples, 'tcptable_connections', protocol='udp', **ns)),
            {'unconn', 'established'}, 'the UDP states')
        listeners = E.select_samples(samples, 'tcptable_listeners', protocol='udp', **ns)
        C.check_eq(listeners,
                   {L(family='ipv4', address='127.0.0.1', port='7501', process='tcpt-udp'): 1,
                    L(family='ipv6', address='::1', port='7502', process='tcpt-udp'): 1},
                   'tcptable_listeners (UDP: bound, unconnected)')
        procs = E.select_samples(samples, 'tcptable_process_connections', protocol='udp', **ns)
        C.check_eq(procs, {L(process='tcpt-udp', state='unconn'): 2,
                           L(process='tcpt-udp', state='established'): 3},
                   'tcptable_process_connections (UDP)')
        (tx1, rx1), (tx2, rx2) = self.udp_queues(7501), self.udp_queues(7502)
        C.check(rx1 > 0 and rx2 > 0, 'the datagrams are not in the receive buffers '
                '(/proc/net/udp: %d, udp6: %d)' % (rx1, rx2))
        want_ports = {
            'tcptable_port_established_connections': {L(port='7501'): 1, L(port='7502'): 0},
            'tcptable_port_receive_queue_bytes': {L(port='7501'): rx1, L(port='7502'): rx2},
            'tcptable_port_send_queue_bytes': {L(port='7501'): tx1, L(port='7502'): tx2},
            'tcptable_port_accept_queue_connections': {},
            'tcptable_port_accept_queue_limit_connections': {},
        }
        for name, want in want_ports.items():
            C.check_eq(E.select_samples(samples, name, protocol='udp', **ns), want,
                       name + ' (UDP)')
        v4, v6 = self.snmp('Udp:'), self.snmp6_udp()
        C.check_eq((v4['InDatagrams'], v4['NoPorts'], v4['OutDatagrams'], v6['InDatagrams'],
                    v6['NoPorts'], v6['OutDatagrams']), (1, 1, 3, 1, 0, 2),
                   'Udp InDatagrams, NoPorts, OutDatagrams; Udp6 the same (the oracle)')
        for metric, field in self.UDP_COUNTERS:
            name = 'tcptable_udp_%s_total' % metric
            C.check_eq(E.select_samples(samples, name, **ns),
                       {L(family='ipv4'): v4.get(field, 0), L(family='ipv6'): v6.get(field, 0)},
                       name)
