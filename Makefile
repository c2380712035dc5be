# Two commands for users: `make run` and `make test`. Both bootstrap .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast tables lint clean clean-outputs

$(STAMP): pyproject.toml
	@echo "Installing urbanpolicy and its dependencies into $(VENV) (first time only: about 2-3 minutes)..."
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --progress-bar on -e ".[dev]"
	@echo "Installed."
	$(BIN)/python -m ipykernel install --prefix $(VENV) --name python3 > /dev/null
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/urbanpolicy run --out outputs --jobs $$($(BIN)/python -c "import os; print(os.cpu_count() or 1)")

test: $(STAMP)
	$(BIN)/python -m pytest

# everything but the tests marked slow (notebook runs, the wheel install): under a minute
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

tables: $(STAMP)
	$(BIN)/urbanpolicy tables --out outputs/tables

lint: $(STAMP)
	$(BIN)/ruff check src tests notebooks benchmarks

# The parse cache of `urbanpolicy run` lives outside outputs/ (see src/urbanpolicy/cache.py):
# $URBANPOLICY_CACHE_DIR, else $XDG_CACHE_HOME/urbanpolicy, else ~/.cache/urbanpolicy.
CACHE_DIR := $(or $(URBANPOLICY_CACHE_DIR),$(if $(XDG_CACHE_HOME),$(XDG_CACHE_HOME)/urbanpolicy,$(HOME)/.cache/urbanpolicy))

clean:
	rm -rf "$(CACHE_DIR)"

clean-outputs:
	rm -rf outputs/*.html outputs/*.ipynb outputs/run.json outputs/tables
