#!/bin/sh
# `make deb`: build the Debian binary packages out of the tree. The files git tracks (and
# new ones it does not ignore) are copied to OUT/src, dpkg-buildpackage -us -uc -b runs
# there, the .debs land in OUT, and lintian checks them (errors fail the build; warnings
# are printed). Usage: scripts/deb.sh OUT
set -eu
out=${1:?usage: scripts/deb.sh OUT}
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -rf "$out/src" "$out"/*.deb "$out"/*.buildinfo "$out"/*.changes
mkdir "$out/src"
(cd "$here" && git ls-files -z --cached --others --exclude-standard |
	xargs -0 tar -cf - --no-recursion) | tar -xf - -C "$out/src"
(cd "$out/src" && dpkg-buildpackage -us -uc -b >"$out/build.log" 2>&1) || {
	tail -40 "$out/build.log"
	echo "deb: dpkg-buildpackage failed; the whole log is $out/build.log" >&2
	exit 1
}
# dpkg-buildpackage writes next to the source directory, which is $out
ls "$out"/*.deb
changes=$(ls "$out"/*.changes)
if command -v lintian >/dev/null; then
	lintian --fail-on error --tag-display-limit 0 "$changes"
	echo "deb: lintian found no errors"
else
	echo "deb: lintian is not installed (scripts/deps.sh check installs it)" >&2
	exit 1
fi
