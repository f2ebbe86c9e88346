#!/usr/bin/env bash
# Cross-compiles Storelink for Windows and packages it:
# DIST/windows/storelink-window.exe (the window: GUI subsystem, mingw-w64 for
# its C parts), DIST/windows/storelink.exe (the command line: a console
# program without cgo, so it prints in cmd.exe and PowerShell), both with the
# icon and version resource from FyneApp.toml, and
# DIST/<Name>-<version>-windows-amd64.msi (wixl). Signs all three with
# osslsigncode when SIGN_CERT and SIGN_KEY name a certificate and
# its key (SIGN_PASS_FILE: the key's password; SIGN_TIMESTAMP_URL: an RFC 3161
# time-stamp server); otherwise says they are unsigned. Run by make
# package-windows, which sets GO_WINRES, DIST, GO_LDFLAGS, GO, TAGS, MINGW_CC.
set -euo pipefail
: "${GO_WINRES:?set by packaging/packaging.mk}" "${DIST:?set by packaging/packaging.mk}" "${GO_LDFLAGS:?set by packaging/packaging.mk}"
GO=${GO:-go}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
version=$(packaging/fyneapp.sh Version)
build=$(packaging/fyneapp.sh Build)
name=$(packaging/fyneapp.sh Name)
icon=$(packaging/fyneapp.sh Icon)
out=$DIST/windows
exe=$out/storelink-window.exe
cli=$out/storelink.exe
msi=$DIST/$name-$version-windows-amd64.msi
mkdir -p "$out"

# The icon and version resource: a .syso beside each main package, which
# only windows/amd64 builds link. They exist for this build only.
syso=$root/rsrc_windows_amd64.syso
cli_syso=$root/cmd/storelink/rsrc_windows_amd64.syso
trap 'rm -f "$syso" "$cli_syso"' EXIT
resource() { # resource DIR MANIFEST FILENAME DESCRIPTION
	(cd "$1" && "$GO" run "$GO_WINRES" simply --arch amd64 --out rsrc --manifest "$2" --icon "$root/$icon" \
		--product-version "$version.$build" --file-version "$version.$build" \
		--product-name "$name" --file-description "$4" --original-filename "$3")
}
resource "$root" gui storelink-window.exe "$name"
resource "$root/cmd/storelink" cli storelink.exe "$name command line"

# -H=windowsgui: no console window opens with the app.
CC=${MINGW_CC:-x86_64-w64-mingw32-gcc} GOOS=windows GOARCH=amd64 CGO_ENABLED=1 \
	"$GO" build -tags "${TAGS:-migrated_fynedo}" \
	-ldflags "-s -w -H=windowsgui $GO_LDFLAGS" -o "$exe" .
# The command line: a console program, no C parts.
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 "$GO" build -ldflags "-s -w $GO_LDFLAGS" -o "$cli" ./cmd/storelink
rm -f "$syso" "$cli_syso"

sign() {
	local file=$1
	if [[ -z "${SIGN_CERT:-}" || -z "${SIGN_KEY:-}" ]]; then
		echo "not signed: $file (set SIGN_CERT and SIGN_KEY to sign)"
		return
	fi
	local args=(sign -certs "$SIGN_CERT" -key "$SIGN_KEY" -h sha256 -n "$name" -i https://storelink.invalid)
	[[ -n "${SIGN_PASS_FILE:-}" ]] && args+=(-readpass "$SIGN_PASS_FILE")
	[[ -n "${SIGN_TIMESTAMP_URL:-}" ]] && args+=(-ts "$SIGN_TIMESTAMP_URL")
	osslsigncode "${args[@]}" -in "$file" -out "$file.signed"
	mv "$file.signed" "$file"
	echo "signed: $file"
}
sign "$exe"
sign "$cli"

# The MSI shows the .exe's own icon in Settings > Apps.
rm -rf "$out/res"
"$GO" run "$GO_WINRES" extract --dir "$out/res" "$exe" >/dev/null
mv "$out"/res/*.ico "$out/storelink.ico"
rm -rf "$out/res"

# ProductVersion is major.minor.build: the version without any "-suffix".
# wixl takes file names relative to the working directory, not absolute ones.
(cd "$out" && wixl -a x64 -D Version="${version%%-*}" -D Exe=storelink-window.exe -D Cli=storelink.exe \
	-D Icon=storelink.ico -o "$msi" "$root/packaging/storelink.wxs")

# wixl has no <Environment>: add the install folder to the system PATH (so
# cmd.exe and PowerShell find storelink) with the Environment table and the
# two standard actions that apply it, as WiX writes them for
# <Environment Name="PATH" Value="[INSTALLDIR]" Part="last" Action="set"
# System="yes" Permanent="no"/>: appended on install, that part removed on
# uninstall.
idt=$out/idt
rm -rf "$idt"
mkdir -p "$idt"
printf 'Environment\tName\tValue\tComponent_\r\ns72\tl255\tL255\ts72\r\nEnvironment\tEnvironment\r\nPathEnv\t=-*PATH\t[~];[INSTALLDIR]\tStorelinkCli\r\n' >"$idt/Environment.idt"
msiinfo export "$msi" InstallExecuteSequence >"$idt/InstallExecuteSequence.idt"
printf 'RemoveEnvironmentStrings\t\t3300\r\nWriteEnvironmentStrings\t\t5200\r\n' >>"$idt/InstallExecuteSequence.idt"
(cd "$idt" && msibuild "$msi" -i Environment.idt && msibuild "$msi" -i InstallExecuteSequence.idt)
rm -rf "$idt"
sign "$msi"

packaging/test-windows.sh "$exe" "$cli" "$msi"
