"""test_odd_hosts.py - tcptable on hosts that are not the developer's laptop, and the errors
it gives there: each case is a bug found by trying the command as users do.

Everything runs in the test's private network namespace; the hosts' oddities are made in
private mount (and PID) namespaces of child processes, so nothing here touches the machine:
  - no cgroup2 hierarchy and an empty /run/netns (ASan/UBSan: no lookup in an empty table);
  - /run/netns holding a FIFO, an empty leftover file, a directory; 40 named namespaces under
    `ulimit -n 30`;
  - /proc mounted with hidepid=2, or no procfs at all, for -p and --comm as nobody;
  - a process whose /proc/PID/fd nobody may list but not read;
  - a link-local socket in a namespace whose interface index means another interface here;
and the messages: --netns that is not a namespace (exit 2, says what it is), output to a full
disk, entering a namespace without CAP_SYS_ADMIN, option conflicts (exit 2).
"""
import ctypes
import os
import shutil
import socket
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmdlib as C  # noqa: E402

NOBODY = 65534
CLONE_NEWNET = 0x40000000
TAG = 'tcpt-odd-%d' % os.getpid()
tap = C.Tap()
keep = []
named = []          # namespaces this test made with `ip netns add`
public = {}         # C.public_tcptable(): what nobody can run


def setup():
    C.enter_private_netns('test_odd_hosts')
    C.require_mount_namespaces('test_odd_hosts')
    keep.append(C.listener(socket.AF_INET, '127.0.0.1', 7790))
    public['tcptable'], public['lib'] = C.public_tcptable()


def teardown():
    for name in named:
        subprocess.run(['ip', 'netns', 'delete', name], capture_output=True)


def shell(script, *args, timeout=60):
    """Run SCRIPT with sh in a private mount namespace: $T is the public tcptable, $L its
    library directory (for a /proc-less run, where $ORIGIN cannot be resolved), then ARGS."""
    env = dict(os.environ, T=public['tcptable'], L=public['lib'])
    env.pop('NO_COLOR', None)
    p = subprocess.run(['unshare', '--mount', '--propagation', 'private', 'sh', '-c',
                        script, 'sh'] + list(args), capture_output=True, env=env,
                       timeout=timeout)
    r = C.Result(['sh', '-c', script], p.returncode, p.stdout, p.stderr)
    C.check_sanitizers(r.argv, p.stderr)
    return r


def one_line(r, status, *words):
    C.check(r.status == status and r.err.count(b'\n') == 1,
            'want exit %d and one line on stderr; %s' % (status, r.describe()))
    for w in words:
        C.check(w.encode() in r.err, 'stderr does not say %r; %s' % (w, r.describe()))


# --- 1: empty lookup tables ---------------------------------------------------------------

@tap.case('no cgroup2 hierarchy and an empty /run/netns: -e, --json, --csv, --all-netns work')
def no_cgroup2():
    r = shell('mount -t tmpfs none /sys/fs/cgroup && mkdir -p /run/netns && '
              'mount -t tmpfs none /run/netns && '
              'for a in -e --json --csv "--all-netns -e"; do $T $a || exit 9; done')
    C.check(r.status == 0 and b'127.0.0.1' in r.out, r.describe())


# --- 2: what failed, and the real cause ---------------------------------------------------

@tap.case('--netns NAME that does not exist says so (not "no such connection"), exit 2')
def netns_missing():
    r = C.run('--netns', TAG + '-none', status=None)
    one_line(r, 2, 'no such network namespace', '/run/netns/' + TAG + '-none')
    C.check(b'connection' not in r.err, r.describe())


@tap.case('output to a full disk: "No space left on device", exit 1')
def output_full():
    with open('/dev/full', 'wb') as full:
        p = subprocess.run([C.tcptable_path()], stdout=full, stderr=subprocess.PIPE, timeout=30)
    C.check_sanitizers(['tcptable'], p.stderr)
    C.check(p.returncode == 1 and p.stderr == b'tcptable: cannot write the output: '
            b'No space left on device\n', 'exit %d, stderr %r' % (p.returncode, p.stderr))


@tap.case('entering a namespace without privileges names CAP_SYS_ADMIN, exit 1')
def netns_unprivileged():
    name = make_named(TAG + '-priv')
    p = subprocess.run([public['tcptable'], '--netns', name], capture_output=True,
                       preexec_fn=C._preexec_as(NOBODY), timeout=30)
    r = C.Result(['tcptable', '--netns', name], p.returncode, p.stdout, p.stderr)
    one_line(r, 1, 'CAP_SYS_ADMIN')
    C.check(b'CAP_NET_ADMIN' not in r.err, r.describe())


# --- 3: interface names from the socket's own namespace -------------------------------------

def make_named(name):
    if name not in named:
        r = subprocess.run(['ip', 'netns', 'add', name], capture_output=True)
        C.check(r.returncode == 0, 'ip netns add %s: %r' % (name, r.stderr))
        named.append(name)
        subprocess.run(['ip', '-n', name, 'link', 'set', 'lo', 'up'], check=True)
    return name


def enter(path):
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), 'setns ' + path)
    finally:
        os.close(fd)


def in_namespace(path, fn):
    """FN() run with this (single-threaded) process in the namespace at PATH, then back."""
    home = os.open('/proc/self/ns/net', os.O_RDONLY)
    try:
        enter(path)
        return fn()
    finally:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.setns(home, CLONE_NEWNET)
        os.close(home)


@tap.case('--all-netns names a link-local socket\'s interface as its own namespace does')
def interface_of_other_namespace():
    name = make_named(TAG + '-if')
    # a veth pair there: its index means some other interface (or none) here
    for cmd in (['link', 'add', 'tcptv0', 'type', 'veth', 'peer', 'name', 'tcptv1'],
                ['link', 'set', 'tcptv0', 'up'], ['link', 'set', 'tcptv1', 'up'],
                ['addr', 'add', 'fe80::7/64', 'dev', 'tcptv0', 'nodad']):
        subprocess.run(['ip', '-n', name] + cmd, check=True, capture_output=True)

    def bind():
        s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        index = socket.if_nametoindex('tcptv0')
        s.bind(('fe80::7', 7791, 0, index))
        s.listen()
        return s, index
    s, index = in_namespace('/run/netns/' + name, bind)
    keep.append(s)
    here = dict((i, n) for i, n in socket.if_nameindex())
    C.check(here.get(index) != 'tcptv0', 'index %d is tcptv0 here too' % index)
    for args in (['--all-netns', '-l'], ['--netns', name, '-l']):
        lines = [l for l in C.run(*args).text().splitlines() if ':7791 ' in l]
        C.check(len(lines) == 1 and '[fe80::7%tcptv0]:7791' in lines[0],
                '%s: %r (index %d is %r here)' % (args, lines, index, here.get(index)))


# --- 4: -s --all-netns says what its numbers cover ------------------------------------------

@tap.case('-s --all-netns: counts and counters labelled as sums over every namespace')
def summary_all_netns():
    here = C.run('-s', '--json').json()  # first: counters only grow
    j = C.run('-s', '--all-netns', '--json').json()
    C.check_eq(j['scope'], 'all_netns_summed', 'scope')
    C.check(j['namespaces'] >= 2, 'namespaces: %r' % j['namespaces'])
    C.check_eq((here['scope'], here['namespaces']), ('netns', 1), 'scope without --all-netns')
    for key, v in here['counters'].items():
        if key != 'curr_estab':  # a gauge: may drop between the two runs
            C.check(j['counters'][key] >= v, '%s: sum %d < this namespace\'s %d'
                    % (key, j['counters'][key], v))
    text = C.run('-s', '--all-netns').text()
    C.check('summed over all' in text and 'Sockets of all' in text, text)


# --- 5, 6, 12: why owners are missing -------------------------------------------------------

def pid_namespace(script, timeout=60):
    """SCRIPT in a new PID namespace with its own /proc, so only its processes exist."""
    return shell('exec unshare --pid --fork --mount-proc sh -c "$1"', script, timeout=timeout)


SETPRIV = 'setpriv --reuid=65534 --regid=65534 --clear-groups'


@tap.case('--comm and --pid as nobody: an empty answer says processes could not be inspected')
def owner_filters_unprivileged():
    for args in ('--comm nginx', '--pid 1', '--comm nginx --json'):
        r = pid_namespace('%s $T %s' % (SETPRIV, args))
        C.check(r.status == 0 and b'could not be inspected' in r.err,
                '%s: %s' % (args, r.describe()))


HOLDER = r'''
import ctypes, os, socket, sys, time
libc = ctypes.CDLL(None)
libc.prctl(8, 1, 0, 0, 0)          # PR_SET_KEEPCAPS: keep root's permitted capabilities
os.setgroups([]); os.setgid(65534); os.setuid(65534)
libc.prctl(4, 1, 0, 0, 0)          # PR_SET_DUMPABLE: /proc/PID/fd owned by nobody again
s = socket.socket(); s.bind(("127.0.0.1", 7792)); s.listen()
open(sys.argv[1], "w").write("ready")
time.sleep(60)
'''


@tap.case('a process whose fds nobody may list but not read is counted as not inspected')
def refused_readlink():
    d = tempfile.mkdtemp(prefix='tcpt-odd-')
    os.chmod(d, 0o777)
    ready = os.path.join(d, 'ready')
    try:
        with open(os.path.join(d, 'holder.py'), 'w') as f:
            f.write(HOLDER)
        # pid 1 (root) cannot be listed; the holder (nobody, with root's permitted
        # capabilities) can be listed but not read: two processes not inspected
        script = ('python3 %s/holder.py %s & while [ ! -s %s ]; do sleep 0.05; done; '
                  '%s $T -p -l; kill $!' % (d, ready, ready, SETPRIV))
        r = pid_namespace(script)
        rows = [l for l in r.text().splitlines() if ':7792 ' in l]
        C.check(r.status == 0 and len(rows) == 1, r.describe())
        C.check(b'2 processes could not be inspected' in r.err, r.describe())
    finally:
        shutil.rmtree(d, ignore_errors=True)


@tap.case('-p under hidepid=2 as nobody says other users\' processes are hidden')
def hidepid():
    r = shell('exec unshare --pid --fork sh -c "mount -t proc -o hidepid=2 proc /proc && '
              '%s \\$T -p"' % SETPRIV)
    C.check(r.status == 0 and b'hidepid' in r.err and b'127.0.0.1:7790' in r.out,
            r.describe())


@tap.case('-p without a procfs at /proc says no owner can be known (rows still listed)')
def no_proc():
    with open(public['tcptable'], 'rb') as f:
        if b'__asan_init' in f.read():
            # ASan reads its options from /proc/self/environ and LeakSanitizer stops the
            # world through /proc/PID/task: neither can run without /proc (the plain build
            # runs this case)
            raise C.Skip('AddressSanitizer cannot run without /proc')
    r = shell('mount -t tmpfs none /proc && LD_LIBRARY_PATH=$L $T -p')
    C.check(r.status == 0 and b'no procfs at /proc' in r.err and b'127.0.0.1:7790' in r.out,
            r.describe())


# --- 7: every option conflict is bad usage ----------------------------------------------------

@tap.case('option conflicts exit 2: --all-netns -K, --netns with --all-netns, -s --csv')
def conflicts():
    for args in (['--all-netns', '-K', '--dport', '9'], ['-K', '--all-netns', '--dport', '9'],
                 ['--netns', 'x', '--all-netns'], ['-s', '--csv']):
        one_line(C.run(*args, status=None), 2)


# --- 9: what is not a namespace -------------------------------------------------------------

@tap.case('--netns FIFO, device, directory, plain file, user ns, \'\': exit 2, names it, no hang')
def netns_not_namespaces():
    d = tempfile.mkdtemp(prefix='tcpt-odd-')
    try:
        fifo = os.path.join(d, 'fifo')
        os.mkfifo(fifo)
        cases = [(fifo, 'a FIFO'), ('/dev/zero', 'a character device'), (d, 'a directory'),
                 ('/etc/passwd', 'a plain file'), ('/proc/self/ns/user', 'a user namespace'),
                 ('', 'an empty')]
        for value, what in cases:
            one_line(C.run('--netns', value, status=None, timeout=10), 2, what)
    finally:
        shutil.rmtree(d, ignore_errors=True)


# --- 9, 10, 11: --all-netns with odd /run/netns entries and few descriptors -------------------

@tap.case('--all-netns with a FIFO, an empty file and a directory in /run/netns: names '
          'each on stderr, lists the rest, exit 0')
def all_netns_leftovers():
    r = shell('mkdir -p /run/netns && mount -t tmpfs none /run/netns && '
              'mkfifo /run/netns/fifo && : > /run/netns/leftover && mkdir /run/netns/dir && '
              'timeout 20 $T --all-netns')
    C.check(r.status == 0 and b'127.0.0.1:7790' in r.out, r.describe())
    for what in (b'/run/netns/fifo is a FIFO', b'/run/netns/leftover is an empty file',
                 b'/run/netns/dir is a directory'):
        C.check(what in r.err, 'stderr lacks %r; %s' % (what, r.describe()))


@tap.case('--all-netns lists all of 40 namespaces under `ulimit -n 30`')
def all_netns_few_descriptors():
    # in a private mount namespace, so the 40 names are nobody else's business
    names = ['%s-%d' % (TAG, i) for i in range(40)]
    # a helper holds one listener in each namespace while tcptable runs, then is killed
    script = ('mkdir -p /run/netns && mount -t tmpfs none /run/netns && '
              'for n in "$@"; do ip netns add $n || exit 9; done && '
              'for n in "$@"; do stat -c %i /run/netns/$n; done >"$READY.inodes" && '
              '{ python3 -c "$PY" "$READY" "$@" </dev/null >/dev/null 2>&1 & } && '
              'while [ ! -s "$READY" ]; do sleep 0.05; done && '
              '(ulimit -n 30 && $T --all-netns --jsonl --sport 7800-7839); s=$?; '
              'kill $!; exit $s')
    py = ('import socket, sys, os, ctypes, time\n'
          'libc = ctypes.CDLL(None)\n'
          'home = os.open("/proc/self/ns/net", os.O_RDONLY)\n'
          'socks = []\n'
          'for i, n in enumerate(sys.argv[2:]):\n'
          '    fd = os.open("/run/netns/" + n, os.O_RDONLY); libc.setns(fd, 0x40000000)\n'
          '    os.close(fd)\n'
          '    s = socket.socket(); s.bind(("127.0.0.1", 7800 + i)); s.listen()\n'
          '    socks.append(s)\n'
          '    libc.setns(home, 0x40000000)\n'
          'open(sys.argv[1], "w").write("ready")\n'
          'time.sleep(60)\n')
    ready = tempfile.mktemp(prefix='tcpt-odd-ready-')
    env_script = 'PY=%s; READY=%s; %s' % (sh_quote(py), ready, script)
    try:
        r = shell(env_script, *names, timeout=120)
        with open(ready + '.inodes') as f:
            ours = {int(x) for x in f.read().split()}
    finally:
        for path in (ready, ready + '.inodes'):
            if os.path.exists(path):
                os.unlink(path)
    C.check(r.status == 0, r.describe())
    C.check_eq(len(ours), 40, 'namespaces made')
    # other tests' namespaces (running beside this one) may use these ports too
    ports = sorted(row['local_port'] for row in C.Result([], 0, r.out, b'').jsonl()
                   if row['netns'] in ours)
    C.check_eq(ports, list(range(7800, 7840)), 'listeners found, one per namespace')


def sh_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


if __name__ == '__main__':
    sys.exit(tap.run(setup, teardown))
