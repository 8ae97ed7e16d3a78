#!/bin/sh
# Configure a Meson build directory, or reconfigure it when options changed.
# Usage: scripts/setup.sh DIR [meson options...]
set -eu
dir=$1
shift
if [ -f "$dir/build.ninja" ]; then
	meson configure "$dir" "$@" >/dev/null
else
	meson setup "$dir" "$@" >/dev/null
fi
