"""Names and values read out of the installed litellm: what a config may name.

Model names without a prefix and the endpoints that name a provider, routing rules,
deprecations, numeric params, the master key check's constants, the Redis client's
arguments, model_info keys, request parameters. Imported by extract_rules.py.
"""
from __future__ import annotations

import inspect
import re
import typing

import litellm
from litellm.litellm_core_utils import fallback_generalizations
from litellm.litellm_core_utils.get_llm_provider_logic import get_llm_provider
from litellm.types.router import ModelInfo


def numeric_fields(*models) -> dict[str, str]:
    """Fields typed int or float (optionally None): a value that is neither drops the entry."""
    out = {}
    for model in models:
        for name, field in model.model_fields.items():
            kinds = {a for a in typing.get_args(field.annotation) or (field.annotation,)
                     if a is not type(None)}
            if kinds == {int}:
                out[name] = "int"
            elif kinds and kinds <= {int, float}:
                out[name] = "float"
    return dict(sorted(out.items()))


def literal_values(annotation) -> list[str]:
    if isinstance(annotation, str):  # postponed annotations (PEP 563) are strings
        annotation = eval(annotation, {"Literal": typing.Literal})  # noqa: S307 - litellm's own source
    for arg in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(arg) is typing.Literal:
            return sorted(typing.get_args(arg))
    return []


def unprefixed_models(providers: set[str]) -> dict[str, str]:
    """Model names get_llm_provider resolves without a provider prefix, with their provider."""
    names = {k for k in litellm.model_cost if k.split("/", 1)[0] not in providers}
    for attr in dir(litellm):
        value = getattr(litellm, attr)
        if attr.endswith("_models") and isinstance(value, (list, set)):
            names |= {v for v in value if isinstance(v, str)}
    out = {}
    litellm.suppress_debug_info = True
    for name in sorted(names):
        if name.split("/", 1)[0] in providers:
            continue
        try:
            out[name] = get_llm_provider(name)[1]
        except Exception:  # noqa: BLE001 - unresolvable is the answer
            continue
    return out


def routing_rules() -> list[list[str]]:
    rules = []
    for rule in fallback_generalizations.get_fallback_generalization_rules():
        info = rule.get("model_info") or {}
        provider = info.get("litellm_provider")
        if isinstance(provider, str) and rule.get("pattern"):
            rules.append([rule["pattern"], provider])
    return rules



def deprecations() -> dict[str, str]:
    return {k: str(v["deprecation_date"]) for k, v in sorted(litellm.model_cost.items())
            if isinstance(v, dict) and v.get("deprecation_date")}



def master_key_check() -> dict | None:
    """The start-up's refusal of an unset, empty or publicly known master key, if it has one.

    The release's own constants (litellm/proxy/auth/master_key_boot_check.py): the setting
    and the variable that permit a weak key, and the SHA-256 of the keys it calls publicly
    known. None for a release without the check (it starts open).
    """
    import hashlib

    try:
        from litellm.proxy.auth import master_key_boot_check as check
    except ImportError:
        return None
    # The constants are read by what they hold, not by name: their names changed between
    # releases (1.105.7 has no PUBLICLY_KNOWN_MASTER_KEY_SHA256_DIGESTS).
    values = [v for k, v in vars(check).items() if k.isupper()]
    words = [v for v in values if isinstance(v, str)]
    setting = next((v for v in words if v.startswith("dangerously_permit")), None)
    env = next((v for v in words if v.startswith("LITELLM_DANGEROUSLY_PERMIT")), None)
    known: set[str] = set()
    for value in values:
        if isinstance(value, (set, frozenset, tuple, list)) and value and \
                all(isinstance(v, str) for v in value):
            known |= {v if re.fullmatch(r"[0-9a-f]{64}", v)
                      else hashlib.sha256(v.encode()).hexdigest() for v in value}
    if setting is None or env is None:
        raise SystemExit("master_key_boot_check: the setting or variable that permits a weak "
                         "key was not found; read the module and teach master_key_check")
    return {"setting": setting, "env": env, "known_sha256": sorted(known)}


def cli_validate_config() -> bool:
    """Whether the release's `litellm` command has --validate_config."""
    from litellm.proxy import proxy_cli

    return any("--validate_config" in getattr(p, "opts", ()) for p in proxy_cli.run_server.params)



def compatible_endpoints() -> list[str]:
    """api_base values get_llm_provider names a provider for (a model without a prefix)."""
    out = []
    litellm.suppress_debug_info = True
    for endpoint in sorted(litellm.openai_compatible_endpoints):
        try:
            provider = get_llm_provider("some-model", api_base=f"https://{endpoint}")[1]
        except Exception:  # noqa: BLE001 - listed, but not resolved: the entry is dropped
            continue
        if provider:
            out.append(endpoint)
    return out



def redis_client_args() -> list[str]:
    """cache_params keys a Redis cache accepts: Cache's, RedisCache's, and redis.Redis's."""
    import redis
    from litellm import _redis
    from litellm.caching.caching import Cache
    from litellm.caching.redis_cache import RedisCache

    names = set(_redis._get_redis_kwargs()) | set(_redis._get_redis_cluster_kwargs())
    for function in (Cache.__init__, RedisCache.__init__, redis.Redis.__init__):
        names |= {p for p in inspect.signature(function).parameters if p not in ("self", "kwargs")}
    return sorted(names)


def model_info_keys() -> list[str]:
    """Keys model_info may set: the ModelInfo model's and the model cost map's."""
    keys = set(ModelInfo.model_fields) | {"mode"}
    for value in litellm.model_cost.values():
        if isinstance(value, dict):
            keys |= set(value)
    return sorted(keys)


def request_params() -> list[str]:
    """Parameters a request may carry, which litellm_params may hold for every call."""
    return sorted(p for p in inspect.signature(litellm.completion).parameters
                  if p not in ("kwargs", "args"))

