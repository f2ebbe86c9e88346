#!/usr/bin/env bash
# make install and make uninstall into a temporary PREFIX (with a space in
# it): both programs run and say FyneApp.toml's version, the desktop entry
# starts the window program by its full path and names the installed icon, and uninstall
# leaves none of them behind.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=$("$root/packaging/fyneapp.sh" Version)
app_id=$("$root/packaging/fyneapp.sh" ID)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix="$tmp/pre fix"
fail() { echo "test-install.sh: FAIL: $*" >&2; exit 1; }

make -C "$root" --no-print-directory install PREFIX="$prefix"
bin="$prefix/bin/storelink"
window="$prefix/bin/storelink-window"
entry="$prefix/share/applications/$app_id.desktop"
for b in "$bin" "$window"; do
	[[ -x "$b" ]] || fail "$b is not installed"
	got=$("$b" version)
	[[ "$got" == "storelink $version" ]] || fail "installed $b says \"$got\", FyneApp.toml says $version"
done
grep -qxF "Exec=\"$window\"" "$entry" || fail "$entry does not start $window"
grep -qx "Icon=$app_id" "$entry" || fail "$entry does not name the icon $app_id"
for icon in "512x512/apps/$app_id.png" "scalable/apps/$app_id.svg"; do
	[[ -f "$prefix/share/icons/hicolor/$icon" ]] || fail "no icon $icon"
done
if command -v desktop-file-validate >/dev/null; then
	desktop-file-validate --no-hints "$entry" || fail "$entry is not a valid desktop entry"
fi
echo "ok: make install put storelink and storelink-window $version, the desktop entry and icons under $prefix"

make -C "$root" --no-print-directory uninstall PREFIX="$prefix"
left=$(find "$prefix" -type f ! -name '*.cache' ! -name 'mimeinfo.cache')
[[ -z "$left" ]] || fail "make uninstall left: $left"
echo "ok: make uninstall removed them"
echo "test-install.sh: 2 passed, 0 failed"
