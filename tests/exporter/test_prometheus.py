"""test_prometheus.py - a real Prometheus scrapes tcptable-exporter, plain and over TLS with
basic auth, in a private network namespace.

Two exporters watch the named namespace of nsfixture.py (--netns): one over plain HTTP, one
with a --web.config.file (a self-signed certificate made here, a bcrypt hash from the
system's crypt). First the TLS exporter alone: the right password is 200; a wrong one, an
unknown user and none at all are 401 with a Basic challenge; plain HTTP to the TLS port gets
no HTTP answer and the port keeps serving TLS. Then Prometheus (the Debian package's binary)
starts with a config scraping both every second, storage in a temporary directory removed
afterwards. After two scrapes of each, its HTTP API (/api/v1/query) must answer: connections
by protocol and state, listeners by port and process, processes, and kernel counters (TCP
and UDP), equal to the sockets the test made; both targets up with no scrape error.
"""
import base64
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exporterlib as E  # noqa: E402
import nsfixture  # noqa: E402

C = E.C
T = C.Tap()
state = {}
PASSWORD = 'correct horse'


def setup():
    if not shutil.which('prometheus'):
        raise C.Skip('no prometheus binary (Debian package prometheus)')
    C.enter_private_netns('test_prometheus')
    d = state['dir'] = tempfile.mkdtemp(prefix='tcpt-prom-')
    state['fx'] = nsfixture.Fixture()
    cert, key = E.make_certificate(d)
    state['cert'] = cert
    web = os.path.join(d, 'web.yml')
    with open(web, 'w') as f:
        f.write('tls_server_config:\n  cert_file: server.crt\n  key_file: %s\n'
                'basic_auth_users:\n  alice: %s\n' % (key, E.bcrypt(PASSWORD)))
    state['plain'] = E.Exporter('--netns', nsfixture.NAME, '--scrape.min-interval=0')
    state['tls'] = E.Exporter('--netns', nsfixture.NAME, '--web.config.file=' + web,
                              '--scrape.min-interval=0', '--web.timeout=2s', tls_ca=cert)


def teardown():
    p = state.get('prom')
    if p and p.poll() is None:
        p.terminate()
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    for k in ('plain', 'tls'):
        if k in state and state[k].proc.poll() is None:
            state[k].stop(check=False)
    if 'fx' in state:
        state['fx'].close()
    if 'dir' in state:
        shutil.rmtree(state['dir'], ignore_errors=True)


def basic(user, password):
    return {'Authorization': 'Basic ' + base64.b64encode(
        ('%s:%s' % (user, password)).encode()).decode()}


@T.case('TLS + basic auth: the right password is 200, with the metrics')
def right_password():
    status, _, body = state['tls'].get(headers=basic('alice', PASSWORD))
    C.check_eq(status, 200, 'status')
    samples, _ = E.parse(body.decode())
    state['fx'].check_metrics(samples)


@T.case('TLS + basic auth: a wrong password, an unknown user, none: 401 with a challenge')
def refused():
    for what, headers in [('wrong password', basic('alice', 'wrong')),
                          ('unknown user', basic('mallory', PASSWORD)),
                          ('no password', {}),
                          ('not basic', {'Authorization': 'Bearer x'})]:
        for path in ('/metrics', '/', '/nope'):
            status, hdrs, body = state['tls'].get(path, headers=headers)
            C.check_eq(status, 401, '%s on %s' % (what, path))
            C.check(hdrs.get('www-authenticate', '').startswith('Basic realm='),
                    '%s: challenge %r' % (what, hdrs.get('www-authenticate')))
            C.check(b'tcptable' not in body, '%s: metrics in a refusal' % what)


@T.case('plain HTTP to the TLS port: no HTTP answer, closed; TLS is still served')
def plain_to_tls():
    s = socket.create_connection(('127.0.0.1', state['tls'].port), timeout=10)
    s.sendall(b'GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n')
    out = b''
    t0 = time.monotonic()
    try:
        while time.monotonic() - t0 < 8:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
    except (ConnectionResetError, socket.timeout):
        pass
    s.close()
    C.check(not out.startswith(b'HTTP/'), 'a plain HTTP answer: %r' % out[:100])
    C.check(b'tcptable_' not in out, 'metrics sent in the clear')
    C.check(time.monotonic() - t0 < 2 + 2, 'the connection was kept past --web.timeout')
    C.check_eq(state['tls'].get(headers=basic('alice', PASSWORD))[0], 200, 'TLS afterwards')
    # and a TLS client that does not trust the certificate is refused by its own side
    ctx = ssl.create_default_context()
    try:
        with socket.create_connection(('127.0.0.1', state['tls'].port), timeout=10) as raw:
            with ctx.wrap_socket(raw, server_hostname='localhost'):
                C.fail('an untrusted certificate was accepted')
    except ssl.SSLCertVerificationError:
        pass


def start_prometheus():
    d = state['dir']
    port = E.free_port()
    cfg = os.path.join(d, 'prometheus.yml')
    with open(cfg, 'w') as f:
        f.write('''global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: plain
    static_configs:
      - targets: ['127.0.0.1:%d']
  - job_name: tls
    scheme: https
    tls_config:
      ca_file: %s
      server_name: localhost
    basic_auth:
      username: alice
      password: '%s'
    static_configs:
      - targets: ['127.0.0.1:%d']
''' % (state['plain'].port, state['cert'], PASSWORD, state['tls'].port))
    log = open(os.path.join(d, 'prometheus.log'), 'wb')
    state['prom'] = subprocess.Popen(
        ['prometheus', '--config.file=' + cfg, '--storage.tsdb.path=' + os.path.join(d, 'data'),
         '--web.listen-address=127.0.0.1:%d' % port, '--log.level=warn'],
        stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=d)
    state['prom_port'] = port
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen('http://127.0.0.1:%d/-/ready' % port, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if state['prom'].poll() is not None:
            break
        time.sleep(0.2)
    C.fail('prometheus did not become ready:\n' + prom_log())


def prom_log():
    try:
        with open(os.path.join(state['dir'], 'prometheus.log'), errors='replace') as f:
            return f.read()[-3000:]
    except OSError:
        return ''


def api(path, **params):
    url = 'http://127.0.0.1:%d/api/v1/%s?%s' % (state['prom_port'], path,
                                                 urllib.parse.urlencode(params))
    with urllib.request.urlopen(url, timeout=10) as r:
        body = json.load(r)
    C.check_eq(body.get('status'), 'success', 'status of %s' % url)
    return body['data']


def query(q):
    """{frozenset(labels but job, instance, __name__): value} of an instant query."""
    out = {}
    for r in api('query', query=q)['result']:
        labels = {k: v for k, v in r['metric'].items()
                  if k not in ('job', 'instance', '__name__')}
        out[frozenset(labels.items())] = float(r['value'][1])
    return out


@T.case('a real Prometheus scrapes both exporters every second, plain and TLS with auth')
def prometheus_scrapes():
    start_prometheus()
    deadline = time.monotonic() + 45
    while True:
        # two successful scrapes of each job
        done = {r['metric']['job'] for r in
                api('query', query='sum_over_time(up[1m]) >= 2')['result']}
        if done == {'plain', 'tls'}:
            break
        if time.monotonic() > deadline:
            C.fail('fewer than two scrapes of each target in 45 s: up %r\n%s'
                   % (query('up'), prom_log()))
        time.sleep(0.5)
    targets = api('targets')['activeTargets']
    C.check_eq(sorted((t['labels']['job'], t['health'], t['lastError']) for t in targets),
               [('plain', 'up', ''), ('tls', 'up', '')], 'targets')


@T.case("Prometheus's API: connections by state equal the sockets the test made")
def prom_connections():
    L = E.labelset
    for job in ('plain', 'tls'):
        got = query('tcptable_connections{job="%s",protocol="tcp"} > 0' % job)
        C.check_eq(got, {L(netns=nsfixture.NAME, protocol='tcp', family='ipv4',
                           state='listen'): 1,
                         L(netns=nsfixture.NAME, protocol='tcp', family='ipv6',
                           state='listen'): 1,
                         L(netns=nsfixture.NAME, protocol='tcp', family='ipv4',
                           state='established'): 2 * nsfixture.CONNS},
                   'connections by state (%s)' % job)
        got = query('tcptable_connections{job="%s",protocol="udp"} > 0' % job)
        C.check_eq(got, {L(netns=nsfixture.NAME, protocol='udp', family='ipv4',
                           state='unconn'): 1,
                         L(netns=nsfixture.NAME, protocol='udp', family='ipv4',
                           state='established'): 2,
                         L(netns=nsfixture.NAME, protocol='udp', family='ipv6',
                           state='unconn'): 1,
                         L(netns=nsfixture.NAME, protocol='udp', family='ipv6',
                           state='established'): 1},
                   'UDP sockets by state (%s)' % job)
        by_state = query('sum by (protocol, state) (tcptable_connections{job="%s"}) > 0' % job)
        C.check_eq(by_state, {L(protocol='tcp', state='listen'): 2,
                              L(protocol='tcp', state='established'): 6,
                              L(protocol='udp', state='unconn'): 2,
                              L(protocol='udp', state='established'): 3},
                   'summed by protocol and state (%s)' % job)


@T.case("Prometheus's API: listeners by port and process, processes, a kernel counter")
def prom_listeners_counters():
    L = E.labelset
    for job in ('plain', 'tls'):
        got = query('sum by (protocol, port, process) (tcptable_listeners{job="%s"})' % job)
        C.check_eq(got, {L(protocol='tcp', port='7401', process='tcpt-srv'): 1,
                         L(protocol='tcp', port='7402', process='tcpt-srv'): 1,
                         L(protocol='udp', port='7501', process='tcpt-udp'): 1,
                         L(protocol='udp', port='7502', process='tcpt-udp'): 1},
                   'listeners by protocol, port and process (%s)' % job)
        got = query('sum by (process, state) (tcptable_process_connections{job="%s"})' % job)
        C.check_eq(got, {L(process='tcpt-srv', state='listen'): 2,
                         L(process='tcpt-cli', state='established'): nsfixture.CONNS,
                         L(process='tcpt-udp', state='unconn'): 2,
                         L(process='tcpt-udp', state='established'): 3},
                   'connections by process (%s)' % job)
        snmp = nsfixture.Fixture.snmp()
        got = query('tcptable_tcp_active_opens_total{job="%s"}' % job)
        C.check_eq(got, {L(netns=nsfixture.NAME): snmp['ActiveOpens']},
                   'ActiveOpens (%s)' % job)
        udp = nsfixture.Fixture.snmp('Udp:')
        got = query('tcptable_udp_no_port_datagrams_total{job="%s"}' % job)
        C.check_eq(got, {L(netns=nsfixture.NAME, family='ipv4'): udp['NoPorts'],
                         L(netns=nsfixture.NAME, family='ipv6'):
                         nsfixture.Fixture.snmp6_udp()['NoPorts']}, 'UDP NoPorts (%s)' % job)
        C.check_eq(udp['NoPorts'], 1, 'NoPorts in the namespace (the oracle)')
        got = query('tcptable_port_established_connections{job="%s",protocol="udp"}' % job)
        C.check_eq(got, {L(netns=nsfixture.NAME, protocol='udp', port='7501'): 1,
                         L(netns=nsfixture.NAME, protocol='udp', port='7502'): 0},
                   'connected UDP sockets on the bound ports (%s)' % job)
        got = query('tcptable_port_established_connections{job="%s",port="7401"}' % job)
        C.check_eq(got, {L(netns=nsfixture.NAME, protocol='tcp', port='7401'):
                         nsfixture.CONNS}, 'established on the listening port (%s)' % job)


@T.case('the exporters exit cleanly; Prometheus storage is removed afterwards')
def clean():
    state['plain'].stop()
    state['tls'].stop()
    teardown()
    C.check(not os.path.exists(state['dir']), 'the temporary directory is still there')
    state.clear()


E.private_pid_namespace()
sys.exit(T.run(setup, teardown))
