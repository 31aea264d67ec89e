# The two commands: `make up` (the main job) and `make test` (the whole suite). Each installs what it needs.
# The suite's tiers (tests/fixtures/tiers.py): `make test-fast` runs the in-process `unit` tier only; `make test`
# everything but tests/acceptance (collected only by `make acceptance`) and the per-variant engine matrix
# (`make test-variants`), on two pytest-xdist workers, then the end-of-suite checks (tests/zz_leaks) on what both
# workers left (README, "Tests").
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STACK ?= local
STATE := .state
# `make test`: the suite's base temp dir (pytest clears it at the start of each run; one per checkout) and workers.
SUITE_BASETEMP ?= $(or $(TMPDIR),/tmp)/piwik-cnil-suite-$(shell printf %s "$(CURDIR)" | cksum | cut -d' ' -f1)
TEST_WORKERS ?= 2
EMULATOR_PORT ?= 8089
# The local stack talks to the emulator, whose credentials are public defaults, and keeps its state in
# .state/; its passphrase only protects that throw-away state. Real stacks bring their own (README).
export PULUMI_SKIP_UPDATE_CHECK := true
export PULUMI_CONFIG_PASSPHRASE ?= local-emulator

.PHONY: help install toolchain up down emulator test lint typecheck bench mutation clean acceptance acceptance-sweep
.PHONY: test-fast test-variants

help:
	@echo "make up     - install everything, start the emulator, pulumi up of the '$(STACK)' stack, print the report"
	@echo "make test   - install everything, then ruff, mypy --strict and the whole pytest suite (but acceptance, variants)"
	@echo "              on 2 pytest-xdist workers, then the end-of-suite checks (tests/zz_leaks) on both workers' files"
	@echo "make test-fast     - the in-process unit tier only (no process, no socket; under a minute)"
	@echo "make test-variants - the engine acceptance cycles under each emulator variant, one at a time"
	@echo "make bench  - the benchmarks in bench/ (prints figures)"
	@echo "make acceptance       - provider cycle + local stack on PIWIK_ACCEPTANCE_* (default: the emulator)"
	@echo "make acceptance-sweep - delete the apps earlier acceptance runs left on PIWIK_ACCEPTANCE_*"
	@echo "make mutation - mutmut over the compliance rules, the provider engine and the settings adapter, then the"
	@echo "                literals of the compliance tables (tools/table_mutation.py); prints both scores"
	@echo "make dist   - the release artifacts: sdist and wheel in dist/ (python -m build)"

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

install: $(VENV)/.installed

toolchain:
	@tools/pulumi-toolchain >/dev/null

up: install toolchain
	@PIWIK_EMULATOR_PORT=$(EMULATOR_PORT) STACK=$(STACK) $(PY) tools/run_stack.py up

down: install toolchain
	@PIWIK_EMULATOR_PORT=$(EMULATOR_PORT) STACK=$(STACK) $(PY) tools/run_stack.py destroy

emulator: install
	$(PY) -m piwik_emulator --port $(EMULATOR_PORT) --state $(STATE)/emulator.sqlite

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy --strict piwik_resources piwik_emulator

test: install toolchain
	@echo "chromium: $$(tools/ensure-chromium)"
	@echo "pulumi: $$(tools/pulumi-toolchain 2>/dev/null)/pulumi $$("$$(tools/pulumi-toolchain 2>/dev/null)/pulumi" version)"
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy --strict piwik_resources piwik_emulator
	$(VENV)/bin/mypy --strict --explicit-package-bases tools/gen_resources.py tools/gen_api_models.py
	$(PY) -m tools.gen_api_models --check
	$(PY) -m tools.gen_resources --check
	$(VENV)/bin/lint-imports
	mkdir -p $(SUITE_BASETEMP)
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --basetemp=$(SUITE_BASETEMP)/suite --ignore=tests/zz_leaks
	$(PY) -m pytest tests/zz_leaks --suite-basetemp=$(SUITE_BASETEMP)/suite --basetemp=$(SUITE_BASETEMP)/checks

test-fast: install
	$(PY) -m pytest -m unit -q -p no:cacheprovider

test-variants: install toolchain
	$(PY) -m pytest --variants -m variants -p no:cacheprovider

bench: install toolchain
	$(PY) -m bench

# Mutation testing (docs/mutation.md): the modules and the fast tests are listed under [tool.mutmut] in
# pyproject.toml. Starts afresh each time (mutmut's cache would keep verdicts of code that changed since).
mutation: install
	rm -rf mutants
	$(VENV)/bin/mutmut run --max-children $$(nproc) > mutants.log 2>&1 || { tail -c 3000 mutants.log; exit 1; }
	$(PY) -m tools.table_mutation --workers $$(nproc)
	@$(PY) tools/mutation_score.py

# Opt-in run against a sandbox account (README, "Acceptance run on a real account"): every app it makes carries
# a run prefix and is removed at the end, also after a failure; without PIWIK_ACCEPTANCE_* it uses the emulator.
acceptance: install toolchain
	$(PY) -m pytest tests/acceptance --acceptance -v -s -p no:cacheprovider

acceptance-sweep: install
	$(PY) -m tests.acceptance.target

# Its own .PHONY line, so that other branches' additions to the list above merge without a conflict.
.PHONY: dist
dist: install
	$(PY) -m build --outdir dist .

clean:
	rm -rf $(STATE) .mypy_cache .ruff_cache .pytest_cache mutants mutants.log
