#!/usr/bin/env python3
"""udp_expect.py - compare a UDP example's rows with `ss -uanp`'s, taken in the same namespace.

usage: udp_expect.py SS_OUTPUT EXAMPLE_OUTPUT [--pid]
Each side becomes a sorted list of (family, local address, local port[, pid]); with --pid the
pid is the lowest of ss's users (what Windows' dwOwningPid reports). Prints the differences
and exits 1 when the lists differ or either is empty.
"""
import re
import sys


def ss_rows(text, with_pid):
    rows = []
    for line in text.splitlines()[1:]:
        f = line.split()
        m = re.fullmatch(r'(.*):([0-9]+)', f[3])
        addr, port = m.group(1), int(m.group(2))
        if addr == '*':
            fam, addr = '6', '::'
        elif addr.startswith('['):
            fam, addr = '6', addr[1:].split(']')[0]
        else:
            fam = '4'
        row = (fam, addr, port)
        if with_pid:
            pids = [int(p) for p in re.findall(r'pid=([0-9]+)', line)]
            row += (min(pids) if pids else 0,)
        rows.append(row)
    return sorted(rows)


def example_rows(text, with_pid):
    rows, counted = [], 0
    for line in text.splitlines():
        m = re.match(r'Number of IPv[46] entries: ([0-9]+)$', line)
        if m:
            counted += int(m.group(1))
            continue
        m = re.match(r'UDP(?:6\[[0-9]+\]|v6|\[[0-9]+\]|) +\[?([0-9a-f.:]+?)\]?:([0-9]+)'
                     r'(?=\s|$)(?: ([0-9]+))?', line)
        if not m:
            continue
        fam = '6' if ':' in m.group(1) else '4'
        row = (fam, m.group(1), int(m.group(2)))
        if with_pid:
            row += (int(m.group(3)),)
        rows.append(row)
    if counted and counted != len(rows):
        print('# the example counted %d entries but printed %d rows' % (counted, len(rows)))
        return None
    return sorted(rows)


def main():
    with_pid = '--pid' in sys.argv
    want = ss_rows(open(sys.argv[1]).read(), with_pid)
    got = example_rows(open(sys.argv[2]).read(), with_pid)
    if got == want and want:
        print('# %d rows' % len(want))
        return 0
    if got is not None:
        for r in sorted(set(want) - set(got)):
            print('# only in ss: %s' % (r,))
        for r in sorted(set(got) - set(want)):
            print('# only in the example: %s' % (r,))
    return 1


if __name__ == '__main__':
    sys.exit(main())
