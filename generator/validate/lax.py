"""Does a loaded YAML value fit a key's declared type, as litellm reads it?

litellm validates litellm_params and model_info with pydantic in lax mode (a deployment
whose value does not fit is dropped), and reads the settings sections with plain Python
(`float(value)`, `value.items()`...). The types are JSON Schema fragments extracted from
the release (rules.json "key_types"); this says whether a value fits one, with pydantic's
lax conversions: "12" is a number, 1 is true, "yes" is a boolean, 2.0 an integer.
Pure: data in, a yes or no and a phrase out.
"""
from __future__ import annotations

import datetime as _dt
import math

_TRUE_WORDS = frozenset({"0", "off", "f", "false", "n", "no", "1", "on", "t", "true", "y",
                         "yes"})


def fits(value, schema: dict) -> bool:
    """True when pydantic's lax mode (or the proxy's own reading) accepts `value`."""
    if not schema:
        return True
    if "enum" in schema and value not in schema["enum"]:
        return value is None and _allows_null(schema)
    if "anyOf" in schema:
        return any(fits(value, option) for option in schema["anyOf"])
    kinds = schema.get("type")
    if kinds is None:
        return True
    kinds = [kinds] if isinstance(kinds, str) else kinds
    return any(_fits_kind(value, kind, schema) for kind in kinds)


def _allows_null(schema: dict) -> bool:
    kinds = schema.get("type")
    return kinds == "null" or isinstance(kinds, list) and "null" in kinds


def _fits_kind(value, kind: str, schema: dict) -> bool:
    if kind == "null":
        return value is None
    if kind == "boolean":
        if isinstance(value, bool):
            return True
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value in (0, 1)
        return isinstance(value, str) and value.strip().lower() in _TRUE_WORDS
    if kind == "integer" and isinstance(value, str):
        try:
            int(value.strip())
            return True
        except ValueError:
            return False
    if kind in ("integer", "number"):
        number = _as_number(value)
        if number is None:
            return False
        return kind == "number" or (math.isfinite(number) and float(number).is_integer())
    if kind == "string":
        return isinstance(value, str)
    if kind == "array":
        if not isinstance(value, (list, tuple, set, frozenset)):
            return False
        items = schema.get("items")
        return not items or all(fits(item, items) for item in value)
    if kind == "object":
        if not isinstance(value, dict):
            return False
        extra = schema.get("additionalProperties")
        properties = schema.get("properties", {})
        for key, item in value.items():
            if key in properties:
                if not fits(item, properties[key]):
                    return False
            elif isinstance(extra, dict) and not fits(item, extra):
                return False
        return True
    return True


def _as_number(value) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def describe(schema: dict) -> str:
    """The declared type in words: "a number", "a list or null"..."""
    if "enum" in schema:
        shown = [v for v in schema["enum"] if v is not None][:8]
        return "one of " + ", ".join(map(str, shown)) + (", ..." if len(schema["enum"]) > 8
                                                           else "")
    if "anyOf" in schema:
        return " or ".join(describe(o) for o in schema["anyOf"])
    kinds = schema.get("type") or []
    kinds = [kinds] if isinstance(kinds, str) else kinds
    words = {"boolean": "true or false", "integer": "a whole number", "number": "a number",
             "string": "a string", "array": "a list", "object": "a mapping", "null": "empty"}
    return " or ".join(words.get(k, k) for k in kinds if k != "null") or "empty"


def kind_of(value) -> str:
    """What a loaded value is, in the words describe() uses (never the value itself)."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a number in a string" if _as_number(value) is not None else "a word"
    if isinstance(value, (_dt.date, _dt.datetime)):
        return "a date"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple, set, frozenset)):
        return "a list"
    return type(value).__name__
