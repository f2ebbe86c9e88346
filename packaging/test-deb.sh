#!/usr/bin/env bash
# Installs the .deb for real (root: dpkg), checks what it installed, and
# removes it: both programs say the package's version, the command line
# loads no library, dpkg -L lists the desktop entry (which starts the window
# program) and icons, and dpkg -r leaves no program behind.
# Usage: test-deb.sh dist/storelink_<version>_amd64.deb
set -euo pipefail
deb=$(realpath "$1")
fail() { echo "test-deb.sh: FAIL: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || fail "needs root (dpkg -i)"
if dpkg-query -W -f='${Status}' storelink 2>/dev/null | grep -q 'ok installed'; then
	fail "storelink is already installed; remove it first (dpkg -r storelink)"
fi
version=$(dpkg-deb -f "$deb" Version)
trap 'dpkg -r storelink >/dev/null 2>&1 || true' EXIT

if ! dpkg -i "$deb"; then
	echo "test-deb.sh: installing missing dependencies"
	DEBIAN_FRONTEND=noninteractive apt-get install -f -y -qq
fi
dpkg-query -W -f='${Status}\n' storelink | grep -q 'install ok installed' || fail "not installed"

[[ $(command -v storelink) == /usr/bin/storelink ]] || fail "storelink is not /usr/bin/storelink on the PATH"
got=$(storelink version)
[[ "$got" == "storelink $version" ]] || fail "storelink version says \"$got\", the package is $version"
window=$(storelink-window version)
[[ "$window" == "$got" ]] || fail "storelink-window version says \"$window\", the package is $version"
if readelf -d /usr/bin/storelink | grep -q NEEDED; then fail "/usr/bin/storelink links libraries: $(readelf -d /usr/bin/storelink | grep NEEDED)"; fi
echo "ok: $got, both programs; the command line links no library"

files=$(dpkg -L storelink)
for want in /usr/bin/storelink /usr/bin/storelink-window \
	/usr/share/applications/io.storelink.desktop.desktop \
	/usr/share/icons/hicolor/512x512/apps/io.storelink.desktop.png \
	/usr/share/icons/hicolor/scalable/apps/io.storelink.desktop.svg; do
	grep -qx "$want" <<<"$files" || fail "dpkg -L storelink does not list $want"
	[[ -f "$want" ]] || fail "$want is listed but missing"
done
entry=/usr/share/applications/io.storelink.desktop.desktop
grep -qx 'Exec=storelink-window' "$entry" || fail "$entry does not run storelink-window"
grep -qx 'Icon=io.storelink.desktop' "$entry" || fail "$entry names another icon"
if command -v desktop-file-validate >/dev/null; then
	desktop-file-validate "$entry" || fail "$entry is not a valid desktop entry"
fi
echo "ok: dpkg -L lists both programs, the desktop entry and the icons"

dpkg -r storelink
trap - EXIT
for gone in /usr/bin/storelink /usr/bin/storelink-window "$entry" /usr/share/icons/hicolor/512x512/apps/io.storelink.desktop.png; do
	[[ ! -e "$gone" ]] || fail "$gone is still there after dpkg -r"
done
if dpkg-query -W -f='${Status}' storelink 2>/dev/null | grep -q 'ok installed'; then
	fail "dpkg still lists storelink as installed"
fi
echo "ok: dpkg -r storelink removed it"
echo "test-deb.sh: 3 passed, 0 failed"
