#!/bin/sh
# The newcomer's check: on a freshly bootstrapped Debian bookworm root that holds only gcc,
# make and git, a clean clone of the commit under test must give a working `make run` (exit 0,
# the table printed) and then a green `make check` -- the two commands README.md promises --
# and then its packages (`make deb`) must install there with apt and work
# (scripts/deb-check.sh).
# Every package beyond gcc, make and git must come from the project's own files
# (scripts/deps.sh, run by those targets as root).
#
# Usage: scripts/fresh-check.sh [--no-cache]
#   TCPT_FRESH_CACHE  where the base root and the downloaded .debs are kept between runs
#                     (default /var/cache/tcptable-fresh); --no-cache builds everything anew
#                     and keeps nothing, proving the check works without the cache.
#   TCPT_FRESH_KEEP=1 leave the root in place afterwards (its path is printed).
#
# Needs root (debootstrap, mounts, chroot). The Debian mirror is the one this machine's apt
# is configured with, read from its sources: no host name is written here.
#
# What is mounted inside the root, all in a private mount namespace so that nothing leaks to
# the host and everything goes away with the check:
#   - the root itself, bind-mounted onto itself: `/` must be a mount point, or `ip netns add`
#     (which bind-mounts under /run/netns) and the tests' mount-namespace tricks fail (EINVAL);
#   - /proc (a new instance), /sys (read-only bind), /dev and /dev/pts (bind), /run and /tmp
#     (new tmpfs, as a booted system has);
#   - /sys/fs/cgroup: the host's cgroup2 hierarchy where it has one (tests of the cgroup column);
#   - /etc/resolv.conf copied from the host so apt reaches the mirror.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
cache=${TCPT_FRESH_CACHE:-/var/cache/tcptable-fresh}
use_cache=true
case "${1:-}" in
"") ;;
--no-cache) use_cache=false ;;
*) echo "fresh-check: unknown argument '$1' (only --no-cache)" >&2; exit 2 ;;
esac

say() { echo "fresh-check: $*"; }
die() { echo "fresh-check: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, mount, chroot); run it as root"

# The host side needs debootstrap; it is not one of the project's build dependencies.
if ! command -v debootstrap >/dev/null 2>&1; then
	say "installing debootstrap on the host"
	DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			debootstrap >/dev/null || die "cannot install debootstrap with apt-get"
fi

mirror=$(python3 "$here/apt_mirror.py" bookworm) ||
	die "no Debian bookworm mirror in this machine's apt sources (/etc/apt/sources.list*)"
security=$(python3 "$here/apt_mirror.py" bookworm-security 2>/dev/null || true)

commit=$(git -C "$repo" rev-parse HEAD) || die "$repo is not a git checkout"
if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]; then
	say "note: uncommitted changes in $repo are not part of the check (it clones $commit)"
fi

work=$(mktemp -d /var/tmp/tcptable-fresh.XXXXXX)
root="$work/root"
cleanup() {
	status=$?
	if [ "${TCPT_FRESH_KEEP:-0}" = 1 ]; then
		say "root kept at $root"
	else
		# The mounts lived in the check's private mount namespace: none is left here, so
		# this removes only the root's own files (--one-file-system guards it anyway).
		rm -rf --one-file-system "$work"
	fi
	exit $status
}
trap cleanup EXIT INT TERM

base_key=$(printf '%s\n' "$mirror" | cksum | cut -d' ' -f1)
base_tar="$cache/base-bookworm-$base_key.tar"

make_base() {
	say "debootstrap --variant=minbase bookworm from the configured mirror"
	log="$work/debootstrap.log"
	if ! debootstrap --variant=minbase bookworm "$root" "$mirror" >"$log" 2>&1; then
		tail -n 20 "$log" >&2
		die "debootstrap failed (above; whole log in $log)"
	fi
	cp /etc/resolv.conf "$root/etc/resolv.conf"
	{
		echo "deb $mirror bookworm main"
		echo "deb $mirror bookworm-updates main"
		[ -z "$security" ] || echo "deb $security bookworm-security main"
	} >"$root/etc/apt/sources.list"
	say "installing gcc (with libc6-dev), make and git in the root, nothing else"
	if ! chroot "$root" /bin/sh -c 'export DEBIAN_FRONTEND=noninteractive;
		apt-get update -qq && apt-get install -y -qq --no-install-recommends \
			gcc libc6-dev make git' >"$log" 2>&1; then
		tail -n 20 "$log" >&2
		die "installing gcc, make, git in the root failed (above)"
	fi
	chroot "$root" apt-get clean
}

if $use_cache && [ -f "$base_tar" ]; then
	say "base root from the cache ($base_tar)"
	mkdir -p "$root"
	if ! tar -C "$root" -xf "$base_tar" 2>/dev/null; then
		say "the cached base root is unreadable; building it anew"
		rm -rf --one-file-system "$root" "$base_tar"
		make_base
	fi
	cp /etc/resolv.conf "$root/etc/resolv.conf"
else
	make_base
	if $use_cache; then
		mkdir -p "$cache"
		tar -C "$root" -cf "$base_tar.tmp" . && mv "$base_tar.tmp" "$base_tar"
	fi
fi

# The root's only tools are what a newcomer has: prove it before anything else runs.
for t in gcc make git; do
	chroot "$root" sh -c "command -v $t" >/dev/null || die "the root lacks $t"
done
for t in meson ninja pkg-config; do
	if chroot "$root" sh -c "command -v $t" >/dev/null; then
		die "the root already has $t: it is not a fresh machine"
	fi
done

say "cloning $commit into the root"
git clone -q --no-hardlinks "$repo" "$root/src/tcptable"
git -C "$root/src/tcptable" checkout -q --detach "$commit"

archives=""
if $use_cache; then
	archives="$cache/archives"
	mkdir -p "$archives/partial"
fi

# The rest runs in a private mount namespace: the mounts vanish with it.
TCPT_ROOT=$root TCPT_ARCHIVES=$archives unshare --mount --propagation private \
	sh "$here/fresh-inside.sh"
say "make run and make check passed on a fresh Debian bookworm root"
