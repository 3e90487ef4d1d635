#!/usr/bin/env bash
# test-calendar.sh is `make test-calendar`: the whole suite as of each instant below, on
# one throwaway PostgreSQL. Each is a day on which date arithmetic goes wrong when it is
# done carelessly: the last day of a month, a leap day, the last minute of a year, the
# nights the UK's clocks change (in UTC, as the service counts), and a 1st and a 17th
# (a month boundary, and the middle of the month). Extra instants: CALENDAR="... ...".
set -euo pipefail
cd "$(dirname "$0")/.."

instants=${CALENDAR:-"2027-01-31T23:30:00Z 2028-02-29T12:00:00Z 2026-12-31T23:59:00Z 2027-03-28T00:30:00Z 2027-10-31T01:30:00Z 2027-02-01T00:00:00Z 2027-06-17T09:00:00Z"}

run_all() {
	local failed=()
	for at in $instants; do
		echo "== go test as of TEST_NOW=$at"
		if ! TEST_NOW=$at go test -count=1 "$@" ./...; then
			failed+=("$at")
		fi
	done
	if [ ${#failed[@]} -gt 0 ]; then
		echo "the suite failed as of: ${failed[*]}" >&2
		return 1
	fi
	echo "the suite passed as of every instant"
}

export -f run_all
export instants
exec scripts/with-test-db.sh bash -c 'run_all "$@"' run_all "$@"
