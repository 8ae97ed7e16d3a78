#!/bin/sh
# Build the normal and the ASan+UBSan variants, run every test in both, and end with the
# line "N passed, N failed, N skipped" counted over test cases.
# Usage: scripts/check.sh BUILD_DIR ASAN_BUILD_DIR
set -u
build=$1
asan=$2
here=$(cd "$(dirname "$0")" && pwd)

sh "$here/setup.sh" "$build" -Dtests=true || exit 1
sh "$here/setup.sh" "$asan" -Dtests=true -Db_sanitize=address,undefined -Db_lundef=false \
	-Dbuildtype=debug || exit 1

status=0
for dir in "$build" "$asan"; do
	echo "== $dir: build"
	sh "$here/compile.sh" "$dir" || exit 1
	echo "== $dir: tests"
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		meson test -C "$dir" --print-errorlogs --num-processes 2 || status=1
done
python3 "$here/test_summary.py" "$build/meson-logs/testlog.json" \
	"$asan/meson-logs/testlog.json" || status=1
exit $status
