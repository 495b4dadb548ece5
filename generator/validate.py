"""What the pinned LiteLLM proxy will do with a config, said before it restarts.

The pure core of `litellm-gen validate`: parsed documents in, findings out, no I/O
(the edge passes what it read, the environment and a file-exists test). Each rule
is named, and each is backed by a recorded run of the real proxy
(tests/oracle/validate/): severity "error" means the proxy will not start or will
start without something the file asks for (a model dropped, a section ignored);
"warning" means it runs as written but a request will fail or the file probably
does not mean what it says. The data the rules use (providers, settings fields,
routing strategies...) is extracted from the pinned litellm into rules.json.
"""
from __future__ import annotations

import datetime as _dt
import difflib
import json
import posixpath
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Callable, Mapping as MappingType

from . import health_checks, marked
from .findings import RULES, Finding
from .marked import Mapping, Scalar, Sequence, key_of, value_of, where
from .secrets import is_reference, is_secret_key

ENV_PREFIX = "os.environ/"
_DOLLAR_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-=?][^}]*)?\}|\$([A-Z_][A-Z0-9_]*)\b")
# Sections whose near-miss spelling silently drops a whole part of the config.
_SECTIONS = ("model_list", "litellm_settings", "general_settings", "router_settings",
             "environment_variables", "include", "callback_settings")


@dataclass(frozen=True)
class Rules:
    data: dict

    def __getattr__(self, name: str):
        try:
            return self.data[name]
        except KeyError:
            raise AttributeError(name) from None


@lru_cache(maxsize=1)
def shipped_rules() -> Rules:
    raw = resources.files("generator").joinpath("rules.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    for name in ("top_level_keys", "general_settings_keys", "litellm_settings_keys",
                 "router_settings_keys", "providers", "builtin_callbacks", "cache_types",
                 "routing_strategies", "model_modes", "model_info_tiers"):
        data[name] = frozenset(data[name])
    return Rules(data)


@dataclass(frozen=True)
class Source:
    """One file the proxy reads: the config or one of its includes."""
    path: str
    document: marked.Document
    line_shift: int = 0  # lines above the config in its file (a manifest's block)


@dataclass
class Context:
    rules: Rules
    env: MappingType[str, str]
    exists: Callable[[str], bool]
    config_folder: str
    today: _dt.date
    findings: list[Finding] = field(default_factory=list)
    model_names: set = field(default_factory=set)

    def add(self, source: Source, node, rule: str, message: str) -> None:
        """A finding of the registered rule `rule` at `node` (None: the file's start)."""
        line, column = where(node) if node is not None else (1, 1)
        self.findings.append(Finding(source.path, line + source.line_shift, column,
                                     RULES[rule].severity, message, rule))


def syntax_finding(path: str, exc: Exception, line_shift: int = 0) -> Finding:
    """A config the proxy's loader refuses: it will not start."""
    if isinstance(exc, marked.TagError):
        return Finding.of("yaml-tag", path, exc.line + line_shift, exc.column,
                          f"the tag {exc.tag} cannot be loaded by yaml.safe_load: the proxy "
                          "will not start; remove the tag")
    if isinstance(exc, marked.BuildError):
        return Finding.of("yaml-syntax", path, exc.line + line_shift, exc.column,
                          f"{exc}: the proxy will not start")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if "'\\t'" in problem:  # merge's words for it (scan.py): one message for a tab
        from .loader import TAB_MESSAGE
        return Finding.of("yaml-syntax", path, line + line_shift, column, TAB_MESSAGE)
    return Finding.of("yaml-syntax", path, line + line_shift, column,
                      f"not valid YAML ({problem}): the proxy will not start")


def check_sources(sources: list[Source], ctx: Context) -> list[Finding]:
    """Every finding for a config (sources[0]) and the includes read beside it."""
    main = sources[0]
    for source in sources:
        for dup in source.document.duplicates:
            ctx.add(source, dup.key, "duplicate-key",
                    f"{dup.key.value!r} is also set on line {dup.first_line + source.line_shift}"
                    ": the proxy keeps only this one")
    roots = [(s, s.document.root) for s in sources]
    if main.document.root is None or _is_null(main.document.root):
        ctx.add(main, None, "empty-config",
                "the config is empty: the proxy refuses it (\"Config cannot be None or Empty\")")
        return sorted(ctx.findings)
    for source, root in roots:
        if not isinstance(root, Mapping):
            ctx.add(source, root, "config-not-mapping",
                    "the config must be a mapping of sections (model_list:, ...): the proxy "
                    "will not start")
            return sorted(ctx.findings)
    merged = _merged_view(roots)
    if "model_list" not in merged:
        _hint_nested_config(main, main.document.root, ctx)
    for source, root in roots:
        _check_top_level(source, root, ctx)
    # Entries are usually checked while they are read (check_entry as parse's on_entry);
    # those still in the tree were parsed without it.
    for source, entry in merged.get("model_list", []):
        check_entry(source, entry, ctx)
    for key in ("litellm_settings", "general_settings", "router_settings"):
        for source, section in merged.get(key, []):
            if isinstance(section, Mapping):
                {"litellm_settings": _check_litellm_settings,
                 "general_settings": _check_general_settings,
                 "router_settings": _check_router_settings}[key](source, section, ctx)
            elif not _is_null(section):
                ctx.add(source, section, "section-not-mapping",
                        f"{key} must be a mapping: the proxy will not start")
    for source, root in roots:
        rest = Mapping(root.start_mark)  # entries were checked with the entry
        rest.pairs = [(k, v) for k, v in root.items() if key_of(k) != "model_list"]
        _check_literal_secrets(source, rest, ctx)
    health_checks.add_findings(merged, ctx)
    return sorted(ctx.findings)


def _merged_view(roots) -> dict[str, list]:
    """Sections as the proxy sees them after `include:`: lists extend, the rest replace."""
    view: dict[str, list] = {}
    for source, root in roots:
        for key, value in root.items():
            name = key_of(key)
            if name == "include" and source is roots[0][0]:
                continue
            if name == "model_list":
                if isinstance(value, Sequence):
                    view.setdefault(name, []).extend((source, item) for item in value.items)
                continue
            view[name] = [(source, value)]
    return view


def _hint_nested_config(source: Source, root: Mapping, ctx: Context) -> None:
    """A Helm values file holds the config under a key: say which, before a wall of warnings."""
    for key, value in root.items():
        if isinstance(value, Mapping) and "model_list" in value:
            ctx.add(source, key, "nested-config",
                    f"there is no model_list at the top, but {key_of(key)}.model_list exists: "
                    f"the proxy serves no model from this file as it is; to check the config "
                    f"there, run validate --key-path {key_of(key)}")
            return


def _is_null(node) -> bool:
    return isinstance(node, Scalar) and value_of(node) is None


def _did_you_mean(name, known) -> str | None:
    if not isinstance(name, str):
        return None
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.8)
    return close[0] if close else None


def _check_top_level(source: Source, root: Mapping, ctx: Context) -> None:
    known = ctx.rules.top_level_keys
    for key, value in root.items():
        name = key_of(key)
        if name in known:
            if name == "model_list":
                _check_model_list_shape(source, value, ctx)
            elif name == "include":
                _check_include_shape(source, value, ctx)
            continue
        guess = _did_you_mean(name, known)
        if guess in _SECTIONS and _edits(name, guess) <= 2:
            ctx.add(source, key, "unknown-section",
                    f"{name!r} is not a section the proxy reads; did you mean {guess}? The "
                    f"proxy ignores the whole section" + (
                        _master_key_note(root, value, ctx) if guess == "general_settings"
                        else ""))
        elif guess:
            ctx.add(source, key, "unknown-key",
                    f"the proxy ignores top-level {name!r}; did you mean {guess}?")
        else:
            home = _home_of(name, ctx.rules)
            ctx.add(source, key, "unknown-key",
                    f"the proxy ignores top-level {name!r}"
                    + (f"; it belongs under {home}" if home else ""))


def _master_key_note(root: Mapping, misspelled, ctx: Context) -> str:
    has_key = isinstance(misspelled, Mapping) and "master_key" in misspelled
    if "general_settings" in root or not has_key:
        return ""
    if ctx.env.get("LITELLM_MASTER_KEY"):
        return " and the master_key in it: only LITELLM_MASTER_KEY opens the proxy"
    return " and starts without a master key, open to anyone who reaches it"


def _home_of(name, rules: Rules) -> str | None:
    for section, keys in (("general_settings", rules.general_settings_keys),
                          ("litellm_settings", rules.litellm_settings_keys),
                          ("router_settings", rules.router_settings_keys)):
        if name in keys:
            return section
    return None


def _edits(a: str, b: str) -> int:
    """Levenshtein distance: a near-miss section name is a typo or two away, no more."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def _check_model_list_shape(source: Source, value, ctx: Context) -> None:
    if isinstance(value, Sequence) or _is_null(value):
        return
    ctx.add(source, value, "model-list-not-list",
            "model_list must be a list of entries (- model_name: ...): the proxy will not start")


def _check_include_shape(source: Source, value, ctx: Context) -> None:
    if not isinstance(value, Sequence):
        ctx.add(source, value, "include-not-list",
                "include must be a list of file names: the proxy will not start "
                "(\"'include' must be a list of file paths\")")


def check_entry(source: Source, entry, ctx: Context) -> None:
    """One model_list item: what the proxy does with it, and its model_name for fallbacks."""
    if isinstance(entry, Mapping):
        name = entry.get("model_name")
        if isinstance(name, Scalar):
            ctx.model_names.add(value_of(name))
    _check_entry(source, entry, ctx)
    health_checks.note_entry(source, entry, ctx)
    if isinstance(entry, Mapping):
        _check_literal_secrets(source, entry, ctx)


def _env_name(value) -> str | None:
    if isinstance(value, str) and value.startswith(ENV_PREFIX):
        return value[len(ENV_PREFIX):]
    return None


def _check_entry(source: Source, entry, ctx: Context) -> None:
    if not isinstance(entry, Mapping):
        ctx.add(source, entry, "entry-not-mapping",
                "a model_list entry must be a mapping (model_name:, litellm_params:): "
                "the proxy will not start")
        return
    params = entry.get("litellm_params")
    if params is None:
        ctx.add(source, entry, "missing-litellm-params",
                "this entry has no litellm_params: the proxy will not start "
                "(KeyError: 'litellm_params')")
        return
    if not isinstance(params, Mapping):
        ctx.add(source, entry.key("litellm_params"), "litellm-params-not-mapping",
                "litellm_params must be a mapping holding model:: the proxy will not start")
        return
    name_node = entry.get("model_name")
    label = _entry_label(name_node)
    model = params.get("model")
    if model is None:
        ctx.add(source, entry.key("litellm_params"), "missing-model",
                f"{label} has no litellm_params.model: the proxy will not start "
                "(KeyError: 'model')")
        return
    if not isinstance(model, Scalar) or not isinstance(value_of(model), str):
        ctx.add(source, model, "model-not-string",
                f"{label}: litellm_params.model must be a string: the proxy will not start")
        return
    if name_node is None:
        ctx.add(source, entry, "model-name",
                "this entry has no model_name: the proxy will not start")
    elif not isinstance(name_node, Scalar) or not isinstance(value_of(name_node), str):
        ctx.add(source, name_node, "model-name",
                "model_name must be a string (quote it): the proxy will not start")
    model_text = value_of(model)
    env = _env_name(model_text)
    if env is not None:
        if not ctx.env.get(env):
            ctx.add(source, model, "model-env-unset",
                    f"{label}: model reads {env} from the environment, which is not set "
                    f"here: the proxy will not start; set {env} or pass --env-file")
            return
        model_text = ctx.env[env]
    _check_provider(source, entry, params, model, model_text, label, ctx)
    _check_params(source, params, label, ctx)
    info = entry.get("model_info")
    if isinstance(info, Mapping):
        _check_model_info(source, info, label, ctx)


def _entry_label(name_node) -> str:
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
        env = _env_name(plain.get(key))
        if env is not None:
            plain[key] = ctx.env.get(env)
    provider = resolve_provider(model_text, plain, ctx.rules)
    if provider is None:
        ctx.add(source, model, "unknown-provider",
                f"{label}: LiteLLM cannot tell the provider of {model_text!r} (\"LLM Provider "
                f"NOT provided\"): the proxy starts without this model; {_provider_hint(model_text, plain, ctx.rules)}")
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
        guess = _did_you_mean(prefix, rules.providers)
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


def _check_params(source: Source, params: Mapping, label: str, ctx: Context) -> None:
    numeric = ctx.rules.numeric_litellm_params
    for key, value in params.items():
        name = key_of(key)
        if value.__class__ is not Scalar:
            if name in numeric:
                ctx.add(source, value, "not-a-number",
                        f"{label}: {name} must be a number: the proxy drops this entry")
            continue
        loaded = value_of(value)
        if name in numeric and _env_name(loaded) is None \
                and not _is_number(loaded, numeric[name]):
            whole = " whole" if numeric[name] == "int" else ""
            ctx.add(source, value, "not-a-number",
                    f"{label}: {name}: {loaded!r} is not a{whole} number: the proxy drops "
                    "this entry")
        if loaded.__class__ is not str:
            continue
        env = _env_name(loaded)
        if env is not None:
            if not ctx.env.get(env) and name != "model":
                ctx.add(source, value, "env-unset",
                        f"{label}: {name} reads {env}, which is not set here: requests to "
                        "this model will fail until it is")
        elif name == "api_base" and "://" not in loaded:
            ctx.add(source, value, "api-base-scheme",
                    f"{label}: api_base {loaded!r} has no scheme; write http://{loaded} "
                    "(or https://)")
        if "$" in loaded:
            _check_dollar(source, value, loaded, ctx)


def _is_number(value, kind: str) -> bool:
    """What pydantic's lax mode accepts for an int / float field (None: not set)."""
    if value is None or isinstance(value, bool):
        return True
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return False
    if not isinstance(value, (int, float)):
        return False
    return kind == "float" or float(value).is_integer()


def _check_dollar(source: Source, node, loaded, ctx: Context) -> None:
    if not isinstance(loaded, str) or "$" not in loaded:
        return
    match = _DOLLAR_VAR.search(loaded)
    if match:
        var = match.group(1) or match.group(2)
        ctx.add(source, node, "dollar-variable",
                f"LiteLLM does not expand {match.group(0)}; write os.environ/{var} (the "
                "value is used as written)")


def _check_model_info(source: Source, info: Mapping, label: str, ctx: Context) -> None:
    mode = info.get("mode")
    if isinstance(mode, Scalar) and value_of(mode) not in ctx.rules.model_modes \
            and value_of(mode) is not None:
        guess = _did_you_mean(value_of(mode), ctx.rules.model_modes)
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


def _check_section_keys(source: Source, section: Mapping, known, name: str,
                        ctx: Context) -> None:
    for key, _value in section.items():
        key_name = key_of(key)
        if key_name in known:
            continue
        guess = _did_you_mean(key_name, known)
        home = _home_of(key_name, ctx.rules)
        where_to = f"; it belongs under {home}" if home and home != name else ""
        ctx.add(source, key, "unknown-key",
                f"the proxy ignores {name}.{key_name}"
                + (f"; did you mean {guess}?" if guess else where_to))


def _check_litellm_settings(source: Source, section: Mapping, ctx: Context) -> None:
    _check_section_keys(source, section, ctx.rules.litellm_settings_keys, "litellm_settings",
                        ctx)
    cache = section.get("cache")
    if isinstance(cache, Scalar) and value_of(cache) is True:
        _check_cache(source, section, ctx)
    for name in ("callbacks", "success_callback", "failure_callback"):
        value = section.get(name)
        if value is not None:
            _check_callbacks(source, name, value, ctx)
    _check_all_fallbacks(source, section, ctx)  # set on litellm, checked by the Router


def _check_cache(source: Source, section: Mapping, ctx: Context) -> None:
    params = section.get("cache_params")
    cache_key = section.key("cache")
    values: dict = {}
    if isinstance(params, Mapping):
        for key, value in params.items():
            if isinstance(value, Scalar):
                loaded = value_of(value)
                _check_dollar(source, value, loaded, ctx)
                env = _env_name(loaded)
                if env is not None:
                    loaded = ctx.env.get(env) or None  # what get_secret gives the proxy
                    if loaded is None:
                        ctx.add(source, value, "cache-env-unset",
                                f"cache_params.{key_of(key)} reads {env}, which is not set "
                                "here: the proxy gets no value for it")
                values[key_of(key)] = loaded
    kind = values.get("type", "redis")
    missing = ctx.rules.caches_needing_packages.get(kind)
    if missing:
        ctx.add(source, params.get("type") if isinstance(params, Mapping) else cache_key,
                "cache-needs-package",
                f"a {kind} cache needs {missing}, which litellm[proxy] does not install: the "
                "proxy will not start; install it where the proxy runs")
        return
    if kind not in ctx.rules.cache_types:
        guess = _did_you_mean(kind, ctx.rules.cache_types)
        ctx.add(source, params.get("type") if isinstance(params, Mapping) else cache_key,
                "cache-type",
                f"cache type {kind!r} is not one LiteLLM has: the proxy will not start"
                + (f"; did you mean {guess}?" if guess else
                   f" ({', '.join(sorted(ctx.rules.cache_types))})"))
        return
    needs = ctx.rules.caches_needing_params.get(kind)
    missing_params = [p for p in needs["params"] if values.get(p) is None] if needs else []
    if missing_params and kind != "redis":  # redis: cache-no-host, which knows REDIS_HOST
        ctx.add(source, params.get("type") if isinstance(params, Mapping) else cache_key,
                "cache-missing-param",
                f"a cache of type {kind} needs cache_params.{missing_params[0]}: LiteLLM "
                f"refuses to set it up ({needs['message']!r}) and the proxy will not start")
    if kind in ("redis", "redis-semantic"):
        has_host = values.get("host") or values.get("url") or values.get("redis_startup_nodes")
        env_host = ctx.env.get("REDIS_HOST") or ctx.env.get("REDIS_URL")
        if not has_host and not env_host:
            ctx.add(source, section.key("cache_params") or cache_key, "cache-no-host",
                    "a Redis cache with no host: cache_params has no host or url and "
                    "REDIS_HOST / REDIS_URL are not set here: the proxy will not start")


def _check_callbacks(source: Source, name: str, value, ctx: Context) -> None:
    items = value.items if isinstance(value, Sequence) else [value]
    for item in items:
        if not isinstance(item, Scalar) or not isinstance(value_of(item), str):
            continue
        callback = value_of(item)
        missing = ctx.rules.callbacks_needing_packages.get(callback)
        if missing:
            ctx.add(source, item, "callback-needs-package",
                    f"{name}: the built-in callback {callback!r} needs the Python package "
                    f"{missing}, which litellm[proxy] does not install: the proxy will not "
                    f"start; install {missing} where the proxy runs")
            continue
        if callback in ctx.rules.builtin_callbacks:
            continue
        if name != "callbacks" and "." not in callback:
            continue  # success/failure callbacks without a dot are logger names
        if callback.startswith(("s3://", "gcs://")):
            continue
        module, _, attr = callback.rpartition(".")
        if not module:
            guess = _did_you_mean(callback, ctx.rules.builtin_callbacks)
            ctx.add(source, item, "unknown-callback",
                    f"{name}: {callback!r} is neither a LiteLLM callback nor module.attribute"
                    + (f"; did you mean {guess}?" if guess else "")
                    + ": the proxy will not start")
            continue
        module_file = posixpath.join(ctx.config_folder, *module.split(".")) + ".py"
        if module.split(".")[0] == "litellm" or ctx.exists(module_file):
            continue
        ctx.add(source, item, "callback-module-missing",
                f"{name}: {callback!r} names module {module}, but {module_file} does not "
                "exist: the proxy will not start (it imports it from the config's folder)")


def _check_general_settings(source: Source, section: Mapping, ctx: Context) -> None:
    _check_section_keys(source, section, ctx.rules.general_settings_keys, "general_settings",
                        ctx)
    url = section.get("database_url")
    url_text = value_of(url) if isinstance(url, Scalar) else None
    env = _env_name(url_text)
    if env is not None:
        url_text = ctx.env.get(env)
    if url_text and ctx.rules.database_package_missing:
        ctx.add(source, url, "database-needs-package",
                "with a database_url the proxy needs the prisma package (and its generated "
                "client), which litellm[proxy] does not install: the proxy will not start; "
                "run it from the litellm-database image or install prisma there")
    key = section.get("master_key")
    env = _env_name(value_of(key)) if isinstance(key, Scalar) else None
    if env is not None and not ctx.env.get(env):
        ctx.add(source, key, "master-key-unset",
                f"master_key reads {env}, which is not set here: the proxy starts without a "
                f"master key, open to anyone who reaches it; set {env} or pass --env-file")


def _check_router_settings(source: Source, section: Mapping, ctx: Context) -> None:
    known = ctx.rules.router_settings_keys
    for key, _value in section.items():
        name = key_of(key)
        if name in ctx.rules.router_settings_raising:
            ctx.add(source, key, "router-setting-misplaced",
                    f"router_settings.{name} makes the proxy refuse to start; move it to "
                    f"{ctx.rules.router_settings_raising[name]}")
    _check_section_keys(source, _without(section, ctx.rules.router_settings_raising), known,
                        "router_settings", ctx)
    strategy = section.get("routing_strategy")
    if isinstance(strategy, Scalar) and value_of(strategy) not in ctx.rules.routing_strategies:
        guess = _did_you_mean(value_of(strategy), ctx.rules.routing_strategies)
        ctx.add(source, strategy, "routing-strategy",
                f"routing_strategy {value_of(strategy)!r} is not one LiteLLM has: the proxy "
                "will not start" + (f"; did you mean {guess}?" if guess else
                                    f" ({', '.join(sorted(ctx.rules.routing_strategies))})"))
    _check_all_fallbacks(source, section, ctx)


def _check_all_fallbacks(source: Source, section: Mapping, ctx: Context) -> None:
    for name in ("fallbacks", "context_window_fallbacks", "content_policy_fallbacks"):
        value = section.get(name)
        if value is not None and not _is_null(value):
            _check_fallbacks(source, name, value, ctx)


def _without(section: Mapping, names) -> Mapping:
    copy = Mapping(section.start_mark)
    copy.pairs = [(k, v) for k, v in section.items() if key_of(k) not in names]
    return copy


def _check_fallbacks(source: Source, name: str, value, ctx: Context) -> None:
    if not isinstance(value, Sequence):
        ctx.add(source, value, "fallbacks-shape",
                f"{name} must be a list of one-key mappings (- model: [fallback, ...]): "
                "the proxy will not start")
        return
    for item in value.items:
        if not isinstance(item, Mapping) or len(list(item.items())) != 1:
            ctx.add(source, item, "fallbacks-shape",
                    f"each {name} item must be a mapping with exactly one key "
                    "(- model: [fallback, ...]): the proxy will not start")
            continue
        for key, targets in item.items():
            names = [(key, key_of(key))]
            if isinstance(targets, Sequence):
                names += [(t, value_of(t)) for t in targets.items if isinstance(t, Scalar)]
            elif isinstance(targets, Scalar):
                names.append((targets, value_of(targets)))
            for node, model_name in names:
                if model_name not in ctx.model_names and ctx.model_names:
                    ctx.add(source, node, "fallback-unknown-model",
                            f"{name} names {model_name!r}, which no model_list entry has: "
                            "that fallback will fail")


@lru_cache(maxsize=4096)
def _secret_key(name: str) -> bool:
    return is_secret_key(name)  # the same few key names repeat in every entry


def _check_literal_secrets(source: Source, root: Mapping, ctx: Context) -> None:
    for value, key in marked.all_scalars(root):
        if key is None or value.tag is not None or not value.value:
            continue
        if _secret_key(key.value) and isinstance(value_of(value), str) \
                and not is_reference(value.value):
            ctx.add(source, value, "literal-secret",
                    f"{key.value} holds a literal secret (not shown): it is in the file and in git; "
                    f"write os.environ/NAME and set NAME where the proxy runs")
