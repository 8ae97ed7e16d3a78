#!/bin/sh
# Install the Debian packages a target needs, when missing. As root: apt-get them (one update
# first). Otherwise: one line naming every missing package, exit 1.
# Usage: scripts/deps.sh build|check|bench      install what the target needs
#        scripts/deps.sh --list build|check|bench   print the target's packages, one a line
# tests/build/test_deps.py proves these lists hold what `meson setup` looks for.
set -eu

# build: what `make run` / `make install` configure and compile with (-Dtests=false), and what
# the program needs to run. netbase: /etc/services, for port names such as --sport https.
# libbpf-dev, clang, bpftool: the BPF iterator source (programs compiled for the BPF target
# by clang, embedded through bpftool-generated skeletons, loaded by libbpf)
build_pkgs="meson ninja-build pkg-config libmnl-dev libncurses-dev netbase libbpf-dev clang bpftool python3-dev"
# the exporter: HTTP (with GnuTLS), its YAML web config, bcrypt through crypt(3)
build_pkgs="$build_pkgs libmicrohttpd-dev libyaml-dev libcrypt-dev"
# check: the test suite (-Dtests=true) and the tools its tests start.
check_pkgs="$build_pkgs libcmocka-dev iproute2 python3 g++ clang libclang-rt-dev mingw-w64-x86-64-dev tmux valgrind net-tools lsof zsh fish g++-mingw-w64-x86-64 python3-pytest python3-psutil util-linux"
# the exporter's tests (a real Prometheus and promtool, certificates, systemd-analyze);
# `make deb` and lintian; the bench's node_exporter to compare with
exporter_check_pkgs="prometheus openssl systemd build-essential debhelper dh-python dpkg-dev fakeroot lintian"
check_pkgs="$check_pkgs $exporter_check_pkgs"
bench_pkgs="$check_pkgs prometheus-node-exporter"

list=false
if [ "${1:-}" = "--list" ]; then
	list=true
	shift
fi
case "${1:-build}" in
build) wanted=$build_pkgs ;;
check) wanted=$check_pkgs ;;
bench) wanted=$bench_pkgs ;;
*) echo "deps.sh: unknown target '$1' (build, check or bench)" >&2; exit 2 ;;
esac
if $list; then
	printf '%s\n' $wanted
	exit 0
fi

missing=""
for p in $wanted; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "missing Debian packages; as root run: apt-get update && apt-get install$missing" >&2
	exit 1
fi
echo "installing Debian packages:$missing"
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
# apt's own error lines (a package not found, a mirror that does not answer) are the cause.
if ! apt-get update -qq >"$log" 2>&1; then
	cat "$log" >&2; rm -f "$log"
	echo "deps.sh: apt-get update failed (above); nothing was installed" >&2
	exit 1
fi
# shellcheck disable=SC2086
if ! apt-get install -y -qq --no-install-recommends $missing >"$log" 2>&1; then
	cat "$log" >&2; rm -f "$log"
	echo "deps.sh: apt-get install$missing failed (above)" >&2
	exit 1
fi
rm -f "$log"
