#!/usr/bin/env bash
# The Fyne tool's Linux package of the window program DIR/storelink-window,
# with the command line program DIR/storelink added beside it (the tool
# packages one executable): OUT/<Name>-<version>-linux-amd64.tar.xz (both
# programs, desktop entry, icon and a Makefile whose install targets copy
# both), unpacked in OUT/linux-tree too, whose desktop entry the .deb and
# make install use: one generator of it, from FyneApp.toml. Prints the
# tarball's path. Usage: linux-tree.sh DIR OUT
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=$("$root/packaging/fyneapp.sh" Version)
name=$("$root/packaging/fyneapp.sh" Name)
dir=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)

made=$("$root/packaging/fyne-package.sh" linux "$dir/storelink-window" "$out" | tail -1)
tarball="$out/$name-$version-linux-amd64.tar.xz"
rm -rf "$out/linux-tree"
mkdir -p "$out/linux-tree"
tar -xJf "$made" -C "$out/linux-tree"
rm -f "$made"

# The command line beside the window program, and in the Makefile's install
# and uninstall targets: each line that copies or removes $(Exec) gets a
# twin for storelink.
makefile=$(find "$out/linux-tree" -name Makefile | head -1)
top=$(dirname "$makefile")
grep -q 'Exec := "storelink-window"' "$makefile" || { echo "linux-tree.sh: the Fyne tool's Makefile changed: $makefile" >&2; exit 1; }
install -Dm755 "$dir/storelink" "$top/usr/local/bin/storelink"
awk '{ print } /bin\/\$\(Exec\)/ && !/^\tsed/ { twin = $0; gsub(/\$\(Exec\)/, "storelink", twin); print twin }' "$makefile" >"$makefile.new"
mv "$makefile.new" "$makefile"
# Its folder is named after the package, not after the executable it was given.
if [[ "$top" != "$out/linux-tree/storelink" ]]; then
	mv "$top" "$out/linux-tree/storelink"
fi
tar -cJf "$tarball" -C "$out/linux-tree" storelink
echo "$tarball"
