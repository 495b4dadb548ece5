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

.PHONY: help compile config check diff validate test e2e fuzz bench oracle oracle-generated oracle-calibrate rules proxy proxy-restart restart verify clean

help:
	@echo "make config   set up, create $(CONFIG) if missing, merge the presets into $(OUTPUT)"
	@echo "make check    exit 1 when $(OUTPUT) is not what merging $(CONFIG) produces"
	@echo "make diff     show what a merge would change, write nothing"
	@echo "make validate say what the proxy will do with $(OUTPUT) (VALIDATE_ARGS=--strict ...)"
	@echo "make test     set up and run the whole test suite (the real proxy included)"
	@echo "make fuzz     the fuzz/property tests with a longer budget"
	@echo "make bench    measure litellm-gen against the alternatives"
	@echo "make oracle   rebuild validate's recorded proxy runs (starts the proxy ~90 times)"
	@echo "make rules    re-extract validate's rules from the pinned litellm"
	@echo "make oracle-generated  record the generated cases with the fast oracle (~10 min;"
	@echo "              LITELLM_VENV=... for another release), then rules and the README table"
	@echo "make oracle-calibrate  the fast oracle on the full-start cases, for comparison"
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
	$(BIN)/litellm-gen validate $(OUTPUT) $(VALIDATE_ARGS)

test: $(BIN)/.installed $(PROXY_VENV)/.installed
	LITELLM_PROXY_BIN=$(CURDIR)/$(PROXY_VENV)/bin/litellm LITELLM_GEN_REQUIRE_PROXY=1 \
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

# The generated cases, each run through the release's own start-up code in-process
# (scripts/harness.py); the release is LITELLM_VENV's litellm.
LITELLM_VENV ?= $(PROXY_VENV)
oracle-generated: $(BIN)/.installed $(PROXY_VENV)/.installed
	$(BIN)/python scripts/oracle.py generated $(LITELLM_VENV)
	$(MAKE) --no-print-directory rules
	$(BIN)/python scripts/oracle_report.py

oracle-calibrate: $(BIN)/.installed $(PROXY_VENV)/.installed
	$(BIN)/python scripts/oracle.py calibrate $(LITELLM_VENV)

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
restart: config
	@$(BIN)/litellm-gen validate $(OUTPUT) $(VALIDATE_ARGS) > /dev/null 2>&1 || { \
		$(BIN)/litellm-gen validate $(OUTPUT) $(VALIDATE_ARGS) >&2; \
		echo "make restart: $(OUTPUT) has errors; the running proxy was not restarted" >&2; exit 1; }
	$(RESTART)
	$(BIN)/litellm-gen verify $(OUTPUT) --url $(PROXY_URL) --wait $(VERIFY_WAIT)

verify: $(BIN)/.installed
	$(BIN)/litellm-gen verify $(OUTPUT) --url $(PROXY_URL)

clean:
	rm -rf $(VENV) $(PROXY_VENV) build *.egg-info .pytest_cache .hypothesis
