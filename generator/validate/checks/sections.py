"""The keys and value types of a config's sections as the release reads them: the settings
sections' keys (litellm_settings, general_settings, router_settings: unknown, misplaced,
of the wrong type, refused when set) and the type of each top-level section.
"""
from __future__ import annotations

from generator.boundary.marked import Mapping, Scalar, data_of, key_of, value_of
from generator.validate import lax
from generator.validate.checks.context import (
    Context,
    Rules,
    Source,
    did_you_mean,
    env_name,
    is_null,
)


def home_of(name, rules: Rules) -> str | None:
    """The settings section that reads `name`, if any."""
    for section, keys in (("general_settings", rules.general_settings_keys),
                          ("litellm_settings", rules.litellm_settings_keys),
                          ("router_settings", rules.router_settings_keys)):
        if name in keys:
            return section
    return None


# Keys whose values other checks read closely (modules, caches, fallbacks, enums...).
_OWN_CHECKS = frozenset({
    "cache", "cache_params", "callbacks", "success_callback", "failure_callback",
    "audit_log_callbacks", "fallbacks", "context_window_fallbacks", "default_fallbacks",
    "content_policy_fallbacks", "default_team_settings", "routing_strategy", "master_key",
    "custom_auth", "custom_key_generate", "custom_key_update", "custom_sso",
    "custom_ui_sso_sign_in_handler", "custom_team_metadata_validate", "alerting",
    "coordination_redis", "use_redis_transaction_buffer"})


def check_section_keys(source: Source, section: Mapping, known, name: str,
                       ctx: Context) -> None:
    types = ctx.rules.key_types.get(name, {})
    refuses = set(ctx.rules.wrong_type_refuses["wrong_type"].get(name, ()))
    refuses_when_set = ctx.rules.wrong_type_refuses["when_set"].get(name, {})
    not_json = ctx.rules.data.get("section_refused_kinds", {}).get(name, ())
    for key, value in section.items():
        key_name = key_of(key)
        if not_json and isinstance(value, Scalar) and lax.kind_of(value_of(value)) in not_json:
            ctx.add(source, value, "setting-type",
                    f"{name}.{key_name} is {lax.kind_of(value_of(value))}, which litellm "
                    f"{ctx.rules.litellm_version} does not take in {name} (it reads the section "
                    "as JSON values; recorded): it will not start; quote it")
            continue
        if key_name in refuses_when_set and not is_null(value):
            ctx.add(source, key, "setting-refused",
                    f"{name}.{key_name}: the proxy will not start with it set here "
                    f"({refuses_when_set[key_name]}); remove it, or meet what the message asks")
            continue
        if key_name in types and key_name not in _OWN_CHECKS:
            _check_setting_type(source, name, key_name, value, types[key_name],
                                key_name in refuses, ctx)
        if key_name in known:
            continue
        guess = did_you_mean(key_name, known)
        home = home_of(key_name, ctx.rules)
        where_to = f"; it belongs under {home}" if home and home != name else ""
        ctx.add(source, key, "unknown-key",
                f"the proxy ignores {name}.{key_name}"
                + (f"; did you mean {guess}?" if guess else where_to))


def _check_setting_type(source: Source, section: str, name: str, node, schema: dict,
                        refuses: bool, ctx: Context) -> None:
    """A setting whose value is not of the type the release reads it as."""
    value = value_of(node) if isinstance(node, Scalar) else data_of(node)
    if env_name(value) is not None:
        return
    # What this release's recorded runs did with a value of this kind for this key.
    kind = lax.kind_of(value)
    refused = kind in ctx.rules.data.get("refused_kinds", {}).get(section, {}).get(name, ())
    accepted = kind in ctx.rules.data.get("accepted_kinds", {}).get(section, {}).get(name, ())
    if refused and not accepted:
        ctx.add(source, node, "setting-type",
                f"{section}.{name} is {kind} where the proxy needs {lax.describe(schema)}: "
                f"litellm {ctx.rules.litellm_version} will not start with it (recorded); "
                f"write {lax.describe(schema)}")
        return
    if accepted and not refused:
        refuses = False  # it started with a value of this kind (recorded)
    if lax.fits(value, schema) or (value is None and not refuses):
        return
    if refuses and isinstance(value, dict) and "properties" not in schema and \
            lax.fits(value, {"type": schema.get("type")}):
        refuses = False  # the mapping itself is what the proxy needed (recorded): values it
        # does not understand are not read as meant, but it starts
    if refuses:
        ctx.add(source, node, "setting-type",
                f"{section}.{name} is {lax.kind_of(value)} where the proxy needs "
                f"{lax.describe(schema)}: it will not start (recorded); write "
                f"{lax.describe(schema)}")
    else:
        ctx.add(source, node, "setting-type-ignored",
                f"{section}.{name} is {lax.kind_of(value)} where LiteLLM expects "
                f"{lax.describe(schema)}: the proxy starts but does not use it as meant; "
                f"write {lax.describe(schema)}")


def check_section_type(source: Source, name: str, value, ctx: Context) -> None:
    """A top-level section or list of the wrong shape: refused, or skipped without a word."""
    schema = ctx.rules.key_types["top_level"].get(name)
    loaded = value_of(value) if isinstance(value, Scalar) else data_of(value)
    kind = lax.kind_of(loaded)
    if loaded is not None and kind in _recorded_kinds(ctx, "refused_kinds", "top_level", name) \
            and kind not in _recorded_kinds(ctx, "accepted_kinds", "top_level", name):
        ctx.add(source, value, "section-not-mapping",
                f"{name} is {kind}: litellm {ctx.rules.litellm_version} will not start with it "
                f"(recorded)" + (f"; write {name} as {lax.describe(schema)}" if schema else ""))
        return
    if not schema or lax.fits(loaded, schema) or loaded is None:
        return
    if name in ctx.rules.wrong_type_refuses["wrong_type"].get("top_level", ()):
        ctx.add(source, value, "section-not-mapping",
                f"{name} is {lax.kind_of(loaded)} where the proxy needs "
                f"{lax.describe(schema)}: it will not start; write {name} as "
                f"{lax.describe(schema)}")
    else:
        ctx.add(source, value, "section-ignored",
                f"{name} is {lax.kind_of(loaded)} where the proxy reads {lax.describe(schema)}: "
                f"it starts and ignores the whole {name}; write it as {lax.describe(schema)}")


def _recorded_kinds(ctx: Context, table: str, section: str, name: str):
    return ctx.rules.data.get(table, {}).get(section, {}).get(name, ())
