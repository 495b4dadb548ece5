"""The one masking policy for everything the tool prints.

Configs often hold a literal `master_key`, an `api_key`, an Azure `api-key:` header
or a password in a URL. Every output path passes what it shows through this module
before it reaches a terminal or a CI log: a config's text (diffs and their context
lines, JSON diffs) through `mask_config_text`, which finds secrets as the proxy's
loader reads the keys; messages and single lines through `mask_text`; single values
(a model name, a URL, a tag) through `mask_value`.

One decision, `is_secret_key` and `is_reference`: a key names a secret when, split into
words (snake_case, kebab-case, camelCase, plural), its last word is key/token/secret/
password/... or any word is secret/password/..., unless it only names one (`*_name`,
`*_env`, `*_path`); its value is a secret unless it is a reference (`os.environ/NAME`),
empty, a number, a price, a boolean, a file path or a Python module path. Everything
under a secret key is secret (`api_keys: [...]`), however the key is spelled in the
text (quoted, escaped, `? key` on its own line) and wherever the value is written
(after an anchor, through an alias, over several lines).
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
    r"""^(?P<pre>[ \t]*(?:-[ \t]+)*(?P<q>["']?)(?P<key>[^\s:"'#][^:"'#]*?)(?P=q)[ \t]*:(?:[ \t]+|(?=[\r\n]*$)))"""
    r"""(?P<value>[^#\r\n]*?)(?P<post>[ \t]*(?:#.*)?[\r\n]*)$""")
_FLOW_PAIR = re.compile(
    r"""(?P<pre>(?P<q>["']?)(?P<key>[A-Za-z_][\w-]*)(?P=q)\s*:\s*)"""
    r"""(?P<value>"[^"]*"|'[^']*'|[^,{}\[\]\s]+)""")
_TOKEN = re.compile(r"\b(?:sk|rk|pk)-[A-Za-z0-9_\-]{3,}")
_BEARER = re.compile(r"(?i)(bearer\s+)[^\s\"']+")
_URL_PASSWORD = re.compile(r"(://[^/\s:@]*:)[^@\s/]+@")
_QUERY_PARAM = re.compile(r"(?P<pre>[?&;](?P<name>[A-Za-z][\w.-]*)=)(?P<value>[^&#;,\s'\")]+)")
_NOT_SECRET = re.compile(r"(?i)\$?[-+]?(\d[\d_]*\.?\d*(e[-+]?\d+)?|\.\d+(e[-+]?\d+)?)|true|false|"
                         r"yes|no|on|off|null|none|~|")
# Words that make a key name a secret rather than hold one: credential_name, api_key_env.
_NAMING_WORDS = frozenset({"name", "names", "id", "ids", "env", "var", "path", "paths", "file",
                           "files", "dir", "header", "type", "prefix", "format", "ttl"})
# A file path (`/secrets/sa.json`) or a module path (`auth.handler`) is where a secret is,
# not the secret; a JWT (eyJ...) has dots too and is not one.
_PATH_LIKE = re.compile(r"(\.{0,2}/|~/)?[\w.-]+(/[\w.-]+)*\.(json|pem|crt|key|p12|yaml|yml)")
_MODULE_PATH = re.compile(r"(?!eyJ)[A-Za-z_]\w{0,40}(\.[A-Za-z_]\w{0,40})+")


def key_words(key: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(key)]


def is_secret_key(key: str) -> bool:
    words = key_words(key.strip().strip("\"'"))
    if not words or words[-1] in _NAMING_WORDS:
        return False
    last = words[-1][:-1] if words[-1].endswith("s") and words[-1][:-1] in _LAST_WORDS \
        else words[-1]
    return last in _LAST_WORDS or any(w in _ANY_WORDS for w in words) or \
        "".join(words[-2:]) in _LAST_WORDS


def is_reference(value: str) -> bool:
    """Nothing to hide: `os.environ/NAME`, empty, null, a number, a price, a boolean, a file
    path or a module path."""
    v = value.strip().strip("\"'").strip()
    return v.startswith("os.environ/") or _NOT_SECRET.fullmatch(v) is not None or \
        _PATH_LIKE.fullmatch(v) is not None or _MODULE_PATH.fullmatch(v) is not None


def mask_value(value: str) -> str:
    """A single value (a URL, a tag, a model name) with embedded credentials masked."""
    value = _BEARER.sub(lambda m: m.group(1) + MASK, value)
    value = _TOKEN.sub(MASK, value)
    value = _QUERY_PARAM.sub(_mask_query_param, value)
    return _URL_PASSWORD.sub(lambda m: m.group(1) + MASK + "@", value)


def _mask_query_param(m: re.Match) -> str:
    """`?api_key=VALUE` in a URL: the value of a secret-named parameter."""
    if is_secret_key(m.group("name")) and m.group("value") != MASK:
        return m.group("pre") + MASK
    return m.group(0)


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


def mask_config_text(text: str) -> str:
    """A config's text with every secret the policy finds masked, line count kept.

    The keys are read as the proxy's loader reads them (libyaml's events), so a secret
    is found whatever the spelling of its key; a text that does not parse is masked line
    by line instead.
    """
    try:
        spans = secret_spans(text)
    except Exception:  # noqa: BLE001 - not YAML (or not this YAML): the line-based policy
        return mask_text(text)
    out, pos = [], 0
    for start, end in spans:
        if start < pos:
            continue
        out.append(text[pos:start])
        out.append(_masked_span(text[start:end]))
        pos = end
    out.append(text[pos:])
    # Commented-out lines are configs too (`#   api_key: ...`); and what is a secret wherever
    # it stands (sk-..., bearer tokens, passwords in URLs).
    return mask_value(_COMMENT_LINE.sub(_masked_comment, "".join(out)))


_COMMENT_LINE = re.compile(r"^(?P<pre>[ \t]*#+[ \t]?)(?P<body>[^\r\n]*)", re.MULTILINE)


def _masked_comment(m: re.Match) -> str:
    return m.group("pre") + mask_line(m.group("body"))


def _masked_span(span: str) -> str:
    """Each line's content replaced by the mask; line breaks and indentation kept."""
    lines = span.split("\n")
    shown = []
    for line in lines:
        body = line.rstrip("\r")
        pad = body[:len(body) - len(body.lstrip(" \t"))]
        shown.append((pad + MASK if body.strip() else body) + line[len(body):])
    return "\n".join(shown)


def secret_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every secret value in a YAML text, in order (raises on bad YAML)."""
    import yaml
    from yaml.events import (AliasEvent, CollectionEndEvent, MappingStartEvent, ScalarEvent,
                             SequenceStartEvent)

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    spans: list[tuple[int, int]] = []
    # (is_map, expect_key, key_is_secret, inside_secret, anchor, anchor's spans)
    stack: list[list] = []
    anchored: dict[str, list[tuple[int, int]]] = {}
    for ev in yaml.parse(text, Loader=loader):
        cls = ev.__class__
        top = stack[-1] if stack else None
        secret_here = top is not None and (top[3] or (top[0] and not top[1] and top[2]))
        if cls is ScalarEvent and top is not None and top[0] and top[1]:
            top[2] = is_secret_key(ev.value)
            top[1] = False
            continue
        if cls is ScalarEvent or cls is AliasEvent:
            found: list[tuple[int, int]] = []
            if cls is ScalarEvent:
                span = (_value_start(text, ev), ev.end_mark.index)
                for frame in stack:  # a scalar inside an anchored collection belongs to it
                    if frame[4] is not None:
                        frame[5].append(span)
                if ev.anchor is not None:
                    anchored[ev.anchor] = [span]
                if secret_here and not is_reference(ev.value):
                    found.append(span)
            elif secret_here:
                found.extend(anchored.get(ev.anchor, ()))
            spans.extend(found)
            if top is not None and top[0]:
                top[1] = True
            continue
        if cls is MappingStartEvent or cls is SequenceStartEvent:
            stack.append([cls is MappingStartEvent, cls is MappingStartEvent, False,
                          secret_here, ev.anchor, []])
        elif isinstance(ev, CollectionEndEvent):
            frame = stack.pop()
            if frame[4] is not None:
                anchored[frame[4]] = frame[5]
            if stack and stack[-1][0]:
                stack[-1][1] = True
    return sorted(set(spans))


def _value_start(text: str, ev) -> int:
    """Where a scalar's own text starts: after its anchor and tag, and after the header line
    of a block scalar (`|`, `>-`: the indicator says nothing)."""
    at = ev.start_mark.index
    if ev.anchor is not None or ev.tag is not None:
        while at < len(text) and text[at] in "&!":
            while at < len(text) and text[at] not in " \t\r\n":
                at += 1
            while at < len(text) and text[at] in " \t\r\n":
                at += 1
    if ev.style in ("|", ">"):
        line_end = text.find("\n", at)
        at = ev.end_mark.index if line_end < 0 else min(line_end + 1, ev.end_mark.index)
    return at
