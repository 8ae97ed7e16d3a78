#!/bin/sh
# Check libiphlpapi's layouts and constants against the mingw-w64 headers: layout_gen prints
# static assertions of OUR values, clang compiles them for x86_64-w64-windows-gnu against
# mingw-w64's headers. Prints TAP.
# usage: layout.sh LAYOUT_GEN OUR_INCLUDE_DIR
gen=$1
ours=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
target="--target=x86_64-w64-windows-gnu -D_WIN32_WINNT=0x0A00 -fsyntax-only"

if ! command -v clang >/dev/null || ! printf '#include <iphlpapi.h>\n' |
	clang $target -x c - 2>/dev/null; then
	echo "1..0 # SKIP clang or mingw-w64 headers missing (scripts/deps.sh check installs them)"
	[ "${CI:-}" = true ] && exit 1
	# The differences by design (windows.h, inaddr.h, winsock2.h): Windows' values in mingw-w64,
# ours on Linux. Every other value above is the same on both sides.
cat >"$tmp/diff_win.c" <<'C'
#include <winsock2.h>
#include <ws2tcpip.h>
#include <tlhelp32.h>
_Static_assert(sizeof(WCHAR) == 2 && _Alignof(IN6_ADDR) == 2 && AF_INET6 == 23, "");
_Static_assert(sizeof(PROCESSENTRY32W) == 568, "");
C
clang $target "$tmp/diff_win.c" >"$tmp/diff_win.log" 2>&1
report "differences: mingw-w64 has Windows' WCHAR (2 bytes), IN6_ADDR alignment (2), AF_INET6 (23)" $? "$tmp/diff_win.log"
cat >"$tmp/diff_ours.c" <<'C'
#include <wchar.h>
#include <winsock2.h>
#include <tlhelp32.h>
_Static_assert(sizeof(WCHAR) == sizeof(wchar_t) && _Alignof(IN6_ADDR) == 4 && AF_INET6 == 10, "");
_Static_assert(sizeof(IN6_ADDR) == 16 && sizeof(((PROCESSENTRY32W *)0)->szExeFile) == MAX_PATH * sizeof(wchar_t), "");
C
cc -std=c17 -fsyntax-only -I"$ours" "$tmp/diff_ours.c" >"$tmp/diff_ours.log" 2>&1
report "differences: ours are wchar_t, glibc's in6_addr (4-aligned) and Linux's AF_INET6 (10)" $? "$tmp/diff_ours.log"
exit 0
fi

groups=$("$gen" --groups)
n=0
total=$(( $(echo "$groups" | wc -l) * 2 + 4 ))
echo "1..$total"
report() { # name status logfile
	n=$((n + 1))
	if [ "$2" -eq 0 ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; sed 's/^/# /' "$3"; fi
}

for g in $groups; do
	"$gen" "$g" >"$tmp/$g.c"
	clang $target "$tmp/$g.c" >"$tmp/$g.log" 2>&1
	report "$g: our values hold in mingw-w64's headers ($(grep -c _Static_assert "$tmp/$g.c") assertions)" $? "$tmp/$g.log"
	cc -std=c17 -fsyntax-only -I"$ours" "$tmp/$g.c" >"$tmp/$g.native.log" 2>&1
	report "$g: the same assertions hold in our headers on Linux" $? "$tmp/$g.native.log"
done

# The harness itself: a wrong value must be caught.
printf '#include <iphlpapi.h>\n_Static_assert(sizeof(MIB_TCPROW) == 21, "");\n' >"$tmp/wrong.c"
if clang $target "$tmp/wrong.c" >/dev/null 2>&1; then st=1; else st=0; fi
echo "a wrong assertion compiled" >"$tmp/wrong.log"
report "sanity: a wrong size fails to compile against mingw-w64" $st "$tmp/wrong.log"

# The known mingw-w64 bug (spec 2.1): its SIZEOF_TCP6TABLE_OWNER_MODULE counts OWNER_PID rows.
cat >"$tmp/bug.c" <<'C'
#include <iphlpapi.h>
#include <rtinfo.h>
_Static_assert(SIZEOF_TCP6TABLE_OWNER_MODULE(1) == 8 + sizeof(MIB_TCP6ROW_OWNER_PID) + 8, "");
_Static_assert(sizeof(MIB_TCP6ROW_OWNER_MODULE) == 192, "");
C
clang $target "$tmp/bug.c" >"$tmp/bug.log" 2>&1
report "known mingw-w64 bug: SIZEOF_TCP6TABLE_OWNER_MODULE uses the OWNER_PID row (ours does not)" $? "$tmp/bug.log"
# The differences by design (windows.h, inaddr.h, winsock2.h): Windows' values in mingw-w64,
# ours on Linux. Every other value above is the same on both sides.
cat >"$tmp/diff_win.c" <<'C'
#include <winsock2.h>
#include <ws2tcpip.h>
#include <tlhelp32.h>
_Static_assert(sizeof(WCHAR) == 2 && _Alignof(IN6_ADDR) == 2 && AF_INET6 == 23, "");
_Static_assert(sizeof(PROCESSENTRY32W) == 568, "");
C
clang $target "$tmp/diff_win.c" >"$tmp/diff_win.log" 2>&1
report "differences: mingw-w64 has Windows' WCHAR (2 bytes), IN6_ADDR alignment (2), AF_INET6 (23)" $? "$tmp/diff_win.log"
cat >"$tmp/diff_ours.c" <<'C'
#include <wchar.h>
#include <winsock2.h>
#include <tlhelp32.h>
_Static_assert(sizeof(WCHAR) == sizeof(wchar_t) && _Alignof(IN6_ADDR) == 4 && AF_INET6 == 10, "");
_Static_assert(sizeof(IN6_ADDR) == 16 && sizeof(((PROCESSENTRY32W *)0)->szExeFile) == MAX_PATH * sizeof(wchar_t), "");
C
cc -std=c17 -fsyntax-only -I"$ours" "$tmp/diff_ours.c" >"$tmp/diff_ours.log" 2>&1
report "differences: ours are wchar_t, glibc's in6_addr (4-aligned) and Linux's AF_INET6 (10)" $? "$tmp/diff_ours.log"
exit 0
