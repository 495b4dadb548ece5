"""Reading the installed proxy's own source: the keys it reads, and its functions.

Imported by extract_rules.py inside a release's environment, after it told litellm to
use its packaged cost map. literal_keys and compared_literals find the keys a function
reads (`config.get("k")`, `if key == "k"`); read_keys gathers the keys of every section.
"""
from __future__ import annotations

import ast
import inspect
from dataclasses import dataclass
from pathlib import Path

import litellm
from litellm.llms.openai_like.json_loader import JSONProviderRegistry
from litellm.proxy import _types as proxy_types

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



def litellm_version() -> str:
    from importlib.metadata import version
    return version("litellm")


@dataclass
class ProxyKeys:
    """The keys of each section the proxy reads, and what else extract() needs of its source."""

    top: set[str]
    general: set[str]
    settings: set[str]
    router: set[str]
    misplaced: dict[str, str]  # router_settings keys load_config raises on: general_settings'
    providers: set[str]  # litellm's provider list and the JSON-configured providers
    callbacks: ast.AST  # initialize_callbacks_on_proxy, whose branches name callbacks
    strategy: inspect.Parameter  # Router's routing_strategy


def read_keys() -> ProxyKeys:
    """The keys of the top level and each settings section, from the models and the source."""
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
    misplaced = {k: "general_settings" for k in ("health_check_interval",
                                                 "health_check_concurrency")
                 if f'"{k}"' in router_source}
    strategy = inspect.signature(litellm.Router.__init__).parameters["routing_strategy"]
    return ProxyKeys(top, general, settings, router_args, misplaced, providers | json_providers,
                     callbacks, strategy)
