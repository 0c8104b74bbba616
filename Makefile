# Set-up and everyday commands. `make run` and `make test` do everything on a fresh machine
# with Python 3.11+, Node.js and npm (and Debian's chromium for the browser tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := MLE_ENV=$${MLE_ENV:-development} $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed

.PHONY: run test install assets translations db seed lint check-content clean bench

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

translations: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d translations -f

db: install
	$(FLASK) db upgrade
	$(FLASK) mle seed

run: db
	$(FLASK) run --host 127.0.0.1 --port 5000

test: install
	$(BIN)/pytest -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check .

check-content: $(STAMP)
	$(FLASK) mle check-content

bench: install
	$(BIN)/python bench/rules_bench.py

clean:
	rm -rf $(VENV) node_modules static/build instance/*.db
