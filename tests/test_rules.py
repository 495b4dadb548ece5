"""validate's rules (generator/releases/rules.json) match the pinned litellm in .venv-proxy.

scripts/extract_rules.py reads them out of the installed litellm; this runs it again
and compares, so a newer proxy in .venv-proxy fails here until `make rules` is rerun
and its diff reviewed.
"""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from helpers import installed_or_skip

from generator.validate.checks import shipped_rules
from generator.validate.checks.model_list import resolve_provider

ROOT = Path(__file__).resolve().parent.parent


def proxy_python() -> Path:
    binary = Path(os.environ.get("LITELLM_PROXY_BIN", ROOT / ".venv-proxy" / "bin" / "litellm"))
    python = binary.parent / "python"
    installed_or_skip(python, f"no litellm environment at {binary.parent}; `make test` installs it")
    return python


@pytest.mark.proxy
def test_shipped_rules_match_the_pinned_litellm() -> None:
    run = subprocess.run([str(proxy_python()), str(ROOT / "scripts" / "extract_rules.py"), "-"],
                         capture_output=True, text=True, timeout=600, check=True)
    extracted = json.loads(run.stdout)
    shipped = json.loads((ROOT / "generator" / "releases" / "rules.json").read_text(encoding="utf-8"))
    changed = sorted(k for k in extracted.keys() | shipped.keys()
                     if extracted.get(k) != shipped.get(k))
    assert not changed, f"rules.json differs from .venv-proxy's litellm in {changed}: run `make rules`"


def test_the_rules_hold_what_validate_needs() -> None:
    rules = shipped_rules()
    assert rules.litellm_version == "1.100.0"
    assert {"openai", "ollama", "anthropic", "openrouter", "azure"} <= rules.providers
    assert "simple-shuffle" in rules.routing_strategies and "redis" in rules.cache_types
    assert {"master_key", "database_url"} <= rules.general_settings_keys
    assert {"drop_params", "cache", "callbacks"} <= rules.litellm_settings_keys
    assert {"fallbacks", "routing_strategy", "num_retries"} <= rules.router_settings_keys
    assert {"rpm", "tpm", "max_retries"} <= set(rules.numeric_litellm_params)


def test_provider_resolution_follows_litellm_order() -> None:
    rules = shipped_rules()
    assert resolve_provider("ollama/llama3", {}, rules) == "ollama"
    assert resolve_provider("gpt-4o", {}, rules) == "openai"
    assert resolve_provider("llama2", {}, rules) is None
    assert resolve_provider("llama2", {"custom_llm_provider": "ollama"}, rules) == "ollama"
    assert resolve_provider("zhipu/glm-4", {}, rules) is None
    assert resolve_provider("llama3-8b-8192", {"api_base": "https://api.groq.com/openai/v1"},
                            rules) is not None
    assert resolve_provider("claude-sonnet-4-5", {}, rules) == "anthropic"


def test_every_section_has_the_types_of_its_keys() -> None:
    """rules.json "key_types": a JSON Schema fragment for every key of every section."""
    types = shipped_rules().key_types
    assert set(types) == {"top_level", "general_settings", "litellm_settings",
                          "router_settings", "litellm_params", "model_info"}
    rules = shipped_rules()
    for section in ("general_settings", "litellm_settings", "router_settings"):
        assert set(types[section]) == set(getattr(rules, f"{section}_keys")), section
    allowed = {"type", "enum", "items", "properties", "additionalProperties", "anyOf",
               "description"}
    for section, keys in types.items():
        for key, fragment in keys.items():
            assert set(fragment) <= allowed, (section, key, fragment)
    assert types["router_settings"]["num_retries"]["type"] == ["integer", "null"]
    assert types["litellm_settings"]["max_budget"] == {"type": "number"}  # float(value)
    assert types["litellm_settings"]["default_team_settings"]["type"] == "array"
    assert types["general_settings"]["master_key"]["type"] == ["string", "null"]
    assert types["litellm_params"]["rpm"]["type"] == ["integer", "null"]
    assert "enum" in types["router_settings"]["routing_strategy"]
    assert types["top_level"]["environment_variables"]["type"] == ["object", "null"]
