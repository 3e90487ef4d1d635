#!/usr/bin/env bash
# e2e.sh is `make e2e`: the dashboard's browser tests. It builds the server with its
# clock fixed at E2E_NOW (go build -tags e2e), starts a throwaway PostgreSQL, generates
# the small dataset as of that instant with six months of statistics snapshots, mints
# an analyst and an hr token, serves, and runs scripts/e2e/dashboard.test.mjs: Playwright
# (playwright-core) driving Debian's Chromium, with axe-core. Screenshots of every view
# are written to docs/screenshots/. Everything it starts is stopped and removed at the
# end, whatever the outcome.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/server.sh

export E2E_NOW=${E2E_NOW:-2027-03-15T12:00:00Z}

if [ ! -x /usr/bin/chromium ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "== installing Debian's chromium"
		DEBIAN_FRONTEND=noninteractive apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
	else
		echo "e2e.sh: /usr/bin/chromium is missing: install Debian's chromium package" >&2
		exit 1
	fi
fi
command -v npm >/dev/null 2>&1 || { echo "e2e.sh: npm is missing (Debian: apt-get install nodejs npm)" >&2; exit 1; }
echo "== npm ci (scripts/e2e/)"
(cd scripts/e2e && npm ci --no-audit --no-fund --loglevel=error)

work=.data/e2e-$$
server=
cleanup() {
	stop_server
	scripts/pg.sh destroy "$work/pg" >/dev/null 2>&1 || true
	rm -rf "$work"
	rmdir .data 2>/dev/null || true
}
trap cleanup EXIT
mkdir -p "$work"

echo "== building the server on a fixed clock ($E2E_NOW)"
go build -tags e2e -o "$work/cyberskills" .
export PG_EXTRA_CONF=$'fsync = off\nsynchronous_commit = off\nfull_page_writes = off'
DATABASE_URL=$(scripts/pg.sh start "$work/pg" | tail -n 1)
export DATABASE_URL
echo "== generating the small dataset as of $E2E_NOW"
go run ./scripts/gen --scale small --now "$E2E_NOW" | tail -n 1

# The hr views look at the trust with the most staff.
HR_ORG=$(psql "$DATABASE_URL" -Atc "SELECT o.code FROM organisations o JOIN staff s ON s.organisation_id = o.id
	WHERE o.type = 'trust' AND s.status = 'active' GROUP BY o.code ORDER BY count(*) DESC, o.code LIMIT 1")
ANALYST_TOKEN=$("$work/cyberskills" token create --role analyst --name "Policy analyst" | tail -n 1)
HR_TOKEN=$("$work/cyberskills" token create --role hr --org "$HR_ORG" --name "HR lead" | tail -n 1)
ADMIN_TOKEN=$("$work/cyberskills" token create --role admin --name "Seeder" | tail -n 1)
export HR_ORG ANALYST_TOKEN HR_TOKEN ADMIN_TOKEN

echo "== serving"
# No sweeper: it would take this month's snapshot before the seeding is done.
LISTEN_ADDR=127.0.0.1:0 RATE_LIMIT=0 SWEEP_INTERVAL=0 "$work/cyberskills" serve 2>"$work/server.log" &
server=$!
# The server logs the port it was given; wait for it.
BASE_URL=
for _ in $(seq 1 300); do
	kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; echo "e2e.sh: the server stopped" >&2; exit 1; }
	addr=$(grep -o '"addr":"[^"]*"' "$work/server.log" 2>/dev/null | head -n 1 | cut -d'"' -f4 || true)
	if [ -n "$addr" ]; then
		BASE_URL="http://$addr"
		break
	fi
	sleep 0.2
done
[ -n "$BASE_URL" ] || { echo "e2e.sh: the server did not say where it listens" >&2; exit 1; }
export BASE_URL SCREENSHOT_DIR="$PWD/docs/screenshots"
mkdir -p "$SCREENSHOT_DIR"

echo "== seeding through the API, then six months of statistics snapshots"
(cd scripts/e2e && node seed.mjs)
go run ./scripts/gen --snapshots-only --snapshots 6 --now "$E2E_NOW" | tail -n 1

echo "== browser tests against $BASE_URL (hr organisation $HR_ORG)"
status=0
(cd scripts/e2e && node --test --test-concurrency=1 --test-reporter=spec dashboard.test.mjs) || status=$?
if [ "$status" != 0 ]; then
	echo "== the server's warnings and errors"
	grep -E '"level":"(WARN|ERROR)"' "$work/server.log" | tail -n 20 | cut -c 1-2000
fi
exit "$status"
