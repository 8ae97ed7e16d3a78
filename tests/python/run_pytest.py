#!/usr/bin/env python3
"""Run pytest on the given test files and speak TAP, for meson test and
scripts/test_summary.py: one 'ok'/'not ok' line per pytest test on stdout, the plan at the
end; pytest's own report goes to stderr (meson's log keeps both).

A skipped test is 'ok ... # SKIP', an expected failure (xfail) 'not ok ... # TODO'. When
pytest itself fails (collection errors, bad usage, or no test collected: exit status 5),
one more 'not ok' case says so and the exit status is not 0: a run that tested nothing
never passes.
As root, the run moves first into a PID namespace with its own /proc (unshare --pid --fork
--mount-proc): the owner scans of the library and of psutil then see this run's processes
only, so that the tests neither depend on nor wait for whatever else the host runs (another
benchmark's 200k descriptors make each scan of the host's /proc take a second).
Usage: run_pytest.py TEST_FILE... (run with the interpreter under test)
"""
import os
import shutil
import sys

if os.geteuid() == 0 and os.environ.get("TCPT_PYTEST_PIDNS") != "1" and shutil.which("unshare"):
    os.environ["TCPT_PYTEST_PIDNS"] = "1"
    os.execvp("unshare", ["unshare", "--pid", "--fork", "--mount-proc", sys.executable,
                          os.path.abspath(__file__)] + sys.argv[1:])

import pytest  # noqa: E402

TAP = os.fdopen(os.dup(1), "w", buffering=1)
os.dup2(2, 1)  # pytest's terminal report, and anything the tests print, to stderr


def first_line(text):
    return (str(text).strip().splitlines() or [""])[-1][:300]


class TapReporter:
    def __init__(self):
        self.count = 0
        self.failed = 0
        self.reports = {}

    def pytest_runtest_logreport(self, report):
        self.reports.setdefault(report.nodeid, []).append(report)

    def pytest_runtest_logfinish(self, nodeid, location):
        reports = self.reports.pop(nodeid, [])
        self.count += 1
        name = nodeid.split("::", 1)[-1]
        failed = [r for r in reports if r.failed]
        xfail = [r for r in reports if hasattr(r, "wasxfail")]
        skipped = [r for r in reports if r.skipped and not hasattr(r, "wasxfail")]
        if failed:
            self.failed += 1
            print("not ok %d - %s" % (self.count, name), file=TAP)
            for r in failed:
                for line in str(r.longrepr).splitlines()[-15:]:
                    print("#   " + line, file=TAP)
        elif xfail:
            print("not ok %d - %s # TODO %s" % (self.count, name, xfail[0].wasxfail), file=TAP)
        elif skipped:
            reason = skipped[0].longrepr[2] if isinstance(skipped[0].longrepr, tuple) else ""
            print("ok %d - %s # SKIP %s" % (self.count, name, first_line(reason)), file=TAP)
        else:
            print("ok %d - %s" % (self.count, name), file=TAP)


def main(argv):
    tap = TapReporter()
    args = ["-p", "no:cacheprovider", "-q", "-rs", "--import-mode=importlib"] + argv
    status = int(pytest.main(args, plugins=[tap]))
    if status not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        tap.count += 1
        what = ("no test was collected" if status == pytest.ExitCode.NO_TESTS_COLLECTED
                else "pytest stopped (collection error, usage or internal error)")
        print("not ok %d - pytest exited %d: %s" % (tap.count, status, what), file=TAP)
        status = status or 1
    print("1..%d" % tap.count, file=TAP)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
