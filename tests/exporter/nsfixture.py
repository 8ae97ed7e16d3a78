"""nsfixture.py - a named network namespace with known sockets, for the exporter's tests.

/run/netns/tcpt-exp-PID (PID: the test's, as the host sees it) gets, from two holder processes (tests/cmd/holder.py):
  tcpt-srv  listens on 127.0.0.1:7401 and [::1]:7402;
  tcpt-cli  connects three times to 127.0.0.1:7401 (never accepted: the server ends wait in
            the accept queue, ESTABLISHED, with no owner).
Nothing else ever happens there, so its kernel counters are known too.
"""
import os
import subprocess

import exporterlib as E

C = E.C
NAME = 'tcpt-exp-%s' % E.unique_id()
PATH = '/run/netns/' + NAME
CONNS = 3


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
        self.inode = os.stat(PATH).st_ino

    def close(self):
        for h in self.holders:
            h.stop()
        subprocess.run(['ip', 'netns', 'delete', NAME], capture_output=True)

    @staticmethod
    def snmp():
        """The namespace's Tcp counters, read there."""
        out = subprocess.run(['ip', 'netns', 'exec', NAME, 'cat', '/proc/net/snmp'],
                             capture_output=True, check=True).stdout.decode()
        lines = [l.split() for l in out.split('\n') if l.startswith('Tcp:')]
        return dict(zip(lines[0][1:], (int(v) for v in lines[1][1:])))

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
