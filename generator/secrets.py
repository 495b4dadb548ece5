"""The one masking policy for everything the tool prints.

Configs often hold a literal `master_key`, an `api_key`, an Azure `api-key:` header
or a password in a URL. Every output path (diffs with their context lines, reports,
`list`, `verify`, JSON, error messages, `render`) passes text through `mask_text`
or values through `mask_value` before it reaches a terminal or a CI log.
`os.environ/NAME` references are not secrets and stay.

A key names a secret when, split into words (snake_case, kebab-case, camelCase),
its last word is key/token/secret/password/... or any word is secret/password/...;
its value is masked unless it is a reference, a number, a boolean or empty.
"""
from __future__ import annotations

import re

MASK = "***"
_LAST_WORDS = frozenset({"key", "token", "secret", "password", "passwd", "pass", "pwd",
                         "passphrase", "auth", "authorization", "credential", "credentials",
                         "apikey", "cookie", "sas", "signature"})
_ANY_WORDS = frozenset({"secret", "password", "passwd", "passphrase", "credential",
                        "credentials", "apikey", "privatekey"})
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
# `key: value  # comment` inside a block mapping or a list item.
_KEY_VALUE = re.compile(
    r"""^(?P<pre>[ \t]*(?:-[ \t]+)*(?P<q>["']?)(?P<key>[^\s:"'#][^:"'#]*?)(?P=q)[ \t]*:[ \t]+)"""
    r"""(?P<value>[^#\r\n]*?)(?P<post>[ \t]*(?:#.*)?[\r\n]*)$""")
_FLOW_PAIR = re.compile(
    r"""(?P<pre>(?P<q>["']?)(?P<key>[A-Za-z_][\w-]*)(?P=q)\s*:\s*)"""
    r"""(?P<value>"[^"]*"|'[^']*'|[^,{}\[\]\s]+)""")
_TOKEN = re.compile(r"\b(?:sk|rk|pk)-[A-Za-z0-9_\-]{3,}")
_BEARER = re.compile(r"(?i)(bearer\s+)[^\s\"']+")
_URL_PASSWORD = re.compile(r"(://[^/\s:@]*:)[^@\s/]+@")
_NOT_SECRET = re.compile(r"(?i)[-+]?(\d[\d_]*\.?\d*(e[-+]?\d+)?|\.\d+(e[-+]?\d+)?|true|false|yes|no|"
                         r"on|off|null|none|~|)")


def key_words(key: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(key)]


def is_secret_key(key: str) -> bool:
    words = key_words(key.strip().strip("\"'"))
    return bool(words) and (words[-1] in _LAST_WORDS or any(w in _ANY_WORDS for w in words)
                            or "".join(words[-2:]) in _LAST_WORDS)


def is_reference(value: str) -> bool:
    """`os.environ/NAME`, empty, null, a number or a boolean: nothing to hide."""
    v = value.strip().strip("\"'").strip()
    return v.startswith("os.environ/") or _NOT_SECRET.fullmatch(v) is not None


def mask_value(value: str) -> str:
    """A single value (a URL, a tag, a model name) with embedded credentials masked."""
    value = _BEARER.sub(lambda m: m.group(1) + MASK, value)
    value = _TOKEN.sub(MASK, value)
    return _URL_PASSWORD.sub(lambda m: m.group(1) + MASK + "@", value)


def mask_line(line: str) -> str:
    """One line on its own: `secret_key: value`, flow pairs and embedded credentials."""
    return _mask_line(line)[0]


def _mask_line(line: str) -> tuple[str, str | None]:
    """The masked line, and how a secret value opened here goes on (block, quote) or None."""
    m = _KEY_VALUE.match(line)
    opened = None
    if m and is_secret_key(m.group("key")) and m.group("value"):
        value = m.group("value")
        if value.lstrip().startswith(("|", ">")):
            return line, "block"
        if value[:1] in "\"'" and not _closes(value[1:], value[0]):
            return m.group("pre") + MASK + m.group("post"), value[0]
        if not is_reference(value) and not value.startswith(("{", "[", "&", "*")):
            line = m.group("pre") + MASK + m.group("post")
    elif m and is_secret_key(m.group("key")) and not m.group("value"):
        opened = "below"  # `api_key:` with the value on the next lines
    line = _FLOW_PAIR.sub(_mask_pair, line)
    return mask_value(line), opened


def _closes(rest: str, quote: str) -> bool:
    if quote == "'":
        return rest.replace("''", "").find("'") >= 0
    i = 0
    while i < len(rest):
        if rest[i] == "\\":
            i += 2
            continue
        if rest[i] == '"':
            return True
        i += 1
    return False


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def mask_lines(lines: list[str]) -> list[str]:
    """Lines of one text, masked; a secret written as a block or multi-line scalar too."""
    out = []
    state: tuple[str, int] | None = None  # (how the value goes on, the key's indentation)
    for line in lines:
        if state is not None:
            how, indent = state
            body = line.rstrip("\r\n")
            if how == "block" or how == "below":
                if not body.strip() or _indent(body) > indent:
                    if how == "below" and body.strip().startswith(("|", ">")):
                        state = ("block", indent)
                        out.append(line)
                        continue
                    out.append(_masked_whole(line) if body.strip() else line)
                    continue
                state = None
            else:  # inside a quoted scalar: until the closing quote
                out.append(_masked_whole(line))
                if _closes(body, how):
                    state = None
                continue
        masked, opened = _mask_line(line)
        if opened is not None:
            state = (opened, _KEY_VALUE.match(line).start("key"))
        out.append(masked)
    return out


def _masked_whole(line: str) -> str:
    body = line.rstrip("\r\n")
    indent = body[:_indent(body)]
    return indent + MASK + line[len(body):]


def mask_text(text: str) -> str:
    """A whole text (a config, a message) with every secret masked; line count kept."""
    return "".join(mask_lines(text.splitlines(keepends=True)))


def _mask_pair(m: re.Match) -> str:
    value = m.group("value")
    if value == MASK or value.lower() == "bearer":
        return m.group(0)
    if is_secret_key(m.group("key")) and not is_reference(value):
        return m.group("pre") + MASK
    return m.group(0)
