"""test_sources.py - --source and -v as users see them.

In a private namespace with a listener, a connection and a forked holder of one more socket:
--source=bpf -p names the owners --source=netlink -p names (the /proc scan), in table and
JSON alike; -v says on stderr which source served rows and owners, and with --json wraps the
rows in an object carrying the same; --source=auto, proc and netlink report what served them;
an unknown source is a usage error. BPF cases need root and kernel BTF: without them they skip
loudly; under CI=true they fail.
"""
import json
import os
import socket
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmdlib as C  # noqa: E402

keep = []
tap = C.Tap()


def setup():
    C.enter_private_netns('test_sources')
    l = C.listener(socket.AF_INET, '127.0.0.1', 7901)
    c = C.connect(socket.AF_INET, '127.0.0.1', 7901)
    s, _ = l.accept()
    keep.extend([l, c, s])
    # a second process holding the listener too: two owners, in (pid, fd) order
    child = subprocess.Popen([sys.executable, '-c', 'import sys; sys.stdin.read()'],
                             stdin=subprocess.PIPE, pass_fds=[l.fileno()])
    keep.append(child)


def teardown():
    for k in keep:
        if isinstance(k, subprocess.Popen):
            k.stdin.close()
            k.wait()


def require_bpf():
    if os.geteuid() == 0 and os.access('/sys/kernel/btf/vmlinux', os.R_OK):
        return
    if C.in_ci():
        C.fail('BPF source: not root or no kernel BTF, under CI=true')
    raise C.Skip('BPF source NOT TESTED: not root or no /sys/kernel/btf/vmlinux')


def owners_by_socket(rows):
    return {(r['local_port'], r['remote_port'], r['inode']):
            [(o['pid'], o['fd'], o['name']) for o in r['owners']] for r in rows}


def json_rows(*args):
    return json.loads(C.run('--json', *args).out)


@tap.case('--source=bpf -p names the owners the /proc scan names, the holder among them')
def bpf_owners_equal_proc_owners():
    require_bpf()
    by_bpf = owners_by_socket(json_rows('-p', '--source=bpf'))
    by_proc = owners_by_socket(json_rows('-p', '--source=netlink'))
    C.check_eq(by_bpf, by_proc, 'owners')
    listener = [v for k, v in by_bpf.items() if k[0] == 7901 and k[1] == 0]
    C.check_eq(len(listener), 1, 'listener rows')
    pids = sorted(o[0] for o in listener[0])
    C.check_eq(pids, sorted([os.getpid(), keep[3].pid]), 'listener owner pids')
    table_bpf = C.run('-p', '--source=bpf').out
    table_proc = C.run('-p', '--source=netlink').out
    C.check_eq(table_bpf, table_proc, 'the -p table')


@tap.case('-v says which source served rows and owners')
def verbose_names_the_sources():
    require_bpf()
    cases = [(['--source=bpf', '-p'], b'rows from netlink, owners from bpf'),
             (['--source=netlink', '-p'], b'rows from netlink, owners from proc'),
             (['--source=proc', '-p'], b'rows from proc, owners from proc'),
             (['--source=bpf'], b'rows from netlink, owners not asked for')]
    for args, want in cases:
        r = C.run('-v', *args)
        # the first line; a note on processes that could not be inspected may follow
        C.check(r.err.split(b'\n')[0] == b'tcptable: ' + want, '%s: %s' % (args, r.describe()))


@tap.case('--json -v is an object: the rows and the sources that served them')
def json_verbose_carries_the_sources():
    require_bpf()
    doc = json.loads(C.run('--json', '-v', '-p', '--source=bpf').out)
    C.check_eq(sorted(doc), ['rows', 'source'], 'keys')
    C.check_eq(doc['source'], {'rows': 'netlink', 'owners': 'bpf'}, 'source')
    C.check_eq(owners_by_socket(doc['rows']), owners_by_socket(json_rows('-p')), 'rows')
    doc = json.loads(C.run('--json', '-v', '--source=proc').out)
    C.check_eq(doc['source'], {'rows': 'proc', 'owners': None}, 'source without -p')
    plain = json.loads(C.run('--json', '-p').out)
    C.check(isinstance(plain, list), 'without -v --json stays an array')


@tap.case('--source=auto is the default and names a real source')
def auto_is_the_default():
    r = C.run('-v', '-p')
    C.check(r.err.split(b'\n')[0] in (b'tcptable: rows from netlink, owners from bpf',
                                       b'tcptable: rows from netlink, owners from proc'),
            r.describe())
    C.check_eq(C.run('-v', '-p', '--source=auto').err.split(b', ')[0],
               b'tcptable: rows from netlink', 'auto rows')


@tap.case('an unknown --source is a usage error naming the choices')
def unknown_source():
    r = C.run('--source=ebpf', status=2)
    C.check(b'expected auto, bpf, netlink or proc' in r.err, r.describe())


if __name__ == '__main__':
    sys.exit(tap.run(setup, teardown))
