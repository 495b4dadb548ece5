"""A JSON Schema (draft 2020-12) of the proxy's config.yaml, built from validate's rules.

LiteLLM publishes none; every key, type and enum it needs is in rules.json, extracted
from the release's own code. Two kinds of constraint, kept apart on purpose:

- what makes the proxy refuse to start (a missing model_name, litellm_params or
  model; a section that is not a mapping; an unknown routing_strategy or cache type;
  fallbacks that are not one-key mappings; ...) is a schema error, so a validator
  such as check-jsonschema fails the file in CI;
- what the proxy ignores or drops but starts with (an unknown key, a provider it
  cannot tell, `rpm: many`, an unknown mode) is accepted, as the proxy accepts it, and
  flagged for editors with `deprecated` and `deprecationMessage` (shown by
  yaml-language-server and VS Code as a diagnostic on the key).

That is why additionalProperties is never false: the proxy starts with keys it does
not know (and anchors are often kept under such keys), so a schema that rejected
them would fail configs that run. Pure: rules in, a dict out.
"""
from __future__ import annotations

from typing import Mapping

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SECTIONS = ("general_settings", "litellm_settings", "router_settings")
_REGEX_SPECIAL = set("^$\\.*+?()[]{}|/")
_SECTION_TEXT = {
    "general_settings": "Proxy server settings: master_key, database_url, alerting, "
                        "health checks, ...",
    "litellm_settings": "Settings of the litellm module: callbacks, cache, cache_params, "
                        "drop_params, fallbacks, ...",
    "router_settings": "Settings of the Router that picks a deployment: routing_strategy, "
                       "fallbacks, retries, cooldowns, ...",
}


def _escape(text: str) -> str:
    """A literal for an ECMA-262 regex (JSON Schema's), valid with and without the u flag."""
    return "".join("\\" + c if c in _REGEX_SPECIAL else c for c in text)


def _flag(message: str) -> dict:
    """Accepted, as the proxy accepts it; editors show the message on the key."""
    return {"deprecated": True, "deprecationMessage": message}


def _hint_unless(condition: dict, message: str) -> dict:
    return {"if": {"not": condition}, "then": _flag(message)}


def _key(rules: Mapping, section: str, name: str, release: str, fallback: dict | None = None
         ) -> dict:
    """A key's schema: its extracted type is an error only where the recorded runs show a
    wrongly typed value stops the proxy (rules.json's wrong_type_refuses); elsewhere the
    proxy ignores the value or drops the entry, so the type is a hint, as for unknown keys."""
    typed = dict(rules.get("key_types", {}).get(section, {}).get(name) or {})
    description = typed.pop("description", None) or (
        f"{section}.{name}, read by litellm {release}." if section != "top_level"
        else f"Read by litellm {release}.")
    refusing = rules.get("wrong_type_refuses", {}).get("wrong_type", {}).get(section, ())
    if fallback is not None or not typed:
        fragment = dict(fallback or {})
    elif name in refusing:
        fragment = typed
    else:
        fragment = _hint_unless(typed, f"not the type litellm {release} reads here: the proxy "
                                       "ignores this value, or drops the entry it is in")
    fragment.setdefault("description", description)
    return fragment


def _section(rules: Mapping, section: str, release: str, extra: Mapping[str, dict]) -> dict:
    properties = {name: _key(rules, section, name, release)
                  for name in sorted(rules[f"{section}_keys"])}
    for name, fragment in extra.items():
        properties[name] = {**properties.get(name, {}), **fragment}
    return {"type": ["object", "null"], "description": _SECTION_TEXT[section],
            "properties": properties,
            "additionalProperties": _flag(f"litellm {release} does not read this key in "
                                          f"{section}: the proxy ignores it")}


def _number(kind: str, release: str) -> dict:
    """rpm, tpm, timeout...: what pydantic's lax mode takes, with a hint on the rest."""
    number = r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$"
    return {"description": f"A number ({kind}); anything else makes litellm {release} drop "
                           "the entry.",
            "examples": [10] if kind == "int" else [0.5],
            **_hint_unless({"anyOf": [{"type": ["number", "boolean", "null"]},
                                      {"type": "string", "pattern": number},
                                      {"type": "string", "pattern": r"^os\.environ/"}]},
                           f"not a number: litellm {release} drops this entry")}


def _model_pattern(rules: Mapping) -> str:
    providers = "|".join(_escape(p) for p in sorted(rules["providers"]))
    models = "|".join(_escape(m) for m in sorted(rules["unprefixed_models"]))
    routed = "|".join(f"(?:{pattern})" for pattern, _provider in rules["routing_rules"])
    return (rf"^(?:os\.environ/.*|(?:{providers})/.*|\*|(?:{models})$)|{routed}")


def _defs(rules: Mapping, release: str) -> dict:
    types = rules.get("key_types", {})
    numeric = {name: _number(kind, release)
               for name, kind in sorted(rules["numeric_litellm_params"].items())}
    params = {name: _key(rules, "litellm_params", name, release, fallback)
              for name, fallback in numeric.items()}
    for name in types.get("litellm_params", {}):
        params.setdefault(name, _key(rules, "litellm_params", name, release))
    params["model"] = {
        "type": "string",
        "description": "provider/model (ollama/llama3, openai/gpt-4o, ...), a model LiteLLM "
                       "knows without a prefix, or os.environ/NAME. Providers of litellm "
                       f"{release}: " + ", ".join(sorted(rules["providers"])) + ".",
        "examples": [f"{p}/" for p in sorted(rules["providers"])]}
    no_provider = (f"litellm {release} cannot tell this model's provider (\"LLM Provider NOT "
                   "provided\"): the proxy starts without this entry; write provider/model")
    info = {name: _key(rules, "model_info", name, release)
            for name in sorted(types.get("model_info", {}))}
    info["mode"] = {**info.get("mode", {}), "description": "What health checks call: "
                    + ", ".join(sorted(rules["model_modes"])) + ".",
                    "examples": sorted(rules["model_modes"]),
                    **_hint_unless({"enum": sorted(rules["model_modes"])},
                                   f"a mode litellm {release} does not know: it ignores it")}
    info["tier"] = {**info.get("tier", {}), "examples": sorted(rules["model_info_tiers"]),
                    **_hint_unless({"enum": sorted(rules["model_info_tiers"])},
                                   f"a tier litellm {release} does not know: it drops the entry")}
    return {
        "deployment": {
            "type": "object", "description": "One deployment: model_name is the name clients "
            "ask for; entries sharing it are load-balanced.",
            "required": ["model_name", "litellm_params"],
            "properties": {
                "model_name": _model_name(rules, release),
                "litellm_params": {"$ref": "#/$defs/litellm_params"},
                "model_info": {"$ref": "#/$defs/model_info"}}},
        "litellm_params": {
            "type": "object", "required": ["model"],
            "description": "How to call the model: model, api_base, api_key "
                           "(os.environ/NAME), rpm, tpm, tags, ...",
            "properties": params,
            # Without these two the provider comes from the model's name alone.
            "if": {"not": {"anyOf": [{"required": ["custom_llm_provider"]},
                                     {"required": ["api_base"]}]}},
            "then": {"properties": {"model": _hint_unless(
                {"pattern": _model_pattern(rules)}, no_provider)}}},
        "model_info": {
            "description": "What /model/info returns and health checks use: mode, costs, "
                           "base_model, tags, ...",
            "properties": info},
        "fallbacks": _fallbacks(rules, release),
        "callback": {
            "type": "string",
            "anyOf": [{"enum": sorted(rules["builtin_callbacks"])},
                      {"pattern": r"^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)+$"},
                      {"pattern": r"^(s3|gcs)://"}],
            "examples": sorted(rules["builtin_callbacks"]),
            "description": "A LiteLLM callback name, or module.attribute of a file beside "
                           "the config."},
    }


def _model_name(rules: Mapping, release: str) -> dict:
    """A string; a release that serves `model_name: 3` (recorded) takes a number too."""
    text = "The name clients ask for (quote it when it looks like a number)."
    if rules.get("entry_shapes", {}).get("model_name a number") == "serves":
        return {"type": ["string", "number"], "description": text, **_hint_unless(
            {"type": "string"}, f"litellm {release} serves a number as its text; earlier "
                                "releases refuse to start: quote it")}
    return {"type": "string", "description": text}


def _fallbacks(rules: Mapping, release: str) -> dict:
    """One-key mappings to lists; a string target or a mapping as the release read them
    (recorded): refused, or accepted and flagged."""
    shapes = rules.get("fallback_shapes", {}).get("router_settings", {}).get("fallbacks", {})
    item: dict = {"type": "object", "minProperties": 1, "maxProperties": 1,
                  "errorMessage": "each item is a mapping with exactly one key"}
    if shapes.get("a string target") == "refuses":
        item["additionalProperties"] = {"not": {"type": "string"},
                                        "errorMessage": f"litellm {release} refuses a fallback "
                                        "target written as a string: write a list"}
    kinds = ["array", "null"] + (["object"] if shapes.get("a mapping") == "starts" else [])
    return {"type": kinds, "description": "- model_name: [fallback model_name, ...]",
            "items": item}


def _litellm_settings_extra(rules: Mapping, release: str) -> dict:
    callbacks = {"anyOf": [{"$ref": "#/$defs/callback"},
                           {"type": "array", "items": {"$ref": "#/$defs/callback"}}]}
    cache_types = sorted(rules["cache_types"])
    return {
        "callbacks": {**callbacks, "description": "Callbacks the proxy imports at start-up."},
        "fallbacks": {"$ref": "#/$defs/fallbacks"},
        "cache_params": {"type": ["object", "null"], "properties": {
            "type": {"type": "string", "examples": cache_types,
                     "description": "The cache: " + ", ".join(cache_types) + "."}}},
    }


def _cache_rules(rules: Mapping) -> dict:
    """With cache: true, a known type and the parameters LiteLLM needs to set it up."""
    needing = {kind: spec["params"] for kind, spec in rules["caches_needing_params"].items()
               if kind != "redis"}  # redis: REDIS_HOST in the environment will do
    return {"if": {"required": ["cache"], "properties": {"cache": {"const": True}}},
            "then": {"properties": {"cache_params": {
                "properties": {"type": {"enum": sorted(rules["cache_types"])}},
                "allOf": [{"if": {"required": ["type"], "properties": {"type": {"const": kind}}},
                           "then": {"required": params}}
                          for kind, params in sorted(needing.items())]}}}}


def config_schema(rules: Mapping, release: str) -> dict:
    """The JSON Schema of config.yaml for the release whose rules these are."""
    litellm_settings = {**_section(rules, "litellm_settings", release,
                                   _litellm_settings_extra(rules, release)),
                        **_cache_rules(rules)}
    raising = {name: {"not": {}, "errorMessage": f"the Router refuses router_settings.{name}: "
                      f"move it to {home}",
                      "description": f"Belongs in {home}; here the proxy will not start."}
               for name, home in sorted(rules["router_settings_raising"].items())}
    router_settings = _section(rules, "router_settings", release, {
        "routing_strategy": {"enum": sorted(rules["routing_strategies"]),
                             "description": "How the Router picks a deployment."},
        "fallbacks": {"$ref": "#/$defs/fallbacks"}, **raising})
    top = {name: _key(rules, "top_level", name, release) for name in sorted(
        rules["top_level_keys"])}
    top.update({
        "model_list": {"type": ["array", "null"], "items": {"$ref": "#/$defs/deployment"},
                       "description": "The deployments the proxy serves."},
        "include": {"type": "array", "items": {"type": "string"},
                    "description": "Files beside this one whose model_list entries are "
                                   "appended and whose other sections replace these."},
        "general_settings": _section(rules, "general_settings", release, {}),
        "litellm_settings": litellm_settings,
        "router_settings": router_settings,
    })
    return {
        "$schema": DRAFT,
        "title": f"LiteLLM proxy config.yaml (litellm {release})",
        "description": f"Generated by litellm-gen from the rules extracted from litellm "
                       f"{release}. Errors are what makes the proxy refuse to start; keys "
                       "it ignores and entries it drops are accepted and flagged for "
                       "editors (deprecationMessage).",
        "type": "object",
        "properties": top,
        "additionalProperties": _flag(f"litellm {release} does not read this top-level key: "
                                      "the proxy ignores it"),
        "$defs": _defs(rules, release),
    }
