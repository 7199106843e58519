# The README's two commands: `make serve` and `make test`. Each sets up .venv first when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CORPUS ?= data/sample
DB ?= build/corpus.db
PORT ?= 8001
CHROMIUM ?= /usr/bin/chromium

.PHONY: install browser serve test lock screenshots clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

# The browser tests drive Debian's chromium; install it when it is missing (needs root).
browser:
	@test -x $(CHROMIUM) || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq chromium >/dev/null; } || \
		{ echo "chromium is missing and could not be installed: apt-get install chromium"; exit 1; }

serve: install
	scripts/build.sh $(CORPUS) $(DB)
	$(BIN)/corpusqa serve $(DB) --port $(PORT)

test: install browser
	$(BIN)/ruff check corpusqa tests scripts plugins
	$(BIN)/python -m pytest -q

# Re-pin constraints.txt to what is installed now (run after changing dependencies).
lock: install
	$(BIN)/python -m pip freeze --exclude-editable > constraints.txt

# Copy the README's screenshots from the last browser-test run.
screenshots:
	cp build/screenshots/home.png build/screenshots/claims_faceted.png \
		build/screenshots/dashboard.png build/screenshots/article.png docs/screenshots/

clean:
	rm -rf $(VENV) build .pytest_cache
