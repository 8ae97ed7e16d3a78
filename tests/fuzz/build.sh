#!/bin/sh
# Build the libFuzzer targets with clang, whatever compiler the Meson build uses, and their
# seed corpora from tests/fixtures/.
# Usage: tests/fuzz/build.sh OUT_DIR        (CLANG=clang-15 to pick a clang)
set -eu
out=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
cc=${CLANG:-clang}
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
cflags="-g -O1 -std=c17 -D_GNU_SOURCE -DTCPT_BUILDING_LIBRARY -I$src/include -I$src/src/lib"
cflags="$cflags -I$src/src/cli -I$src/src/common"
pc_cflags="$(pkg-config --cflags libmnl libbpf) -I$src/src/lib/bpf -I$out/obj"
curses=ncursesw
pkg-config --exists ncursesw || curses=ncurses
pc_libs="$(pkg-config --libs libmnl libbpf) $(pkg-config --libs $curses) -lpthread"

mkdir -p "$out/obj"
# The BPF programs' skeletons, as src/lib/bpf/meson.build makes them.
for f in "$src"/src/lib/bpf/*.bpf.c; do
	p=$(basename "$f" .bpf.c)
	$cc -g -O2 -target bpf -I"$src/src/lib/bpf" -c "$f" -o "$out/obj/$p.bpf.o"
	"${BPFTOOL:-/usr/sbin/bpftool}" gen skeleton "$out/obj/$p.bpf.o" name "tcpt_${p}_bpf" >"$out/obj/$p.skel.h"
done
objs=""
# The library and the command's pieces (all but main.c): the escapers and parsers live there.
for f in "$src"/src/lib/*.c "$src"/src/lib/bpf/*.c "$src"/src/cli/*.c; do
	case $f in */main.c | *.bpf.c) continue ;; esac
	o="$out/obj/$(basename "$(dirname "$f")")-$(basename "$f" .c).o"
	$cc $cflags $pc_cflags $san -fsanitize=fuzzer-no-link -c "$f" -o "$o"
	objs="$objs $o"
done
for f in "$src"/tests/fuzz/fuzz_*.c; do
	t=$(basename "$f" .c)
	$cc $cflags $pc_cflags $san -fsanitize=fuzzer "$f" $objs $pc_libs -o "$out/$t"
done
python3 "$src/tests/fuzz/seeds.py" "$src/tests/fixtures" "$out/seeds"
echo "fuzz targets in $out: $(cd "$out" && ls fuzz_* | tr '\n' ' ')"
