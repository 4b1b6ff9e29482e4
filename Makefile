# vectra-blueprints: the developer interface. `make help` lists what it does.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: help venv demo test test-fast lint bench clean mutation release release-tags

help: ## This list
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

venv: $(BIN)/.installed ## Create .venv with the pinned tools (copier, pytest-copie…)

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

demo: venv ## Bootstrap demo/host, generate one unit of every kind, run the host's tests
	$(BIN)/python scripts/demo.py demo/host

# PostgreSQL and Redis tests use VECTRA_TEST_DATABASE_URL / VECTRA_TEST_REDIS_URL (.ci/run sets them);
# unset, they are skipped and the report says why.
test: venv ## The whole suite (installs the hosts' runtime once, under .cache/)
	$(BIN)/python -m pytest -n 2

test-fast: venv ## The suite without the slow tests that run generated hosts' suites
	$(BIN)/python -m pytest -m "not slow"

lint: venv ## Ruff on our Python
	$(BIN)/ruff check extensions tests scripts bench && $(BIN)/ruff format --check extensions tests scripts bench

bench: venv ## Speed ratios (see README)
	$(BIN)/python bench/bench.py

clean: ## Remove the venv, caches and the demo host
	rm -rf $(VENV) .cache demo

# mutmut runs on a temporary copy (scripts/mutation.py says why); the working tree is never mutated.
mutation: venv ## Mutation testing of the core modules by the fast tests (module=upsert for one; MUTATION_DIFF=1 shows survivors)
	$(BIN)/python scripts/mutation.py $(module)

# A release is a PEP 440 git tag (copier updates hosts to the newest), recorded in releases.yml; see CHANGELOG.md.
release: venv ## Release the template: make release version=1.1.0 (CHANGELOG.md's Unreleased section becomes it; tagged)
	$(BIN)/python scripts/release.py record "$(version)"

release-tags: venv ## Recreate the release tags from releases.yml (a fresh or CI clone may have none)
	$(BIN)/python scripts/release.py tags
