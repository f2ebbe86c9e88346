#!/usr/bin/env bash
# Runs the tests tagged `keychain` against a real Secret Service (see
# with-keyring.sh). They fail, never skip, without a working keychain.
set -euo pipefail
cd "$(dirname "$0")/.."
exec scripts/expect-tests.sh 3 scripts/with-keyring.sh \
  go test -race -count=1 -v -tags keychain,ci,migrated_fynedo -run 'RealKeychain' ./vault/ ./cli/
