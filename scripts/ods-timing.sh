#!/usr/bin/env bash
# ods-timing.sh times the import of a real GP practice extract: it starts a throwaway
# PostgreSQL (as `make run` configures one), imports the trust extract, then the GP
# practice extract twice (a first import, then a re-import that changes nothing), and
# copies the same rows into a bare table for the floor. See scripts/odstiming.
#
#	scripts/ods-timing.sh path/to/epraccur.csv [path/to/etr.csv]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ]; then
	echo "usage: scripts/ods-timing.sh path/to/epraccur.csv [path/to/etr.csv]" >&2
	exit 2
fi
practices=$(realpath "$1")
trusts=$(realpath "${2:-testdata/ods/etr.csv}")
cluster=.data/ods-timing-$$
trap 'scripts/pg.sh destroy "$cluster" >/dev/null 2>&1 || true; rmdir .data 2>/dev/null || true' EXIT
DATABASE_URL=$(scripts/pg.sh start "$cluster" | tail -n 1)
export DATABASE_URL
go run . migrate up >/dev/null
go run ./scripts/odstiming -etr "$trusts" "$practices"
