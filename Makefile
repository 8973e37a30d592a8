# Two commands do everything: `make run` (set up and start the portal) and `make test` (every check).
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
# Production-like values for the deploy check; never used to serve anything.
DEPLOY_CHECK_ENV := DJANGO_DEBUG=false DJANGO_SECRET_KEY=deploy-check-$$(date +%s)-a-long-random-enough-value-0123456789 \
	DJANGO_ALLOWED_HOSTS=portal.example.org SITE_URL=https://portal.example.org \
	DATABASE_URL=postgres://portal@db.invalid:5432/portal REDIS_URL=redis://redis.invalid:6379/0

.PHONY: install lock release run test lint browser clean messages coverage bench

install: $(VENV)/.installed

# Every package at the version and hashes of requirements.lock; then the portal itself, adding nothing.
$(VENV)/.installed: pyproject.toml requirements.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements.lock
	$(VENV)/bin/pip install --quiet --no-deps ".[test]"
	touch $@

# Pin pyproject.toml's ranges again (README: "Dependencies: the lock file"). UPGRADE=--upgrade for new versions.
lock:
	test -x $(VENV)/bin/pip-compile || $(VENV)/bin/pip install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --extra test --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links $(UPGRADE) --output-file requirements.lock pyproject.toml

# The release step of a deploy: check --deploy, migrate, collectstatic (with the production variables set).
release:
	$(PY) manage.py release

# HOST and PORT choose where the development server listens (`make run PORT=8100`); e-mail links follow.
run: export DJANGO_DEBUG ?= true
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: export HOST := $(HOST)
run: export PATH := $(abspath $(VENV))/bin:$(PATH)
# E-mails go to files in var/mail/ unless EMAIL_URL says otherwise, so that they do not bury the console.
run: export EMAIL_URL ?= filemail:///$(abspath var/mail)
run: install
	@mkdir -p var/mail
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo ""
	@echo "  The portal:   http://$(HOST):$(PORT)/    back office: http://$(HOST):$(PORT)/admin/"
	@echo "  Demo logins (password demo-portal-2026): admin@atlantic.example, colleague@atlantic.example,"
	@echo "  consultant@advisers.example, member@association.example; staff: reviewer@customs.example,"
	@echo "  supervisor@customs.example, moderator@customs.example, author@customs.example, adviser@customs.example"
	@echo "  Staff two-factor code: DJANGO_DEBUG=true $(PY) manage.py demo_totp   (more in README.md)"
	@echo "  E-mails the portal sends (sign-up links, notifications) are written to var/mail/."
	@echo "  Ctrl-C stops the portal and its worker."
	@echo ""
	@$(VENV)/bin/honcho start --procfile Procfile.dev --port $(PORT) || test $$? -eq 130  # 130: stopped by Ctrl-C

# Gather every string into the translation catalogues and compile them (README: "Languages"; needs GNU gettext).
messages: install
	DJANGO_DEBUG=true $(PY) manage.py catalogues

lint: install
	$(VENV)/bin/ruff check .

browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && apt-get install -y -qq chromium; }

test: install lint browser
	DJANGO_DEBUG=true $(VENV)/bin/mypy .
	DJANGO_DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	$(DEPLOY_CHECK_ENV) $(PY) manage.py check --deploy --fail-level WARNING
	$(VENV)/bin/pytest -n auto -m "not integration and not e2e"
	$(VENV)/bin/pytest -m "integration or e2e"

# The suite with coverage per module (a report, not a gate; tracing makes the run about a third slower).
coverage: install browser
	$(VENV)/bin/pytest -n auto --cov=aeo --cov=consultations --cov=training --cov=portal \
		-m "not integration and not e2e" --cov-report=term:skip-covered

clean:
	rm -rf var $(VENV)

# The page-speed benchmark (README.md, "Benchmarks"): its own database, gunicorn and wrk on loopback.
BENCH_SECONDS ?= 30
bench: install
	BENCH_SECONDS=$(BENCH_SECONDS) $(PY) -m bench.run
