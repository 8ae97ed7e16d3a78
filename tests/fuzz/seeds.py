#!/usr/bin/env python3
"""Seed corpora for the fuzz targets, cut from the recorded fixtures.
Usage: seeds.py FIXTURE_DIR OUT_DIR  ->  OUT_DIR/{diag_decode,diag_collect,procnet}/"""
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

for name, fam in (('proc-net-tcp.txt', 0), ('proc-net-tcp6.txt', 1)):
    text = open(os.path.join(fixtures, name), 'rb').read()
    put('procnet', name, bytes([fam]) + text)
    for i, line in enumerate(text.split(b'\n')[:4]):
        put('procnet', '%s-line%d' % (name, i), bytes([fam]) + line)
