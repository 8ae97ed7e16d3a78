#!/bin/sh
# `make bench`: the benchmark of issue 4 at the given sizes. Needs root.
# Usage: sh bench/run.sh BUILD_DIR [N...]   (N defaults to 1000 10000 100000)
# UDP=N (default 100000; 0: none) also compares tcptable -uan with ss -uan at N UDP sockets.
set -eu
build=${1:?usage: bench/run.sh BUILD_DIR [N...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" -ne 0 ]; then
	echo "bench: needs root (it makes a private network namespace)" >&2
	exit 1
fi
# `make bench` has built everything; this also serves a direct call after an edit.
meson compile -C "$build" >/dev/null || meson compile -C "$build"
python3 "$here/run.py" --build "$build" --udp "${UDP:-100000}" "$@"
# issue 15: the Python package against psutil, at the largest N, when the build has it
if [ -f "$build/python/interpreter.txt" ]; then
	largest=$(for n in "$@"; do echo "$n"; done | grep -E '^[0-9]+$' | sort -n | tail -1)
	python3 "$here/python_bench.py" --build "$build" "${largest:-100000}"
fi
