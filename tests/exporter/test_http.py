"""test_http.py - tcptable-exporter over plain HTTP, in a private network namespace.

  - promtool check metrics finds nothing wrong in a scrape in the text format, and in
    OpenMetrics nothing but what its text-only parser misreads (a counter family is named
    without _total there); the OpenMetrics answer is checked for its own rules too;
  - Accept picks the format; the content types are the formats' own;
  - with --netns, every series of the namespace equals the sockets the test made there
    (nsfixture.py), and the kernel counters equal /proc/net/snmp there;
  - with --all-netns, the same for the named namespace, and the test's own namespace
    labelled by its inode;
  - without either, the exporter's own listener shows with its process name;
  - --metrics.top-k folds the rest into "other" and says how many; --no-collector.processes;
  - scrapes within --scrape.min-interval share one snapshot;
  - bad input: unknown paths (404), methods (405), oversize headers (431), garbage bytes
    (400), half-closed connections: the right status, the exporter keeps serving, no fd is
    left open, and it exits cleanly (no leak under ASan);
  - bad flags and a bad web config are one line and a non-zero status.
"""
import os
import socket
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exporterlib as E  # noqa: E402
import nsfixture  # noqa: E402

C = E.C
T = C.Tap()
state = {}


def setup():
    C.enter_private_netns('test_http')
    state['fx'] = nsfixture.Fixture()
    state['ns'] = E.Exporter('--netns', nsfixture.NAME, '--scrape.min-interval=0')
    state['own'] = E.Exporter('--scrape.min-interval=0', '--web.timeout=2s')


def teardown():
    for k in ('ns', 'own'):
        if k in state and state[k].proc.poll() is None:
            state[k].stop(check=False)
    if 'fx' in state:
        state['fx'].close()


@T.case('promtool check metrics finds nothing wrong in the text format')
def promtool_text():
    _, text = state['ns'].metrics()
    status, findings = E.promtool(text)
    C.check(status == 0 and not findings, 'promtool: status %d:\n%s' % (status,
                                                                     '\n'.join(findings)))
    _, text = state['own'].metrics()
    status, findings = E.promtool(text)
    C.check(status == 0 and not findings, 'promtool (own namespace): %s' % findings)


@T.case('promtool finds nothing wrong in OpenMetrics but the counter naming it cannot read')
def promtool_openmetrics():
    _, text = state['ns'].metrics(om=True)
    _, types = E.parse(text)
    counters = {n for n, t in types.items() if t == 'counter'}
    C.check(counters, 'no counter family in the answer')
    expected = {'%s_total no help text' % n for n in counters}
    status, findings = E.promtool(text)
    unexpected = [f for f in findings if f not in expected]
    C.check(not unexpected, 'promtool on OpenMetrics found: %s' % unexpected)


@T.case('OpenMetrics: ends with # EOF, counters named without _total, samples with it')
def openmetrics_rules():
    _, text = state['ns'].metrics(om=True)
    C.check(text.endswith('\n# EOF\n'), 'no final # EOF: %r' % text[-100:])
    samples, types = E.parse(text)
    for name, typ in types.items():
        C.check(not name.endswith('_total'), 'family %s has the _total suffix' % name)
        names = {n for (n, _) in samples if n == name or n == name + '_total'}
        if typ == 'counter':
            C.check(names <= {name + '_total'} and names, 'counter %s: samples %s'
                    % (name, names))
        else:
            C.check(names <= {name}, 'gauge %s: samples %s' % (name, names))
    for (n, _), v in samples.items():
        C.check(any(n == f or n == f + '_total' for f in types), 'sample %s has no family' % n)


@T.case('Accept chooses the format; each comes with its content type')
def negotiation():
    h, text = state['ns'].metrics()
    C.check(h['content-type'].startswith('text/plain; version=0.0.4'), h['content-type'])
    C.check('# EOF' not in text, 'the text format ends with # EOF')
    h, _ = state['ns'].metrics(om=True)
    C.check(h['content-type'].startswith('application/openmetrics-text; version=1.0.0'),
            h['content-type'])
    h, _ = state['ns'].metrics(headers={'Accept': 'application/openmetrics-text;q=0,'
                                        'text/plain'})
    C.check(h['content-type'].startswith('text/plain'), 'q=0 was taken: %s' % h['content-type'])


@T.case('--netns: every series of the namespace equals the sockets the test made there')
def netns_exact():
    for om in (False, True):
        _, text = state['ns'].metrics(om=om)
        samples, _ = E.parse(text)
        state['fx'].check_metrics(samples)
        netns = {dict(ls).get('netns') for (n, ls) in samples
                 if n == 'tcptable_connections'}
        C.check_eq(netns, {nsfixture.NAME}, 'namespaces in the answer')


@T.case('--all-netns: the named namespace exactly, and the own one under its inode')
def all_netns():
    e = E.Exporter('--all-netns')
    try:
        samples, _ = E.parse(e.metrics()[1])
    finally:
        e.stop()
    state['fx'].check_metrics(samples)
    own = str(C.netns_inode())
    listeners = E.select_samples(samples, 'tcptable_listeners', netns=own, protocol='tcp',
                                 process='tcptable-export')
    C.check_eq(sorted(dict(k)['port'] for k in listeners),
               sorted(str(x.port) for x in (state['own'], state['ns'], e)),
               "the exporters' listeners in the test's own namespace")


@T.case("without --netns: the exporter's own listener, under its process name")
def own_namespace():
    _, text = state['own'].metrics()
    samples, _ = E.parse(text)
    listeners = E.select_samples(samples, 'tcptable_listeners', protocol='tcp')
    port = str(state['own'].port)
    C.check_eq(listeners, {E.labelset(family='ipv4', address='127.0.0.1', port=str(e.port),
                                      process='tcptable-export'): 1
                           for e in (state['own'], state['ns'])},
               'listeners (both exporters of the test)')
    C.check(not any('netns' in dict(ls) for (_, ls) in samples), 'a netns label appeared')
    est = E.select_samples(samples, 'tcptable_port_established_connections', protocol='tcp')
    C.check_eq(est, {E.labelset(port=port): 1, E.labelset(port=str(state['ns'].port)): 0},
               'connections to the exporters (this scrape)')


@T.case('--metrics.top-k=1 keeps one series and folds the rest into "other" (TCP only)')
def top_k():
    e = E.Exporter('--netns', nsfixture.NAME, '--metrics.top-k=1', '--no-collector.udp')
    try:
        _, text = e.metrics()
    finally:
        e.stop()
    samples, _ = E.parse(text)
    L = E.labelset
    procs = E.select_samples(samples, 'tcptable_process_connections', protocol='tcp',
                             netns=nsfixture.NAME)
    C.check_eq(procs, {L(process='tcpt-cli', state='established'): 3,
                       L(process='other', state='listen'): 2}, 'processes cut to one')
    listeners = E.select_samples(samples, 'tcptable_listeners', protocol='tcp',
                                 netns=nsfixture.NAME)
    C.check_eq(len(listeners), 2, 'listener series: %r' % listeners)
    C.check(L(family='other', address='other', port='other', process='other') in listeners,
            'no other bucket: %r' % listeners)
    ports = E.select_samples(samples, 'tcptable_port_established_connections',
                             protocol='tcp', netns=nsfixture.NAME)
    C.check_eq(ports, {L(port='7401'): 3, L(port='other'): 0}, 'ports cut to one')
    folded = E.select_samples(samples, 'tcptable_series_folded')
    C.check_eq(folded, {L(metric='tcptable_listeners'): 1,
                        L(metric='tcptable_process_connections'): 1,
                        L(metric='tcptable_port_established_connections'): 1},
               'tcptable_series_folded')


@T.case('--metrics.top-k=1 with UDP: one cut shared by both protocols, an other per protocol')
def top_k_udp():
    e = E.Exporter('--netns', nsfixture.NAME, '--metrics.top-k=1')
    try:
        samples, _ = E.parse(e.metrics()[1])
    finally:
        e.stop()
    L = E.labelset
    procs = E.select_samples(samples, 'tcptable_process_connections', netns=nsfixture.NAME)
    C.check_eq(procs, {L(protocol='udp', process='tcpt-udp', state='unconn'): 2,
                       L(protocol='udp', process='tcpt-udp', state='established'): 3,
                       L(protocol='tcp', process='other', state='established'): 3,
                       L(protocol='tcp', process='other', state='listen'): 2},
               'processes: tcpt-udp (5 sockets) kept, the TCP ones folded')
    folded = E.select_samples(samples, 'tcptable_series_folded')
    C.check_eq(folded[L(metric='tcptable_process_connections')], 2, 'processes folded')
    C.check_eq(folded[L(metric='tcptable_listeners')], 3, 'listeners folded (2 TCP, 2 UDP)')


@T.case('--no-collector.udp: no UDP series and no UDP counters; TCP unchanged')
def no_udp():
    e = E.Exporter('--netns', nsfixture.NAME, '--no-collector.udp')
    try:
        samples, types = E.parse(e.metrics()[1])
    finally:
        e.stop()
    C.check_eq([k for k in samples if ('protocol', 'udp') in k[1]], [], 'UDP samples')
    C.check_eq([n for n in types if n.startswith('tcptable_udp_')], [], 'UDP families')
    C.check_eq(E.nonzero(E.select_samples(samples, 'tcptable_connections', protocol='tcp',
                                          netns=nsfixture.NAME)),
               {E.labelset(family='ipv4', state='listen'): 1,
                E.labelset(family='ipv6', state='listen'): 1,
                E.labelset(family='ipv4', state='established'): 2 * nsfixture.CONNS},
               'TCP connections')
    C.check_eq(samples[('tcptable_snapshot_sockets', frozenset())], 2 + 2 * nsfixture.CONNS,
               'sockets in the snapshot (TCP only)')


@T.case('--no-collector.processes: no process series, listeners without a process')
def no_processes():
    e = E.Exporter('--netns', nsfixture.NAME, '--no-collector.processes')
    try:
        _, text = e.metrics()
    finally:
        e.stop()
    samples, _ = E.parse(text)
    C.check_eq(E.select_samples(samples, 'tcptable_process_connections'), {},
               'process series')
    listeners = E.select_samples(samples, 'tcptable_listeners', port='7401')
    C.check_eq(set(dict(k)['process'] for k in listeners), {''}, 'process labels')


def sources(samples):
    return {dict(k)['part']: dict(k)['source']
            for k in E.select_samples(samples, 'tcptable_source_info')}


def tcptable_says():
    """The owner source libtcptable's own command picks here and now (tcptable -p -v)."""
    exe = os.path.join(os.environ['TCPT_BUILD_ROOT'], 'src', 'cli', 'tcptable')
    r = subprocess.run([exe, '-p', '-v', '-n', '--netns', nsfixture.NAME], capture_output=True,
                       timeout=60)
    line = [l for l in r.stderr.decode().split('\n') if 'owners from' in l]
    C.check(line, 'tcptable -v did not say its sources: %r' % r.stderr)
    return line[0].rsplit(' ', 1)[1]


def bpf_possible():
    """Whether the BPF owner source can load here: root with the kernel's BTF."""
    return os.path.exists('/sys/kernel/btf/vmlinux') and os.geteuid() == 0


@T.case('tcptable_source_info: rows and owners each name their source; owners from BPF '
        'wherever it loads (one program, kept between scrapes), else from /proc')
def source_info():
    e = E.Exporter('--netns', nsfixture.NAME, '--scrape.min-interval=0')
    try:
        samples = E.parse(e.metrics()[1])[0]
        state['fx'].check_metrics(samples)
        got = sources(samples)
        if bpf_possible():
            # unlike a one-shot `tcptable -p`, which stays on /proc below ~11,000 open files
            # (a load would cost more than the scan saves), the exporter loads once
            C.check_eq(got, {'rows': 'netlink', 'owners': 'bpf'}, 'sources, as root with BTF')
            held = C.bpf_programs(e.proc.pid)
            C.check_eq(len(held), 1, 'BPF programs the exporter holds')
            for _ in range(3):
                state['fx'].check_metrics(E.parse(e.metrics()[1])[0])
            C.check_eq(C.bpf_programs(e.proc.pid), held, 'the same program after 3 scrapes')
        else:
            C.check_eq(got, {'rows': 'netlink', 'owners': tcptable_says()}, 'sources')
    finally:
        e.stop()
    e = E.Exporter('--netns', nsfixture.NAME, '--no-collector.processes')
    try:
        C.check_eq(sources(E.parse(e.metrics()[1])[0]), {'rows': 'netlink'},
                   'sources without owners')
    finally:
        e.stop()
    e = E.Exporter('--netns', nsfixture.NAME, env={'TCPT_BPF_BTF': '/nonexistent'})
    try:
        samples = E.parse(e.metrics()[1])[0]
        C.check_eq(sources(samples), {'rows': 'netlink', 'owners': 'proc'},
                   'sources with BPF unavailable')
        state['fx'].check_metrics(samples)  # the same owners from either source
        C.check_eq(C.bpf_programs(e.proc.pid), {}, 'no BPF program without BPF')
    finally:
        e.stop()


def snapshots(e):
    samples, _ = E.parse(e.metrics()[1])
    return samples[('tcptable_exporter_snapshots_total', frozenset())]


@T.case('scrapes within --scrape.min-interval share one snapshot; later ones take a new one')
def min_interval():
    e = E.Exporter('--netns', nsfixture.NAME, '--scrape.min-interval=2s')
    try:
        first = snapshots(e)
        same = [snapshots(e) for _ in range(3)]
        time.sleep(2.1)
        later = snapshots(e)
    finally:
        e.stop()
    C.check_eq(same, [first] * 3, 'snapshot counts within the interval')
    C.check_eq(later, first + 1, 'snapshot count after the interval')


def raw(port, data, shut=False, timeout=10):
    """Send DATA on a new connection (half-close after it with SHUT), read until the server
    closes or TIMEOUT: what came back."""
    s = socket.create_connection(('127.0.0.1', port), timeout=timeout)
    try:
        s.sendall(data)
        if shut:
            s.shutdown(socket.SHUT_WR)
        out = b''
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not chunk:
                break
            out += chunk
        return out
    finally:
        s.close()


def status_of(resp):
    line = resp.split(b'\r\n', 1)[0]
    parts = line.split()
    return int(parts[1]) if len(parts) > 1 and parts[0].startswith(b'HTTP/') else None


@T.case('bad input: 404, 405 with Allow, 431, 400, half-closed; still serving, no fd left')
def bad_input():
    e = state['own']
    e.metrics()
    before = e.fd_count()
    C.check_eq(e.get('/nope')[0], 404, 'unknown path')
    C.check_eq(e.get('/metrics/x')[0], 404, 'a path under /metrics')
    for m in ('POST', 'PUT', 'DELETE', 'PATCH'):
        status, hdrs, _ = e.get('/metrics', method=m, body=b'x' * 100)
        C.check_eq(status, 405, m)
        C.check_eq(hdrs.get('allow'), 'GET, HEAD', 'Allow header for ' + m)
    status, hdrs, body = e.get('/metrics', method='HEAD')
    C.check_eq((status, body), (200, b''), 'HEAD')
    big = b'GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: ' + b'a' * 100000 + b'\r\n\r\n'
    C.check_eq(status_of(raw(e.port, big)), 431, 'oversize header')
    many = b'GET /metrics HTTP/1.1\r\nHost: x\r\n' + b''.join(
        b'X-H%d: v\r\n' % i for i in range(5000)) + b'\r\n'
    C.check_eq(status_of(raw(e.port, many)), 431, 'too many headers')
    C.check_eq(status_of(raw(e.port, b'GET /metrics FOO/1.1\r\nHost: x\r\n\r\n')), 400,
               'a request line with a bad version')
    C.check_eq(status_of(raw(e.port, b'GET /metrics HTTP/9.9\r\nHost: x\r\n\r\n')), 505,
               'an unknown HTTP version')
    # Bytes that are no request line at all: libmicrohttpd closes the connection without an
    # answer (at once, or at --web.timeout when no line ever ends), as for HTTP/0.9.
    for junk in (b'garbage\r\n\r\n', b'\x00\xff\x13garbage\r\n\r\n',
                 b'\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03' + bytes(64)):
        t0 = time.monotonic()
        C.check_eq(raw(e.port, junk, timeout=10), b'', 'answer to %r' % junk[:12])
        C.check(time.monotonic() - t0 < 2 + 1.5, 'garbage kept its connection past the timeout')
    C.check_eq(status_of(raw(e.port, b'GET /metrics HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n')),
               400, 'a header without a colon')
    resp = raw(e.port, b'GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
               shut=True)
    C.check_eq(status_of(resp), 200, 'a complete request, then half-closed')
    C.check(b'tcptable_connections' in resp, 'the half-closed request got no metrics')
    C.check_eq(raw(e.port, b'GET /metr', shut=True), b'', 'an incomplete request, half-closed')
    deadline = time.monotonic() + 5
    while e.fd_count() > before and time.monotonic() < deadline:
        time.sleep(0.05)
    C.check(e.fd_count() <= before, 'open fds of the exporter after the bad requests: %d, '
            'before them %d' % (e.fd_count(), before))
    e.metrics()


@T.case('bad flags and a bad web config: one line, non-zero status, nothing served')
def bad_flags():
    exe = E.exporter_path()
    for args in (['--bogus'], ['--web.threads=0'], ['--scrape.min-interval=soon'],
                 ['--netns', 'x', '--all-netns'], ['--web.telemetry-path=metrics']):
        r = subprocess.run([exe] + args, capture_output=True, timeout=10)
        C.check_eq(r.returncode, 2, 'status for %s' % args)
        C.check_eq(r.stderr.count(b'\n'), 1, 'lines for %s: %r' % (args, r.stderr))
    r = subprocess.run([exe, '--help'], capture_output=True, timeout=10)
    C.check(r.returncode == 0 and b'--web.listen-address' in r.stdout, '--help')
    d = os.path.join(os.environ.get('TMPDIR', '/tmp'), 'tcpt-webcfg-%s' % E.unique_id())
    os.makedirs(d, exist_ok=True)
    try:
        for content, word in [('tls_server_config: [1, 2]\n', 'mapping'),
                              ('basic_auth_users:\n  alice: plain\n', 'bcrypt'),
                              ('tls_server_config:\n  cert_file: none.crt\n  key_file: k\n',
                               'cannot open'),
                              ('http_server_config:\n  http2: false\n', 'not supported'),
                              ('a: [\n', 'line')]:
            p = os.path.join(d, 'web.yml')
            with open(p, 'w') as f:
                f.write(content)
            r = subprocess.run([exe, '--web.config.file=' + p,
                                '--web.listen-address=127.0.0.1:%d' % E.free_port()],
                               capture_output=True, timeout=10)
            C.check_eq(r.returncode, 1, 'status for %r' % content)
            C.check(word.encode() in r.stderr and r.stderr.count(b'\n') == 1,
                    'message for %r: %r' % (content, r.stderr))
    finally:
        subprocess.run(['rm', '-rf', d])


NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups']
CAPS = ['--inh-caps=+dac_read_search,+sys_ptrace', '--ambient-caps=+dac_read_search,+sys_ptrace']


@T.case('as nobody: no owners of root sockets without capabilities; all with the two of the unit')
def capabilities():
    h = C.Holder('--name', 'tcpt-root', '--listen', 4, '127.0.0.1', 7411)
    try:
        got = {}
        for what, wrap in (('bare', NOBODY), ('caps', NOBODY + CAPS)):
            e = E.Exporter(wrap=wrap)
            try:
                samples, _ = E.parse(e.metrics()[1])
            finally:
                e.stop()
            got[what] = (E.select_samples(samples, 'tcptable_listeners', port='7411'),
                         samples[('tcptable_unreadable_processes', frozenset())])
    finally:
        h.stop()
    L = E.labelset
    lst, unreadable = got['bare']
    C.check_eq(lst, {L(protocol='tcp', family='ipv4', address='127.0.0.1', process=''): 1},
               'the root listener as seen by nobody without capabilities')
    C.check(unreadable > 0, 'no unreadable process reported without capabilities')
    lst, unreadable = got['caps']
    C.check_eq(lst, {L(protocol='tcp', family='ipv4', address='127.0.0.1',
                       process='tcpt-root'): 1},
               'the root listener with CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE')
    C.check_eq(unreadable, 0, 'unreadable processes with the capabilities')


@T.case('SIGTERM: a clean exit, nothing reported by the sanitizers')
def clean_exit():
    for k in ('ns', 'own'):
        state[k].stop()


E.private_pid_namespace()
sys.exit(T.run(setup, teardown))
