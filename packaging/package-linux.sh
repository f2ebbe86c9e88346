#!/usr/bin/env bash
# Packages the two programs in DIR, storelink (the command line) and
# storelink-window (built by make package-linux with the version from
# FyneApp.toml), as DIST/<Name>-<version>-linux-amd64.tar.xz (the Fyne tool)
# and DIST/storelink_<version>_amd64.deb (nfpm). Usage: package-linux.sh DIR
set -euo pipefail
: "${NFPM:?set by packaging/packaging.mk}" "${DIST:?set by packaging/packaging.mk}"
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(realpath "$1")
version=$("$root/packaging/fyneapp.sh" Version)
"$root/packaging/check-version.sh" "$dir/storelink" "$version"
"$root/packaging/check-version.sh" "$dir/storelink-window" "$version"

tarball=$("$root/packaging/linux-tree.sh" "$dir" "$DIST" | tail -1)

export VERSION=$version BINARY=$dir/storelink WINDOW_BINARY=$dir/storelink-window
APP_ID=$("$root/packaging/fyneapp.sh" ID)
DESKTOP_ENTRY=$(find "$DIST/linux-tree" -name "$APP_ID.desktop" | head -1)
ICON_PNG=$root/$("$root/packaging/fyneapp.sh" Icon)
ICON_SVG=${ICON_PNG%.png}.svg
export APP_ID DESKTOP_ENTRY ICON_PNG ICON_SVG
[[ -f "$DESKTOP_ENTRY" && -f "$ICON_SVG" ]]

# Depends: computed now, from what the window program links on this
# machine (the command line program links nothing).
config="$DIST/linux/nfpm.yaml"
mkdir -p "$(dirname "$config")"
{
	cat "$root/packaging/nfpm.yaml"
	echo "depends:"
	"$root/packaging/deb-depends.sh" "$WINDOW_BINARY" | sed 's/^/  - /'
} >"$config"

deb="$DIST/storelink_${version}_amd64.deb"
rm -f "$deb"
"${GO:-go}" run "$NFPM" package --config "$config" --packager deb --target "$deb"

got=$(dpkg-deb -f "$deb" Version)
if [[ "$got" != "$version" ]]; then
	echo "package-linux.sh: $deb has version $got, FyneApp.toml says $version" >&2
	exit 1
fi
echo "$tarball"
echo "$deb: version $got; Depends: $(dpkg-deb -f "$deb" Depends)"
