# Set-up and everyday commands. `make run` and `make test` do everything on a fresh machine
# with Python 3.11+, Node.js and npm (and Debian's chromium for the browser tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := MLE_ENV=$${MLE_ENV:-development} $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed

.PHONY: run test install assets translations pot translations-update check-translations \
	db seed lint check-content clean bench bench-directory

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) node_modules/.package-lock.json assets translations

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

assets: $(STAMP) node_modules/.package-lock.json
	mkdir -p static/build/brand
	$(FLASK) mle brand-scss static/build/brand/_brand.scss
	node_modules/.bin/sass --no-source-map --style=compressed \
		--pkg-importer=node --load-path=static/build/brand \
		static/scss/mle.scss static/build/mle.css
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/build/

# Compile every catalogue. Fuzzy (unchecked) entries are left out: the English shows instead.
translations: $(STAMP)
	$(BIN)/pybabel compile -d translations

# Extract interface and content strings into translations/messages.pot (docs/translation.md).
pot: $(STAMP)
	$(BIN)/python -c "from mle.i18n.catalogues import extract, TEMPLATE; extract(TEMPLATE)"

# Bring every catalogue in line with a fresh template, then compile.
translations-update: pot
	$(BIN)/pybabel update -d translations -i translations/messages.pot --no-wrap
	$(MAKE) translations

# What CI runs: the template is fresh and enabled catalogues miss nothing. A language being
# translated can be let through for a while with ALLOW_MISSING="code" (docs/translation.md).
ALLOW_MISSING ?=
check-translations: $(STAMP)
	$(FLASK) mle check-translations $(foreach code,$(ALLOW_MISSING),--allow-missing $(code))

db: install
	$(FLASK) db upgrade
	$(FLASK) mle seed

run: db
	$(FLASK) run --host 127.0.0.1 --port 5000

test: install
	$(BIN)/pytest -p no:cacheprovider -n auto

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

check-content: $(STAMP)
	$(FLASK) mle check-content

bench: install
	$(BIN)/python bench/rules_bench.py

bench-directory: install
	$(BIN)/python bench/directory_bench.py

clean:
	rm -rf $(VENV) node_modules static/build instance/*.db
