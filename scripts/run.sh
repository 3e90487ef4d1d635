#!/usr/bin/env bash
# run.sh is `make run`: unless DATABASE_URL is set it starts the private PostgreSQL under
# .data/postgres (created on first use, reused after), then serves until Ctrl-C or SIGTERM,
# stopping the server and the database cleanly and leaving no process behind.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/server.sh

bin=bin/cyberskills
server=
watchdog=
own_db=

cleanup() {
	trap - INT TERM EXIT
	stop_server
	if [ -n "$own_db" ]; then
		echo "stopping the private PostgreSQL"
		scripts/pg.sh stop .data/postgres || true
	fi
	[ -n "$watchdog" ] && kill "$watchdog" 2>/dev/null || true
	exit 0
}
trap cleanup INT TERM EXIT

if [ -z "${DATABASE_URL:-}" ]; then
	echo "starting the private PostgreSQL in .data/postgres"
	own_db=1
	DATABASE_URL=$(scripts/pg.sh start .data/postgres | tail -n 1)
	export DATABASE_URL
fi

# make does not pass SIGTERM on to its children: if make goes away, so do we.
parent=$PPID
( while kill -0 "$parent" 2>/dev/null; do sleep 1; done; kill -TERM $$ 2>/dev/null ) &
watchdog=$!

addr=${LISTEN_ADDR:-:8080}
port=${addr##*:}
host=${addr%:*}
[ -z "$host" ] || [ "$host" = "0.0.0.0" ] && host=localhost

"$bin" serve &
server=$!

for _ in $(seq 1 300); do
	if ! kill -0 "$server" 2>/dev/null; then
		wait "$server" || true
		server=
		echo "the server stopped; see the log above" >&2
		exit 1
	fi
	if curl -fsS "http://$host:$port/healthz" >/dev/null 2>&1; then
		echo
		echo "  Start: http://$host:$port/"
		echo "  API:   http://$host:$port/api/v1"
		echo "  Docs:  http://$host:$port/docs/"
		echo "  Dashboard: http://$host:$port/dashboard/"
		echo "  Spec:  http://$host:$port/openapi.json"
		echo "  A token (the secret is the last line), in another terminal:"
		echo "    DATABASE_URL='$DATABASE_URL' $bin token create --role admin --name 'first admin' --expires 90d"
		echo "  Press Ctrl-C to stop."
		echo
		break
	fi
	sleep 0.2
done

wait "$server" || true
server=
cleanup
