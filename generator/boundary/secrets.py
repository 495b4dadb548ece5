"""The one masking policy for everything the tool prints: deny by default.

A value from an operator's file is shown only where its key is one the tool knows to be
safe to show (`shown_value`): the names of models, modes, providers and tags, callbacks
and routing strategies, `api_base` without its credentials, numbers under limit and cost
keys, booleans, and `os.environ/NAME` (an environment variable's name, never a secret).
Everything else is `***`. Keys, anchors, aliases and tags are shown when they read as
names (`shown_name`); a comment is shown only beside a value of a safe key; a text that
does not parse is masked line by line with the same rules, its continuation lines whole.
The layout (keys, indentation, line count) is kept, so a diff still shows where a change
is, and the operator finds a masked value by its line and column.

Messages are the tool's own words: the values they name are masked where they are put in
(`shown_tag`, `shown_name`, `shown_url`); `mask_text` masks what looks like a credential
wherever it stands (sk-... tokens, bearer tokens, passwords and query values of URLs).
File names and environment variable names are never masked.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

MASK = "***"

# Values shown as written under these keys (the preset contract, the proxy's vocabulary).
SHOWN_KEYS = frozenset({
    "model_name", "model", "mode", "base_model", "litellm_provider", "custom_llm_provider",
    "routing_strategy", "type", "guardrail", "guardrail_name", "credential_name",
    "litellm_credential_name", "api_version", "region_name", "supports_vision",
    "health_check_model", "id", "team_id", "provider",
})
# Every scalar below these keys is a name of a model, tag, callback or file.
SHOWN_BELOW = frozenset({
    "tags", "fallbacks", "context_window_fallbacks", "content_policy_fallbacks",
    "default_fallbacks", "model_group_alias", "callbacks", "success_callback",
    "failure_callback", "service_callback", "input_callback", "audit_log_callbacks",
    "include", "alert_types", "background_health_check_model_groups",
    # module.attribute paths the proxy imports (validate names them in its findings)
    "custom_auth", "custom_sso", "custom_key_generate", "custom_key_update",
    "custom_ui_sso_sign_in_handler", "custom_team_metadata_validate", "custom_handler",
    "post_call_rules", "plugins",
})
URL_KEYS = frozenset({"api_base", "base_url"})
# A number is shown under a key whose last word says it is a limit, a count or a price.
_LIMIT_WORDS = frozenset({
    "rpm", "tpm", "rpd", "tokens", "token_limit", "timeout", "retries", "ttl", "time",
    "interval", "fails", "weight", "order", "seconds", "limit", "budget", "requests",
    "concurrency", "size", "threshold", "port", "db", "connections", "temperature",
    "top_p", "n", "days", "hours", "minutes",
})
_LIMIT_KEY = re.compile(r"(?:.*_)?(?:cost_per_\w+|\w*_cost|max_\w+|min_\w+|"
                        r"(?:" + "|".join(sorted(_LIMIT_WORDS, key=len, reverse=True)) + r"))")
_NUMBER = re.compile(r"\$?[-+]?(?:\d[\d_]*\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)")
_BOOL_NULL = re.compile(r"(?i)true|false|yes|no|on|off|null|none|~|")
ENV_REFERENCE = re.compile(r"os\.environ/[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\}")
_ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")

# A name: words of letters (lower, UPPER, Capitalized or camelCase) or numbers, a version
# suffix allowed (llama3, gpt-4o, 7b), joined by - _ . / : or a space.
_WORD = r"(?:[a-z]+\d{0,3}[a-z]{0,2}|[A-Z]+\d{0,3}|[A-Z][a-z]+\d{0,3}|[a-z]+(?:[A-Z][a-z]+)+|\d{1,8}[a-z]{0,2})"
_NAME = re.compile(rf"(?:{_WORD}(?:[-_./: ]{{1,2}}|(?=$)))+|<<|=")
_TOKEN_PREFIX = re.compile(r"(?i)(?:sk|rk|pk|xox[abp]|gh[pousr]|glpat|AKIA|eyJ)[-_]?\w")

# What looks like a credential wherever it stands (messages, safe values).
# Not in a file's name (`v01-sk-1234.yaml` names a file: file names are never masked).
_TOKEN = re.compile(r"\b(?:sk|rk|pk)-[A-Za-z0-9_\-]{3,}+(?!\.(?:ya?ml|json|toml|env|txt|j2)\b)")
_BEARER = re.compile(r"(?i)(bearer(?:\s+|%20))[^\s\"',]+")
_URL_USERINFO = re.compile(
    r"(?P<scheme>\b[a-z][a-z0-9+.-]*://)(?P<user>[^/\s:@]*)(?::(?P<password>[^@\s/]*))?@")
_QUERY_VALUE = re.compile(r"(?P<pre>[?&;][^=&#;\s'\"]*=)(?P<value>[^&#;,\s'\")]+)")
_FRAGMENT = re.compile(r"(://[^\s#'\"]*#)[^\s'\"]+")


_LAST_WORDS = frozenset({"key", "token", "secret", "password", "passwd", "pass", "pwd",
                         "passphrase", "auth", "authorization", "credential", "credentials",
                         "apikey", "cookie", "sas", "signature"})
_ANY_WORDS = frozenset({"secret", "password", "passwd", "passphrase", "credential",
                        "credentials", "apikey", "privatekey"})
# Words that make a key name a secret rather than hold one: credential_name, api_key_env.
_NAMING_WORDS = frozenset({"name", "names", "id", "ids", "env", "var", "path", "paths", "file",
                           "files", "dir", "header", "type", "prefix", "format", "ttl"})


_COUNT_WORDS = frozenset({"max", "min", "input", "output", "prompt", "completion", "reasoning",
                          "total", "num", "cached"})


def key_words(key: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", key)]


def is_secret_key(key: str) -> bool:
    """A key that names a secret (validate's literal-secret rule, the presets' refusal of a
    literal key); the masking needs no such list: it shows only what it knows is safe."""
    words = key_words(key.strip().strip("\"'"))
    if not words or words[-1] in _NAMING_WORDS:
        return False
    if words[-1] == "tokens" and _COUNT_WORDS.intersection(words):
        return False  # max_tokens, max_input_tokens: a number of tokens, not a token
    last = words[-1][:-1] if words[-1].endswith("s") and words[-1][:-1] in _LAST_WORDS \
        else words[-1]
    return last in _LAST_WORDS or any(w in _ANY_WORDS for w in words) or \
        "".join(words[-2:]) in _LAST_WORDS


def is_reference(value: str) -> bool:
    """`os.environ/NAME` (or `${NAME}`): the name of a variable, never the secret."""
    return ENV_REFERENCE.fullmatch(value.strip().strip("\"'").strip()) is not None


@lru_cache(maxsize=8192)  # the same keys repeat in every entry
def is_name(text: str) -> bool:
    """Whether a key, an anchor or a tag reads as a name rather than as a token."""
    return len(text) <= 80 and _NAME.fullmatch(text) is not None and \
        _TOKEN_PREFIX.match(text) is None


def shown_name(text: str) -> str:
    return text if is_name(text) else MASK


def shown_key_path(path: str) -> str:
    """`general_settings.master_key`: each key shown as a name or masked."""
    return ".".join(shown_name(part) for part in path.split("."))


_KNOWN_TAGS = frozenset({
    "!!str", "!!int", "!!float", "!!bool", "!!null", "!!binary", "!!timestamp", "!!omap",
    "!!pairs", "!!set", "!!seq", "!!map", "!!merge", "!!value", "!!yaml", "!include",
    "!env", "!ENV", "!secret", "!vault", "!Ref", "!Sub", "!GetAtt", "!reference", "!!python",
})


def shown_tag(tag: str) -> str:
    """A tag as a message may name it: YAML's own and the well-known ones (`!!int`,
    `!include`, `!!python/...`); any other is the operator's text (`password: !abc...` is
    a tag to YAML), shown as `!***`."""
    short = tag.replace("tag:yaml.org,2002:", "!!")
    if short in _KNOWN_TAGS or short.split("/", 1)[0] in _KNOWN_TAGS and is_name(short[2:]):
        return short
    return ("!!" if short.startswith("!!") else "!") + MASK


ALIAS_SHOWN = "*" + MASK  # an alias's name is the operator's text (`password: *Xk9...`)


def shown_url(url: str) -> str:
    """A URL without its credentials: its userinfo's password (and a user that is not a
    name), its query values and its fragment masked; scheme, host, port and path kept."""
    url = _URL_USERINFO.sub(_userinfo, url)
    if "://" not in url and "@" in url.split("/", 1)[0]:  # host:port written without a scheme
        url = MASK + url[url.index("@"):]
    url = _QUERY_VALUE.sub(lambda m: m.group("pre") + MASK, url)
    return _FRAGMENT.sub(lambda m: m.group(1) + MASK, url)


def _userinfo(m: re.Match) -> str:
    user = m.group("user")
    shown = user if user and is_name(user) else MASK if user else ""
    if m.group("password") is not None:
        return f"{m.group('scheme')}{shown}:{MASK}@"
    return f"{m.group('scheme')}{MASK}@"


def mask_value(value: str) -> str:
    """Credentials inside a value the policy shows (a tag, a model name, a URL)."""
    value = _BEARER.sub(lambda m: m.group(1) + MASK, value)
    value = _TOKEN.sub(MASK, value)
    return shown_url(value)


def mask_text(text: str) -> str:
    """A message (the tool's own words, with names put in): what looks like a credential
    masked wherever it stands. Values are masked where a message puts them in."""
    return mask_value(text)


def mask_quoted(problem: str) -> str:
    """A parser's problem text with what it quotes ('...') masked unless it is one
    character or a name (PyYAML quotes the alias, tag or token it stopped at)."""
    return re.sub(r"'([^'\n]*)'", lambda m: m.group(0) if len(m.group(1)) <= 1 or
                  is_name(m.group(1)) and not m.group(1)[:1] in "*!&" else f"'{MASK}'", problem)


# Where a key is written: at a line's start (after `- ` or `? `), or after `{` or `,`.
_BLOCK_KEY = re.compile(r"""(?m)^[ \t]*(?:[-?][ \t]+)*(?:[&!][^\s]*[ \t]+)*(["'][^\n]*?["']|"""
                        r"""[^\s#'"{}\[\],&*!|>%@`][^\n:#{}\[\],]*):(?=[ \t\r\n]|$)""")
_FLOW_KEY = re.compile(r"""[{,][ \t]*(["'][^\n]*?["']|[^\s#'"{}\[\],&*!|>%@`][^\n:#{}\[\],]*)"""
                       r""":(?=[ \t\r\n]|$)""")
_EXPLICIT_KEY = re.compile(r"(?m)^[ \t]*(?:-[ \t]+)*\?[ \t]+([^\s#'\"{}\[\]][^\n#]*?)[ \t]*\r?$")


def masked_keys(text: str) -> frozenset[str]:
    """The keys written in a file's text that the policy masks (they do not read as names).

    Found line by line, a superset of what a YAML parser reads as keys: a message that names
    one (`the proxy ignores top-level '...'`) shows the mask instead, through `scrub`.
    """
    written = set(_BLOCK_KEY.findall(text))
    if "{" in text:
        written.update(_FLOW_KEY.findall(text))
    if "?" in text:
        written.update(_EXPLICIT_KEY.findall(text))
    keys = {key.strip().strip("\"'").strip() for key in written}
    return frozenset(key for key in keys if len(key) >= 4 and not is_name(key))


WHOLE_TEXT = 1024 * 1024  # up to this size the whole text is scanned for its keys


def masked_keys_near(text: str, lines: list[str]) -> frozenset[str]:
    """`masked_keys` of a text, or for a large one of the lines the messages are about
    (a finding stands on the key it names; a rescan of 10,000 entries costs 5%)."""
    if len(text) <= WHOLE_TEXT:
        return masked_keys(text)
    return frozenset().union(*(_line_keys(line) for line in set(lines)))


@lru_cache(maxsize=8192)
def _line_keys(line: str) -> frozenset[str]:
    return masked_keys(line)


def scrub(message: str, keys: frozenset[str]) -> str:
    """`message` with each masked text (`masked_keys`, `masked_values`) replaced by the mask,
    the same object when none is in it; the line and column beside it still find them."""
    for key in _longest_first(keys) if len(keys) <= _FEW_KEYS else _keys_in(message, keys):
        if key in message:
            message = message.replace(key, MASK)
    return message


_FEW_KEYS = 64  # past this many, a message's own substrings are looked up in the keys


@lru_cache(maxsize=64)  # one set of keys serves every finding of a file
def _longest_first(keys: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(keys, key=len, reverse=True))


@lru_cache(maxsize=64)
def _key_lengths(keys: frozenset[str]) -> tuple[int, ...]:
    return tuple(sorted({len(key) for key in keys}, reverse=True))


def _keys_in(message: str, keys: frozenset[str]) -> list[str]:
    """The keys written in `message`, longest first: a cost of the message's length per key
    length, not of the number of keys (20,000 unknown keys made validate quadratic)."""
    size = len(message)
    found = {message[i:i + n] for n in _key_lengths(keys) if n <= size
             for i in range(size - n + 1) if message[i:i + n] in keys}
    return sorted(found, key=len, reverse=True)


def is_limit_key(key: str) -> bool:
    return _LIMIT_KEY.fullmatch(key.lower()) is not None


@lru_cache(maxsize=8192)  # as do model names, modes, tags and references
def shown_value(key: str | None, value: str, below: bool = False) -> str | None:
    """How a scalar `value` under `key` is shown: as written, a URL without credentials,
    or None (masked). `below`: it stands below a SHOWN_BELOW key."""
    plain = value.strip()
    if ENV_REFERENCE.fullmatch(plain) or _BOOL_NULL.fullmatch(plain):
        return value
    if key is None:
        return None
    safe = below or key in SHOWN_KEYS or key in SHOWN_BELOW or (
        key.endswith(("_env", "_env_var")) and _ENV_NAME.fullmatch(plain) is not None)
    if not safe and key in URL_KEYS:
        return shown_url(value)
    if not safe and is_limit_key(key) and _NUMBER.fullmatch(plain):
        return value
    if not safe:
        return None
    return value if mask_value(value) == value else None


def mask_line(line: str) -> str:
    """One line on its own (a rendered template's, a broken file's), by the line policy."""
    return mask_lines([line])[0]


def mask_config_text(text: str) -> str:
    """A config's text as the policy shows it, line count kept.

    Read with libyaml's events, as the proxy's loader reads it; a text that does not
    parse is masked line by line (`mask_lines`).
    """
    try:
        edits, shown_lines = _walk(text)
    except Exception:  # noqa: BLE001 - not YAML (or not this YAML): the line policy
        return "".join(mask_lines(text.splitlines(keepends=True)))
    edits += _comment_edits(text, edits, shown_lines)
    return _apply(text, edits)


def _apply(text: str, edits: list[tuple[int, int, str | None]]) -> str:
    """Each (start, end, replacement) applied; replacement None: masked line by line."""
    out, pos = [], 0
    for start, end, new in sorted(edits, key=lambda e: (e[0], -e[1])):
        if start < pos:
            continue
        out.append(text[pos:start])
        out.append(_masked_span(text[start:end]) if new is None else new)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _masked_span(span: str) -> str:
    """Each line's content replaced by the mask; line breaks and indentation kept."""
    shown = []
    for line in span.split("\n"):
        body = line.rstrip("\r")
        pad = body[:len(body) - len(body.lstrip(" \t"))]
        shown.append((pad + MASK if body.strip() else body) + line[len(body):])
    return "\n".join(shown)


class _Frame:
    __slots__ = ("is_map", "expect_key", "key", "below", "anchor", "spans")

    def __init__(self, is_map: bool, below: bool, anchor: str | None):
        self.is_map, self.expect_key, self.key = is_map, is_map, None
        self.below, self.anchor = below, anchor
        # With an anchor: (start, end, shown only because it stands below a SHOWN_BELOW key)
        self.spans: list[tuple[int, int, bool]] = []


def _walk(text: str):
    """(edits, (lines whose value a safe key shows, scalar spans)): every scalar judged
    by its key; a value written once and used through an alias is judged at each use."""
    import yaml
    from yaml.events import (
        AliasEvent,
        CollectionEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceStartEvent,
    )

    walk = _Walk(text)
    for ev in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        cls = ev.__class__
        if cls is not CollectionEndEvent and (getattr(ev, "anchor", None) is not None
                                              or getattr(ev, "tag", None) is not None):
            walk.edits.extend(_property_edits(text, ev))
        if cls is ScalarEvent:
            walk.scalar(ev)
        elif cls is AliasEvent:
            walk.alias(ev)
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            walk.start(ev, cls is MappingStartEvent)
        elif isinstance(ev, CollectionEndEvent):
            walk.end()
    return walk.edits, (walk.safe_lines, walk.scalars)


class _Walk:
    """The state of `_walk`: the open collections, the anchors and what was decided."""

    def __init__(self, text: str):
        self.text = text
        self.edits: list[tuple[int, int, str | None]] = []
        self.scalars: list[tuple[int, int]] = []
        self.safe_lines: set[int] = set()
        self.stack: list[_Frame] = []
        self.anchoring: list[_Frame] = []  # the open collections that carry an anchor
        self.anchored: dict[str, tuple[str | None, list]] = {}  # name -> (value, its spans)

    def _key_expected(self) -> _Frame | None:
        top = self.stack[-1] if self.stack else None
        return top if top is not None and top.is_map and top.expect_key else None

    def _value_done(self) -> None:
        if self.stack and self.stack[-1].is_map:
            self.stack[-1].expect_key = True

    def scalar(self, ev) -> None:
        start, end = _value_start(self.text, ev), ev.end_mark.index
        self.scalars.append((ev.start_mark.index, end))
        keyed = self._key_expected()
        if keyed is not None:
            keyed.key, keyed.expect_key = ev.value, False
            if not is_name(ev.value):
                self.edits.append((start, end, MASK))
            if ev.anchor is not None:
                self.anchored[ev.anchor] = (ev.value, [(start, end, False)])
            return
        key, below = _context(self.stack[-1] if self.stack else None)
        edit = _embedded_edit(self.text, ev, start, end) if ev.style == "|" else None
        edit = edit or _scalar_edit(self.text, key, ev.value, below, start, end)
        if edit is not None:
            self.edits.append(edit)
        elif (below or key in SHOWN_KEYS) and ev.start_mark.line == ev.end_mark.line:
            self.safe_lines.add(ev.end_mark.line)
        by_below = below and key not in SHOWN_KEYS
        for frame in self.anchoring:
            frame.spans.append((start, end, by_below))
        if ev.anchor is not None:
            self.anchored[ev.anchor] = (ev.value, [(start, end, by_below)])
        self._value_done()

    def alias(self, ev) -> None:
        target = self.anchored.get(ev.anchor, (None, []))
        keyed = self._key_expected()
        if keyed is not None:  # `*mk : value`: the key is the anchored scalar's text
            keyed.key, keyed.expect_key = target[0], False
            return
        key, below = _context(self.stack[-1] if self.stack else None)
        self.edits.extend(_alias_edits(target, key, below))
        self._value_done()

    def start(self, ev, is_map: bool) -> None:
        key, below = _context(self.stack[-1] if self.stack else None)
        keyed = self._key_expected()
        if keyed is not None:
            key, below = None, False  # a collection as a key: nothing in it is safe
            keyed.expect_key = False
        frame = _Frame(is_map, below or key in SHOWN_BELOW, ev.anchor)
        if not is_map:
            frame.key = key  # a list's items stand under the list's key
        self.stack.append(frame)
        if ev.anchor is not None:
            self.anchoring.append(frame)

    def end(self) -> None:
        frame = self.stack.pop()
        if frame.anchor is not None:
            self.anchoring.remove(frame)
            self.anchored[frame.anchor] = (None, frame.spans)
        self._value_done()


def _scalar_edit(text: str, key, value: str, below: bool, start: int, end: int):
    """The edit a value needs: None when it is shown as written."""
    shown = shown_value(key, value, below)
    if shown == value:
        return None
    raw = text[start:end]
    if shown is not None and "\n" not in raw:
        return (start, end, shown_url(raw))
    return (start, end, None)


def _embedded_edit(text: str, ev, start: int, end: int):
    """A literal block holding a YAML mapping (a Kubernetes ConfigMap's config.yaml, a
    values string): its lines masked by this same policy, read as the text it holds, so a
    manifest's diff shows the config's shape and no more. None: not such a block."""
    value = ev.value
    if "\n" not in value or ":" not in value:
        return None
    try:
        import yaml

        if not isinstance(yaml.load(value, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)),
                          dict):
            return None
    except Exception:  # noqa: BLE001 - not YAML: the block is masked whole, as any value
        return None
    raw_lines = text[start:end].split("\n")
    header = 1 if raw_lines[0].lstrip(" ").startswith("|") else 0  # the span may start past it
    inner = mask_config_text(value).split("\n")
    content = [line for line in raw_lines[header:] if line.strip()]
    if not content:
        return None
    indent = len(content[0]) - len(content[0].lstrip(" "))
    out = raw_lines[:header]
    for number, line in enumerate(raw_lines[header:]):
        if not line.strip():
            out.append(line)
            continue
        # Each content line is the block's indentation plus the value's own line.
        if number >= len(inner) or value.split("\n")[number] != line[indent:].rstrip("\r"):
            return None
        out.append(line[:indent] + inner[number] + ("\r" if line.endswith("\r") else ""))
    return (start, end, "\n".join(out))


def _alias_edits(target: tuple[str | None, list], key, below: bool) -> list:
    """A value used through an alias where it is not safe is masked where it is written."""
    value, spans = target
    if value is not None:
        return [] if shown_value(key, value, below) == value else \
            [(s, e, None) for s, e, _ in spans]
    # A collection: its scalars were judged by their own keys, except those shown only
    # because they stood below a SHOWN_BELOW key.
    safe_below = below or key in SHOWN_BELOW
    return [] if safe_below else [(s, e, None) for s, e, by_below in spans if by_below]


def _context(top: _Frame | None) -> tuple[str | None, bool]:
    """(the key a value stands under, whether it is below a SHOWN_BELOW key)."""
    if top is None:
        return None, False
    key = top.key
    if top.below and key is not None and is_secret_key(key):
        return key, False  # `tags: [{api_key: x}]`: a secret's name wins over the subtree
    return key, top.below


_PROPERTY = re.compile(r"([&*!])([^\s,\[\]{}]*)")


def _property_edits(text: str, ev) -> list[tuple[int, int, str]]:
    """Anchors, aliases and tags that do not read as names, masked (the sign kept)."""
    if getattr(ev, "anchor", None) is None and getattr(ev, "tag", None) is None:
        return []
    at, end = ev.start_mark.index, _value_start(text, ev) if hasattr(ev, "style") else \
        ev.end_mark.index
    edits = []
    for m in _PROPERTY.finditer(text, at, max(end, at + 1)):
        name = m.group(2)
        if m.group(1) == "!":
            name = name.lstrip("!")
        if name and not is_name(name):
            edits.append((m.end() - len(name), m.end(), MASK))
    return edits


def _value_start(text: str, ev) -> int:
    """Where a scalar's own text starts: after its anchor and tag, and after the header line
    of a block scalar (`|`, `>-`: the indicator says nothing)."""
    at = ev.start_mark.index
    if getattr(ev, "anchor", None) is not None or getattr(ev, "tag", None) is not None:
        while at < len(text) and text[at] in "&!":
            while at < len(text) and text[at] not in " \t\r\n":
                at += 1
            while at < len(text) and text[at] in " \t\r\n":
                at += 1
    if getattr(ev, "style", None) in ("|", ">"):
        line_end = text.find("\n", at)
        at = ev.end_mark.index if line_end < 0 else min(line_end + 1, ev.end_mark.index)
    return at


_OWN_COMMENT = re.compile(r"#+\s*(?:(?:BEGIN|END) litellm-gen presets\b|litellm-gen: ignore(?:\[[\w, -]*\])?\s*$)")


def _comment_edits(text: str, edits, shown) -> list[tuple[int, int, str]]:
    """Comments: shown beside a value of a safe key (or when they are the tool's own
    lines), else their text masked."""
    if "#" not in text:
        return []
    safe_lines, scalars = shown
    scalars.sort()
    starts = [s for s, _ in scalars]
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    masked_lines = {bisect.bisect_right(line_starts, s) - 1 for s, _, _ in edits}
    out = []
    for line_no, pos in enumerate(line_starts):
        end = text.find("\n", pos)
        line = text[pos:] if end < 0 else text[pos:end]
        hash_at = line.find("#")
        while hash_at >= 0:
            at = pos + hash_at
            if (hash_at == 0 or line[hash_at - 1] in " \t") and not _inside(at, starts, scalars):
                out.extend(_comment_edit(line, hash_at, at, line_no in safe_lines
                                         and line_no not in masked_lines))
                break
            hash_at = line.find("#", hash_at + 1)
    return out


_ASSIGNED = re.compile(r"([A-Za-z][\w.-]*)[ \t]*[:=][ \t]*\S")


def comment_is_clear(comment: str) -> bool:
    """Whether a comment beside a shown value may be shown too: it passes the screen that
    value passed (no sk-..., bearer, URL password), and assigns nothing to a key that
    names a secret (`# old key=...`, `# password: ...`)."""
    return mask_value(comment) == comment and not any(
        is_secret_key(m.group(1)) for m in _ASSIGNED.finditer(comment))


def _comment_edit(line: str, hash_at: int, at: int, beside_safe: bool):
    body = line[hash_at:].rstrip("\r")
    # Beside a safe value, a comment passes the screen that value passed (no sk-..., bearer).
    shown = beside_safe and line[:hash_at].strip() and comment_is_clear(body)
    return [] if shown or _OWN_COMMENT.match(body) else _masked_comment(body, at)


def _masked_comment(body: str, at: int) -> list[tuple[int, int, str]]:
    marks = len(body) - len(body.lstrip("#"))
    rest = body[marks:]
    if not rest.strip():
        return []
    pad = rest[:len(rest) - len(rest.lstrip())]
    return [(at + marks, at + len(body), pad + MASK)]


def _inside(at: int, starts: list[int], scalars: list[tuple[int, int]]) -> bool:
    i = bisect.bisect_right(starts, at) - 1
    return i >= 0 and scalars[i][0] <= at < scalars[i][1]


# -- a text that does not parse: line by line ---------------------------------------------
_KEY_VALUE = re.compile(
    r"""^(?P<pre>[ \t]*(?:-[ \t]+)*)(?P<q>["']?)(?P<key>[^\s:"'#][^:"'#]*?)(?P=q)(?P<colon>[ \t]*:)"""
    r"""(?P<value>(?:[ \t]+[^#\r\n]*?)?)(?P<post>[ \t]*(?:#.*)?)(?P<eol>[\r\n]*)$""")
_CONFLICT = re.compile(r"^(?P<mark><{7}|={7}|>{7}|\|{7})(?P<label>[^\r\n]*)(?P<eol>[\r\n]*)$")


def mask_lines(lines: list[str]) -> list[str]:
    """Lines of a text that does not parse: each `key: value` line by the policy, a value
    that goes on over the next lines masked there whole, every other line masked."""
    out = []
    # (the indentation of a key whose value goes on below, whether that value is a scalar
    # for sure (a block, a quote, an anchor...) or may be a nested mapping or list)
    within: tuple[int, bool] | None = None
    for line in lines:
        body = line.rstrip("\r\n")
        eol = line[len(body):]
        indent = len(body) - len(body.lstrip(" \t"))
        if within is not None and (not body.strip() or indent > within[0]):
            nested = not within[1] and (_KEY_VALUE.match(body) or body.lstrip().startswith("- "))
            if not nested:
                out.append(_masked_span(body) + eol)
                continue
        else:
            within = None
        shown, goes_on = _line(body)
        if goes_on is not None:
            m = _KEY_VALUE.match(body)
            within = (len(m.group("pre")) if m else indent, goes_on)
        out.append(shown + eol)
    return out


def _line(body: str) -> tuple[str, bool]:
    """(the line as shown, how its value may go on below: None it does not, False as a
    nested mapping or list or a scalar, True as a scalar)."""
    stripped = body.strip()
    if not stripped or stripped in ("---", "..."):
        return body, None
    pad = body[:len(body) - len(body.lstrip(" \t"))]
    if stripped.startswith("#"):
        return (body, None) if _OWN_COMMENT.match(stripped) else (
            pad + _apply(stripped, _masked_comment(stripped, 0)), None)
    conflict = _CONFLICT.match(body)
    if conflict:
        return conflict.group("mark") + (" " + MASK if conflict.group("label").strip()
                                         else ""), None
    m = _KEY_VALUE.match(body)
    if m is None:
        return pad + MASK, None
    key = m.group("key").strip()
    value = m.group("value").strip()
    shown_key = m.group("q") + key + m.group("q") if is_name(key) else MASK
    head = m.group("pre") + shown_key + m.group("colon")
    post = m.group("post")
    comment = post[post.find("#"):] if "#" in post else ""
    space = post[:len(post) - len(comment)]
    if not value:
        return head + (space + _masked_comment_text(comment) if comment else ""), False
    # A second `key: ` on the line is one more value the line policy cannot place.
    simple = ": " not in value and not value.endswith(":") and (
        value[:1] not in "&*!|>[{\"'" or (value[:1] in "\"'" and len(value) > 1
                                          and value[-1] == value[0]))
    shown = shown_value(key, value.strip("\"'")) if simple else None
    if shown is not None and shown != value.strip("\"'"):
        shown = shown_url(value)
    elif shown is not None:
        shown = value
    gap = m.group("value")[:len(m.group("value")) - len(m.group("value").lstrip())]
    if shown is None:
        return head + gap + MASK + space + _masked_comment_text(comment), True
    safe = key in SHOWN_KEYS and comment_is_clear(comment)
    return head + gap + shown + space + (comment if safe else _masked_comment_text(comment)), \
        None


def _masked_comment_text(comment: str) -> str:
    if not comment or _OWN_COMMENT.match(comment):
        return comment
    return _apply(comment, _masked_comment(comment, 0))


_FLOW_PAIR = re.compile(r"""([^\s{},\[\]:'"#][^{},\[\]:#]*?|"[^"]*"|'[^']*')[ \t]*:[ \t]+([^{},\[\]#]+)""")


@lru_cache(maxsize=8192)  # findings repeat on lines that repeat
def masked_values(line: str) -> frozenset[str]:
    """The values written on one line that the policy masks (`key: value`, the items of a
    flow list or mapping), as written and unquoted: what a message about that line must not
    quote. Values shorter than four characters, and names not under a key that names a
    secret, are left to the line and column: they may be the tool's own words too."""
    m = _KEY_VALUE.match(line.rstrip("\r\n"))
    if m is None or not m.group("value").strip():
        return frozenset()
    key, value = m.group("key").strip(), m.group("value").strip()
    pairs = [(key, value)]
    if value[:1] in "[{":
        inner = value.strip("[]{} ")
        pairs = [(k.strip().strip("\"'"), v) for k, v in _FLOW_PAIR.findall(inner)] or \
            [(key, item) for item in inner.split(",")]
    found = set()
    for k, v in pairs:
        for text in {v.strip(), v.strip().strip("\"'")}:
            if len(text) >= 4 and (not is_name(text) or is_secret_key(k)) and \
                    shown_value(k, text) != text:
                found.add(text)  # a name (`chat`) may be the tool's own word in the message
    return frozenset(found)


def mask_text_lines(text: str) -> str:
    """A whole text by the line policy (what `mask_config_text` falls back to)."""
    return "".join(mask_lines(text.splitlines(keepends=True)))
