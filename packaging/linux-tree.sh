#!/usr/bin/env bash
# The Fyne tool's Linux package of BINARY: OUT/<Name>-<version>-linux-amd64.tar.xz
# (binary, desktop entry, icon and a Makefile with install targets), unpacked
# in OUT/linux-tree too, whose desktop entry the .deb and make install use:
# one generator of it, from FyneApp.toml. Prints the tarball's path.
# Usage: linux-tree.sh BINARY OUT
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=$("$root/packaging/fyneapp.sh" Version)
name=$("$root/packaging/fyneapp.sh" Name)
mkdir -p "$2"
out=$(cd "$2" && pwd)

made=$("$root/packaging/fyne-package.sh" linux "$1" "$out" | tail -1)
tarball="$out/$name-$version-linux-amd64.tar.xz"
mv "$made" "$tarball"
rm -rf "$out/linux-tree"
mkdir -p "$out/linux-tree"
tar -xJf "$tarball" -C "$out/linux-tree"
echo "$tarball"
