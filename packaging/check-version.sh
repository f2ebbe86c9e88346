#!/usr/bin/env bash
# Fails unless BINARY's "storelink version" says VERSION: packages must carry
# the version FyneApp.toml gives. Usage: check-version.sh BINARY VERSION
set -euo pipefail
got=$("$1" version)
if [[ "$got" != "storelink $2" ]]; then
	echo "check-version.sh: $1 says \"$got\", FyneApp.toml says $2" >&2
	exit 1
fi
