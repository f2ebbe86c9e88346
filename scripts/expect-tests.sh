#!/usr/bin/env bash
# expect-tests.sh MIN CMD...: runs a verbose `go test` command and fails
# unless it passed and at least MIN top-level tests passed, so a build-tag or
# -run typo can never turn a suite into "no tests to run".
set -euo pipefail
min=$1; shift
out=$(mktemp)
trap 'rm -f "$out"' EXIT
set +e
"$@" 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
set -e
passed=$(grep -cE '^--- PASS: ' "$out" || true)
if [[ $rc -ne 0 ]]; then exit "$rc"; fi
if [[ "$passed" -lt "$min" ]]; then
  echo "expected at least $min passing tests, saw $passed" >&2
  exit 1
fi
echo "$passed tests passed"
