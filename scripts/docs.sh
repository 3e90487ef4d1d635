#!/usr/bin/env bash
# docs.sh regenerates docs/ from the swag annotations with the swag version pinned in
# go.mod: swag writes Swagger 2.0 into a temporary folder, and scripts/openapi converts it
# to the OpenAPI 3.0.3 description in docs/ and finishes it (see its package comment).
# Then oapi-codegen (pinned in go.mod too) generates the Go client in api/client from it.
# With --check it only reports whether docs/ or the client is stale. EXAMPLES_DIR names
# another folder of examples than docs/examples (scripts/examples.sh, while capturing).
set -euo pipefail
cd "$(dirname "$0")/.."

generated=(openapi.json openapi.yaml docs.go)

# generate writes the description into $1 and the client into $2.
generate() {
	local swag
	swag=$(mktemp -d)
	go tool swag init --quiet --requiredByDefault --generalInfo api/router.go --dir ./ --output "$swag" \
		--outputTypes json --exclude ./scripts,./docs,./migrations
	go run ./scripts/openapi "$swag/swagger.json" "${EXAMPLES_DIR:-docs/examples}" "$1"
	rm -rf "$swag"
	go tool oapi-codegen -config api/client/oapi-codegen.yaml -o "$2" "$1/openapi.yaml"
}

if [ "${1:-}" = "--check" ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	generate "$tmp" "$tmp/client.gen.go"
	for f in "${generated[@]}" client.gen.go; do
		committed=docs/$f
		[ "$f" = client.gen.go ] && committed=api/client/$f
		if ! diff -q "$tmp/$f" "$committed" >/dev/null 2>&1; then
			echo "$committed is stale: run 'make docs' and commit the result" >&2
			diff -u "$committed" "$tmp/$f" | head -40 >&2 || true
			exit 1
		fi
	done
	echo "docs/ and api/client are up to date"
else
	rm -f docs/swagger.json docs/swagger.yaml
	mkdir -p docs/examples
	generate docs api/client/client.gen.go
fi
