#!/usr/bin/env bash
# screenshots.sh STORELINK ARTIFACTS: the README's screenshots from the real
# binary under the running X display (window-test.sh calls it): the
# connections table with verified, failed and unverified connections of all five platforms,
# a test result that passed with a warning (a PrestaShop emulator whose
# server drops the Authorization header), and a failed test read as
# headline, reason and numbered steps (a wrong key against a second
# emulator), and Try a request with the root listing it answered (a window
# of its own, over a throw-away keychain). Fails if a window does not appear.
set -euo pipefail
bin=$1
artifacts=$2
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
pids=()
cleanup() {
	local stuck=""
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	# Fyne writes its preferences as it quits: wait, but not for ever (the
	# window ends itself 5 s after SIGTERM; a CI run once hung here).
	for p in "${pids[@]}"; do
		for _ in $(seq 150); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		if kill -0 "$p" 2>/dev/null; then
			stuck+=" $p"
			kill -KILL "$p" 2>/dev/null || true
		fi
		wait "$p" 2>/dev/null || true
	done
	if [ -n "$stuck" ]; then
		echo "screenshots: still running 15 s after SIGTERM:$stuck" >&2
		tail -n 30 "$work/out.log" >&2 2>/dev/null || true
		rm -rf "$work"
		exit 1
	fi
	rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "screenshots: $*" >&2; exit 1; }

(cd "$root" && go build -o "$work/store" ./bench/store)
key=BENCHKEYBENCHKEYBENCHKEYBENCHKEY
"$work/store" -key "$key" -strip-auth -shop-name "Lipová Shop" >"$work/addr" &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/addr" ] && break; sleep 0.1; done
addr=$(head -n 1 "$work/addr")
# A second shop that receives the header: a wrong key fails plainly.
"$work/store" -key "$key" -shop-name "Lipová Outlet" >"$work/addr2" &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/addr2" ] && break; sleep 0.1; done
addr2=$(head -n 1 "$work/addr2")
[ -n "$addr" ] && [ -n "$addr2" ] || fail "the bench stores did not start"

at() { date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ; }
mkdir -p "$work/home" "$work/user"
cat >"$work/home/connections.json" <<JSON
{"schema": 2, "connections": [
 {"id": "00000000000000a4", "name": "Lipová Shop", "app": "prestashop", "values": {"name": "Lipová Shop", "mode": "cloud", "store_url": "$addr", "use_https": "false"}, "secret_keys": ["api_key"], "created": "$(at '-5 day')", "updated": "$(at '-5 day')", "generation": 1},
 {"id": "00000000000000a1", "name": "Main shop", "app": "prestashop", "values": {"name": "Main shop", "mode": "cloud", "store_url": "shop.example"}, "secret_keys": ["api_key"], "created": "$(at '-5 day')", "updated": "$(at '-5 day')", "last_verification": {"at": "$(at '-3 min')", "ok": true, "code": "ok"}, "generation": 1},
 {"id": "00000000000000a2", "name": "Staging", "app": "magento2", "values": {"name": "Staging", "mode": "cloud", "base_uri": "https://staging.example/rest", "auth_type": "token"}, "secret_keys": ["access_token"], "created": "$(at '-5 day')", "updated": "$(at '-5 day')", "last_verification": {"at": "$(at '-1 hour')", "ok": false, "code": "auth_invalid", "message": "Magento refused the access token.", "hint": "Copy the token again from System > Extensions > Integrations."}, "generation": 1},
 {"id": "00000000000000a5", "name": "Zahrada", "app": "woocommerce", "values": {"name": "Zahrada", "mode": "cloud", "store_url": "zahrada.example", "use_https": "true", "auth_method": "auto", "required_access": "read"}, "secret_keys": ["consumer_key", "consumer_secret"], "created": "$(at '-5 day')", "updated": "$(at '-5 day')", "last_verification": {"at": "$(at '-20 min')", "ok": true, "code": "ok", "warnings": [{"code": "rewrite_missing", "message": "WordPress answers only at ?rest_route=: its permalinks are Plain. In Settings > Permalinks choose Post name and save."}]}, "generation": 1},
 {"id": "00000000000000a6", "name": "Sneakers", "app": "shopify", "values": {"name": "Sneakers", "mode": "cloud", "shop": "sneakers.myshopify.com", "auth_type": "access_token"}, "secret_keys": ["access_token"], "created": "$(at '-5 day')", "updated": "$(at '-5 day')", "last_verification": {"at": "$(at '-4 hour')", "ok": false, "code": "store_unavailable", "message": "Shopify says the store is frozen (402 Payment Required).", "hint": "The store's owner settles the bill in Settings > Plan; then test again."}, "generation": 1},
 {"id": "00000000000000a3", "name": "Warehouse", "app": "upgates", "values": {"name": "Warehouse", "mode": "cloud", "api_url": "https://warehouse.admin.s15.upgates.com/api/v2", "api_user": "storelink"}, "secret_keys": ["api_key"], "created": "$(at '-5 day')", "updated": "$(at '-5 day')", "last_verification": {"at": "$(at '-2 day')", "ok": false, "code": "", "unverified": true, "message": "saved without verifying"}, "generation": 1}
]}
JSON
# Staging's history, as vault/history.go writes it (JSON lines, oldest
# first): a test every 12 h for two weeks by the schedule, one that failed
# on the network and one cancelled among them, a pass with a warning, then
# the key refused 3 h and 1 h ago.
mkdir -p "$work/home/state/history"
hist="$work/home/state/history/connection-00000000000000a2.jsonl"
: >"$hist"
entry() { printf '{"time":"%s","outcome":"%s","code":"%s","duration_ms":%d,"trigger":"%s"}\n' "$(at "$1")" "$2" "$3" "$4" "$5" >>"$hist"; }
for h in $(seq 336 -12 12); do
	case $h in
	192) entry "-$h hour" failed unreachable 10012 schedule ;;
	120) entry "-$h hour" cancelled canceled 3100 test-all ;;
	48) entry "-$h hour" warned ok 412 window ;;
	*) entry "-$h hour" passed ok $((200 + h % 7 * 31)) schedule ;;
	esac
done
entry '-3 hour -5 min' failed auth_invalid 388 schedule
entry '-1 hour' failed auth_invalid 371 cli
HOME="$work/user" STORELINK_HOME="$work/home" LANG=en_US.UTF-8 LC_ALL= "$bin" >"$work/out.log" 2>&1 &
app=$!
pids+=($app)
# focus WINDOW: no window manager runs under Xvfb; a window just mapped may
# refuse the focus for a moment (BadMatch), so try again.
focus() {
	for _ in $(seq 20); do
		xdotool windowfocus --sync "$1" 2>/dev/null && return 0
		sleep 0.2
	done
	fail "could not focus window $1"
}
main=$(timeout 30 xdotool search --sync --onlyvisible --name '^Storelink( .* [0-9]+ failing)?$' | head -n 1) || fail "no main window"
focus "$main"
sleep 2
import -window "$main" "$artifacts/connections-table.png"

# Staging's details with its history: a click on its failed status (the
# fourth row, by name), then the screenshot of the dialog over the window.
xdotool mousemove --window "$main" "${STATUS_X:-560}" "${STAGING_Y:-277}" click 1
sleep 1.5
# Scroll the details down to the history.
xdotool mousemove --window "$main" 450 300 click --repeat 6 --delay 40 5
sleep 0.5
import -window "$main" "$artifacts/history.png"
xdotool key Escape
sleep 0.5

# Double-click the first row (Lipová Shop) to edit it, type its key, test.
xdotool mousemove --window "$main" 60 169 click --repeat 2 --delay 80 1
pane=$(timeout 20 xdotool search --sync --onlyvisible --name '^Edit connection - Lipová Shop$' | head -n 1) || fail "the Edit pane did not open"
focus "$pane"
sleep 0.5
for _ in 1 2 3 4; do xdotool key Tab; sleep 0.2; done # Name, Cloud, On-premise, Store URL, API key
xdotool type --delay 10 "$key"
xdotool key ctrl+Return
sleep 3
import -window "$pane" "$artifacts/result-with-warning.png"

# The same pane against the second shop with a wrong key: Shift+Tab back to
# Store URL, replace it, Tab to API key, replace it, test.
xdotool key shift+Tab ctrl+a
xdotool type --delay 10 "$addr2"
xdotool key Tab ctrl+a
xdotool type --delay 10 "WRONGKEYWRONGKEYWRONGKEYWRONGKEY"
xdotool key ctrl+Return
sleep 3
import -window "$pane" "$artifacts/result-failed.png"

# Try a request: a second window over a home of its own (the shots above
# stay as they were), with Lipová Outlet created and tested by the command
# line under a throw-away keychain the window then reads its key from.
# Select the only row, Details, Tab to Try a request, Enter; Enter in the path
# sends the first example (GET /, the root listing).
# The first window goes first, so the search finds only the second.
kill "$app" 2>/dev/null || true
for _ in $(seq 150); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
mkdir -p "$work/home2"
export STORELINK_BIN_ABS="$bin" TRY_HOME="$work/home2" TRY_ADDR="$addr2" TRY_KEY="$key" TRY_SHOT="$artifacts/try-request.png"
"$root/scripts/with-keyring.sh" bash -c '
	set -euo pipefail
	printf "{\"api_key\": \"%s\"}" "$TRY_KEY" | STORELINK_HOME="$TRY_HOME" LANG=en_US.UTF-8 "$STORELINK_BIN_ABS" create --app prestashop \
		--name "Lipová Outlet" --set store_url="$TRY_ADDR" --set use_https=false --secrets-stdin >"$TRY_HOME/create.log" 2>&1 ||
		{ echo "screenshots: storelink create failed: $(cat "$TRY_HOME/create.log")" >&2; exit 1; }
	STORELINK_HOME="$TRY_HOME" LANG=en_US.UTF-8 LC_ALL= "$STORELINK_BIN_ABS" >"$TRY_HOME/out.log" 2>&1 &
	app=$!
	trap "kill $app 2>/dev/null; wait $app 2>/dev/null || true" EXIT
	win=$(timeout 30 xdotool search --sync --onlyvisible --name "^Storelink$" | head -n 1)
	[ -n "$win" ] || { echo "screenshots: no window for Try a request" >&2; exit 1; }
	for _ in $(seq 20); do xdotool windowfocus --sync "$win" 2>/dev/null && break; sleep 0.2; done
	xdotool windowsize "$win" 1100 760 # room for the dialog and its answer
	sleep 2
	xdotool mousemove --window "$win" 60 169 click 1 # the only row
	sleep 0.5
	xdotool mousemove --window "$win" "${DETAILS_X:-364}" "${DETAILS_Y:-89}" click 1 # Details
	sleep 1.5
	for _ in 1 2; do xdotool key Tab; sleep 0.2; done # from Close past Copy a report to Try a request
	xdotool key Return
	sleep 1.5
	xdotool key Return # Send the first example
	sleep 2
	import -window "$win" "$TRY_SHOT"
'
echo "screenshots: connections-table.png, history.png, result-with-warning.png, result-failed.png, try-request.png"
