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

This module holds the policy; masked_text.py applies it to a whole text (`mask_config_text`,
`mask_line`).
"""
from __future__ import annotations

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


_ASSIGNED = re.compile(r"([A-Za-z][\w.-]*)[ \t]*[:=][ \t]*\S")


def comment_is_clear(comment: str) -> bool:
    """Whether a comment beside a shown value may be shown too: it passes the screen that
    value passed (no sk-..., bearer, URL password), and assigns nothing to a key that
    names a secret (`# old key=...`, `# password: ...`)."""
    return mask_value(comment) == comment and not any(
        is_secret_key(m.group(1)) for m in _ASSIGNED.finditer(comment))


# A `key: value` line, as the line policy (masked_text.py) and `masked_values` read it.
KEY_VALUE = re.compile(
    r"""^(?P<pre>[ \t]*(?:-[ \t]+)*)(?P<q>["']?)(?P<key>[^\s:"'#][^:"'#]*?)(?P=q)(?P<colon>[ \t]*:)"""
    r"""(?P<value>(?:[ \t]+[^#\r\n]*?)?)(?P<post>[ \t]*(?:#.*)?)(?P<eol>[\r\n]*)$""")


_FLOW_PAIR = re.compile(r"""([^\s{},\[\]:'"#][^{},\[\]:#]*?|"[^"]*"|'[^']*')[ \t]*:[ \t]+([^{},\[\]#]+)""")


@lru_cache(maxsize=8192)  # findings repeat on lines that repeat
def masked_values(line: str) -> frozenset[str]:
    """The values written on one line that the policy masks (`key: value`, the items of a
    flow list or mapping), as written and unquoted: what a message about that line must not
    quote. Values shorter than four characters, and names not under a key that names a
    secret, are left to the line and column: they may be the tool's own words too."""
    m = KEY_VALUE.match(line.rstrip("\r\n"))
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
