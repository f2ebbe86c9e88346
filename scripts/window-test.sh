#!/usr/bin/env bash
# Starts the real Storelink, as users do (`storelink`, which runs the window
# program storelink-window installed beside it), under Xvfb with a throw-away home, finds
# its window by title, takes X-level screenshots of the main window and of
# the Create connection pane into $ARTIFACTS, checks they are not blank and
# quits with Ctrl+Q, expecting exit status 0. Run by `make test`.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
artifacts=${ARTIFACTS:-$root/artifacts}
mkdir -p "$artifacts"
artifacts=$(cd "$artifacts" && pwd)
work=$(mktemp -d)
xvfb_pid=""
app_pid=""

cleanup() {
	if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then kill "$app_pid" 2>/dev/null || true; fi
	if [ -n "$xvfb_pid" ]; then kill "$xvfb_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

for tool in Xvfb xdotool import identify; do
	command -v "$tool" >/dev/null || { echo "window-test: $tool is missing (apt-get install xvfb xdotool imagemagick)" >&2; exit 1; }
done

echo "window-test: building"
(cd "$root" && go build -tags migrated_fynedo -o "$work/storelink-window" . &&
	CGO_ENABLED=0 go build -o "$work/storelink" ./cmd/storelink)

if [ -z "${WINDOW_TEST_DISPLAY:-}" ]; then
	# Find a free display number.
	n=99
	while [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
	Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp -noreset >"$work/xvfb.log" 2>&1 &
	xvfb_pid=$!
	export DISPLAY=":$n"
	for _ in $(seq 50); do
		xdotool getdisplaygeometry >/dev/null 2>&1 && break
		sleep 0.1
	done
else
	export DISPLAY=$WINDOW_TEST_DISPLAY
fi

mkdir -p "$work/home" "$work/storelink-home"
HOME="$work/home" STORELINK_HOME="$work/storelink-home" LANG=en_US.UTF-8 LC_ALL= STORELINK_LOG_LEVEL=debug \
	"$work/storelink" >"$artifacts/window-test.stdout.log" 2>"$artifacts/window-test.stderr.log" &
app_pid=$!

fail() {
	echo "window-test: $*" >&2
	echo "--- stderr of storelink:" >&2
	tail -n 30 "$artifacts/window-test.stderr.log" >&2 || true
	exit 1
}

# focus WINDOW: no window manager runs under Xvfb; a window just mapped may
# refuse the focus for a moment (X error BadMatch), so try again.
focus() {
	for _ in $(seq 25); do
		xdotool windowfocus --sync "$1" 2>/dev/null && return 0
		sleep 0.2
	done
	fail "could not focus window $1"
}

main_id=$(timeout 30 xdotool search --sync --onlyvisible --name '^Storelink( .* [0-9]+ failing)?$' | head -n 1) || fail "no window titled Storelink appeared"
echo "window-test: main window $main_id"
# No window manager runs under Xvfb: focus directly; keys then go through XTEST like a real keyboard.
focus "$main_id"
sleep 1.5 # let GL draw the first frames

not_blank() { # file: the picture has more than one colour in it
	local sd
	sd=$(identify -format '%[fx:standard_deviation]' "$1")
	awk -v sd="$sd" 'BEGIN { exit !(sd > 0.02) }' || fail "$1 looks blank (standard deviation $sd)"
}

import -window root "$artifacts/main-window-screen.png"
import -window "$main_id" "$artifacts/main-window.png"
not_blank "$artifacts/main-window.png"
echo "window-test: saved main-window.png"

# The live list: a connection the command line creates while the window is
# open shows in it within two seconds. The window logs "connections
# reloaded" with how many are saved only when another process changed them;
# the home started empty, so saved=1 can only come from this create. The
# create gets its own throw-away keychain (with-keyring.sh): the window only
# reads the settings file.
log="$work/storelink-home/logs/storelink.log"
if grep -q "connections reloaded" "$log" 2>/dev/null; then fail "the window said it reloaded before anything changed"; fi
printf '{"api_key": "WINDOWTESTKEY0123456789ABCDEFGHI"}' | STORELINK_HOME="$work/storelink-home" LANG=en_US.UTF-8 \
	timeout 60 "$root/scripts/with-keyring.sh" "$work/storelink" create --app prestashop --name "Made by the command line" \
	--set store_url=shop.example --secrets-stdin --no-verify >"$artifacts/window-test.create.log" 2>&1 ||
	fail "storelink create failed: $(cat "$artifacts/window-test.create.log")"
created=$(date +%s%N)
noticed=""
for _ in $(seq 40); do
	if grep -q 'connections reloaded.*saved=1' "$log" 2>/dev/null; then noticed=$(date +%s%N); break; fi
	sleep 0.05
done
[ -n "$noticed" ] || fail "the window did not notice the connection the command line created (no \"connections reloaded ... saved=1\" in its log within two seconds)"
took_ms=$(((noticed - created) / 1000000))
[ "$took_ms" -le 2000 ] || fail "the window noticed the new connection after $took_ms ms, not within two seconds"
echo "window-test: the window noticed the command line's connection after $took_ms ms"
sleep 0.5 # let GL draw the table
import -window "$main_id" "$artifacts/live-list.png"
not_blank "$artifacts/live-list.png"
echo "window-test: saved live-list.png"

# Ctrl+N opens the application picker; typing filters it and Enter picks.
xdotool key ctrl+n
sleep 1
xdotool type --delay 60 "presta"
sleep 0.5
xdotool key Return
pane_id=$(timeout 20 xdotool search --sync --onlyvisible --name '^Create connection - PrestaShop$' | head -n 1) || fail "the Create connection pane did not open"
echo "window-test: pane $pane_id"
focus "$pane_id"
sleep 1.5
import -window "$pane_id" "$artifacts/create-connection.png"
import -window root "$artifacts/create-connection-screen.png"
not_blank "$artifacts/create-connection.png"
echo "window-test: saved create-connection.png"

# Esc cancels the untouched pane, then Ctrl+Q quits from the main window.
xdotool key Escape
for _ in $(seq 50); do
	xdotool search --name '^Create connection - PrestaShop$' >/dev/null 2>&1 || break
	sleep 0.1
done
if xdotool search --name '^Create connection - PrestaShop$' >/dev/null 2>&1; then fail "Esc did not close the pane"; fi
focus "$main_id"
xdotool key ctrl+q

status=0
for _ in $(seq 100); do
	kill -0 "$app_pid" 2>/dev/null || break
	sleep 0.1
done
if kill -0 "$app_pid" 2>/dev/null; then fail "storelink did not quit on Ctrl+Q"; fi
wait "$app_pid" || status=$?
app_pid=""
[ "$status" -eq 0 ] || fail "storelink exited with status $status"
# The README's screenshots: the table in three states, a result with a warning, a failed one.
"$root/scripts/screenshots.sh" "$work/storelink" "$artifacts"
not_blank "$artifacts/connections-table.png"
not_blank "$artifacts/result-with-warning.png"
not_blank "$artifacts/result-failed.png"
echo "window-test: ok (screenshots in $artifacts)"
