#!/usr/bin/env bash
# bench/api.sh STORELINK OUT.md: `storelink api NAME GET /products` as a
# whole process against curl making the same request with the same key
# (PrestaShop: curl -u KEY:), both against bench/store on loopback,
# alternating A B A B; medians of BENCH_RUNS runs (default 21) and their
# ratio, written to OUT.md. Needs curl and a Secret Service (run it inside
# scripts/with-keyring.sh; `make bench` does). Magento's OAuth 1.0 row is
# to be added beside this one.
set -euo pipefail
storelink=$(realpath "$1")
out=$2
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${BENCH_RUNS:-21}
work=$(mktemp -d)
store_pid=
cleanup() {
	[ -n "$store_pid" ] && kill "$store_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
command -v curl >/dev/null || { echo "bench: curl is missing" >&2; exit 1; }
export STORELINK_HOME=$work/home LANG=en_US.UTF-8

# timed CMD...: wall time of CMD in milliseconds, from bash's own clock.
timed() {
	local t0=$EPOCHREALTIME t1
	"$@" >/dev/null
	t1=$EPOCHREALTIME
	awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", (b - a) * 1000}'
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

key=BENCHKEYBENCHKEYBENCHKEYBENCHKEY
go build -o "$work/store" "$root/bench/store"
"$work/store" -key "$key" >"$work/store.addr" &
store_pid=$!
for _ in $(seq 50); do [ -s "$work/store.addr" ] && break; sleep 0.1; done
addr=$(head -n 1 "$work/store.addr")
echo "{\"api_key\":\"$key\"}" | "$storelink" create --app prestashop --name Bench --set "store_url=$addr" --set use_https=false --secrets-stdin >/dev/null 2>"$work/create.log"
# Both give the same body, and once each before timing (caches warm).
diff <("$storelink" api Bench GET /products) <(curl -fsS -u "$key:" "http://$addr/api/products") >/dev/null ||
	{ echo "bench: storelink api and curl do not get the same body" >&2; exit 1; }
s= c=
for _ in $(seq "$runs"); do
	s+="$(timed "$storelink" api Bench GET /products)"$'\n'
	c+="$(timed curl -fsS -u "$key:" "http://$addr/api/products")"$'\n'
done
m_s=$(printf '%s' "$s" | median)
m_c=$(printf '%s' "$c" | median)
ratio=$(awk -v a="$m_s" -v b="$m_c" 'BEGIN {printf "%.2f", a / b}')
verdict=$(awk -v r="$ratio" 'BEGIN {print (r <= 1.2) ? "met" : "**missed**"}')
{
	echo "## storelink api against curl"
	echo
	echo "Measured by \`bench/api.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(go version | awk '{print $3}'); medians of $runs alternating runs, each a whole process against bench/store (the PrestaShop emulator) on loopback."
	echo
	echo "| Measure | Against | Medians | Ratio | Target | |"
	echo "|---|---|---|---|---|---|"
	echo "| \`storelink api NAME GET /products\`, PrestaShop | \`curl -u KEY: .../api/products\` | $m_s ms / $m_c ms | ${ratio}x | 1.2x | $verdict |"
} >"$out"
cat "$out"
