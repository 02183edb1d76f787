# Everything starts from nothing but Python and make: the venv is a file target.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
YEAR ?= 2026
export MPLBACKEND := agg
export JUPYTER_PLATFORM_DIRS := 1

.PHONY: evaluate check-report test test-fast lab lint bench demo clean

$(BIN)/npdw: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@# deduce builds its lookup tables once (about two minutes) and caches them.
	$(BIN)/python -c "import deduce; deduce.Deduce()"
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
	$(BIN)/python benchmarks/bench_stories.py
	$(BIN)/python benchmarks/bench_evaluate.py
	$(BIN)/python benchmarks/bench_hostile.py

demo: $(BIN)/npdw
	$(BIN)/python scripts/make_demo_series.py

clean:
	rm -rf $(VENV) outputs/*/
