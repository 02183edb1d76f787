# Everything starts from nothing but Python and make: the venv is a file target.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
YEAR ?= 2026
export MPLBACKEND := agg
export JUPYTER_PLATFORM_DIRS := 1

# Every package at the version and with the hashes of the lock. The lock is made by uv (`make
# lock`), which only the one who refreshes it needs; installing from it takes pip alone.
LOCK := requirements.lock
LOCK_PYTHON := 3.11
# `make lock` checks that every pinned package has a wheel for each of these.
LOCK_PLATFORMS := x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu \
	x86_64-apple-darwin aarch64-apple-darwin x86_64-pc-windows-msvc
LOCK_PYTHONS := 3.11 3.12 3.13
UV_VERSION := 0.13.9
UV := .lock-tools/uv-$(UV_VERSION)/bin/uv

.PHONY: evaluate check-report test test-fast lab lint bench demo clean lock lock-upgrade

# A changed lock builds the venv anew, so no package that left the lock stays behind.
$(VENV)/$(LOCK): $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(not (3, 11) <= sys.version_info < (3, 14))' || { echo \
		"$(LOCK) is er voor Python 3.11 tot en met 3.13; kies er een, bijvoorbeeld:" \
		"make PYTHON=python3.12"; exit 1; }
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --only-binary :all: -r $(LOCK)
	@# deduce builds its lookup tables once (about two minutes) and caches them.
	$(BIN)/python -c "import deduce; deduce.Deduce()"
	cp $(LOCK) $@

# The project itself, from this checkout; its dependencies are all in the lock already, and
# `pip check` fails when pyproject.toml asks for a package the lock lacks.
$(BIN)/npdw: $(VENV)/$(LOCK) pyproject.toml
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	@touch $@

evaluate: $(BIN)/npdw
	$(BIN)/npdw evaluate --year $(YEAR) --demo

# The report as a reader sees it: screenshots (headless Chromium) and the PDF's pages as
# pictures in outputs/$(YEAR)/check/, to look at before the report goes out.
check-report: $(BIN)/npdw
	$(BIN)/python -m npdw_learning.evaluatie.check outputs/$(YEAR)

test: $(BIN)/npdw
	$(BIN)/ruff check npdw_learning tests benchmarks scripts
	$(BIN)/ruff format --check npdw_learning tests benchmarks scripts
	$(BIN)/python -m pytest -n auto --dist loadscope

# The same without the end-to-end runs (marked slow): for a quick check while working.
test-fast: $(BIN)/npdw
	$(BIN)/python -m pytest -n auto --dist loadscope -m "not slow"

# JupyterLab on the notebooks, in the project's venv. Jupytext keeps each notebook and its
# plain-text twin (notebooks/*.py) in step on every save; `make test` fails when they differ.
lab: $(BIN)/npdw
	$(BIN)/jupytext --quiet --sync notebooks/0*.ipynb
	$(BIN)/jupyter lab --ServerApp.root_dir=$(CURDIR) --LabApp.default_url=/lab/tree/notebooks \
		$(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

bench: $(BIN)/npdw
	$(BIN)/python benchmarks/bench_engine.py
	$(BIN)/python benchmarks/bench_national.py
	$(BIN)/python benchmarks/bench_compare.py
	$(BIN)/python benchmarks/bench_stories.py
	$(BIN)/python benchmarks/bench_evaluate.py
	$(BIN)/python benchmarks/bench_hostile.py
	$(BIN)/python benchmarks/bench_privacy.py

demo: $(BIN)/npdw
	$(BIN)/python scripts/make_demo_series.py

# The lock again from pyproject.toml and requirements.in, for Linux, macOS and Windows at once
# (uv's universal resolution), checked for wheels on every platform, then the tests on it.
# `make lock` keeps every pinned version that still fits and adds what is new (after a
# dependency was added to pyproject.toml); `make lock-upgrade` moves every package to its
# newest version that fits. A lock that fails the wheel check replaces nothing.
lock: LOCK_FLAGS :=
lock-upgrade: LOCK_FLAGS := --upgrade
lock lock-upgrade: $(UV)
	@if [ -f $(LOCK) ]; then cp $(LOCK) $(LOCK).new; else rm -f $(LOCK).new; fi
	$(UV) pip compile pyproject.toml requirements.in --extra dev --universal --quiet \
		--python-version $(LOCK_PYTHON) --generate-hashes --only-binary :all: \
		--custom-compile-command "make lock" $(LOCK_FLAGS) -o $(LOCK).new
	@for platform in $(LOCK_PLATFORMS); do for python in $(LOCK_PYTHONS); do \
		$(UV) pip compile $(LOCK).new --quiet --only-binary :all: --python-platform $$platform \
			--python-version $$python > /dev/null || { rm $(LOCK).new; echo \
			"$(LOCK) niet vervangen: geen wheel voor $$platform, Python $$python"; exit 1; }; \
	done; done
	@if cmp -s $(LOCK).new $(LOCK); then rm $(LOCK).new; echo "$(LOCK) ongewijzigd"; \
	else mv $(LOCK).new $(LOCK); echo "$(LOCK) bijgewerkt"; fi
	$(MAKE) test

# uv, pinned, in a venv of its own: only `make lock` needs it.
$(UV):
	$(PYTHON) -m venv $(dir $(@D))
	$(dir $(@D))bin/python -m pip install --quiet uv==$(UV_VERSION)

clean:
	rm -rf $(VENV) .lock-tools outputs/*/
