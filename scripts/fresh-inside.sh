#!/bin/sh
# Second half of scripts/fresh-check.sh, run in its private mount namespace: mount what the
# tests need inside the fresh root (see fresh-check.sh for the list and why), then run the
# newcomer's two commands in a clean clone, in order, as root with CI=true.
# Environment: TCPT_ROOT (the root), TCPT_ARCHIVES (a .deb cache to bind, or empty).
set -eu
root=$TCPT_ROOT
die() { echo "fresh-check: $*" >&2; exit 1; }

mount --make-rprivate /
mount --bind "$root" "$root"
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --make-rslave "$root/sys"
mount --rbind /dev "$root/dev"
mount --make-rslave "$root/dev"
mount -t tmpfs -o mode=755 tmpfs "$root/run"
mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
if [ -n "${TCPT_ARCHIVES:-}" ]; then
	mount --bind "$TCPT_ARCHIVES" "$root/var/cache/apt/archives"
fi
if [ "$(stat -f -c %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ] ||
	[ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then
	echo "fresh-check: the host's cgroup2 hierarchy (/sys/fs/cgroup or its unified/) is in the root too"
else
	echo "fresh-check: the host has no cgroup2 hierarchy; the root has none either"
fi

# The newcomer's session: a login-like environment, nothing of the host's.
in_root() {
	chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 CI=true \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		/bin/sh -c "cd /src/tcptable && $1"
}

# A listener of our own (the root shares the host's network), so that the table has a row
# the check knows, whatever else the machine runs.
port_file="$root/tmp/listener.port"
python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen()
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
time.sleep(3600)' "$port_file" &
listener=$!
trap 'kill $listener 2>/dev/null' EXIT
tries=0
while [ ! -s "$port_file" ]; do
	tries=$((tries + 1))
	[ $tries -le 100 ] || die "the check's own listener did not start"
	sleep 0.1
done
port=$(cat "$port_file")

echo "fresh-check: \$ make run"
out="$root/tmp/make-run.out"
if ! in_root 'make run' >"$out" 2>&1; then
	cat "$out" >&2
	die "'make run' failed on a fresh root (output above)"
fi
cat "$out"
grep -q '^Proto ' "$out" || die "'make run' exited 0 but printed no table header"
grep -q "127\.0\.0\.1:$port .*LISTEN" "$out" ||
	die "'make run' did not list the check's own listener 127.0.0.1:$port"

echo "fresh-check: \$ make check"
in_root 'make check' || die "'make check' failed on a fresh root (output above)"

# The packages of the same clone, installed into the same fresh root with apt.
echo "fresh-check: \$ make deb, then apt install ./*.deb in the root"
in_root 'make deb' >"$root/tmp/make-deb.out" 2>&1 || {
	tail -n 30 "$root/tmp/make-deb.out" >&2
	die "'make deb' failed on a fresh root (output above)"
}
sh "$root/src/tcptable/scripts/deb-check.sh" "$root" "$root/src/tcptable/build-deb" ||
	die "the packages do not install or work on a fresh root (above)"
