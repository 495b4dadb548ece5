"""What every check of a config reads and writes: the rules of a release, the files the
proxy reads (Source), the run's state and findings (Context), and the small helpers the
sections share (a null, an os.environ/ reference, a near-miss name, a $VAR).

A config the loader refuses (syntax_finding) is said here too: it needs nothing else.
"""
from __future__ import annotations

import datetime as _dt
import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable
from typing import Mapping as MappingType

from generator.boundary import marked
from generator.boundary.marked import Scalar, value_of, where
from generator.boundary.secrets import shown_tag
from generator.releases import pins as release_pin
from generator.releases import rules as release_rules
from generator.validate import pymodules
from generator.validate.registry import RULES, Finding

ENV_PREFIX = "os.environ/"
_DOLLAR_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-=?][^}]*)?\}|\$([A-Z_][A-Z0-9_]*)\b")


@dataclass(frozen=True, eq=False)  # hashed by identity: lookups derived from it are cached
class Rules:
    data: dict

    def __getattr__(self, name: str):
        try:
            return self.data[name]
        except KeyError:
            raise AttributeError(name) from None


@lru_cache(maxsize=None)
def rules_for(release: str) -> Rules:
    """The rules of a release the tool knows (release_rules.known_releases())."""
    data = dict(release_rules.release_data(release))
    for name in ("top_level_keys", "general_settings_keys", "litellm_settings_keys",
                 "router_settings_keys", "providers", "builtin_callbacks", "cache_types",
                 "routing_strategies", "model_modes", "model_info_tiers", "model_info_keys",
                 "request_params", "redis_client_args", "lenient_params"):
        data[name] = frozenset(data.get(name, ()))
    return Rules(data)


def shipped_rules() -> Rules:
    """The rules of the base release (generator/releases/rules.json, the one .venv-proxy pins)."""
    return rules_for(release_rules.BASE)


@dataclass(frozen=True)
class Source:
    """One file the proxy reads: the config or one of its includes."""
    path: str
    document: marked.Document
    line_shift: int = 0  # lines above the config in its file (a manifest's block)


@dataclass
class Context:
    """One run of the checks over a config: what they read, and what they have said."""
    rules: Rules
    env: MappingType[str, str]
    exists: Callable[[str], bool]
    config_folder: str
    today: _dt.date
    findings: list[Finding] = field(default_factory=list)
    model_names: set = field(default_factory=set)
    # Values the proxy's start-up walks below each node (marked.walked_values), by id.
    walked: dict = field(default_factory=dict)
    # The text of a file beside the config (a module the proxy imports), None if unreadable.
    read: Callable[[str], str | None] = lambda _path: None
    # Whether the config gives the proxy a Redis (use_redis_transaction_buffer needs one).
    redis_configured: bool = False
    # Per-request os.environ/NAME reads of unset variables: one finding per variable.
    unset_reads: dict = field(default_factory=dict)
    # How the proxy's environment is made (release_pin.Packaging): what packages it has.
    packaging: object = release_pin.ASSUMED
    # The fallbacks router_settings sets (non-empty): the router never reads litellm_settings'.
    router_fallbacks: frozenset = frozenset()
    # Entries that name a credential (litellm_credential_name), judged after credential_list.
    credential_refs: list = field(default_factory=list)
    # What add has said: a node reached again through an alias is judged once, not per use.
    said: set = field(default_factory=set)

    def lacks(self, needed: str) -> bool:
        """The proxy's environment lacks a package the rules say a feature needs."""
        return not pymodules.carried(needed, self.packaging, self.rules.litellm_version)

    def add(self, source: Source, node, rule: str, message: str) -> None:
        """A finding of the registered rule `rule` at `node` (None: the file's start)."""
        line, column = where(node) if node is not None else (1, 1)
        finding = Finding(source.path, line + source.line_shift, column,
                          RULES[rule].severity, marked.printable(message), rule)
        if finding not in self.said:
            self.said.add(finding)
            self.findings.append(finding)


def syntax_finding(path: str, exc: Exception, line_shift: int = 0) -> Finding:
    """A config the proxy's loader refuses: it will not start."""
    if isinstance(exc, marked.TagError):
        return Finding.of("yaml-tag", path, exc.line + line_shift, exc.column,
                          f"the tag {shown_tag(exc.tag)} cannot be loaded by yaml.safe_load: "
                          "the proxy will not start; remove the tag (a value that starts with "
                          "! is a tag to YAML: quote it)")
    if isinstance(exc, marked.BuildError):
        return Finding.of("yaml-syntax", path, exc.line + line_shift, exc.column,
                          f"{exc}: the proxy will not start")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if "'\\t'" in problem:  # merge's words for it (scan.py): one message for a tab
        from generator.boundary.loader import TAB_MESSAGE
        return Finding.of("yaml-syntax", path, line + line_shift, column, TAB_MESSAGE)
    return Finding.of("yaml-syntax", path, line + line_shift, column,
                      f"not valid YAML ({problem}): the proxy will not start")


def is_null(node) -> bool:
    """A value written as null (or left empty): the proxy reads None."""
    return isinstance(node, Scalar) and value_of(node) is None


@lru_cache(maxsize=4096)
def did_you_mean(name, known) -> str | None:
    """The known name closest to `name`, if one is close enough to be what was meant."""
    if not isinstance(name, str):
        return None
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.8)
    return close[0] if close else None


def env_name(value) -> str | None:
    """NAME of an os.environ/NAME value, which the proxy reads from its environment."""
    if isinstance(value, str) and value.startswith(ENV_PREFIX):
        return value[len(ENV_PREFIX):]
    return None


@lru_cache(maxsize=4096)
def near(name, known: frozenset) -> str | None:
    """A known name one or two typing mistakes away (a swap, a dropped or added letter)."""
    if not isinstance(name, str) or len(name) < 3:
        return None
    limit = 1 if len(name) <= 5 else 2
    best = None
    for candidate in known:
        if not isinstance(candidate, str) or abs(len(candidate) - len(name)) > limit \
                or candidate[:1] != name[:1] and candidate[-1:] != name[-1:]:
            continue
        distance = _typing_distance(name, candidate)
        if distance <= limit and (best is None or distance < best[0]):
            best = (distance, candidate)
    return best[1] if best else None


def _typing_distance(a: str, b: str) -> int:
    """Edits between two words, a swap of neighbours counting as one (Damerau)."""
    previous = None
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (ca != cb))
            if previous is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous[j - 2] + 1)
        previous, row = row, current
    return row[-1]


def check_dollar(source: Source, node, loaded, ctx: Context) -> None:
    """A shell-style $VAR, which LiteLLM passes on as written."""
    if not isinstance(loaded, str) or "$" not in loaded:
        return
    match = _DOLLAR_VAR.search(loaded)
    if match:
        var = match.group(1) or match.group(2)
        ctx.add(source, node, "dollar-variable",
                f"LiteLLM does not expand {match.group(0)}; write os.environ/{var} (the "
                "value is used as written)")


def truthy(node) -> bool:
    """A value the proxy reads as on."""
    return isinstance(node, Scalar) and bool(value_of(node))
