# Set-up and everyday commands. `make run` and `make test` do everything on a fresh machine
# with Python 3.11+, Node.js and npm (and Debian's chromium for the browser tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := MLE_ENV=$${MLE_ENV:-development} $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed

.PHONY: run test install assets translations pot translations-update check-translations \
	db seed lint typecheck check-content clean bench bench-directory lock lock-upgrade check-lock

# Python packages come from requirements.lock alone: exact versions, each file checked against
# its hash, nothing resolved at install time. Then the service itself, built with the locked
# setuptools.
$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/pip check
	touch $(STAMP)

# Rewrite requirements.lock after a change to pyproject.toml's dependencies, keeping every
# version already locked that still fits (docs/operations.md, "Dependencies").
LOCK := $(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
	--generate-hashes --no-header --quiet
lock: $(STAMP)
	$(LOCK) -o requirements.lock

# The same, moving every package to the newest release its bounds allow.
lock-upgrade: $(STAMP)
	$(LOCK) --upgrade -o requirements.lock

# CI: fails when pyproject.toml asks for something requirements.lock does not hold.
check-lock: $(STAMP)
	cp requirements.lock $(VENV)/requirements.check
	$(LOCK) -o $(VENV)/requirements.check
	diff -u requirements.lock $(VENV)/requirements.check

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

# Bring every catalogue in line with a fresh template, then compile. No fuzzy matching: its
# guesses are never shown (a fuzzy entry shows the English), and with a thousand new strings
# against six thousand it takes a quarter of an hour.
translations-update: pot
	$(BIN)/pybabel update -d translations -i translations/messages.pot --no-wrap \
		--no-fuzzy-matching
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

# Types: settings (per-module strictness) in pyproject.toml's [tool.mypy].
typecheck: $(STAMP)
	$(BIN)/mypy

check-content: $(STAMP)
	$(FLASK) mle check-content

bench: install
	$(BIN)/python bench/rules_bench.py

bench-directory: install
	$(BIN)/python bench/directory_bench.py

clean:
	rm -rf $(VENV) node_modules static/build instance/*.db
