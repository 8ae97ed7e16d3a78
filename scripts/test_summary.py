#!/usr/bin/env python3
"""Count test cases over Meson test logs and print 'N passed, N failed, N skipped'.

Every test program speaks TAP. A case is passed ('ok'), skipped ('ok ... # SKIP', and a
known bug's 'not ok ... # TODO') or failed ('not ok'); cases a program planned ('1..N') but never reported, and a program that failed
without reporting a failed case (a crash, a sanitizer abort), count as failed.
Exit status 1 when anything failed.
"""
import json
import re
import sys

OK = re.compile(r"^ok\b")
NOT_OK = re.compile(r"^not ok\b")
SKIP = re.compile(r"#\s*SKIP", re.IGNORECASE)
TODO = re.compile(r"#\s*TODO", re.IGNORECASE)
PLAN = re.compile(r"^1\.\.(\d+)")


def count_program(entry):
    passed = failed = skipped = 0
    plan = None
    for line in (entry.get("stdout") or entry.get("stdo") or "").splitlines():
        line = line.strip()
        m = PLAN.match(line)
        if m:
            plan = int(m.group(1))
        elif NOT_OK.match(line):
            if TODO.search(line):
                skipped += 1  # a known bug: expected to fail, reported, not counted as passed
            else:
                failed += 1
        elif OK.match(line):
            if SKIP.search(line):
                skipped += 1
            else:
                passed += 1
    if plan is not None and passed + failed + skipped < plan:
        failed += plan - (passed + failed + skipped)
    result = entry.get("result", "")
    if result == "SKIP" and passed + failed + skipped == 0:
        skipped += 1
    elif result not in ("OK", "SKIP", "EXPECTEDFAIL") and failed == 0:
        failed += 1
    return passed, failed, skipped


def main(paths):
    total = [0, 0, 0]
    for path in paths:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                entries = [json.loads(line) for line in f if line.strip()]
        except OSError as e:
            print(f"test_summary: {path}: {e.strerror}", file=sys.stderr)
            total[1] += 1
            continue
        for entry in entries:
            for i, n in enumerate(count_program(entry)):
                total[i] += n
    print(f"{total[0]} passed, {total[1]} failed, {total[2]} skipped")
    return 1 if total[1] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
