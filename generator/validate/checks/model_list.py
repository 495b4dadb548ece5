"""model_list: each entry as the proxy reads it (its shape, model_name, the model and its
provider, litellm_params and model_info), checked as the entry is parsed (check_entry).
"""
from __future__ import annotations

import re
from functools import lru_cache

from generator.boundary.marked import Mapping, Scalar, data_of, key_of, value_of
from generator.boundary.secrets import shown_url
from generator.validate import health_checks, lax
from generator.validate.checks.context import (
    Context,
    Rules,
    Source,
    check_dollar,
    did_you_mean,
    env_name,
    near,
)
from generator.validate.checks.expansion import check_expansion
from generator.validate.checks.literal_secrets import check_literal_secrets
from generator.validate.deployment_env import unknown


def check_entry(source: Source, entry, ctx: Context) -> None:
    """One model_list item: what the proxy does with it, and its model_name for fallbacks."""
    if isinstance(entry, Mapping):
        name = entry.get("model_name")
        if isinstance(name, Scalar):
            ctx.model_names.add(value_of(name))
            _check_surrogates(source, name, ctx)
        params = entry.get("litellm_params")
        if isinstance(params, Mapping) and "litellm_credential_name" in params:
            ctx.credential_refs.append((source, entry))  # judged once credentials are read
    _check_entry(source, entry, ctx)
    check_expansion(source, entry, ctx)
    health_checks.note_entry(source, entry, ctx)
    if isinstance(entry, Mapping):
        check_literal_secrets(source, entry, ctx)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_surrogates(source: Source, name: Scalar, ctx: Context) -> None:
    """A surrogate escape only the proxy's pure-Python loader reads: it builds the two
    halves, which start-up cannot print (recorded: UnicodeEncodeError, no start)."""
    value = value_of(name)
    if isinstance(value, str) and not value.isascii() and _SURROGATE.search(value):
        ctx.add(source, name, "surrogate-escape",
                "this model_name holds a UTF-16 surrogate escape (as json.dumps writes an "
                "emoji, \\ud83d\\ude80): PyYAML loads it as two halves of a character, and "
                "the proxy, printing each model_name at start-up, stops with "
                "UnicodeEncodeError; write the character itself (json.dumps(..., "
                "ensure_ascii=False))")


def _check_entry(source: Source, entry, ctx: Context) -> None:
    """What the proxy does with one entry: refuses it, drops it, or serves it as written."""
    params = _entry_params(source, entry, ctx)
    if params is None:
        return
    label = entry_label(entry.get("model_name"))
    model_text = _entry_model(source, entry, params, label, ctx)
    if model_text is None:
        return
    if not unknown(model_text):  # from a Secret where it runs: its provider cannot be judged
        _check_provider(source, entry, params, params.get("model"), model_text, label, ctx)
    _check_params(source, params, label, ctx)
    _check_entry_model_info(source, entry, label, ctx)
    _check_entry_keys(source, entry, label, ctx)


def _entry_params(source: Source, entry, ctx: Context) -> Mapping | None:
    """The entry's litellm_params; None when the entry's shape stops the proxy (said here)."""
    if not isinstance(entry, Mapping):
        ctx.add(source, entry, "entry-not-mapping",
                "a model_list entry must be a mapping (model_name:, litellm_params:): "
                "the proxy will not start")
        return None
    params = entry.get("litellm_params")
    if params is None:
        near_key = next((k for k, _v in entry.items() if isinstance(key_of(k), str)
                         and near(key_of(k), frozenset({"litellm_params"}))), None)
        ctx.add(source, near_key if near_key is not None else entry, "missing-litellm-params",
                "this entry has no litellm_params: the proxy will not start "
                "(KeyError: 'litellm_params')"
                + (f"; {key_of(near_key)!r} is a near miss: write litellm_params"
                   if near_key is not None else ""))
        return None
    if not isinstance(params, Mapping):
        ctx.add(source, entry.key("litellm_params"), "litellm-params-not-mapping",
                "litellm_params must be a mapping holding model:: the proxy will not start")
        return None
    return params


def _entry_model(source: Source, entry: Mapping, params: Mapping, label: str,
                 ctx: Context) -> str | None:
    """The model the entry serves, os.environ/NAME resolved; None when the proxy will not
    start with it (said here)."""
    model = params.get("model")
    if model is None:
        ctx.add(source, entry.key("litellm_params"), "missing-model",
                f"{label} has no litellm_params.model: the proxy will not start "
                "(KeyError: 'model')")
        return None
    if not isinstance(model, Scalar) or not isinstance(value_of(model), str):
        _entry_field_fault(source, model, "model", label, "model-not-string",
                           f"{label}: litellm_params.model must be a string: the proxy will "
                           "not start", "write the model as provider/model", ctx)
        return None
    _check_model_name(source, entry, label, ctx)
    model_text = value_of(model)
    env = env_name(model_text)
    if env is None:
        return model_text
    if not ctx.env.get(env):
        ctx.add(source, model, "model-env-unset",
                f"{label}: model reads {env} from the environment, which is not set "
                f"here: the proxy will not start; set {env} or pass --env-file")
        return None
    return ctx.env[env]


def _check_model_name(source: Source, entry: Mapping, label: str, ctx: Context) -> None:
    """model_name: there, and a string."""
    name_node = entry.get("model_name")
    if name_node is None:
        ctx.add(source, entry, "model-name",
                "this entry has no model_name: the proxy will not start")
    elif not isinstance(name_node, Scalar) or not isinstance(value_of(name_node), str):
        _entry_field_fault(source, name_node, "model_name", label, "model-name",
                           "model_name must be a string (quote it): the proxy will not start",
                           "quote it", ctx)


def _check_entry_model_info(source: Source, entry: Mapping, label: str, ctx: Context) -> None:
    """model_info beside litellm_params: a mapping of what LiteLLM reads there."""
    info = entry.get("model_info")
    if isinstance(info, Mapping):
        _check_model_info(source, info, label, ctx)
    elif "model_info" in entry and _entry_outcome(
            ctx, "model_info", value_of(info) if isinstance(info, Scalar) else data_of(info)
    ) != "serves":  # a release whose recorded runs served it (1.110.2) starts without it
        ctx.add(source, entry.key("model_info"), "model-info-not-mapping",
                f"{label}: model_info must be a mapping (mode:, ...): the proxy will not start "
                "(it calls model_info.get); remove it or write keys under it")


def _check_entry_keys(source: Source, entry: Mapping, label: str, ctx: Context) -> None:
    """Keys beside model_name, litellm_params and model_info: the proxy ignores them."""
    for key, _value in entry.items():
        name = key_of(key)
        if name not in _ENTRY_KEYS:
            home = "litellm_params" if name in ctx.rules.key_types["litellm_params"] or \
                name in ctx.rules.request_params else "model_info" \
                if name in ctx.rules.model_info_keys else None
            ctx.add(source, key, "entry-key",
                    f"{label}: the proxy ignores {name!r} beside model_name and "
                    "litellm_params" + (f"; move it under {home}" if home else
                                        "; an entry holds model_name, litellm_params and "
                                        "model_info"))


def _entry_field_fault(source: Source, node, field_name: str, label: str, refusal: str,
                       refused: str, fix: str, ctx: Context) -> None:
    """model or model_name of another type than a string: what this release does with it
    (recorded: refuses to start, drops the entry, or serves it), else `refusal`."""
    loaded = value_of(node) if isinstance(node, Scalar) else data_of(node)
    outcome = _entry_outcome(ctx, field_name, loaded)
    if outcome == "drops":
        ctx.add(source, node, "entry-dropped",
                f"{label}: {field_name} is {lax.kind_of(loaded)}, not a string: litellm "
                f"{ctx.rules.litellm_version} starts without this entry (recorded); {fix}")
    elif outcome != "serves":
        ctx.add(source, node, refusal, refused)


_SHAPE_WORDS = {int: "a number", float: "a number", list: "a list", dict: "a mapping",
                type(None): "null", str: "a string"}


def _entry_outcome(ctx: Context, field: str, loaded) -> str | None:
    """What this release's recorded runs did with an entry whose `field` is like `loaded`:
    "refuses", "drops", "serves", or None (not recorded)."""
    word = "empty" if loaded == "" else _SHAPE_WORDS.get(type(loaded))
    if word is None:
        return None
    return ctx.rules.data.get("entry_shapes", {}).get(f"{field} {word}")


def entry_label(name_node) -> str:
    if isinstance(name_node, Scalar):
        return f"model {value_of(name_node)!r}"
    return "this entry"


def resolve_provider(model: str, params: dict, rules: Rules) -> str | None:
    """The provider litellm's get_llm_provider picks for an entry, or None (entry dropped)."""
    custom = params.get("custom_llm_provider")
    if isinstance(custom, str) and custom:
        return custom
    prefix = model.split("/", 1)[0]
    if "/" in model and prefix in rules.providers:
        return prefix
    api_base = params.get("api_base")
    if isinstance(api_base, str) and api_base:
        for endpoint in rules.compatible_endpoints:
            if _endpoint_matches(endpoint, api_base):
                return endpoint
    known = rules.unprefixed_models.get(model)
    if known:
        return known
    if model == "*":
        return "openai"
    for pattern, provider in rules.routing_rules:
        if re.search(pattern, model, re.IGNORECASE):
            return provider
    return None


def _endpoint_matches(endpoint: str, api_base: str) -> bool:
    """litellm's _endpoint_matches_api_base: host and path prefix, scheme ignored."""
    def parts(value: str) -> tuple[str, str]:
        value = value.split("://", 1)[-1]
        host, _, path = value.partition("/")
        return host.lower(), "/" + path.strip("/")
    e_host, e_path = parts(endpoint)
    b_host, b_path = parts(api_base)
    return e_host == b_host and (b_path + "/").startswith(e_path.rstrip("/") + "/")


def _check_provider(source: Source, entry: Mapping, params: Mapping, model, model_text: str,
                    label: str, ctx: Context) -> None:
    plain = {key_of(k): value_of(v) for k, v in params.items()
             if isinstance(v, Scalar) and key_of(k) in ("custom_llm_provider", "api_base")}
    for key in ("custom_llm_provider", "api_base"):
        env = env_name(plain.get(key))
        if env is not None:
            plain[key] = ctx.env.get(env)
    if any(unknown(value) for value in plain.values()):
        return  # set from a Secret where it runs: nothing to judge the provider by
    custom = plain.get("custom_llm_provider")
    if isinstance(custom, str) and custom and custom not in ctx.rules.providers:
        guess = did_you_mean(custom, ctx.rules.providers)
        ctx.add(source, params.get("custom_llm_provider"), "unknown-provider",
                f"{label}: custom_llm_provider {custom!r} is not a LiteLLM provider "
                "(\"Unsupported provider\"): the proxy starts without this model"
                + (f"; did you mean {guess}?" if guess else ""))
        return
    if model_text.split("/", 1)[0] == "auto_router" and not (
            "auto_router_config_path" in params or "auto_router_config" in params):
        ctx.add(source, model, "unknown-provider",
                f"{label}: an auto_router model needs auto_router_config_path or "
                "auto_router_config in litellm_params: the proxy starts without this model")
        return
    provider = resolve_provider(model_text, plain, ctx.rules)
    if provider is None:
        ctx.add(source, model, "unknown-provider",
                f"{label}: LiteLLM cannot tell the provider of {model_text!r} (\"LLM Provider "
                f"NOT provided\"): the proxy starts without this model; "
                f"{_provider_hint(model_text, plain, ctx.rules)}")
        return
    deprecated = ctx.rules.deprecations.get(model_text) or ctx.rules.deprecations.get(
        model_text.split("/", 1)[-1] if "/" in model_text else "")
    if deprecated and deprecated <= ctx.today.isoformat():
        ctx.add(source, model, "deprecated-model",
                f"{label}: {model_text!r} was deprecated on {deprecated} (LiteLLM's model "
                "map); requests may fail")


def _provider_hint(model: str, params: dict, rules: Rules) -> str:
    prefix = model.split("/", 1)[0]
    if "/" in model:
        guess = did_you_mean(prefix, rules.providers)
        if guess:
            return f"did you mean {guess}/{model.split('/', 1)[1]}?"
        return (f"{prefix!r} is not a LiteLLM provider; write provider/model, e.g. "
                f"openrouter/{model}")
    base = params.get("api_base")
    if isinstance(base, str) and ("11434" in base or "ollama" in base.lower()):
        return f"for Ollama, write ollama/{model}"
    if base:
        return f"write the provider in front, e.g. openai/{model} for an OpenAI-compatible server"
    return f"write the provider in front, e.g. openai/{model}"


_ENTRY_KEYS = frozenset({"model_name", "litellm_params", "model_info"})


def _check_params(source: Source, params: Mapping, label: str, ctx: Context) -> None:
    numeric = ctx.rules.numeric_litellm_params
    types = ctx.rules.key_types["litellm_params"]
    for key, value in params.items():
        name = key_of(key)
        if name not in types and name not in ctx.rules.request_params:
            _check_param_name(source, key, name, label, ctx)
        if value.__class__ is not Scalar:
            if name in numeric:
                ctx.add(source, value, "not-a-number",
                        f"{label}: {name} must be a number: the proxy drops this entry")
            elif name == "model_info" and not isinstance(value, Mapping):
                _check_param_type(source, value, name, data_of(value), types[name], label, ctx)
            elif name == "model_info":
                ctx.add(source, key, "model-info-misplaced",
                        f"{label}: model_info inside litellm_params is not read as model_info "
                        "(mode, costs...): the proxy ignores it there; move it one level up, "
                        "beside litellm_params")
            elif name in types and name != "model" and name not in ctx.rules.lenient_params:
                _check_param_type(source, value, name, data_of(value), types[name], label, ctx)
            continue
        if name in types and name not in numeric and name != "model" and \
                env_name(value_of(value)) is None and name not in ctx.rules.lenient_params:
            _check_param_type(source, value, name, value_of(value), types[name], label, ctx)
        loaded = value_of(value)
        env_value = env_name(loaded)
        if name in numeric and env_value is not None and ctx.env.get(env_value) \
                and not unknown(ctx.env[env_value]):
            loaded = ctx.env[env_value]  # the proxy resolves it before building the entry
        if name in numeric and env_name(loaded) is None \
                and not _is_number(loaded, numeric[name]):
            whole = " whole" if numeric[name] == "int" else ""
            # The value itself is not quoted (the masking policy): its kind is.
            shown = f"{name} is {lax.kind_of(loaded)}, not" if env_value is None else \
                f"{name}: {env_value} (from the environment) is not"
            ctx.add(source, value, "not-a-number",
                    f"{label}: {shown} a{whole} number: the proxy drops this entry")
        if loaded.__class__ is not str:
            continue
        env = env_name(loaded)
        if env is not None:
            if not ctx.env.get(env) and name != "model":
                ctx.unset_reads.setdefault(env, []).append((source, value, label, name))
        elif name == "api_base" and "://" not in loaded:
            ctx.add(source, value, "api-base-scheme",
                    f"{label}: api_base {shown_url(loaded)!r} has no scheme; write "
                    f"http://{shown_url(loaded)} "
                    "(or https://)")
        if "$" in loaded:
            check_dollar(source, value, loaded, ctx)


def _check_param_type(source: Source, node, name: str, value, schema: dict, label: str,
                      ctx: Context) -> None:
    if not lax.fits(value, schema):
        ctx.add(source, node, "param-type",
                f"{label}: litellm_params.{name} is {lax.kind_of(value)} where LiteLLM needs "
                f"{lax.describe(schema)}: the proxy drops this entry (\"Error creating "
                "deployment\"); write " + lax.describe(schema))


@lru_cache(maxsize=4)
def _param_names(rules: Rules) -> frozenset:
    return frozenset(rules.key_types["litellm_params"]) | rules.request_params


def _check_param_name(source: Source, key, name, label: str, ctx: Context) -> None:
    guess = near(name, _param_names(ctx.rules))
    if guess:
        ctx.add(source, key, "unknown-param",
                f"{label}: LiteLLM has no litellm_params.{name}; did you mean {guess}? As "
                "written it is not used as that setting (it is passed on with each request)")


def _is_number(value, kind: str) -> bool:
    """What pydantic's lax mode accepts for an int / float field (None: not set)."""
    if value is None or isinstance(value, bool):
        return True
    if isinstance(value, str):
        try:
            value = int(value.strip()) if kind == "int" else float(value.strip())
        except ValueError:
            return False
    if not isinstance(value, (int, float)):
        return False
    return kind == "float" or float(value).is_integer()


def _check_model_info(source: Source, info: Mapping, label: str, ctx: Context) -> None:
    mode = info.get("mode")
    if isinstance(mode, Scalar) and value_of(mode) not in ctx.rules.model_modes \
            and value_of(mode) is not None:
        guess = did_you_mean(value_of(mode), ctx.rules.model_modes)
        ctx.add(source, mode, "model-info-mode",
                f"{label}: model_info.mode {value_of(mode)!r} is not one LiteLLM knows"
                + (f"; did you mean {guess}?" if guess else
                   f" ({', '.join(sorted(ctx.rules.model_modes))})"))
    tier = info.get("tier")
    if isinstance(tier, Scalar) and value_of(tier) is not None \
            and value_of(tier) not in ctx.rules.model_info_tiers:
        ctx.add(source, tier, "model-info-tier",
                f"{label}: model_info.tier must be one of "
                f"{', '.join(sorted(ctx.rules.model_info_tiers))}: the proxy drops this entry")
    types = ctx.rules.key_types["model_info"]
    for key, value in info.items():
        name = key_of(key)
        if name in types and name != "tier":
            loaded = value_of(value) if isinstance(value, Scalar) else data_of(value)
            if not lax.fits(loaded, types[name]):
                ctx.add(source, value, "model-info-type",
                        f"{label}: model_info.{name} is {lax.kind_of(loaded)} where LiteLLM "
                        f"needs {lax.describe(types[name])}: the proxy drops this entry "
                        "(\"Error creating deployment\")")
        elif name in _params_not_info(ctx.rules):
            ctx.add(source, key, "model-info-param",
                    f"{label}: {name} is a litellm_params setting; under model_info the proxy "
                    "does not read it (/model/info only shows it): move it under litellm_params")
        elif name not in ctx.rules.model_info_keys:
            guess = near(name, ctx.rules.model_info_keys)
            if guess:
                what = {"mode": "health checks then treat it as chat",
                        "base_model": "costs are then looked up under the model's own name"}
                ctx.add(source, key, "model-info-key",
                        f"{label}: LiteLLM does not read model_info.{name}; did you mean "
                        f"{guess}? As written the proxy ignores it"
                        + (f" ({what[guess]})" if guess in what else ""))


@lru_cache(maxsize=4)
def _params_not_info(rules: Rules) -> frozenset:
    """litellm_params settings that are no model_info field (tags is both: /model/info
    returns model_info.tags, and the presets write it there)."""
    return frozenset(rules.key_types["litellm_params"]) - rules.model_info_keys - \
        frozenset(rules.key_types["model_info"]) - {"tags", "model", "model_info"}
