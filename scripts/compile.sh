#!/bin/sh
# Compile a configured build directory quietly; on failure show the compiler's output.
# Usage: scripts/compile.sh DIR
set -eu
dir=$1
log="$dir/compile.log"
if ! meson compile -C "$dir" >"$log" 2>&1; then
	cat "$log" >&2
	echo "compile.sh: building $dir failed; the cause is above (also in $log)" >&2
	exit 1
fi
