# litellm-gen: the targets operators and CI use. `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PROXY_VENV := .venv-proxy
BASE_RELEASE := 1.100.0
# The newest release whose proxy extra installs from the registry here: it has
# `litellm --validate_config`, which `validate --with-proxy` asks first (its test needs it).
NEWER_RELEASE := 1.106.12
NEWER_PROXY_VENV := .venv-proxy-$(NEWER_RELEASE)
CONFIG ?= config.yaml
OUTPUT ?= output/config.yaml
MERGE_ARGS ?=
PROXY_HOST ?= 127.0.0.1
PROXY_PORT ?= 4000
PROXY_URL ?= http://$(PROXY_HOST):$(PROXY_PORT)
# How `make restart` restarts your proxy; for docker compose, for example:
#   make restart RESTART='docker compose restart litellm'
RESTART ?= $(MAKE) --no-print-directory proxy-restart
VERIFY_WAIT ?= 120
# The .env file the proxy is started with (docker compose's, say): validate then judges
# os.environ/NAME by it. `make restart` validates in the deployment's environment.
ENV_FILE ?=
# The litellm release validate judges by (default: the one the file pins, else the newest
# litellm-gen knows; `make restart` with the default RESTART: $(BASE_RELEASE), what it restarts).
LITELLM_VERSION ?=
RELEASE_ARGS = $(if $(LITELLM_VERSION),--litellm $(LITELLM_VERSION))
# The default RESTART starts .venv-proxy's litellm: validate judges by that release.
RESTART_RELEASE = $(or $(LITELLM_VERSION),$(if $(filter file,$(origin RESTART)),$(BASE_RELEASE)))
DEPLOY_VALIDATE_ARGS = --deployment-env $(if $(ENV_FILE),--env-file $(ENV_FILE)) \
	$(if $(RESTART_RELEASE),--litellm $(RESTART_RELEASE))
# yaml-language-server (npm) for the test that opens a config in it as an editor would.
YAML_LS := .venv-npm

# Where `make proxy` and `make proxy-restart` note the proxy they started (its pid and start
# time): `make restart` stops that process and no other.
PROXY_PID ?= output/proxy.pid
LOWEST_VENV := .venv-lowest

.PHONY: help lock compile config check diff validate test docs test-lowest fuzz bench oracle oracle-generated oracle-calibrate \
	oracle-releases oracle-presets rules proxy proxy-restart restart verify clean

help:
	@echo "make config   set up, create $(CONFIG) if missing, merge the presets into $(OUTPUT)"
	@echo "make check    exit 1 when $(OUTPUT) is not what merging $(CONFIG) produces"
	@echo "make diff     show what a merge would change, write nothing"
	@echo "make validate say what the proxy will do with $(OUTPUT) (VALIDATE_ARGS=--strict ...;"
	@echo "              ENV_FILE=.env judges it by the proxy's variables, as restart does;"
	@echo "              LITELLM_VERSION=1.110.2 judges it by that release, restart too)"
	@echo "make test     set up and run the whole test suite, the real proxy and the docs"
	@echo "              included (the first run installs every environment from its lock:"
	@echo "              about 7 minutes and 1 GB; README.md)"
	@echo "make docs     build the manual (docs/) into build/site with mkdocs --strict"
	@echo "make test-lowest  the CLI tests against the lowest versions pyproject.toml declares"
	@echo "make fuzz     the fuzz/property tests with a longer budget"
	@echo "make bench    measure litellm-gen against the alternatives"
	@echo "make lock     refresh requirements/*.txt (the locks every environment installs) and"
	@echo "              print what changed (LOCK_ARGS=--upgrade: the newest versions allowed)"
	@echo "make compile  byte-compile the checkout, as an install would (make bench runs it)"
	@echo "make oracle   rebuild validate's recorded proxy runs (starts the proxy ~90 times)"
	@echo "make rules    re-extract validate's rules from every release's own code"
	@echo "              (RELEASES=1.110.2 ... for some; installs each release in turn)"
	@echo "make oracle-releases  record the generated cases on every release (hours)"
	@echo "make oracle-presets   every preset through each release's own start-up (RELEASES=...)"
	@echo "make oracle-generated  record the generated cases with the fast oracle (~10 min;"
	@echo "              LITELLM_VENV=... for another release), then rules and the docs' tables"
	@echo "make oracle-calibrate  the fast oracle on the full-start cases, for comparison"
	@echo "make proxy    run the real LiteLLM proxy on $(PROXY_URL) with $(OUTPUT)"
	@echo "make restart  regenerate and validate $(OUTPUT); restart the proxy (RESTART=...) only"
	@echo "              when it has no errors, then verify it"
	@echo "make verify   check the running proxy serves every model of $(OUTPUT)"
	@echo "make clean    remove the environments (.venv, .venv-proxy*, .venv-lowest, .venv-npm)"

# Every environment installs exactly one lock file of requirements/ (`make lock` refreshes
# them): exact versions, every file's hash checked, nothing resolved at install time.
# uv (itself hash-pinned, bootstrapped by pip) installs them; its cache links the same
# files into every environment, so they share the disk.
UV := $(BIN)/uv
UV_PIP := UV_NO_CONFIG=1 UV_PYTHON_DOWNLOADS=never $(UV) --quiet pip
LOCKED := install --require-hashes --no-deps --no-build -r

$(BIN)/.installed: pyproject.toml requirements/uv.txt requirements/dev.txt
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/uv.txt
	$(UV_PIP) $(LOCKED) requirements/dev.txt --python $(BIN)/python
	$(UV_PIP) install --no-deps --no-build-isolation -e . --python $(BIN)/python
	@touch $@

# Byte-compile the checkout as an install would (this machine sets PYTHONDONTWRITEBYTECODE).
compile: $(BIN)/.installed
	@$(BIN)/python -m compileall -q generator

# A proxy environment from its lock: $(1) the folder, $(2) the lock file.
define proxy_environment
	rm -rf $(1)
	UV_NO_CONFIG=1 UV_PYTHON_DOWNLOADS=never $(UV) venv --quiet --python $(PYTHON) $(1)
	$(UV_PIP) $(LOCKED) $(2) --python $(1)/bin/python
	@touch $(1)/.installed
endef

$(PROXY_VENV)/.installed: requirements/proxy-$(BASE_RELEASE).txt | $(BIN)/.installed
	$(call proxy_environment,$(PROXY_VENV),$<)

$(NEWER_PROXY_VENV)/.installed: requirements/proxy-$(NEWER_RELEASE).txt | $(BIN)/.installed
	$(call proxy_environment,$(NEWER_PROXY_VENV),$<)

# Refresh the lock files from their inputs and print what changed, package by package
# (LOCK_ARGS=--upgrade takes the newest versions the inputs allow).
lock: $(BIN)/.installed
	$(BIN)/python scripts/lock.py $(LOCK_ARGS)

$(CONFIG): | $(BIN)/.installed
	$(BIN)/litellm-gen init $(CONFIG)

# Validating right after the merge: the first command a newcomer runs says whether the
# proxy will start; its errors are shown, and `make restart` is the step that refuses them.
config: $(BIN)/.installed $(CONFIG)
	$(strip $(BIN)/litellm-gen merge $(CONFIG) -o $(OUTPUT) $(MERGE_ARGS))
	@$(BIN)/litellm-gen validate $(OUTPUT) $(VALIDATE_ARGS) || true

check: $(BIN)/.installed
	$(strip $(BIN)/litellm-gen merge $(CONFIG) -o $(OUTPUT) --check $(MERGE_ARGS))

diff: $(BIN)/.installed
	$(strip $(BIN)/litellm-gen merge $(CONFIG) -o $(OUTPUT) --diff $(MERGE_ARGS))

validate: $(BIN)/.installed
	$(strip $(BIN)/litellm-gen validate $(OUTPUT) $(if $(ENV_FILE),--env-file $(ENV_FILE)) \
		$(RELEASE_ARGS) $(VALIDATE_ARGS))

# yaml-language-server (npm) for the test that opens a config in it as an editor would,
# installed with `npm ci` from requirements/npm/package-lock.json. Without node and npm the
# test is skipped under plain pytest and fails under `make test`.
$(YAML_LS)/.installed: requirements/npm/package.json requirements/npm/package-lock.json
	rm -rf $(YAML_LS)
	mkdir -p $(YAML_LS)
	cp requirements/npm/package.json requirements/npm/package-lock.json $(YAML_LS)/
	npm ci --silent --no-audit --no-fund --prefix $(YAML_LS)
	@touch $@

# The manual: a broken link, a page left out of the navigation or a generated table that
# cannot be built fails the build.
docs: $(BIN)/.installed
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

test: $(BIN)/.installed $(PROXY_VENV)/.installed $(NEWER_PROXY_VENV)/.installed $(YAML_LS)/.installed \
		docs
	LITELLM_PROXY_BIN=$(CURDIR)/$(PROXY_VENV)/bin/litellm LITELLM_GEN_REQUIRE_PROXY=1 \
		LITELLM_NEWER_PROXY_BIN=$(CURDIR)/$(NEWER_PROXY_VENV)/bin/litellm \
		YAML_LANGUAGE_SERVER=$(CURDIR)/$(YAML_LS)/node_modules/.bin/yaml-language-server \
		$(BIN)/python -m pytest $(PYTEST_ARGS)
	@# a chosen subset (PYTEST_ARGS=...) is a quick run: the lowest versions only with the whole
	@test -n "$(PYTEST_ARGS)" || $(MAKE) --no-print-directory test-lowest

# The declared lower bounds are the tested ones: each `>=X` of pyproject.toml installed as
# `==X` with the lowest click that typer allows, then with the newest; the CLI tests on both.
LOWEST_TESTS := tests/test_cli.py tests/test_streams.py
test-lowest: $(LOWEST_VENV)/.installed
	$(UV_PIP) $(LOCKED) requirements/lowest.txt --python $(LOWEST_VENV)/bin/python
	$(LOWEST_VENV)/bin/python -m pytest -q -p no:cacheprovider $(LOWEST_TESTS)
	$(UV_PIP) $(LOCKED) requirements/lowest-newest-click.txt --python $(LOWEST_VENV)/bin/python
	$(LOWEST_VENV)/bin/python -m pytest -q -p no:cacheprovider $(LOWEST_TESTS)

$(LOWEST_VENV)/.installed: requirements/lowest.txt pyproject.toml | $(BIN)/.installed
	rm -rf $(LOWEST_VENV)
	UV_NO_CONFIG=1 UV_PYTHON_DOWNLOADS=never $(UV) venv --quiet --python $(PYTHON) $(LOWEST_VENV)
	$(UV_PIP) $(LOCKED) requirements/lowest.txt --python $(LOWEST_VENV)/bin/python
	$(UV_PIP) install --no-deps --no-build-isolation -e . --python $(LOWEST_VENV)/bin/python
	@touch $@

fuzz: $(BIN)/.installed
	FUZZ_EXAMPLES=3000 $(BIN)/python -m pytest tests/test_fuzz.py -q

bench: compile
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Rebuild tests/oracle/validate's records: the real proxy started on every case.
oracle: $(BIN)/.installed $(PROXY_VENV)/.installed
	$(BIN)/python scripts/oracle.py mutate
	$(BIN)/python scripts/oracle.py record

# validate's rules come from each release's own code (scripts/releases.py): the base
# release (PROXY_SPEC) into generator/releases/rules.json, every later one as a difference into
# generator/releases/rules-releases.json. RELEASES=1.110.2 re-extracts only the ones named; each
# release's environment is installed (~680 MB) and removed after (RELEASES_KEEP=1 keeps it).
RELEASES ?=
rules: $(BIN)/.installed $(PROXY_VENV)/.installed
	$(BIN)/python scripts/releases.py rules $(RELEASES)

# Record the generated cases on every release (hours of CPU: RELEASES=... for some, JOBS=1
# for one worker), then `make rules` to read the new records into the rules.
oracle-releases: $(BIN)/.installed $(PROXY_VENV)/.installed
	JOBS=$(or $(JOBS),2) $(BIN)/python scripts/releases.py record $(RELEASES)

# Every preset through each release's own start-up (tests/oracle/presets/; RELEASES=...,
# default the base, 1.106.12 and the newest).
oracle-presets: $(BIN)/.installed $(PROXY_VENV)/.installed
	$(BIN)/python scripts/releases.py presets $(RELEASES)

# The generated cases, each run through the release's own start-up code in-process
# (scripts/harness.py); the release is LITELLM_VENV's litellm.
LITELLM_VENV ?= $(PROXY_VENV)
oracle-generated: $(BIN)/.installed $(PROXY_VENV)/.installed
	$(BIN)/python scripts/oracle.py generated $(LITELLM_VENV)
	$(MAKE) --no-print-directory rules RELEASES=$(BASE_RELEASE)
	$(BIN)/python scripts/oracle_report.py

oracle-calibrate: $(BIN)/.installed $(PROXY_VENV)/.installed
	$(BIN)/python scripts/oracle.py calibrate $(LITELLM_VENV)

proxy: $(PROXY_VENV)/.installed
	@test -f $(OUTPUT) || { echo "no $(OUTPUT): run 'make config' first"; exit 2; }
	@mkdir -p $(dir $(PROXY_PID))
	@# exec keeps the pid the shell wrote down, so `make restart` finds this very process
	@sh -c 'echo $$$$ > $(PROXY_PID); ps -o lstart= -p $$$$ >> $(PROXY_PID); \
		exec $(PROXY_VENV)/bin/litellm --config $(OUTPUT) --host $(PROXY_HOST) --port $(PROXY_PORT)'

# The default RESTART: stop the proxy `make proxy` or this target started from this folder
# (the pid in PROXY_PID, if that process still runs and started when it was noted there:
# never a proxy of another checkout), then start it again in the background.
proxy-restart: $(PROXY_VENV)/.installed
	@mkdir -p $(dir $(PROXY_PID))
	@pid=$$(sed -n 1p $(PROXY_PID) 2>/dev/null); started=$$(sed -n 2p $(PROXY_PID) 2>/dev/null); \
	if [ -n "$$pid" ] && [ "$$(ps -o lstart= -p "$$pid" 2>/dev/null)" = "$$started" ]; then \
		echo "stopping the proxy started from this folder (pid $$pid)"; \
		kill "$$pid"; \
		for i in $$(seq 1 100); do kill -0 "$$pid" 2>/dev/null || break; sleep 0.2; done; \
		if kill -0 "$$pid" 2>/dev/null; then kill -9 "$$pid"; fi; \
	else \
		echo "no proxy started from this folder is running ($(PROXY_PID)); starting one"; \
	fi
	@nohup $(PROXY_VENV)/bin/litellm --config $(OUTPUT) --host $(PROXY_HOST) --port $(PROXY_PORT) \
		> output/proxy.log 2>&1 & pid=$$!; echo $$pid > $(PROXY_PID); \
		ps -o lstart= -p $$pid >> $(PROXY_PID); \
		echo "proxy starting in the background (pid $$pid); its log is output/proxy.log"

# Validation gates the restart: with errors, make stops here and the running proxy stays up.
# The merge and one validate (not `config`'s): each finding is printed once. It runs in the
# environment the proxy restarts with, so an unset master key is an error.
restart: $(BIN)/.installed $(CONFIG)
	$(strip $(BIN)/litellm-gen merge $(CONFIG) -o $(OUTPUT) $(MERGE_ARGS))
	@$(BIN)/litellm-gen validate $(OUTPUT) $(DEPLOY_VALIDATE_ARGS) $(VALIDATE_ARGS) >&2 || { \
		echo "make restart: $(OUTPUT) has errors; the running proxy was not restarted" >&2; exit 1; }
	$(RESTART)
	$(BIN)/litellm-gen verify $(OUTPUT) --url $(PROXY_URL) --wait $(VERIFY_WAIT)

verify: $(BIN)/.installed
	$(BIN)/litellm-gen verify $(OUTPUT) --url $(PROXY_URL)

clean:
	rm -rf $(VENV) $(PROXY_VENV)* $(LOWEST_VENV) $(YAML_LS) build *.egg-info .pytest_cache .hypothesis
