#!/usr/bin/env bash
# test.sh is `make test`: go vet, the docs freshness check, then every test. Unless
# TEST_DATABASE_URL names a server, it starts a throwaway PostgreSQL and removes it after.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== go vet"
go vet ./...
echo "== docs"
scripts/docs.sh --check

if [ -z "${TEST_DATABASE_URL:-}" ]; then
	cluster=.data/test-$$
	trap 'scripts/pg.sh destroy "$cluster" >/dev/null 2>&1 || true; rmdir .data 2>/dev/null || true' EXIT
	# Durability is pointless for a database that is deleted afterwards.
	export PG_EXTRA_CONF=$'fsync = off\nsynchronous_commit = off\nfull_page_writes = off'
	echo "== starting a throwaway PostgreSQL"
	TEST_DATABASE_URL=$(scripts/pg.sh start "$cluster" | tail -n 1)
	export TEST_DATABASE_URL
fi

echo "== go test"
go test -count=1 "$@" ./...
