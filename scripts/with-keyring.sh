#!/usr/bin/env bash
# with-keyring.sh CMD [ARGS]: runs CMD in a private D-Bus session with a real
# gnome-keyring Secret Service, unlocked by a throw-away password, in a
# temporary HOME (so the developer's own keyring is never touched).
set -euo pipefail
# Keep Go's caches where they are: HOME changes below.
export GOCACHE="$(go env GOCACHE)" GOMODCACHE="$(go env GOMODCACHE)" GOPATH="$(go env GOPATH)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp" XDG_DATA_HOME="$tmp/.local/share" XDG_CONFIG_HOME="$tmp/.config" XDG_RUNTIME_DIR="$tmp/run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
exec dbus-run-session -- bash -c '
  set -euo pipefail
  printf "%s" "throwaway-$RANDOM$RANDOM" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"
' with-keyring "$@"
