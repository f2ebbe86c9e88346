#!/usr/bin/env bash
# make install / make uninstall, for people building from source on Linux:
# PREFIX/bin/storelink (the command line) and PREFIX/bin/storelink-window,
# the desktop entry (the one the Fyne tool writes for the packages, with Exec
# made absolute so the menu finds it even when PREFIX/bin is not on the
# desktop's PATH) and its icons in the hicolor theme.
# Usage: install.sh install|uninstall DIR PREFIX (DIR holds both programs)
set -euo pipefail
action=$1
dir=$2
prefix=$3
root=$(cd "$(dirname "$0")/.." && pwd)
app_id=$("$root/packaging/fyneapp.sh" ID)
icon=$root/$("$root/packaging/fyneapp.sh" Icon)
files=(
	"bin/storelink"
	"bin/storelink-window"
	"share/applications/$app_id.desktop"
	"share/icons/hicolor/512x512/apps/$app_id.png"
	"share/icons/hicolor/scalable/apps/$app_id.svg"
)

refresh() { # the menus' caches, where the desktop keeps them
	if command -v update-desktop-database >/dev/null; then
		update-desktop-database -q "$prefix/share/applications" 2>/dev/null || true
	fi
	if command -v gtk-update-icon-cache >/dev/null && [[ -f "$prefix/share/icons/hicolor/index.theme" ]]; then
		gtk-update-icon-cache -q -t "$prefix/share/icons/hicolor" 2>/dev/null || true
	fi
}

case $action in
install)
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	"$root/packaging/linux-tree.sh" "$dir" "$tmp" >/dev/null
	entry=$(find "$tmp/linux-tree" -name "$app_id.desktop" | head -1)
	sed "s|^Exec=storelink-window\$|Exec=\"$prefix/bin/storelink-window\"|" "$entry" >"$tmp/entry"
	install -Dm755 "$dir/storelink" "$prefix/${files[0]}"
	install -Dm755 "$dir/storelink-window" "$prefix/${files[1]}"
	install -Dm644 "$tmp/entry" "$prefix/${files[2]}"
	install -Dm644 "$icon" "$prefix/${files[3]}"
	install -Dm644 "${icon%.png}.svg" "$prefix/${files[4]}"
	refresh
	printf 'installed %s\n' "${files[@]/#/$prefix/}"
	case ":$PATH:" in
	*":$prefix/bin:"*) ;;
	*) echo "note: $prefix/bin is not on your PATH; add it to run storelink from a terminal" ;;
	esac
	;;
uninstall)
	for f in "${files[@]}"; do
		rm -f "$prefix/$f"
	done
	refresh
	printf 'removed %s\n' "${files[@]/#/$prefix/}"
	;;
*)
	echo "usage: install.sh install|uninstall DIR PREFIX" >&2
	exit 2
	;;
esac
