"""What each YAML event must pass for the proxy's yaml.safe_load to load the file as read.

The checks the scan (scan_state.py, scan_skim.py) runs per event: tags the proxy cannot
construct, anchors defined twice, aliases to no anchor, scalars that cannot be built (a date
that does not exist), keys compared by their loaded value, merge keys (`<<`) that name no
mapping, and a litellm_params that is not one. Each is cheap on the many files without its
trigger (`Checks`); what needs the whole text (duplicate keys named with both lines) waits
for the end of the pass.
"""
from __future__ import annotations

import bisect
import re
from typing import Sequence

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from generator.boundary.errors import UserError

try:
    from yaml import CSafeLoader as Parser
except ImportError:  # pragma: no cover - PyYAML without libyaml; same events, slower
    from yaml import SafeLoader as Parser

# The tags yaml.safe_load can construct; anything else makes the proxy refuse the file.
SAFE_TAGS = frozenset({None, "!"} | {f"tag:yaml.org,2002:{t}" for t in (
    "null", "bool", "int", "float", "binary", "timestamp", "omap", "pairs", "set", "str",
    "seq", "map")})
_STR_TAGS = frozenset({None, "!", "tag:yaml.org,2002:str"})
_COLLECTION_TAGS_TO_BUILD = frozenset(f"tag:yaml.org,2002:{t}" for t in ("omap", "pairs", "set"))
NULL_SCALARS = frozenset({"", "~", "null", "Null", "NULL"})
# Plain keys whose loaded value is not their text (null, booleans, numbers): compared loaded.
LOADED_KEY_SPELLINGS = frozenset(
    NULL_SCALARS | {"true", "True", "TRUE", "false", "False", "FALSE", "yes", "Yes", "YES", "no",
                    "No", "NO", "on", "On", "ON", "off", "Off", "OFF"})
NUMERIC_FIRST = frozenset("0123456789+-.")
DIGITS = frozenset("0123456789")
# The proxy's pure-Python loader recurses per nesting level: measured RecursionError at ~500
# levels from the top of the stack; the proxy loads from deeper in its own stack.
MAX_DEPTH = 100

_BLOCK_HEADER_COMMENT = re.compile(r"[|>][-+0-9]{0,2}#")
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


class Checks:
    """Which checks a text needs: each costs nothing on the many files without its trigger."""
    __slots__ = ("tags", "bare", "spans", "anchor_log", "anchor_set", "aliases", "alias_log",
                 "tagged", "deferred",
                 "literal_spans", "duplicates", "build_collections", "kinds", "pending_merge",
                 "merge_list", "interest", "next_interest")

    def __init__(self, text: str, markers: Sequence[str]):
        self.tags = "!" in text
        self.bare = "!" not in text and "&" not in text
        # Where a quoted or block scalar must be known to cover an offset: every tab, or
        # only the marker texts; `next_interest` lets the scan skip the many that cover none.
        self.spans = "\t" in text or any(m in text for m in markers)
        self.interest = [] if "\t" in text else sorted(
            at for m in markers for at in _occurrences(text, m))
        self.next_interest = self.interest[0] if self.interest else (
            0 if self.spans else float("inf"))
        self.anchor_log: list[tuple[str, int]] = []
        self.alias_log: list[tuple[str, int]] = []
        self.tagged = False
        self.deferred: UserError | None = None  # a refusal that waits for the end of the parse
        self.anchor_set: set[str] = set()
        self.aliases: set[str] = set()
        self.literal_spans: list[tuple[int, int]] = []
        self.duplicates: list[tuple[int, bool]] = []  # (mapping start, refuse)
        self.build_collections = False
        self.kinds: dict[str, str] = {}   # anchor -> "map" | "seq" | "other", for merge keys
        self.pending_merge = False        # a `<<` key was read: its value is next
        self.merge_list = False           # that value is a list: its items must be mappings


def _occurrences(text: str, needle: str) -> list[int]:
    found = []
    at = text.find(needle)
    while at >= 0:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def check_block_header(ev, text: str) -> None:
    """`key: >#note`: libyaml takes a comment glued to a block scalar's indicator, the
    proxy's loader does not (yaml-test-suite case X4QW)."""
    start = ev.start_mark.index
    if ev.anchor is not None or ev.tag is not None:  # the mark is at the anchor or tag
        start = text.find(ev.style, start)
    glued = _BLOCK_HEADER_COMMENT.match(text, start)
    if glued:
        raise scan_error("a comment right after a block scalar's indicator needs a space before "
                         "its #; the proxy's loader refuses it", text, glued.end() - 1)


def note_span(ev, checks: "Checks") -> None:
    """Record a quoted or block scalar that may cover an offset of interest."""
    start, end = ev.start_mark.index, ev.end_mark.index
    checks.literal_spans.append((start, end))
    if checks.interest:  # markers only: move on to the next offset past this scalar
        at = bisect.bisect_right(checks.interest, end)
        checks.next_interest = checks.interest[at] if at < len(checks.interest) else float("inf")


def line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index)
    return line + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def scan_error(message: str, text: str, index: int) -> UserError:
    line, column = line_col(text, index)
    return UserError(message, line=line, column=column)


def checked_scalar(ev, cls, text: str, checks: Checks):
    """A scalar or alias event, after its checks: its text when it is a plain scalar with
    neither anchor nor tag (a key compared as written), else a tuple (compared loaded)."""
    if cls is AliasEvent:
        if ev.anchor not in checks.anchor_set:
            from generator.boundary.secrets import ALIAS_SHOWN  # the alias is the operator's text

            raise scan_error(f"an alias ({ALIAS_SHOWN}) refers to no anchor defined before it (a "
                             "value that starts with * is an alias to YAML: quote it)",
                             text, ev.start_mark.index)
        checks.aliases.add(ev.anchor)
        checks.alias_log.append((ev.anchor, ev.start_mark.index))
        return ("*", ev.anchor)
    check_node(ev, text, checks)
    if ev.implicit[0] and ev.anchor is None:
        if ev.value[4:5] == "-" and ev.value[:1] in DIGITS:
            build_scalar(ev, text)
        return ev.value
    if not ev.implicit[0] and ev.end_mark.index > checks.next_interest:
        note_span(ev, checks)
    if ev.style and ev.style in "|>":
        check_block_header(ev, text)
    if ev.tag not in _STR_TAGS or (ev.implicit[0] and ev.value[4:5] == "-"):
        build_scalar(ev, text)
    return ("s", ev.value, ev.anchor, ev.tag, ev.implicit)


def check_node(ev, text: str, checks: Checks) -> None:
    """Tags the proxy's loader cannot construct, and anchors for the alias check."""
    if checks.tags and ev.tag not in SAFE_TAGS:
        raise _tag_error(ev, text)
    if ev.tag is not None:
        checks.tagged = True
    if ev.anchor is not None:
        if ev.anchor in checks.anchor_set:
            first = next((at for name, at in checks.anchor_log if name == ev.anchor), None)
            where = f" (first on line {line_col(text, first)[0]})" if first is not None else ""
            from generator.boundary.secrets import shown_name  # the anchor is the operator's text

            raise scan_error(f"the anchor &{shown_name(ev.anchor)} is defined twice{where}; the "
                             "proxy's yaml.safe_load refuses a repeated anchor", text,
                             ev.start_mark.index)
        checks.anchor_set.add(ev.anchor)
        checks.anchor_log.append((ev.anchor, ev.start_mark.index))
        cls = ev.__class__
        checks.kinds[ev.anchor] = ("map" if cls is MappingStartEvent else
                                   "seq" if cls is SequenceStartEvent else "other")
    if ev.tag in _COLLECTION_TAGS_TO_BUILD:
        checks.build_collections = True  # !!omap, !!pairs, !!set: rare; built at the end


def build_scalar(ev, text: str) -> None:
    """Construct one scalar as safe_load would (an invalid date, `!!int abc`) or refuse."""
    from generator.boundary.loader import Unbuildable, loader_error

    node = yaml.ScalarNode(ev.tag or _RESOLVER.resolve(yaml.ScalarNode, ev.value, ev.implicit),
                           ev.value, ev.start_mark, ev.end_mark)
    if node.tag == "!":
        node.tag = "tag:yaml.org,2002:str"
    try:
        _CONSTRUCTOR.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        raise loader_error(exc, text) from None
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        raise loader_error(Unbuildable(node, type(exc).__name__), text) from None


def key_of(ev, cls):
    """A mapping key as the duplicate check compares it: by the value safe_load builds."""
    if cls is AliasEvent:
        return ("*", ev.anchor)
    value = ev.value
    if ev.tag is not None and ev.tag not in _STR_TAGS or ev.implicit[0] and (
            value in LOADED_KEY_SPELLINGS or value[:1] in NUMERIC_FIRST):
        return loaded_key(ev)
    return value


def loaded_key(ev):
    tag = ev.tag or _RESOLVER.resolve(yaml.ScalarNode, ev.value, ev.implicit)
    if tag in _STR_TAGS:
        return ev.value
    try:
        value = _CONSTRUCTOR.construct_object(yaml.ScalarNode(tag, ev.value), deep=True)
        hash(value)
    except Exception:  # noqa: BLE001 - refused with its location by build_scalar elsewhere
        return ("?", tag, ev.value)
    return ("=", value)


def check_params_value(ev, cls, text: str, checks: Checks) -> None:
    """litellm_params must be a mapping (or an alias of one): the proxy reads `model` in it."""
    if cls is MappingStartEvent or cls is AliasEvent and checks.kinds.get(ev.anchor) == "map":
        return
    aliased = "list" if checks.kinds.get(getattr(ev, "anchor", None)) == "seq" else "single value"
    what = ("a list" if cls is SequenceStartEvent else
            f"an alias (*{ev.anchor}) of a {aliased}" if cls is AliasEvent else "a single value")
    # Kept until the end of the scan: a syntax error further on is what to report first.
    checks.deferred = checks.deferred or scan_error(
        f"litellm_params of this model_list item is {what}, not a mapping; the proxy refuses "
        "to start (it needs at least `model:` there)", text, ev.start_mark.index)


def _tag_error(ev, text: str) -> UserError:
    from generator.boundary.secrets import shown_tag  # the tag is the operator's text

    return scan_error(f"custom tag {shown_tag(ev.tag)} is not allowed: the proxy reads the config "
                      "with yaml.safe_load, which rejects it (a value that starts with ! is a tag "
                      "to YAML: quote it)", text, ev.start_mark.index)


def duplicate_findings(text: str, found: list[tuple[int, bool]]) -> tuple[str, ...]:
    """Refuse the first duplicate that matters; describe the others as warnings.

    Rare: the text is read once more, keeping each key's mark, to name both lines.
    """
    targets = dict(found)
    get_event = Parser(text).get_event
    stack: list = []  # (seen keys or None for a sequence, [expect_key], mapping start)
    warnings = []
    while True:
        ev = get_event()
        cls = ev.__class__
        if cls is StreamEndEvent:
            return tuple(warnings)
        if cls in (MappingStartEvent, SequenceStartEvent, ScalarEvent, AliasEvent):
            if stack and stack[-1][0] is not None:
                seen, state, start = stack[-1]
                if state[0]:
                    key = key_of(ev, cls) if cls in (ScalarEvent, AliasEvent) else object()
                    first = seen.get(key)
                    if first is not None and key != "<<" and start in targets:
                        # No "key: value" shape here: the masking of messages would take it
                        # for a secret when the key is one (master_key).
                        message = (f"duplicate key {getattr(ev, 'value', None)!r} (first defined "
                                   f"on line {first.line + 1}); yaml.safe_load (and so the proxy) "
                                   "would silently keep only the last one")
                        if targets[start]:
                            raise UserError(message, line=ev.start_mark.line + 1,
                                            column=ev.start_mark.column + 1)
                        warnings.append(f"line {ev.start_mark.line + 1}: {message}")
                    seen[key] = ev.start_mark
                state[0] = not state[0]
            if cls is MappingStartEvent:
                stack.append(({}, [True], ev.start_mark.index))
            elif cls is SequenceStartEvent:
                stack.append((None, None, ev.start_mark.index))
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            stack.pop()


def merge_item(ev, cls, text: str, checks: "Checks") -> None:
    """An item of a `<<: [...]` list: a mapping, or an alias of one."""
    kind = ("map" if cls is MappingStartEvent else
            checks.kinds.get(ev.anchor, "other") if cls is AliasEvent else "other")
    if kind != "map":
        raise scan_error("a merge key (<<) list must hold only mappings; yaml.safe_load refuses "
                         "this", text, ev.start_mark.index)


def merge_value(ev, cls, text: str, checks: "Checks") -> None:
    """The value of a `<<` key must be a mapping, or safe_load refuses the file."""
    checks.pending_merge = False
    kind = ("map" if cls is MappingStartEvent else "seq" if cls is SequenceStartEvent
            else checks.kinds.get(ev.anchor, "other") if cls is AliasEvent else "other")
    if cls is SequenceStartEvent:
        checks.merge_list = True  # `<<: [*a, *b]`: _skim checks each item is a mapping
    elif kind == "seq":
        checks.build_collections = True  # an alias to a list of mappings: rare, built whole
    elif kind != "map":
        raise scan_error("a merge key (<<) must name a mapping or a list of mappings; "
                         "yaml.safe_load refuses this", text, ev.start_mark.index)
