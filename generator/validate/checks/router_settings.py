"""router_settings: its keys (and those that belong elsewhere), the routing strategy, the
model group aliases, the Redis URL and plugins; and fallbacks, wherever they are set
(litellm_settings' are judged here too, with what the router takes from where).
"""
from __future__ import annotations

from functools import lru_cache

from generator.boundary.marked import Mapping, Scalar, Sequence, data_of, key_of, value_of
from generator.validate.checks.context import Context, Source, did_you_mean, env_name, is_null
from generator.validate.checks.module_references import check_module_reference
from generator.validate.checks.sections import check_section_keys
from generator.validate.shapes import fallback_shape


def check_router_settings(source: Source, section: Mapping, ctx: Context) -> None:
    """One router_settings section."""
    known = ctx.rules.router_settings_keys
    for key, _value in section.items():
        name = key_of(key)
        if name in ctx.rules.router_settings_raising:
            ctx.add(source, key, "router-setting-misplaced",
                    f"router_settings.{name} makes the proxy refuse to start; move it to "
                    f"{ctx.rules.router_settings_raising[name]}")
    check_section_keys(source, _without(section, ctx.rules.router_settings_raising), known,
                       "router_settings", ctx)
    strategy = section.get("routing_strategy")
    if isinstance(strategy, Scalar) and value_of(strategy) not in ctx.rules.routing_strategies:
        guess = did_you_mean(value_of(strategy), ctx.rules.routing_strategies)
        ctx.add(source, strategy, "routing-strategy",
                f"routing_strategy {value_of(strategy)!r} is not one LiteLLM has: the proxy "
                "will not start" + (f"; did you mean {guess}?" if guess else
                                    f" ({', '.join(sorted(ctx.rules.routing_strategies))})"))
    check_all_fallbacks(source, section, ctx, "router_settings")
    _check_aliases(source, section.get("model_group_alias"), ctx)
    url = section.get("redis_url")
    if isinstance(url, Scalar) and isinstance(value_of(url), str) and \
            env_name(value_of(url)) is None and \
            not value_of(url).startswith(("redis://", "rediss://", "unix://")):
        ctx.add(source, url, "setting-type",
                "router_settings.redis_url must start with redis://, rediss:// or unix://: "
                "the proxy will not start (\"Redis URL must specify one of the following "
                "schemes\")")
    plugins = section.get("plugins")
    if isinstance(plugins, Sequence):
        for item in plugins.items:
            if isinstance(item, Scalar) and isinstance(value_of(item), str):
                check_module_reference(source, "router_settings.plugins", item, ctx)


def _check_aliases(source: Source, aliases, ctx: Context) -> None:
    """model_group_alias: each alias names a model_name; a mapping value needs `hidden`."""
    if not isinstance(aliases, Mapping):
        return
    for key, target in aliases.items():
        name = target
        if isinstance(target, Mapping):
            if "hidden" not in target:
                ctx.add(source, target, "alias-shape",
                        f"model_group_alias.{key_of(key)} is a mapping without hidden: the "
                        "proxy will not start (KeyError: 'hidden'); add hidden: false, or "
                        "write the model_name alone")
                continue
            name = target.get("model")
        if isinstance(name, Scalar) and ctx.model_names and \
                value_of(name) not in ctx.model_names:
            ctx.add(source, name, "alias-unknown-model",
                    f"model_group_alias.{key_of(key)} points at {value_of(name)!r}, which no "
                    "model_list entry has: requests to the alias will fail; name a model_name "
                    "of model_list")


_FALLBACK_NAMES = ("fallbacks", "context_window_fallbacks", "content_policy_fallbacks",
                   "default_fallbacks")


# The router takes these from router_settings when set there, else from litellm_settings
# (`fallbacks or litellm.fallbacks`, 1.100.0 to 1.110.2; recorded on 1.110.2, which refuses
# a string target in litellm_settings only when the router reads it: tests/oracle/realistic/).
_ROUTER_FIRST = ("fallbacks", "context_window_fallbacks", "content_policy_fallbacks")


def router_fallbacks(merged: dict) -> frozenset:
    """The fallbacks router_settings sets (non-empty): the router reads no others."""
    return frozenset(name for _source, section in merged.get("router_settings", [])
                     if isinstance(section, Mapping) for name in _ROUTER_FIRST
                     if isinstance(section.get(name), Sequence) and section.get(name).items)


def check_all_fallbacks(source: Source, section: Mapping, ctx: Context, where: str) -> None:
    for name in _FALLBACK_NAMES:
        value = section.get(name)
        if value is not None and not is_null(value) and where == "litellm_settings" \
                and name in ctx.router_fallbacks:
            ctx.add(source, section.key(name), "fallbacks-ignored",
                    f"litellm_settings.{name} is not used: router_settings.{name} is set, and "
                    f"the router then takes its {name} from there alone; move these into "
                    f"router_settings.{name}")
        elif value is not None and not is_null(value):
            if _check_recorded_fallbacks(source, where, name, value, ctx):
                continue
            if name == "default_fallbacks":
                _check_default_fallbacks(source, value, ctx)
            else:
                _check_fallbacks(source, name, value, ctx, where)


def _fallback_fault(value):
    """The node a fallbacks value goes wrong at: the first item or target not in the form
    every release reads, else the value itself."""
    if not isinstance(value, Sequence):
        return value
    for item in value.items:
        if not isinstance(item, Mapping) or len(list(item.items())) != 1:
            return item
        for _key, targets in item.items():
            if fallback_shape(data_of(targets) if not isinstance(targets, Scalar)
                              else [value_of(targets)]) not in ("lists", "strings"):
                return targets
    return value


def _check_recorded_fallbacks(source: Source, where: str, name: str, value,
                              ctx: Context) -> bool:
    """What this release's recorded runs did with fallbacks of this shape (True: said).

    The form every release reads is a list of one-key mappings to lists (default_fallbacks:
    a list of model_names); other shapes start on some releases and stop others.
    """
    loaded = value_of(value) if isinstance(value, Scalar) else data_of(value)
    shape = fallback_shape(loaded)
    canonical = "strings" if name == "default_fallbacks" else "lists"
    outcome = ctx.rules.data.get("fallback_shapes", {}).get(where, {}).get(name, {}).get(shape)
    if outcome is None or shape in (canonical, "empty", "null"):
        return False
    release = ctx.rules.litellm_version
    form = ("a list of model_names (- gpt-4o)" if name == "default_fallbacks"
            else "- model: [fallback, ...]")
    if outcome == "refuses":
        ctx.add(source, _fallback_fault(value), "fallbacks-shape",
                f"{where}.{name} written as {shape}: litellm {release} will not start with it "
                f"(recorded); write {form}")
    elif shape == "a string target" and name != "default_fallbacks":
        ctx.add(source, _fallback_fault(value), "fallbacks-ignored",
                f"{where}.{name}: a fallback target is a string, not a list: litellm "
                f"{release} starts but that fallback never routes ("
                + _later_refusal(where, name, shape) + f"); write {form}")
    else:
        ctx.add(source, _fallback_fault(value), "fallbacks-form",
                f"{where}.{name} written as {shape}: litellm {release} starts with it "
                f"(recorded), but other releases refuse it or never route it; write {form}")
    return True


@lru_cache(maxsize=None)
def _first_refusing(where: str, name: str, shape: str) -> str | None:
    """The oldest release litellm-gen knows whose recorded runs refuse fallbacks of `shape`."""
    from generator.releases.rules import known_releases, release_data

    for release in known_releases():
        shapes = release_data(release).get("fallback_shapes", {})
        if shapes.get(where, {}).get(name, {}).get(shape) == "refuses":
            return release
    return None


def _later_refusal(where: str, name: str, shape: str) -> str:
    first = _first_refusing(where, name, shape)
    return (f"litellm {first} and later refuse to start with it" if first
            else "later releases refuse it")


def _check_default_fallbacks(source: Source, value, ctx: Context) -> None:
    """default_fallbacks: model_names tried for any group that fails."""
    if not isinstance(value, Sequence):
        return
    for item in value.items:
        if isinstance(item, Scalar) and ctx.model_names and \
                value_of(item) not in ctx.model_names:
            ctx.add(source, item, "fallback-unknown-model",
                    f"default_fallbacks names {value_of(item)!r}, which no model_list entry "
                    "has: that fallback will fail")


def _without(section: Mapping, names) -> Mapping:
    copy = Mapping(section.start_mark)
    copy.pairs = [(k, v) for k, v in section.items() if key_of(k) not in names]
    return copy


def _check_fallbacks(source: Source, name: str, value, ctx: Context, where: str) -> None:
    if name == "context_window_fallbacks":
        # The release keeps context_window_fallbacks as written, whatever its shape
        # (recorded): a wrong shape starts, and the fallback never happens.
        if not isinstance(value, Sequence) or not all(
                isinstance(i, Mapping) and len(list(i.items())) == 1 for i in value.items):
            ctx.add(source, value, "fallbacks-ignored",
                    f"{name} is not a list of one-key mappings: the proxy starts, but never "
                    "falls back; write - model: [fallback, ...]")
            return
    if not isinstance(value, Sequence):
        ctx.add(source, value, "fallbacks-shape",
                f"{name} must be a list of one-key mappings (- model: [fallback, ...]): "
                "the proxy will not start")
        return
    judged: set[int] = set()  # target lists met again through an alias: judged once
    for item in value.items:
        if id(item) in judged:
            continue
        judged.add(id(item))
        if not isinstance(item, Mapping) or len(list(item.items())) != 1:
            ctx.add(source, item, "fallbacks-shape",
                    f"each {name} item must be a mapping with exactly one key "
                    "(- model: [fallback, ...]): the proxy will not start")
            continue
        for key, targets in item.items():
            names = [(key, key_of(key))]
            if isinstance(targets, Sequence) and id(targets) not in judged:
                judged.add(id(targets))
                names += [(t, value_of(t)) for t in targets.items if isinstance(t, Scalar)]
            elif isinstance(targets, Scalar) and not is_null(targets):
                names.append((targets, value_of(targets)))
                ctx.add(source, targets, "fallbacks-ignored",
                        f"{name}: the fallback of {key_of(key)!r} is a string, not a list: "
                        "this release starts but the fallback never routes ("
                        + _later_refusal(where, name, "a string target")
                        + f"); write [{value_of(targets)}]")
            for node, model_name in names:
                if model_name not in ctx.model_names and ctx.model_names:
                    ctx.add(source, node, "fallback-unknown-model",
                            f"{name} names {model_name!r}, which no model_list entry has: "
                            "that fallback will fail")
