# The README's two commands: `make serve` and `make test`. Each sets up .venv first when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CORPUS ?= data/sample
DB ?= build/corpus.db
PORT ?= 8001

.PHONY: install serve test lint lock clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

serve: install
	scripts/build.sh $(CORPUS) $(DB)
	$(BIN)/corpusqa serve $(DB) --port $(PORT)

test: install
	$(BIN)/ruff check corpusqa tests scripts plugins
	$(BIN)/python -m pytest -q

# Re-pin constraints.txt to what is installed now (run after changing dependencies).
lock: install
	$(BIN)/python -m pip freeze --exclude-editable > constraints.txt

clean:
	rm -rf $(VENV) build .pytest_cache
