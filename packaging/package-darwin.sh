#!/usr/bin/env bash
# macOS only (Apple's SDK): a universal (arm64 + x86_64) Storelink.app, made
# by the Fyne tool from FyneApp.toml around the window program
# (Contents/MacOS/storelink-window), with the command line beside it
# (Contents/MacOS/storelink; users link it into their PATH), in
# DIST/<Name>-<version>-macos.dmg.
# Signed with MACOS_SIGN_IDENTITY (a Developer ID in the keychain) when set,
# otherwise ad hoc: Gatekeeper then asks users to confirm the first start
# (the README says how). Run by make package-darwin on a macOS runner
# (.github/workflows/release.yml), which sets DIST, GO_LDFLAGS, GO, TAGS, FYNE_TOOL.
set -euo pipefail
: "${DIST:?set by packaging/packaging.mk}" "${GO_LDFLAGS:?set by packaging/packaging.mk}"
if [[ $(uname -s) != Darwin ]]; then
	echo "package-darwin.sh: the .app and .dmg need macOS; the release workflow builds them on a macOS runner" >&2
	exit 1
fi
GO=${GO:-go}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
version=$(packaging/fyneapp.sh Version)
name=$(packaging/fyneapp.sh Name)
out=$DIST/darwin
rm -rf "$out"
mkdir -p "$out"

# Go 1.26 runs on macOS 12 and later; the C parts (GLFW) are built for the same.
export MACOSX_DEPLOYMENT_TARGET=${MACOSX_DEPLOYMENT_TARGET:-12.0}
for arch in arm64 amd64; do
	CGO_ENABLED=1 GOOS=darwin GOARCH=$arch "$GO" build -tags "${TAGS:-migrated_fynedo}" \
		-ldflags "-s -w $GO_LDFLAGS" -o "$out/storelink-window-$arch" .
	CGO_ENABLED=0 GOOS=darwin GOARCH=$arch "$GO" build -ldflags "-s -w $GO_LDFLAGS" -o "$out/storelink-$arch" ./cmd/storelink
done
for prog in storelink-window storelink; do
	lipo -create -output "$out/$prog" "$out/$prog-arm64" "$out/$prog-amd64"
	rm "$out/$prog-arm64" "$out/$prog-amd64"
	packaging/check-version.sh "$out/$prog" "$version"
done

app=$(packaging/fyne-package.sh darwin "$out/storelink-window" "$out" | tail -1)
cp "$out/storelink" "$app/Contents/MacOS/storelink"
plist=$app/Contents/Info.plist
got=$(/usr/libexec/PlistBuddy -c 'Print :CFBundleShortVersionString' "$plist")
if [[ "$got" != "$version" ]]; then
	echo "package-darwin.sh: $plist says $got, FyneApp.toml says $version" >&2
	exit 1
fi

if [[ -n "${MACOS_SIGN_IDENTITY:-}" ]]; then
	codesign --force --deep --options runtime --timestamp --sign "$MACOS_SIGN_IDENTITY" "$app"
else
	echo "not signed with a Developer ID: $app (set MACOS_SIGN_IDENTITY); signing ad hoc"
	codesign --force --deep --sign - "$app"
fi
codesign --verify --deep --strict "$app"

# The disk image: the app beside a link to /Applications, to drag it there.
stage=$out/dmg
mkdir -p "$stage"
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
dmg=$DIST/$name-$version-macos.dmg
rm -f "$dmg"
hdiutil create -volname "$name $version" -srcfolder "$stage" -ov -format UDZO "$dmg"
rm -rf "$stage"
echo "$dmg"
