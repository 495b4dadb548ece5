"""The second batch's further kinds, by class: SECOND.

Added to the first batch's classes for the second batch of cases; the first batch's cases
stay as they were. A kind's function name is what a case lists under `mistakes`.
"""
from __future__ import annotations

import json

from realistic_kinds.draft import (
    HANDLER,
    Draft,
    add_callback,
    add_credentials,
    add_include,
    add_module,
    entry_pool,
    pick_entry,
    use_credential,
)


def wp_params_under_info(d: Draft) -> None:
    entry = pick_entry(d)
    entry.setdefault("model_info", {})["litellm_params"] = entry.pop("litellm_params")


def wp_model_name_in_params(d: Draft) -> None:
    entry = pick_entry(d)
    entry["litellm_params"]["model_name"] = entry.pop("model_name")


def wp_mode_at_entry(d: Draft) -> None:
    entry = pick_entry(d)
    entry["mode"] = entry.pop("model_info", {}).get("mode", "chat")


def wp_api_key_at_entry(d: Draft) -> None:
    entry = pick_entry(d, "openai/")
    entry["api_key"] = entry["litellm_params"].pop("api_key", "os.environ/OPENAI_API_KEY")


def wp_rpm_at_entry(d: Draft) -> None:
    pick_entry(d)["rpm"] = d.rng.choice([100, "100"])


def wp_tpm_word_in_info(d: Draft) -> None:
    pick_entry(d).setdefault("model_info", {})["tpm"] = "100k"


def wp_max_tokens_word_in_params(d: Draft) -> None:
    pick_entry(d)["litellm_params"]["max_tokens"] = "8k"


def wp_order_in_info(d: Draft) -> None:
    pick_entry(d).setdefault("model_info", {})["order"] = 1


def wp_region_in_info(d: Draft) -> None:
    entry = pick_entry(d, "bedrock")
    entry.setdefault("model_info", {})["aws_region_name"] = entry["litellm_params"].pop(
        "aws_region_name", "us-east-1")


def wp_params_as_list(d: Draft) -> None:
    entry = pick_entry(d)
    entry["litellm_params"] = [{k: v} for k, v in entry["litellm_params"].items()]


def wp_credential_at_entry(d: Draft) -> None:
    add_credentials(d, "azure-eu")
    entry = use_credential(d, "azure-eu")
    entry["litellm_credential_name"] = entry["litellm_params"].pop("litellm_credential_name")


def wp_id_in_params(d: Draft) -> None:
    entry = pick_entry(d)
    entry["litellm_params"]["id"] = f"{entry['model_name']}-1"


def wp_cost_in_params(d: Draft) -> None:
    pick_entry(d)["litellm_params"]["input_cost_per_token"] = d.rng.choice([0.0000025, "$0.01"])


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
    pick_entry(d)["model_name"] = None


def rel2_request_timeout_string(d: Draft) -> None:
    d.section("litellm_settings")["request_timeout"] = "600"


def rel2_tag_filtering_word(d: Draft) -> None:
    d.section("router_settings")["enable_tag_filtering"] = "yes"


def rel2_fallback_nested(d: Draft) -> None:
    names = [e["model_name"] for e in d.entries()]
    d.section("router_settings")["fallbacks"] = [{names[0]: [{"model": names[-1]}]}]


def cred2_duplicate(d: Draft) -> None:
    add_credentials(d, "openai-team", "openai-team")
    use_credential(d, "openai-team")


def cred2_info_null(d: Draft) -> None:
    add_credentials(d, "azure-eu")[-1]["credential_info"] = None
    use_credential(d, "azure-eu")


def cred2_list_null(d: Draft) -> None:
    d.main["credential_list"] = None


def cred2_reference_number(d: Draft) -> None:
    add_credentials(d, "openai-team")
    use_credential(d, "openai-team")["litellm_params"]["litellm_credential_name"] = 7


def cred2_values_env_unset(d: Draft) -> None:
    add_credentials(d, "azure-eu")[-1]["credential_values"]["api_key"] = "os.environ/AZURE_EU_KEY"
    use_credential(d, "azure-eu")


def cred2_item_string(d: Draft) -> None:
    add_credentials(d, "openai-team").append("azure-eu")


def cred2_display_name(d: Draft) -> None:
    add_credentials(d, "openai-team")[-1]["display_name"] = "OpenAI (team)"
    use_credential(d, "openai-team")


def inc2_nested(d: Draft) -> None:
    add_include(d, "models.yaml", {"include": ["more.yaml"], "model_list": [
        json.loads(json.dumps(entry_pool()["vllm"]))]})
    d.files["more.yaml"] = {"model_list": [json.loads(json.dumps(entry_pool()["whisper"]))]}


def inc2_guardrails(d: Draft) -> None:
    guard = {"guardrail_name": "pii-mask", "litellm_params": {
        "guardrail": "presidio", "mode": "pre_call"}}
    d.main["guardrails"] = [guard]
    add_include(d, "guardrails.yaml", {"guardrails": [dict(guard, guardrail_name="pii-2")]})


def inc2_model_list_mapping(d: Draft) -> None:
    add_include(d, "models.yaml", {"model_list": {"llama3": entry_pool()["llama3"]}})


def inc2_not_mapping(d: Draft) -> None:
    add_include(d, "models.yaml", {"model_list": None})
    d.files["models.yaml"] = [entry_pool()["llama3"]]


def inc2_comments_only(d: Draft) -> None:
    d.main.setdefault("include", []).append("local.yaml")
    d.texts["local.yaml"] = "# local overrides go here\n"


def inc2_key_lost(d: Draft) -> None:
    d.section("general_settings")["master_key"] = "os.environ/LITELLM_MASTER_KEY"
    add_include(d, "settings.yaml", {"general_settings": {"store_prompts_in_spend_logs": True}})


def inc2_env_vars(d: Draft) -> None:
    d.main["environment_variables"] = {"LITELLM_LOG": "ERROR"}
    add_include(d, "env.yaml", {"environment_variables": {"OLLAMA_HOST": "http://ollama:11434"}})


def inc2_fallback_into_include(d: Draft) -> None:
    names = [e["model_name"] for e in d.entries()]
    add_include(d, "router.yaml", {"router_settings": {"fallbacks": [{names[0]: ["llama3-70b"]}]}})
    add_include(d, "models.yaml", {"model_list": [json.loads(json.dumps(entry_pool()["groq"]))]})
    d.env["GROQ_API_KEY"] = "gsk-oracle"


def mod2_relative(d: Draft) -> None:
    add_callback(d, "from .helpers import redact")
    add_module(d, "helpers.py", "def redact(text):\n    return text\n")


def mod2_guarded(d: Draft) -> None:
    add_callback(d, "try:\n    from helpers import redact\nexcept ImportError:\n    redact = None")


def mod2_in_function(d: Draft) -> None:
    add_module(d, "custom_callbacks.py", HANDLER.format(imports="") + "\n\ndef later():\n"
               "    from helpers import redact\n    return redact\n")
    d.section("litellm_settings")["callbacks"] = ["custom_callbacks.proxy_handler_instance"]


def mod2_litellm_imports(d: Draft) -> None:
    add_callback(d, "from litellm.proxy._types import UserAPIKeyAuth\n"
                    "from litellm.caching.caching import DualCache\nimport requests\n"
                    "from typing import Optional, Literal")


def mod2_subpackage_module(d: Draft) -> None:
    add_module(d, "hooks/__init__.py", "")
    add_module(d, "hooks/cb.py", HANDLER.format(imports="from hooks.util import redact"))
    add_module(d, "hooks/util.py", "def redact(text):\n    return text\n")
    d.section("litellm_settings")["callbacks"] = ["hooks.cb.proxy_handler_instance"]


def mod2_third_party(d: Draft) -> None:
    add_callback(d, d.rng.choice(["import redis", "import boto3", "import numpy",
                                  "import pandas", "import sentry_sdk", "import tenacity"]))


def mod2_auth_ok(d: Draft) -> None:
    add_module(d, "custom_auth.py", "import os\nfrom fastapi import Request\n"
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
