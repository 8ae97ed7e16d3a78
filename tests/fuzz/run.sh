#!/bin/sh
# Run every fuzz target for SECONDS (default 300), then replay the committed regressions.
# Usage: tests/fuzz/run.sh OUT_DIR [SECONDS]     (OUT_DIR as given to build.sh)
# Prints each target's executions and coverage; exits non-zero on any crash.
set -eu
out=$1
secs=${2:-300}
src=$(cd "$(dirname "$0")/../.." && pwd)
status=0
for f in "$out"/fuzz_*; do
	t=${f##*/fuzz_}
	mkdir -p "$out/corpus/$t" "$out/seeds/$t"
	reg="$src/tests/fuzz/regressions/$t"
	if [ -d "$reg" ] && [ -n "$(ls -A "$reg" 2>/dev/null)" ]; then
		"$f" -runs=0 "$reg"/* >"$out/$t-regressions.log" 2>&1 || {
			echo "fuzz_$t: a committed regression input fails; see $out/$t-regressions.log"
			status=1
		}
	fi
	if "$f" -max_total_time="$secs" -print_final_stats=1 \
		-artifact_prefix="$out/crash-$t-" "$out/corpus/$t" "$out/seeds/$t" \
		>"$out/$t.log" 2>&1; then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$t.log")
		cov=$(grep -o 'cov: [0-9]*' "$out/$t.log" | tail -1)
		echo "fuzz_$t: ok, $execs executions, $cov, ${secs}s"
	else
		echo "fuzz_$t: FAILED; see $out/$t.log and $out/crash-$t-*"
		status=1
	fi
done
exit $status
