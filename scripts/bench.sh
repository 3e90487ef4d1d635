#!/usr/bin/env bash
# bench.sh is `make bench` (medium scale) and `make bench-nhs` (NHS scale): it starts a
# private PostgreSQL for the scale under .data/bench-SCALE, generates the dataset once
# (go run ./scripts/gen), starts the server on it, drives it with the named scenarios
# (go run ./scripts/bench) and prints the figures. The dataset is kept for the next run;
# `scripts/pg.sh destroy .data/bench-SCALE` removes it. BENCH_DURATION sets each load
# phase's length, BENCH_ONLY picks scenarios, BENCH_EXPLAIN=1 prints the read scenarios'
# plans instead of loading.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/server.sh

scale=${1:-medium}
duration=${BENCH_DURATION:-10s}
cluster=.data/bench-$scale
server=

cleanup() {
	trap - INT TERM EXIT
	stop_server
	scripts/pg.sh stop "$cluster" >/dev/null 2>&1 || true
}
trap cleanup INT TERM EXIT

# A benchmark cluster is tuned for a 24 GB, 2-core machine and for bulk loads.
export PG_SHARED_BUFFERS=${PG_SHARED_BUFFERS:-4GB}
export PG_EXTRA_CONF=$'work_mem = 64MB\nmaintenance_work_mem = 1GB\neffective_cache_size = 12GB\nmax_wal_size = 8GB\ncheckpoint_timeout = 30min\nrandom_page_cost = 1.1\njit = off'
DATABASE_URL=$(scripts/pg.sh start "$cluster" | tail -n 1)
export DATABASE_URL
if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/pgbench" ]; then
	bindir=$(pg_config --bindir)
else
	bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

go build -o bin/cyberskills .
if [ "$("$bindir/psql" "$DATABASE_URL" -qAtc "SELECT to_regclass('staff') IS NOT NULL AND EXISTS (SELECT 1 FROM staff)" 2>/dev/null || echo f)" != "t" ]; then
	echo "== generating the $scale dataset"
	go run ./scripts/gen --scale "$scale" --seed 1
fi

echo "== starting the server"
port=$((20000 + RANDOM % 40000))
LISTEN_ADDR=127.0.0.1:$port RATE_LIMIT=0 LOG_LEVEL=error DB_MAX_OPEN_CONNS=${DB_MAX_OPEN_CONNS:-16} \
	SWEEP_INTERVAL=0 bin/cyberskills serve &
server=$!
for _ in $(seq 1 100); do
	curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
	sleep 0.2
done

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, $(uname -sr); load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown); $(date -u +%Y-%m-%d)"
go run -tags bench ./scripts/bench --url "http://127.0.0.1:$port" --pid "$server" --duration "$duration" \
	--pgbench "$bindir/pgbench" ${BENCH_ONLY:+--only "$BENCH_ONLY"} ${BENCH_EXPLAIN:+--explain}
