"""litellm_settings: its keys, the cache and its parameters, the callbacks (built-in ones and
module.attribute references), post_call_rules, default_team_settings, budget_reset_time,
guardrails written the old way (v1) and custom providers; its fallbacks are judged with the
router's (router_settings.py).
"""
from __future__ import annotations

import re

from generator.boundary.marked import Mapping, Scalar, Sequence, key_of, value_of
from generator.releases import rules as release_rules
from generator.validate import lax
from generator.validate.checks.context import (
    Context,
    Source,
    check_dollar,
    did_you_mean,
    env_name,
    is_null,
    near,
)
from generator.validate.checks.module_references import check_module_reference
from generator.validate.checks.router_settings import check_all_fallbacks
from generator.validate.checks.sections import check_section_keys
from generator.validate.deployment_env import unknown


def check_litellm_settings(source: Source, section: Mapping, ctx: Context) -> None:
    """One litellm_settings section (the config's or an included file's)."""
    check_section_keys(source, section, ctx.rules.litellm_settings_keys, "litellm_settings",
                       ctx)
    cache = section.get("cache")
    if isinstance(cache, Scalar) and value_of(cache) is True:
        _check_cache(source, section, ctx)
    elif isinstance(cache, Scalar) and value_of(cache) not in (False, None):
        ctx.add(source, cache, "cache-not-boolean",
                "cache is not written as true: the proxy turns the cache on only for the YAML "
                "boolean true, so it runs without one; write cache: true (unquoted)")
    for name in ("callbacks", "success_callback", "failure_callback", "audit_log_callbacks"):
        value = section.get(name)
        if value is not None and not is_null(value):
            _check_callbacks(source, name, value, ctx)
    rules = section.get("post_call_rules")
    if isinstance(rules, Scalar) and isinstance(value_of(rules), str):
        check_module_reference(source, "post_call_rules", rules, ctx)
    _check_team_settings(source, section.get("default_team_settings"), ctx)
    reset = section.get("budget_reset_time")
    if isinstance(reset, Scalar) and value_of(reset) is not None and \
            not re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", str(value_of(reset))):
        ctx.add(source, reset, "setting-type",
                "litellm_settings.budget_reset_time must be a 24-hour 'HH:MM' time: the proxy "
                "will not start (\"Invalid budget_reset_time\"); write for example '00:00'")
    _check_guardrails_v1(source, section.get("guardrails"), ctx)
    _check_custom_providers(source, section.get("custom_provider_map"), ctx)
    check_all_fallbacks(source, section, ctx, "litellm_settings")  # set on litellm


def _check_cache(source: Source, section: Mapping, ctx: Context) -> None:
    """cache: true: the cache the proxy sets up from cache_params, or fails to."""
    params = section.get("cache_params")
    values = _cache_values(source, params, ctx)
    # load_config fills a redis cache from REDIS_HOST/REDIS_PORT only when cache_params is
    # empty; otherwise Cache(**cache_params) runs, whose own default type is local.
    empty = not isinstance(params, Mapping) or not list(params.items())
    kind = values.get("type") or ("redis" if empty else "local")
    if not isinstance(params, Mapping) and params is not None and not is_null(params):
        ctx.add(source, params, "cache-params-shape",
                "cache_params must be a mapping (type:, host:, ...): the proxy will not start")
        return
    if unknown(kind):
        return  # the type comes from a Secret where it runs
    # What is said of the type points at cache_params.type, else at cache: itself.
    at = params.get("type") if isinstance(params, Mapping) else section.key("cache")
    if not _cache_type_usable(source, at, kind, ctx):
        return
    _check_cache_params_needed(source, at, kind, values, ctx)
    if kind in ("redis", "redis-semantic"):
        _check_redis_host(source, section, params, values, empty, ctx)
    if kind == "redis-semantic":
        _check_semantic_password(source, at, values, ctx)
    if kind == "redis" and isinstance(params, Mapping):
        _check_redis_params(source, params, values, ctx)


def _cache_values(source: Source, params, ctx: Context) -> dict:
    """cache_params' scalar values as the proxy gets them (os.environ/NAME resolved)."""
    values: dict = {}
    if not isinstance(params, Mapping):
        return values
    for key, value in params.items():
        if not isinstance(value, Scalar):
            continue
        loaded = value_of(value)
        check_dollar(source, value, loaded, ctx)
        env = env_name(loaded)
        if env is not None:
            loaded = ctx.env.get(env) or None  # what get_secret gives the proxy
            if loaded is None:
                ctx.add(source, value, "cache-env-unset",
                        f"cache_params.{key_of(key)} reads {env}, which is not set "
                        "here: the proxy gets no value for it")
        values[key_of(key)] = loaded
    return values


def _cache_type_usable(source: Source, at, kind, ctx: Context) -> bool:
    """A cache type LiteLLM has, whose package the proxy's environment installs (else said)."""
    missing = ctx.rules.caches_needing_packages.get(kind)
    if missing and ctx.lacks(missing):
        ctx.add(source, at, "cache-needs-package",
                f"a {kind} cache needs {missing}, which {ctx.packaging.described} does not "
                f"install{ctx.packaging.assumption}: the proxy will not start; install it "
                "where the proxy runs")
        return False
    if kind not in ctx.rules.cache_types:
        guess = did_you_mean(kind, ctx.rules.cache_types)
        ctx.add(source, at, "cache-type",
                f"cache type {kind!r} is not one LiteLLM has: the proxy will not start"
                + (f"; did you mean {guess}?" if guess else
                   f" ({', '.join(sorted(ctx.rules.cache_types))})"))
        return False
    return True


def _check_cache_params_needed(source: Source, at, kind, values: dict, ctx: Context) -> None:
    """A cache type that LiteLLM refuses to set up without some cache_params."""
    needs = ctx.rules.caches_needing_params.get(kind)
    missing_params = [p for p in needs["params"] if values.get(p) is None] if needs else []
    if missing_params and kind != "redis":  # redis: cache-no-host, which knows REDIS_HOST
        ctx.add(source, at, "cache-missing-param",
                f"a cache of type {kind} needs cache_params.{missing_params[0]}: LiteLLM "
                f"refuses to set it up ({needs['message']!r}) and the proxy will not start")


def _check_redis_host(source: Source, section: Mapping, params, values: dict, empty: bool,
                      ctx: Context) -> None:
    """A Redis cache needs a host: in cache_params, or REDIS_HOST / REDIS_URL when read."""
    has_host = values.get("host") or values.get("url") or values.get("redis_startup_nodes") \
        or isinstance(params, Mapping) and isinstance(params.get("redis_startup_nodes"),
                                                      Sequence)
    # The base release reads REDIS_HOST only when cache_params is empty; later ones
    # whatever cache_params holds (recorded).
    reads_env = empty or ctx.rules.data.get("recorded_flags", {}).get(
        "redis_host_env_with_params", False)
    env_host = reads_env and (ctx.env.get("REDIS_HOST") or ctx.env.get("REDIS_URL"))
    if not has_host and not env_host:
        ctx.add(source, section.key("cache_params") or section.key("cache"), "cache-no-host",
                "a Redis cache with no host: cache_params has no host or url"
                + ("" if not empty else " and REDIS_HOST / REDIS_URL are not set here")
                + ": the proxy will not start"
                + ("; the proxy reads REDIS_HOST only when cache_params is empty"
                   if not empty and (ctx.env.get("REDIS_HOST") or ctx.env.get("REDIS_URL"))
                   else "; write cache_params.host (or url)"))


def _check_semantic_password(source: Source, at, values: dict, ctx: Context) -> None:
    """A redis-semantic cache needs a password or a url, in cache_params or the environment."""
    if values.get("password") or values.get("url") or values.get("redis_url") \
            or ctx.env.get("REDIS_PASSWORD") or ctx.env.get("REDIS_URL"):
        return
    ctx.add(source, at, "cache-missing-param",
            "a redis-semantic cache needs a password (cache_params.password or "
            "REDIS_PASSWORD) or a url: the proxy will not start (\"Missing required Redis "
            "configuration: REDIS_PASSWORD\")")


def _check_redis_params(source: Source, params: Mapping, values: dict, ctx: Context) -> None:
    """A redis cache passes what it does not read itself to the Redis client."""
    for key, value in params.items():
        name = key_of(key)
        if name not in ctx.rules.redis_client_args and name != "type":
            guess = near(name, ctx.rules.redis_client_args)
            ctx.add(source, key, "cache-param-unknown",
                    f"cache_params.{name} is not an argument of LiteLLM's cache or of the "
                    "Redis client it passes the rest to: the proxy will not start "
                    "(\"unexpected keyword argument\")"
                    + (f"; did you mean {guess}?" if guess else
                       "; remove it (the client's own arguments, such as max_connections "
                       "or socket_timeout, go directly under cache_params)"))
        elif name == "port" and isinstance(value, Scalar) and \
                values.get("port") is not None and not unknown(values["port"]) and \
                not lax.fits(values["port"], {"type": "integer"}):
            ctx.add(source, value, "cache-port",
                    "cache_params.port is not a number: the proxy starts, but its Redis "
                    "client cannot connect, so nothing is cached; write the port number "
                    "(or os.environ/REDIS_PORT)")


def _check_callbacks(source: Source, name: str, value, ctx: Context) -> None:
    """callbacks, success_callback, failure_callback or audit_log_callbacks."""
    for item in _callback_items(source, name, value, ctx):
        if isinstance(item, Scalar) and isinstance(value_of(item), str):
            _check_callback(source, name, item, value_of(item), ctx)


def _callback_items(source: Source, name: str, value, ctx: Context) -> list:
    """The callbacks `name` lists as the proxy reads it; none when a string is misread
    (said here) or the value is of no shape it reads."""
    if isinstance(value, Sequence):
        return value.items
    if not isinstance(value, Scalar) or not isinstance(value_of(value), str):
        return []
    text = value_of(value)
    if name == "callbacks" and "." not in text:
        ctx.add(source, value, "callbacks-string",
                f"callbacks is a string, which the proxy reads as one module.attribute "
                f"path, and {text!r} has no module part: it will not start (\"Empty module "
                f"name\"); write a list: callbacks: [{text}]")
    elif name == "callbacks":  # one module.attr
        return [value]
    elif "." in text:
        ctx.add(source, value, "callbacks-string",
                f"{name} is a string, which the proxy reads letter by letter: the '.' "
                "becomes a module name and it will not start (\"Empty module name\"); "
                f"write a list: {name}: [{text}]")
    else:
        ctx.add(source, value, "callbacks-not-list",
                f"{name} is a string, which the proxy reads letter by letter (callbacks "
                f"named {text[:1]!r}, {text[1:2]!r}, ...): it starts without this callback;"
                f" write a list: {name}: [{text}]")
    return []


def _check_callback(source: Source, name: str, item, callback: str, ctx: Context) -> None:
    """One callback of `name`: a built-in one start-up sets up, or a module.attribute."""
    if _judged_at_start_up(source, name, item, callback, ctx):
        return
    if callback in ctx.rules.builtin_callbacks:
        return
    if callback.startswith(("s3://", "gcs://")):
        return
    if "." not in callback:
        _unknown_callback(source, name, item, callback, ctx)
        return
    check_module_reference(source, name, item, ctx, as_callback=name == "callbacks")


def _judged_at_start_up(source: Source, name: str, item, callback: str, ctx: Context) -> bool:
    """A built-in callback start-up builds, which needs a package or variables: said when
    they are missing (True: nothing more to judge of it)."""
    missing = ctx.rules.callbacks_needing_packages.get(callback)
    missing = missing if missing and ctx.lacks(missing) else None
    refusal = ctx.rules.callbacks_refusing.get(callback) if name == "callbacks" else None
    if refusal and not missing:
        needs = refusal.get("env", [])
        if not needs or not all(ctx.env.get(n) for n in needs):
            ctx.add(source, item, "callback-refused",
                    f"{name}: the built-in callback {callback!r} stops the start-up here "
                    f"({refusal['error']})" + (f"; set {', '.join(needs)} where the proxy "
                                               "runs" if needs else "; remove it"))
        return True
    if missing:
        ctx.add(source, item, "callback-needs-package",
                f"{name}: the built-in callback {callback!r} needs the Python package "
                f"{missing}, which {ctx.packaging.described} does not install"
                f"{ctx.packaging.assumption}: the proxy will not start; install {missing} "
                "where the proxy runs")
        return True
    if _logger_refuses_without(callback, name, ctx):
        _add_logger_package(source, name, item, callback, ctx)
        return True
    return False


def _unknown_callback(source: Source, name: str, item, callback: str, ctx: Context) -> None:
    """A name that is no LiteLLM callback and no module.attribute."""
    guess = did_you_mean(callback, ctx.rules.builtin_callbacks)
    if name == "callbacks":
        ctx.add(source, item, "unknown-callback",
                f"{name}: {callback!r} is neither a LiteLLM callback nor "
                "module.attribute: the proxy will not start (\"Empty module name\")"
                + (f"; did you mean {guess}?" if guess else ""))
    elif name != "audit_log_callbacks":
        ctx.add(source, item, "unknown-callback-name",
                f"{name}: {callback!r} is not a callback LiteLLM has: the proxy "
                "starts and never calls it"
                + (f"; did you mean {guess}?" if guess else ""))


# Built-in loggers that need a package litellm[proxy] lacks, and the first recorded release
# whose start-up stops when one is named in callbacks, success_callback or failure_callback
# without it (earlier ones log the error and start: tests/oracle/realistic/, 1.106.12 and
# 1.110.2).
_LOGGER_PACKAGES = {"langfuse": ("langfuse", "1.110.2"),
                    "otel": ("opentelemetry-sdk", "1.110.2")}


def _add_logger_package(source: Source, name: str, item, callback: str, ctx: Context) -> None:
    needed = _LOGGER_PACKAGES[callback][0]
    ctx.add(source, item, "callback-needs-package",
            f"{name}: the built-in callback {callback!r} needs the Python package {needed}, "
            f"which {ctx.packaging.described} does not install{ctx.packaging.assumption}: "
            f"litellm {ctx.rules.litellm_version} will not start (\"Could not build the "
            f"'{callback}' callback\", recorded); install {needed} where the proxy runs")


def _logger_refuses_without(callback: str, name: str, ctx: Context) -> bool:
    known = _LOGGER_PACKAGES.get(callback)
    return known is not None and name in ("callbacks", "success_callback", "failure_callback") \
        and release_rules.version_key(ctx.rules.litellm_version) >= \
        release_rules.version_key(known[1]) and ctx.lacks(known[0])


def _check_guardrails_v1(source: Source, value, ctx: Context) -> None:
    """litellm_settings.guardrails: [{name: {callbacks: [...]}}], each callback set up."""
    if not isinstance(value, Sequence):
        return
    for item in value.items:
        for _name, spec in item.items() if isinstance(item, Mapping) else ():
            callbacks = spec.get("callbacks") if isinstance(spec, Mapping) else None
            for callback in callbacks.items if isinstance(callbacks, Sequence) else ():
                refusal = ctx.rules.callbacks_refusing.get(value_of(callback)) \
                    if isinstance(callback, Scalar) else None
                if refusal and not all(ctx.env.get(n) for n in refusal.get("env", ["-"])):
                    ctx.add(source, callback, "callback-refused",
                            f"guardrails: the callback {value_of(callback)!r} stops the "
                            f"start-up here ({refusal['error']})")


def _check_team_settings(source: Source, value, ctx: Context) -> None:
    if value is None or is_null(value):
        return
    items = value.items if isinstance(value, Sequence) else None
    if items is None:
        ctx.add(source, value, "team-settings",
                "default_team_settings must be a list of teams (- team_id: ...): the proxy "
                "will not start (\"team_id missing from default_team_settings\")")
        return
    for item in items:
        if not isinstance(item, Mapping) or not isinstance(item.get("team_id"), Scalar):
            ctx.add(source, item, "team-settings",
                    "each default_team_settings item needs a team_id: the proxy will not start"
                    " (\"team_id missing from default_team_settings\")")


def _check_custom_providers(source: Source, value, ctx: Context) -> None:
    if not isinstance(value, Sequence):
        return
    for item in value.items:
        handler = item.get("custom_handler") if isinstance(item, Mapping) else None
        if isinstance(handler, Scalar):
            check_module_reference(source, "custom_provider_map", handler, ctx)
