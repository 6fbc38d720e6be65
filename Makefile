# usersim: every target creates .venv and installs what is missing, so a fresh clone
# needs only python3 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8080
FIXTURES ?=
SCENARIO ?=

.PHONY: bytecode serve test lint format bench fuzz soak reference-check reference-check-access vendor-graphiql clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# Where PYTHONDONTWRITEBYTECODE is set (CI images often set it) Python would compile every
# module of usersim at each start; compiling once here keeps start-up, and every server
# the tests start, fast. Up-to-date files are skipped, so it costs little when nothing changed.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q simulator

serve: bytecode
	$(BIN)/usersim serve --host $(HOST) --port $(PORT) \
		$(if $(FIXTURES),--fixtures $(FIXTURES)) $(if $(SCENARIO),--scenario $(SCENARIO))

# Two workers (pytest-xdist), one per core of the machine the quick start promises; each
# worker starts its own usersim server.
test: bytecode lint
	$(BIN)/python -m pytest -n 2

# schemathesis on every contract with a much larger budget than `make test` (the
# suite's own contract tests, in-process), bounded by FUZZ_MAX_TIME seconds (default 420).
fuzz: bytecode
	FUZZ_MAX_TIME=$(or $(FUZZ_MAX_TIME),420) $(BIN)/python -m pytest fuzz

# Many concurrent clients (CLIENTS, default 32) on every face: REQUESTS (default 100,000)
# requests, or SECONDS (default 900), whichever ends first, with a watch on the memory.
soak: bytecode
	$(BIN)/python -m tests.soak --clients $(or $(CLIENTS),32) --seconds $(or $(SECONDS),900) \
		--requests $(or $(REQUESTS),100000)

# Throughput against a bare-Starlette ceiling and the peers, start-up, reset and scale
# figures; installs wrk and the npm peers first (bench/setup.sh), writes bench/results.md.
bench: bytecode
	bash bench/setup.sh
	$(BIN)/python -m bench.run

# schemathesis with the Harness contract gathered from public sources (one usersim did not
# write) against a running `make serve`; REFERENCE, URL and REFERENCE_EXAMPLES (per
# operation, default 30) override the defaults. What it still reports is listed under
# "Known differences" in the README; tests/delivery/test_reference_check.py runs it bounded.
REFERENCE ?= ../shared/reference/harness-ng-user.openapi.yaml
reference-check: $(STAMP)
	$(BIN)/schemathesis run $(REFERENCE) --url $(or $(URL),http://$(HOST):$(PORT)/gateway) \
		--max-examples $(or $(REFERENCE_EXAMPLES),30)

# The GraphiQL explorers' files, shipped in simulator/graphql/assets/ so the explorers
# work offline; only needed to change GraphiQL's version (uses npm).
vendor-graphiql:
	bash scripts/vendor-graphiql.sh

# The same with Harness's access-control extract (user groups, invites, role assignments,
# roles, resource groups, authentication settings).
reference-check-access:
	$(MAKE) reference-check REFERENCE=../shared/reference/harness-ng-access.openapi.yaml

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) build dist *.egg-info
