#!/usr/bin/env bash
# Checks the Windows packages as far as Linux can: the .exe is a 64-bit GUI
# program whose version resource says FyneApp.toml's version, and the MSI
# installs it per machine into Program Files\Storelink with a Start-menu
# shortcut, carries the same version and the fixed UpgradeCode, and holds
# this very .exe. Installing and uninstalling it needs Windows.
# Usage: test-windows.sh EXE MSI (GO_WINRES from packaging.mk)
set -euo pipefail
: "${GO_WINRES:?set by packaging/packaging.mk}"
exe=$(realpath "$1")
msi=$(realpath "$2")
root=$(cd "$(dirname "$0")/.." && pwd)
version=$("$root/packaging/fyneapp.sh" Version)
build=$("$root/packaging/fyneapp.sh" Build)
passed=0 failed=0
check() { # check DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@"; then
		echo "ok: $what"
		passed=$((passed + 1))
	else
		echo "FAIL: $what" >&2
		failed=$((failed + 1))
	fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check "$(file -b "$exe")" grep -q 'PE32+ executable (GUI) x86-64' <<<"$(file -b "$exe")"
"${GO:-go}" run "$GO_WINRES" extract --dir "$tmp/res" "$exe" >/dev/null
check "the .exe's version resource says $version.$build" \
	grep -q "\"file_version\": \"$version.$build\"" "$tmp/res/winres.json"
check "the .exe has an icon" bash -c "compgen -G '$tmp/res/*.ico' >/dev/null"

# msiinfo exports tables with CRLF line ends.
table() { msiinfo export "$msi" "$1" | tr -d '\r'; }
property() { table Property | awk -F'\t' -v p="$1" '$1 == p { print $2 }'; }
upgrade_code=$(grep -o 'UpgradeCode="[^"]*"' "$root/packaging/storelink.wxs" | cut -d'"' -f2)
check "MSI ProductVersion $(property ProductVersion)" test "$(property ProductVersion)" = "${version%%-*}"
check "MSI Manufacturer $(property Manufacturer)" test "$(property Manufacturer)" = Storelink
check "MSI ALLUSERS=$(property ALLUSERS) (per machine)" test "$(property ALLUSERS)" = 1
check "MSI UpgradeCode $(property UpgradeCode)" test "$(property UpgradeCode)" = "{$upgrade_code}"
check "MSI shows the program's icon in Settings > Apps" test "$(property ARPPRODUCTICON)" = storelink.ico
check "MSI replaces older versions (Upgrade table, RemoveExistingProducts)" \
	bash -c "grep -q WIX_UPGRADE_DETECTED <<<'$(table Upgrade)' && grep -q RemoveExistingProducts <<<'$(table InstallExecuteSequence)'"
check "MSI is for x64" bash -c "msiinfo suminfo '$msi' | grep -q '^Template: x64'"
check "MSI installs into ProgramFiles64Folder\\Storelink" \
	grep -qP '^INSTALLDIR\tProgramFiles64Folder\tStorelink$' <<<"$(table Directory)"
check "MSI has a Start-menu shortcut to storelink.exe" \
	grep -qP '\tProgramMenuFolder\tStorelink\t[^\t]*\t\[INSTALLDIR\]storelink.exe\t' <<<"$(table Shortcut)"
(cd "$tmp" && msiextract "$msi" >/dev/null)
inside=$(find "$tmp" -name storelink.exe -path '*Storelink*' | head -1)
check "MSI holds this storelink.exe" cmp -s "$exe" "$inside"
if [[ -n "${SIGN_CERT:-}" && -n "${SIGN_KEY:-}" ]]; then
	check "the .exe is signed" bash -c "osslsigncode extract-signature -in '$exe' -out '$tmp/exe.sig' >/dev/null"
	check "the MSI is signed" bash -c "osslsigncode extract-signature -in '$msi' -out '$tmp/msi.sig' >/dev/null"
fi
echo "test-windows.sh: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
