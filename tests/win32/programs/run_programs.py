#!/usr/bin/env python3
"""run_programs.py - the Windows programs of tests/win32/programs, built and run as a porting
programmer would: install the build into a temporary root, compile each program unmodified
with gcc or g++ -Wall -Wextra -Werror and nothing but `pkg-config --cflags --libs iphlpapi`
(iphlpapi-municode for a wmain program), compile it again with mingw-w64 for Windows (proof
that it is Windows code; Windows' file names ignore case, so mixed-case #include names are
resolved by a directory of links to mingw-w64's headers), then run each in a private network
namespace holding known sockets and compare what it prints with ss and /proc: the rows of
`ss -tane`, their owners from /proc/PID/fd (checked once against `ss -tanp`, which is slow on a
host with many descriptors).

Every program prints one line per TCP endpoint: TCP LOCAL REMOTE STATE PID [OWNER], netstat's
spelling (LISTENING, TIME_WAIT, "[::1]:80", remote "0.0.0.0:0" for a listener). OWNER is the
process name ss shows (Tool Help), the executable's file name (psapi, owner module) or its
path (QueryFullProcessImageName), "-" for pid 0.

usage: run_programs.py BUILD_ROOT SOURCE_ROOT SANITIZE   (TAP on stdout)
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'cmd'))
import cmdlib  # noqa: E402

# name: (municode, owner kind, rows)
PROGRAMS = {
    'netstat_ano.c': (False, None, 'all'),
    'netstat_b_unicode.c': (True, 'comm', 'all'),
    'tcpview_psapi.c': (False, 'base', 'all'),
    'owner_path.cpp': (False, 'path', 'all'),
    'listeners_posix_first.c': (False, None, 'listen'),
    'posix_after.cpp': (False, 'comm', 'all'),
    'wide_owner.cpp': (True, 'path', 'all'),
    'gettcptable_fmt.c': (False, None, 'all'),
    'psapi_wide.c': (False, 'base', 'all'),
    'owner_module.cpp': (False, 'base', 'all'),
    'tchar_ansi.c': (False, 'comm', 'v4'),
    'close_pid.c': (False, None, 'close'),  # run alone: it changes the sockets
}

SS_STATES = {'LISTEN': 'LISTENING', 'ESTAB': 'ESTABLISHED', 'TIME-WAIT': 'TIME_WAIT',
             'CLOSE-WAIT': 'CLOSE_WAIT', 'FIN-WAIT-1': 'FIN_WAIT_1', 'FIN-WAIT-2': 'FIN_WAIT_2',
             'SYN-SENT': 'SYN_SENT', 'SYN-RECV': 'SYN_RECEIVED', 'LAST-ACK': 'LAST_ACK',
             'CLOSING': 'CLOSING', 'UNCONN': 'CLOSED', 'CLOSE': 'CLOSED'}

build_root, source_root, sanitize = sys.argv[1], sys.argv[2], sys.argv[3]
tmp = tempfile.mkdtemp(prefix='tcpt-programs-')
state = {}
tap = cmdlib.Tap()


def sh(argv, env=None, **kw):
    return subprocess.run(argv, capture_output=True, text=True, env=env, **kw)


def install():
    r = sh(['meson', 'install', '-C', build_root, '--no-rebuild', '--quiet', '--destdir',
            os.path.join(tmp, 'root')])
    cmdlib.check(r.returncode == 0, 'meson install: ' + r.stdout + r.stderr)
    pcs = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(tmp, 'root'))
           for f in fs if f == 'iphlpapi.pc']
    cmdlib.check(pcs, 'no iphlpapi.pc installed')
    libs = [d for d, _, fs in os.walk(os.path.join(tmp, 'root')) if 'libiphlpapi.so' in fs]
    env = dict(os.environ)
    env.pop('LD_LIBRARY_PATH', None)  # the build tree would hide a broken .pc
    env['PKG_CONFIG_PATH'] = os.path.dirname(pcs[0])
    env['PKG_CONFIG_SYSROOT_DIR'] = os.path.join(tmp, 'root')
    state['env'] = env
    state['libdir'] = libs[0]


def pkg_config(package):
    r = sh(['pkg-config', '--cflags', '--libs', package], env=state['env'])
    cmdlib.check(r.returncode == 0, 'pkg-config %s: %s' % (package, r.stderr))
    return r.stdout.split()


def compile_native(prog):
    municode = PROGRAMS[prog][0]
    cxx = prog.endswith('.cpp')
    cc = ['g++', '-std=c++17'] if cxx else ['gcc', '-std=c17']
    san = ['-fsanitize=' + sanitize] if sanitize != 'none' else []
    argv = cc + ['-Wall', '-Wextra', '-Werror'] + san + [
        '-o', os.path.join(tmp, prog), os.path.join(HERE, prog)] + pkg_config(
        'iphlpapi-municode' if municode else 'iphlpapi')
    r = sh(argv, env=state['env'])
    cmdlib.check(r.returncode == 0, ' '.join(argv) + '\n' + r.stderr)


def mingw_shim():
    """Windows' file names ignore case: links from our mixed-case header names to mingw-w64's."""
    shim = os.path.join(tmp, 'shim')
    os.makedirs(shim, exist_ok=True)
    sysinc = '/usr/share/mingw-w64/include'
    for name in os.listdir(os.path.join(source_root, 'include', 'win32')):
        low = name.lower()
        if name != low and os.path.exists(os.path.join(sysinc, low)):
            os.symlink(os.path.join(sysinc, low), os.path.join(shim, name))
    return shim


def compile_mingw(prog):
    cxx = prog.endswith('.cpp')
    cc = 'x86_64-w64-mingw32-' + ('g++' if cxx else 'gcc')
    if not shutil.which(cc):
        if cmdlib.in_ci():
            cmdlib.fail(cc + ' missing (scripts/deps.sh check installs g++-mingw-w64-x86-64)')
        raise cmdlib.Skip(cc + ' missing (scripts/deps.sh check installs it)')
    if sanitize != 'none':
        raise cmdlib.Skip('the same compile as in the plain build')
    if 'shim' not in state:
        state['shim'] = mingw_shim()
    argv = [cc, '-Wall', '-Wextra', '-Werror', '-Wno-unknown-pragmas', '-I', state['shim']]
    argv += ['-municode'] if PROGRAMS[prog][0] else []
    argv += ['-o', os.path.join(tmp, prog + '.exe'), os.path.join(HERE, prog),
             '-liphlpapi', '-lws2_32', '-lpsapi', '-lntdll']
    r = sh(argv)
    cmdlib.check(r.returncode == 0, ' '.join(argv) + '\n' + r.stderr)
    with open(os.path.join(tmp, prog + '.exe'), 'rb') as f:
        cmdlib.check(f.read(2) == b'MZ', 'not a Windows executable')


# --- the sockets ------------------------------------------------------------------------------

def time_wait(l4):
    """A fresh TIME-WAIT socket (no owner): the client closes first."""
    c = cmdlib.connect(socket.AF_INET, '127.0.0.1', l4.getsockname()[1])
    s, _ = l4.accept()
    c.close()
    time.sleep(0.02)
    s.close()


def make_sockets():
    """In the private namespace: listeners (IPv4, IPv6), established pairs of both families,
    a CLOSE-WAIT/FIN-WAIT-2 pair, a TIME-WAIT (no owner), and a forked child that shares the
    IPv4 listener (owners: both pids, the lowest reported) and holds a listener of its own."""
    keep = []
    l4 = cmdlib.listener(socket.AF_INET, '127.0.0.1', 0)
    l6 = cmdlib.listener(socket.AF_INET6, '::1', 0, v6only=True)
    keep += [l4, l6]
    for lst, fam, addr in ((l4, socket.AF_INET, '127.0.0.1'), (l6, socket.AF_INET6, '::1')):
        c = cmdlib.connect(fam, addr, lst.getsockname()[1])
        s, _ = lst.accept()
        keep += [c, s]
    c = cmdlib.connect(socket.AF_INET, '127.0.0.1', l4.getsockname()[1])
    s, _ = l4.accept()
    s.shutdown(socket.SHUT_WR)
    cmdlib.wait_state(c, 'CLOSE-WAIT')
    cmdlib.wait_state(s, 'FIN-WAIT-2')
    keep += [c, s]
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            for k in keep:
                if k is not l4:
                    k.close()
            own = cmdlib.listener(socket.AF_INET, '127.0.0.1', 0)
            os.write(w, b'x')
            os.close(w)
            time.sleep(600)
            own.close()
        finally:
            os._exit(0)
    os.close(w)
    os.read(r, 1)
    os.close(r)
    state['keep'] = keep
    state['l4'] = l4
    state['pids'] = [os.getpid(), pid]
    state['child'] = pid
    time_wait(l4)


def exe_of(pid):
    return os.readlink('/proc/%d/exe' % pid)


def owners_from_proc():
    """inode -> [(pid, comm)] for the processes holding the namespace's sockets: this one and
    its child (no other process can hold a socket of this new namespace)."""
    owners = {}
    for pid in state['pids']:
        with open('/proc/%d/comm' % pid) as f:
            comm = f.read().strip()
        for fd in os.listdir('/proc/%d/fd' % pid):
            try:
                target = os.readlink('/proc/%d/fd/%s' % (pid, fd))
            except OSError:
                continue
            if target.startswith('socket:['):
                owners.setdefault(int(target[8:-1]), set()).add((pid, comm))
    return owners


def ss_rows(with_p):
    """(state, local, peer, [(pid, name)]) per socket: owners from ss -p, or (ss -e's inode)
    from /proc."""
    r = sh(['ss', '-tanHp' if with_p else '-tanHe'])
    cmdlib.check(r.returncode == 0, 'ss: ' + r.stderr)
    owners = {} if with_p else owners_from_proc()
    rows = []
    for line in r.stdout.splitlines():
        f = line.split(None, 5)
        extra = f[5] if len(f) > 5 else ''
        if with_p:
            own = [(int(u.split('pid=', 1)[1].split(',', 1)[0]), u.split('"', 1)[0])
                   for u in extra.split('("')[1:]]
        else:
            ino = [int(t[4:]) for t in extra.split() if t.startswith('ino:')]
            own = sorted(owners.get(ino[0], ())) if ino and ino[0] else []
        rows.append((SS_STATES[f[0]], f[3], f[4], sorted(own)))
    return sorted(rows)


def check_owners_agree():
    """Once: ss -tanp and /proc name the same owners for every socket."""
    cmdlib.check_eq(ss_rows(False), ss_rows(True), 'owners from /proc vs ss -tanp')


def expected(kind, which):
    """The lines a program must print, from ss -tan(e) and /proc."""
    lines = []
    for st, local, peer, owners in ss_rows(False):
        if which == 'listen' and st != 'LISTENING':
            continue
        if which == 'v4' and local.startswith('['):
            continue
        if peer.endswith(':*'):
            peer = peer[:-1] + '0'
        pid, name = min(owners) if owners else (0, '-')
        toks = ['TCP', local, peer, st, str(pid)]
        if kind == 'comm':
            toks.append(name)
        elif kind == 'base':
            toks.append(os.path.basename(exe_of(pid)) if pid else '-')
        elif kind == 'path':
            toks.append(exe_of(pid) if pid else '-')
        lines.append(' '.join(toks))
    return sorted(lines)


def run_all():
    """Run the programs one after another, each between two readings of the sockets (not at
    once: a program forked by this process holds its sockets until its exec, and another
    program scanning /proc meanwhile would see it as an owner)."""
    if 'keep' not in state:
        raise cmdlib.Skip('no private network namespace with the known sockets')
    env = dict(state['env'])
    env['LD_LIBRARY_PATH'] = state['libdir']
    state['before'], state['after'], state['results'] = {}, {}, {}
    for p in PROGRAMS:
        if not os.path.exists(os.path.join(tmp, p)) or PROGRAMS[p][2] == 'close':
            continue
        time_wait(state['l4'])  # at least one TIME-WAIT that outlives the run
        state['before'][p] = expected(PROGRAMS[p][1], PROGRAMS[p][2])
        r = subprocess.run([os.path.join(tmp, p)], capture_output=True, env=env, timeout=300)
        state['results'][p] = ((r.stdout, r.stderr), r.returncode)
        state['after'][p] = expected(PROGRAMS[p][1], PROGRAMS[p][2])


def check_close_pid(prog):
    """A child process with two IPv4 connections to the listener; close_pid CHILD must name
    exactly those (ss's rows of that pid) and close them: ss then lists neither end."""
    l4 = state['l4']
    port = l4.getsockname()[1]
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            for k in state['keep']:  # inherited: only the new connections are this one's
                k.close()
            cs = [cmdlib.connect(socket.AF_INET, '127.0.0.1', port) for _ in range(2)]
            os.write(w, b'x')
            time.sleep(600)
            cs.clear()
        finally:
            os._exit(0)
    state['pids'].append(pid)
    try:
        os.close(w)
        os.read(r, 1)
        os.close(r)
        servers = [l4.accept()[0] for _ in range(2)]
        rows = [x for x in expected(None, 'all') if x.split()[4] == str(pid)]
        cmdlib.check(len(rows) == 2 and all(x.split()[3] == 'ESTABLISHED' for x in rows),
                     "the child's rows: %s" % rows)
        env = dict(state['env'])
        env['LD_LIBRARY_PATH'] = state['libdir']
        res = subprocess.run([os.path.join(tmp, prog), str(pid)], capture_output=True, env=env,
                             timeout=300)
        cmdlib.check(res.returncode == 0, 'exit %d: %s' % (res.returncode, res.stderr))
        if sanitize != 'none':
            cmdlib.check_sanitizers([prog], res.stderr)
        got = sorted(' '.join(line.split()) for line in res.stdout.decode().splitlines())
        cmdlib.check_eq(got, sorted(x + ' closed' for x in rows), 'closed rows')
        ends = {x.split()[1] for x in rows} | {x.split()[2] for x in rows}
        left = [x for x in expected(None, 'all')
                if x.split()[1] in ends and x.split()[2] in ends]
        cmdlib.check(not left, 'still there after SetTcpEntry: %s' % left)
        for srv in servers:
            srv.close()
    finally:
        state['pids'].remove(pid)
        os.kill(pid, 9)
        os.waitpid(pid, 0)


def check_program(prog):
    if 'results' not in state:
        raise cmdlib.Skip('no private network namespace with the known sockets')
    if PROGRAMS[prog][2] == 'close':
        return check_close_pid(prog)
    cmdlib.check(prog in state['results'], 'not built')
    (out, err), status = state['results'][prog]
    exe = os.path.join(tmp, prog)
    cmdlib.check(status == 0, 'exit %d: %s' % (status, err.decode(errors='replace')))
    if sanitize != 'none':
        cmdlib.check_sanitizers([exe], err)
    before, after = set(state['before'][prog]), set(state['after'][prog])
    # Only an older TIME-WAIT may expire meanwhile; every other row is the same in both.
    unstable = before ^ after
    cmdlib.check(all(u.split()[3] == 'TIME_WAIT' for u in unstable),
                 'the sockets changed during the run: %s' % sorted(unstable))
    got = sorted(' '.join(line.split()) for line in out.decode('utf-8').splitlines())
    stable = before & after
    states = {w.split()[3] for w in stable}
    need = {'LISTENING'} if PROGRAMS[prog][2] == 'listen' else {
        'LISTENING', 'ESTABLISHED', 'TIME_WAIT', 'CLOSE_WAIT', 'FIN_WAIT_2'}
    cmdlib.check(need <= states, 'the fixture lacks states %s: %s' % (need - states, stable))
    missing = sorted(stable - set(got))
    extra = sorted(g for g in got if g not in before | after)
    cmdlib.check(not missing and not extra and len(got) == len(set(got)),
                 'want - / got +\n' + '\n'.join(['- ' + m for m in missing] +
                                                ['+ ' + e for e in extra]) +
                 ('\nduplicate rows' if len(got) != len(set(got)) else ''))


def setup():
    install()


def main():
    for prog in PROGRAMS:
        tap.add('%s compiles with %s -Wall -Wextra -Werror through pkg-config %s' % (
            prog, 'g++' if prog.endswith('.cpp') else 'gcc',
            'iphlpapi-municode' if PROGRAMS[prog][0] else 'iphlpapi'),
            lambda p=prog: compile_native(p))
    for prog in PROGRAMS:
        tap.add('%s compiles unmodified with mingw-w64 for Windows' % prog,
                lambda p=prog: compile_mingw(p))
    tap.add('a private network namespace with known sockets', lambda: (
        cmdlib.enter_private_netns('run_programs.py'), make_sockets()))
    tap.add('ss -tanp and /proc name the same owners of those sockets', check_owners_agree)
    tap.add('every program runs to completion in that namespace', run_all)
    for prog in PROGRAMS:
        tap.add('%s prints exactly the rows, states, pids and owners that ss and /proc show'
                % prog, lambda p=prog: check_program(p))

    def teardown():
        if 'child' in state:
            os.kill(state['child'], 9)
            os.waitpid(state['child'], 0)
        shutil.rmtree(tmp, ignore_errors=True)
    return tap.run(setup=setup, teardown=teardown)


sys.exit(main())
