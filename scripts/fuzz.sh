#!/usr/bin/env bash
# fuzz.sh is `make fuzz`: every fuzz target of every package, found by `go test -list`
# (so that a new FuzzXxx is picked up by itself), runs for FUZZTIME (default 30s), one
# at a time, because `go test -fuzz` takes one target per run. Fuzzing needs no
# database. A failing input is written to the package's testdata/fuzz/FuzzXxx: commit
# it with the fix, and it runs with every `go test` from then on.
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime=${FUZZTIME:-30s}
# Go 1.26's fuzzing coordinator can report its own -fuzztime deadline as a failure
# ("context deadline exceeded", no failing input written) when a worker is still busy as
# time runs out: golang/go#75804, fixed in Go 1.27. Fuzzing alone runs on a fixed 1.27
# toolchain, which the go command takes from the module proxy like a module (about 76 MB,
# once per machine); the build and the tests stay on go.mod's Go. FUZZ_GOTOOLCHAIN=local
# fuzzes with the installed Go instead.
export GOTOOLCHAIN=${FUZZ_GOTOOLCHAIN:-go1.27.3}
echo "== fuzzing with $(go version)"
# Go minimises every new interesting input for up to a minute by default, and counts
# no executions meanwhile: a short run would spend most of its time minimising.
minimize=${FUZZMINIMIZETIME:-5s}

# Lines of `go test -list` are target names, then "ok <package>" for their package.
targets=$(go test -list '^Fuzz' ./... | awk '/^Fuzz/ { names = names " " $1 }
	/^ok / { if (names != "") print $2 names; names = "" }')
if [ -z "$targets" ]; then
	echo "no fuzz targets found" >&2
	exit 1
fi

# A failing input is written into the checkout, which a CI machine discards: the log
# prints it too, so that the failure can be reproduced (saved as that file) from the log.
stamp=$(mktemp)
trap 'rm -f "$stamp"' EXIT
print_failing_inputs() {
	find . -path '*/testdata/fuzz/*' -type f -newer "$stamp" | while read -r file; do
		echo "== failing input $file:"
		cat "$file"
	done
}

failed=()
while read -r pkg names; do
	for name in $names; do
		echo "== $name ($pkg, $fuzztime)"
		touch "$stamp"
		if ! go test -run='^$' -fuzz="^$name\$" -fuzztime="$fuzztime" -fuzzminimizetime="$minimize" "$pkg"; then
			failed+=("$pkg.$name")
			print_failing_inputs
		fi
	done
done <<<"$targets"

if [ ${#failed[@]} -gt 0 ]; then
	echo "== failed: ${failed[*]}" >&2
	exit 1
fi
