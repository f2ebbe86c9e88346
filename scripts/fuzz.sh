#!/usr/bin/env bash
# fuzz.sh DURATION: runs every Fuzz target in the module for DURATION each
# (make fuzz: one minute), then keeps up to 40 of the inputs the fuzzer found
# interesting in the package's testdata/fuzz/<Target>, so the next `go test`
# replays them as regression cases.
set -euo pipefail
cd "$(dirname "$0")/.."
time=${1:-60s}
cache=$(go env GOCACHE)/fuzz
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for t in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/func //'); do
    echo "== $pkg $t"
    go test -tags migrated_fynedo -run '^$' -fuzz "^$t\$" -fuzztime "$time" "$pkg"
    found="$cache/$pkg/$t"
    if [ -d "$found" ]; then
      mkdir -p "$dir/testdata/fuzz/$t"
      # the smallest ones: short cases read best in a review
      ls -S -r "$found" | head -n 40 | while read -r f; do cp -n "$found/$f" "$dir/testdata/fuzz/$t/" || true; done
    fi
  done
done
