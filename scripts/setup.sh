#!/bin/sh
# Configure a Meson build directory, or reconfigure it when options changed. Quiet when it
# works; when it fails, meson's own output (its ERROR: line and what led to it) is shown.
# Usage: scripts/setup.sh DIR [meson options...]
set -eu
dir=$1
shift
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if [ -f "$dir/build.ninja" ]; then
	set -- configure "$dir" "$@"
else
	set -- setup "$dir" "$@"
fi
if ! meson "$@" >"$log" 2>&1; then
	cat "$log" >&2
	echo "setup.sh: 'meson $*' failed; the cause is above" >&2
	exit 1
fi
