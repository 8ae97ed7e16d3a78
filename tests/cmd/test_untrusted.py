"""test_untrusted.py - process names and executable paths are chosen by whoever runs the
process; tcptable must print them harmless (table, CSV on a terminal) or exact (JSON, JSONL,
CSV to a pipe).

Two processes hold listening sockets in a private network namespace:
  - one names itself (prctl PR_SET_NAME) with an escape sequence, quotes, a backslash, a comma,
    a semicolon, a newline, an invalid UTF-8 byte, a C1 control (U+009B, CSI) and a tab;
  - one runs a copy of sleep(1) from a path with a space, quotes, a backslash, ';', ',', an OSC
    sequence, BEL, a newline, an invalid byte and a C1 control (its name is the file name).
Checked byte for byte:
  - the table (-p) escapes them as src/cli/escape.c says (\\xNN, \\\\), and nothing else in
    stdout is a control byte or invalid UTF-8;
  - --json/--jsonl give them exactly: name.encode('utf-8', 'surrogateescape') == the bytes;
  - --csv to a pipe gives them exactly after csv parsing and undoing the documented '\\;' '\\\\'
    list escaping; --csv to a terminal escapes them like the table;
  - --color=always adds only its own colour sequences;
  - --comm selects the oddly named process.
"""
import csv
import io
import os
import re
import shutil
import sys
import tempfile
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmdlib as C  # noqa: E402

NAME = b'a\x1b[31m"\\,;\n\xff\xc2\x9b\t'          # 15 bytes, the most comm holds
DIR_LEAF = b'odd \'"\\;,\x1b]0;x\x07\n\xff\xc2\x9b'
EXE_LEAF = b'sl eep"\x1b\xff;'
holders = {}
tmpdir = None
exe_path = None


def setup():
    global tmpdir, exe_path
    C.enter_private_netns('test_untrusted')
    assert len(NAME) == 15
    holders['named'] = C.Holder('--name', NAME, '--listen', 4, '127.0.0.1', 7201)
    C.check_eq(C.read_comm(holders['named'].pid), NAME, 'the name the kernel keeps')

    tmpdir = tempfile.mkdtemp(prefix='tcpt cmd ')
    d = os.path.join(os.fsencode(tmpdir), DIR_LEAF)
    os.mkdir(d)
    exe_path = os.path.join(d, EXE_LEAF)
    shutil.copy2('/bin/sleep', exe_path)
    h = C.Holder('--listen', 4, '127.0.0.1', 7202, '--exec', exe_path, '1000')
    holders['exec'] = h
    deadline = time.monotonic() + 10
    while True:
        try:
            if os.readlink(b'/proc/%d/exe' % h.pid) == exe_path:
                break
        except OSError:
            pass
        C.check(time.monotonic() < deadline, 'the odd executable never ran')
        time.sleep(0.01)
    C.check_eq(C.read_comm(h.pid), EXE_LEAF, 'the name of the odd executable')


def teardown():
    for h in holders.values():
        h.stop()
    if tmpdir:
        shutil.rmtree(tmpdir, ignore_errors=True)


def unlist(field):
    """Undo the CSV owner-list escaping: items split on ';' not preceded by '\\'; '\\;' and
    '\\\\' stand for ';' and '\\'."""
    items, cur, i = [], [], 0
    while i < len(field):
        ch = field[i]
        if ch == '\\' and i + 1 < len(field):
            cur.append(field[i + 1])
            i += 2
            continue
        if ch == ';':
            items.append(''.join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    items.append(''.join(cur))
    return items


def list_escape(raw):
    return raw.replace(b'\\', b'\\\\').replace(b';', b'\\;')


def check_harmless(out, what, allowed=b'\n'):
    bad = C.control_bytes(out, allowed)
    C.check(not bad, '%s: raw control bytes %s in %r' % (what, sorted(set(bad)), out[:3000]))
    try:
        out.decode('utf-8')
    except UnicodeDecodeError as e:
        C.fail('%s: not valid UTF-8 (%s): %r' % (what, e, out[:3000]))


def owner_line(text, port):
    lines = [l for l in text.split('\n') if ' 127.0.0.1:%d ' % port in l + ' ']
    C.check_eq(len(lines), 1, 'lines for port %d in %r' % (port, text))
    return lines[0].rstrip('\r')


tap = C.Tap()


@tap.case('the table (-p) shows the names escaped, with no raw control byte in stdout')
def table_escapes():
    r = C.run('-p')
    check_harmless(r.out, 'tcptable -p')
    text = r.out.decode()
    for key, port, raw in (('named', 7201, NAME), ('exec', 7202, EXE_LEAF)):
        want = '%d/%s' % (holders[key].pid, C.escape_for_terminal(raw))
        line = owner_line(text, port)
        C.check(line.endswith(' ' + want), 'owner cell of port %d: want %r at the end of %r'
                % (port, want, line))
    C.check('\\x1b[31m"\\\\,;\\x0a\\xff\\xc2\\x9b\\x09' in text,
            'the escaped name, spelled out: %r' % text)


@tap.case('the table on a terminal shows the names escaped too')
def table_on_terminal():
    r = C.run_on_pty('-p', '--color=never')
    C.check_eq(r.status, 0, 'exit status; stderr %r' % r.err)
    check_harmless(r.out, 'tcptable -p on a terminal', allowed=b'\r\n')
    want = '%d/%s' % (holders['named'].pid, C.escape_for_terminal(NAME))
    C.check(owner_line(r.out.decode(), 7201).endswith(' ' + want), 'escaped name: %r' % r.out)


@tap.case('--color=always adds its colour sequences and no other escape')
def colour_adds_only_colours():
    r = C.run('-p', '--color=always')
    plain = re.sub(rb'\x1b\[(?:36|32|33|2|35)m([A-Z0-9-]+)\x1b\[0m', rb'\1', r.out)
    C.check(plain != r.out, 'no colour at all with --color=always')
    check_harmless(plain, 'tcptable -p --color=always without its colours')


def owners_by_port(rows):
    return {r['local_port']: r['owners'] for r in rows}


def check_exact_json(rows, what):
    owners = owners_by_port(rows)
    o = owners[7201]
    C.check_eq(len(o), 1, '%s: owners of 7201' % what)
    C.check_eq(o[0]['name'].encode('utf-8', 'surrogateescape'), NAME, '%s: name' % what)
    C.check_eq(o[0]['pid'], holders['named'].pid, '%s: pid' % what)
    o = owners[7202]
    C.check_eq(len(o), 1, '%s: owners of 7202' % what)
    C.check_eq(o[0]['name'].encode('utf-8', 'surrogateescape'), EXE_LEAF, '%s: name' % what)
    C.check_eq(o[0]['exe'].encode('utf-8', 'surrogateescape'), exe_path, '%s: exe' % what)


@tap.case('--json gives the name and the executable path exactly')
def json_exact():
    r = C.run('--json', '-p')
    check_harmless(r.out, 'tcptable --json -p')
    check_exact_json(r.json(), '--json')


@tap.case('--jsonl gives them exactly, one object per line')
def jsonl_exact():
    r = C.run('--jsonl', '-p')
    check_harmless(r.out, 'tcptable --jsonl -p')
    rows = r.jsonl()
    C.check_eq(len(rows), r.out.count(b'\n'), 'one object per line')
    check_exact_json(rows, '--jsonl')


@tap.case('--json escapes C1 controls as \\u009b and invalid bytes as \\udcff')
def json_escape_spelling():
    out = C.run('--json', '-p', '--sport', '7201').out.decode()
    C.check('"a\\u001b[31m\\"\\\\,;\\n\\udcff\\u009b\\t"' in out, 'the name as JSON: %r' % out)


def csv_records(out):
    text = out.decode('utf-8', 'surrogateescape')
    rows = list(csv.reader(io.StringIO(text, newline=''), strict=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


@tap.case('--csv to a pipe gives them exactly after csv parsing and list unescaping')
def csv_exact():
    recs = {int(r['local_port']): r for r in csv_records(C.run('--csv', '-p').out)}
    enc = lambda s: s.encode('utf-8', 'surrogateescape')
    r = recs[7201]
    C.check_eq([enc(x) for x in unlist(r['owner_names'])], [NAME], 'owner_names of 7201')
    C.check_eq(r['owner_pids'], str(holders['named'].pid), 'owner_pids of 7201')
    r = recs[7202]
    C.check_eq([enc(x) for x in unlist(r['owner_names'])], [EXE_LEAF], 'owner_names of 7202')
    C.check_eq([enc(x) for x in unlist(r['owner_exes'])], [exe_path], 'owner_exes of 7202')


@tap.case('--csv to a pipe: the raw field, quoted by RFC 4180 rules')
def csv_raw_spelling():
    out = C.run('--csv', '-p', '--sport', '7201').out
    field = b'"' + list_escape(NAME).replace(b'"', b'""') + b'"'
    C.check(b',' + field + b',' in out, 'the quoted field %r in %r' % (field, out))


@tap.case('--csv to a terminal escapes them like the table, no raw control byte')
def csv_on_terminal():
    r = C.run_on_pty('--csv', '-p')
    C.check_eq(r.status, 0, 'exit status; stderr %r' % r.err)
    check_harmless(r.out, 'tcptable --csv -p on a terminal', allowed=b'\r\n')
    recs = {int(x['local_port']): x for x in csv_records(r.out.replace(b'\r\r\n', b'\r\n'))}
    C.check_eq(recs[7201]['owner_names'], C.escape_for_terminal(list_escape(NAME)),
               'owner_names of 7201 on a terminal')
    C.check_eq(recs[7202]['owner_exes'], C.escape_for_terminal(list_escape(exe_path)),
               'owner_exes of 7202 on a terminal')


@tap.case('--comm selects the process named with odd bytes')
def comm_selects_odd_name():
    rows = C.run('--jsonl', '--comm', EXE_LEAF).jsonl()
    C.check_eq([(r['local_port'], r['state']) for r in rows], [(7202, 'LISTEN')],
               '--comm %r' % EXE_LEAF)


@tap.case('--kill lists the connections it would close with the names escaped')
def kill_listing_escapes():
    # --kill without --yes and no terminal closes nothing, but lists first
    r = C.run('-K', '-p', '-l', '--sport', '7201', status=1)
    check_harmless(r.out, 'tcptable -K -p listing')
    want = '%d/%s' % (holders['named'].pid, C.escape_for_terminal(NAME))
    C.check(want in r.out.decode(), 'escaped name in the -K listing: %r' % r.out)


if __name__ == '__main__':
    sys.exit(tap.run(setup, teardown))
