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
cflags="$cflags -I$src/src/cli"
pc_cflags=$(pkg-config --cflags libmnl)
curses=ncursesw
pkg-config --exists ncursesw || curses=ncurses
pc_libs="$(pkg-config --libs libmnl) $(pkg-config --libs $curses) -lpthread"

mkdir -p "$out/obj"
objs=""
# The library and the command's pieces (all but main.c): the escapers and parsers live there.
for f in "$src"/src/lib/*.c "$src"/src/cli/*.c; do
	[ "$(basename "$f")" = main.c ] && continue
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
