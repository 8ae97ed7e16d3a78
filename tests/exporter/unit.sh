#!/bin/sh
# The exporter's systemd unit (debian/tcptable-exporter.service) passes systemd-analyze
# verify, with ExecStart pointed at the build's binary (the installed path does not exist
# here) and the man page of Documentation= found in the tree; and it keeps the user and the
# capabilities the man page documents. TAP.
set -u
src=${TCPT_SOURCE_ROOT:?run through meson test}
build=${TCPT_BUILD_ROOT:?run through meson test}
unit=$src/debian/tcptable-exporter.service
echo "1..2"
if ! command -v systemd-analyze >/dev/null; then
	echo "ok 1 - systemd-analyze verify # SKIP no systemd-analyze (Debian package systemd)"
else
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcpt-unit-XXXXXX")
	mkdir -p "$tmp/man/man1"
	cp "$src/man/tcptable-exporter.1" "$tmp/man/man1/"
	sed "s|/usr/bin/tcptable-exporter|$build/src/exporter/tcptable-exporter|" "$unit" \
		>"$tmp/tcptable-exporter.service"
	if out=$(cd "$tmp" && MANPATH="$tmp/man" systemd-analyze verify \
		./tcptable-exporter.service 2>&1) && [ -z "$out" ]; then
		echo "ok 1 - systemd-analyze verify finds nothing wrong in the unit"
	else
		echo "not ok 1 - systemd-analyze verify finds nothing wrong in the unit"
		echo "$out" | sed 's/^/#   /'
	fi
	rm -rf "$tmp"
fi
missing=""
for line in "DynamicUser=yes" "User=tcptable-exporter" \
	"AmbientCapabilities=CAP_DAC_READ_SEARCH CAP_SYS_PTRACE" \
	"CapabilityBoundingSet=CAP_DAC_READ_SEARCH CAP_SYS_PTRACE" "NoNewPrivileges=yes" \
	"EnvironmentFile=-/etc/default/tcptable-exporter"; do
	grep -qxF "$line" "$unit" || missing="$missing [$line]"
done
if [ -z "$missing" ]; then
	echo "ok 2 - the unit sets the user, exactly the two capabilities, and reads the defaults"
else
	echo "not ok 2 - the unit sets the user, exactly the two capabilities, and reads the defaults"
	echo "#   missing:$missing"
fi
