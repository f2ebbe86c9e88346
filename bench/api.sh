#!/usr/bin/env bash
# bench/api.sh STORELINK OUT.md: `storelink api NAME GET /products` as a
# whole process against curl making the same request with the same key
# (PrestaShop: curl -u KEY: against bench/store; Magento 2 OAuth 1.0,
# HMAC-SHA256: curl with an Authorization header signed before timing by
# bench/magento, one fresh nonce per run, against the same program serving
# magentotest), on loopback, alternating A B A B; medians of BENCH_RUNS runs
# (default 21) and their ratio, written to OUT.md. Needs curl and a Secret
# Service (run it inside scripts/with-keyring.sh; `make bench` does).
set -euo pipefail
storelink=$(realpath "$1")
out=$2
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${BENCH_RUNS:-21}
work=$(mktemp -d)
store_pid= magento_pid=
cleanup() {
	[ -n "$store_pid" ] && kill "$store_pid" 2>/dev/null || true
	[ -n "$magento_pid" ] && kill "$magento_pid" 2>/dev/null || true
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
# waitaddr FILE: the first line a server printed, once it has.
waitaddr() {
	for _ in $(seq 50); do [ -s "$1" ] && break; sleep 0.1; done
	head -n 1 "$1"
}
# row NAME MEASURE AGAINST CURL_ARGS_FILE STORELINK_ARGS...: times them
# alternately; each curl run reads its own line of arguments (its own nonce).
rows=
row() {
	local measure=$1 against=$2 curlargs=$3 s= c= i=0 m_s m_c ratio verdict
	shift 3
	for _ in $(seq "$runs"); do
		i=$((i + 1))
		s+="$(timed "$storelink" "$@")"$'\n'
		mapfile -t args < <(sed -n "${i}p" "$curlargs" | tr '\t' '\n')
		c+="$(timed curl "${args[@]}")"$'\n'
	done
	m_s=$(printf '%s' "$s" | median)
	m_c=$(printf '%s' "$c" | median)
	ratio=$(awk -v a="$m_s" -v b="$m_c" 'BEGIN {printf "%.2f", a / b}')
	verdict=$(awk -v r="$ratio" 'BEGIN {print (r <= 1.2) ? "met" : "**missed**"}')
	rows+="| $measure | $against | $m_s ms / $m_c ms | ${ratio}x | 1.2x | $verdict |"$'\n'
}

key=BENCHKEYBENCHKEYBENCHKEYBENCHKEY
go build -o "$work/store" "$root/bench/store"
go build -o "$work/magento" "$root/bench/magento"
"$work/store" -key "$key" >"$work/store.addr" &
store_pid=$!
"$work/magento" >"$work/magento.addr" &
magento_pid=$!
addr=$(waitaddr "$work/store.addr")
rest=$(waitaddr "$work/magento.addr")
echo "{\"api_key\":\"$key\"}" | "$storelink" create --app prestashop --name Bench --set "store_url=$addr" --set use_https=false --secrets-stdin >/dev/null 2>"$work/create.log"
# bench/magento serves magentotest with its default credentials.
echo '{"consumer_secret":"2rxrwgl2ph9wk8bh8v3kf6s7ovj9g1sa","access_token":"ik4p0qbd7ye5oxnyl2gv0sdw4vh3ifkr","token_secret":"xb0ws2kx6x6hsbm6snqv6ybaadhbr8xa"}' |
	"$storelink" create --app magento2 --name BenchM --set "base_uri=$rest" --set auth_type=oauth1 --set signature_method=HMAC-SHA256 \
		--set consumer_key=u1hvkyzeqs3ykcxfq6lzd3uu8uw9b0q2 --secrets-stdin >/dev/null 2>>"$work/create.log"
mpath='/V1/products?searchCriteria[pageSize]=20'
murl="$rest/V1/products?searchCriteria%5BpageSize%5D=20"
for _ in $(seq "$runs"); do printf -- '-fsS\t-u\t%s:\thttp://%s/api/products\n' "$key" "$addr"; done >"$work/ps.args"
# One header per run and one for the check below, signed now: none is timed.
"$work/magento" -sign "$((runs + 1))" "$murl" | while IFS= read -r h; do printf -- '-fsS\t-H\t%s\t%s\n' "$h" "$murl"; done >"$work/m.args"
# Both give the same body, and once each before timing (caches warm).
diff <("$storelink" api Bench GET /products) <(curl -fsS -u "$key:" "http://$addr/api/products") >/dev/null ||
	{ echo "bench: storelink api and curl do not get the same body from PrestaShop" >&2; exit 1; }
mapfile -t margs < <(tail -n 1 "$work/m.args" | tr '\t' '\n')
diff <("$storelink" api BenchM GET "$mpath") <(curl "${margs[@]}") >/dev/null ||
	{ echo "bench: storelink api and curl do not get the same body from Magento" >&2; exit 1; }
row '`storelink api NAME GET /products`, PrestaShop' '`curl -u KEY: .../api/products`' "$work/ps.args" api Bench GET /products
row '`storelink api NAME GET /V1/products?...`, Magento 2 OAuth 1.0 HMAC-SHA256' '`curl -H "Authorization: OAuth ..." .../V1/products?...` (signed before timing)' "$work/m.args" api BenchM GET "$mpath"
{
	echo "## storelink api against curl"
	echo
	echo "Measured by \`bench/api.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(go version | awk '{print $3}'); medians of $runs alternating runs, each a whole process against bench/store (the PrestaShop emulator) or bench/magento (the Magento 2 emulator) on loopback."
	echo
	echo "| Measure | Against | Medians | Ratio | Target | |"
	echo "|---|---|---|---|---|---|"
	printf '%s' "$rows"
} >"$out"
cat "$out"
