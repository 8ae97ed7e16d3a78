"""test_scripts.py - when configuring or compiling fails, the newcomer sees the tool's own
error line (meson's ERROR:, the compiler's error:), never only make's "Error 1"; when it
works, the scripts are quiet. Uses throwaway Meson projects in a temporary directory. TAP."""
import os
import shutil
import subprocess
import sys
import tempfile

SOURCE = os.environ.get('TCPT_SOURCE_ROOT', '')


def script(name):
    return os.path.join(SOURCE, 'scripts', name)


def project(d, source):
    with open(os.path.join(d, 'meson.build'), 'w') as f:
        f.write("project('t', 'c')\nexecutable('t', 't.c')\n")
    with open(os.path.join(d, 't.c'), 'w') as f:
        f.write(source)


def run(*argv, cwd=None):
    return subprocess.run(list(argv), capture_output=True, text=True, cwd=cwd)


def case(n, name, ok, detail):
    print('%s %d - %s' % ('ok' if ok else 'not ok', n, name))
    if not ok:
        for line in detail.splitlines()[-15:]:
            print('#   %s' % line)
    return ok


def main():
    if not SOURCE:
        print('1..0 # SKIP run through meson test (TCPT_SOURCE_ROOT)')
        return 0
    print('1..4')
    tmp = tempfile.mkdtemp(prefix='tcpt-scripts-')
    results = []
    try:
        good = os.path.join(tmp, 'good')
        os.mkdir(good)
        project(good, 'int main(void) { return 0; }\n')
        r = run('sh', script('setup.sh'), os.path.join(good, 'b'), cwd=good)
        results.append(case(1, 'setup.sh is quiet when meson setup works',
                            r.returncode == 0 and r.stdout == '' and r.stderr == '',
                            r.stdout + r.stderr))
        r = run('sh', script('setup.sh'), os.path.join(good, 'b2'), '-Dno_such_option=1',
                cwd=good)
        results.append(case(2, 'setup.sh shows meson\'s own ERROR: line when setup fails',
                            r.returncode != 0 and 'ERROR:' in r.stderr and
                            'no_such_option' in r.stderr, r.stdout + r.stderr))
        bad = os.path.join(tmp, 'bad')
        os.mkdir(bad)
        project(bad, 'int main(void) { return undeclared_thing; }\n')
        r = run('sh', script('setup.sh'), os.path.join(bad, 'b'), cwd=bad)
        r2 = run('sh', script('compile.sh'), os.path.join(bad, 'b'))
        results.append(case(3, 'compile.sh shows the compiler\'s error when the build fails',
                            r.returncode == 0 and r2.returncode != 0 and
                            'undeclared_thing' in r2.stderr and 'error' in r2.stderr,
                            r.stderr + r2.stdout + r2.stderr))
        r = run('sh', script('compile.sh'), os.path.join(good, 'b'))
        results.append(case(4, 'compile.sh is quiet when the build works',
                            r.returncode == 0 and r.stdout == '' and r.stderr == '',
                            r.stdout + r.stderr))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if all(results) else 1


if __name__ == '__main__':
    sys.exit(main())
