"""test_view.py - `tcptable -w` driven in a real terminal: tmux runs it inside a private
network namespace this test creates, `send-keys` types, `capture-pane -e -p` reads the screen
with its escape sequences, so colours are checked, not only text.

Every socket in the namespace is the test's own, so the screen's rows and counts are known
exactly. Needs root (a namespace) and tmux; without them those cases skip loudly, and under
CI=true a skip is a failure. The not-a-terminal case runs anywhere. Speaks TAP.

The view runs under `sh -c '... 2>ERR; echo $? >RC'`, so its exit status and everything it
wrote to stderr (sanitizer reports included) are checked when it quits.
"""
import ctypes
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cmd"))
import cmdlib  # noqa: E402

BINARY = os.path.join(os.environ.get("TCPT_BUILD_ROOT", "build"), "src", "cli", "tcptable")
IN_CI = os.environ.get("CI") == "true"
CLONE_NEWNET = 0x40000000
LO = "127.0.0.1"


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


# --- the terminal ----------------------------------------------------------------------------

SGR = re.compile(r"\x1b\[([0-9;]*)m")


def styled(line):
    """The plain text of one captured line and, per character, its foreground colour
    (30-37 as SGR numbers, None for the default) and whether it is reversed."""
    text, colours, reverse, _ = styled_bg(line)
    return text, colours, reverse


def styled_bg(line):
    """styled() and, per character, the background colour (40-47, None for the default)."""
    text, colours, reverse, backs = [], [], [], []
    fg, rev, bg = None, False, None
    pos = 0
    for m in SGR.finditer(line):
        for ch in line[pos:m.start()]:
            text.append(ch)
            colours.append(fg)
            reverse.append(rev)
            backs.append(bg)
        params = [int(p) if p else 0 for p in m.group(1).split(";")]
        i = 0
        while i < len(params):
            p = params[i]
            if p == 0:
                fg, rev, bg = None, False, None
            elif 40 <= p <= 47:
                bg = p
            elif p == 49:
                bg = None
            elif 30 <= p <= 37:
                fg = p
            elif p == 39:
                fg = None
            elif p == 7:
                rev = True
            elif p == 27:
                rev = False
            elif p in (38, 48):  # extended colours: skip their arguments
                i += 2 if i + 1 < len(params) and params[i + 1] == 5 else 4
            i += 1
        pos = m.end()
    for ch in line[pos:]:
        text.append(ch)
        colours.append(fg)
        reverse.append(rev)
        backs.append(bg)
    return "".join(text), colours, reverse, backs


class Screen:
    """One captured frame: lines of text with a colour per character."""

    def __init__(self, raw):
        self.raw = raw
        if raw.endswith("\n"):  # capture-pane ends every line, the last one too
            raw = raw[:-1]
        self.lines = [styled(line) for line in raw.split("\n")]
        self.text = [t for t, _, _ in self.lines]

    def row(self, pattern):
        """(index, text) of the first row line matching PATTERN (a regex), or None."""
        for i, t in enumerate(self.text[3:], start=3):
            if re.search(pattern, t):
                return i, t
        return None

    def colour_at(self, index, pattern):
        text, colours, _ = self.lines[index]
        m = re.search(pattern, text)
        return colours[m.start()] if m else None

    def dump(self):
        return "\n".join("# | " + t for t in self.text if t.strip())


class Tmux:
    def __init__(self, tmpdir):
        self.sock = os.path.join(tmpdir, "tmux.sock")
        conf = os.path.join(tmpdir, "tmux.conf")
        with open(conf, "w") as f:
            # keep a finished pane so that its end can be inspected; no status bar
            f.write("set -g remain-on-exit on\nset -g status off\n")
        self.conf = conf
        self.started = False

    def cmd(self, *args, check_rc=True):
        r = subprocess.run(["tmux", "-S", self.sock, "-f", self.conf, *args],
                           capture_output=True, text=True, timeout=10)
        if check_rc and r.returncode != 0:
            raise Failure("tmux %s: %s" % (args[0], r.stderr.strip()))
        return r.stdout

    def start(self, name, command, width=120, height=30):
        self.cmd("new-session", "-d", "-s", name, "-x", str(width), "-y", str(height), command)
        self.started = True

    def keys(self, target, *keys):
        self.cmd("send-keys", "-t", target, *keys)

    def capture(self, target):
        return Screen(self.cmd("capture-pane", "-e", "-p", "-t", target))

    def pane_dead(self, target):
        out = self.cmd("display-message", "-p", "-t", target, "#{pane_dead}", check_rc=False)
        return out.strip() == "1"

    def kill(self):
        if self.started:
            self.cmd("kill-server", check_rc=False)
            self.started = False


def wait_for(what, probe, timeout=4.0):
    """Call PROBE every 40 ms until it returns something true; return that, or fail."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(0.04)
    raise Failure("timed out waiting for " + what)


# --- sockets ---------------------------------------------------------------------------------

def listener(port, family=socket.AF_INET, addr=LO):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(8)
    return s


def connect(lst):
    c = socket.create_connection(lst.getsockname()[:2])
    a, _ = lst.accept()
    return c, a, c.getsockname()[1]


def close_with_reset(s):
    """Close so that the kernel frees the socket at once (no TIME-WAIT): a reset."""
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def conn_re(lport, rport):
    """A row of LOCAL:lport -> REMOTE:rport (rport None: any remote)."""
    remote = r"127\.0\.0\.1:%d" % rport if rport is not None else r"\S+"
    return r"tcp\s+127\.0\.0\.1:%d\s+%s\s" % (lport, remote)


# --- the cases -------------------------------------------------------------------------------

class Case:
    """State shared by the terminal cases: the tmux server, the view's pane, the sockets."""

    def __init__(self, tmpdir):
        self.tmpdir = tmpdir
        self.tmux = Tmux(tmpdir)
        self.sockets = []
        self.children = []
        self.err = os.path.join(tmpdir, "main.err")
        self.rc = os.path.join(tmpdir, "main.rc")

    def keep(self, *socks):
        self.sockets.extend(socks)

    def view_command(self, args, tag):
        err = os.path.join(self.tmpdir, tag + ".err")
        rc = os.path.join(self.tmpdir, tag + ".rc")
        return "sh -c '%s %s 2>%s; echo $? >%s'" % (BINARY, args, err, rc), err, rc

    def screen(self):
        return self.tmux.capture("main")

    def find(self, what, pattern, timeout=4.0):
        def probe():
            s = self.screen()
            hit = s.row(pattern)
            return (s, hit) if hit else None
        return wait_for(what, probe, timeout)

    def cleanup(self):
        self.tmux.kill()
        for s in self.sockets:
            try:
                s.close()
            except OSError:
                pass
        for p in self.children:
            if p.poll() is None:
                p.kill()
            p.wait()


def case_starts_with_header(c):
    """The first frame: title, counts of the sockets made before the view started."""
    lst = listener(5555)
    cli, srv, cport = connect(lst)
    c.keep(lst, cli, srv)
    c.base = (lst, cli, srv, cport)
    cmd, c.err, c.rc = c.view_command("-w 0.5", "main")
    c.tmux.start("main", cmd)
    s = wait_for("the header", lambda: (lambda f: f if "every " in f.text[0] else None)(
        c.screen()))
    check("tcptable" in s.text[0], "no title in the header:\n" + s.dump())
    check(re.search(r"\b3 connections", s.text[0]), "header does not count 3:\n" + s.dump())
    check("close events unavailable" not in s.text[0],
          "destroy notifications not subscribed, as root:\n" + s.dump())


def case_header_counts_per_state(c):
    s = c.screen()
    counts = dict((name, int(n)) for name, n in re.findall(r"([A-Z][A-Z0-9-]+) (\d+)",
                                                          s.text[1]))
    check(counts == {"ESTABLISHED": 2, "LISTEN": 1},
          "state counts %r, expected ESTABLISHED 2 and LISTEN 1:\n%s" % (counts, s.dump()))
    lst, _, _, cport = c.base
    check(s.row(conn_re(5555, cport)) and s.row(conn_re(cport, 5555)) and
          s.row(r"tcp\s+127\.0\.0\.1:5555\s+0\.0\.0\.0:\*\s+LISTEN"),
          "the three rows are not all shown:\n" + s.dump())


def case_new_connection_is_green(c):
    lst = c.base[0]
    cli, srv, cport = connect(lst)
    c.keep(cli, srv)
    c.green = (cli, srv, cport)
    s, (i, _) = c.find("the new connection", conn_re(cport, 5555))
    colour = s.colour_at(i, r"127\.0\.0\.1:%d" % cport)
    check(colour == 32, "new row colour %r, expected green (32):\n%s" % (colour, s.dump()))
    check(re.search(r"\bnew [12]\b", s.text[0]), "header does not count it new:\n" + s.dump())
    # one refresh later it is an ordinary row
    wait_for("the row to lose its colour", lambda: (lambda f: f.row(conn_re(cport, 5555)) and
             f.colour_at(f.row(conn_re(cport, 5555))[0], r"127\.0\.0\.1:%d" % cport) is None)(
                 c.screen()))


def case_state_change_is_yellow(c):
    cli, srv, cport = c.green
    srv.close()  # the client gets a FIN: ESTABLISHED -> CLOSE-WAIT, same socket
    pattern = conn_re(cport, 5555) + r"\s*CLOSE-WAIT"
    s, (i, _) = c.find("the CLOSE-WAIT row", pattern)
    colour = s.colour_at(i, "CLOSE-WAIT")
    check(colour == 33, "changed row colour %r, expected yellow (33):\n%s" % (colour, s.dump()))


def case_closed_connection_is_red(c):
    cli, _, cport = c.green
    close_with_reset(cli)
    pattern = r"tcp\s+127\.0\.0\.1:%d\s" % cport

    def red():
        s = c.screen()
        hit = s.row(pattern)
        return s if hit and s.colour_at(hit[0], r"127\.0\.0\.1:%d" % cport) == 31 else None
    s = wait_for("the closed row in red", red)
    check(re.search(r"\bclosed [1-9]", s.text[0]), "header counts no close:\n" + s.dump())
    # shown for one refresh only
    wait_for("the closed row to go", lambda: c.screen().row(pattern) is None)


def case_filter_narrows_rows(c):
    lst2 = listener(5556)
    c.keep(lst2)
    c.find("the second listener", r"127\.0\.0\.1:5556\s")
    c.tmux.keys("main", "/", "5556", "Enter")

    def narrowed():
        s = c.screen()
        return s if s.row(r":5556\s") and not s.row(r":5555\s") else None
    s = wait_for("rows narrowed to 5556", narrowed)
    check("filter: 5556" in s.text[-1] or "filter: 5556" in "\n".join(s.text),
          "the filter is not shown:\n" + s.dump())
    check(re.search(r"\b1 shown", s.text[0]), "header does not say 1 shown:\n" + s.dump())
    c.tmux.keys("main", "Escape")
    wait_for("all rows back", lambda: c.screen().row(r":5555\s"))


def rows_in_order(s):
    return [t for t in s.text[3:-1] if t.startswith("tcp")]


def case_sort_by_column_and_reverse(c):
    c.tmux.keys("main", ">")
    s = wait_for("sort by remote", lambda: (lambda f: f if "Remote Address ^" in f.text[2]
                                             else None)(c.screen()))
    remote = [t.split()[2] for t in rows_in_order(s)]
    key = [(0, 0) if r == "0.0.0.0:*" else (1, int(r.rsplit(":", 1)[1])) for r in remote]
    check(key == sorted(key), "rows not sorted by remote address: %r" % remote)
    c.tmux.keys("main", "r")
    s = wait_for("reversed", lambda: (lambda f: f if "Remote Address v" in f.text[2]
                                      else None)(c.screen()))
    remote = [t.split()[2] for t in rows_in_order(s)]
    key = [(0, 0) if r == "0.0.0.0:*" else (1, int(r.rsplit(":", 1)[1])) for r in remote]
    check(key == sorted(key, reverse=True), "rows not reversed: %r" % remote)
    c.tmux.keys("main", "r", "<")
    wait_for("sort by local again", lambda: "Local Address ^" in c.screen().text[2])


def case_pause_holds_the_screen(c):
    c.tmux.keys("main", "p")
    wait_for("[PAUSED]", lambda: "[PAUSED]" in c.screen().text[0])
    lst3 = listener(5557)
    c.keep(lst3)
    time.sleep(1.2)  # two refresh intervals
    check(not c.screen().row(r":5557\s"), "a row appeared while paused")
    c.tmux.keys("main", "p")
    s, _ = c.find("the listener after resuming", r"127\.0\.0\.1:5557\s")
    check("[PAUSED]" not in s.text[0], "still says paused")


def case_events_catch_what_no_refresh_saw(c):
    """A connection opened and closed while no snapshot is taken (a 5 s interval, paused
    on top) can only reach the screen through the destroy notifications."""
    cmd, err, rc = c.view_command("-w 5", "slow")
    c.tmux.cmd("new-window", "-d", "-t", "main", "-n", "slow", cmd)
    target = "main:slow"
    wait_for("the slow view", lambda: "every " in c.tmux.capture(target).text[0])
    c.tmux.keys(target, "p")
    wait_for("[PAUSED]", lambda: "[PAUSED]" in c.tmux.capture(target).text[0])
    lst = listener(5558)
    cli, srv, cport = connect(lst)
    close_with_reset(srv)  # no TIME-WAIT on either end: the kernel frees both at once
    cli.close()            # (not a reset: its notification would have forgotten the peer)
    lst.close()
    time.sleep(0.2)  # the kernel sends notifications from a work queue
    c.tmux.keys(target, "p")
    pattern = conn_re(cport, 5558)

    def red():
        s = c.tmux.capture(target)
        hit = s.row(pattern)
        return s if hit and s.colour_at(hit[0], r"127\.0\.0\.1:%d" % cport) == 31 else None
    try:
        s = wait_for("the connection seen only in notifications, in red", red, timeout=3)
    except Failure as e:
        raise Failure("%s\n%s" % (e, c.tmux.capture(target).dump()))
    check(s.row(pattern)[1].split()[3] == "CLOSE", "state is not CLOSE:\n" + s.dump())
    c.tmux.keys(target, "q")
    wait_for("the slow view to quit", lambda: os.path.exists(rc) and open(rc).read().strip())
    check(open(rc).read().strip() == "0", "exit status " + open(rc).read().strip())
    check(open(err).read() == "", "stderr: " + open(err).read())


def case_kill_asks_then_closes(c):
    lst = c.base[0]
    cli, srv, cport = connect(lst)
    c.keep(cli, srv)
    c.find("the connection to close", conn_re(5555, cport))
    c.tmux.keys("main", "/", str(cport), "Enter")
    wait_for("two rows", lambda: len(rows_in_order(c.screen())) == 2)
    # the first row, the selected one, is the accepted end: 127.0.0.1:5555 -> client
    c.tmux.keys("main", "k")
    s = wait_for("the question", lambda: (lambda f: f if "(y/n)" in f.text[-1] else None)(
        c.screen()))
    check("127.0.0.1:5555 -> 127.0.0.1:%d" % cport in s.text[-1], "asks about: " + s.text[-1])
    c.tmux.keys("main", "n")
    wait_for("not closed", lambda: "not closed" in c.screen().text[-1])
    cli.setblocking(False)
    try:
        check(cli.recv(1) is None, "unreachable")
    except BlockingIOError:
        pass  # still open: nothing to read, no reset
    c.tmux.keys("main", "k")
    wait_for("the question again", lambda: "(y/n)" in c.screen().text[-1])
    c.tmux.keys("main", "y")
    s = wait_for("the outcome", lambda: (lambda f: f if "closed tcp" in f.text[-1] or
                                          "cannot close" in f.text[-1] else None)(c.screen()))
    check(s.text[-1].startswith("closed tcp 127.0.0.1:5555 -> 127.0.0.1:%d" % cport),
          "status line: " + s.text[-1])
    cli.settimeout(2)
    try:
        cli.recv(1)
        raise Failure("the peer saw no reset")
    except ConnectionResetError:
        pass
    c.tmux.keys("main", "Escape")


def case_proc_source_without_cookies(c):
    """--source proc has no cookies: rows are keyed on addresses, ports and inode, and new
    and closed connections are still told apart."""
    cmd, err, rc = c.view_command("--source proc -w 0.5", "proc")
    c.tmux.cmd("new-window", "-d", "-t", "main", "-n", "proc", cmd)
    target = "main:proc"
    wait_for("the view", lambda: "every " in c.tmux.capture(target).text[0])
    lst = c.base[0]
    cli, srv, cport = connect(lst)
    c.keep(cli, srv)

    def coloured(colour):
        def probe():
            s = c.tmux.capture(target)
            hit = s.row(conn_re(cport, 5555))
            return s if hit and s.colour_at(hit[0], r"127\.0\.0\.1:%d" % cport) == colour \
                else None
        return probe
    wait_for("the new connection in green", coloured(32))
    wait_for("it to settle", coloured(None))
    close_with_reset(srv)
    close_with_reset(cli)
    s = wait_for("the closed connection in red", coloured(31))
    check("close events unavailable" not in s.text[0], "header: " + s.text[0])
    c.tmux.keys(target, "q")
    wait_for("it to quit", lambda: os.path.exists(rc) and open(rc).read().strip())
    check(open(rc).read().strip() == "0" and open(err).read() == "",
          "exit %s, stderr %r" % (open(rc).read().strip(), open(err).read()))


def case_udp_rows_with_u(c):
    """-tu: UDP rows beside TCP ones (udp/udp6, UNCONN and ESTABLISHED), new ones green; 'k' on
    a UDP row says it cannot close it; plain -w stays TCP only."""
    cmd, err, rc = c.view_command("-tu -w 0.5", "udp")
    c.tmux.cmd("new-window", "-d", "-t", "main", "-n", "udp", cmd)
    target = "main:udp"
    wait_for("the view", lambda: "every " in c.tmux.capture(target).text[0])
    u4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u4.bind((LO, 5601))
    u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    u6.bind(("::1", 5602))
    uc = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    uc.connect((LO, 5601))
    c.keep(u4, u6, uc)
    ucport = uc.getsockname()[1]
    unconn = r"udp\s+127\.0\.0\.1:5601\s+0\.0\.0\.0:\*\s+UNCONN"
    wait_for("the UDP rows", lambda: (lambda f: f if f.row(unconn) and
                                      f.row(r"udp6\s+\[::1\]:5602\s+\[::\]:\*\s+UNCONN") and
                                      f.row(r"udp\s+127\.0\.0\.1:%d\s+127\.0\.0\.1:5601\s+"
                                            r"ESTABLISHED" % ucport) else None)(
        c.tmux.capture(target)))
    s = c.tmux.capture(target)
    check(s.row(r"tcp\s+127\.0\.0\.1:5555\s+0\.0\.0\.0:\*\s+LISTEN"),
          "the TCP listener is not shown beside the UDP rows:\n" + s.dump())
    check(c.screen().row(unconn) is None, "plain -w shows a UDP row:\n" + c.screen().dump())
    c.tmux.keys(target, "/", "5602", "Enter")
    wait_for("one row", lambda: [t.split()[0] for t in c.tmux.capture(target).text[3:-1]
                                 if t.strip()] == ["udp6"])
    c.tmux.keys(target, "k")
    s = wait_for("the refusal", lambda: (lambda f: f if "only TCP" in f.text[-1] else None)(
        c.tmux.capture(target)))
    c.tmux.keys(target, "Escape", "q")
    wait_for("it to quit", lambda: os.path.exists(rc) and open(rc).read().strip())
    check(open(rc).read().strip() == "0" and open(err).read() == "",
          "exit %s, stderr %r" % (open(rc).read().strip(), open(err).read()))


def case_kill_without_capability_says_so(c):
    """Without CAP_NET_ADMIN the view stays up and the status line says what is missing."""
    if not shutil.which("setpriv"):
        raise Failure("setpriv (util-linux) is needed to drop CAP_NET_ADMIN")
    lst = c.base[0]
    cli, srv, cport = connect(lst)
    c.keep(cli, srv)
    cmd, err, rc = c.view_command("-w 0.5", "nocap")
    cmd = "setpriv --bounding-set -net_admin " + cmd
    c.tmux.cmd("new-window", "-d", "-t", "main", "-n", "nocap", cmd)
    target = "main:nocap"
    wait_for("the view", lambda: c.tmux.capture(target).row(conn_re(5555, cport)))
    c.tmux.keys(target, "/", str(cport), "Enter")
    wait_for("two rows", lambda: len(rows_in_order(c.tmux.capture(target))) == 2)
    c.tmux.keys(target, "k")
    wait_for("the question", lambda: "(y/n)" in c.tmux.capture(target).text[-1])
    c.tmux.keys(target, "y")
    s = wait_for("the refusal", lambda: (lambda f: f if "cannot close" in f.text[-1] else None)(
        c.tmux.capture(target)))
    check(s.text[-1].endswith("needs CAP_NET_ADMIN (run as root)"), "status: " + s.text[-1])
    cli.setblocking(False)
    try:
        cli.recv(1)
        raise Failure("the connection was closed anyway")
    except BlockingIOError:
        pass
    c.tmux.keys(target, "q")
    wait_for("it to quit", lambda: os.path.exists(rc) and open(rc).read().strip())
    check(open(rc).read().strip() == "0" and open(err).read() == "",
          "exit %s, stderr %r" % (open(rc).read().strip(), open(err).read()))


def case_owners_toggle_with_escaped_names(c):
    """'o' asks for owners and shows them; a process name made of terminal escapes is shown
    as text, never sent to the terminal."""
    code = ("import ctypes,socket,sys,time\n"
            "ctypes.CDLL(None).prctl(15, b'\\x1b]0;pwn\\x07evil', 0, 0, 0)\n"
            "s=socket.socket(); s.bind(('127.0.0.1', 5559)); s.listen()\n"
            "print('ready', flush=True); time.sleep(60)\n")
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    c.children.append(child)
    check(child.stdout.readline().strip() == "ready", "the named process did not start")
    row = r"127\.0\.0\.1:5559\s.*%d/" % child.pid
    if "owners off" in c.screen().text[1]:  # no BPF owner source here: 'o' turns them on
        c.tmux.keys("main", "o")
    s, (i, text) = c.find("the owner of port 5559", row, timeout=6)
    check("PID/Program" in s.text[2], "no process column:\n" + s.dump())
    check(text.rstrip().endswith("%d/\\x1b]0;pwn\\x07evil" % child.pid),
          "name not escaped as expected: " + text)
    check("\x1b]0;pwn" not in s.raw and "\x07" not in s.raw, "raw escape reached the screen")
    c.find("our own process", r"127\.0\.0\.1:5555\s.*%d/python" % os.getpid())
    c.tmux.keys("main", "o")
    wait_for("no process column", lambda: "PID/Program" not in c.screen().text[2], timeout=6)
    c.tmux.keys("main", "o")
    wait_for("the process column again", lambda: "PID/Program" in c.screen().text[2], timeout=6)


def view_pids():
    """Pids of the running `tcptable -w` views (the binary under test)."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % d, "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if argv and argv[0] == BINARY.encode() and any(a.startswith(b"-w") for a in argv):
            out.append(int(d))
    return out


def case_owners_on_by_default_with_bpf(c):
    """Owners cost one BPF read per refresh where the BPF owner source loads: the process
    column is on without -p, and the header names the source; the program is loaded once
    for the session (one held, the same one, refresh after refresh). Where it does not load
    (made so here with TCPT_BPF_BTF naming a missing file), they are off and a note says
    why."""
    s = c.screen()
    bpf = "owners: bpf" in s.text[0]
    check(bpf == ("PID/Program" in s.text[2]) and bpf != ("owners off" in s.text[1]),
          "owners neither on from BPF nor explained:\n" + s.dump())
    if bpf:
        pids = view_pids()
        check(len(pids) == 1, "one view running, not %r" % pids)
        held = cmdlib.bpf_programs(pids[0])
        check(len(held) == 1, "the view holds one BPF program, not %r" % held)
        time.sleep(1.6)  # three refreshes of -w 0.5
        check(cmdlib.bpf_programs(pids[0]) == held, "a new program per refresh: %r then %r"
              % (held, cmdlib.bpf_programs(pids[0])))
    cmd, err, rc = c.view_command("-w 0.5", "nobpf")
    cmd = "env TCPT_BPF_BTF=/nonexistent/vmlinux " + cmd
    c.tmux.cmd("new-window", "-d", "-t", "main", "-n", "nobpf", cmd)
    target = "main:nobpf"
    s = wait_for("the note", lambda: (lambda f: f if "owners off: no BPF owner source" in
                                      f.text[1] else None)(c.tmux.capture(target)))
    check("PID/Program" not in s.text[2], "process column without BPF:\n" + s.dump())
    c.tmux.keys(target, "q")
    wait_for("it to quit", lambda: os.path.exists(rc) and open(rc).read().strip())
    check(open(rc).read().strip() == "0" and open(err).read() == "",
          "exit %s, stderr %r" % (open(rc).read().strip(), open(err).read()))


def case_resize_keeps_running(c):
    for w, h in ((50, 8), (30, 4), (200, 50), (120, 30)):
        c.tmux.cmd("resize-window", "-t", "main", "-x", str(w), "-y", str(h))
        time.sleep(0.15)
        check(not c.tmux.pane_dead("main"), "the view died at %dx%d" % (w, h))
    s = wait_for("rows after the resizes", lambda: (lambda f: f if f.row(r":5555\s") and
                 len(f.text[0]) <= 120 else None)(c.screen()))
    check("every " in s.text[0], "no header after the resizes:\n" + s.dump())


def case_q_quits_cleanly(c):
    c.tmux.keys("main", "q")
    status = wait_for("the exit status", lambda: os.path.exists(c.rc) and
                      open(c.rc).read().strip())
    err = open(c.err).read()
    check(status == "0", "exit status %s; stderr:\n%s" % (status, err))
    check(err == "", "stderr not empty:\n" + err)


def case_stdout_not_a_terminal(c):
    out = os.path.join(c.tmpdir, "redirected.out")
    cmd, err, rc = c.view_command("-w >%s" % out, "redirected")
    c.tmux.cmd("new-window", "-d", "-t", "main", "-n", "redir", cmd)
    status = wait_for("the exit status", lambda: os.path.exists(rc) and open(rc).read().strip())
    check(status == "1", "exit status " + status)
    check(open(err).read() == "tcptable: --watch needs a terminal\n",
          "stderr: %r" % open(err).read())
    check(open(out).read() == "", "stdout not empty")


def stdin_not_a_terminal():
    r = subprocess.run([BINARY, "-w", "0.5"], stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=10)
    check(r.returncode == 1, "exit status %d" % r.returncode)
    check(r.stderr == b"tcptable: --watch needs a terminal\n", "stderr %r" % r.stderr)
    check(r.stdout == b"", "stdout %r" % r.stdout)


# --- the layout at three sizes, the panes, the keys ------------------------------------------

def title_line(s):
    return s.text[2]


def start_sized(c, name, args, width, height, env=None):
    """A view in a session of its own, WIDTHxHEIGHT (ENV: "VAR=value" for it); returns
    (target, err, rc)."""
    cmd, err, rc = c.view_command(args, name)
    if env:
        cmd = "env %s %s" % (env, cmd)
    c.tmux.cmd("new-session", "-d", "-s", name, "-x", str(width), "-y", str(height), cmd)
    wait_for("the %dx%d view" % (width, height),
             lambda: "every " in c.tmux.capture(name).text[0])
    return name, err, rc


def quit_cleanly(c, target, err, rc):
    c.tmux.keys(target, "Escape", "q")
    wait_for("it to quit", lambda: os.path.exists(rc) and open(rc).read().strip())
    check(open(rc).read().strip() == "0" and open(err).read() == "",
          "exit %s, stderr %r" % (open(rc).read().strip(), open(err).read()))


def settle(capture, what, cond, timeout=4.0):
    """Wait until COND(screen) holds for a captured screen: curses sends a frame as a stream
    of changes, so a capture may catch half of one; conditions are checked whole, again and
    again. Returns the screen; a timeout fails with the last screen."""
    last = [None]

    def probe():
        f = capture()
        last[0] = f
        try:
            return f if cond(f) else None
        except (ValueError, IndexError, AttributeError):
            return None
    try:
        return wait_for(what, probe, timeout)
    except Failure as e:
        raise Failure("%s\n%s" % (e, last[0].dump() if last[0] else ""))


def fits(s, width):
    return all(len(t) <= width for t in s.text)


def case_layout_at_three_sizes(c):
    """At 80x24, 120x40 and 200x50 the table is laid out for its width: State and
    PID/Program always on screen, the rest scrolling sideways with '<' and '>' marks."""
    for width, height in ((80, 24), (120, 40), (200, 50)):
        target, err, rc = start_sized(c, "s%d" % width, "-p -w 0.5", width, height)
        cap = lambda: c.tmux.capture(target)  # noqa: E731
        titles = ("Proto", "Local Address", "Remote Address", "Recv/s", "Send/s", "Recv-Q",
                  "Send-Q")
        if width == 80:
            settle(cap, "80x24 laid out: State and PID/Program, '>' for more", lambda f:
                   f.row(r":5555\s.*ESTABLISHED.*python") and fits(f, width) and
                   len(f.text) == height and "State" in title_line(f) and
                   "PID/Program" in title_line(f) and title_line(f).rstrip().endswith(">")
                   and "Send-Q" not in title_line(f))
            c.tmux.keys(target, "Right", "Right", "Right")
            settle(cap, "scrolled: '<', Send-Q, State and PID/Program, not Proto", lambda f:
                   title_line(f).startswith("<") and "Send-Q" in title_line(f) and
                   "State" in title_line(f) and "PID/Program" in title_line(f) and
                   "Proto" not in title_line(f) and f.row(r"ESTABLISHED.*\d+/python") and
                   fits(f, width))
            c.tmux.keys(target, "Left", "Left", "Left")
            settle(cap, "scrolled back", lambda f: title_line(f).startswith("Proto"))
        else:
            settle(cap, "%dx%d laid out with every column" % (width, height), lambda f:
                   f.row(r":5555\s.*ESTABLISHED.*python") and fits(f, width) and
                   len(f.text) == height and "State" in title_line(f) and
                   "PID/Program" in title_line(f) and
                   all(t in title_line(f) for t in titles) and
                   not title_line(f).rstrip().endswith(">"))
        quit_cleanly(c, target, err, rc)
        c.tmux.cmd("kill-session", "-t", target, check_rc=False)


def case_styles_are_distinct(c):
    """Titles, selection and marks each look different (capture-pane -e)."""
    c.tmux.keys("main", "Home")

    def distinct(f):
        lines = [styled_bg(line) for line in f.raw.split("\n")]
        titles, first, second = lines[2], lines[3], lines[4]
        return (titles[3][0] == 46 and not titles[2][0] and  # black on cyan, not reversed
                first[2][0] and first[3][0] is None and     # the selection: reversed
                not any(second[2]))                         # one row only
    settle(c.screen, "titles black on cyan, the selected row reversed, the next not",
           distinct)


def case_help_lists_every_key(c):
    c.tmux.keys("main", "?")
    keys = ("q ", "?", "up down", "left right", "<  >", "r ", "/ ", "Esc", "p  space", "o ",
            "c ", "Enter", "P ", "k ")
    settle(c.screen, "the help with every key", lambda f: "Keys" in f.text[2] and all(
        re.search(r"^ " + re.escape(k), "\n".join(f.text[3:]), re.M) for k in keys))
    c.tmux.keys("main", "x")
    wait_for("the help to close", lambda: "Keys" not in c.screen().text[2])


def case_chooser_toggles_columns(c):
    c.tmux.keys("main", "c")
    wanted = ("proto", "local_address", "remote_address", "state", "recv_q", "send_q",
              "recv_rate", "send_rate", "container", "cookie")

    def listed(f):
        return [m.group(1) for m in (re.match(r"\s*\[[x ]\] (\S+)", t) for t in f.text[3:-1])
                if m]
    s = settle(c.screen, "the chooser listing the columns by name", lambda f:
               "Columns" in f.text[2] and all(n in listed(f) for n in wanted))
    names = listed(s)
    # down to cookie, toggle it on, close: the Cookie column appears
    for _ in range(names.index("cookie")):
        c.tmux.keys("main", "Down")
    c.tmux.keys("main", "Space")
    wait_for("cookie on", lambda: any(re.match(r"\s*\[x\] cookie", t) for t in c.screen().text))
    c.tmux.keys("main", "Escape")
    wait_for("the Cookie column", lambda: "Cookie" in title_line(c.screen()))
    c.tmux.keys("main", "c")
    wait_for("the chooser again", lambda: "Columns" in c.screen().text[2])
    c.tmux.keys("main", "Space", "c")  # the cursor stayed on cookie
    wait_for("no Cookie column", lambda: "Cookie" not in title_line(c.screen()))


def case_detail_pane_is_live(c):
    """Enter: every field of the row, the owners with their executables, tcp_info counters
    that move while data flows; Esc closes."""
    lst = c.base[0]
    cli, srv, cport = connect(lst)
    c.keep(cli, srv)
    c.tmux.keys("main", "/", str(cport), "Enter")
    wait_for("two rows", lambda: len(rows_in_order(c.screen())) == 2)
    c.tmux.keys("main", "Enter")
    fields = ("cookie", "inode", "cgroup", "timer", "recv_q", "rtt_us", "bytes_received",
              "congestion", "recv_rate", "owners")
    exe = os.path.realpath(sys.executable)
    owner = r"pid %d fd \d+ python\S* %s" % (os.getpid(), re.escape(exe[:30]))
    settle(c.screen, "the details: every field, the owner with its executable", lambda f:
           f.text[2].startswith("Details:") and "5555 -> 127.0.0.1:%d" % cport in f.text[2]
           and all(re.search(r"\b%s\b" % x, "\n".join(f.text[3:-1])) for x in fields) and
           re.search(owner, "\n".join(f.text[3:-1])))

    def received():
        m = re.search(r"bytes_received\s+(\d+)", "\n".join(c.screen().text))
        return int(m.group(1)) if m else None
    before = wait_for("bytes_received", lambda: (lambda n: None if n is None else (n,))(
        received()))[0]
    cli.sendall(b"x" * 5000)
    wait_for("bytes_received to grow", lambda: (received() or 0) >= before + 5000)
    # the connection goes: the pane says so, and does not show another one instead
    close_with_reset(cli)
    close_with_reset(srv)
    settle(c.screen, "the pane saying the connection has gone", lambda f:
           "the connection has gone" in f.text[2], timeout=6)
    c.tmux.keys("main", "Escape")
    wait_for("the table again", lambda: "Local Address" in title_line(c.screen()))
    c.tmux.keys("main", "Escape")
    wait_for("the filter cleared", lambda: c.screen().row(r":5556\s"))


def case_process_pane_sums_per_process(c):
    c.tmux.keys("main", "P")
    s = wait_for("the process pane", lambda: (lambda f: f if "Conns" in f.text[2] and
                                              re.search(r"^\s*%d python" % os.getpid(),
                                                        "\n".join(f.text), re.M)
                                              else None)(c.screen()))
    line = [t for t in s.text if re.match(r"\s*%d python" % os.getpid(), t)][0]
    conns, listening = (int(x) for x in line.split()[2:4])
    rows = [t for t in rows_in_order(c.screen())]
    check(listening >= 3 and conns > listening, "totals of our process: %r" % line)
    c.tmux.keys("main", "Enter")  # its connections: the table filtered by it
    settle(c.screen, "the table filtered by pid, %d rows as the pane counted" % conns,
           lambda f: "filter: %d/" % os.getpid() in f.text[-1] and
           re.search(r"\b%d shown" % conns, f.text[0]))
    del rows
    c.tmux.keys("main", "Escape")
    wait_for("all rows back", lambda: "filter:" not in c.screen().text[-1])


def case_selection_follows_its_connection(c):
    """The selection stays on its connection when rows appear above it."""
    c.tmux.keys("main", "Home")
    target = r"127\.0\.0\.1:5557\s"
    for _ in range(12):
        s = c.screen()
        sel = [i for i, (t, _, rev) in enumerate(s.lines) if i >= 3 and rev and rev[0]]
        if sel and re.search(target, s.text[sel[0]]):
            break
        c.tmux.keys("main", "Down")
        time.sleep(0.1)
    else:
        raise Failure("could not select the 5557 listener:\n" + c.screen().dump())
    above = listener(5550)
    c.keep(above)

    def still_selected(f):
        sel = [i for i, (t, _, rev) in enumerate(f.lines) if i >= 3 and rev and rev[0]]
        return f.row(r"127\.0\.0\.1:5550\s") and sel and re.search(target, f.text[sel[0]])
    settle(c.screen, "the new listener above, the selection still on 5557", still_selected)


def case_k_refuses_listeners_without_l(c):
    c.tmux.keys("main", "k")  # the 5557 listener is selected
    settle(c.screen, "the refusal", lambda f: "not listeners" in f.text[-1] and
           "(y/n)" not in f.text[-1])
    cmd, err, rc = c.view_command("-l -w 0.5", "listen")
    c.tmux.cmd("new-window", "-d", "-t", "main", "-n", "listen", cmd)
    target = "main:listen"
    wait_for("the -l view", lambda: c.tmux.capture(target).row(r":5557\s"))
    c.tmux.keys(target, "/", "5557", "Enter")
    wait_for("one row", lambda: len(rows_in_order(c.tmux.capture(target))) == 1)
    c.tmux.keys(target, "k")
    settle(lambda: c.tmux.capture(target), "the question naming the listener and its process",
           lambda f: "(y/n)" in f.text[-1] and
           "127.0.0.1:5557 -> 0.0.0.0:* LISTEN of %d/python" % os.getpid() in f.text[-1])
    c.tmux.keys(target, "n")
    quit_cleanly(c, target, err, rc)


def case_resize_during_refreshes(c):
    """Resizes while a fast view refreshes: every frame fits the new size."""
    target, err, rc = start_sized(c, "resize", "-w 0.1", 120, 40)
    for w, h in ((80, 24), (200, 50), (60, 10), (120, 40), (80, 24)):
        c.tmux.cmd("resize-window", "-t", target, "-x", str(w), "-y", str(h))
        s = wait_for("a frame at %dx%d" % (w, h), lambda: (lambda f: f if len(f.text) == h and
                     "every " in f.text[0] and fits(f, w) and "State" in f.text[2]
                     else None)(c.tmux.capture(target)))
        check(not c.tmux.pane_dead(target), "the view died at %dx%d" % (w, h))
    quit_cleanly(c, target, err, rc)
    c.tmux.cmd("kill-session", "-t", target, check_rc=False)


# --- throughput ------------------------------------------------------------------------------

RATE = 2_000_000  # bytes/s
WCOL_STEPS = 12


def paced_sender(port):
    """A child that connects to PORT and sends RATE bytes/s in 10 ms steps, forever."""
    code = ("import socket,sys,time\n"
            "s=socket.create_connection(('127.0.0.1',%d))\n"
            "print(s.getsockname()[1], flush=True)\n"
            "step=%d//100; t=time.monotonic()\n"
            "while True:\n"
            "    s.sendall(b'x'*step); t+=0.01\n"
            "    time.sleep(max(0, t-time.monotonic()))\n" % (port, RATE))
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)


def parse_rate(cell):
    m = re.fullmatch(r"([\d.]+)([KMG]?)", cell)
    if not m:
        return None
    return float(m.group(1)) * {"": 1, "K": 1e3, "M": 1e6, "G": 1e9}[m.group(2)]


def case_throughput_within_20_percent(c):
    """A sender at 2 MB/s over loopback: its row's Send/s and the receiver's Recv/s are
    within 20 % of it, and sorting by Send/s puts the sender first."""
    lst = listener(5580)
    c.keep(lst)
    child = paced_sender(5580)
    c.children.append(child)
    cport = int(child.stdout.readline())
    srv, _ = lst.accept()
    c.keep(srv)
    stop = []

    def drain():
        while not stop:
            try:
                if not srv.recv(1 << 20):
                    return
            except OSError:
                return
    import threading
    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    target, err, rc = start_sized(c, "rate", "-w 1 --port 5580", 200, 50)
    try:
        recv, sent = [], []
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline and len(recv) < 3:
            s = c.tmux.capture(target)
            t = title_line(s)
            rx_at, tx_at = t.index("Recv/s"), t.index("Send/s")
            rrow = s.row(conn_re(5580, cport))
            srow = s.row(conn_re(cport, 5580))
            if rrow and srow:
                # right-aligned cells end under their titles' ends
                r = parse_rate(rrow[1][:rx_at + 6].split()[-1])
                x = parse_rate(srow[1][:tx_at + 6].split()[-1])
                if r and x:
                    recv.append(r)
                    sent.append(x)
            time.sleep(1.1)
        check(len(recv) >= 3, "no rates shown:\n" + c.tmux.capture(target).dump())
        r, x = sorted(recv)[1], sorted(sent)[1]
        check(abs(r - RATE) <= RATE * 0.2 and abs(x - RATE) <= RATE * 0.2,
              "median rates recv %r sent %r, expected %d within 20%%\n%s" %
              (r, x, RATE, c.tmux.capture(target).dump()))
        # sort by Send/s, descending: the sender's row first
        for _ in range(WCOL_STEPS):
            if "Send/s ^" in title_line(c.tmux.capture(target)):
                break
            c.tmux.keys(target, ">")
            time.sleep(0.1)
        wait_for("sort by Send/s", lambda: "Send/s ^" in title_line(c.tmux.capture(target)))
        c.tmux.keys(target, "r")
        s = wait_for("reversed", lambda: (lambda f: f if "Send/s v" in title_line(f)
                                          else None)(c.tmux.capture(target)))
        first = rows_in_order(s)[0]
        check(re.match(conn_re(cport, 5580), first), "the sender is not first: %r" % first)
    finally:
        stop.append(1)
        child.kill()
    quit_cleanly(c, target, err, rc)
    c.tmux.cmd("kill-session", "-t", target, check_rc=False)


# --- containers ------------------------------------------------------------------------------

DOCKER_ID = "4f1c2d3e5a6b7c8d9e0f" * 3 + "0123"
PODMAN_ID = "5e" * 32
POD_UID = "1b2c3d4e-aaaa-bbbb-cccc-0123456789ab"


def cgroup2_root():
    for path in ("/sys/fs/cgroup", "/sys/fs/cgroup/unified"):
        try:
            with open("/proc/self/mountinfo") as f:
                if any(l.split()[4] == path and " - cgroup2 " in l for l in f):
                    return path
        except OSError:
            pass
    return None


def child_in_cgroup(cgroup, port):
    """A child that waits until it is in CGROUP, then listens on PORT (the socket takes the
    cgroup of the process that makes it)."""
    code = ("import socket,sys\n"
            "sys.stdin.readline()\n"
            "s=socket.socket(); s.bind(('127.0.0.1',%d)); s.listen()\n"
            "print('ready', flush=True); sys.stdin.readline()\n" % port)
    p = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True)
    with open(os.path.join(cgroup, "cgroup.procs"), "w") as f:
        f.write(str(p.pid))
    p.stdin.write("go\n")
    p.stdin.flush()
    check(p.stdout.readline().strip() == "ready", "the child in %s did not start" % cgroup)
    return p


def case_container_column_from_cgroups(c):
    """Processes in cgroups named as docker, podman and the kubelet name theirs (made under a
    subtree of the cgroup2 hierarchy, removed after): the Container column names them, the
    docker one with the name in its config.v2.json, the podman one with its name in
    containers/storage's containers.json."""
    root = cgroup2_root()
    if not root:
        raise Failure("no cgroup2 hierarchy mounted")
    top = os.path.join(root, "tcpt-test-%d" % os.getpid())
    docker = os.path.join(top, "system.slice", "docker-%s.scope" % DOCKER_ID)
    pod = os.path.join(top, "kubepods.slice", "kubepods-besteffort.slice",
                       "kubepods-besteffort-pod%s.slice" % POD_UID.replace("-", "_"),
                       "cri-containerd-%s.scope" % DOCKER_ID[::-1])
    podman = os.path.join(top, "machine.slice", "libpod-%s.scope" % PODMAN_ID)
    made, kids = [], []
    try:
        for path in (docker, pod, podman):
            parts = os.path.relpath(path, root).split(os.sep)
            for i in range(1, len(parts) + 1):
                d = os.path.join(root, *parts[:i])
                if not os.path.isdir(d):
                    os.mkdir(d)
                    made.append(d)
        kids = [child_in_cgroup(docker, 5591), child_in_cgroup(pod, 5592),
                child_in_cgroup(podman, 5593)]
        c.children.extend(kids)
        # docker's name for it, where docker keeps it (a data root of our own)
        config = os.path.join(c.tmpdir, "docker", "containers", DOCKER_ID)
        os.makedirs(config)
        with open(os.path.join(config, "config.v2.json"), "w") as f:
            f.write('{"ID":"%s","Name":"/tcpt-web","Driver":"overlay2"}' % DOCKER_ID)
        # podman's, in containers/storage's list of containers (a storage root of our own)
        storage = os.path.join(c.tmpdir, "storage", "overlay-containers")
        os.makedirs(storage)
        with open(os.path.join(storage, "containers.json"), "w") as f:
            f.write('[{"id":"%s","names":["tcpt-other"]},{"id":"%s","names":["tcpt-db"],'
                    '"image":"i"}]' % (DOCKER_ID, PODMAN_ID))
        env = "TCPT_DOCKER_ROOT=%s TCPT_PODMAN_ROOT=%s" % (
            os.path.join(c.tmpdir, "docker"), os.path.join(c.tmpdir, "storage"))
        target, err, rc = start_sized(c, "ctr", "-e -w 0.5 --sport 5591-5593", 200, 50,
                                      env=env)
        settle(lambda: c.tmux.capture(target), "the three containers named", lambda f: f.row(
            r":5591\s.*docker:%s tcpt-web\s" % DOCKER_ID[:12]) and f.row(
                r":5592\s.*pod:%s\s" % POD_UID) and f.row(
                r":5593\s.*podman:%s tcpt-db\s" % PODMAN_ID[:12]) and
            "Container" in title_line(f))
        quit_cleanly(c, target, err, rc)
        c.tmux.cmd("kill-session", "-t", target, check_rc=False)
    finally:
        for k in kids:
            k.kill()
            k.wait()
        for d in reversed(made):
            for _ in range(50):
                try:
                    os.rmdir(d)
                    break
                except OSError:  # the killed child may take a moment to leave it
                    time.sleep(0.02)


def case_all_netns_names_the_namespace(c):
    """--all-netns: a Netns column with the namespace's name under /run/netns."""
    name = "tcpt-w-%d" % os.getpid()
    r = subprocess.run(["ip", "netns", "add", name], capture_output=True, text=True)
    if r.returncode != 0:
        raise Failure("ip netns add: " + r.stderr.strip())
    child = None
    try:
        code = ("import socket,sys\n"
                "s=socket.socket(); s.bind(('127.0.0.1',5601)); s.listen()\n"
                "print('ready', flush=True); sys.stdin.readline()\n")
        child = subprocess.Popen(["ip", "netns", "exec", name, "sh", "-c",
                                  "ip link set lo up && exec %s -c \"$0\"" % sys.executable,
                                  code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 text=True)
        check(child.stdout.readline().strip() == "ready", "no listener in " + name)
        target, err, rc = start_sized(c, "allns", "--all-netns -l -w 0.5", 200, 50)
        c.tmux.keys(target, "/", name, "Enter")
        settle(lambda: c.tmux.capture(target), "the named namespace's row", lambda f: f.row(
            r"127\.0\.0\.1:5601\s+0\.0\.0\.0:\*\s+LISTEN\s+%s\s" % name) and
            "Netns" in title_line(f))
        quit_cleanly(c, target, err, rc)
        c.tmux.cmd("kill-session", "-t", target, check_rc=False)
    finally:
        if child:
            child.kill()
            child.wait()
        subprocess.run(["ip", "netns", "del", name], capture_output=True)


def options_refused_with_watch():
    for args, what in ((["--json"], "--json"), (["--csv"], "--csv"), (["--jsonl"], "--jsonl"),
                       (["--format=csv"], "--csv"), (["-H"], "--no-header"),
                       (["-r"], "--resolve"), (["-s"], "--summary")):
        r = subprocess.run([BINARY, "-w", *args], stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=10, text=True)
        check(r.returncode == 2, "%s: exit status %d" % (args, r.returncode))
        lines = r.stderr.splitlines()
        check(len(lines) == 1 and what in lines[0], "%s: stderr %r" % (args, r.stderr))


TERMINAL_CASES = [
    ("the view starts with a header counting the sockets", case_starts_with_header),
    ("the header counts each state", case_header_counts_per_state),
    ("a new connection is green for one refresh", case_new_connection_is_green),
    ("a state change is yellow", case_state_change_is_yellow),
    ("a closed connection is red for one refresh", case_closed_connection_is_red),
    ("'/' filters the rows", case_filter_narrows_rows),
    ("'<' '>' sort by column, 'r' reverses", case_sort_by_column_and_reverse),
    ("'p' pauses and resumes", case_pause_holds_the_screen),
    ("a connection between refreshes is red via destroy notifications (-w 5)",
     case_events_catch_what_no_refresh_saw),
    ("'k' asks, 'n' keeps, 'y' closes (the peer sees a reset)", case_kill_asks_then_closes),
    ("--source proc: rows keyed without cookies, new green and closed red",
     case_proc_source_without_cookies),
    ("-tu shows UDP rows beside TCP ones; 'k' will not close UDP", case_udp_rows_with_u),
    ("'k' without CAP_NET_ADMIN says so and closes nothing",
     case_kill_without_capability_says_so),
    ("owners on by default where BPF serves them, else a note",
     case_owners_on_by_default_with_bpf),
    ("'o' shows owners, untrusted names escaped", case_owners_toggle_with_escaped_names),
    ("titles, selection and marks have distinct styles", case_styles_are_distinct),
    ("'?' lists every key", case_help_lists_every_key),
    ("'c' chooses columns by their -e/-i/JSON names", case_chooser_toggles_columns),
    ("Enter: the detail pane, every field, live, until the connection goes; Esc closes",
     case_detail_pane_is_live),
    ("'P': totals per process; Enter filters by it", case_process_pane_sums_per_process),
    ("the selection follows its connection", case_selection_follows_its_connection),
    ("'k' refuses listeners unless -l, and names what it closes",
     case_k_refuses_listeners_without_l),
    ("80x24, 120x40, 200x50: State and Process stay, the rest scrolls",
     case_layout_at_three_sizes),
    ("resizes during fast refreshes: every frame fits", case_resize_during_refreshes),
    ("2 MB/s over loopback shown within 20 %, sortable", case_throughput_within_20_percent),
    ("the Container column names docker, podman and Kubernetes cgroups",
     case_container_column_from_cgroups),
    ("--all-netns: the Netns column names the namespace", case_all_netns_names_the_namespace),
    ("resizes do not break the view", case_resize_keeps_running),
    ("'q' quits with status 0 and nothing on stderr", case_q_quits_cleanly),
    ("stdout not a terminal: exit 1 with one line", case_stdout_not_a_terminal),
]


# --- running ---------------------------------------------------------------------------------

def enter_namespace():
    """A private network namespace with lo up, or the reason there is none."""
    if os.geteuid() != 0:
        return "not root"
    if not shutil.which("tmux"):
        return "tmux is not installed"
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNET) != 0:
        return "unshare(CLONE_NEWNET): " + os.strerror(ctypes.get_errno())
    r = subprocess.run(["ip", "link", "set", "lo", "up"], capture_output=True, text=True)
    if r.returncode != 0:
        return "ip link set lo up: " + r.stderr.strip()
    return None


def report(n, name, error):
    if error is None:
        print("ok %d - %s" % (n, name))
    else:
        print("not ok %d - %s" % (n, name))
        for line in str(error).splitlines():
            print("# " + line)
    sys.stdout.flush()


def main():
    print("1..%d" % (2 + len(TERMINAL_CASES)))
    n = 1
    try:
        stdin_not_a_terminal()
        report(n, "stdin not a terminal: exit 1 with one line", None)
    except (Failure, subprocess.SubprocessError) as e:
        report(n, "stdin not a terminal: exit 1 with one line", e)
    n += 1
    try:
        options_refused_with_watch()
        report(n, "options that cannot apply to -w: exit 2 with one line", None)
    except (Failure, subprocess.SubprocessError) as e:
        report(n, "options that cannot apply to -w: exit 2 with one line", e)
    failed = False
    why_not = enter_namespace()
    if why_not:
        sys.stderr.write("\n*** watch view tests: %s; %s\n\n" % (
            why_not, "under CI=true that is a FAILURE" if IN_CI else "they are SKIPPED"))
        for name, _ in TERMINAL_CASES:
            n += 1
            if IN_CI:
                print("not ok %d - %s # needs root and tmux (%s)" % (n, name, why_not))
            else:
                print("ok %d - %s # SKIP %s" % (n, name, why_not))
        return 1 if IN_CI else 0
    with tempfile.TemporaryDirectory(prefix="tcpt-watch-") as tmpdir:
        c = Case(tmpdir)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # meson's timeout: clean up
        try:
            broken = None
            for name, fn in TERMINAL_CASES:
                n += 1
                if broken:  # the view the rest depend on is gone
                    report(n, name, "not run: " + broken)
                    failed = True
                    continue
                try:
                    fn(c)
                    report(n, name, None)
                except Exception as e:  # noqa: BLE001 - any error fails this case only
                    failed = True
                    detail = "%s: %s" % (type(e).__name__, e)
                    try:
                        detail += "\n" + c.screen().dump()
                    except Exception:  # noqa: BLE001
                        pass
                    report(n, name, detail)
                    if c.tmux.pane_dead("main") or not c.tmux.started:
                        broken = "the view exited"
        finally:
            c.cleanup()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
