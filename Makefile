# litellm-gen: the targets operators and CI use. `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PROXY_VENV := .venv-proxy
PROXY_SPEC := litellm[proxy]==1.100.0
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
DEPLOY_VALIDATE_ARGS = --deployment-env $(if $(ENV_FILE),--env-file $(ENV_FILE))
# yaml-language-server (npm) for the test that opens a config in it as an editor would.
YAML_LS_VERSION := 1.25.0
YAML_LS := $(VENV)/yaml-language-server

.PHONY: help compile config check diff validate test e2e fuzz bench oracle rules proxy proxy-restart restart verify clean

help:
	@echo "make config   set up, create $(CONFIG) if missing, merge the presets into $(OUTPUT)"
	@echo "make check    exit 1 when $(OUTPUT) is not what merging $(CONFIG) produces"
	@echo "make diff     show what a merge would change, write nothing"
	@echo "make validate say what the proxy will do with $(OUTPUT) (VALIDATE_ARGS=--strict ...;"
	@echo "              ENV_FILE=.env judges it by the proxy's variables, as restart does)"
	@echo "make test     set up and run the whole test suite (the real proxy included)"
	@echo "make fuzz     the fuzz/property tests with a longer budget"
	@echo "make bench    measure litellm-gen against the alternatives"
	@echo "make oracle   rebuild validate's recorded proxy runs (starts the proxy ~90 times)"
	@echo "make rules    re-extract validate's rules from the pinned litellm"
	@echo "make proxy    run the real LiteLLM proxy on $(PROXY_URL) with $(OUTPUT)"
	@echo "make restart  regenerate and validate $(OUTPUT); restart the proxy (RESTART=...) only"
	@echo "              when it has no errors, then verify it"
	@echo "make verify   check the running proxy serves every model of $(OUTPUT)"

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --config-settings editable_mode=compat -e '.[dev]'
	@touch $@

$(BIN)/.bench-installed: $(BIN)/.installed
	$(BIN)/pip install --quiet --config-settings editable_mode=compat -e '.[dev,bench]'
	@touch $@

# Byte-compile the checkout as an install would (this machine sets PYTHONDONTWRITEBYTECODE).
compile: $(BIN)/.installed
	@$(BIN)/python -m compileall -q generator

$(PROXY_VENV)/.installed:
	$(PYTHON) -m venv $(PROXY_VENV)
	$(PROXY_VENV)/bin/pip install --quiet '$(PROXY_SPEC)'
	@touch $@

$(CONFIG): | $(BIN)/.installed
	$(BIN)/litellm-gen init $(CONFIG)

# Validating right after the merge: the first command a newcomer runs says whether the
# proxy will start; its errors are shown, and `make restart` is the step that refuses them.
config: $(BIN)/.installed $(CONFIG)
	$(BIN)/litellm-gen merge $(CONFIG) -o $(OUTPUT) $(MERGE_ARGS)
	@$(BIN)/litellm-gen validate $(OUTPUT) $(VALIDATE_ARGS) || true

check: $(BIN)/.installed
	$(BIN)/litellm-gen merge $(CONFIG) -o $(OUTPUT) --check $(MERGE_ARGS)

diff: $(BIN)/.installed
	$(BIN)/litellm-gen merge $(CONFIG) -o $(OUTPUT) --diff $(MERGE_ARGS)

validate: $(BIN)/.installed
	$(BIN)/litellm-gen validate $(OUTPUT) $(if $(ENV_FILE),--env-file $(ENV_FILE)) $(VALIDATE_ARGS)

# Without node and npm the test that needs it is skipped and says why.
$(YAML_LS)/.installed:
	@if command -v npm >/dev/null 2>&1; then \
		npm install --silent --no-audit --no-fund --prefix $(YAML_LS) \
			yaml-language-server@$(YAML_LS_VERSION) && touch $@ \
		|| echo "npm install failed: the yaml-language-server test will be skipped"; \
	else echo "npm not found: the yaml-language-server test will be skipped"; fi

test: $(BIN)/.installed $(PROXY_VENV)/.installed $(YAML_LS)/.installed
	LITELLM_PROXY_BIN=$(CURDIR)/$(PROXY_VENV)/bin/litellm LITELLM_GEN_REQUIRE_PROXY=1 \
		YAML_LANGUAGE_SERVER=$(CURDIR)/$(YAML_LS)/node_modules/.bin/yaml-language-server \
		$(BIN)/python -m pytest $(PYTEST_ARGS)

fuzz: $(BIN)/.installed
	FUZZ_EXAMPLES=3000 $(BIN)/python -m pytest tests/test_fuzz.py -q

bench: compile $(BIN)/.bench-installed
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Rebuild tests/oracle/validate's records: the real proxy started on every case.
oracle: $(BIN)/.installed $(PROXY_VENV)/.installed
	$(BIN)/python scripts/oracle.py mutate
	$(BIN)/python scripts/oracle.py record

# validate's rules come from the pinned litellm; after changing PROXY_SPEC, run this.
rules: $(PROXY_VENV)/.installed
	$(PROXY_VENV)/bin/python scripts/extract_rules.py generator/rules.json

proxy: $(PROXY_VENV)/.installed
	@test -f $(OUTPUT) || { echo "no $(OUTPUT): run 'make config' first"; exit 2; }
	$(PROXY_VENV)/bin/litellm --config $(OUTPUT) --host $(PROXY_HOST) --port $(PROXY_PORT)

# The default RESTART: stop a `make proxy` started from this folder, start it again in the background.
proxy-restart: $(PROXY_VENV)/.installed
	@# "[.]" keeps pkill from matching this recipe's own shell, whose command line holds the pattern
	-@pkill -f '[.]$(patsubst .%,%,$(PROXY_VENV))/bin/litellm --config $(OUTPUT)' && sleep 1
	nohup $(PROXY_VENV)/bin/litellm --config $(OUTPUT) --host $(PROXY_HOST) --port $(PROXY_PORT) > output/proxy.log 2>&1 &
	@echo "proxy starting in the background; its log is output/proxy.log"

# Validation gates the restart: with errors, make stops here and the running proxy stays up.
# It runs in the environment the proxy restarts with, so an unset master key is an error.
restart: config
	@$(BIN)/litellm-gen validate $(OUTPUT) $(DEPLOY_VALIDATE_ARGS) $(VALIDATE_ARGS) > /dev/null 2>&1 || { \
		$(BIN)/litellm-gen validate $(OUTPUT) $(DEPLOY_VALIDATE_ARGS) $(VALIDATE_ARGS) >&2; \
		echo "make restart: $(OUTPUT) has errors; the running proxy was not restarted" >&2; exit 1; }
	$(RESTART)
	$(BIN)/litellm-gen verify $(OUTPUT) --url $(PROXY_URL) --wait $(VERIFY_WAIT)

verify: $(BIN)/.installed
	$(BIN)/litellm-gen verify $(OUTPUT) --url $(PROXY_URL)

clean:
	rm -rf $(VENV) $(PROXY_VENV) build *.egg-info .pytest_cache .hypothesis
