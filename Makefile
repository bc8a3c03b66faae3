# Two commands do everything: `make reports` builds every report from the shipped data, `make test` runs all tests.
# Both create the virtual environment .venv from pyproject.toml when it is missing or out of date.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
READY  := $(VENV)/.installed
# nbval re-executes the committed notebooks; their side outputs go to a scratch folder, not reports/.
SCRATCH := $(shell mktemp -d -u /tmp/analysis-nbval.XXXXXX)

.DEFAULT_GOAL := help
.PHONY: help reports reports-force test unit nbval benchmark checksums clean-venv

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(READY): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), f"Python 3.11 needed, found {sys.version.split()[0]}: make PYTHON=python3.11"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 > /dev/null
	@touch $@

reports: $(READY) ## build every report from the shipped data (skips reports whose inputs did not change)
	$(PY) -m analysis run

reports-force: $(READY) ## rebuild every report even if nothing changed
	$(PY) -m analysis run --force

test: $(READY) ## run the whole test suite: unit, freshness, README-command and browser tests, nbval (README: What CI checks)
	ANALYSIS_REPORTS=$(SCRATCH)/reports ANALYSIS_PROCESSED=$(SCRATCH)/processed SITE_SCREENSHOTS=$(SCRATCH)/screenshots \
	  $(PY) -m pytest tests notebooks --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider
	@echo "screenshots of every site page: $(SCRATCH)/screenshots"

unit: $(READY) ## unit tests only (fast)
	$(PY) -m pytest tests -q

benchmark: $(READY) ## time a full build against the papermill floor, and the cleaning pipeline
	$(PY) benchmarks/bench_reports.py
	$(PY) benchmarks/bench_clean.py

.PHONY: mutation
mutation: $(READY) ## mutation score of stats/, claims/, disclosure.py -> docs/MUTATION.md (slow, ~hours on 2 cores; not part of make test)
	@$(PY) -m pip show mutmut 2>/dev/null | grep -qx 'Version: 3.8.1' || $(PY) -m pip install --quiet mutmut==3.8.1
	$(PY) tools/mutation.py

checksums: $(READY) ## verify every raw file against its provenance sidecar
	$(PY) -m analysis checksum

clean-venv: ## remove the virtual environment
	rm -rf $(VENV)
