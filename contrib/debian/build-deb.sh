#!/bin/bash
# build-deb.sh ROOT VERSION OUT: turns ROOT, the tree `make install-files PREFIX=/usr` filled, into
# the Debian package OUT: the binary stripped, the copyright and changelog, the control file with
# the dependencies computed from the binary, maintainer scripts, conffiles and md5sums. `make deb`
# runs it.
set -euo pipefail
root=$(cd "$1" && pwd) version=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
binary="$root/usr/bin/countersign"
doc="$root/usr/share/doc/countersign"
date=$(date -R -u -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}")

strip --strip-unneeded --remove-section=.comment --remove-section=.note "$binary"
install -d -m 0755 "$doc"
install -m 0644 "$here/copyright" "$doc/copyright"
install -D -m 0644 "$here/lintian-overrides" "$root/usr/share/lintian/overrides/countersign"
sed -e "s/@VERSION@/$version/" -e "s/@DATE@/$date/" "$here/changelog" | gzip -9n > "$doc/changelog.Debian.gz"
chmod 0644 "$doc/changelog.Debian.gz"

# The packages holding the shared libraries the binary links (ldd's list, found with dpkg -S), with
# the least versions their symbols files allow: dpkg-shlibdeps does both, given a control file.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/debian"
printf 'Source: countersign\n\nPackage: countersign\nArchitecture: any\n' > "$work/debian/control"
depends=$(cd "$work" && dpkg-shlibdeps -O "$binary" | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "build-deb.sh: dpkg-shlibdeps found no dependencies of $binary" >&2; exit 1; }

install -d -m 0755 "$root/DEBIAN"
cat > "$root/DEBIAN/control" <<EOF
Package: countersign
Version: $version
Architecture: $(dpkg --print-architecture)
Maintainer: Countersign maintainers <countersign@example.org>
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: adduser, $depends
Suggests: bash-completion
Section: utils
Priority: optional
Description: multi-party document processes on a tamper-evident ledger
 Countersign runs document processes between several parties (a mortgage
 approval between a bank, a lawyer and a land registry; a lottery prize
 claim) declared as pipeline files, and keeps every sign-off as a signed
 in-toto statement in an RFC 6962 Merkle log that nobody, the operator
 included, can quietly rewrite.
 .
 This package holds the countersign command, its manual pages, bash and zsh
 completions, and a systemd timer for the nightly reconcile batch (not
 enabled).
EOF
install -m 0755 "$here/postinst" "$here/prerm" "$here/postrm" "$root/DEBIAN/"
(cd "$root" && find etc -type f -printf '/%p\n' | sort) > "$root/DEBIAN/conffiles"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\n' | sort | xargs md5sum) > "$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/conffiles" "$root/DEBIAN/md5sums"
dpkg-deb --root-owner-group --build "$root" "$out"
