"""Values of a key's declared type, right and wrong, and near misses of its name.

Read from the key's JSON Schema fragment (rules.json "key_types"): a value an operator
could mean, a value of a type the key cannot take, a typo of the key.
"""
from __future__ import annotations

import re

from case_families.config import TYPES


def kinds_of(schema: dict) -> list[str]:
    kind = schema.get("type")
    if kind is None and "anyOf" in schema:
        return sorted({k for o in schema["anyOf"] for k in kinds_of(o)})
    return [kind] if isinstance(kind, str) else list(kind or [])


def good_value(key: str, schema: dict):
    """A value of the key's declared type that an operator could mean."""
    enum = [v for v in schema.get("enum", []) if v is not None]
    if enum:
        return enum[0]
    kinds = [k for k in kinds_of(schema) if k != "null"]
    if not kinds:
        return None
    kind = kinds[0]
    lowered = key.lower()
    if kind == "boolean":
        return True
    if kind == "integer":
        return 6379 if "port" in lowered else 30 if "time" in lowered or "ttl" in lowered else 5
    if kind == "number":
        return 0.8 if "threshold" in lowered else 30.0 if "time" in lowered else 10.5
    if kind == "string":
        if "url" in lowered or "base" in lowered or "endpoint" in lowered:
            return "http://127.0.0.1:9/v1"
        return "example"
    if kind == "array":
        items = schema.get("items", {})
        inner = [v for v in items.get("enum", []) if v is not None]
        if inner:
            return [inner[0]]
        if kinds_of(items) in (["string"], ["string", "null"]):
            return ["example"]
        return []
    if kind == "object":
        return {}
    return None


def bad_value(key: str, schema: dict):
    """A value of a type the key cannot take (None when every YAML value would do)."""
    kinds = [k for k in kinds_of(schema) if k != "null"]
    if not kinds:
        return None
    if set(kinds) <= {"boolean"}:
        return "maybe"
    if set(kinds) <= {"integer", "number"}:
        return "ten"
    if set(kinds) <= {"integer", "number", "boolean"}:
        return "ten"
    if set(kinds) <= {"string"} and "enum" not in schema:
        return ["a", "b"]
    if set(kinds) <= {"array"}:
        items = schema.get("items", {})
        inner = [v for v in items.get("enum", []) if v is not None]
        return inner[0] if inner else "example"
    if set(kinds) <= {"object"}:
        return ["example"]
    if "string" not in kinds and "array" not in kinds:
        return "ten"
    return None


def typo(key: str, known) -> str | None:
    """A near miss: two letters swapped, else one letter dropped (not of two-letter keys)."""
    if len(key) < 3:
        return None
    for i in range(len(key) - 2, 0, -1):
        if key[i] != key[i + 1] and key[i].isalpha() and key[i + 1].isalpha():
            word = key[:i] + key[i + 1] + key[i] + key[i + 2:]
            if word not in known:
                return word
    for i in range(len(key) - 1, 0, -1):
        word = key[:i] + key[i + 1:]
        if word not in known and key[i].isalpha():
            return word
    return None


# litellm attributes a config can set but that are litellm's own machinery, not settings:
# setting them replaces what the library runs on (instances, price maps, provider lists).
MACHINERY = re.compile(r"(_models|_list|_instance|_completions?|_transformation|_handler|_api|"
                        r"_embedding|_rerank|_image_\w+|_llm|_emb|model_cost|_registry|"
                        r"^_|_client$|_session$|_cache$|^callbacks$|logging_callback_manager|"
                        r"_callback$|_callbacks$|provider_list|^cache$|^config_path$)")


def settings_keys() -> list[str]:
    keys = []
    for key, schema in TYPES["litellm_settings"].items():
        if MACHINERY.search(key) or not kinds_of(schema):
            continue
        keys.append(key)
    return keys
