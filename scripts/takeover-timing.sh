#!/usr/bin/env bash
# takeover-timing.sh measures how long leadership takes to move between two servers on
# one database (README, Several servers): it starts a throwaway PostgreSQL and two
# servers with the configuration in the environment (LEADER_POLL and LEADER_LEASE at
# their defaults unless set), kills the leader with SIGKILL and times the other's
# takeover, starts a third server, then freezes the leader with SIGSTOP, times the
# takeover again, and times how long the thawed server takes to see it no longer leads.
# The times are polled from each server's cyberskills_leader metric every 20 ms.
#
#	scripts/takeover-timing.sh
#	LEADER_POLL=200ms LEADER_LEASE=1s scripts/takeover-timing.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
cluster=.data/takeover-timing-$$
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -CONT "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do while kill -0 "$p" 2>/dev/null; do sleep 0.05; done; done
	scripts/pg.sh destroy "$cluster" >/dev/null 2>&1 || true
	rmdir .data 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
go build -o "$work/cyberskills" .
DATABASE_URL=$(scripts/pg.sh start "$cluster" | tail -n 1)
export DATABASE_URL
"$work/cyberskills" migrate up >/dev/null

# start NAME: a server on a free port; its address lands in $work/NAME.addr.
start() {
	LISTEN_ADDR=127.0.0.1:0 LOG_FORMAT=json "$work/cyberskills" serve >/dev/null 2>"$work/$1.log" &
	pids+=($!)
	echo $! >"$work/$1.pid"
	disown $! # no job report when the test kills it
	until grep -q '"msg":"listening' "$work/$1.log" 2>/dev/null; do
		kill -0 "$(cat "$work/$1.pid")" 2>/dev/null || { cat "$work/$1.log" >&2; exit 1; }
		sleep 0.05
	done
	sed -n 's/.*"msg":"listening[^"]*","addr":"\([^"]*\)".*/\1/p' "$work/$1.log" | head -n 1 >"$work/$1.addr"
}
leads() { curl -s --max-time 1 "http://$(cat "$work/$1.addr")/metrics" | awk '$1 == "cyberskills_leader" { print $2 }'; }
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }
until_leads() { until [ "$(leads "$1")" = "$2" ]; do sleep 0.02; done; }

start a
start b
until [ "$(leads a)" = 1 ] || [ "$(leads b)" = 1 ]; do sleep 0.02; done
if [ "$(leads a)" = 1 ]; then leader=a follower=b; else leader=b follower=a; fi
echo "leader: $leader"

t=$(now)
kill -KILL "$(cat "$work/$leader.pid")"
until_leads "$follower" 1
echo "SIGKILL: $follower took over after $(since "$t") s"

start c
sleep 1
echo "restarted server c leads: $(leads c) (0: it follows)"

t=$(now)
kill -STOP "$(cat "$work/$follower.pid")"
until_leads c 1
echo "SIGSTOP: c took over after $(since "$t") s"
t=$(now)
kill -CONT "$(cat "$work/$follower.pid")"
until_leads "$follower" 0
echo "the thawed $follower saw it no longer leads after $(since "$t") s"
