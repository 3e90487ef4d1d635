#!/usr/bin/env bash
# docs.sh regenerates docs/ from the swag annotations with the swag version pinned in
# go.mod; with --check it only reports whether docs/ is stale.
set -euo pipefail
cd "$(dirname "$0")/.."

generate() {
	go tool swag init --quiet --generalInfo api/router.go --dir ./ --output "$1" \
		--outputTypes json --exclude ./scripts,./docs,./migrations
	go run ./scripts/openapi "$1/swagger.json"
}

if [ "${1:-}" = "--check" ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	generate "$tmp"
	if ! diff -q "$tmp/swagger.json" docs/swagger.json >/dev/null 2>&1 ||
		! diff -q "$tmp/docs.go" docs/docs.go >/dev/null 2>&1; then
		echo "docs/ is stale: run 'make docs' and commit the result" >&2
		diff -u docs/swagger.json "$tmp/swagger.json" | head -40 >&2 || true
		exit 1
	fi
	echo "docs/ is up to date"
else
	rm -f docs/swagger.yaml
	generate docs
fi
