#!/usr/bin/env bash
# examples.sh captures the OpenAPI description's examples: it runs the API tests with
# OPENAPI_EXAMPLES_OUT set, so that the contract check writes, for every operation, a
# request body the server accepted and a successful answer per status and media type
# into docs/examples (api/examples_test.go), then regenerates docs/ with them. Run it
# when a type changes under an example: make docs then fails, naming the example.
set -euo pipefail
cd "$(dirname "$0")/.."

export TEST_NOW=${TEST_NOW:-$(date -u +%Y-%m-%dT%H:%M:%SZ)}
out=$(mktemp -d)
none=$(mktemp -d)
trap 'rm -rf "$out" "$none"' EXIT
# The examples in docs/examples may no longer fit the types, so the description the tests
# check against is made without them first.
EXAMPLES_DIR=$none scripts/docs.sh
OPENAPI_EXAMPLES_OUT=$out scripts/with-test-db.sh go test -count=1 ./api/
rm -f docs/examples/*.json
cp "$out"/*.json docs/examples/
scripts/docs.sh
echo "examples of $(ls docs/examples | wc -l) operations in docs/examples"
