#!/usr/bin/env bash
# Runs the Fyne tool's packaging (fyne package -os OS --executable BINARY)
# on a copy of FyneApp.toml and the icon, since the tool raises Build in the
# FyneApp.toml it reads, and moves what it made (<Name>.tar.xz for linux,
# <Name>.app for darwin) into OUT. We build BINARY ourselves (with -tags and
# the version), so the tool only packages. Runs on Linux and macOS (bash 3).
# Usage: fyne-package.sh OS BINARY OUT (FYNE_TOOL from packaging.mk)
set -euo pipefail
: "${FYNE_TOOL:?set by packaging/packaging.mk}"
os=$1
bin=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
mkdir -p "$3"
out=$(cd "$3" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
icon=$("$root/packaging/fyneapp.sh" Icon)
name=$("$root/packaging/fyneapp.sh" Name)

src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT
mkdir -p "$src/$(dirname "$icon")"
cp "$root/FyneApp.toml" "$src/"
cp "$root/$icon" "$src/$icon"
echo 'package main' >"$src/main.go" # it looks for Go code even with --executable
(cd "$src" && "${GO:-go}" run "$FYNE_TOOL" package -os "$os" --executable "$bin")
case $os in
linux) made=$name.tar.xz ;;
darwin) made=$name.app ;;
*) echo "fyne-package.sh: no packaging for $os here" >&2; exit 2 ;;
esac
rm -rf "${out:?}/$made"
mv "$src/$made" "$out/"
echo "$out/$made"
