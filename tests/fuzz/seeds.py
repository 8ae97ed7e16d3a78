#!/usr/bin/env python3
"""Seed corpora for the fuzz targets, cut from the recorded fixtures.
Usage: seeds.py FIXTURE_DIR OUT_DIR
  ->  OUT_DIR/{diag_decode,diag_collect,procnet,filter_args,options,escape}/"""
import os
import struct
import sys

fixtures, out = sys.argv[1], sys.argv[2]


def datagrams(path):
    data = open(path, 'rb').read()
    off = 0
    while off + 4 <= len(data):
        (n,) = struct.unpack_from('<I', data, off)
        yield data[off + 4:off + 4 + n]
        off += 4 + n


def put(target, name, blob):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(blob)


for nl in ('diag-compat', 'diag-inet', 'diag-inet6'):
    path = os.path.join(fixtures, nl + '.nl')
    raw = open(path, 'rb').read()
    # diag_collect: flags byte (1 = fix ids; families per fixture) + the whole recording
    fam = {'diag-compat': 0, 'diag-inet': 1, 'diag-inet6': 2}[nl]
    put('diag_collect', nl, bytes([1 | fam << 1]) + raw)
    put('diag_collect', nl + '-raw-ids', bytes([fam << 1]) + raw)
    # diag_decode: every message on its own
    for d, dg in enumerate(datagrams(path)):
        off = 0
        while off + 16 <= len(dg):
            (ln,) = struct.unpack_from('<I', dg, off)
            if ln < 16:
                break
            put('diag_decode', '%s-%d-%d' % (nl, d, off), dg[off:off + ln])
            off += (ln + 3) & ~3

for name, fam in (('proc-net-tcp.txt', 0), ('proc-net-tcp6.txt', 1), ('proc-net-udp.txt', 2),
                  ('proc-net-udp6.txt', 3)):
    text = open(os.path.join(fixtures, name), 'rb').read()
    put('procnet', name, bytes([fam]) + text)
    for i, line in enumerate(text.split(b'\n')[:4]):
        put('procnet', '%s-line%d' % (name, i), bytes([fam]) + line)


# The text targets: values a user would type about the recorded rows (expected-rows.txt).
LISTS = {'sport': 0, 'dport': 1, 'port': 2, 'src': 3, 'dst': 4, 'uid': 5, 'pid': 6,
         'comm': 7, 'state': 8}
rows = [l.split() for l in open(os.path.join(fixtures, 'expected-rows.txt'))
        if l.strip() and not l.startswith('#')]
for i, r in enumerate(rows):
    lport, raddr, rport, uid, state = r[6], r[7], r[8], r[10], r[4].lower()
    laddr = r[5] if r[2] == 'inet' else '[%s]' % r[5]
    values = {'sport': [lport, '%s-%s' % (lport, rport), 'https,' + lport],
              'dport': [rport], 'port': [lport + ',' + rport],
              'src': [laddr, r[5] + '/24' if r[2] == 'inet' else r[5] + '/64'],
              'dst': [raddr, raddr + '/0'], 'uid': [uid, 'root,' + uid],
              'pid': ['1,' + uid], 'comm': ['sshd,nginx'], 'state': [state, 'connected']}
    for opt, vals in values.items():
        put('filter_args', '%s-%d' % (opt, i), bytes([LISTS[opt]]) + '\0'.join(vals).encode())
        argv = ['--' + opt, vals[0], '-p', '-e', '--json']
        put('options', '%s-%d' % (opt, i), '\0'.join(argv).encode())
for i, argv in enumerate((['-4lpe', '--sort', 'state'], ['-s'], ['--kill', '--dport', '1', '--yes'],
                          ['-w2', '--csv'], ['--netns', 'x', '--jsonl', '-i', '-o'])):
    put('options', 'argv-%d' % i, '\0'.join(argv).encode())
for i, name in enumerate((b'sshd', b'a\x1b[31mred', b'caf\xc3\xa9\xff', b'tab\there,"q"\\',
                          b'\xc2\x9b2J \x7f', b'/usr/bin/\xf0\x9f\x90\xa7 x')):
    put('escape', 'name-%d' % i, bytes([i * 7]) + name)
