"""exporterlib.py - shared by the exporter's tests (tests/exporter/test_*.py).

Runs the tcptable-exporter of the build ($TCPT_BUILD_ROOT/src/exporter/tcptable-exporter),
talks HTTP to it, and parses what it answers. The TAP runner, the namespace helpers and the
socket holders are tests/cmd/cmdlib.py's.
"""
import http.client
import os
import re
import select
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'cmd'))
import cmdlib as C  # noqa: E402

OM_ACCEPT = ('application/openmetrics-text;version=1.0.0,application/openmetrics-text;'
             'version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1')


def private_pid_namespace():
    """Run this script again as pid 1's child of a new PID namespace with its own /proc
    (unshare --pid --fork --mount-proc), as root: the exporter's owner scan then sees the
    test's processes only, not a busy host's (which made a snapshot take seconds). Without
    root this returns, and the namespace set-up skips the tests as cmdlib says."""
    if os.environ.get('TCPT_EXPORTER_PIDNS') == '1' or os.geteuid() != 0:
        return
    if not shutil.which('unshare'):
        return
    env = dict(os.environ, TCPT_EXPORTER_PIDNS='1', TCPT_EXPORTER_OUTER_PID=str(os.getpid()))
    sys.stdout.flush()
    os.execvpe('unshare', ['unshare', '--pid', '--fork', '--mount-proc', '--kill-child',
                           sys.executable] + sys.argv, env)


def unique_id():
    """This test run's pid as the host sees it (names of namespaces, files)."""
    return os.environ.get('TCPT_EXPORTER_OUTER_PID') or str(os.getpid())


def exporter_path():
    root = os.environ.get('TCPT_BUILD_ROOT')
    if not root:
        raise C.Failure('TCPT_BUILD_ROOT is not set (run through meson test)')
    return os.path.join(root, 'src', 'exporter', 'tcptable-exporter')


def instrumented():
    """True when the exporter is an ASan build, whose allocator keeps freed memory in
    quarantine (RSS then says nothing about leaks; LeakSanitizer does at exit)."""
    with open(exporter_path(), 'rb') as f:
        return b'__asan_init' in f.read()


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def wait_port(port, proc, timeout=10.0, host='127.0.0.1'):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection((host, port), timeout=1):
                return True
        except OSError:
            time.sleep(0.02)
    return False


class Exporter:
    """tcptable-exporter ARGS on 127.0.0.1:PORT; stderr kept in a file."""

    def __init__(self, *args, port=None, tls_ca=None, preexec=None, wrap=(), env=None):
        self.port = port or free_port()
        self.tls_ca = tls_ca
        self.err = tempfile.TemporaryFile()
        self.argv = list(wrap) + [exporter_path(),
                                  '--web.listen-address=127.0.0.1:%d' % self.port] + list(args)
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=self.err,
                                     preexec_fn=preexec,
                                     env=dict(os.environ, **env) if env else None)
        if not wait_port(self.port, self.proc):
            self.stop(check=False)
            C.fail('the exporter did not start listening: %s' % self.stderr())

    def stderr(self):
        self.err.seek(0)
        return self.err.read().decode(errors='replace')

    def connection(self, timeout=30):
        if self.tls_ca:
            ctx = ssl.create_default_context(cafile=self.tls_ca)
            return http.client.HTTPSConnection('localhost', self.port, timeout=timeout,
                                               context=ctx)
        return http.client.HTTPConnection('127.0.0.1', self.port, timeout=timeout)

    def get(self, path='/metrics', headers=None, method='GET', body=None, timeout=30):
        """One request on a new connection: (status, {header: value}, body bytes)."""
        c = self.connection(timeout)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            data = r.read()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, data
        finally:
            c.close()

    def metrics(self, om=False, headers=None):
        h = dict(headers or {})
        if om:
            h['Accept'] = OM_ACCEPT
        status, hdrs, body = self.get('/metrics', headers=h)
        C.check_eq(status, 200, 'status of /metrics (%r)' % body[:300])
        return hdrs, body.decode('utf-8')

    def fd_count(self):
        return len(os.listdir('/proc/%d/fd' % self.proc.pid))

    def rss_kb(self):
        with open('/proc/%d/status' % self.proc.pid) as f:
            for line in f:
                if line.startswith('VmRSS:'):
                    return int(line.split()[1])
        return 0

    def stop(self, check=True):
        """Stop with SIGTERM; with CHECK, a clean exit (0) and no sanitizer report."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                if check:
                    C.fail('the exporter did not stop on SIGTERM')
        err = self.stderr()
        self.err.close()
        if check:
            C.check_sanitizers(self.argv, err.encode())
            C.check_eq(self.proc.returncode, 0, 'exit status of the exporter (%s)' % err[-2000:])
        return err


# --- the exposition ----------------------------------------------------------------------

_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
_LABEL = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)')


def unescape(v):
    return re.sub(r'\\(.)', lambda m: '\n' if m.group(1) == 'n' else m.group(1), v)


def parse(text):
    """The samples of an exposition: {(name, frozenset of (label, value)): float}, and the
    families' types {name: type} as announced."""
    samples, types = {}, {}
    for n, line in enumerate(text.split('\n'), 1):
        if not line or line == '# EOF':
            continue
        if line.startswith('# TYPE '):
            _, _, name, typ = line.split(' ', 3)
            types[name] = typ
            continue
        if line.startswith('#'):
            continue
        m = _SAMPLE.match(line)
        C.check(m, 'line %d is not a sample: %r' % (n, line))
        labels, rest = [], m.group(3) or ''
        while rest:
            lm = _LABEL.match(rest)
            C.check(lm, 'line %d: bad labels: %r' % (n, line))
            labels.append((lm.group(1), unescape(lm.group(2))))
            rest = rest[lm.end():]
        key = (m.group(1), frozenset(labels))
        C.check(key not in samples, 'line %d: sample repeated: %r' % (n, line))
        samples[key] = float(m.group(4))
    return samples, types


def select_samples(samples, name, **labels):
    """{frozenset(other labels): value} of the samples NAME with LABELS."""
    want = set(labels.items())
    out = {}
    for (n, ls), v in samples.items():
        if n == name and want <= ls:
            out[frozenset(ls - want)] = v
    return out


def nonzero(d):
    return {k: v for k, v in d.items() if v != 0}


def labelset(**kw):
    return frozenset(kw.items())


def promtool(text):
    """promtool check metrics: (status, its findings as a list of lines)."""
    p = subprocess.run(['promtool', 'check', 'metrics'], input=text.encode(),
                       capture_output=True, timeout=60)
    out = (p.stdout + p.stderr).decode(errors='replace')
    return p.returncode, [l for l in out.split('\n') if l.strip()]


# --- certificates and the web config ------------------------------------------------------

def make_certificate(d):
    """A self-signed certificate for localhost and 127.0.0.1 in D: (cert, key) paths."""
    cert, key = os.path.join(d, 'server.crt'), os.path.join(d, 'server.key')
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt',
                    'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj',
                    '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
                    '-keyout', key, '-out', cert], check=True, capture_output=True)
    return cert, key


def bcrypt(password, cost=5):
    """A bcrypt hash of PASSWORD from the system's crypt (libxcrypt), as $2y$."""
    import ctypes
    lib = ctypes.CDLL('libcrypt.so.1')
    lib.crypt_gensalt.restype = ctypes.c_char_p
    lib.crypt_gensalt.argtypes = [ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p,
                                  ctypes.c_int]
    lib.crypt.restype = ctypes.c_char_p
    lib.crypt.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    salt = lib.crypt_gensalt(b'$2y$', cost, None, 0)
    h = lib.crypt(password.encode(), salt)
    C.check(h and h.startswith(b'$2y$'), 'crypt made no bcrypt hash: %r' % h)
    return h.decode()
