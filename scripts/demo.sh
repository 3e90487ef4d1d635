#!/usr/bin/env bash
# demo.sh is `make demo`: it loads the demo dataset (cyberskills demo) into the database
# `make run` uses: the private PostgreSQL under .data/postgres unless DATABASE_URL is set.
# It starts that cluster for the load when it is not running (make run not started, or
# stopped), and then stops it again.
set -euo pipefail
cd "$(dirname "$0")/.."

started=
if [ -z "${DATABASE_URL:-}" ]; then
	[ -f .data/postgres/data/postmaster.pid ] || started=1
	DATABASE_URL=$(scripts/pg.sh start .data/postgres | tail -n 1)
	export DATABASE_URL
fi
status=0
bin/cyberskills demo || status=$?
if [ -n "$started" ]; then
	scripts/pg.sh stop .data/postgres
fi
exit $status
