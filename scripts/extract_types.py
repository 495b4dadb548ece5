"""The TYPE of every key the pinned proxy reads, as JSON Schema fragments (rules.json "key_types").

Imported by extract_rules.py inside .venv-proxy. Each section's types come from where
litellm declares them:

- top_level: the proxy's ConfigYAML model, then, for keys load_config reads that the model
  lacks, the annotation of the parameter the value is handed to (`f(x=config.get("k"))`);
- general_settings: ConfigGeneralSettings, then the default of `general_settings.get(k, d)`;
- litellm_settings: litellm's module annotations and defaults, then what load_config does
  with the key (`float(value)`, `TeamDefaultSettings(**item)`, Cache(**cache_params), ...);
- router_settings: Router.__init__'s signature;
- litellm_params: LiteLLM_Params (with GenericLiteLLMParams);
- model_info: the proxy's ModelInfo model (extra keys allowed).

A key whose type litellm does not declare anywhere gets `{}` (any value) with a
description saying so. Fragments are kept shallow: nested models get their properties one
level down, deeper ones are plain objects.
"""
from __future__ import annotations

import ast
import enum
import inspect
import textwrap
import types
import typing

import pydantic

_SCALARS = {bool: "boolean", int: "integer", float: "number", str: "string",
            type(None): "null", bytes: "string"}
_UNDECLARED = {"description": "read by the proxy; litellm declares no type"}
# A Python object no YAML value can be (httpx.Timeout, a callable): dropped from a union.
_OBJECT = {"description": "a Python object, not a YAML value"}


def schema_of(annotation, depth: int = 0, namespace: dict | None = None) -> dict:
    """A compact JSON Schema fragment for a Python annotation."""
    if isinstance(annotation, str):
        try:
            annotation = eval(annotation, dict(namespace or {}, typing=typing))  # noqa: S307
        except Exception:  # noqa: BLE001 - a forward reference litellm cannot resolve
            return dict(_UNDECLARED)
    if isinstance(annotation, typing.ForwardRef):
        return dict(_UNDECLARED)
    if annotation in (typing.Any, object, inspect.Parameter.empty):
        return {}
    if annotation in _SCALARS:
        return {"type": _SCALARS[annotation]}
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return schema_of(args[0], depth, namespace)
    if origin is typing.Literal:
        values = [a.value if isinstance(a, enum.Enum) else a for a in args]
        kinds = sorted({_SCALARS.get(type(v), "string") for v in values},
                       key=lambda k: (k == "null", k))
        return {"type": kinds[0] if len(kinds) == 1 else kinds, "enum": values}
    if origin in (typing.Union, types.UnionType):
        return _union([schema_of(a, depth, namespace) for a in args])
    if origin in (list, set, frozenset, tuple, typing.Sequence) or annotation in (list, set,
                                                                                  tuple):
        return _array(args, depth, namespace)
    if origin in (dict, typing.Mapping) or annotation is dict:
        return _mapping(args, depth, namespace)
    if origin is type or annotation is type:
        return dict(_UNDECLARED)
    if isinstance(annotation, type):
        found = _class_schema(annotation, depth, namespace)
        if found is not None:
            return found
    # Callable[...], classes of litellm's own objects: nothing a YAML value can be.
    return dict(_OBJECT)


def _array(args: tuple, depth: int, namespace: dict | None) -> dict:
    """A list, set or tuple: its items' schema when it has one item type (three levels deep)."""
    item_args = [a for a in args if a is not Ellipsis]
    out = {"type": "array"}
    if len(item_args) == 1 and depth < 3:
        items = schema_of(item_args[0], depth + 1, namespace)
        if items:
            out["items"] = items
    return out


def _mapping(args: tuple, depth: int, namespace: dict | None) -> dict:
    """A dict or Mapping: its values' schema when they are typed (three levels deep)."""
    out = {"type": "object"}
    if len(args) == 2 and depth < 3:
        values = schema_of(args[1], depth + 1, namespace)
        if values:
            out["additionalProperties"] = values
    return out


def _class_schema(annotation: type, depth: int, namespace: dict | None) -> dict | None:
    """An Enum, a pydantic model, a TypedDict or a subclass of a builtin; None for others."""
    if issubclass(annotation, enum.Enum):
        values = [m.value for m in annotation]
        kinds = sorted({_SCALARS.get(type(v), "string") for v in values})
        return {"type": kinds[0] if len(kinds) == 1 else kinds, "enum": values}
    if issubclass(annotation, pydantic.BaseModel):
        return _object(annotation.model_fields.items(), depth, namespace,
                       extra=annotation.model_config.get("extra") != "forbid",
                       field_annotation=lambda f: f.annotation)
    if _is_typed_dict(annotation):
        hints = _hints(annotation)
        return _object(hints.items(), depth, namespace, extra=False,
                       field_annotation=lambda f: f)
    for base, kind in ((list, "array"), (tuple, "array"), (set, "array"), (dict, "object"),
                       (str, "string"), (bool, "boolean"), (int, "integer"), (float, "number")):
        if issubclass(annotation, base):
            return {"type": kind}
    return None


def _is_typed_dict(cls) -> bool:
    return isinstance(cls, type) and issubclass(cls, dict) and hasattr(cls, "__annotations__") \
        and hasattr(cls, "__total__")


def _hints(cls) -> dict:
    try:
        return typing.get_type_hints(cls)
    except Exception:  # noqa: BLE001 - unresolved forward references
        return dict(getattr(cls, "__annotations__", {}))


def _object(fields, depth, namespace, *, extra: bool, field_annotation) -> dict:
    out: dict = {"type": "object"}
    if depth < 1:
        out["properties"] = {name: schema_of(field_annotation(f), depth + 1, namespace)
                             for name, f in fields}
        if not extra:
            out["additionalProperties"] = False
    return out


def _union(options: list[dict]) -> dict:
    values = [o for o in options if o != _OBJECT]
    options = values or [dict(_UNDECLARED)]
    if any(o == {} or o.get("description") == _UNDECLARED["description"] for o in options):
        return {}
    plain = [o for o in options if set(o) == {"type"} and isinstance(o["type"], str)]
    if len(plain) == len(options):
        kinds = sorted({o["type"] for o in plain}, key=lambda k: (k == "null", k))
        if "integer" in kinds and "number" in kinds:
            kinds.remove("integer")
        return {"type": kinds[0] if len(kinds) == 1 else kinds}
    unique = []
    for option in options:
        if option not in unique:
            unique.append(option)
    if len(unique) == 2 and {"type": "null"} in unique:
        other = next(o for o in unique if o != {"type": "null"})
        kind = other.get("type")
        if isinstance(kind, str):
            return {**other, "type": [kind, "null"]} if "enum" not in other else \
                {**other, "type": [kind, "null"], "enum": other["enum"] + [None]}
    return {"anyOf": unique}


def from_default(value) -> dict:
    """The type a key's default value has (for keys litellm reads without declaring a type)."""
    if value is None:
        return dict(_UNDECLARED)
    for python, name in _SCALARS.items():
        if type(value) is python:
            return {"type": name}
    if isinstance(value, (list, tuple, set)):
        return {"type": "array"}
    if isinstance(value, dict):
        return {"type": "object"}
    return dict(_UNDECLARED)


def get_defaults(tree: ast.AST, receivers: set[str]) -> dict[str, object]:
    """`R.get("k", <literal>)` in the source: the literal default of each key."""
    out: dict[str, object] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == "get" and isinstance(node.func.value, ast.Name) \
                and node.func.value.id in receivers and len(node.args) == 2 \
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            try:
                default = ast.literal_eval(node.args[1])
            except ValueError:
                continue
            if default is not None:
                out.setdefault(node.args[0].value, default)
    return out


def handed_to(function: ast.AST, receiver: str, namespace: dict,
              owner: type | None = None) -> dict[str, object]:
    """Keys read as `v = receiver.get("k")` and passed on as `f(p=v)`: f's annotation of p."""
    variables: dict[str, str] = {}
    for node in ast.walk(function):
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            value = node.value
            if isinstance(target, ast.Name) and isinstance(value, ast.Call) \
                    and isinstance(value.func, ast.Attribute) and value.func.attr == "get" \
                    and isinstance(value.func.value, ast.Name) and value.func.value.id == receiver \
                    and value.args and isinstance(value.args[0], ast.Constant):
                variables[target.id] = value.args[0].value
    out: dict[str, object] = {}
    for node in ast.walk(function):
        if not isinstance(node, ast.Call):
            continue
        callee = _resolve(node.func, namespace, owner)
        if callee is None:
            continue
        parameters = _parameters(callee)
        if parameters is None:
            continue
        bound = [(p, a) for p, a in zip(parameters, node.args)]
        by_name = {p.name: p for p in parameters}
        bound += [(by_name[k.arg], k.value) for k in node.keywords if k.arg in by_name]
        for parameter, argument in bound:
            if not (isinstance(argument, ast.Name) and argument.id in variables):
                continue
            if parameter.annotation is not inspect.Parameter.empty:
                out.setdefault(variables[argument.id], parameter.annotation)
            else:  # undeclared: how the callee uses it says list or mapping
                used = usage_type(callee, parameter.name)
                if used is not None:
                    out.setdefault(variables[argument.id], used)
    return out


def usage_type(function, name: str):
    """`for x in name` -> list; `name.get(...)`, `name.items()`, `name["k"]` -> dict."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, (ast.For, ast.comprehension)) and isinstance(node.iter, ast.Name) \
                and node.iter.id == name:
            return list
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id == name and node.attr in ("get", "items", "keys", "values"):
            return dict
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) \
                and node.value.id == name and isinstance(node.slice, ast.Constant) \
                and isinstance(node.slice.value, str):
            return dict
    return None


def _parameters(callee) -> list[inspect.Parameter] | None:
    """The callee's parameters, string annotations resolved in its own module."""
    for eval_str in (True, False):
        try:
            return list(inspect.signature(callee, eval_str=eval_str).parameters.values())
        except (TypeError, ValueError, NameError, AttributeError, SyntaxError):
            continue
    return None


def _resolve(func: ast.AST, namespace: dict, owner: type | None):
    if isinstance(func, ast.Name):
        return namespace.get(func.id)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        if func.value.id == "self" and owner is not None:
            return getattr(owner, func.attr, None)
        holder = namespace.get(func.value.id)
        return getattr(holder, func.attr, None) if holder is not None else None
    return None


def local_usage(function: ast.AST, receiver: str) -> dict[str, object]:
    """`v = receiver.get("k")` then, in the same function, what v is used as.

    `float(v)` / `int(v)` -> float; `for x in v` -> list; `v.items()` / `v.get(...)` /
    `Model(**v)` -> dict.
    """
    variables: dict[str, str] = {}
    for node in ast.walk(function):
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            value = node.value
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) \
                    and value.func.id in ("float", "int") and value.args:
                value = value.args[0]
                if _reads(value, receiver) and isinstance(target, ast.Name):
                    out_key = value.args[0].value
                    variables.setdefault("__float__" + out_key, out_key)
                continue
            if isinstance(target, ast.Name) and _reads(value, receiver):
                variables[target.id] = value.args[0].value
    out: dict[str, object] = {k[len("__float__"):]: float for k in variables
                              if k.startswith("__float__")}
    for node in ast.walk(function):
        name = None
        kind = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in ("float", "int") and node.args \
                and isinstance(node.args[0], ast.Name):
            name, kind = node.args[0].id, float
        elif isinstance(node, (ast.For, ast.comprehension)) and isinstance(node.iter, ast.Name):
            name, kind = node.iter.id, list
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.attr in ("items", "get", "keys"):
            name, kind = node.value.id, dict
        elif isinstance(node, ast.keyword) and node.arg is None \
                and isinstance(node.value, ast.Name):
            name, kind = node.value.id, dict
        if name in variables and variables[name] not in out:
            out[variables[name]] = kind
    return out


def _reads(value, receiver: str) -> bool:
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
        and value.func.attr == "get" and isinstance(value.func.value, ast.Name) \
        and value.func.value.id == receiver and bool(value.args) \
        and isinstance(value.args[0], ast.Constant) and isinstance(value.args[0].value, str)
