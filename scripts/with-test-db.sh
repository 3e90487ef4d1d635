#!/usr/bin/env bash
# with-test-db.sh runs a command with TEST_DATABASE_URL naming a PostgreSQL server on which
# tests may create databases: the caller's, when set, or else a throwaway cluster started
# under .data/ and removed when the command ends, whatever its outcome.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${TEST_DATABASE_URL:-}" ]; then
	cluster=.data/test-$$
	trap 'scripts/pg.sh destroy "$cluster" >/dev/null 2>&1 || true; rmdir .data 2>/dev/null || true' EXIT
	# Durability is pointless for a database that is deleted afterwards.
	export PG_EXTRA_CONF=$'fsync = off\nsynchronous_commit = off\nfull_page_writes = off'
	echo "== starting a throwaway PostgreSQL"
	TEST_DATABASE_URL=$(scripts/pg.sh start "$cluster" | tail -n 1)
	export TEST_DATABASE_URL
fi
"$@"
