#!/bin/sh
# The fuzzing part of `make check`, as TAP: build every target with clang (build.sh) under
# $TCPT_BUILD_ROOT/tests/fuzz/out, replay every committed crasher in regressions/TARGET/,
# then fuzz each target briefly (FUZZ_CHECK_SECONDS, default 15) from the fixture seeds and
# the corpus kept from earlier runs. `make fuzz` runs the long version (run.sh).
set -u
src=${TCPT_SOURCE_ROOT:?}
out=${TCPT_BUILD_ROOT:?}/tests/fuzz/out
secs=${FUZZ_CHECK_SECONDS:-15}
here=$src/tests/fuzz
targets=$(cd "$here" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')
count=$(echo "$targets" | wc -w)
echo "1..$((1 + 2 * count))"

if ! command -v "${CLANG:-clang}" >/dev/null 2>&1; then
	echo "# clang not found: libFuzzer targets need clang (apt-get install clang)"
	[ "${CI:-}" = true ] && { echo "not ok 1 - clang available"; exit 1; }
	i=1; while [ $i -le $((1 + 2 * count)) ]; do echo "ok $i # SKIP no clang"; i=$((i + 1)); done
	exit 0
fi
mkdir -p "$out"
if sh "$here/build.sh" "$out" >"$out/build.log" 2>&1; then
	echo "ok 1 - every target builds with clang -fsanitize=fuzzer,address,undefined"
else
	echo "not ok 1 - build"; sed 's/^/# /' "$out/build.log"; exit 1
fi

n=1 total=0
for t in $targets; do
	bin=$out/fuzz_$t reg=$here/regressions/$t
	n=$((n + 1))
	if [ -d "$reg" ] && [ -n "$(ls -A "$reg")" ]; then
		k=$(ls "$reg" | wc -l)
		if "$bin" -runs=0 "$reg"/* >"$out/$t-regressions.log" 2>&1; then
			echo "ok $n - fuzz_$t replays its $k committed crashers cleanly"
		else
			echo "not ok $n - fuzz_$t fails on a committed crasher"
			tail -n 30 "$out/$t-regressions.log" | sed 's/^/# /'
		fi
	else
		echo "ok $n - fuzz_$t has no committed crasher"
	fi
	n=$((n + 1))
	mkdir -p "$out/corpus/$t" "$out/seeds/$t"
	if "$bin" -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$out/crash-$t-" \
		"$out/corpus/$t" "$out/seeds/$t" >"$out/$t.log" 2>&1; then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$t.log")
		cov=$(grep -o 'cov: [0-9]*' "$out/$t.log" | tail -n 1)
		total=$((total + ${execs:-0}))
		echo "ok $n - fuzz_$t survives ${secs}s: $execs executions, $cov"
	else
		echo "not ok $n - fuzz_$t crashed; the input is in $out/crash-$t-*:" \
			"commit it to tests/fuzz/regressions/$t/ with the fix"
		grep -A 25 -m 1 'ERROR\|==ERROR\|deadly signal' "$out/$t.log" | sed 's/^/# /'
	fi
done
echo "# $total executions in all"
