#!/usr/bin/env bash
# test.sh is `make test`: go vet, the docs freshness check, then every test, against a
# throwaway PostgreSQL unless TEST_DATABASE_URL names a server (scripts/with-test-db.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== go vet"
go vet ./...
# The benchmark driver builds with -tags bench (it reaches the queries behind the hot reads).
go vet -tags bench ./scripts/bench/ ./repository/
echo "== docs"
scripts/docs.sh --check

# Every test takes "now" from TEST_NOW (models/clocktest). Fixing it here, once, means a
# failure can be repeated exactly: the line below says which instant to set.
export TEST_NOW=${TEST_NOW:-$(date -u +%Y-%m-%dT%H:%M:%SZ)}
echo "== go test as of TEST_NOW=$TEST_NOW"
# The API tests' contract check (api/contract_test.go) counts the exchanges it validated;
# go test hides a passing package's output, so the count comes back through a file.
export CONTRACT_REPORT
CONTRACT_REPORT=$(mktemp)
trap 'rm -f "$CONTRACT_REPORT"' EXIT
scripts/with-test-db.sh go test -count=1 "$@" ./...
cat "$CONTRACT_REPORT"
