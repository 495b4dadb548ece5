"""Extract validate's rules from the pinned litellm: `make rules` runs this in .venv-proxy.

litellm is 680 MB and takes seconds to import, so it is never a runtime dependency:
this script reads what `litellm-gen validate` needs out of the installed litellm
(its provider list, cost map, Router signature, settings fields, and the keys the
proxy's own source reads) and writes `generator/releases/rules.json`. tests/test_rules.py
runs it again against .venv-proxy and fails when the shipped file differs, so
moving to a newer proxy means rerunning `make rules` and reviewing the diff.

Usage: .venv-proxy/bin/python scripts/extract_rules.py [OUT]   (OUT "-" writes stdout)
"""
from __future__ import annotations

import ast
import contextlib
import importlib.util
import inspect
import json
import os
import re
import sys
import typing
from pathlib import Path

# The proxy fetches the cost map from the network unless told otherwise; the rules must
# come from the pinned package, not from whatever main holds today.
os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"

import litellm  # noqa: E402
from litellm.caching.caching import LiteLLMCacheType  # noqa: E402
from litellm.litellm_core_utils import fallback_generalizations  # noqa: E402
from litellm.litellm_core_utils.get_llm_provider_logic import get_llm_provider  # noqa: E402
from litellm.llms.openai_like.json_loader import JSONProviderRegistry  # noqa: E402
from litellm.proxy import _types as proxy_types  # noqa: E402
from litellm.types.router import GenericLiteLLMParams, LiteLLM_Params, ModelInfo  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(Path(__file__).resolve().parent), str(ROOT / "tests"), str(ROOT)]
import extract_types  # noqa: E402
import oracle_records  # noqa: E402

from generator.validate.shapes import fallback_shape, value_kind  # noqa: E402

PROXY_DIR = Path(litellm.__file__).parent / "proxy"


def literal_keys(tree: ast.AST, receivers: set[str]) -> set[str]:
    """String keys read as `R.get("k")`, `R["k"]`, `"k" in R` for R named in receivers."""
    found = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("get", "pop") and _named(node.func.value, receivers)
                and node.args and _string(node.args[0])):
            found.add(node.args[0].value)
        elif isinstance(node, ast.Subscript) and _named(node.value, receivers) \
                and _string(node.slice):
            found.add(node.slice.value)
        elif isinstance(node, ast.Compare) and _string(node.left) and len(node.ops) == 1 \
                and isinstance(node.ops[0], ast.In) and _named(node.comparators[0], receivers):
            found.add(node.left.value)
    return found


def compared_literals(tree: ast.AST, name: str) -> set[str]:
    """Strings compared with `name == "..."` (the proxy's `if key == "cache"` chains)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and isinstance(node.left, ast.Name) \
                and node.left.id == name and len(node.ops) == 1 \
                and isinstance(node.ops[0], (ast.Eq, ast.In)):
            right = node.comparators[0]
            if _string(right):
                found.add(right.value)
            elif isinstance(right, (ast.Set, ast.Tuple, ast.List)):
                found |= {e.value for e in right.elts if _string(e)}
    return found


def _named(node: ast.AST, names: set[str]) -> bool:
    return isinstance(node, ast.Name) and node.id in names


def _string(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def function_source(path: Path, name: str) -> ast.AST:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            return node
    raise SystemExit(f"{path}: no function {name}; litellm changed, update this script")


def proxy_sources() -> list[ast.AST]:
    return [ast.parse(p.read_text(encoding="utf-8")) for p in sorted(PROXY_DIR.rglob("*.py"))]


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


def callbacks_needing_packages() -> dict[str, str]:
    """Built-in callbacks the proxy cannot start with, because litellm[proxy] lacks a package.

    Each is set up as the proxy does at start-up; only a missing module counts (the
    others may fail later for want of credentials, which is not a start-up failure).
    Runs last: it changes litellm's global callback lists.
    """
    from litellm.proxy.common_utils.callback_utils import initialize_callbacks_on_proxy

    out = {}
    for callback in sorted(set(litellm._known_custom_logger_compatible_callbacks)):
        try:
            initialize_callbacks_on_proxy(value=[callback], premium_user=False,
                                          config_file_path=None, litellm_settings={})
        except ModuleNotFoundError as exc:
            out[callback] = exc.name or str(exc)
        except Exception:  # noqa: BLE001 - not a missing package
            continue
    return out


def callbacks_refusing() -> dict[str, dict]:
    """Built-in `callbacks:` names the proxy will not start with, set up as it does.

    {"error": the refusal's first line, "env": variables that, set, let it start}. Runs
    after callbacks_needing_packages, for the same reason (it changes litellm's lists).
    """
    from litellm.proxy.common_utils.callback_utils import initialize_callbacks_on_proxy

    names = set(litellm._known_custom_logger_compatible_callbacks)
    source = function_source(PROXY_DIR / "common_utils" / "callback_utils.py",
                             "initialize_callbacks_on_proxy")
    names |= compared_literals(source, "callback")

    def attempt(callback: str, env: dict) -> str | None:
        with environment(env):
            try:
                initialize_callbacks_on_proxy(value=[callback], premium_user=False,
                                              config_file_path=None, litellm_settings={})
                return None
            except RuntimeError as exc:
                if "event loop" in str(exc):
                    return None  # it needs the proxy's running loop, which a start-up has
                return f"{type(exc).__name__}: {exc}".split("\n")[0][:160]
            except Exception as exc:  # noqa: BLE001 - what would stop the proxy
                return f"{type(exc).__name__}: {exc}".split("\n")[0][:160]

    out = {}
    for callback in sorted(names):
        error = attempt(callback, {})
        if error is None:
            continue
        entry = {"error": error}
        names: set[str] = set()
        for _round in range(3):  # each refusal names the next variable it lacks
            found = set(re.findall(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9]\b", error or ""))
            if not found - names:
                break
            names |= found
            error = attempt(callback, {n: "http://127.0.0.1:9" for n in names})
            if error is None:
                entry["env"] = sorted(names)
                break
        out[callback] = entry
    return out


def caches_needing_packages() -> dict[str, str]:
    """Cache types the proxy cannot start with from litellm[proxy] alone, and what it says."""
    from litellm.caching.caching import Cache

    out = {}
    for kind in LiteLLMCacheType:
        try:
            Cache(type=kind.value)
        except ModuleNotFoundError as exc:
            named = re.search(r"`([^`]+)`", str(exc))  # "Please install litellm[caching]"
            out[kind.value] = exc.name or (named.group(1) if named else str(exc))
        except Exception:  # noqa: BLE001 - missing parameters, not a missing package
            continue
    return out


def caches_needing_params() -> dict[str, dict]:
    """Cache types litellm refuses to set up without a parameter: which, and what it says.

    Each type is set up as the proxy does (Cache(**cache_params)) with no parameters; a
    parameter the refusal names is required when giving it a value changes the refusal.
    """
    from litellm.caching.caching import Cache

    names = [p for p in inspect.signature(Cache.__init__).parameters
             if p not in ("self", "type", "kwargs")]
    out = {}
    for kind in LiteLLMCacheType:
        message = _cache_refusal(Cache, kind.value, {})
        if message is None:
            continue
        said = re.sub(r"[^a-z_]+", "_", message.lower())
        for name in names:
            # qdrant_collection_name is "collection_name", azure_account_url "Account URL"
            short = name.split("_", 1)[1] if "_" in name else name
            if (name in said or ("_" in short and short in said)) and \
                    _cache_refusal(Cache, kind.value, {name: _placeholder(name)}) != message:
                out.setdefault(kind.value, {"message": message, "params": []})
                out[kind.value]["params"].append(name)
    return out


def _cache_refusal(cache_class, kind: str, params: dict) -> str | None:
    try:
        cache_class(type=kind, **params)
    except ModuleNotFoundError:
        return None  # a missing package: caches_needing_packages
    except Exception as exc:  # noqa: BLE001 - what the proxy's start-up would stop on
        return str(exc)
    return None


def _placeholder(name: str):
    return 0.8 if "threshold" in name else "placeholder"


def deprecations() -> dict[str, str]:
    return {k: str(v["deprecation_date"]) for k, v in sorted(litellm.model_cost.items())
            if isinstance(v, dict) and v.get("deprecation_date")}


def extract() -> dict:
    server = PROXY_DIR / "proxy_server.py"
    sources = proxy_sources()
    load_config = function_source(server, "load_config")
    callbacks = function_source(PROXY_DIR / "common_utils" / "callback_utils.py",
                                "initialize_callbacks_on_proxy")
    providers = {str(p.value if hasattr(p, "value") else p) for p in litellm.provider_list}
    JSONProviderRegistry.load()
    json_providers = set(JSONProviderRegistry._providers)
    top = set(proxy_types.ConfigYAML.model_fields) | {"include"}
    for tree in [ast.parse(server.read_text(encoding="utf-8"))]:
        top |= literal_keys(tree, {"config"})
    general = set(proxy_types.ConfigGeneralSettings.model_fields)
    for tree in sources:
        general |= literal_keys(tree, {"general_settings", "_general_settings"})
    # litellm_settings keys the proxy does not handle are set as attributes of litellm: the
    # settings are its public data attributes (not its modules, classes or functions).
    public = {a for a in dir(litellm) if a.islower() and not a.startswith("_")
              and not (inspect.ismodule(v := getattr(litellm, a)) or callable(v))}
    settings = compared_literals(load_config, "key") | public
    settings |= literal_keys(load_config, {"litellm_settings"})
    router_args = set(litellm.Router.get_valid_args()) - {"model_list", "search_tools"}
    router_source = ast.get_source_segment(server.read_text(encoding="utf-8"), load_config) or ""
    misplaced = {k: "general_settings" for k in ("health_check_interval", "health_check_concurrency")
                 if f'"{k}"' in router_source}
    strategy = inspect.signature(litellm.Router.__init__).parameters["routing_strategy"]
    return {
        "litellm_version": _version(),
        "top_level_keys": sorted(top),
        "general_settings_keys": sorted(general),
        "litellm_settings_keys": sorted(settings),
        "router_settings_keys": sorted(router_args),
        "router_settings_raising": misplaced,
        "routing_strategies": literal_values(strategy.annotation),
        "cache_types": sorted(t.value for t in LiteLLMCacheType),
        "builtin_callbacks": sorted(set(litellm._known_custom_logger_compatible_callbacks)
                                    | compared_literals(callbacks, "callback")),
        "providers": sorted(providers | json_providers),
        "compatible_endpoints": compatible_endpoints(),
        "routing_rules": routing_rules(),
        "unprefixed_models": unprefixed_models(providers | json_providers),
        "model_modes": sorted({v["mode"] for v in litellm.model_cost.values()
                               if isinstance(v, dict) and isinstance(v.get("mode"), str)
                               and v["mode"].isidentifier()}),
        "model_info_tiers": literal_values(ModelInfo.model_fields["tier"].annotation),
        "numeric_litellm_params": numeric_fields(GenericLiteLLMParams, LiteLLM_Params),
        "deprecations": deprecations(),
        "caches_needing_packages": caches_needing_packages(),
        "caches_needing_params": caches_needing_params(),
        # With a database_url the proxy imports prisma, which litellm[proxy] does not install.
        "database_package_missing": importlib.util.find_spec("prisma") is None,
        "guardrail_vendors": guardrail_vendors(),
        "redis_client_args": redis_client_args(),
        "model_info_keys": model_info_keys(),
        "request_params": request_params(),
        "wrong_type_refuses": (refusals := recorded_refusals()),
        "lenient_params": refusals.pop("lenient_params"),
        "key_types": key_types(top, general, settings, router_args),
        "callbacks_needing_packages": callbacks_needing_packages(),
        "callbacks_refusing": callbacks_refusing(),
        "master_key_check": master_key_check(),
        "cli_validate_config": cli_validate_config(),
        **recorded_behaviour(),
    }


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


def _marked_value(case: dict):
    """The value on the case's changed line (`key: value`), loaded as the proxy loads it."""
    import yaml

    line = case["config"].splitlines()[case["line"] - 1] if case.get("line") else ""
    key, _, text = line.strip().partition(":")
    try:
        return key.strip(), yaml.safe_load(text.strip() or "null")
    except Exception:  # noqa: BLE001 - a value the loader cannot build (!!bool maybe)
        return key.strip(), _UNLOADABLE


_UNLOADABLE = object()
# YAML values that are not JSON: a release that validates a section as JSON values refuses
# them there whatever the key.
_NOT_JSON = frozenset({"a date", "bytes", "set", "datetime"})


_FALLBACK_KEYS = ("fallbacks", "context_window_fallbacks", "content_policy_fallbacks",
                  "default_fallbacks")


def recorded_behaviour() -> dict:
    """What this release's recorded runs show, as tables validate reads by shape and kind.

    "refused_kinds": {section: {key: [kinds of value that stopped the start-up]}} and
    "accepted_kinds" the same for values it started with (generator/shapes.value_kind);
    "fallback_shapes": {section: {key: {shape: "refuses" | "starts"}}};
    "entry_shapes": {about: "refuses" | "drops" | "serves"} for the model_list shape cases;
    "recorded": whether there are records of this release at all.
    """
    release = _version()
    if release not in oracle_records.recorded_releases():
        return {"recorded": False, "refused_kinds": {}, "accepted_kinds": {},
                "fallback_shapes": {}, "entry_shapes": {}, "section_refused_kinds": {},
                "recorded_flags": {}}
    refused: dict = {}
    accepted: dict = {}
    shapes: dict = {}
    entries: dict = {}
    sections: dict = {}  # kinds refused in a whole section (not JSON values)
    flags: dict = {}
    rows = oracle_records.release_rows(release)
    # Keys the start-up refuses whatever their value (a licence, a package): not a kind.
    blind = {(c["section"], c["key"]) for c in rows if c["kind"] in ("correct", "set")
             and c["record"]["started"] is False
             and _VALUE_BLIND.search(c["record"]["error"] or "")}
    for case in rows:
        record, section = case["record"], case["section"]
        if record["started"] is None or case.get("network"):
            continue
        if case["about"] == "cache: true, redis no host (REDIS_HOST set)":
            # Whether REDIS_HOST is read when cache_params is not empty.
            flags["redis_host_env_with_params"] = bool(record["started"])
        if section in ("general_settings", "litellm_settings", "router_settings",
                       "top_level") and case.get("line") and \
                case["kind"] not in ("typo", "misplaced"):
            key, value = _marked_value(case)
            if value is _UNLOADABLE:
                continue
            if case["kind"] == "yaml" and value_kind(value) in _NOT_JSON and \
                    record["started"] is False:
                sections.setdefault(section, set()).add(value_kind(value))
                continue
            if key in _FALLBACK_KEYS and case["kind"] in ("fallbacks", "fallbacks-release",
                                                          "value", "typed-value", "wrong-type"):
                table = shapes.setdefault(section, {}).setdefault(key, {})
                shape = fallback_shape(value)
                if record["started"] is False or table.get(shape) != "refuses":
                    table[shape] = "starts" if record["started"] else "refuses"
                continue
            if key != case["key"] or (section, key) in blind:
                continue
            kind = value_kind(value)
            target = accepted if record["started"] else refused
            target.setdefault(section, {}).setdefault(key, set()).add(kind)
        if section == "model_list" and case["kind"] == "shape":
            # Every shape case adds one entry (or item) to llama3 and gpt-4o.
            if record["started"] is False:
                entries[case["about"]] = "refuses"
            else:
                entries[case["about"]] = "serves" if len(record["served"]) > 2 else "drops"
    def table(found: dict) -> dict:
        return {s: {k: sorted(v) for k, v in sorted(keys.items())}
                for s, keys in sorted(found.items())}
    return {"recorded": True, "refused_kinds": table(refused), "accepted_kinds": table(accepted),
            "fallback_shapes": shapes, "entry_shapes": dict(sorted(entries.items())),
            "section_refused_kinds": {k: sorted(v) for k, v in sorted(sections.items())},
            "recorded_flags": flags}


def key_types(top: set[str], general: set[str], settings: set[str], router: set[str]) -> dict:
    """{section: {key: JSON Schema fragment}} for every key validate knows (extract_types.py)."""
    from litellm.caching.caching import Cache
    from litellm.proxy import proxy_server

    schema = extract_types.schema_of
    server = PROXY_DIR / "proxy_server.py"
    load_config = function_source(server, "load_config")
    namespace = vars(proxy_server)
    # top level: the ConfigYAML model, then what load_config hands each value to.
    declared = {k: f.annotation for k, f in proxy_types.ConfigYAML.model_fields.items()}
    handed = extract_types.handed_to(load_config, "config", namespace, proxy_server.ProxyConfig)
    for name in ("_init_non_llm_configs", "parse_search_tools", "load_credential_list"):
        handed |= extract_types.handed_to(function_source(server, name), "config", namespace,
                                          proxy_server.ProxyConfig)
    for name in ("load_config", "_init_non_llm_configs", "parse_search_tools",
                 "load_credential_list"):
        for key, kind in extract_types.local_usage(function_source(server, name), "config").items():
            handed.setdefault(key, kind)
    top_types = {k: schema(declared.get(k, handed.get(k, inspect.Parameter.empty)), 0, namespace)
                 for k in sorted(top)}
    # The sections themselves: their keys have tables of their own below.
    top_types.update({"include": {"type": "array", "items": {"type": "string"}},
                      "model_list": {"type": "array", "items": {"type": "object"}},
                      "general_settings": {"type": ["object", "null"]},
                      "litellm_settings": {"type": ["object", "null"]},
                      "router_settings": {"type": ["object", "null"]}})
    for name, fragment in top_types.items():
        if fragment == {} and name not in declared and name not in handed:
            top_types[name] = dict(extract_types._UNDECLARED)
    # general_settings: the model, then the literal defaults the source reads keys with.
    fields = proxy_types.ConfigGeneralSettings.model_fields
    defaults: dict = {}
    for tree in proxy_sources():
        for key, value in extract_types.get_defaults(tree, {"general_settings"}).items():
            defaults.setdefault(key, value)
    used: dict = {}
    for tree in proxy_sources():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for key, kind in extract_types.local_usage(node, "general_settings").items():
                    used.setdefault(key, kind)
    general_types = {k: schema(fields[k].annotation, 0, namespace) if k in fields
                     else schema(used[k]) if k in used
                     else extract_types.from_default(defaults.get(k)) for k in sorted(general)}
    # litellm_settings: what load_config does with the key, else litellm's own annotation.
    module_ns = vars(litellm)
    annotations = getattr(litellm, "__annotations__", {})
    branch = settings_branch_types(load_config, namespace)
    settings_types = {}
    for key in sorted(settings):
        if key in branch:
            settings_types[key] = branch[key]
        elif key in annotations:
            settings_types[key] = schema(annotations[key], 0, module_ns)
        else:
            settings_types[key] = extract_types.from_default(getattr(litellm, key, None))
    cache_params = {name: schema(p.annotation, 1, module_ns) for name, p in
                    inspect.signature(Cache.__init__).parameters.items()
                    if name not in ("self", "kwargs")}
    settings_types["cache_params"] = {"type": "object", "properties": cache_params,
                                      "description": "Cache(**cache_params); other keys go to "
                                      "the cache's client"}
    router_sig = inspect.signature(litellm.Router.__init__).parameters
    router_types = {k: schema(router_sig[k].annotation, 0, vars(inspect.getmodule(litellm.Router)))
                    if k in router_sig else dict(extract_types._UNDECLARED) for k in sorted(router)}
    params = {**GenericLiteLLMParams.model_fields, **LiteLLM_Params.model_fields}
    return {
        "top_level": top_types,
        "general_settings": general_types,
        "litellm_settings": settings_types,
        "router_settings": router_types,
        "litellm_params": {k: schema(f.annotation, 0, namespace) for k, f in sorted(params.items())},
        "model_info": {k: schema(f.annotation, 0, namespace)
                       for k, f in sorted(ModelInfo.model_fields.items())},
    }


@contextlib.contextmanager
def environment(env: dict):
    """os.environ with `env` set, put back after (a probe sets a vendor's variables)."""
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


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


def guardrail_vendors() -> dict[str, dict]:
    """Each `guardrail:` vendor, set up as the proxy does with only `guardrail` and `mode`.

    "ok": it is set up; "skipped": the proxy logs "invalid configuration" and starts without
    it (it needs more litellm_params); "refuses": the proxy does not start, and `env` names
    the variables whose absence the refusal names (set, the vendor is set up or skipped).
    """
    from litellm.proxy.guardrails.guardrail_registry import IN_MEMORY_GUARDRAIL_HANDLER
    from litellm.types.guardrails import SupportedGuardrailIntegrations

    router = litellm.Router(model_list=[])  # as the proxy passes its own

    def attempt(vendor: str, env: dict) -> tuple[str, str]:
        with environment(env):
            try:
                IN_MEMORY_GUARDRAIL_HANDLER.initialize_guardrail(
                    guardrail={"guardrail_name": f"probe-{vendor}",
                               "litellm_params": {"guardrail": vendor, "mode": "pre_call"}},
                    config_file_path=None, llm_router=router, source="config")
                return "ok", ""
            except (ValueError, TypeError):
                return "skipped", ""
            except Exception as exc:  # noqa: BLE001 - what would stop the proxy
                return "refuses", str(exc)

    out = {}
    for vendor in sorted(v.value for v in SupportedGuardrailIntegrations):
        state, message = attempt(vendor, {})
        entry: dict = {"alone": state}
        if state == "refuses":
            entry["error"] = message.split("\n")[0][:160]
        names: set[str] = set()
        for _round in range(3):  # a refusal names one variable; set, the next may be named
            if state != "refuses":
                break
            found = set(re.findall(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9]\b", message)) - names
            if not found:
                break
            names |= found
            state, message = attempt(vendor, {n: "http://127.0.0.1:9" for n in names})
            if state != "refuses":
                entry["env"] = sorted(names)
        out[vendor] = entry
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


_VALUE_BLIND = re.compile(r"Enterprise|premium|LITELLM_LICENSE|No module named|got multiple "
                          r"values for keyword argument|'dict' object has no attribute")


def recorded_refusals() -> dict[str, dict]:
    """Settings whose value stopped the start-up in the recorded runs of this release.

    From tests/oracle/generated/litellm-VERSION.jsonl (scripts/oracle.py generated): the
    release's own start-up code run on a right and a wrong value of every key.
    "wrong_type": keys that started with the right value and refused the wrong one;
    "when_set": keys that refused even a right value (enterprise features, settings that
    need a service), with the error the proxy gave. No file: no entries.
    """
    if _version() not in oracle_records.recorded_releases():
        return {"wrong_type": {}, "when_set": {}, "lenient_params": []}
    outcome: dict[tuple, dict] = {}
    lenient: set[str] = set()
    for case in oracle_records.release_rows(_version()):
        if case["section"] in ("general_settings", "litellm_settings", "router_settings",
                               "top_level") and case["kind"] in ("correct", "wrong-type",
                                                                 "bad-enum", "set",
                                                                 "typed-value"):
            kind = "correct" if case["kind"] in ("correct", "set") else "wrong-type"
            runs = outcome.setdefault((case["section"], case["key"]), {})
            if kind not in runs or case["record"]["started"] is False:
                runs[kind] = case["record"]
        if case["section"] in ("litellm_params", "model_info") and case["kind"] == "wrong-type" \
                and case["record"]["started"] and "llama3" in case["record"]["served"] \
                and "gpt-4o" in case["record"]["served"]:
            lenient.add(case["key"])
    wrong: dict[str, set] = {}
    when_set: dict[str, dict] = {}
    for (section, key), runs in sorted(outcome.items()):
        right, bad = runs.get("correct"), runs.get("wrong-type")
        if right is not None and right["started"] is False:
            error = (right["error"] or "").split("\n")[0][:160]
            # Only refusals whatever the value: a license, a package, a Router argument the
            # proxy sets itself, a mapping where litellm wants its own object.
            if _VALUE_BLIND.search(error):
                when_set.setdefault(section, {})[key] = error
        if bad is not None and bad["started"] is False and (
                right is None or right["started"] or _error_type(right) != _error_type(bad)):
            wrong.setdefault(section, set()).add(key)
    return {"wrong_type": {k: sorted(v) for k, v in wrong.items()}, "when_set": when_set,
            "lenient_params": sorted(lenient)}


def _error_type(record: dict) -> str:
    return (record.get("error") or "").split(":", 1)[0]


def settings_branch_types(load_config: ast.AST, namespace: dict) -> dict[str, dict]:
    """litellm_settings keys load_config handles itself: the type its branch needs.

    `if key == "k"` branches: `float(value)` needs a number, `for x in value` a list,
    `Model(**value)` the model's fields, `f(p=value)` f's annotation of p, `value is True` a
    boolean.
    """
    out: dict[str, dict] = {}
    for node in ast.walk(load_config):
        if not isinstance(node, ast.If):
            continue
        test = node.test
        tests = test.values if isinstance(test, ast.BoolOp) else [test]
        names = [t.comparators[0].value for t in tests if isinstance(t, ast.Compare)
                 and isinstance(t.left, ast.Name) and t.left.id == "key"
                 and isinstance(t.comparators[0], ast.Constant)]
        if len(names) != 1 or names[0] in out:
            continue
        booleans = [t for t in tests if isinstance(t, ast.Compare) and isinstance(t.left, ast.Name)
                    and t.left.id == "value" and isinstance(t.comparators[0], ast.Constant)
                    and isinstance(t.comparators[0].value, bool)]
        found = _branch_need(node.body, namespace)
        if found is None and booleans:
            found = {"type": "boolean"}
        if found is not None:
            out[names[0]] = found
    return out


def _branch_need(body: list[ast.stmt], namespace: dict) -> dict | None:
    namespace = dict(namespace)
    for statement in body:  # names the branch imports for itself
        for node in ast.walk(statement):
            if isinstance(node, ast.ImportFrom) and node.module:
                module = importlib.import_module(node.module)
                for alias in node.names:
                    if hasattr(module, alias.name):
                        namespace[alias.asname or alias.name] = getattr(module, alias.name)
    for statement in body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                arguments = node.args + [k.value for k in node.keywords]
                if node.func.id == "float" and _is_value(node.args):
                    return {"type": "number"}
                if node.func.id == "enumerate" and _is_value(node.args):
                    return {"type": "array"}
                if any(isinstance(k.value, ast.Name) and k.value.id == "value" and k.arg is None
                       for k in node.keywords):
                    model = namespace.get(node.func.id)
                    if model is not None:
                        return extract_types.schema_of(model, 0, namespace)
                callee = namespace.get(node.func.id)
                for keyword in node.keywords:
                    if isinstance(keyword.value, ast.Name) and keyword.value.id == "value" \
                            and keyword.arg and callee is not None:
                        by_name = {p.name: p for p in extract_types._parameters(callee) or []}
                        if keyword.arg not in by_name:
                            continue
                        fragment = extract_types.schema_of(by_name[keyword.arg].annotation, 0,
                                                           vars(inspect.getmodule(callee)))
                        if fragment and arguments:
                            return fragment
            if isinstance(node, (ast.For, ast.comprehension)) and isinstance(node.iter, ast.Name) \
                    and node.iter.id == "value":
                return {"type": "array"}
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id == "value" and node.attr in ("get", "items", "keys"):
                return {"type": "object"}
    return None


def _is_value(args: list[ast.expr]) -> bool:
    return len(args) == 1 and isinstance(args[0], ast.Name) and args[0].id == "value"


def _version() -> str:
    from importlib.metadata import version
    return version("litellm")


def main(argv: list[str]) -> int:
    out = argv[1] if len(argv) > 1 else str(ROOT / "generator" / "releases" / "rules.json")
    text = json.dumps(extract(), indent=1, sort_keys=True) + "\n"
    if out == "-":
        sys.stdout.write(text)
    else:
        Path(out).write_text(text, encoding="utf-8")
        print(f"wrote {out} from litellm {_version()}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
