"""The type of every key the proxy reads, per section (rules.json "key_types").

Where litellm declares each section's types is in extract_types.py's docstring; this
gathers them: the models, the parameters values are handed to, load_config's branches.
Imported by extract_rules.py.
"""
from __future__ import annotations

import ast
import importlib
import inspect

import extract_types
import litellm
from extract_source import PROXY_DIR, function_source, proxy_sources
from litellm.proxy import _types as proxy_types
from litellm.types.router import GenericLiteLLMParams, LiteLLM_Params, ModelInfo


def key_types(top: set[str], general: set[str], settings: set[str], router: set[str]) -> dict:
    """{section: {key: JSON Schema fragment}} for every key validate knows (extract_types.py)."""
    from litellm.caching.caching import Cache
    from litellm.proxy import proxy_server

    schema = extract_types.schema_of
    load_config = function_source(PROXY_DIR / "proxy_server.py", "load_config")
    namespace = vars(proxy_server)
    params = {**GenericLiteLLMParams.model_fields, **LiteLLM_Params.model_fields}
    return {
        "top_level": _top_level_types(top, load_config, proxy_server),
        "general_settings": _general_types(general, namespace),
        "litellm_settings": _settings_types(settings, load_config, namespace, Cache),
        "router_settings": _router_types(router),
        "litellm_params": {k: schema(f.annotation, 0, namespace)
                           for k, f in sorted(params.items())},
        "model_info": {k: schema(f.annotation, 0, namespace)
                       for k, f in sorted(ModelInfo.model_fields.items())},
    }


def _top_level_types(top: set[str], load_config: ast.AST, proxy_server) -> dict:
    """The ConfigYAML model, then what load_config (and its helpers) hands each value to."""
    schema = extract_types.schema_of
    server = PROXY_DIR / "proxy_server.py"
    namespace = vars(proxy_server)
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
    return top_types


def _general_types(general: set[str], namespace: dict) -> dict:
    """The ConfigGeneralSettings model, then how the source uses the key, then its default."""
    schema = extract_types.schema_of
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
    return {k: schema(fields[k].annotation, 0, namespace) if k in fields
            else schema(used[k]) if k in used
            else extract_types.from_default(defaults.get(k)) for k in sorted(general)}


def _settings_types(settings: set[str], load_config: ast.AST, namespace: dict, cache) -> dict:
    """What load_config does with the key, else litellm's own annotation, else its default."""
    schema = extract_types.schema_of
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
                    inspect.signature(cache.__init__).parameters.items()
                    if name not in ("self", "kwargs")}
    settings_types["cache_params"] = {"type": "object", "properties": cache_params,
                                      "description": "Cache(**cache_params); other keys go to "
                                      "the cache's client"}
    return settings_types


def _router_types(router: set[str]) -> dict:
    """Router.__init__'s annotation of each key."""
    router_sig = inspect.signature(litellm.Router.__init__).parameters
    return {k: extract_types.schema_of(router_sig[k].annotation, 0,
                                       vars(inspect.getmodule(litellm.Router)))
            if k in router_sig else dict(extract_types._UNDECLARED) for k in sorted(router)}


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

