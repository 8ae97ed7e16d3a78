#!/bin/sh
# ThreadSanitizer: build libtcptable, libiphlpapi and threads.c with clang -fsanitize=thread
# into $TCPT_BUILD_ROOT/tests/reliability/tsan (never mixed with the ASan build), run it in a
# private network namespace; any race halts it. Prints TAP.
set -u
src=${TCPT_SOURCE_ROOT:?}
out=${TCPT_BUILD_ROOT:?}/tests/reliability/tsan
cc=${CLANG:-clang}
echo "1..2"
skip_all() {
	echo "# $1"
	if [ "${CI:-}" = true ]; then echo "not ok 1 - $1"; exit 1; fi
	echo "ok 1 # SKIP $1"; echo "ok 2 # SKIP $1"; exit 0
}
command -v "$cc" >/dev/null 2>&1 || skip_all "no clang: ThreadSanitizer not tested"
echo 'int main(void){return 0;}' >"${TMPDIR:-/tmp}/tsan-probe.$$.c"
if ! "$cc" -fsanitize=thread "${TMPDIR:-/tmp}/tsan-probe.$$.c" -o "${TMPDIR:-/tmp}/tsan-probe.$$" \
	>/dev/null 2>&1; then
	rm -f "${TMPDIR:-/tmp}/tsan-probe.$$"*
	skip_all "$cc lacks -fsanitize=thread: ThreadSanitizer not tested"
fi
rm -f "${TMPDIR:-/tmp}/tsan-probe.$$"*
[ "$(id -u)" -eq 0 ] || skip_all "not root: no private network namespace"

mkdir -p "$out"
flags="-fsanitize=thread -g -O1 -std=c17 -D_GNU_SOURCE -I$src/include -I$src/src/lib"
flags="$flags -I$src/src/common"
# the BPF loader includes the skeletons Meson generated
flags="$flags -I$src/src/lib/bpf -I$TCPT_BUILD_ROOT/src/lib/bpf"
objs=""
build() { # SOURCE EXTRA_FLAGS...
	f=$1; shift
	o="$out/$(basename "$(dirname "$f")")-$(basename "$f" .c).o"
	# shellcheck disable=SC2086
	"$cc" $flags "$@" $(pkg-config --cflags libmnl) -c "$f" -o "$o" >>"$out/build.log" 2>&1 ||
		return 1
	objs="$objs $o"
}
: >"$out/build.log"
ok=true
for f in "$src"/src/lib/*.c "$src"/src/lib/bpf/*.c; do
	case $f in *.bpf.c) continue ;; esac
	build "$f" -DTCPT_BUILDING_LIBRARY || ok=false
done
for f in "$src"/src/win32/*.c; do
	[ "${f##*/}" = municode.c ] && continue # a main(), for wmain programs only
	build "$f" -DIPHLPAPI_BUILDING_LIBRARY -I"$src/include/win32" -I"$src/src/win32" || ok=false
done
build "$src/tests/reliability/threads.c" -I"$src/include/win32" -I"$src/tests/reliability" || ok=false
build "$src/tests/reliability/rel.c" -I"$src/tests/common" || ok=false
build "$src/tests/common/netns.c" || ok=false
# shellcheck disable=SC2086
$ok && "$cc" -fsanitize=thread $objs $(pkg-config --libs libmnl libbpf) -lpthread -o "$out/threads" \
	>>"$out/build.log" 2>&1 || ok=false
if $ok; then
	echo "ok 1 - libtcptable, libiphlpapi and the test build with clang -fsanitize=thread"
else
	echo "not ok 1 - ThreadSanitizer build"; sed 's/^/# /' "$out/build.log"; exit 0
fi

# Older TSan runtimes cannot map their shadow under high ASLR entropy: run without ASLR.
run="$out/threads"
command -v setarch >/dev/null 2>&1 && run="setarch $(uname -m) -R $out/threads"
TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1" $run >"$out/run.log" 2>&1
status=$?
grep '^#' "$out/run.log"
if [ $status -eq 0 ] && grep -q '^ok 1' "$out/run.log" && ! grep -q 'WARNING: ThreadSanitizer' "$out/run.log"; then
	echo "ok 2 - 8 threads: snapshots with owners, GetTcpTable2, GetExtendedTcpTable; no race"
elif grep -q '^ok 1 # SKIP' "$out/run.log"; then
	echo "ok 2 # SKIP $(sed -n 's/^ok 1 # SKIP //p' "$out/run.log")"
else
	echo "not ok 2 - ThreadSanitizer run (status $status)"; sed 's/^/# /' "$out/run.log" | head -n 80
fi
