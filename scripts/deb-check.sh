#!/bin/sh
# The packages on a fresh Debian: copy the .debs of `make deb` into ROOT (a Debian root, such
# as the fresh-machine check's debootstrap, with /proc, /sys and /dev mounted by the caller
# and a working apt source), install them there with `apt install ./*.deb`, then check, in a
# private network namespace inside ROOT:
#   - tcptable runs and lists the exporter's listening socket;
#   - examples compile through pkg-config alone: examples/gettcptable.c against iphlpapi
#     (libiphlpapi-dev) and a native program against tcptable (libtcptable-dev), and run;
#   - tcptable-exporter answers /metrics with its own listener in tcptable_listeners;
#   - the unit and the defaults file are in place.
# gcc, libc6-dev, pkg-config and iproute2 are installed in ROOT for the checks themselves.
# ROOT should not have the packages yet: apt does not reinstall a package of the same version.
# Exits non-zero with one "deb-check: ..." line naming the first thing that failed.
# Usage: scripts/deb-check.sh ROOT [DEB_DIR (default build-deb)]
set -u
root=${1:?usage: scripts/deb-check.sh ROOT [DEB_DIR]}
here=$(cd "$(dirname "$0")/.." && pwd)
debs=${2:-$here/build-deb}
work=/tmp/tcpt-deb-check
port=10120

fail() {
	echo "deb-check: $*" >&2
	exit 1
}

[ "$(id -u)" -eq 0 ] || fail "needs root (chroot)"
[ -x "$root/usr/bin/apt" ] || fail "$root is not a Debian root (no /usr/bin/apt)"
[ -e "$root/proc/self/stat" ] || fail "$root/proc is not mounted (mount -t proc proc $root/proc)"
[ -e "$root/dev/null" ] || fail "$root/dev is not mounted"
set -- "$debs"/*.deb
[ -e "$1" ] || fail "no .deb in $debs (run make deb first)"

in_root() {
	chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C \
		DEBIAN_FRONTEND=noninteractive "$@"
}

rm -rf "$root$work"
mkdir -p "$root$work/debs" || fail "cannot write to $root$work"
cp "$@" "$root$work/debs/" || fail "cannot copy the packages into $root"
cp "$here/examples/gettcptable.c" "$root$work/" || fail "no examples/gettcptable.c"
log=$root$work/apt.log

in_root apt-get update >"$log" 2>&1 || { tail -5 "$log"; fail "apt-get update failed in $root"; }
in_root sh -c "cd $work/debs && apt install -y ./*.deb" >>"$log" 2>&1 ||
	{ tail -15 "$log"; fail "apt install ./*.deb failed in $root"; }
echo "deb-check: apt install ./*.deb: $(ls "$root$work/debs" | wc -l) packages installed"
in_root apt-get install -y --no-install-recommends gcc libc6-dev pkg-config iproute2 python3 \
	>>"$log" 2>&1 || { tail -5 "$log"; fail "cannot install the checks' tools in $root"; }

[ -f "$root/lib/systemd/system/tcptable-exporter.service" ] ||
	[ -f "$root/usr/lib/systemd/system/tcptable-exporter.service" ] ||
	fail "tcptable-exporter.service is not installed"
[ -f "$root/etc/default/tcptable-exporter" ] || fail "/etc/default/tcptable-exporter is missing"

cat >"$root$work/native.c" <<'C'
#include <stdio.h>
#include <tcptable.h>

int main(void)
{
	struct tcpt_query q = { .states = TCPT_STATE_BIT(TCPT_LISTEN) };
	struct tcpt_snapshot *s;
	int r = tcpt_snapshot_take(&q, &s);
	if (r < 0) {
		fprintf(stderr, "tcpt_snapshot_take: %s\n", tcpt_strerror(r));
		return 1;
	}
	const struct tcpt_conn *rows = tcpt_snapshot_rows(s);
	for (size_t i = 0; i < tcpt_snapshot_count(s); i++)
		printf("listen %u\n", rows[i].local_port);
	tcpt_snapshot_free(s);
	return 0;
}
C

# Everything else inside ROOT, in a network namespace of its own (only its loopback).
cat >"$root$work/inside.sh" <<SH
set -u
cd $work
fail() { echo "deb-check: \$*" >&2; [ -n "\${pid:-}" ] && kill "\$pid"; exit 1; }
ip link set lo up || fail "ip link set lo up failed in the private namespace"
tcptable-exporter --web.listen-address=127.0.0.1:$port 2>exporter.log &
pid=\$!
i=0
until tcptable -l -n --sport $port | grep -q "127.0.0.1:$port"; do
	i=\$((i + 1))
	[ \$i -gt 100 ] && fail "tcptable does not list the exporter's listener (\$(cat exporter.log))"
	sleep 0.1
done
tcptable >tcptable.out 2>&1 || fail "tcptable failed: \$(cat tcptable.out)"
cc -o gettcptable gettcptable.c \$(pkg-config --cflags --libs iphlpapi) 2>cc.log ||
	fail "examples/gettcptable.c does not compile through pkg-config iphlpapi: \$(cat cc.log)"
./gettcptable >gettcptable.out 2>&1 || fail "gettcptable failed: \$(cat gettcptable.out)"
grep -q "$port" gettcptable.out || fail "gettcptable does not show port $port: \$(cat gettcptable.out)"
cc -o native native.c \$(pkg-config --cflags --libs tcptable) 2>cc.log ||
	fail "a native program does not compile through pkg-config tcptable: \$(cat cc.log)"
./native | grep -qx "listen $port" || fail "the native program does not see port $port"
python3 -c "import tcptable, sys; sys.exit(0 if any(c.laddr and c.laddr.port == $port for c in tcptable.net_connections('tcp')) else 1)" \
	2>py.log || fail "python3-tcptable does not list port $port: \$(cat py.log)"
exec 3<>/dev/tcp/127.0.0.1/$port || fail "cannot connect to the exporter"
printf 'GET /metrics HTTP/1.0\r\n\r\n' >&3
cat <&3 >metrics.out
exec 3<&-
head -n 1 metrics.out | grep -q "^HTTP/1.[01] 200" || fail "/metrics: \$(head -n 1 metrics.out)"
grep -q '^tcptable_listeners{protocol="tcp",family="ipv4",address="127.0.0.1",port="$port",process="tcptable-export"} 1' metrics.out ||
	fail "/metrics does not list the exporter's own listener"
kill "\$pid"
wait "\$pid"
echo "deb-check: tcptable runs, examples compile through pkg-config, the exporter answers /metrics, python3-tcptable lists it"
SH
in_root unshare -n bash "$work/inside.sh" || exit 1
rm -rf "$root$work"
echo "deb-check: all good"
