#!/bin/sh
# Build the examples as a user would: install the build into a temporary root, then compile
# each example with nothing but `cc $(pkg-config --cflags --libs iphlpapi)`; run them in a
# private network namespace with known sockets and compare their output, line for line, with
# what the native API says (expect). Prints TAP.
# usage: run_examples.sh BUILD_DIR SOURCE_DIR EXPECT SANITIZE(none|address,undefined|...)
build=$1 src=$2 expect=$3 sanitize=$4
examples="gettcptable gettcptable2 owner_module"
udp_examples="getudptable getextendedudptable"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "1..$((1 + 2 * 5))"

if [ "$(id -u)" -ne 0 ] || ! unshare -n true 2>/dev/null; then
	echo "# no private network namespace (root needed)"
	[ "${CI:-}" = true ] && { echo "not ok 1 - install"; exit 1; }
	for i in 1 2 3 4 5 6 7 8 9 10 11; do echo "ok $i # SKIP root needed"; done
	exit 0
fi

if meson install -C "$build" --no-rebuild --quiet --destdir "$tmp/root" >"$tmp/install.log" 2>&1 &&
	pc=$(find "$tmp/root" -name iphlpapi.pc | head -n 1) && [ -n "$pc" ]; then
	echo "ok 1 - meson install --destdir puts iphlpapi.pc and the headers in place"
else
	echo "not ok 1 - meson install --destdir"; sed 's/^/# /' "$tmp/install.log"; exit 1
fi
export PKG_CONFIG_PATH="$(dirname "$pc")" PKG_CONFIG_SYSROOT_DIR="$tmp/root"
libdir=$(dirname "$(find "$tmp/root" -name 'libiphlpapi.so' | head -n 1)")
san=""
[ "$sanitize" != none ] && san="-fsanitize=$sanitize"

n=1
for ex in $examples $udp_examples; do
	n=$((n + 1))
	# shellcheck disable=SC2046
	# env -u: meson test points LD_LIBRARY_PATH at the build tree, which would hide a
	# pkg-config file that leaves the linker unable to find libtcptable
	if env -u LD_LIBRARY_PATH cc -std=c17 -Wall -Wextra -Werror $san -o "$tmp/$ex" "$src/examples/$ex.c" \
		$(pkg-config --cflags --libs iphlpapi) >"$tmp/$ex.cc.log" 2>&1; then
		echo "ok $n - $ex compiles through pkg-config --cflags --libs iphlpapi"
	else
		echo "not ok $n - $ex compiles"; sed 's/^/# /' "$tmp/$ex.cc.log"
	fi
done

cat >"$tmp/run.sh" <<SH
ip link set lo up
"$expect" fixture "$tmp/ready" &
fixture=\$!
i=0; while [ ! -e "$tmp/ready" ] && [ \$i -lt 100 ]; do sleep 0.05; i=\$((i + 1)); done
for ex in $examples; do
	LD_LIBRARY_PATH="$libdir" "$tmp/\$ex" >"$tmp/\$ex.out" 2>&1
	"$expect" \$ex >"$tmp/\$ex.want" 2>&1
done
# the UDP examples against ss, the independent oracle, taken right before
ss -uanp >"$tmp/ss-uanp.txt" 2>&1
for ex in $udp_examples; do
	LD_LIBRARY_PATH="$libdir" "$tmp/\$ex" >"$tmp/\$ex.out" 2>&1
done
kill \$fixture
SH
unshare -n sh "$tmp/run.sh"

for ex in $examples; do
	n=$((n + 1))
	rows=$(grep -c '^TCP\[' "$tmp/$ex.want")
	if [ -s "$tmp/$ex.out" ] && [ "$rows" -eq 5 ] && diff "$tmp/$ex.want" "$tmp/$ex.out" >"$tmp/$ex.diff"; then
		echo "ok $n - $ex prints exactly the native API's $rows rows"
	else
		echo "not ok $n - $ex output differs from the native API (want - / got +, $rows rows)"
		sed 's/^/# /' "$tmp/$ex.diff" "$tmp/$ex.out"
	fi
done
for ex in $udp_examples; do
	n=$((n + 1))
	pid=""
	[ "$ex" = getextendedudptable ] && pid=--pid
	if python3 "$src/examples/udp_expect.py" "$tmp/ss-uanp.txt" "$tmp/$ex.out" $pid \
		>"$tmp/$ex.cmp" 2>&1 && [ "$(grep -c . "$tmp/ss-uanp.txt")" -eq 8 ]; then
		echo "ok $n - $ex prints exactly the rows of ss -uanp$( [ -n "$pid" ] && echo ', owners too') ($(cat "$tmp/$ex.cmp" | tr -d '#'))"
	else
		echo "not ok $n - $ex differs from ss -uanp"
		sed 's/^/# /' "$tmp/$ex.cmp" "$tmp/ss-uanp.txt" "$tmp/$ex.out"
	fi
done
exit 0
