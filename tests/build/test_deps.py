"""test_deps.py - the Debian package lists of scripts/deps.sh hold what the build looks for.

`make run` installs `deps.sh build` and configures with -Dtests=false; `make check` installs
`deps.sh check` and turns the tests on. For each, every dependency and program that
`meson setup` found must come from a Debian package that the list installs: the package
itself, one it depends on, or one a minimal Debian root already has (priority required, and
gcc, make, git: what a newcomer starts with). The tests-off build is configured afresh in a
temporary directory; the tests-on one is this build itself. Speaks TAP.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

SOURCE = os.environ.get('TCPT_SOURCE_ROOT', '')
BUILD = os.environ.get('TCPT_BUILD_ROOT', '')
NEWCOMER_HAS = ['gcc', 'make', 'git', 'libc6-dev']


def sh(*argv):
    return subprocess.run(argv, capture_output=True, text=True)


def listed(target):
    r = sh('sh', os.path.join(SOURCE, 'scripts', 'deps.sh'), '--list', target)
    if r.returncode != 0:
        raise AssertionError('deps.sh --list %s: %s' % (target, r.stderr))
    return r.stdout.split()


def closure(packages):
    """PACKAGES and everything they depend on (pre-depends too), as apt would install."""
    r = sh('apt-cache', 'depends', '--recurse', '--no-recommends', '--no-suggests',
           '--no-conflicts', '--no-breaks', '--no-replaces', '--no-enhances', *packages)
    names = set(packages)
    for line in r.stdout.splitlines():
        m = re.match(r'^\s*(?:\|)?(?:Pre)?Depends: <?([^>\s]+)>?', line) or \
            re.match(r'^([a-z0-9][a-z0-9+.-]+)$', line.strip())
        if m:
            names.add(m.group(1).split(':')[0])
    return names


def base_system():
    r = sh('dpkg-query', '-W', '-f', '${Package} ${Priority}\n')
    return {p for p, prio in (l.split(' ', 1) for l in r.stdout.splitlines() if ' ' in l)
            if prio == 'required'}


def owner_of(path):
    for candidate in (path, os.path.realpath(path)):
        r = sh('dpkg-query', '-S', candidate)
        if r.returncode == 0:
            return r.stdout.split(':', 1)[0].split(',')[0].strip()
    return None


def found_in(build_dir):
    """(what, path) for every pkg-config dependency and program meson found there."""
    found = []
    with open(os.path.join(build_dir, 'meson-info', 'intro-dependencies.json')) as f:
        for dep in json.load(f):
            name = dep['name']
            if name == 'threads':
                continue  # libc's
            r = sh('pkg-config', '--variable=pcfiledir', name)
            if r.returncode != 0:
                raise AssertionError('pkg-config does not know %s' % name)
            found.append(('dependency ' + name, os.path.join(r.stdout.strip(), name + '.pc')))
    with open(os.path.join(build_dir, 'meson-logs', 'meson-log.txt'), errors='replace') as f:
        for line in f:
            m = re.match(r'^(?:Program (\S+) found|Found (pkg-config)): YES \((\S+)\)', line)
            if m and not m.group(3).startswith(SOURCE):
                found.append(('program ' + (m.group(1) or m.group(2)), m.group(3)))
    found.append(('program meson', shutil.which('meson') or '/usr/bin/meson'))
    found.append(('program ninja', shutil.which('ninja') or '/usr/bin/ninja'))
    return found


def check(target, build_dir, n):
    covered = closure(listed(target) + NEWCOMER_HAS) | base_system()
    missing, foreign = [], []
    for what, path in found_in(build_dir):
        pkg = owner_of(path)
        if pkg is None:
            foreign.append('%s (%s)' % (what, path))
        elif pkg not in covered:
            missing.append('%s from package %s' % (what, pkg))
    for f in foreign:
        print('# %s is not from a Debian package here; not checked' % f)
    if missing:
        print('not ok %d - deps.sh %s installs what meson setup needs' % (n, target))
        for m in missing:
            print('#   missing: %s' % m)
        return False
    print('ok %d - deps.sh %s installs what meson setup needs' % (n, target))
    return True


def main():
    if not SOURCE or not BUILD:
        print('1..0 # SKIP run through meson test (TCPT_SOURCE_ROOT, TCPT_BUILD_ROOT)')
        return 0
    print('1..2')
    ok = True
    tmp = tempfile.mkdtemp(prefix='tcpt-deps-')
    try:
        r = sh('meson', 'setup', os.path.join(tmp, 'b'), SOURCE, '-Dtests=false')
        if r.returncode != 0:
            print('not ok 1 - deps.sh build installs what meson setup needs')
            print('#   meson setup -Dtests=false failed: %s' % r.stdout[-2000:].replace('\n', ' | '))
            ok = False
        else:
            ok = check('build', os.path.join(tmp, 'b'), 1) and ok
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    ok = check('check', BUILD, 2) and ok
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
