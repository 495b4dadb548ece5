"""The third batch's further kinds, by class: THIRD (drawn twice as often in that batch).

Nested includes, a master key lost to an include, credentials in an include; entries
with litellm_params or model_info of the wrong type; modules in folders and guardrails
that import a helper. A kind's function name is what a case lists under `mistakes`.
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


def _nested(d: Draft, where: str) -> None:
    """conf.d/models.yaml includes extra.yaml, which stands in `where` ("conf.d/" or "")."""
    add_include(d, "conf.d/models.yaml", {"include": ["extra.yaml"], "model_list": [
        json.loads(json.dumps(entry_pool()["vllm"]))]})
    d.files[where + "extra.yaml"] = {"model_list": [json.loads(json.dumps(
        entry_pool()["whisper"]))]}


def inc3_nested_beside(d: Draft) -> None:
    _nested(d, "conf.d/")


def inc3_nested_root(d: Draft) -> None:
    _nested(d, "")


def inc3_nested_missing(d: Draft) -> None:
    add_include(d, "models.yaml", {"include": ["more.yaml"], "model_list": [
        json.loads(json.dumps(entry_pool()["qwen"]))]})


def inc3_key_lost_unset(d: Draft) -> None:
    d.section("general_settings")["master_key"] = "os.environ/PROXY_KEY"
    d.env["PROXY_KEY"] = "sk-prod-4c1f2d9e7b"
    d.env.pop("LITELLM_MASTER_KEY", None)
    add_include(d, "settings.yaml", {"general_settings": {"disable_spend_logs": True}})


def inc3_credentials_into_null(d: Draft) -> None:
    d.main["credential_list"] = None
    add_include(d, "credentials.yaml", {"credential_list": [json.loads(json.dumps(
        CREDENTIALS["azure-eu"]))]})
    use_credential(d, "azure-eu")


def inc3_entry_uses_main_credential(d: Draft) -> None:
    add_credentials(d, "openai-team")
    add_include(d, "models.yaml", {"model_list": [{"model_name": "team-gpt-4o", "litellm_params": {
        "model": "openai/gpt-4o", "litellm_credential_name": "openai-team"}}]})


def wp3_params_null(d: Draft) -> None:
    pick_entry(d)["litellm_params"] = None


def wp3_info_string(d: Draft) -> None:
    pick_entry(d)["model_info"] = "chat"


def mod3_namespace_helper(d: Draft) -> None:
    add_callback(d, "from lib.helpers import redact")
    add_module(d, "lib/helpers.py", "def redact(text):\n    return text\n")


def mod3_guardrail_helper(d: Draft) -> None:
    add_module(d, "custom_guardrail.py", "from litellm.integrations.custom_guardrail import "
               "CustomGuardrail\nfrom rules import BLOCKED\n\n\n"
               "class MyGuard(CustomGuardrail):\n    pass\n")
    if d.rng.random() < 0.5:
        add_module(d, "rules.py", "BLOCKED = ['secret']\n")
    d.main["guardrails"] = [{"guardrail_name": "my-guard", "litellm_params": {
        "guardrail": "custom_guardrail.MyGuard", "mode": "pre_call"}}]


THIRD = {
    "include": [inc3_nested_beside, inc3_nested_root, inc3_nested_missing, inc3_key_lost_unset,
                inc3_credentials_into_null, inc3_entry_uses_main_credential],
    "wrong-parent": [wp3_params_null, wp3_info_string],
    "modules": [mod3_namespace_helper, mod3_guardrail_helper],
}
