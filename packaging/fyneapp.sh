#!/bin/sh
# Prints one [Details] value of FyneApp.toml (Version, Build, Name, ID, Icon):
# the one place Storelink's version is written. Usage: fyneapp.sh KEY [FILE]
set -eu
key=$1
file=${2:-$(dirname "$0")/../FyneApp.toml}
value=$(awk -v key="$key" '
	/^[[:space:]]*\[/ { section = $0; gsub(/[[:space:]]/, "", section); next }
	section == "[Details]" {
		line = $0
		if (sub("^[[:space:]]*" key "[[:space:]]*=[[:space:]]*", "", line)) {
			sub(/[[:space:]]*(#.*)?$/, "", line)
			gsub(/^"|"$/, "", line)
			print line
			exit
		}
	}' "$file")
if [ -z "$value" ]; then
	echo "fyneapp.sh: no $key in [Details] of $file" >&2
	exit 1
fi
printf '%s\n' "$value"
