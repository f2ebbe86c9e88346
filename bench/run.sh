#!/usr/bin/env bash
# bench/run.sh STORELINK FLOOR OUT.md: whole-process benchmarks of Storelink
# (STORELINK is the command line program, with storelink-window beside it:
# the window is started through it, as users start it)
# against the toolkit's floor (bench/floor, a bare Fyne window built with the
# same flags) and against curl, each pair measured side by side in one run,
# alternating A B A B, medians quoted as ratios. Needs Xvfb, xdotool, curl,
# a C compiler with the X11 headers (for bench/mapwait) and a Secret Service
# (run it inside scripts/with-keyring.sh; `make bench` does). Writes the
# figures with method, machine and date to OUT.md.
set -euo pipefail
storelink=$(realpath "$1")
window=$(dirname "$storelink")/storelink-window
floor=$(realpath "$2")
[ -x "$window" ] || { echo "bench: $window is missing (make build writes both programs)" >&2; exit 1; }
out=$3
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${BENCH_RUNS:-11}
work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

for tool in Xvfb xdotool curl strip; do
	command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
done
# bench/mapwait times start-up from the X server's own events.
command -v cc >/dev/null || { echo "bench: cc is missing (needed to build bench/mapwait)" >&2; exit 1; }
cc -O2 -o "$work/mapwait" "$root/bench/mapwait/mapwait.c" -lX11 2>"$work/cc.log" || {
	cat "$work/cc.log" >&2
	echo "bench: cannot build bench/mapwait: are the X11 headers (libx11-dev) installed?" >&2
	exit 1
}

n=120
while [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp -noreset >"$work/xvfb.log" 2>&1 &
pids+=($!)
export DISPLAY=":$n"
for _ in $(seq 50); do xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.1; done
export LANG=en_US.UTF-8
unset LC_ALL

# timed CMD...: runs CMD (output dropped) and prints its wall time in
# milliseconds with two decimals, from bash's own clock: no date process
# forked around it, microsecond resolution.
timed() {
	local t0=$EPOCHREALTIME t1
	"$@" >/dev/null
	t1=$EPOCHREALTIME
	awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", (b - a) * 1000}'
}

# seed HOME COUNT: a settings file with COUNT connections (no secrets: the
# window reads none at start-up).
seed() {
	local home=$1 count=$2
	mkdir -p "$home"
	{
		printf '{"schema":2,"connections":['
		for i in $(seq 1 "$count"); do
			[ "$i" -gt 1 ] && printf ','
			printf '{"id":"%016x","name":"Shop %04d","app":"prestashop","values":{"name":"Shop %04d","mode":"cloud","store_url":"shop%d.example"},"secret_keys":["api_key"],"created":"2026-11-30T10:00:00Z","updated":"2026-11-30T10:00:00Z","last_verification":{"at":"2026-11-30T10:00:00Z","ok":%s,"code":"%s"},"generation":1}' \
				"$i" "$i" "$i" "$i" "$([ $((i % 7)) -eq 0 ] && echo false || echo true)" "$([ $((i % 7)) -eq 0 ] && echo auth_invalid || echo ok)"
		done
		printf ']}\n'
	} >"$home/connections.json"
}

# map_ms BINARY HOME TITLE: launches BINARY under bench/mapwait, which times
# it from just before fork to the X server's report that its window titled
# TITLE is mapped (events, no polling). Sets last_ms (milliseconds, three
# decimals) and last_pid (the program, left running); so it must not run in
# $(...), where both would be lost.
map_ms() {
	local bin=$1 home=$2 title=$3
	HOME="$work/userhome" STORELINK_HOME="$home" "$work/mapwait" "$title" -- "$bin" >"$work/mapwait.out" || return 1
	{ read -r last_ms; read -r last_pid; } <"$work/mapwait.out"
}

# stop PID: kill it and wait until it has gone. mapwait's child is not this
# shell's, so `wait` cannot; poll /proc (a zombie counts as gone), up to 5 s.
stop() {
	kill "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
	local i=0
	while [ "$i" -lt 500 ] && [ -e "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; do
		sleep 0.01
		i=$((i + 1))
	done
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }
one() { awk -v a="$1" 'BEGIN {printf "%.1f", a}'; }

mkdir -p "$work/userhome"
seed "$work/h0" 0
seed "$work/h50" 50
seed "$work/h1000" 1000

# 1, 2: start-up. Each pair alternates, after one warm-up of each.
declare -A t
for kind in floor floorgc s0 s50 s1000; do t[$kind]=""; done
launch() {
	case $1 in
	floor) map_ms "$floor" "$work/h0" Floor ;;
	# The floor with its collector off, as Storelink's is until its window
	# shows: the start-up ratio without that advantage.
	floorgc) GOGC=off map_ms "$floor" "$work/h0" Floor ;;
	s0) map_ms "$storelink" "$work/h0" Storelink ;;
	s50) map_ms "$storelink" "$work/h50" Storelink ;;
	s1000) map_ms "$storelink" "$work/h1000" Storelink ;;
	esac
}
for kind in floor floorgc s0 s50 s1000; do
	launch "$kind"
	stop "$last_pid"
done
for i in $(seq 1 "$runs"); do
	for kind in floor s50 floorgc s0 s1000; do
		launch "$kind"
		stop "$last_pid"
		t[$kind]+="$last_ms"$'\n'
	done
done
m_floor=$(printf '%s' "${t[floor]}" | median)
m_floorgc=$(printf '%s' "${t[floorgc]}" | median)
m_s0=$(printf '%s' "${t[s0]}" | median)
m_s50=$(printf '%s' "${t[s50]}" | median)
m_s1000=$(printf '%s' "${t[s1000]}" | median)

# 3: idle memory (VmRSS) with 50 connections, 3 s after the window mapped.
rss() {
	local kb
	launch "$1"
	sleep 3
	kb=$(awk '/^VmRSS/ {print $2}' "/proc/$last_pid/status")
	stop "$last_pid"
	echo "$kb"
}
r_floor="" r_s50=""
for i in 1 2 3; do
	r_floor+="$(rss floor)"$'\n'
	r_s50+="$(rss s50)"$'\n'
done
m_rfloor=$(printf '%s' "$r_floor" | median)
m_rs50=$(printf '%s' "$r_s50" | median)

# 4: stripped binary size: the window program, and both programs together.
cp "$window" "$work/s.stripped"
cp "$storelink" "$work/c.stripped"
cp "$floor" "$work/f.stripped"
strip --strip-all "$work/s.stripped" "$work/c.stripped" "$work/f.stripped"
size_s=$(stat -c %s "$work/s.stripped")
size_c=$(stat -c %s "$work/c.stripped")
size_sc=$((size_s + size_c))
size_f=$(stat -c %s "$work/f.stripped")

# 5: `storelink test NAME` as a whole process against curl fetching the same
# PrestaShop API root from the local emulator.
key=BENCHKEYBENCHKEYBENCHKEYBENCHKEY
go build -o "$work/store" "$root/bench/store"
"$work/store" -key "$key" >"$work/store.addr" &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/store.addr" ] && break; sleep 0.1; done
addr=$(head -n 1 "$work/store.addr")
export STORELINK_HOME="$work/cli"
echo "{\"api_key\":\"$key\"}" | "$storelink" create --app prestashop --name Bench --set "store_url=$addr" --set use_https=false --secrets-stdin >/dev/null 2>&1
"$storelink" test Bench >/dev/null
curl -fsS -u "$key:" "http://$addr/api/" >/dev/null
c_s="" c_c=""
for i in $(seq 1 15); do
	c_s+="$(timed "$storelink" test Bench)"$'\n'
	c_c+="$(timed curl -fsS -u "$key:" "http://$addr/api/")"$'\n'
done
m_cs=$(printf '%s' "$c_s" | median)
m_cc=$(printf '%s' "$c_c" | median)

# 6: `storelink test --all` over 100 connections to a store that answers
# after 20 ms: the ideal is ceil(100/8) rounds of 20 ms.
"$work/store" -key "$key" -latency 20ms >"$work/slow.addr" &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/slow.addr" ] && break; sleep 0.1; done
slow=$(head -n 1 "$work/slow.addr")
export STORELINK_HOME="$work/all"
for i in $(seq -w 1 100); do
	echo "{\"api_key\":\"$key\"}" | "$storelink" create --app prestashop --name "Shop $i" --set "store_url=$slow" --set use_https=false --secrets-stdin --no-verify >/dev/null 2>&1
done
"$storelink" test --all >/dev/null
a_s=""
for i in 1 2 3 4 5; do
	a_s+="$(timed "$storelink" test --all)"$'\n'
done
m_all=$(printf '%s' "$a_s" | median)
ideal=$(((100 + 7) / 8 * 20))

verdict() { awk -v r="$1" -v t="$2" 'BEGIN {print (r <= t) ? "met" : "**missed**"}'; }
rows=(
	"Time to the main window mapped, 50 connections | the minimal window | $(one "$m_s50") ms / $(one "$m_floor") ms | $(ratio "$m_s50" "$m_floor")x | 1.2x | $(verdict "$(ratio "$m_s50" "$m_floor")" 1.2)"
	"Same, 50 connections | the minimal window with its collector off (GOGC=off) | $(one "$m_s50") ms / $(one "$m_floorgc") ms | $(ratio "$m_s50" "$m_floorgc")x | 1.2x | $(verdict "$(ratio "$m_s50" "$m_floorgc")" 1.2)"
	"Time to the main window mapped, 1,000 connections | Storelink with none | $(one "$m_s1000") ms / $(one "$m_s0") ms | $(ratio "$m_s1000" "$m_s0")x | 1.2x | $(verdict "$(ratio "$m_s1000" "$m_s0")" 1.2)"
	"Idle RSS, 50 connections | the minimal window | $((m_rs50 / 1024)) MiB / $((m_rfloor / 1024)) MiB | $(ratio "$m_rs50" "$m_rfloor")x | 1.3x | $(verdict "$(ratio "$m_rs50" "$m_rfloor")" 1.3)"
	"Stripped binary size, the window program | the minimal window | $((size_s / 1024)) KiB / $((size_f / 1024)) KiB | $(ratio "$size_s" "$size_f")x | 1.3x | $(verdict "$(ratio "$size_s" "$size_f")" 1.3)"
	"Stripped size of both programs (window and command line), for information | the minimal window | $((size_sc / 1024)) KiB / $((size_f / 1024)) KiB | $(ratio "$size_sc" "$size_f")x | none | the package's cost of a command line without the toolkit"
	"\`storelink test NAME\`, local PrestaShop emulator | curl, same URL | $(one "$m_cs") ms / $(one "$m_cc") ms | $(ratio "$m_cs" "$m_cc")x | 1.5x | $(verdict "$(ratio "$m_cs" "$m_cc")" 1.5)"
	"\`storelink test --all\`, 100 connections, 20 ms latency | the ideal the limits allow (8 at once) | $(one "$m_all") ms / $ideal ms | $(ratio "$m_all" "$ideal")x | 1.5x | $(verdict "$(ratio "$m_all" "$ideal")" 1.5)"
)
{
	echo "## Whole-process figures"
	echo
	echo "Measured by \`bench/run.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(go version | awk '{print $3}'), Xvfb with software GL; medians of $runs alternating runs (start-up), 3 (memory), 15 (test NAME), 5 (test --all). Start-up is timed by \`bench/mapwait\`, from just before the fork to the X server's own report that the window with the program's title is mapped (MapNotify and PropertyNotify events selected on the root window before launch, no polling)."
	echo
	echo "| Measure | Against | Medians | Ratio | Target | |"
	echo "|---|---|---|---|---|---|"
	for r in "${rows[@]}"; do echo "| $r |"; done
} >"$out"
cat "$out"
