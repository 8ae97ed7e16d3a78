#!/bin/sh
# Install the Debian packages a target needs, when missing. As root: apt-get them (one update
# first). Otherwise: one line naming them, exit 1.
# Usage: scripts/deps.sh build|check|bench
set -eu

# netbase: /etc/services, for port names such as --sport https
build_pkgs="meson ninja-build pkg-config libmnl-dev libncurses-dev netbase"
# the exporter: HTTP (with GnuTLS), its YAML web config, bcrypt through crypt(3)
build_pkgs="$build_pkgs libmicrohttpd-dev libyaml-dev libcrypt-dev"
check_pkgs="$build_pkgs libcmocka-dev iproute2 python3 clang libclang-rt-dev mingw-w64-x86-64-dev tmux valgrind"
bench_pkgs="$check_pkgs net-tools lsof"
# the exporter's tests (a real Prometheus and promtool, certificates, systemd-analyze);
# `make deb` and lintian; the bench's node_exporter to compare with
exporter_check_pkgs="prometheus openssl systemd debhelper dpkg-dev fakeroot lintian"
check_pkgs="$check_pkgs $exporter_check_pkgs"
bench_pkgs="$bench_pkgs $exporter_check_pkgs prometheus-node-exporter"

case "${1:-build}" in
build) wanted=$build_pkgs ;;
check) wanted=$check_pkgs ;;
bench) wanted=$bench_pkgs ;;
*) echo "deps.sh: unknown target '$1' (build, check or bench)" >&2; exit 2 ;;
esac

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
	echo "missing Debian packages; as root run: apt-get install$missing" >&2
	exit 1
fi
echo "installing Debian packages:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
