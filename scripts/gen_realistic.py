"""Realistic whole configs, for holding validate to files no rule was written from.

  python scripts/gen_realistic.py OUT.jsonl        the cases, one a line
  python scripts/gen_realistic.py --split          which case ids are held out
  python scripts/gen_realistic.py record VENV...   write tests/oracle/realistic/cases.jsonl and
        record every case with the fast oracle (scripts/harness.py, one worker) in each VENV's
        litellm: tests/oracle/realistic/litellm-RELEASE.jsonl ({"id", "record"} a line)

Deterministic (seeded) and needs no litellm. Where scripts/gen_cases.py changes one key
of a fixed config, each case here is a whole deployment: several entries of several
providers, settings sections drawn together, sometimes split over `include:` files,
written as YAML or as JSON, with none to three mistakes of the kinds operators make
(credentials, includes, keys under the wrong parent, callback modules and what they
import, values whose meaning changed between releases, common slips) placed at once so
that they interact. What the proxy does with each is not guessed: scripts/oracle.py
realistic records it on every release (tests/oracle/realistic/).

The held-out part is fixed by the case id alone, before any record is read: a case whose
id's sha256 is 0 mod 5 (HELD_OUT) was never looked at while writing a rule.
"""
from __future__ import annotations

import hashlib
import json
import random
import sys
from pathlib import Path

import yaml

SEED = 28
COUNT = 300
BASE_ENV = {"OPENAI_API_KEY": "sk-oracle-openai", "LITELLM_MASTER_KEY": "sk-oracle-master"}


def held_out(case_id: str) -> bool:
    """The fixed held-out part: about a fifth of the cases, chosen by the id's hash."""
    return int(hashlib.sha256(case_id.encode()).hexdigest(), 16) % 5 == 0


# --- the pieces of a deployment ------------------------------------------------------------

def _entries() -> dict[str, dict]:
    return {
        "llama3": {"model_name": "llama3", "litellm_params": {
            "model": "ollama/llama3", "api_base": "http://ollama:11434"}},
        "qwen": {"model_name": "qwen2.5-coder", "litellm_params": {
            "model": "ollama_chat/qwen2.5-coder:7b", "api_base": "http://127.0.0.1:11434",
            "keep_alive": "5m"}, "model_info": {"mode": "chat"}},
        "gpt-4o": {"model_name": "gpt-4o", "litellm_params": {
            "model": "openai/gpt-4o", "api_key": "os.environ/OPENAI_API_KEY"}},
        "gpt-4o-mini": {"model_name": "gpt-4o-mini", "litellm_params": {
            "model": "gpt-4o-mini", "api_key": "os.environ/OPENAI_API_KEY", "rpm": 500,
            "tpm": 200000}},
        "azure": {"model_name": "azure-gpt-4o", "litellm_params": {
            "model": "azure/gpt-4o-prod", "api_base": "https://example-eu.openai.azure.com/",
            "api_version": "2024-08-01-preview", "api_key": "os.environ/AZURE_API_KEY"},
            "model_info": {"base_model": "azure/gpt-4o"}},
        "claude": {"model_name": "claude-sonnet", "litellm_params": {
            "model": "anthropic/claude-3-5-sonnet-20241022",
            "api_key": "os.environ/ANTHROPIC_API_KEY"}},
        "bedrock": {"model_name": "bedrock-claude", "litellm_params": {
            "model": "bedrock/anthropic.claude-3-sonnet-20240229-v1:0",
            "aws_region_name": "us-east-1"}},
        "groq": {"model_name": "llama3-70b", "litellm_params": {
            "model": "groq/llama3-70b-8192", "api_key": "os.environ/GROQ_API_KEY"}},
        "embed": {"model_name": "text-embedding-3-small", "litellm_params": {
            "model": "openai/text-embedding-3-small", "api_key": "os.environ/OPENAI_API_KEY"},
            "model_info": {"mode": "embedding"}},
        "tts": {"model_name": "tts-1", "litellm_params": {
            "model": "openai/tts-1", "api_key": "os.environ/OPENAI_API_KEY"},
            "model_info": {"mode": "audio_speech", "input_cost_per_character": 0.000015}},
        "whisper": {"model_name": "whisper-1", "litellm_params": {
            "model": "openai/whisper-1", "api_key": "os.environ/OPENAI_API_KEY"},
            "model_info": {"mode": "audio_transcription"}},
        "wildcard": {"model_name": "openai/*", "litellm_params": {
            "model": "openai/*", "api_key": "os.environ/OPENAI_API_KEY"}},
        "vllm": {"model_name": "mistral-7b", "litellm_params": {
            "model": "hosted_vllm/mistralai/Mistral-7B-Instruct-v0.3",
            "api_base": "http://vllm:8000/v1"}, "model_info": {"id": "vllm-mistral-1"}},
    }


CREDENTIALS = {
    "azure-eu": {"credential_name": "azure-eu", "credential_values": {
        "api_key": "os.environ/AZURE_API_KEY", "api_base": "https://example-eu.openai.azure.com/",
        "api_version": "2024-08-01-preview"}, "credential_info": {"description": "EU tenant"}},
    "openai-team": {"credential_name": "openai-team", "credential_values": {
        "api_key": "os.environ/OPENAI_API_KEY"}, "credential_info": {}},
}


class Draft:
    """A config being built: the main file's sections, the included files, the env."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.main: dict = {}
        self.files: dict[str, dict] = {}
        self.texts: dict[str, str] = {}  # files written as text (Python modules)
        self.env = dict(BASE_ENV)
        self.mistakes: list[str] = []

    def entries(self) -> list:
        """The main file's entries, or an included file's when the main list is empty."""
        value = self.main.setdefault("model_list", [])
        if value is None:
            return next(f["model_list"] for f in self.files.values()
                        if isinstance(f.get("model_list"), list))
        return value

    def section(self, name: str) -> dict:
        value = self.main.get(name)
        if not isinstance(value, dict):
            value = self.main[name] = {}
        return value


def base_draft(rng: random.Random) -> Draft:
    draft = Draft(rng)
    pool = _entries()
    names = rng.sample(sorted(pool), rng.randint(2, 6))
    draft.main["model_list"] = [json.loads(json.dumps(pool[n])) for n in names]
    if "azure" in names and rng.random() < 0.6:
        draft.env["AZURE_API_KEY"] = "azure-oracle-key"
    if "claude" in names and rng.random() < 0.7:
        draft.env["ANTHROPIC_API_KEY"] = "sk-ant-oracle"
    if "groq" in names:
        draft.env["GROQ_API_KEY"] = "gsk-oracle"
    if rng.random() < 0.85:
        draft.section("general_settings")["master_key"] = "os.environ/LITELLM_MASTER_KEY"
    if rng.random() < 0.3:
        draft.section("general_settings")["disable_spend_logs"] = True
    if rng.random() < 0.7:
        settings = draft.section("litellm_settings")
        settings["drop_params"] = True
        if rng.random() < 0.5:
            settings["num_retries"] = rng.choice([2, 3])
        if rng.random() < 0.3:
            settings["request_timeout"] = 600
    if rng.random() < 0.6:
        router = draft.section("router_settings")
        router["routing_strategy"] = rng.choice(["simple-shuffle", "least-busy",
                                                 "usage-based-routing-v2", "latency-based-routing"])
        if rng.random() < 0.5:
            router["num_retries"] = 2
            router["timeout"] = 30
        served = [e["model_name"] for e in draft.entries()]
        if len(served) >= 2 and rng.random() < 0.5:
            router["fallbacks"] = [{served[0]: [served[1]]}]
    if rng.random() < 0.2:
        draft.main["environment_variables"] = {"LITELLM_LOG": "ERROR"}
    return draft


# --- the mistakes (and right ways) of each class: each changes the draft ---------------------

def _entry(draft: Draft, model: str = "") -> dict:
    """An entry of the draft (one whose model starts with `model`, if there is one)."""
    entries = [e for e in draft.entries() if isinstance(e, dict)
               and isinstance(e.get("litellm_params", {}), dict)
               and str(e.get("litellm_params", {}).get("model", "")).startswith(model)]
    return draft.rng.choice(entries or [e for e in draft.entries() if isinstance(e, dict)
                                        and isinstance(e.get("litellm_params"), dict)])


def _credentials(draft: Draft, *names: str) -> list:
    listed = draft.main.setdefault("credential_list", [])
    for name in names:
        listed.append(json.loads(json.dumps(CREDENTIALS[name])))
    return listed


def _uses_credential(draft: Draft, name: str) -> dict:
    entry = {"model_name": f"{name}-gpt-4o", "litellm_params": {
        "model": "azure/gpt-4o-prod" if name.startswith("azure") else "openai/gpt-4o",
        "litellm_credential_name": name}}
    draft.entries().append(entry)
    return entry


def cred_ok(d: Draft) -> None:
    _credentials(d, "azure-eu")
    _uses_credential(d, "azure-eu")


def cred_unknown_reference(d: Draft) -> None:
    _credentials(d, "openai-team")
    _uses_credential(d, "azure-eu")


def cred_no_list(d: Draft) -> None:
    _uses_credential(d, d.rng.choice(sorted(CREDENTIALS)))


def cred_values_missing(d: Draft) -> None:
    listed = _credentials(d, "azure-eu")
    listed[-1].pop("credential_values")
    _uses_credential(d, "azure-eu")


def cred_values_list(d: Draft) -> None:
    listed = _credentials(d, "azure-eu")
    listed[-1]["credential_values"] = [{"api_key": "os.environ/AZURE_API_KEY"}]
    _uses_credential(d, "azure-eu")


def cred_info_missing(d: Draft) -> None:
    listed = _credentials(d, "openai-team")
    listed[-1].pop("credential_info")
    _uses_credential(d, "openai-team")


def cred_name_key(d: Draft) -> None:
    listed = _credentials(d, "openai-team")
    listed[-1]["name"] = listed[-1].pop("credential_name")


def cred_list_mapping(d: Draft) -> None:
    d.main["credential_list"] = {"azure-eu": CREDENTIALS["azure-eu"]["credential_values"]}
    _uses_credential(d, "azure-eu")


def cred_name_under_info(d: Draft) -> None:
    _credentials(d, "azure-eu")
    entry = _uses_credential(d, "azure-eu")
    entry["model_info"] = {"litellm_credential_name": entry["litellm_params"].pop(
        "litellm_credential_name")}


def cred_extra_key(d: Draft) -> None:
    listed = _credentials(d, "openai-team")
    listed[-1]["api_key"] = "os.environ/OPENAI_API_KEY"


def cred_name_number(d: Draft) -> None:
    listed = _credentials(d, "openai-team")
    listed[-1]["credential_name"] = 2024


def cred_values_string(d: Draft) -> None:
    listed = _credentials(d, "openai-team")
    listed[-1]["credential_values"] = "os.environ/OPENAI_API_KEY"


def _include(d: Draft, name: str, content: dict) -> None:
    d.main.setdefault("include", []).append(name)
    d.files[name] = content


def inc_models(d: Draft) -> None:
    entries = d.entries()
    moved = entries[len(entries) // 2:]
    del entries[len(entries) // 2:]
    _include(d, "models.yaml", {"model_list": moved})


def inc_general(d: Draft) -> None:
    _include(d, "settings.yaml", {"general_settings": {"disable_spend_logs": True}})


def inc_general_with_key(d: Draft) -> None:
    _include(d, "settings.yaml", {"general_settings": {
        "master_key": "os.environ/LITELLM_MASTER_KEY", "alerting": ["slack"]}})
    d.env["SLACK_WEBHOOK_URL"] = "https://hooks.slack.invalid/x"


def inc_litellm(d: Draft) -> None:
    _include(d, "callbacks.yaml", {"litellm_settings": {"success_callback": ["langfuse"]}})


def inc_router(d: Draft) -> None:
    _include(d, "router.yaml", {"router_settings": {"routing_strategy": "least-busy"}})


def inc_credentials(d: Draft) -> None:
    _credentials(d, "openai-team")
    _include(d, "credentials.yaml", {"credential_list": [json.loads(json.dumps(
        CREDENTIALS["azure-eu"]))]})
    _uses_credential(d, "azure-eu")


def inc_empty_model_list(d: Draft) -> None:
    moved = list(d.entries())
    d.main["model_list"] = None
    _include(d, "models.yaml", {"model_list": moved})


def inc_null_model_list(d: Draft) -> None:
    _include(d, "extra.yaml", {"model_list": None, "litellm_settings": {"drop_params": True}})


def inc_fallback_to_included(d: Draft) -> None:
    _include(d, "models.yaml", {"model_list": [json.loads(json.dumps(_entries()["groq"]))]})
    d.env["GROQ_API_KEY"] = "gsk-oracle"
    first = d.entries()[0]["model_name"]
    d.section("router_settings")["fallbacks"] = [{first: ["llama3-70b"]}]


def inc_json(d: Draft) -> None:
    entries = d.entries()
    moved = entries[-1:]
    del entries[-1:]
    d.main.setdefault("include", []).append("models.json")
    d.texts["models.json"] = json.dumps({"model_list": moved}, indent=2) + "\n"


def inc_missing(d: Draft) -> None:
    d.main.setdefault("include", []).append("secrets.yaml")


def wrong_mode_in_params(d: Draft) -> None:
    entry = _entry(d)
    entry["litellm_params"]["mode"] = entry.pop("model_info", {}).get("mode", "chat")


def wrong_api_key_in_info(d: Draft) -> None:
    entry = _entry(d, "openai/")
    entry.setdefault("model_info", {})["api_key"] = entry["litellm_params"].pop(
        "api_key", "os.environ/OPENAI_API_KEY")


def wrong_rpm_in_info(d: Draft) -> None:
    _entry(d).setdefault("model_info", {})["rpm"] = 60


def wrong_info_in_params(d: Draft) -> None:
    entry = _entry(d)
    entry["litellm_params"]["model_info"] = entry.pop("model_info", None) or {"mode": "chat"}


def wrong_api_base_at_entry(d: Draft) -> None:
    entry = _entry(d, "ollama")
    if "api_base" in entry["litellm_params"]:
        entry["api_base"] = entry["litellm_params"].pop("api_base")
    else:
        entry["api_base"] = "http://127.0.0.1:11434"


def wrong_model_at_entry(d: Draft) -> None:
    entry = _entry(d)
    entry["model"] = entry["litellm_params"].pop("model")


def wrong_tags_at_entry(d: Draft) -> None:
    _entry(d)["tags"] = ["prod"]


def wrong_params_in_info(d: Draft) -> None:
    entry = _entry(d)
    entry.setdefault("model_info", {})["litellm_params"] = {"temperature": 0.2}


def wrong_base_model_in_params(d: Draft) -> None:
    _entry(d)["litellm_params"]["base_model"] = "gpt-4o"


def _module(d: Draft, name: str, text: str) -> None:
    d.texts[name] = text


HANDLER = ("from litellm.integrations.custom_logger import CustomLogger\n{imports}\n\n"
           "class Handler(CustomLogger):\n    pass\n\n\nproxy_handler_instance = Handler()\n")


def _callback(d: Draft, imports: str, where: str = "callbacks") -> None:
    _module(d, "custom_callbacks.py", HANDLER.format(imports=imports))
    d.section("litellm_settings")[where] = ["custom_callbacks.proxy_handler_instance"]


def mod_helper_present(d: Draft) -> None:
    _callback(d, "from helpers import redact")
    _module(d, "helpers.py", "def redact(text):\n    return text\n")


def mod_helper_missing(d: Draft) -> None:
    _callback(d, "from helpers import redact")


def mod_helper_package(d: Draft) -> None:
    _callback(d, "from hooks.util import redact")
    _module(d, "hooks/__init__.py", "")
    _module(d, "hooks/util.py", "def redact(text):\n    return text\n")


def mod_helper_package_missing(d: Draft) -> None:
    _callback(d, "from hooks.util import redact")
    _module(d, "hooks/__init__.py", "")


def mod_not_installed(d: Draft) -> None:
    _callback(d, "import presidio_redactor_extra")


def mod_installed(d: Draft) -> None:
    _callback(d, "import httpx\nimport yaml")


def mod_helper_raises(d: Draft) -> None:
    _callback(d, "from helpers import WEBHOOK")
    _module(d, "helpers.py", "import os\n\nWEBHOOK = os.environ['AUDIT_WEBHOOK']\n")


def mod_helper_env_set(d: Draft) -> None:
    mod_helper_raises(d)
    d.env["AUDIT_WEBHOOK"] = "https://audit.invalid/"


def mod_helper_imports_missing(d: Draft) -> None:
    _callback(d, "from helpers import redact")
    _module(d, "helpers.py", "from redaction_rules import RULES\n\n"
                             "def redact(text):\n    return text\n")


def mod_auth_helper(d: Draft) -> None:
    _module(d, "custom_auth.py", "from auth_rules import allowed\n\n\n"
                                 "async def user_api_key_auth(request, api_key):\n"
                                 "    return allowed(api_key)\n")
    if d.rng.random() < 0.5:
        _module(d, "auth_rules.py", "def allowed(key):\n    return True\n")
    d.section("general_settings")["custom_auth"] = "custom_auth.user_api_key_auth"


def mod_success_callback_helper(d: Draft) -> None:
    _callback(d, "from helpers import redact", where="success_callback")
    if d.rng.random() < 0.5:
        _module(d, "helpers.py", "def redact(text):\n    return text\n")


def rel_fallback_string(d: Draft) -> None:
    names = [e["model_name"] for e in d.entries()]
    d.section("router_settings")["fallbacks"] = [{names[0]: names[-1]}]


def rel_fallback_mapping(d: Draft) -> None:
    names = [e["model_name"] for e in d.entries()]
    d.section("router_settings")["fallbacks"] = {names[0]: [names[-1]]}


def rel_weak_key(d: Draft) -> None:
    d.section("general_settings")["master_key"] = "sk-1234"


def rel_weak_key_permitted(d: Draft) -> None:
    settings = d.section("general_settings")
    settings["master_key"] = "sk-1234"
    settings["dangerously_permit_weak_or_unset_master_key"] = True


def rel_no_key(d: Draft) -> None:
    d.section("general_settings").pop("master_key", None)
    d.env.pop("LITELLM_MASTER_KEY", None)


def rel_key_env_unset(d: Draft) -> None:
    d.section("general_settings")["master_key"] = "os.environ/PROXY_MASTER_KEY"


def rel_disk_cache(d: Draft) -> None:
    settings = d.section("litellm_settings")
    settings["cache"] = True
    settings["cache_params"] = {"type": "disk", "disk_cache_dir": "/tmp/litellm-cache"}


def rel_cooldown_bool(d: Draft) -> None:
    d.section("router_settings")["cooldown_time"] = True


def rel_timeout_word(d: Draft) -> None:
    d.section("router_settings")["timeout"] = "ten"


def rel_model_name_number(d: Draft) -> None:
    entry = _entry(d)
    entry["model_name"] = 3


def rel_context_fallback_string(d: Draft) -> None:
    names = [e["model_name"] for e in d.entries()]
    d.section("router_settings")["context_window_fallbacks"] = [{names[0]: names[-1]}]


def slip_no_prefix(d: Draft) -> None:
    _entry(d)["litellm_params"]["model"] = d.rng.choice(
        ["claude-3-5-sonnet-20241022", "llama2", "o1-preview"])


def slip_section_typo(d: Draft) -> None:
    for name in ("general_settings", "litellm_settings", "router_settings"):
        if name in d.main:
            d.main[name[:-1]] = d.main.pop(name)
            return
    d.main["litellm_setting"] = {"drop_params": True}


def slip_rpm_word(d: Draft) -> None:
    _entry(d)["litellm_params"]["rpm"] = "many"


def slip_model_env_unset(d: Draft) -> None:
    _entry(d)["litellm_params"]["model"] = "os.environ/DEFAULT_MODEL"


def slip_unknown_strategy(d: Draft) -> None:
    d.section("router_settings")["routing_strategy"] = "round-robin"


def slip_api_key_unset(d: Draft) -> None:
    entry = _entry(d)
    entry["litellm_params"]["api_key"] = "os.environ/MISTRAL_API_KEY"


def slip_dollar_var(d: Draft) -> None:
    d.section("router_settings")["num_retries"] = "${NUM_RETRIES}"


def slip_redis_no_host(d: Draft) -> None:
    settings = d.section("litellm_settings")
    settings["cache"] = True
    settings["cache_params"] = {"type": "redis"}


CLASSES = {
    "credentials": [cred_ok, cred_unknown_reference, cred_no_list, cred_values_missing,
                    cred_values_list, cred_info_missing, cred_name_key, cred_list_mapping,
                    cred_name_under_info, cred_extra_key, cred_name_number, cred_values_string],
    "include": [inc_models, inc_general, inc_general_with_key, inc_litellm, inc_router,
                inc_credentials, inc_empty_model_list, inc_null_model_list,
                inc_fallback_to_included, inc_json, inc_missing],
    "wrong-parent": [wrong_mode_in_params, wrong_api_key_in_info, wrong_rpm_in_info,
                     wrong_info_in_params, wrong_api_base_at_entry, wrong_model_at_entry,
                     wrong_tags_at_entry, wrong_params_in_info, wrong_base_model_in_params],
    "modules": [mod_helper_present, mod_helper_missing, mod_helper_package,
                mod_helper_package_missing, mod_not_installed, mod_installed, mod_helper_raises,
                mod_helper_env_set, mod_helper_imports_missing, mod_auth_helper,
                mod_success_callback_helper],
    "releases": [rel_fallback_string, rel_fallback_mapping, rel_weak_key,
                 rel_weak_key_permitted, rel_no_key, rel_key_env_unset, rel_disk_cache,
                 rel_cooldown_bool, rel_timeout_word, rel_model_name_number,
                 rel_context_fallback_string],
    "slips": [slip_no_prefix, slip_section_typo, slip_rpm_word, slip_model_env_unset,
              slip_unknown_strategy, slip_api_key_unset, slip_dollar_var, slip_redis_no_host],
}


# --- the second batch's further kinds (the first batch's cases stay as they were) ---------

def wp_params_under_info(d: Draft) -> None:
    entry = _entry(d)
    entry.setdefault("model_info", {})["litellm_params"] = entry.pop("litellm_params")


def wp_model_name_in_params(d: Draft) -> None:
    entry = _entry(d)
    entry["litellm_params"]["model_name"] = entry.pop("model_name")


def wp_mode_at_entry(d: Draft) -> None:
    entry = _entry(d)
    entry["mode"] = entry.pop("model_info", {}).get("mode", "chat")


def wp_api_key_at_entry(d: Draft) -> None:
    entry = _entry(d, "openai/")
    entry["api_key"] = entry["litellm_params"].pop("api_key", "os.environ/OPENAI_API_KEY")


def wp_rpm_at_entry(d: Draft) -> None:
    _entry(d)["rpm"] = d.rng.choice([100, "100"])


def wp_tpm_word_in_info(d: Draft) -> None:
    _entry(d).setdefault("model_info", {})["tpm"] = "100k"


def wp_max_tokens_word_in_params(d: Draft) -> None:
    _entry(d)["litellm_params"]["max_tokens"] = "8k"


def wp_order_in_info(d: Draft) -> None:
    _entry(d).setdefault("model_info", {})["order"] = 1


def wp_region_in_info(d: Draft) -> None:
    entry = _entry(d, "bedrock")
    entry.setdefault("model_info", {})["aws_region_name"] = entry["litellm_params"].pop(
        "aws_region_name", "us-east-1")


def wp_params_as_list(d: Draft) -> None:
    entry = _entry(d)
    entry["litellm_params"] = [{k: v} for k, v in entry["litellm_params"].items()]


def wp_credential_at_entry(d: Draft) -> None:
    _credentials(d, "azure-eu")
    entry = _uses_credential(d, "azure-eu")
    entry["litellm_credential_name"] = entry["litellm_params"].pop("litellm_credential_name")


def wp_id_in_params(d: Draft) -> None:
    entry = _entry(d)
    entry["litellm_params"]["id"] = f"{entry['model_name']}-1"


def wp_cost_in_params(d: Draft) -> None:
    _entry(d)["litellm_params"]["input_cost_per_token"] = d.rng.choice([0.0000025, "$0.01"])


def rel2_num_retries_string(d: Draft) -> None:
    d.section("router_settings")["num_retries"] = "3"


def rel2_allowed_fails_word(d: Draft) -> None:
    d.section("router_settings")["allowed_fails"] = "three"


def rel2_default_fallbacks_string(d: Draft) -> None:
    d.section("router_settings")["default_fallbacks"] = d.entries()[0]["model_name"]


def rel2_litellm_fallbacks_string(d: Draft) -> None:
    names = [e["model_name"] for e in d.entries()]
    d.section("litellm_settings")["fallbacks"] = [{names[0]: names[-1]}]


def rel2_logger(d: Draft) -> None:
    where = d.rng.choice(["success_callback", "failure_callback", "callbacks"])
    d.section("litellm_settings")[where] = [d.rng.choice(["langfuse", "prometheus",
                                                           "datadog", "otel"])]


def rel2_master_key_empty(d: Draft) -> None:
    d.section("general_settings")["master_key"] = ""


def rel2_master_key_own(d: Draft) -> None:
    d.section("general_settings")["master_key"] = "sk-prod-7f3a9c21d4e8b6"


def rel2_model_name_null(d: Draft) -> None:
    _entry(d)["model_name"] = None


def rel2_request_timeout_string(d: Draft) -> None:
    d.section("litellm_settings")["request_timeout"] = "600"


def rel2_tag_filtering_word(d: Draft) -> None:
    d.section("router_settings")["enable_tag_filtering"] = "yes"


def rel2_fallback_nested(d: Draft) -> None:
    names = [e["model_name"] for e in d.entries()]
    d.section("router_settings")["fallbacks"] = [{names[0]: [{"model": names[-1]}]}]


def cred2_duplicate(d: Draft) -> None:
    _credentials(d, "openai-team", "openai-team")
    _uses_credential(d, "openai-team")


def cred2_info_null(d: Draft) -> None:
    _credentials(d, "azure-eu")[-1]["credential_info"] = None
    _uses_credential(d, "azure-eu")


def cred2_list_null(d: Draft) -> None:
    d.main["credential_list"] = None


def cred2_reference_number(d: Draft) -> None:
    _credentials(d, "openai-team")
    _uses_credential(d, "openai-team")["litellm_params"]["litellm_credential_name"] = 7


def cred2_values_env_unset(d: Draft) -> None:
    _credentials(d, "azure-eu")[-1]["credential_values"]["api_key"] = "os.environ/AZURE_EU_KEY"
    _uses_credential(d, "azure-eu")


def cred2_item_string(d: Draft) -> None:
    _credentials(d, "openai-team").append("azure-eu")


def cred2_display_name(d: Draft) -> None:
    _credentials(d, "openai-team")[-1]["display_name"] = "OpenAI (team)"
    _uses_credential(d, "openai-team")


def inc2_nested(d: Draft) -> None:
    _include(d, "models.yaml", {"include": ["more.yaml"], "model_list": [
        json.loads(json.dumps(_entries()["vllm"]))]})
    d.files["more.yaml"] = {"model_list": [json.loads(json.dumps(_entries()["whisper"]))]}


def inc2_guardrails(d: Draft) -> None:
    guard = {"guardrail_name": "pii-mask", "litellm_params": {
        "guardrail": "presidio", "mode": "pre_call"}}
    d.main["guardrails"] = [guard]
    _include(d, "guardrails.yaml", {"guardrails": [dict(guard, guardrail_name="pii-2")]})


def inc2_model_list_mapping(d: Draft) -> None:
    _include(d, "models.yaml", {"model_list": {"llama3": _entries()["llama3"]}})


def inc2_not_mapping(d: Draft) -> None:
    _include(d, "models.yaml", {"model_list": None})
    d.files["models.yaml"] = [_entries()["llama3"]]


def inc2_comments_only(d: Draft) -> None:
    d.main.setdefault("include", []).append("local.yaml")
    d.texts["local.yaml"] = "# local overrides go here\n"


def inc2_key_lost(d: Draft) -> None:
    d.section("general_settings")["master_key"] = "os.environ/LITELLM_MASTER_KEY"
    _include(d, "settings.yaml", {"general_settings": {"store_prompts_in_spend_logs": True}})


def inc2_env_vars(d: Draft) -> None:
    d.main["environment_variables"] = {"LITELLM_LOG": "ERROR"}
    _include(d, "env.yaml", {"environment_variables": {"OLLAMA_HOST": "http://ollama:11434"}})


def inc2_fallback_into_include(d: Draft) -> None:
    names = [e["model_name"] for e in d.entries()]
    _include(d, "router.yaml", {"router_settings": {"fallbacks": [{names[0]: ["llama3-70b"]}]}})
    _include(d, "models.yaml", {"model_list": [json.loads(json.dumps(_entries()["groq"]))]})
    d.env["GROQ_API_KEY"] = "gsk-oracle"


def mod2_relative(d: Draft) -> None:
    _callback(d, "from .helpers import redact")
    _module(d, "helpers.py", "def redact(text):\n    return text\n")


def mod2_guarded(d: Draft) -> None:
    _callback(d, "try:\n    from helpers import redact\nexcept ImportError:\n    redact = None")


def mod2_in_function(d: Draft) -> None:
    _module(d, "custom_callbacks.py", HANDLER.format(imports="") + "\n\ndef later():\n"
            "    from helpers import redact\n    return redact\n")
    d.section("litellm_settings")["callbacks"] = ["custom_callbacks.proxy_handler_instance"]


def mod2_litellm_imports(d: Draft) -> None:
    _callback(d, "from litellm.proxy._types import UserAPIKeyAuth\n"
                 "from litellm.caching.caching import DualCache\nimport requests\n"
                 "from typing import Optional, Literal")


def mod2_subpackage_module(d: Draft) -> None:
    _module(d, "hooks/__init__.py", "")
    _module(d, "hooks/cb.py", HANDLER.format(imports="from hooks.util import redact"))
    _module(d, "hooks/util.py", "def redact(text):\n    return text\n")
    d.section("litellm_settings")["callbacks"] = ["hooks.cb.proxy_handler_instance"]


def mod2_third_party(d: Draft) -> None:
    _callback(d, d.rng.choice(["import redis", "import boto3", "import numpy",
                               "import pandas", "import sentry_sdk", "import tenacity"]))


def mod2_auth_ok(d: Draft) -> None:
    _module(d, "custom_auth.py", "import os\nfrom fastapi import Request\n"
            "from litellm.proxy._types import UserAPIKeyAuth\n\n\n"
            "async def user_api_key_auth(request: Request, api_key: str) -> UserAPIKeyAuth:\n"
            "    return UserAPIKeyAuth(api_key=api_key)\n")
    d.section("general_settings")["custom_auth"] = "custom_auth.user_api_key_auth"


SECOND = {
    "credentials": [cred2_duplicate, cred2_info_null, cred2_list_null, cred2_reference_number,
                    cred2_values_env_unset, cred2_item_string, cred2_display_name],
    "include": [inc2_nested, inc2_guardrails, inc2_model_list_mapping, inc2_not_mapping,
                inc2_comments_only, inc2_key_lost, inc2_env_vars, inc2_fallback_into_include],
    "wrong-parent": [wp_params_under_info, wp_model_name_in_params, wp_mode_at_entry,
                     wp_api_key_at_entry, wp_rpm_at_entry, wp_tpm_word_in_info,
                     wp_max_tokens_word_in_params, wp_order_in_info, wp_region_in_info,
                     wp_params_as_list, wp_credential_at_entry, wp_id_in_params,
                     wp_cost_in_params],
    "modules": [mod2_relative, mod2_guarded, mod2_in_function, mod2_litellm_imports,
                mod2_subpackage_module, mod2_third_party, mod2_auth_ok],
    "releases": [rel2_num_retries_string, rel2_allowed_fails_word, rel2_default_fallbacks_string,
                 rel2_litellm_fallbacks_string, rel2_logger, rel2_master_key_empty,
                 rel2_master_key_own, rel2_model_name_null, rel2_request_timeout_string,
                 rel2_tag_filtering_word, rel2_fallback_nested],
}


# --- the third batch's further kinds ---------------------------------------------------------

def _nested(d: Draft, where: str) -> None:
    """conf.d/models.yaml includes extra.yaml, which stands in `where` ("conf.d/" or "")."""
    _include(d, "conf.d/models.yaml", {"include": ["extra.yaml"], "model_list": [
        json.loads(json.dumps(_entries()["vllm"]))]})
    d.files[where + "extra.yaml"] = {"model_list": [json.loads(json.dumps(
        _entries()["whisper"]))]}


def inc3_nested_beside(d: Draft) -> None:
    _nested(d, "conf.d/")


def inc3_nested_root(d: Draft) -> None:
    _nested(d, "")


def inc3_nested_missing(d: Draft) -> None:
    _include(d, "models.yaml", {"include": ["more.yaml"], "model_list": [
        json.loads(json.dumps(_entries()["qwen"]))]})


def inc3_key_lost_unset(d: Draft) -> None:
    d.section("general_settings")["master_key"] = "os.environ/PROXY_KEY"
    d.env["PROXY_KEY"] = "sk-prod-4c1f2d9e7b"
    d.env.pop("LITELLM_MASTER_KEY", None)
    _include(d, "settings.yaml", {"general_settings": {"disable_spend_logs": True}})


def inc3_credentials_into_null(d: Draft) -> None:
    d.main["credential_list"] = None
    _include(d, "credentials.yaml", {"credential_list": [json.loads(json.dumps(
        CREDENTIALS["azure-eu"]))]})
    _uses_credential(d, "azure-eu")


def inc3_entry_uses_main_credential(d: Draft) -> None:
    _credentials(d, "openai-team")
    _include(d, "models.yaml", {"model_list": [{"model_name": "team-gpt-4o", "litellm_params": {
        "model": "openai/gpt-4o", "litellm_credential_name": "openai-team"}}]})


def wp3_params_null(d: Draft) -> None:
    _entry(d)["litellm_params"] = None


def wp3_info_string(d: Draft) -> None:
    _entry(d)["model_info"] = "chat"


def mod3_namespace_helper(d: Draft) -> None:
    _callback(d, "from lib.helpers import redact")
    _module(d, "lib/helpers.py", "def redact(text):\n    return text\n")


def mod3_guardrail_helper(d: Draft) -> None:
    _module(d, "custom_guardrail.py", "from litellm.integrations.custom_guardrail import "
            "CustomGuardrail\nfrom rules import BLOCKED\n\n\n"
            "class MyGuard(CustomGuardrail):\n    pass\n")
    if d.rng.random() < 0.5:
        _module(d, "rules.py", "BLOCKED = ['secret']\n")
    d.main["guardrails"] = [{"guardrail_name": "my-guard", "litellm_params": {
        "guardrail": "custom_guardrail.MyGuard", "mode": "pre_call"}}]


THIRD = {
    "include": [inc3_nested_beside, inc3_nested_root, inc3_nested_missing, inc3_key_lost_unset,
                inc3_credentials_into_null, inc3_entry_uses_main_credential],
    "wrong-parent": [wp3_params_null, wp3_info_string],
    "modules": [mod3_namespace_helper, mod3_guardrail_helper],
}


# --- writing the files ---------------------------------------------------------------------

HEADER = ["# LiteLLM proxy config", "# managed by the platform team; restart the proxy after "
          "editing"]


def render_yaml(data: dict, rng: random.Random, header: bool = True) -> str:
    style = rng.choice([dict(indent=2), dict(indent=4)])
    body = yaml.safe_dump(data, sort_keys=False, default_flow_style=False, width=100, **style)
    if rng.random() < 0.5:  # an operator's blank line between sections
        body = "\n".join(("\n" + line) if line and not line[0].isspace() and i else line
                         for i, line in enumerate(body.split("\n")))
    return ("\n".join(HEADER) + "\n" if header else "") + body


def render(data: dict, rng: random.Random, as_json: bool) -> str:
    if as_json:
        return json.dumps(data, indent=rng.choice([2, 4])) + "\n"
    return render_yaml(data, rng)


def case(number: int, rng: random.Random, kinds: dict = CLASSES) -> dict:
    draft = base_draft(rng)
    count = rng.choices([0, 1, 2, 3], weights=[3, 3, 3, 2])[0]
    classes = rng.sample(sorted(kinds), count)
    for name in classes:
        mistake = rng.choice(kinds[name])
        mistake(draft)
        draft.mistakes.append(mistake.__name__)
    as_json = rng.random() < 0.2
    files = {name: render(content, rng, rng.random() < 0.3)
             for name, content in draft.files.items()}
    files.update(draft.texts)
    slug = "-".join(m.split("_", 1)[0] for m in draft.mistakes) or "clean"
    case_id = f"r{number:03d}-{slug}"
    return {"id": case_id, "config": render(draft.main, rng, as_json), "files": files,
            "env": draft.env, "format": "json" if as_json else "yaml",
            "mistakes": draft.mistakes, "held_out": held_out(case_id)}


def generate(count: int = COUNT, seed: int = SEED) -> list[dict]:
    """The first batch (the first kinds), a second of as many cases drawing on every kind,
    a third of half as many that adds more; each from its own seed, so adding a batch
    changes none of the ones before."""
    rng = random.Random(seed)
    first = [case(n, rng) for n in range(count)]
    every = {name: kinds + SECOND.get(name, []) for name, kinds in CLASSES.items()}
    rng = random.Random(seed + 1)
    second = [case(count + n, rng, every) for n in range(count)]
    # The third: every kind, the third batch's new ones twice as likely.
    every = {name: kinds + 2 * THIRD.get(name, []) for name, kinds in every.items()}
    rng = random.Random(seed + 2)
    return first + second + [case(2 * count + n, rng, every) for n in range(count // 2)]


ROOT = Path(__file__).resolve().parent.parent
REALISTIC = ROOT / "tests" / "oracle" / "realistic"
LOG = 3  # log lines kept of a start-up that stopped: the first say why


def _kept(record: dict) -> dict:
    """A record as stored: without its timing, and with a log only where it stopped."""
    record = {k: v for k, v in record.items() if k != "seconds"}
    record["log"] = [line[:200] for line in record.get("log", [])[:LOG]] \
        if record.get("started") is False else []
    return record


def record(venvs: list[str]) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    import harness
    from oracle import _release_of

    cases = generate()
    REALISTIC.mkdir(parents=True, exist_ok=True)
    asked = [{k: c[k] for k in ("id", "config", "files", "env")} for c in cases]
    before = {}  # a case recorded before with the same files and env keeps its record
    if (REALISTIC / "cases.jsonl").exists():
        before = {c["id"]: c for c in map(json.loads, (REALISTIC / "cases.jsonl").read_text(
            encoding="utf-8").splitlines())}
    (REALISTIC / "cases.jsonl").write_text(
        "".join(json.dumps(c, sort_keys=True) + "\n" for c in cases), encoding="utf-8")
    for venv in venvs:
        release = _release_of(venv)
        out = REALISTIC / f"litellm-{release}.jsonl"
        known = {r["id"]: r["record"] for r in map(json.loads, out.read_text(
            encoding="utf-8").splitlines())} if out.exists() else {}
        todo = [c for c in asked if c["id"] not in known or _changed(c, before.get(c["id"]))]
        records = {r["id"]: r for r in harness.run_cases(
            todo, venv=venv, jobs=1, timeout=60, log_path="/dev/null")}
        rows = []
        for case in asked:
            row = _kept(records.get(case["id"]) or known[case["id"]])
            row.pop("id", None)
            rows.append(json.dumps({"id": case["id"], "record": row}, sort_keys=True))
        (REALISTIC / f"litellm-{release}.jsonl").write_text("\n".join(rows) + "\n",
                                                           encoding="utf-8")
        print(f"{release}: {len(rows)} cases", file=sys.stderr)


def _changed(case: dict, before: dict | None) -> bool:
    return before is None or any(case[k] != before[k] for k in ("config", "files", "env"))


def main(argv: list[str]) -> int:
    if argv[1:2] == ["record"]:
        record(argv[2:])
        return 0
    cases = generate()
    if argv[1:2] == ["--split"]:
        for c in cases:
            print(c["id"], "held-out" if c["held_out"] else "development")
        return 0
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    Path(argv[1]).write_text("".join(json.dumps(c, sort_keys=True) + "\n" for c in cases),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
