"""Masking of secret-looking values in anything the tool prints.

Configs often hold a literal `master_key` or `api_key`. Diffs (context lines
included), listings and messages pass through `mask_line` before they reach a
terminal or a CI log. `os.environ/NAME` references are not secrets and stay.
"""
from __future__ import annotations

import re

MASK = "***"
_SECRET_KEY = re.compile(
    r"(?i)^(?:key|api_?key|master_?key|secret|password|passwd|pass|token|auth|authorization|"
    r"credentials?|private_key|.*(?:_key|_secret|_password|_passwd|_token|_credentials?))$")
# `key: value  # comment` inside a block mapping or a list item.
_KEY_VALUE = re.compile(
    r"""^(?P<pre>[ \t]*(?:-[ \t]+)?(?P<q>["']?)(?P<key>[^\s:"'#][^:"'#]*?)(?P=q)[ \t]*:[ \t]+)"""
    r"""(?P<value>[^#\r\n]*?)(?P<post>[ \t]*(?:#.*)?[\r\n]*)$""")
_FLOW_PAIR = re.compile(
    r"""(?P<pre>(?P<q>["']?)(?P<key>[A-Za-z_][\w-]*)(?P=q)\s*:\s*)(?P<value>"[^"]*"|'[^']*'|[^,{}\[\]\s]+)""")
_TOKEN = re.compile(r"\b(?:sk|rk|pk)-[A-Za-z0-9_\-]{3,}")
_BEARER = re.compile(r"(?i)(bearer\s+)[^\s\"']+")
_URL_PASSWORD = re.compile(r"(://[^/\s:@]*:)[^@\s/]+@")


def is_secret_key(key: str) -> bool:
    return bool(_SECRET_KEY.match(key.strip()))


def _is_reference(value: str) -> bool:
    v = value.strip().strip("\"'")
    return v.startswith("os.environ/") or v == "" or v.lower() in ("null", "~", "none")


def mask_line(line: str) -> str:
    line = _BEARER.sub(lambda m: m.group(1) + MASK, line)
    m = _KEY_VALUE.match(line)
    if m and is_secret_key(m.group("key")) and m.group("value") and not _is_reference(
            m.group("value")) and not m.group("value").lstrip().startswith(("|", ">", "{", "[")):
        line = m.group("pre") + MASK + m.group("post")
    else:
        line = _FLOW_PAIR.sub(_mask_pair, line)
    line = _TOKEN.sub(MASK, line)
    return _URL_PASSWORD.sub(lambda m: m.group(1) + MASK + "@", line)


def _mask_pair(m: re.Match) -> str:
    value = m.group("value")
    if value == MASK or value.lower() == "bearer":
        return m.group(0)
    if is_secret_key(m.group("key")) and not _is_reference(value):
        return m.group("pre") + MASK
    return m.group(0)
