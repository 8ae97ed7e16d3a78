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
mnl_cflags=$(pkg-config --cflags libmnl)
mnl_libs=$(pkg-config --libs libmnl)

mkdir -p "$out/obj"
objs=""
for f in "$src"/src/lib/*.c; do
	o="$out/obj/$(basename "$f" .c).o"
	$cc $cflags $mnl_cflags $san -fsanitize=fuzzer-no-link -c "$f" -o "$o"
	objs="$objs $o"
done
for t in diag_decode diag_collect procnet; do
	$cc $cflags $mnl_cflags $san -fsanitize=fuzzer "$src/tests/fuzz/fuzz_$t.c" $objs \
		$mnl_libs -o "$out/fuzz_$t"
done
python3 "$src/tests/fuzz/seeds.py" "$src/tests/fixtures" "$out/seeds"
echo "fuzz targets in $out: $(cd "$out" && ls fuzz_*)"
