"""The first batch's kinds of mistakes (and right ways), by class: CLASSES.

Each kind is a function that changes a draft; its name is what the case lists under
`mistakes`, so a name never changes. Classes: credentials, include, wrong-parent (a key
under the wrong parent), modules (callback modules and what they import), releases
(values whose meaning changed between releases), slips (common mistakes).
"""
from __future__ import annotations

import json

from realistic_kinds.draft import (
    CREDENTIALS,
    Draft,
    add_callback,
    add_credentials,
    add_include,
    add_module,
    entry_pool,
    pick_entry,
    use_credential,
)


def cred_ok(d: Draft) -> None:
    add_credentials(d, "azure-eu")
    use_credential(d, "azure-eu")


def cred_unknown_reference(d: Draft) -> None:
    add_credentials(d, "openai-team")
    use_credential(d, "azure-eu")


def cred_no_list(d: Draft) -> None:
    use_credential(d, d.rng.choice(sorted(CREDENTIALS)))


def cred_values_missing(d: Draft) -> None:
    listed = add_credentials(d, "azure-eu")
    listed[-1].pop("credential_values")
    use_credential(d, "azure-eu")


def cred_values_list(d: Draft) -> None:
    listed = add_credentials(d, "azure-eu")
    listed[-1]["credential_values"] = [{"api_key": "os.environ/AZURE_API_KEY"}]
    use_credential(d, "azure-eu")


def cred_info_missing(d: Draft) -> None:
    listed = add_credentials(d, "openai-team")
    listed[-1].pop("credential_info")
    use_credential(d, "openai-team")


def cred_name_key(d: Draft) -> None:
    listed = add_credentials(d, "openai-team")
    listed[-1]["name"] = listed[-1].pop("credential_name")


def cred_list_mapping(d: Draft) -> None:
    d.main["credential_list"] = {"azure-eu": CREDENTIALS["azure-eu"]["credential_values"]}
    use_credential(d, "azure-eu")


def cred_name_under_info(d: Draft) -> None:
    add_credentials(d, "azure-eu")
    entry = use_credential(d, "azure-eu")
    entry["model_info"] = {"litellm_credential_name": entry["litellm_params"].pop(
        "litellm_credential_name")}


def cred_extra_key(d: Draft) -> None:
    listed = add_credentials(d, "openai-team")
    listed[-1]["api_key"] = "os.environ/OPENAI_API_KEY"


def cred_name_number(d: Draft) -> None:
    listed = add_credentials(d, "openai-team")
    listed[-1]["credential_name"] = 2024


def cred_values_string(d: Draft) -> None:
    listed = add_credentials(d, "openai-team")
    listed[-1]["credential_values"] = "os.environ/OPENAI_API_KEY"



def inc_models(d: Draft) -> None:
    entries = d.entries()
    moved = entries[len(entries) // 2:]
    del entries[len(entries) // 2:]
    add_include(d, "models.yaml", {"model_list": moved})


def inc_general(d: Draft) -> None:
    add_include(d, "settings.yaml", {"general_settings": {"disable_spend_logs": True}})


def inc_general_with_key(d: Draft) -> None:
    add_include(d, "settings.yaml", {"general_settings": {
        "master_key": "os.environ/LITELLM_MASTER_KEY", "alerting": ["slack"]}})
    d.env["SLACK_WEBHOOK_URL"] = "https://hooks.slack.invalid/x"


def inc_litellm(d: Draft) -> None:
    add_include(d, "callbacks.yaml", {"litellm_settings": {"success_callback": ["langfuse"]}})


def inc_router(d: Draft) -> None:
    add_include(d, "router.yaml", {"router_settings": {"routing_strategy": "least-busy"}})


def inc_credentials(d: Draft) -> None:
    add_credentials(d, "openai-team")
    add_include(d, "credentials.yaml", {"credential_list": [json.loads(json.dumps(
        CREDENTIALS["azure-eu"]))]})
    use_credential(d, "azure-eu")


def inc_empty_model_list(d: Draft) -> None:
    moved = list(d.entries())
    d.main["model_list"] = None
    add_include(d, "models.yaml", {"model_list": moved})


def inc_null_model_list(d: Draft) -> None:
    add_include(d, "extra.yaml", {"model_list": None, "litellm_settings": {"drop_params": True}})


def inc_fallback_to_included(d: Draft) -> None:
    add_include(d, "models.yaml", {"model_list": [json.loads(json.dumps(entry_pool()["groq"]))]})
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
    entry = pick_entry(d)
    entry["litellm_params"]["mode"] = entry.pop("model_info", {}).get("mode", "chat")


def wrong_api_key_in_info(d: Draft) -> None:
    entry = pick_entry(d, "openai/")
    entry.setdefault("model_info", {})["api_key"] = entry["litellm_params"].pop(
        "api_key", "os.environ/OPENAI_API_KEY")


def wrong_rpm_in_info(d: Draft) -> None:
    pick_entry(d).setdefault("model_info", {})["rpm"] = 60


def wrong_info_in_params(d: Draft) -> None:
    entry = pick_entry(d)
    entry["litellm_params"]["model_info"] = entry.pop("model_info", None) or {"mode": "chat"}


def wrong_api_base_at_entry(d: Draft) -> None:
    entry = pick_entry(d, "ollama")
    if "api_base" in entry["litellm_params"]:
        entry["api_base"] = entry["litellm_params"].pop("api_base")
    else:
        entry["api_base"] = "http://127.0.0.1:11434"


def wrong_model_at_entry(d: Draft) -> None:
    entry = pick_entry(d)
    entry["model"] = entry["litellm_params"].pop("model")


def wrong_tags_at_entry(d: Draft) -> None:
    pick_entry(d)["tags"] = ["prod"]


def wrong_params_in_info(d: Draft) -> None:
    entry = pick_entry(d)
    entry.setdefault("model_info", {})["litellm_params"] = {"temperature": 0.2}


def wrong_base_model_in_params(d: Draft) -> None:
    pick_entry(d)["litellm_params"]["base_model"] = "gpt-4o"



def mod_helper_present(d: Draft) -> None:
    add_callback(d, "from helpers import redact")
    add_module(d, "helpers.py", "def redact(text):\n    return text\n")


def mod_helper_missing(d: Draft) -> None:
    add_callback(d, "from helpers import redact")


def mod_helper_package(d: Draft) -> None:
    add_callback(d, "from hooks.util import redact")
    add_module(d, "hooks/__init__.py", "")
    add_module(d, "hooks/util.py", "def redact(text):\n    return text\n")


def mod_helper_package_missing(d: Draft) -> None:
    add_callback(d, "from hooks.util import redact")
    add_module(d, "hooks/__init__.py", "")


def mod_not_installed(d: Draft) -> None:
    add_callback(d, "import presidio_redactor_extra")


def mod_installed(d: Draft) -> None:
    add_callback(d, "import httpx\nimport yaml")


def mod_helper_raises(d: Draft) -> None:
    add_callback(d, "from helpers import WEBHOOK")
    add_module(d, "helpers.py", "import os\n\nWEBHOOK = os.environ['AUDIT_WEBHOOK']\n")


def mod_helper_env_set(d: Draft) -> None:
    mod_helper_raises(d)
    d.env["AUDIT_WEBHOOK"] = "https://audit.invalid/"


def mod_helper_imports_missing(d: Draft) -> None:
    add_callback(d, "from helpers import redact")
    add_module(d, "helpers.py", "from redaction_rules import RULES\n\n"
                                "def redact(text):\n    return text\n")


def mod_auth_helper(d: Draft) -> None:
    add_module(d, "custom_auth.py", "from auth_rules import allowed\n\n\n"
                                    "async def user_api_key_auth(request, api_key):\n"
                                    "    return allowed(api_key)\n")
    if d.rng.random() < 0.5:
        add_module(d, "auth_rules.py", "def allowed(key):\n    return True\n")
    d.section("general_settings")["custom_auth"] = "custom_auth.user_api_key_auth"


def mod_success_callback_helper(d: Draft) -> None:
    add_callback(d, "from helpers import redact", where="success_callback")
    if d.rng.random() < 0.5:
        add_module(d, "helpers.py", "def redact(text):\n    return text\n")


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
    entry = pick_entry(d)
    entry["model_name"] = 3


def rel_context_fallback_string(d: Draft) -> None:
    names = [e["model_name"] for e in d.entries()]
    d.section("router_settings")["context_window_fallbacks"] = [{names[0]: names[-1]}]


def slip_no_prefix(d: Draft) -> None:
    pick_entry(d)["litellm_params"]["model"] = d.rng.choice(
        ["claude-3-5-sonnet-20241022", "llama2", "o1-preview"])


def slip_section_typo(d: Draft) -> None:
    for name in ("general_settings", "litellm_settings", "router_settings"):
        if name in d.main:
            d.main[name[:-1]] = d.main.pop(name)
            return
    d.main["litellm_setting"] = {"drop_params": True}


def slip_rpm_word(d: Draft) -> None:
    pick_entry(d)["litellm_params"]["rpm"] = "many"


def slip_model_env_unset(d: Draft) -> None:
    pick_entry(d)["litellm_params"]["model"] = "os.environ/DEFAULT_MODEL"


def slip_unknown_strategy(d: Draft) -> None:
    d.section("router_settings")["routing_strategy"] = "round-robin"


def slip_api_key_unset(d: Draft) -> None:
    entry = pick_entry(d)
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
