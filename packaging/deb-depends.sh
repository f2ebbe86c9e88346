#!/usr/bin/env bash
# Prints the Debian packages that BINARY needs at run time, one a line: the
# owners (dpkg -S) of the shared libraries it links directly (its NEEDED
# entries, found where ldd resolves them; what those libraries pull in is
# their packages' business, as with dpkg-shlibdeps), deduplicated, with libc6
# at least as new as the newest GLIBC_ symbol version the binary asks for.
# Run on the machine that built it. Usage: deb-depends.sh BINARY
set -euo pipefail
bin=$1

if ldd "$bin" | grep -q 'not found'; then
	ldd "$bin" | grep 'not found' >&2
	echo "deb-depends.sh: $bin links libraries this machine lacks" >&2
	exit 1
fi

# dpkg may know a library under /lib or /usr/lib (merged /usr), or under the
# path a symbolic link points to.
owner() {
	local path=$1 candidate
	for candidate in "$path" "$(realpath "$path")" "/usr$path" "${path#/usr}"; do
		dpkg -S "$candidate" 2>/dev/null | grep -v '^diversion by' | head -1 | cut -d: -f1 && return 0
	done
	return 1
}

declare -A packages=()
while read -r lib; do
	pkg=$(owner "$lib") || true
	if [[ -z "$pkg" ]]; then
		echo "deb-depends.sh: no installed package owns $lib" >&2
		exit 1
	fi
	packages[$pkg]=1
done < <(ldd "$bin" | awk -v needed=" $(objdump -p "$bin" | awk '$1 == "NEEDED" { printf "%s ", $2 }')" \
	'$2 == "=>" && $3 ~ /^\// && index(needed, " " $1 " ") { print $3 }')

glibc=$(objdump -T "$bin" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
for pkg in $(printf '%s\n' "${!packages[@]}" | sort); do
	if [[ "$pkg" == libc6 && -n "$glibc" ]]; then
		echo "libc6 (>= $glibc)"
	else
		echo "$pkg"
	fi
done
