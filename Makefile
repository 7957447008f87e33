# The two commands of the README: `make run` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# `make run` keeps its instances (directory, keys, SQLite stores) in .finstance/ of this checkout, so each clone
# has its own; `make clean` removes it. FINSTANCE_DATA_DIR, when set, names another directory instead.
FINSTANCE_DATA_DIR ?= .finstance

.PHONY: run test check lint format bench scale scale-short clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv==0.13.9
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[server,test]'
	touch $(STAMP)

run: $(STAMP)  ## serve toolbox, demo-ca and demo-us on http://127.0.0.1:8000, :8001, :8002
	$(BIN)/finstance serve --data-dir $(FINSTANCE_DATA_DIR)

test: $(STAMP) lint  ## lint, type-check, then the whole test suite
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

bench: $(STAMP)  ## the fast-paths table: every benchmark with a target, one table, appended to benchmarks/RESULTS.md
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

scale: $(STAMP)  ## load + faults on two PostgreSQL instances, 4 API processes each (benchmarks/scale.py)
	$(BIN)/python benchmarks/scale.py

scale-short: $(STAMP)  ## the short version of it, as CI runs it
	$(BIN)/python benchmarks/scale.py --short

clean:  ## remove .venv, the caches and .finstance (the instances and keys of `make run`)
	rm -rf $(VENV) .finstance .pytest_cache .mypy_cache .ruff_cache
