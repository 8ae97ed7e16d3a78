"""test_manpages.py - libtcptable(3) and iphlpapi(3) against the code they document: every
public function of include/tcptable.h and every symbol libiphlpapi exports has its entry;
the pages render without groff warnings; meson installs them; and each page's EXAMPLES
program, taken from the page, compiles with -Wall -Werror and, run in a private network
namespace holding known sockets, prints exactly what those sockets say.
"""
import os
import re
import socket
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmdlib as C  # noqa: E402

V4 = socket.AF_INET
keep = []
tmp = tempfile.TemporaryDirectory(prefix='tcpt-man-')


def page(name):
    with open(os.path.join(C.source_root(), 'man', name), encoding='utf-8') as f:
        return f.read()


def plain(text):
    text = re.sub(r'\\f[BIRP]', '', text)
    return text.replace('\\-', '-').replace('\\e', '\\').replace('\\&', '')


def example_program(text):
    """The .EX block of the page's EXAMPLES section that is a whole program."""
    section = text.split('.SH EXAMPLES', 1)[1]
    for block in re.findall(r'^\.EX\n(.*?)^\.EE\n', section, re.S | re.M):
        if block.startswith('#include'):
            return plain(block).replace("\\(aq", "'")
    C.fail('no complete program in the EXAMPLES section')


def documented(text, name):
    """NAME has its own entry: in a .SS heading, .TP tag or .BR name () reference."""
    return re.search(r'(?m)^\.(SS|BR|B)\b.*\b%s\b' % re.escape(name), text) is not None


def sanitize_flags():
    """The build's -Db_sanitize, for a program linked with its (instrumented) libraries."""
    p = subprocess.run(['meson', 'introspect', '--buildoptions', build_root()],
                       capture_output=True, text=True)
    C.check(p.returncode == 0, 'meson introspect: %s' % p.stderr)
    import json
    value = next((o['value'] for o in json.loads(p.stdout) if o['name'] == 'b_sanitize'),
                 'none')
    if isinstance(value, list):
        value = ','.join(value)
    return [] if value in ('none', '') else ['-fsanitize=' + value]


def build(source, name, cflags, libs):
    src = os.path.join(tmp.name, name + '.c')
    exe = os.path.join(tmp.name, name)
    with open(src, 'w') as f:
        f.write(source)
    cc = os.environ.get('CC', 'cc')
    p = subprocess.run([cc, '-std=c17', '-Wall', '-Wextra', '-Werror', '-o', exe, src]
                       + sanitize_flags() + cflags + libs, capture_output=True, text=True)
    C.check(p.returncode == 0, 'the example of %s does not compile:\n%s\n%s'
            % (name, p.stderr, source))
    return exe


def build_root():
    return os.environ['TCPT_BUILD_ROOT']


def setup():
    C.enter_private_netns('test_manpages')
    for port in (7301, 7302):
        keep.append(C.listener(V4, '127.0.0.1', port))
    for _ in range(3):
        c = C.connect(V4, '127.0.0.1', 7301)
        s, _ = keep[0].accept()
        keep.extend([c, s])


tap = C.Tap()


@tap.case('libtcptable(3) has an entry for every public function of tcptable.h')
def native_functions():
    with open(os.path.join(C.source_root(), 'include', 'tcptable.h')) as f:
        header = f.read()
    names = re.findall(r'TCPT_EXPORT[^;(]*?\b(tcpt_\w+)\s*\(', header)
    C.check(len(names) >= 17, 'only %d public functions found' % len(names))
    text = page('libtcptable.3')
    synopsis = text.split('.SH DESCRIPTION')[0]
    missing = [n for n in names if n not in synopsis or not re.search(
        r'(?m)^\.SS .*\b%s\(\)' % n, text)]
    C.check(not missing, 'not documented (synopsis and its own .SS): %s' % missing)


@tap.case('iphlpapi(3) documents every function libiphlpapi exports')
def win32_functions():
    with open(os.path.join(C.source_root(), 'src', 'win32', 'libiphlpapi.map')) as f:
        names = re.findall(r'^\s+(\w+);', f.read(), re.M)
    C.check(len(names) >= 30, 'only %d exported symbols found' % len(names))
    text = page('iphlpapi.3')
    missing = [n for n in names if not documented(text, n)]
    C.check(not missing, 'not in iphlpapi(3): %s' % missing)


@tap.case('both pages render without groff warnings')
def render():
    for name in ('libtcptable.3', 'iphlpapi.3', 'tcptable.1'):
        p = subprocess.run(['groff', '-man', '-ww', '-z', '-Tutf8',
                            os.path.join(C.source_root(), 'man', name)],
                           capture_output=True, text=True)
        C.check(p.returncode == 0 and not p.stderr.strip(), '%s: %s' % (name, p.stderr))


@tap.case('meson installs libtcptable(3) and iphlpapi(3)')
def installed():
    import json
    p = subprocess.run(['meson', 'introspect', '--installed', build_root()],
                       capture_output=True, text=True)
    C.check(p.returncode == 0, 'meson introspect: %s' % p.stderr)
    dests = set(json.loads(p.stdout).values())
    for want in ('man3/libtcptable.3', 'man3/iphlpapi.3'):
        C.check(any(d.endswith(want) for d in dests), 'not installed: %s' % want)


@tap.case('the libtcptable(3) example compiles and prints the listeners and their connections')
def native_example():
    lib = os.path.join(build_root(), 'src', 'lib')
    exe = build(example_program(page('libtcptable.3')), 'libtcptable_example',
                ['-I' + os.path.join(C.source_root(), 'include')],
                ['-L' + lib, '-Wl,-rpath,' + lib, '-ltcptable'])
    p = subprocess.run([exe], capture_output=True, text=True, timeout=30)
    C.check(p.returncode == 0, 'the example failed: %s' % p.stderr)
    C.check_eq(p.stdout, '127.0.0.1 port 7301: 3 connections\n'
                         '127.0.0.1 port 7302: 0 connections\n', 'its output')


@tap.case('the iphlpapi(3) example compiles and lists the listeners')
def win32_example():
    lib = os.path.join(build_root(), 'src', 'win32')
    if not os.path.isdir(lib):
        raise C.Skip('libiphlpapi is not built (-Dwin32_api=false)')
    exe = build(example_program(page('iphlpapi.3')), 'iphlpapi_example',
                ['-I' + os.path.join(C.source_root(), 'include', 'win32')],
                ['-L' + lib, '-L' + os.path.join(build_root(), 'src', 'lib'),
                 '-Wl,-rpath,' + lib + ':' + os.path.join(build_root(), 'src', 'lib'),
                 '-liphlpapi', '-ltcptable'])
    p = subprocess.run([exe], capture_output=True, text=True, timeout=30)
    C.check(p.returncode == 0, 'the example failed: %s' % p.stderr)
    lines = p.stdout.splitlines()
    C.check_eq(sorted(l for l in lines if l.endswith('state 2')),
               ['127.0.0.1:7301 state 2', '127.0.0.1:7302 state 2'], 'LISTEN rows (state 2)')
    C.check_eq(len(lines), 2 + 6, 'rows: 2 listeners and 3 connections, both ends')


if __name__ == '__main__':
    status = tap.run(setup)
    tmp.cleanup()
    sys.exit(status)
