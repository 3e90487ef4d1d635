#!/usr/bin/env bash
# xapi-conformance.sh measures the xAPI surface against ADL's LRS conformance test suite
# (github.com/adlnet/lrs-conformance-test-suite), run from a checkout you provide: this
# script never downloads it, and the project keeps none of its code.
#
#   scripts/xapi-conformance.sh SUITE_DIR [VERSION] [-- RUNNER_OPTIONS...]
#
#   SUITE_DIR  a checkout of the suite, `npm install` done in it (Node 20); the master
#              branch tests 1.0.3, the LRS-2.0 branch 2.0.0
#   VERSION    1.0.3 (the default) or 2.0.0: the runner's -x
#   RUNNER_OPTIONS  passed on to bin/console_runner.js (for example -g "Data 2.4.1")
#
# It builds the server, starts it over a throwaway PostgreSQL (removed afterwards) without
# rate limits, mints a trainer token and gives its LRS key and secret to the runner (HTTP
# Basic), then prints the results by section (scripts/xapi-conformance-summary.js) and the
# path of the suite's full log. The suite stores statements it never voids: never point it
# at a real server.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/server.sh

die() { echo "xapi-conformance.sh: $*" >&2; exit 1; }

[ $# -ge 1 ] || die "usage: scripts/xapi-conformance.sh SUITE_DIR [1.0.3|2.0.0] [-- RUNNER_OPTIONS...]"
suite=$(cd "$1" && pwd) || die "no directory $1"
shift
version=1.0.3
if [ $# -gt 0 ] && [ "$1" != "--" ]; then version=$1; shift; fi
[ "${1:-}" = "--" ] && shift
[ -f "$suite/bin/console_runner.js" ] || die "$suite is not a checkout of lrs-conformance-test-suite"
[ -d "$suite/node_modules" ] || die "run npm install in $suite first"
command -v node >/dev/null || die "the suite needs Node.js"

cluster=.data/xapi-conformance-$$
server=
cleanup() {
	stop_server
	scripts/pg.sh destroy "$cluster" >/dev/null 2>&1 || true
	rmdir .data 2>/dev/null || true
}
trap cleanup EXIT

go build -o bin/cyberskills .
export PG_EXTRA_CONF=$'fsync = off\nsynchronous_commit = off\nfull_page_writes = off'
DATABASE_URL=$(scripts/pg.sh start "$cluster" | tail -n 1)
export DATABASE_URL

# A trainer token: its LRS key is the token's id, its secret the token (README, xAPI).
minted=$(bin/cyberskills token create --role trainer --name "conformance suite" --provider conformance-suite)
key=$(sed -n 's/.*HTTP Basic: key \([0-9]*\),.*/\1/p' <<<"$minted")
secret=$(tail -n 1 <<<"$minted")
[ -n "$key" ] && [ -n "$secret" ] || die "could not mint a trainer token: $minted"

log=$cluster/server.log
LISTEN_ADDR=127.0.0.1:0 RATE_LIMIT=0 LOG_LEVEL=info bin/cyberskills serve >"$log" 2>&1 &
server=$!
addr=
for _ in $(seq 1 150); do
	addr=$(grep -o '"addr":"[^"]*"' "$log" | head -n 1 | cut -d'"' -f4 || true)
	[ -n "$addr" ] && break
	kill -0 "$server" 2>/dev/null || die "the server stopped: $(tail -n 5 "$log")"
	sleep 0.2
done
[ -n "$addr" ] || die "the server did not start: $(tail -n 5 "$log")"
echo "== cyberskills at http://$addr/xapi; the suite, xAPI $version"

before=$(ls "$suite/logs" 2>/dev/null | sort || true)
(cd "$suite" && node bin/console_runner.js -e "http://$addr/xapi" -a -u "$key" -p "$secret" -x "$version" "$@") \
	| grep -E '^\{"total"|^Tests completed|^Full run log' | tail -n 3 || true
runlog=$(comm -13 <(echo "$before") <(ls "$suite/logs" | sort) | tail -n 1)
[ -n "$runlog" ] || die "the suite wrote no log"
node scripts/xapi-conformance-summary.js "$suite/logs/$runlog"
