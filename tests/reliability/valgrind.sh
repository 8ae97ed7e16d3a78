#!/bin/sh
# valgrind memcheck, 0 errors and 0 leaks (definite, indirect), over the tcptable command
# (plain, -p -e, --json -i, -s, -p --source=bpf: BPF owners) and the examples built as a user
# builds them (installed headers, pkg-config), in a private network namespace holding the
# examples' fixture sockets. libbpf.supp: valgrind's false positives on bpf() attributes.
# Prints TAP. Normal build only: valgrind cannot run ASan binaries.
set -u
build=${TCPT_BUILD_ROOT:?}
src=${TCPT_SOURCE_ROOT:?}
examples="gettcptable gettcptable2 owner_module"
runs="plain|-p -e|--json -i|-s|-p --source=bpf"
total=$((5 + 1 + 3 + 3))
echo "1..$total"
skip_all() {
	echo "# $1"
	[ "${CI:-}" = true ] && { echo "not ok 1 - $1"; exit 1; }
	i=1; while [ $i -le $total ]; do echo "ok $i # SKIP $1"; i=$((i + 1)); done; exit 0
}
command -v valgrind >/dev/null 2>&1 || skip_all "valgrind not installed (apt-get install valgrind)"
{ [ "$(id -u)" -eq 0 ] && unshare -n true 2>/dev/null; } || skip_all "root needed for a private network namespace"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The examples, as run_examples.sh builds them.
meson install -C "$build" --no-rebuild --quiet --destdir "$tmp/root" >"$tmp/install.log" 2>&1
pc=$(find "$tmp/root" -name iphlpapi.pc | head -n 1)
export PKG_CONFIG_PATH="$(dirname "${pc:-/nonexistent}")" PKG_CONFIG_SYSROOT_DIR="$tmp/root"
libdir=$(dirname "$(find "$tmp/root" -name 'libiphlpapi.so' | head -n 1)")

vg="valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect"
vg="$vg --show-leak-kinds=definite,indirect --track-fds=no --quiet"
vg="$vg --suppressions=$src/tests/reliability/libbpf.supp"
cat >"$tmp/run.sh" <<SH
ip link set lo up
"$build/examples/expect" fixture "$tmp/ready" &
fixture=\$!
i=0; while [ ! -e "$tmp/ready" ] && [ \$i -lt 100 ]; do sleep 0.05; i=\$((i + 1)); done
n=0
echo "$runs" | tr '|' '\n' | while read -r args; do
	n=\$((n + 1))
	[ "\$args" = plain ] && args=""
	# shellcheck disable=SC2086
	$vg "$build/src/cli/tcptable" \$args >"$tmp/cli-\$n.out" 2>"$tmp/cli-\$n.vg"
	echo \$? >"$tmp/cli-\$n.status"
	# valgrind's notes on bpf() commands it does not model (link and iterator creation)
	sed -i '/WARNING: unhandled eBPF command/d' "$tmp/cli-\$n.vg"
	# tcptable's own notes (processes it could not inspect) are not valgrind's
	sed -i '/^tcptable: /d' "$tmp/cli-\$n.vg"
done
for ex in $examples; do
	[ -x "$tmp/\$ex" ] || continue
	LD_LIBRARY_PATH="$libdir" $vg "$tmp/\$ex" >"$tmp/\$ex.out" 2>"$tmp/\$ex.vg"
	echo \$? >"$tmp/\$ex.status"
	sed -i '/WARNING: unhandled eBPF command/d' "$tmp/\$ex.vg"
done
kill \$fixture
SH

n=0
for ex in $examples; do
	n=$((n + 1))
	# shellcheck disable=SC2046
	if [ -n "$pc" ] && cc -std=c17 -g -O1 -Wall -Wextra -Werror -o "$tmp/$ex" "$src/examples/$ex.c" \
		$(pkg-config --cflags --libs iphlpapi) >"$tmp/$ex.cc.log" 2>&1; then
		echo "ok $n - $ex builds through pkg-config (installed into a temporary root)"
	else
		echo "not ok $n - $ex builds"; sed 's/^/# /' "$tmp/install.log" "$tmp/$ex.cc.log"
	fi
done
[ -x "$build/examples/expect" ] || echo "# no $build/examples/expect: no fixture sockets"
unshare -n sh "$tmp/run.sh"

n=$((n + 1))
[ -x "$build/examples/expect" ] && echo "ok $n - fixture sockets in the namespace" ||
	echo "ok $n - the namespace's own sockets only # fixture program not built"
verdict() { # NAME STATUS_FILE VG_FILE
	n=$((n + 1))
	st=$(cat "$2" 2>/dev/null || echo missing)
	if [ "$st" = 0 ] && [ ! -s "$3" ]; then
		echo "ok $n - valgrind memcheck: $1: 0 errors, 0 leaks"
	else
		echo "not ok $n - valgrind memcheck: $1 (exit status $st; 99 is valgrind's)"
		sed 's/^/# /' "$3" 2>/dev/null | head -n 60
	fi
}
i=0
echo "$runs" | tr '|' '\n' >"$tmp/runs"
while read -r args; do
	i=$((i + 1))
	verdict "tcptable $args" "$tmp/cli-$i.status" "$tmp/cli-$i.vg"
done <"$tmp/runs"
for ex in $examples; do verdict "example $ex" "$tmp/$ex.status" "$tmp/$ex.vg"; done
