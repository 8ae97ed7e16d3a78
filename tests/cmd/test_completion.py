"""test_completion.py - the shell completions of completion/ (bash, zsh, fish), driven as a
user's shell would drive them: bash's function called with COMP_WORDS, fish's `complete -C`,
and an interactive zsh on a pseudo-terminal typing a Tab (zsh_complete.zsh). Lists complete
after a comma (`--state established,ti` -> `established,time-wait`); every option --help
names is offered; meson installs all three. No root and no namespace needed.
"""
import json
import os
import re
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmdlib as C  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def completion(name):
    return os.path.join(C.source_root(), 'completion', name)


def need(shell):
    if not shutil.which(shell):
        if C.in_ci():
            C.fail('%s is not installed (scripts/deps.sh check installs it)' % shell)
        raise C.Skip('%s is not installed' % shell)


def bash(*words):
    script = ('source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _tcptable; '
              'printf "%s\\n" "${COMPREPLY[@]}"')
    p = subprocess.run(['bash', '-c', script, 'bash', completion('tcptable.bash'), 'tcptable']
                       + list(words), capture_output=True, text=True, timeout=20)
    C.check(p.returncode == 0, 'bash: %s' % p.stderr)
    return p.stdout.split()


def fish(line):
    need('fish')
    p = subprocess.run(['fish', '--no-config', '-c', 'source $argv[1]; complete -C $argv[2]',
                        completion('tcptable.fish'), line],
                       capture_output=True, text=True, timeout=20)
    C.check(p.returncode == 0, 'fish: %s' % p.stderr)
    return [l.split('\t')[0] for l in p.stdout.splitlines()]


def zsh(line, want):
    """Whether zsh, given LINE and a Tab, shows WANT; and what the terminal showed."""
    need('zsh')
    p = subprocess.run(['zsh', '-f', os.path.join(HERE, 'zsh_complete.zsh'),
                        os.path.dirname(completion('_tcptable')), line, want],
                       capture_output=True, timeout=60)
    shown = re.sub(rb'\x1b\[[0-9;?]*[A-Za-z]|[\x00-\x08\x0d]', b'', p.stdout)
    return p.returncode == 0, shown.decode(errors='replace')


def help_options():
    text = C.run('--help').text()
    longs = set(re.findall(r'(?<![\w-])--([a-z][a-z0-9-]*)', text))
    shorts = set(re.findall(r'(?<![\w-])-([a-zA-Z0-9])\b', text))
    return longs, shorts


tap = C.Tap()

LIST_CASES = [
    (['--state', 'established,ti'], 'established,time-wait'),
    (['--state', 'listen,established,syn-r'], 'listen,established,syn-recv'),
    (['--user', 'root,nob'], 'root,nobody'),
]


@tap.case('bash completes the last item of a comma-separated list')
def bash_lists():
    for words, want in LIST_CASES:
        C.check_eq(bash(*words), [want], 'bash: tcptable %s<TAB>' % ' '.join(words))
    C.check_eq(bash('--state', 'ti'), ['time-wait'], 'bash: --state ti<TAB>')
    C.check_eq(bash('--color=al'), ['--color=always'], 'bash: --color=al<TAB>')
    C.check_eq(sorted(bash('state', 'li')), ['listen', 'listening'], 'bash: state li<TAB>')
    C.check_eq(bash('sport', 'g'), ['gt', 'ge'], 'bash: sport g<TAB>')


@tap.case('fish completes the last item of a comma-separated list, and options')
def fish_lists():
    for words, want in LIST_CASES:
        C.check(want in fish('tcptable ' + ' '.join(words)),
                'fish: tcptable %s<TAB> does not offer %s' % (' '.join(words), want))
    C.check_eq(fish('tcptable --no-he'), ['--no-header'], 'fish: --no-he<TAB>')
    C.check_eq(sorted(fish('tcptable state li')), ['listen', 'listening'], 'fish: state li')


@tap.case('zsh completes the last item of a comma-separated list, and options')
def zsh_lists():
    for line, want in (('tcptable --state established,ti', 'tcptable --state established,time-wait'),
                       ('tcptable --no-he', 'tcptable --no-header'),
                       ('tcptable --source=ne', 'tcptable --source=netlink')):
        ok, out = zsh(line, want)
        C.check(ok, 'zsh: %s<TAB> did not give %r; the terminal showed %r'
                % (line, want, out[-300:]))


@tap.case('zsh and fish offer every option --help names')
def every_option():
    longs, shorts = help_options()
    for name, pattern_long, pattern_short in (
            ('_tcptable', r"--%s(?![\w-])", r"(?<![\w-])-%s(?![\w-])"),
            ('tcptable.fish', r"-l %s(?![\w-])", r"-s %s(?![\w-])")):
        with open(completion(name)) as f:
            text = f.read()
        missing = ['--' + n for n in sorted(longs) if not re.search(pattern_long % n, text)]
        missing += ['-' + c for c in sorted(shorts) if not re.search(pattern_short % c, text)]
        C.check(not missing, '%s does not offer %s' % (name, ' '.join(missing)))


@tap.case('meson installs the bash, zsh and fish completions')
def installed():
    p = subprocess.run(['meson', 'introspect', '--installed',
                        os.environ['TCPT_BUILD_ROOT']], capture_output=True, text=True)
    C.check(p.returncode == 0, 'meson introspect: %s' % p.stderr)
    dests = set(json.loads(p.stdout).values())
    for want in ('bash-completion/completions/tcptable', 'zsh/site-functions/_tcptable',
                 'fish/vendor_completions.d/tcptable.fish'):
        C.check(any(d.endswith('/share/' + want) for d in dests),
                'not installed: %s (installed: %s)' % (want, sorted(dests)))


if __name__ == '__main__':
    sys.exit(tap.run())
