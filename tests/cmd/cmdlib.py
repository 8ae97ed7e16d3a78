"""cmdlib.py - shared by the tests of the tcptable command (tests/cmd/test_*.py).

Each test script creates its own private network namespace (root needed), makes the sockets it
checks, runs the tcptable binary of the build ($TCPT_BUILD_ROOT/src/cli/tcptable) and parses
what it prints. Results are TAP on stdout.

Contract for a missing namespace (as tests/common/netns.h): without root the whole script is
skipped with a loud reason on stderr; under CI=true that is a failure.

Sanitizers: when the binary is instrumented (ASan/UBSan build), any sanitizer report on its
stderr fails the case that ran it.
"""
import atexit
import ctypes
import errno
import fcntl
import json
import os
import pty
import select
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import traceback

CLONE_NEWNET = 0x40000000
SO_COOKIE = 57
TCP_CONGESTION = 13
SIOCINQ = 0x541B
SIOCOUTQ = 0x5411
PR_SET_NAME = 15

HERE = os.path.dirname(os.path.abspath(__file__))
HOLDER = os.path.join(HERE, 'holder.py')

_libc = ctypes.CDLL(None, use_errno=True)

# The order of fields in structured output, as src/cli/record.h documents it.
BASE_FIELDS = ['netns', 'proto', 'family', 'state', 'local_address', 'local_port',
               'remote_address', 'remote_port', 'interface', 'uid', 'inode', 'cookie', 'cgroup_id',
               'recv_q', 'send_q', 'timer', 'timer_expires_ms', 'retransmits']
EXTENDED_FIELDS = ['user', 'cgroup']
INFO_FIELDS = ['rtt_us', 'rttvar_us', 'min_rtt_us', 'rto_us', 'ato_us', 'snd_mss', 'rcv_mss',
               'pmtu', 'snd_cwnd', 'snd_ssthresh', 'retrans', 'total_retrans', 'lost',
               'last_data_sent_ms', 'last_data_recv_ms', 'last_ack_recv_ms', 'bytes_sent',
               'bytes_retrans', 'bytes_acked', 'bytes_received', 'delivery_rate',
               'pacing_rate', 'segs_out', 'segs_in', 'ca_state', 'congestion']
OWNER_FIELDS = ['pid', 'fd', 'name', 'exe']

SANITIZER_MARKS = [b'AddressSanitizer', b'LeakSanitizer', b'UndefinedBehaviorSanitizer',
                   b'runtime error:', b'==ERROR:']


class Failure(Exception):
    pass


class Skip(Exception):
    pass


def fail(msg):
    raise Failure(msg)


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def check_eq(got, want, what):
    if got != want:
        raise Failure('%s: expected %r, got %r' % (what, want, got))


# --- TAP -----------------------------------------------------------------------------------

class Tap:
    """Cases are registered first (so the plan is known), then run in order. A case fails by
    raising; KNOWN_BUG cases that fail are reported 'not ok ... # TODO' (an expected failure,
    which does not fail the suite) and plain 'ok' once they pass."""

    def __init__(self):
        self.cases = []

    def case(self, name, known_bug=None):
        def register(fn):
            self.cases.append((name, fn, known_bug))
            return fn
        return register

    def add(self, name, fn, known_bug=None):
        self.cases.append((name, fn, known_bug))

    def run(self, setup=None, teardown=None):
        if setup:
            try:
                setup()
            except Skip as e:
                print('1..0 # SKIP %s' % e)
                return 0
            except Exception as e:
                print('1..1')
                print('not ok 1 - set up the sockets # %s' % one_line(e))
                if not isinstance(e, Failure):
                    traceback.print_exc(file=sys.stderr)
                if teardown:
                    teardown()
                return 1
        print('1..%d' % len(self.cases))
        sys.stdout.flush()
        failed = 0
        try:
            for n, (name, fn, known_bug) in enumerate(self.cases, 1):
                try:
                    fn()
                except Skip as e:
                    print('ok %d - %s # SKIP %s' % (n, name, one_line(e)))
                except Exception as e:
                    if not isinstance(e, Failure):
                        traceback.print_exc(file=sys.stderr)
                    if known_bug:
                        print('not ok %d - %s # TODO %s' % (n, name, known_bug))
                        print('# %s' % one_line(e))
                    else:
                        failed += 1
                        print('not ok %d - %s' % (n, name))
                        for line in str(e).splitlines() or ['']:
                            print('#   %s' % line)
                else:
                    print('ok %d - %s' % (n, name))
                sys.stdout.flush()
        finally:
            if teardown:
                teardown()
        return 1 if failed else 0


def one_line(e):
    s = str(e).replace('\n', ' | ')
    return s[:600] if s else type(e).__name__


# --- the namespace -------------------------------------------------------------------------

def in_ci():
    return os.environ.get('CI') == 'true'


def enter_private_netns(who):
    """Move this process into a new network namespace with lo up; Skip (or, under CI=true,
    fail) when that is impossible."""
    reason = None
    if _libc.unshare(CLONE_NEWNET) != 0:
        e = ctypes.get_errno()
        reason = os.strerror(e) + (' because this is not root' if os.geteuid() else '')
    else:
        r = subprocess.run(['ip', 'link', 'set', 'lo', 'up'], capture_output=True)
        if r.returncode != 0:
            reason = 'ip link set lo up: ' + r.stderr.decode(errors='replace').strip()
    if reason is None:
        return
    skip = not in_ci()
    sys.stderr.write('\n*** %s: cannot create a private network namespace (%s).\n'
                     '*** These tests need root; %s\n\n'
                     % (who, reason, 'they are SKIPPED.' if skip
                        else 'under CI=true that is a FAILURE.'))
    if skip:
        raise Skip('%s: no private network namespace (%s)' % (who, reason))
    raise Failure('no private network namespace (%s) under CI=true' % reason)


def require_mount_namespaces(who):
    """Skip (or, under CI=true, fail) saying exactly what is missing when this root cannot
    make private mounts or run `ip netns add`: in a chroot whose directory is not a mount
    point, "/" has no mount of its own and both fail with a bare EINVAL."""
    try:
        with open('/proc/self/mountinfo') as f:
            points = [line.split()[4] for line in f if len(line.split()) > 4]
    except OSError:
        return
    if '/' in points:
        return
    reason = ('/ is not a mount point here (a chroot whose directory was not bind-mounted '
              'onto itself): private mounts and `ip netns add` fail with EINVAL')
    sys.stderr.write('\n*** %s: %s.\n*** %s\n\n' % (who, reason, 'They are SKIPPED.'
                     if not in_ci() else 'Under CI=true that is a FAILURE.'))
    if not in_ci():
        raise Skip('%s: %s' % (who, reason))
    raise Failure(reason)


def netns_inode(path='/proc/self/ns/net'):
    return os.stat(path).st_ino


def set_comm(name):
    """Name the calling thread (and so a single-threaded process): /proc/PID/comm."""
    if isinstance(name, str):
        name = name.encode()
    if _libc.prctl(PR_SET_NAME, ctypes.c_char_p(name), 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), 'prctl(PR_SET_NAME)')


def read_comm(pid='self'):
    with open('/proc/%s/comm' % pid, 'rb') as f:
        data = f.read()
    return data[:-1] if data.endswith(b'\n') else data


# --- running tcptable ----------------------------------------------------------------------

def bpf_programs(pid='self'):
    """The descriptors of BPF programs process PID holds: {fd: 'anon_inode:bpf-prog'}."""
    progs = {}
    for fd in os.listdir('/proc/%s/fd' % pid):
        try:
            target = os.readlink('/proc/%s/fd/%s' % (pid, fd))
        except OSError:
            continue
        if target.startswith('anon_inode:bpf-prog'):
            progs[fd] = target
    return progs


def tcptable_path():
    root = os.environ.get('TCPT_BUILD_ROOT')
    if not root:
        raise Failure('TCPT_BUILD_ROOT is not set (run through meson test)')
    return os.path.join(root, 'src', 'cli', 'tcptable')


_public = {}


def public_tcptable():
    """A copy of tcptable and its library that any user may run, laid out as the binary's
    RUNPATH ($ORIGIN/../lib) expects: the build tree may lie under a directory other users
    cannot enter (a clone in /root). Made once per test script, removed when it exits.
    Returns (binary, library directory)."""
    if not _public:
        d = tempfile.mkdtemp(prefix='tcpt-public-')
        atexit.register(shutil.rmtree, d, True)
        os.chmod(d, 0o755)
        for sub in ('cli', 'lib'):
            os.mkdir(os.path.join(d, sub), 0o755)
        binary = os.path.join(d, 'cli', 'tcptable')
        shutil.copy2(tcptable_path(), binary)
        lib = os.path.join(os.environ['TCPT_BUILD_ROOT'], 'src', 'lib')
        for name in os.listdir(lib):
            path = os.path.join(lib, name)
            if name.startswith('libtcptable.so') and not os.path.isdir(path):
                shutil.copy2(path, os.path.join(d, 'lib', name))
        _public.update(binary=binary, lib=os.path.join(d, 'lib'))
    return _public['binary'], _public['lib']


def source_root():
    root = os.environ.get('TCPT_SOURCE_ROOT')
    if not root:
        raise Failure('TCPT_SOURCE_ROOT is not set (run through meson test)')
    return root


class Result:
    def __init__(self, argv, status, out, err):
        self.argv, self.status, self.out, self.err = argv, status, out, err

    def describe(self):
        return ('`%s` exited %s\nstdout: %r\nstderr: %r'
                % (' '.join(a if isinstance(a, str) else repr(a) for a in self.argv),
                   self.status, self.out[:2000], self.err[:2000]))

    def text(self):
        return self.out.decode('utf-8', 'surrogateescape')

    def json(self):
        try:
            return json.loads(self.out.decode('utf-8'))
        except ValueError as e:
            fail('not JSON (%s): %s' % (e, self.describe()))

    def jsonl(self):
        rows = []
        for n, line in enumerate(self.out.decode('utf-8').split('\n')):
            if line == '' and n == self.out.count(b'\n'):
                break
            try:
                rows.append(json.loads(line))
            except ValueError as e:
                fail('line %d is not a JSON object (%s): %r' % (n + 1, e, line))
            check(isinstance(rows[-1], dict), 'line %d is not an object' % (n + 1))
        return rows


def check_sanitizers(argv, err):
    for mark in SANITIZER_MARKS:
        if mark in err:
            fail('sanitizer report from `%s`:\n%s' % (' '.join(map(str, argv)),
                                                    err.decode(errors='replace')[:4000]))


def _preexec_as(uid):
    def become():
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    return become


def run(*args, status=0, env=None, stdin=subprocess.DEVNULL, input=None, as_uid=None,
        timeout=30):
    """Run tcptable ARGS (str or bytes). STATUS: the exit status required (None: any).
    AS_UID: run as that user, from public_tcptable()."""
    argv = [public_tcptable()[0] if as_uid is not None else tcptable_path()] + list(args)
    full_env = dict(os.environ)
    full_env.pop('NO_COLOR', None)
    if env:
        for k, v in env.items():
            if v is None:
                full_env.pop(k, None)
            else:
                full_env[k] = v
    kw = {}
    if input is not None:
        kw['input'] = input
    else:
        kw['stdin'] = stdin
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full_env,
                       timeout=timeout, preexec_fn=_preexec_as(as_uid) if as_uid is not None
                       else None, **kw)
    r = Result(argv, p.returncode, p.stdout, p.stderr)
    check_sanitizers(argv, p.stderr)
    if status is not None and p.returncode != status:
        fail('expected exit status %d; %s' % (status, r.describe()))
    return r


def run_on_pty(*args, env=None, stdin_text=None, timeout=30):
    """Run tcptable with its stdout (and stdin) on a pseudo-terminal; stderr on a pipe.
    Returns a Result whose out is what the terminal received (ONLCR: \\n arrives as \\r\\n)."""
    argv = [tcptable_path()] + list(args)
    full_env = dict(os.environ)
    full_env.pop('NO_COLOR', None)
    full_env['TERM'] = 'xterm'
    for k, v in (env or {}).items():
        if v is None:
            full_env.pop(k, None)
        else:
            full_env[k] = v
    master, slave = pty.openpty()
    try:
        p = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=subprocess.PIPE,
                             env=full_env, close_fds=True)
    finally:
        os.close(slave)
    out = b''
    deadline = time.monotonic() + timeout
    sent = False
    try:
        while True:
            if stdin_text is not None and not sent:
                os.write(master, stdin_text)
                sent = True
            left = deadline - time.monotonic()
            if left <= 0:
                p.kill()
                fail('`%s` on a terminal did not finish' % ' '.join(argv))
            ready, _, _ = select.select([master], [], [], min(left, 0.5))
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError as e:
                    if e.errno == errno.EIO:  # the last writer closed the terminal
                        break
                    raise
                if not chunk:
                    break
                out += chunk
            elif p.poll() is not None:
                # drain what is left without blocking
                while select.select([master], [], [], 0)[0]:
                    try:
                        chunk = os.read(master, 65536)
                    except OSError:
                        chunk = b''
                    if not chunk:
                        break
                    out += chunk
                break
        err = p.stderr.read()
        status = p.wait(timeout=timeout)
    finally:
        os.close(master)
        p.stderr.close()
    check_sanitizers(argv, err)
    return Result(argv, status, out, err)


# --- rows ----------------------------------------------------------------------------------

def key_of(row):
    """What identifies a row: family, both ends, state."""
    return (row['family'], row['local_address'], int(row['local_port']),
            row['remote_address'], int(row['remote_port']), row['state'])


def fmt_keys(keys):
    return '\n'.join('  %s %s:%d -> %s:%d %s' % k for k in sorted(keys)) or '  (none)'


def check_same_rows(got_keys, want_keys, what):
    got, want = list(got_keys), set(want_keys)
    dup = [k for k in set(got) if got.count(k) > 1]
    check(not dup, '%s: rows listed twice:\n%s' % (what, fmt_keys(dup)))
    got = set(got)
    if got != want:
        fail('%s:\nmissing:\n%s\nunexpected:\n%s' % (what, fmt_keys(want - got),
                                                    fmt_keys(got - want)))


# --- sockets -------------------------------------------------------------------------------

def cookie_of(sock):
    return struct.unpack('Q', sock.getsockopt(socket.SOL_SOCKET, SO_COOKIE, 8))[0]


def inq(sock):
    return struct.unpack('i', fcntl.ioctl(sock.fileno(), SIOCINQ, b'\0' * 4))[0]


def outq(sock):
    return struct.unpack('i', fcntl.ioctl(sock.fileno(), SIOCOUTQ, b'\0' * 4))[0]


TCP_STATES = {1: 'ESTABLISHED', 2: 'SYN-SENT', 3: 'SYN-RECV', 4: 'FIN-WAIT-1', 5: 'FIN-WAIT-2',
              6: 'TIME-WAIT', 7: 'CLOSE', 8: 'CLOSE-WAIT', 9: 'LAST-ACK', 10: 'LISTEN',
              11: 'CLOSING'}


def tcp_state(sock):
    return TCP_STATES.get(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)[0])


def wait_state(sock, state, timeout=5.0):
    deadline = time.monotonic() + timeout
    while tcp_state(sock) != state:
        if time.monotonic() > deadline:
            fail('socket never reached %s (is %s)' % (state, tcp_state(sock)))
        time.sleep(0.005)


def wait_no_rows(*args, timeout=5.0):
    """Wait until tcptable ARGS (a filter) lists nothing: e.g. a LAST-ACK end that the
    peer's final ACK is about to remove."""
    deadline = time.monotonic() + timeout
    while True:
        rows = run('--jsonl', *args).jsonl()
        if not rows:
            return
        if time.monotonic() > deadline:
            fail('rows of %s never went away: %r' % (' '.join(args), rows))
        time.sleep(0.01)


def tcp_info(sock):
    """The kernel's struct tcp_info (linux/tcp.h), the fields tcptable reports."""
    b = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 232)
    u8 = lambda o: b[o]
    u32 = lambda o: struct.unpack_from('I', b, o)[0]
    u64 = lambda o: struct.unpack_from('Q', b, o)[0]
    return {
        'ca_state': u8(1),
        'rto_us': u32(8), 'ato_us': u32(12), 'snd_mss': u32(16), 'rcv_mss': u32(20),
        'lost': u32(32), 'retrans': u32(36),
        'last_data_sent_ms': u32(44), 'last_data_recv_ms': u32(52), 'last_ack_recv_ms': u32(56),
        'pmtu': u32(60), 'rtt_us': u32(68), 'rttvar_us': u32(72), 'snd_ssthresh': u32(76),
        'snd_cwnd': u32(80), 'total_retrans': u32(100),
        'pacing_rate': u64(104), 'bytes_acked': u64(120), 'bytes_received': u64(128),
        'segs_out': u32(136), 'segs_in': u32(140), 'min_rtt_us': u32(148),
        'delivery_rate': u64(160), 'bytes_sent': u64(200), 'bytes_retrans': u64(208),
        'congestion': sock.getsockopt(socket.IPPROTO_TCP, TCP_CONGESTION, 16)
        .rstrip(b'\0').decode(),
    }


def attach_drop_all_filter(sock):
    """A classic BPF program 'ret #0': the socket receives nothing (a deaf peer)."""
    insn = struct.pack('HBBI', 0x06, 0, 0, 0)  # BPF_RET | BPF_K, k = 0
    buf = ctypes.create_string_buffer(insn)
    prog = struct.pack('HL', 1, ctypes.addressof(buf))
    sock.setsockopt(socket.SOL_SOCKET, 26, prog)  # SO_ATTACH_FILTER (the kernel copies it)


def listener(family, addr, port, backlog=16, **opts):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1 if opts.get('v6only') else 0)
    if opts.get('rcvbuf'):
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, opts['rcvbuf'])
    if opts.get('device'):
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, opts['device'].encode())
    s.bind((addr, port))
    s.listen(backlog)
    return s


def connect(family, addr, port, bind=None):
    c = socket.socket(family, socket.SOCK_STREAM)
    if bind:
        c.bind((bind, 0))
    c.connect((addr, port))
    return c


# --- holders: other processes that keep sockets --------------------------------------------

class Holder:
    """A child process (tests/cmd/holder.py) that makes sockets as told and keeps them until
    stop(). It prints one JSON line describing what it made."""

    def __init__(self, *args):
        cmd = [sys.executable, HOLDER] + [a if isinstance(a, (str, bytes)) else str(a)
                                          for a in args]
        self.execs = '--exec' in args
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        ready, _, _ = select.select([self.proc.stdout], [], [], 20)
        line = self.proc.stdout.readline() if ready else b''
        if not line:
            self.stop()
            fail('holder %r did not start' % (args,))
        self.info = json.loads(line)
        self.pid = self.info.get('pid', self.proc.pid)

    def stop(self):
        if self.proc.poll() is None and self.execs:
            self.proc.terminate()
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
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except OSError:
                pass


def read_snmp_tcp(path='/proc/net/snmp'):
    with open(path) as f:
        lines = [l.split() for l in f if l.startswith('Tcp:')]
    return dict(zip(lines[0][1:], (int(v) for v in lines[1][1:])))


def escape_for_terminal(raw):
    """The table's escaping (src/cli/escape.c), as a reference: control bytes, DEL, C1 and
    invalid UTF-8 as \\xNN, a backslash doubled."""
    out = []
    i = 0
    while i < len(raw):
        n = utf8_length(raw, i)
        c = raw[i]
        if n == 1 and c == 0x5c:
            out.append('\\\\')
        elif n == 0 or (n == 1 and (c < 0x20 or c == 0x7f)):
            out.append('\\x%02x' % c)
            n = 1
        else:
            out.append(raw[i:i + n].decode())
        i += n
    return ''.join(out)


def utf8_length(raw, i):
    c = raw[i]
    if c < 0x80:
        return 1
    for n in (2, 3, 4):
        try:
            ch = raw[i:i + n].decode('utf-8')
        except UnicodeDecodeError:
            continue
        if len(ch) == 1:
            return 0 if 0x80 <= ord(ch) <= 0x9f else n
    return 0


def control_bytes(data, allowed=b'\n'):
    """The control bytes (C0, DEL) in DATA other than ALLOWED, and C1 controls encoded as
    UTF-8."""
    bad = [b for b in data if (b < 0x20 or b == 0x7f) and b not in allowed]
    text = data.decode('utf-8', 'surrogateescape')
    bad += [ord(ch) for ch in text if 0x80 <= ord(ch) <= 0x9f]
    return bad
