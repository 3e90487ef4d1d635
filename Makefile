# The two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
BIN   := bin/cyberskills
FUZZTIME ?= 30s

.PHONY: run demo test test-calendar e2e fuzz build docs client examples docs-check bench bench-nhs bench-go gen clean db-stop openapi-lint

## run: build, start a private PostgreSQL under .data/ (unless DATABASE_URL is set), migrate, load defaults, serve
run: build
	@scripts/run.sh

## demo: build, then load a small, realistic dataset into the database make run uses (once) and print its tokens
demo: build
	@scripts/demo.sh

## test: go vet, the docs freshness check, and every test against a throwaway PostgreSQL
test:
	@scripts/test.sh

## test-calendar: the whole suite as of each instant at which date arithmetic breaks (month ends, a leap day, UK clock changes)
test-calendar:
	@scripts/test-calendar.sh

## e2e: the dashboard's browser tests (Chromium via Playwright, axe-core) on a seeded throwaway database; writes docs/screenshots/
e2e:
	@scripts/e2e.sh

## fuzz: run every fuzz target for FUZZTIME (default 30s) each, one after another; no database needed
fuzz:
	@FUZZTIME=$(FUZZTIME) scripts/fuzz.sh

## build: compile the single binary
build:
	go build -o $(BIN) .

## docs: regenerate the OpenAPI description in docs/ from the swag annotations, and the Go client in api/client from it
docs:
	@scripts/docs.sh

## client: the same as docs: the client is generated from the description, so both are made together
client: docs

## docs-check: fail when docs/ or api/client does not match the annotations
docs-check:
	@scripts/docs.sh --check

## bench: generate the medium dataset once, then drive the server with every scenario and print the figures
bench:
	@scripts/bench.sh medium

## bench-nhs: the same on the NHS-scale dataset (21,000 organisations, 1.4 million staff, 12 million evidence records)
bench-nhs:
	@scripts/bench.sh nhs

## bench-go: the Go benchmarks (hot repository queries, the training planner) against a throwaway PostgreSQL
bench-go:
	@scripts/test.sh -run '^$$' -bench .

## gen: generate a dataset into DATABASE_URL (SCALE=small|medium|nhs)
gen:
	go run ./scripts/gen --scale $${SCALE:-small}

## db-stop: stop the private PostgreSQL that `make run` uses
db-stop:
	@scripts/pg.sh stop .data/postgres

## clean: remove the binary and the private PostgreSQL with its data
clean:
	@scripts/pg.sh destroy .data/postgres
	rm -rf bin .data

## examples: capture the description's examples from the API tests' exchanges into docs/examples, then make docs
examples:
	@scripts/examples.sh

## openapi-lint: lint the OpenAPI description with Spectral (spectral:oas) and Redocly (recommended); needs npx and the npm registry
openapi-lint:
	npx -y @stoplight/spectral-cli@6.16.3 lint --fail-severity=warn docs/openapi.yaml
	npx -y @redocly/cli@2.77.0 lint docs/openapi.yaml
