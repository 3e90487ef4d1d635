#!/usr/bin/env bash
# docs.sh regenerates docs/ from the swag annotations with the swag version pinned in
# go.mod: swag writes Swagger 2.0 into a temporary folder, and scripts/openapi converts it
# to the OpenAPI 3.0.3 description in docs/ and finishes it (see its package comment).
# With --check it only reports whether docs/ is stale.
set -euo pipefail
cd "$(dirname "$0")/.."

generated=(openapi.json openapi.yaml docs.go)

generate() {
	local swag
	swag=$(mktemp -d)
	go tool swag init --quiet --requiredByDefault --generalInfo api/router.go --dir ./ --output "$swag" \
		--outputTypes json --exclude ./scripts,./docs,./migrations
	go run ./scripts/openapi "$swag/swagger.json" docs/examples "$1"
	rm -rf "$swag"
}

if [ "${1:-}" = "--check" ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	generate "$tmp"
	for f in "${generated[@]}"; do
		if ! diff -q "$tmp/$f" "docs/$f" >/dev/null 2>&1; then
			echo "docs/ is stale: run 'make docs' and commit the result" >&2
			diff -u "docs/$f" "$tmp/$f" | head -40 >&2 || true
			exit 1
		fi
	done
	echo "docs/ is up to date"
else
	rm -f docs/swagger.json docs/swagger.yaml
	mkdir -p docs/examples
	generate docs
fi
