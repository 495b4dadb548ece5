"""Extract validate's rules from the pinned litellm: `make rules` runs this in .venv-proxy.

litellm is 680 MB and takes seconds to import, so it is never a runtime dependency:
this script reads what `litellm-gen validate` needs out of the installed litellm
(its provider list, cost map, Router signature, settings fields, and the keys the
proxy's own source reads) and writes `generator/rules.json`. tests/test_rules.py
runs it again against .venv-proxy and fails when the shipped file differs, so
moving to a newer proxy means rerunning `make rules` and reviewing the diff.

Usage: .venv-proxy/bin/python scripts/extract_rules.py [OUT]   (OUT "-" writes stdout)
"""
from __future__ import annotations

import ast
import importlib.util
import inspect
import json
import re
import os
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

PROXY_DIR = Path(litellm.__file__).parent / "proxy"
ROOT = Path(__file__).resolve().parent.parent


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
        "compatible_endpoints": sorted(litellm.openai_compatible_endpoints),
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
        "callbacks_needing_packages": callbacks_needing_packages(),
    }


def _version() -> str:
    from importlib.metadata import version
    return version("litellm")


def main(argv: list[str]) -> int:
    out = argv[1] if len(argv) > 1 else str(ROOT / "generator" / "rules.json")
    text = json.dumps(extract(), indent=1, sort_keys=True) + "\n"
    if out == "-":
        sys.stdout.write(text)
    else:
        Path(out).write_text(text, encoding="utf-8")
        print(f"wrote {out} from litellm {_version()}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
