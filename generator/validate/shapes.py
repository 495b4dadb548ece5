"""The shape of a value, in the words the recorded runs are tabulated by.

scripts/extract_rules.py sorts each release's recorded runs by these (which kinds of
value a setting refused, which shapes of fallbacks it started with); validate looks a
config's value up by the same words. Pure, and importable inside a release's environment.
"""
from __future__ import annotations

from generator.validate.lax import kind_of


def value_kind(value) -> str:
    """"a word", "a number", "true or false", "a list"... (lax.kind_of)."""
    return kind_of(value)


def fallback_shape(value) -> str:
    """How a fallbacks value is written: "lists" is the form every release reads."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "a mapping to a string" if any(isinstance(v, str) for v in value.values()) \
            else "a mapping"
    if not isinstance(value, list):
        return "other"
    if not value:
        return "empty"
    if all(isinstance(item, str) for item in value):
        return "strings"
    if any(isinstance(item, list) for item in value):
        return "nested lists"
    if not all(isinstance(item, dict) for item in value):
        return "mixed items"
    if any(len(item) != 1 for item in value):
        return "several keys in an item"
    for item in value:
        for target in item.values():
            shape = _target_shape(target)
            if shape != "lists":
                return shape
    return "lists"


def _target_shape(target) -> str:
    if isinstance(target, list):
        if not target:
            return "an empty target list"
        if all(isinstance(t, str) for t in target):
            return "lists"
        return "a target list of mappings" if all(isinstance(t, dict) for t in target) \
            else "a target list of non-strings"
    if isinstance(target, str):
        return "a string target"
    if target is None:
        return "a null target"
    if isinstance(target, dict):
        return "a mapping target"
    return "a number target"
