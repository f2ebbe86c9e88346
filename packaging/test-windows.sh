#!/usr/bin/env bash
# Checks the Windows packages as far as Linux can: storelink-window.exe is a
# 64-bit GUI program and storelink.exe a console one, both with a version
# resource that says FyneApp.toml's version, and the MSI installs them per
# machine into Program Files\Storelink with a Start-menu shortcut to the
# window, adds that folder to the system PATH, carries the same version and
# the fixed UpgradeCode, and holds these very files. Installing and
# uninstalling it needs Windows.
# Usage: test-windows.sh WINDOW_EXE CLI_EXE MSI (GO_WINRES from packaging.mk)
set -euo pipefail
: "${GO_WINRES:?set by packaging/packaging.mk}"
exe=$(realpath "$1")
cli=$(realpath "$2")
msi=$(realpath "$3")
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

check "storelink-window.exe: $(file -b "$exe")" grep -q 'PE32+ executable (GUI) x86-64' <<<"$(file -b "$exe")"
check "storelink.exe: $(file -b "$cli")" grep -q 'PE32+ executable (console) x86-64' <<<"$(file -b "$cli")"
for e in "$exe" "$cli"; do
	res=$tmp/res-$(basename "$e")
	"${GO:-go}" run "$GO_WINRES" extract --dir "$res" "$e" >/dev/null
	check "$(basename "$e")'s version resource says $version.$build" \
		grep -q "\"file_version\": \"$version.$build\"" "$res/winres.json"
	check "$(basename "$e") has an icon" bash -c "compgen -G '$res/*.ico' >/dev/null"
done

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
check "MSI has a Start-menu shortcut to storelink-window.exe" \
	grep -qP '\tProgramMenuFolder\tStorelink\t[^\t]*\t\[INSTALLDIR\]storelink-window.exe\t' <<<"$(table Shortcut)"
check "MSI appends its folder to the system PATH, removed on uninstall" \
	grep -qP '^PathEnv\t=-\*PATH\t\[~\];\[INSTALLDIR\]\tStorelinkCli$' <<<"$(table Environment)"
check "MSI runs the environment actions" \
	bash -c "grep -q '^WriteEnvironmentStrings' <<<'$(table InstallExecuteSequence)' && grep -q '^RemoveEnvironmentStrings' <<<'$(table InstallExecuteSequence)'"
mkdir -p "$tmp/x"
(cd "$tmp/x" && msiextract "$msi" >/dev/null)
for e in "$exe" "$cli"; do
	inside=$(find "$tmp/x" -name "$(basename "$e")" -path '*Storelink*' | head -1)
	check "MSI holds this $(basename "$e")" cmp -s "$e" "$inside"
done
if [[ -n "${SIGN_CERT:-}" && -n "${SIGN_KEY:-}" ]]; then
	check "storelink-window.exe is signed" bash -c "osslsigncode extract-signature -in '$exe' -out '$tmp/exe.sig' >/dev/null"
	check "storelink.exe is signed" bash -c "osslsigncode extract-signature -in '$cli' -out '$tmp/cli.sig' >/dev/null"
	check "the MSI is signed" bash -c "osslsigncode extract-signature -in '$msi' -out '$tmp/msi.sig' >/dev/null"
fi
echo "test-windows.sh: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
