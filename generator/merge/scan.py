"""Where things are in a config's text: one pass over libyaml's event stream.

The merge never re-emits the operator's YAML. It needs only offsets: where
`model_list` is, where each entry starts and ends, and how the file indents.
libyaml (the proxy's own parser, through PyYAML) reports those as marks on its
events, and one event pass is the cheapest complete read of a file. The same
pass refuses what the proxy's `yaml.safe_load` would refuse or silently
misread: several documents, custom tags, undefined aliases, unhashable keys,
values that cannot be built, and duplicate keys where they matter. It only
locates and refuses: what the file means is the proxy's loader's to say (loader.py),
and the proof (prove.py) asks it.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from typing import Literal, NamedTuple, Sequence

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from generator.boundary.errors import UserError

try:
    from yaml import CSafeLoader as _Parser
except ImportError:  # pragma: no cover - PyYAML without libyaml; same events, slower
    from yaml import SafeLoader as _Parser

# The tags yaml.safe_load can construct; anything else makes the proxy refuse the file.
SAFE_TAGS = frozenset({None, "!"} | {f"tag:yaml.org,2002:{t}" for t in (
    "null", "bool", "int", "float", "binary", "timestamp", "omap", "pairs", "set", "str",
    "seq", "map")})
_STR_TAGS = frozenset({None, "!", "tag:yaml.org,2002:str"})
_COLLECTION_TAGS_TO_BUILD = frozenset(f"tag:yaml.org,2002:{t}" for t in ("omap", "pairs", "set"))
NULL_SCALARS = frozenset({"", "~", "null", "Null", "NULL"})
# Plain keys whose loaded value is not their text (null, booleans, numbers): compared loaded.
_LOADED_KEY_SPELLINGS = frozenset(
    NULL_SCALARS | {"true", "True", "TRUE", "false", "False", "FALSE", "yes", "Yes", "YES", "no",
                    "No", "NO", "on", "On", "ON", "off", "Off", "OFF"})
_NUMERIC_FIRST = frozenset("0123456789+-.")
_DIGITS = frozenset("0123456789")
# The proxy's pure-Python loader recurses per nesting level: measured RecursionError at ~500
# levels from the top of the stack; the proxy loads from deeper in its own stack.
MAX_DEPTH = 100
# Line breaks YAML knows besides LF and CRLF: the splice and every line number here assume LF.
_OTHER_BREAKS = ("\x85", "\u2028", "\u2029")

_BLOCK_HEADER_COMMENT = re.compile(r"[|>][-+0-9]{0,2}#")
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()



_new_tuple = tuple.__new__  # an Entry without the Python-level __new__: one per item


class Entry(NamedTuple):
    """One item of model_list, as offsets into the text (a tuple: one is made per item)."""
    position: int          # 0-based index in model_list
    dash: int              # offset of the "-" that opens the item
    end: int               # offset just past the item's last content
    line: int              # 1-based line of the dash
    model_name: str | None  # None when the item hides it (alias, merge key)
    anchors: tuple = ()    # the anchors defined inside it


@dataclass(frozen=True)
class ModelList:
    """The model_list sequence, or where one would go."""
    shape: Literal["missing", "null", "empty-flow", "block"]
    key_end: int           # offset just past the `model_list` key (or of the container's content)
    value_start: int       # empty-flow: offset of "["
    value_end: int         # empty-flow: offset just past "]"
    content_end: int       # block: offset just past the sequence's last content
    dash_column: int | None  # block: column of the items' dashes
    item_column: int | None  # block: column of the items' first keys
    container_column: int    # column of the keys of the mapping holding model_list
    entries: tuple[Entry, ...]

    @classmethod
    def missing(cls, container_end: int, container_column: int) -> "ModelList":
        return cls("missing", container_end, container_end, container_end, container_end,
                   None, None, container_column, ())

    @classmethod
    def null(cls, key_end: int, start: int, end: int, container_column: int) -> "ModelList":
        """`model_list:` with no value, `~` or `null` (start..end: the token to replace)."""
        return cls("null", key_end, start, end, max(end, key_end), None, None, container_column,
                   ())

    @classmethod
    def empty_flow(cls, key_end: int, start: int, end: int, container_column: int
                   ) -> "ModelList":
        """`model_list: []` (start..end: the brackets)."""
        return cls("empty-flow", key_end, start, end, end, None, None, container_column, ())

    @classmethod
    def block(cls, key_end: int, start: int, content_end: int, dash_column: int,
              item_column: int | None, container_column: int, entries: tuple[Entry, ...]
              ) -> "ModelList":
        return cls("block", key_end, start, content_end, content_end, dash_column, item_column,
                   container_column, entries)


@dataclass(frozen=True)
class IncludeList:
    """The top-level `include:` list: where a new file name would go."""
    shape: Literal["null", "empty-flow", "flow", "block"]
    key_end: int
    value_start: int
    value_end: int
    dash_column: int | None


@dataclass(frozen=True)
class AliasUse:
    """Which anchors aliases use, and which anchors stand on what a merge changes."""
    aliases: frozenset         # anchor names some alias refers to
    # anchors on the mappings whose content a merge changes (root, key path, model_list, include)
    changed_anchors: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class ConfigScan:
    model_list: ModelList
    indent_step: int          # the file's mapping indentation (2 when it has none)
    includes: tuple[str, ...]  # top-level `include:` file names
    include_list: IncludeList | None = None
    data: AliasUse | None = None
    warnings: tuple[str, ...] = ()
    # (start, end) of every quoted or block scalar, when the text holds a tab or a marker
    literal_spans: tuple[tuple[int, int], ...] = ()
    path_columns: tuple[int, ...] = ()   # the key column of the root and each key-path mapping
    container_keys: tuple[int, ...] = ()  # line starts of the keys of model_list's mapping
    has_anchors: bool = False
    entry_step_at: int | None = None     # position of the entry that gave indent_step
    anchors: tuple[tuple[str, int], ...] = ()  # (name, offset) of each anchor, in order
    newline: str = "\n"  # the first line's ending: what lines the tool adds end with
    anchor_kinds: tuple[tuple[str, str], ...] = ()  # (name, kind), when the text holds `<<`
    alias_log: tuple[tuple[str, int], ...] = ()  # (anchor name, offset) of each alias, in order
    # offsets of the first `<<` key of model_list's mapping and of the root, when they have one
    container_merge_at: int | None = None
    root_merge_at: int | None = None
    needs_whole: bool = False  # a tag stands on a node: only a whole load may judge the file

    def anchors_before(self, offset: int) -> dict[str, str]:
        """Anchors defined before `offset`, with their kinds (for a scan of what follows)."""
        kinds = dict(self.anchor_kinds)
        return {name: kinds.get(name, "other") for name, at in self.anchors if at < offset}

    def inside_literal(self, index: int) -> bool:
        """Whether `index` lies inside a quoted or block scalar (needs literal_spans)."""
        at = bisect.bisect_right(self.literal_spans, (index, float("inf"))) - 1
        return at >= 0 and self.literal_spans[at][0] < index < self.literal_spans[at][1]


# Roles of the few nodes the scan looks into; every other node is only validated.
ROOT, PATH, MODELS, ENTRY, INCLUDE, MODEL_NAME, PARAMS = range(7)


class _Frame:
    """A mapping or sequence being read; only role-bearing frames look at their keys."""
    __slots__ = ("is_map", "flow", "keys", "expect_key", "column", "role", "value_role",
                 "depth", "model_name", "list_key", "include_key", "start", "line",
                 "key_column", "anchors_before", "merge_at")

    def __init__(self, is_map, flow, column, role, depth, start, line):
        self.is_map = is_map
        self.flow = flow
        self.keys = [] if is_map else None  # key values, for the duplicate check
        self.expect_key = is_map
        self.column = column
        self.role = role
        self.value_role = None
        self.depth = depth
        self.model_name = None
        self.list_key = None  # the `model_list` key event of the container
        self.include_key = None  # the `include` key event of the root
        self.start = start
        self.line = line
        self.key_column = None  # column of the first key: where a new key goes
        self.anchors_before = 0
        self.merge_at = None  # offset of this mapping's first `<<` key

    @classmethod
    def root(cls) -> "_Frame":
        """The frame around the document's root node."""
        return cls(False, False, 0, ROOT, -1, 0, 0)

    @classmethod
    def opened(cls, ev, is_map: bool, role: int, parent: "_Frame") -> "_Frame":
        """The frame of the collection `ev` opens inside `parent`."""
        mark = ev.start_mark
        return cls(is_map, bool(ev.flow_style) or parent.flow, mark.column, role,
                   parent.depth + 1, mark.index, mark.line)


class _Checks:
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


def _check_block_header(ev, text: str) -> None:
    """`key: >#note`: libyaml takes a comment glued to a block scalar's indicator, the
    proxy's loader does not (yaml-test-suite case X4QW)."""
    start = ev.start_mark.index
    if ev.anchor is not None or ev.tag is not None:  # the mark is at the anchor or tag
        start = text.find(ev.style, start)
    glued = _BLOCK_HEADER_COMMENT.match(text, start)
    if glued:
        raise _error("a comment right after a block scalar's indicator needs a space before "
                     "its #; the proxy's loader refuses it", text, glued.end() - 1)


def _note_span(ev, checks: "_Checks") -> None:
    """Record a quoted or block scalar that may cover an offset of interest."""
    start, end = ev.start_mark.index, ev.end_mark.index
    checks.literal_spans.append((start, end))
    if checks.interest:  # markers only: move on to the next offset past this scalar
        at = bisect.bisect_right(checks.interest, end)
        checks.next_interest = checks.interest[at] if at < len(checks.interest) else float("inf")


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index)
    return line + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def _error(message: str, text: str, index: int) -> UserError:
    line, column = _line_col(text, index)
    return UserError(message, line=line, column=column)


def _translate_yaml_error(exc: yaml.YAMLError, text: str) -> UserError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    if context and mark is not None and getattr(exc, "context_mark", None) is not None \
            and exc.context_mark is not mark:
        context = f"{context} that starts on line {exc.context_mark.line + 1}"
    if isinstance(exc, yaml.reader.ReaderError):
        line, column = _line_col(text, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character[:1] or "?")
        return UserError(f"invalid YAML: control character U+{code:04X} is not allowed in YAML "
                         "(is this a binary file?)", line=line, column=column)
    if mark is not None:
        if text[mark.index:mark.index + 1] == "\t" or "'\\t'" in problem or "\\t" in problem:
            from generator.boundary.loader import TAB_MESSAGE
            return UserError(TAB_MESSAGE, line=mark.line + 1, column=mark.column + 1)
        if context:
            problem = f"{problem} ({context})"
        return UserError(f"invalid YAML: {problem}", line=mark.line + 1, column=mark.column + 1)
    return UserError(f"invalid YAML: {problem}")


def scan_config(text: str, key_path: Sequence[str] = (), markers: Sequence[str] = ()
                ) -> ConfigScan:
    """Locate model_list (under `key_path`) and its entries; raise UserError on bad input.

    `markers`: texts whose occurrences inside quoted or block scalars the caller needs to
    tell apart from comments (the merge's fence markers).
    """
    _refuse_odd_characters(text)
    try:
        try:
            scan = _scan(text, tuple(key_path), _Parser, markers)
        except yaml.YAMLError:
            # libyaml refuses a tab opening a block scalar's line; the proxy's loader does not.
            if "\t" not in text or _Parser is yaml.SafeLoader:
                raise
            scan = _scan(text, tuple(key_path), yaml.SafeLoader, markers)
        if "\t" in text:
            _check_tabs(text, scan)
        return scan
    except yaml.YAMLError as exc:
        raise _translate_yaml_error(exc, text) from None
    except RecursionError:
        raise UserError("the config nests too deep for the proxy's pure-Python loader "
                        "(RecursionError)") from None
    except (ValueError, TypeError, OverflowError, KeyError):  # safe_load cannot build
        from generator.boundary.loader import ProxyDocument
        ProxyDocument(text).data  # the proxy's loader names the value and its place
        raise UserError("the proxy's yaml.safe_load cannot load this config") from None


def _refuse_odd_characters(text: str) -> None:
    stray_bom = text.find("\ufeff")
    if stray_bom >= 0:  # libyaml reads past it, the proxy's loader stops
        raise _error("a byte-order mark (U+FEFF) inside the file; the proxy's loader refuses "
                     "it: delete that invisible character", text, stray_bom)
    odd = _odd_line_break(text)
    if odd >= 0:
        name = {"\r": "a lone carriage return (old Mac line ending)", "\x85": "a NEL (U+0085)",
                "\u2028": "a LINE SEPARATOR (U+2028)", "\u2029": "a PARAGRAPH SEPARATOR (U+2029)"}
        raise _error(f"{name[text[odd]]}, which YAML reads as a line break; litellm-gen edits "
                     "files with LF or CRLF line endings only: convert the file (dos2unix, or "
                     "your editor's line-ending setting)", text, odd)


def _odd_line_break(text: str) -> int:
    """Offset of the first line break other than LF or CRLF, or -1."""
    found = [at for at in (text.find(c) for c in _OTHER_BREAKS) if at >= 0]
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        at = text.find("\r")
        while text[at + 1:at + 2] == "\n":
            at = text.find("\r", at + 1)
        found.append(at)
    return min(found, default=-1)


def _check_tabs(text: str, scan: ConfigScan) -> None:
    """libyaml allows tabs between tokens and in plain scalars; the proxy's loader does not.
    One linear pass over the tabs (loader.py) says whether they all stand where the two
    agree; only the proxy's own loader can judge the others, and it runs on those files."""
    from generator.boundary.loader import ProxyLoader, tabs_where_parsers_agree

    if not tabs_where_parsers_agree(text, list(scan.literal_spans)):
        yaml.load(text, Loader=ProxyLoader)


def _scan(text: str, key_path: tuple[str, ...], parser, markers: Sequence[str]) -> ConfigScan:
    checks = _Checks(text, markers)
    get_event = parser(text).get_event
    state = _ScanState(text, key_path, checks)
    stack: list[_Frame] = [_Frame.root()]
    while True:
        ev = get_event()
        cls = ev.__class__
        if cls is ScalarEvent or cls is AliasEvent:
            state.on_value(stack[-1], ev, cls)
        elif cls is MappingStartEvent and stack[-1].role == MODELS and \
                ev.anchor is None and ev.tag is None:
            state.read_entry(get_event, ev, stack[-1].flow)  # the hot path: one per item
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            frame = state.on_start(stack[-1], ev, cls is MappingStartEvent, get_event)
            if frame is not None:
                stack.append(frame)
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            state.on_end(stack, ev)
        elif cls is DocumentStartEvent:
            state.documents += 1
            if state.documents > 1:
                raise _error("the file holds more than one YAML document (---); the proxy "
                             "reads a config of exactly one", text, ev.start_mark.index)
        elif cls is StreamEndEvent:
            break
    return state.result(checks)


class _ScanState:
    """What the pass over role-bearing nodes has found so far."""

    def __init__(self, text: str, key_path: tuple[str, ...], checks: _Checks):
        self.text = text
        self.key_path = key_path
        self.checks = checks
        self.documents = 0
        self.last = None       # the most recent event that ends content (scalar, alias, flow end)
        self.indent_step = 0   # the first nested block mapping's indentation, anywhere
        self.entry_step = 0    # the same inside a model_list entry, which wins when present
        self.includes: list[str] = []
        self.container: _Frame | None = None
        self.container_end = 0
        self.root_merge_at: int | None = None
        self.model_list: ModelList | None = None
        self.include_list: IncludeList | None = None
        self.entries: list[Entry] = []
        self.changed_anchors: list[tuple[str, int]] = []
        self.path_columns: list[int] = []   # key column of each mapping from the root down
        self.container_keys: list[int] = []  # line starts of the container's keys
        self.entry_step_at: int | None = None  # the entry whose nesting gave entry_step
        self.skim = _Skim(text, checks)

    # -- scalars and aliases -------------------------------------------------------------
    def on_value(self, top: _Frame, ev, cls) -> None:
        checks = self.checks
        if checks.pending_merge:
            _merge_value(ev, cls, self.text, checks)
        if cls is ScalarEvent and ev.implicit[0] and ev.anchor is None and ev.tag is None \
                and ev.value[4:5] != "-":
            token = ev.value  # the common case, without the call
        else:
            token = _checked_scalar(ev, cls, self.text, checks)
        self.last = ev
        if top.expect_key:
            self._on_key(top, ev, cls, token)
            return
        if token == "=" or token == "<<":
            _build_scalar(ev, self.text)  # resolved as !!value / !!merge: no builder
        if top.is_map:
            top.expect_key = True
            role, top.value_role = top.value_role, None
            if role is not None:
                self._on_scalar_value(top, ev, cls, role)
        elif top.role is not None:
            self._on_item(top, ev, cls)

    def _on_key(self, top: _Frame, ev, cls, token) -> None:
        top.keys.append(token if token.__class__ is str and not (
            token in _LOADED_KEY_SPELLINGS or token[:1] in _NUMERIC_FIRST) else _key_of(ev, cls))
        top.expect_key = False
        if top.key_column is None:
            top.key_column = ev.start_mark.column
            if top.role == PATH:
                self.path_columns.append(top.key_column)
        if top is self.container:
            self._note_container_key(ev.start_mark.index)
        key = ev.value if cls is ScalarEvent else None
        if key == "<<" and ev.implicit[0]:
            self.checks.pending_merge = True
            if top.merge_at is None:
                top.merge_at = ev.start_mark.index
        if top.role == ENTRY:
            if key == "model_name":
                top.value_role = MODEL_NAME
            elif key == "litellm_params":
                top.value_role = PARAMS
        elif top.role in (ROOT, PATH):
            _note_key(top, ev, key, self.key_path)

    def _on_scalar_value(self, top: _Frame, ev, cls, role: int) -> None:
        text = self.text
        if role == MODEL_NAME:
            if cls is ScalarEvent:
                top.model_name = ev.value
        elif role == PARAMS:
            _check_params_value(ev, cls, text, self.checks)
        elif role == MODELS:
            self._note_changed_anchor(ev)
            self.model_list = _scalar_model_list(ev, text, self.container)
        elif role == INCLUDE:
            self._note_changed_anchor(ev)
            self.include_list = _scalar_include(ev, text, top)
        elif role == PATH:
            name = top_key_name(self.key_path, top.depth + 1)
            if cls is AliasEvent:
                raise _error(f"{name} is an alias (*{ev.anchor}) of a mapping written elsewhere; "
                             "litellm-gen cannot add to it without changing every place that "
                             f"uses &{ev.anchor}: write {name} as a mapping of its own", text,
                             ev.start_mark.index)
            raise _error(f"{name} must be a mapping that holds model_list", text,
                         ev.start_mark.index)

    def _on_item(self, top: _Frame, ev, cls) -> None:
        if top.role == MODELS:
            if cls is AliasEvent and self.checks.kinds.get(ev.anchor) == "map":
                # `- *base`: an entry written elsewhere; its model_name comes from the loader.
                self.entries.append(_entry(ev.start_mark.index, ev.start_mark.line, None,
                                           self.text, ev.end_mark.index, len(self.entries), ()))
                return
            raise _error("each model_list item must be a mapping with model_name and "
                         "litellm_params", self.text, ev.start_mark.index)
        if top.role == INCLUDE and cls is ScalarEvent:
            self.includes.append(ev.value)
        elif top.role == ROOT:
            raise _error("the config must be a mapping of settings (model_list:, "
                         "general_settings:, ...), not a single value", self.text,
                         ev.start_mark.index)

    def _note_container_key(self, index: int) -> None:
        """A line where a key of model_list's mapping starts: where the proof may cut."""
        line_start = self.text.rfind("\n", 0, index) + 1
        if not self.text[line_start:index].strip(" "):
            self.container_keys.append(line_start)

    def _note_changed_anchor(self, ev) -> None:
        if ev.anchor is not None:
            self.changed_anchors.append((ev.anchor, ev.start_mark.index))

    # -- collections ---------------------------------------------------------------------
    def on_start(self, top: _Frame, ev, is_map: bool, get_event) -> _Frame | None:
        checks, text = self.checks, self.text
        if checks.pending_merge:
            _merge_value(ev, ev.__class__, text, checks)
        if ev.anchor is not None or ev.tag is not None:
            _check_node(ev, text, checks)
        mark = ev.start_mark
        if top.expect_key:
            raise _error("a mapping or list used as a key: yaml.safe_load cannot load it",
                         text, mark.index)
        role = None
        if top.is_map:
            top.expect_key = True
            role, top.value_role = top.value_role, None
            # A mapping's start mark is at its anchor or tag when it has one: not a key column.
            if is_map and not ev.flow_style and not top.flow and ev.anchor is None \
                    and ev.tag is None:
                step = mark.column - (top.key_column if top.key_column is not None
                                      else top.column)
                if not self.indent_step:
                    self.indent_step = step
                if not self.entry_step and top.role == ENTRY:
                    self.entry_step = step
                    self.entry_step_at = len(self.entries)
        elif top.role is not None:
            role = _item_role(top.role, is_map, ev, text)
        if role == PARAMS and not is_map:
            _check_params_value(ev, ev.__class__, text, self.checks)
        if role is None or role == PARAMS:
            # Nothing inside needs a role: read the whole subtree in the tight loop.
            strict = top.role in (ENTRY, MODELS)
            self.last = self.skim.read(get_event, ev, strict) or self.last
            return None
        return self._push(top, ev, is_map, role)

    def _push(self, top: _Frame, ev, is_map: bool, role: int) -> _Frame:
        text, mark = self.text, ev.start_mark
        if ev.tag not in _PLAIN_COLLECTION_TAGS[is_map]:
            where = "the config's top level" if top.role == ROOT else _ROLE_NAMES[role]
            from generator.boundary.secrets import shown_tag  # the tag is the operator's text

            raise _error(f"the tag {shown_tag(ev.tag)} on "
                         f"{where} makes the proxy's loader build something else "
                         f"than the {'mapping' if is_map else 'list'} the proxy reads; remove "
                         "the tag", text, mark.index)
        if role in (MODELS, INCLUDE):
            self._note_changed_anchor(ev)
        frame = _Frame.opened(ev, is_map, role, top)
        # The item's own anchor (`- &name`) was logged by on_start's checks: it counts too.
        frame.anchors_before = len(self.checks.anchor_log) - (ev.anchor is not None)
        if role == PATH:
            self._note_changed_anchor(ev)
            if not is_map or frame.flow:
                raise _error(f"{top_key_name(self.key_path, frame.depth)} must be a block "
                             "mapping that holds model_list", text, mark.index)
            if frame.depth == len(self.key_path):
                self.container = frame
        elif role == MODELS and is_map:
            raise _error("model_list must be a list of entries, not a mapping", text,
                         mark.index)
        return frame

    def on_end(self, stack: list[_Frame], ev) -> None:
        frame = stack.pop()
        if frame.flow:
            self.last = ev
        if frame.is_map and len(frame.keys) > 1 and len(set(frame.keys)) != len(frame.keys):
            self.checks.duplicates.append((frame.start, _strict_keys(frame, self.key_path)))
        role = frame.role
        if role == ENTRY:
            self._end_entry(frame.keys, frame.model_name, frame.anchors_before, frame.start,
                            frame.line)
        elif role == MODELS:
            self.model_list = _sequence_model_list(frame, ev, self.text, self.container,
                                                   self.last, self.entries)
        elif role == INCLUDE:
            self.include_list = IncludeList(
                ("empty-flow" if not self.includes else "flow") if frame.flow else "block",
                stack[-1].include_key.end_mark.index, frame.start,
                (ev if frame.flow else self.last).end_mark.index, frame.column)
        if frame is self.container:
            self.container_end = self.last.end_mark.index if self.last is not None \
                else frame.start
        if role == PATH and frame.depth == 0:
            self.root_merge_at = frame.merge_at

    def read_entry(self, get_event, start, in_flow: bool) -> None:
        """One model_list item in skim mode (the hot path): no frame per level.

        Items with an anchor or a tag take the general path, with a frame for the item.
        """
        mark = start.start_mark
        before = len(self.checks.anchor_log)
        last, keys, model_name, step = self.skim.read_entry(get_event, start, in_flow,
                                                            not self.entry_step)
        if last is not None:
            self.last = last
        if step:
            self._note_step(step)
        self._end_entry(keys, model_name, before, mark.index, mark.line)

    def _note_step(self, step: int) -> None:
        if not self.indent_step:
            self.indent_step = step
        if not self.entry_step:
            self.entry_step = step
            self.entry_step_at = len(self.entries)

    def _end_entry(self, keys: list, model_name, anchors_before: int, start: int,
                   line: int) -> None:
        if "model_name" not in keys or "litellm_params" not in keys:
            _check_entry(keys, start, self.text)
        log = self.checks.anchor_log
        anchors = tuple(a for a, _ in log[anchors_before:]) if len(log) > anchors_before else ()
        self.entries.append(_entry(start, line, model_name, self.text,
                                   self.last.end_mark.index, len(self.entries), anchors))

    def result(self, checks: _Checks) -> ConfigScan:
        text, container = self.text, self.container
        if self.documents == 0:
            raise UserError("the config is empty; the proxy refuses an empty config "
                            "(run `litellm-gen init` for a starter)", line=1, column=1)
        if container is None:
            merged = self.root_merge_at
            raise UserError(f"no {'.'.join(self.key_path)} mapping found: --key-path names a "
                            "key that is not in the config" + (
                                f" (if it comes from the merge key (<<) on line "
                                f"{_line_col(text, merged)[0]}, write it in this file: "
                                "litellm-gen cannot add to a mapping written elsewhere)"
                                if merged is not None else ""), line=1, column=1)
        if checks.deferred is not None:
            raise checks.deferred
        warnings = _duplicate_findings(text, checks.duplicates) if checks.duplicates else ()
        if checks.build_collections:
            yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        column = container.key_column if container.key_column is not None else (
            container.column)
        model_list = self.model_list or ModelList.missing(self.container_end, column)
        if model_list.container_column != column:
            model_list = _with_container_column(model_list, column)
        step = self.entry_step if self.entry_step > 0 else (
            self.indent_step if self.indent_step > 0 else 2)
        data = AliasUse(frozenset(checks.aliases), tuple(self.changed_anchors))
        return ConfigScan(model_list, step, tuple(self.includes), self.include_list, data,
                          warnings, tuple(sorted(checks.literal_spans)), tuple(self.path_columns),
                          tuple(self.container_keys), bool(checks.anchor_set), self.entry_step_at,
                          tuple(checks.anchor_log), _first_newline(text),
                          tuple(checks.kinds.items()), alias_log=tuple(checks.alias_log),
                          needs_whole=checks.tagged, container_merge_at=container.merge_at,
                          root_merge_at=self.root_merge_at)


def _first_newline(text: str) -> str:
    end = text.find("\n")
    return "\r\n" if end > 0 and text[end - 1] == "\r" else "\n"


def _with_container_column(ml: ModelList, column: int) -> ModelList:
    return replace(ml, container_column=column)


def _checked_scalar(ev, cls, text: str, checks: _Checks):
    """A scalar or alias event, after its checks: its text when it is a plain scalar with
    neither anchor nor tag (a key compared as written), else a tuple (compared loaded)."""
    if cls is AliasEvent:
        if ev.anchor not in checks.anchor_set:
            from generator.boundary.secrets import ALIAS_SHOWN  # the alias is the operator's text

            raise _error(f"an alias ({ALIAS_SHOWN}) refers to no anchor defined before it (a "
                         "value that starts with * is an alias to YAML: quote it)",
                         text, ev.start_mark.index)
        checks.aliases.add(ev.anchor)
        checks.alias_log.append((ev.anchor, ev.start_mark.index))
        return ("*", ev.anchor)
    _check_node(ev, text, checks)
    if ev.implicit[0] and ev.anchor is None:
        if ev.value[4:5] == "-" and ev.value[:1] in _DIGITS:
            _build_scalar(ev, text)
        return ev.value
    if not ev.implicit[0] and ev.end_mark.index > checks.next_interest:
        _note_span(ev, checks)
    if ev.style and ev.style in "|>":
        _check_block_header(ev, text)
    if ev.tag not in _STR_TAGS or (ev.implicit[0] and ev.value[4:5] == "-"):
        _build_scalar(ev, text)
    return ("s", ev.value, ev.anchor, ev.tag, ev.implicit)


def _check_node(ev, text: str, checks: _Checks) -> None:
    """Tags the proxy's loader cannot construct, and anchors for the alias check."""
    if checks.tags and ev.tag not in SAFE_TAGS:
        raise _tag_error(ev, text)
    if ev.tag is not None:
        checks.tagged = True
    if ev.anchor is not None:
        if ev.anchor in checks.anchor_set:
            first = next((at for name, at in checks.anchor_log if name == ev.anchor), None)
            where = f" (first on line {_line_col(text, first)[0]})" if first is not None else ""
            from generator.boundary.secrets import shown_name  # the anchor is the operator's text

            raise _error(f"the anchor &{shown_name(ev.anchor)} is defined twice{where}; the "
                         "proxy's yaml.safe_load refuses a repeated anchor", text,
                         ev.start_mark.index)
        checks.anchor_set.add(ev.anchor)
        checks.anchor_log.append((ev.anchor, ev.start_mark.index))
        cls = ev.__class__
        checks.kinds[ev.anchor] = ("map" if cls is MappingStartEvent else
                                   "seq" if cls is SequenceStartEvent else "other")
    if ev.tag in _COLLECTION_TAGS_TO_BUILD:
        checks.build_collections = True  # !!omap, !!pairs, !!set: rare; built at the end


def _build_scalar(ev, text: str) -> None:
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


def _key_of(ev, cls):
    """A mapping key as the duplicate check compares it: by the value safe_load builds."""
    if cls is AliasEvent:
        return ("*", ev.anchor)
    value = ev.value
    if ev.tag is not None and ev.tag not in _STR_TAGS or ev.implicit[0] and (
            value in _LOADED_KEY_SPELLINGS or value[:1] in _NUMERIC_FIRST):
        return _loaded_key(ev)
    return value


def _loaded_key(ev):
    tag = ev.tag or _RESOLVER.resolve(yaml.ScalarNode, ev.value, ev.implicit)
    if tag in _STR_TAGS:
        return ev.value
    try:
        value = _CONSTRUCTOR.construct_object(yaml.ScalarNode(tag, ev.value), deep=True)
        hash(value)
    except Exception:  # noqa: BLE001 - refused with its location by _build_scalar elsewhere
        return ("?", tag, ev.value)
    return ("=", value)


class _Skim:
    """Skim mode of the scan: a role-less collection, or a model_list item, read to its end
    in one tight loop with the checks and no frame per level.

    Most events of a large config are inside model_list entries; `read` does for them the
    least the checks need, with the common plain scalar inline. One per scan, reused.
    """
    __slots__ = ("text", "checks", "strict", "outer", "merging_at",
                 "entry", "entry_flow", "model_name", "step", "key_column")

    def __init__(self, text: str, checks: _Checks):
        self.text, self.checks = text, checks
        self.outer: list = []  # (keys, expect, flow, start) of each level above read's
        self.entry = False     # reading a model_list item: note its own keys too
        self.merging_at = -1

    def read_entry(self, get_event, start, in_flow: bool, want_step: bool) -> tuple:
        """A model_list item without anchor or tag: (last event, keys, model_name, step).

        `step`: the indentation of its first nested block mapping, when `want_step`, else 0.
        """
        self.entry, self.entry_flow = True, bool(start.flow_style) or in_flow
        self.model_name, self.step = None, None if want_step else 0
        self.key_column = start.start_mark.column  # a block mapping starts at its first key
        keys: list = []
        try:
            last = self.read(get_event, start, True, keys)
        finally:
            self.entry = False
        return last, keys, self.model_name, self.step

    def read(self, get_event, start, strict: bool, keys=None) -> object:
        """Read what `start` opens to its end; return the last event ending content."""
        keys = self.begin(start, strict, keys)
        expect, flow, here = keys is not None, bool(start.flow_style), start.start_mark.index
        outer, entry, text = self.outer, self.entry, self.text
        bare, watch = self.checks.bare, self.checks.spans  # no "!"/"&"; a tab or a marker
        pending, last = False, None  # pending: a `<<` key was read, its value is next
        while True:
            ev = get_event()
            cls = ev.__class__
            if cls is ScalarEvent and (bare or ev.anchor is None and ev.tag is None):
                last = ev
                value = ev.value
                if ev.implicit[0]:
                    if expect:
                        keys.append(_loaded_key(ev) if value in _LOADED_KEY_SPELLINGS or
                                    value[:1] in _NUMERIC_FIRST else value)
                        expect = False
                        pending = value == "<<"
                        continue
                    if value[4:5] == "-" and value[:1] in _DIGITS:
                        _build_scalar(ev, text)  # dddd-...: an implicit date must be valid
                    elif value == "=" or value == "<<":
                        _build_scalar(ev, text)  # resolved as !!value / !!merge: no builder
                else:
                    self.quoted(ev, watch)
                    if expect:
                        keys.append(value)
                        expect = False
                        continue
                if keys is not None:
                    expect = True
                    if pending or not outer and entry:
                        pending = self.mapping_value(ev, cls, keys, pending)
                elif self.merging_at >= 0:
                    self.sequence_item(ev, cls)
            elif cls is ScalarEvent or cls is AliasEvent:  # with an anchor or tag, or an alias
                last = ev
                expect, pending = self.odd_scalar(ev, cls, keys, expect, pending)
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                if expect or pending or self.merging_at >= 0 or not bare and (
                        ev.anchor is not None or ev.tag is not None) or \
                        entry and not outer and (self.step is None or
                                                 cls is SequenceStartEvent):
                    self.open(ev, cls, keys, expect, pending)
                    pending = False
                outer.append((keys, keys is not None, flow, here))  # expects a key once done
                if len(outer) > MAX_DEPTH:
                    raise self.too_deep(ev)
                keys = [] if cls is MappingStartEvent else None
                expect, flow, here = keys is not None, flow or ev.flow_style, ev.start_mark.index
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                if flow:
                    last = ev
                if keys is not None and len(keys) > 1 and len(set(keys)) != len(keys):
                    self.checks.duplicates.append((here, strict))
                if not outer:
                    return last
                if self.merging_at == len(outer):
                    self.merging_at = -1
                keys, expect, flow, here = outer.pop()

    def begin(self, start, strict: bool, keys: list | None):
        """Set up a read of the collection `start` opens: its keys list (None: a list)."""
        self.strict = strict
        # The depth whose items must be mappings (the list of a `<<: [...]`), or -1.
        self.merging_at = 0 if self.checks.merge_list else -1
        self.checks.merge_list = False
        if keys is None and start.__class__ is MappingStartEvent:
            keys = []
        return keys

    def quoted(self, ev, watch: bool) -> None:
        """A quoted or block scalar without anchor or tag."""
        if watch and ev.end_mark.index > self.checks.next_interest:
            _note_span(ev, self.checks)
        if ev.style in "|>":
            _check_block_header(ev, self.text)

    def odd_scalar(self, ev, cls, keys, expect: bool, pending: bool) -> tuple[bool, bool]:
        """A scalar with an anchor or a tag, or an alias: (expect, pending) after it."""
        if expect:
            _checked_scalar(ev, cls, self.text, self.checks)
            keys.append(_key_of(ev, cls))
            return False, cls is ScalarEvent and ev.value == "<<" and ev.implicit[0]
        if keys is not None:
            pending = self.mapping_value(ev, cls, keys, pending)
        elif self.merging_at >= 0:
            self.sequence_item(ev, cls)
        _checked_scalar(ev, cls, self.text, self.checks)
        return keys is not None, pending

    def mapping_value(self, ev, cls, keys: list, pending: bool) -> bool:
        """A value (scalar, alias or collection) of a mapping: merge keys, entry keys."""
        if pending:
            _merge_value(ev, cls, self.text, self.checks)
        if self.entry and not self.outer:
            key = keys[-1]
            if cls is ScalarEvent and key == "model_name":
                self.model_name = ev.value
            if key == "litellm_params":
                _check_params_value(ev, cls, self.text, self.checks)
            if cls is MappingStartEvent and self.step is None and not ev.flow_style \
                    and not self.entry_flow and ev.anchor is None and ev.tag is None:
                self.step = ev.start_mark.column - self.key_column
        return False

    def sequence_item(self, ev, cls) -> None:
        if self.merging_at == len(self.outer):
            _merge_item(ev, cls, self.text, self.checks)

    def open(self, ev, cls, keys, expect: bool, pending: bool) -> None:
        """The checks of a collection that starts: as a key, a merge, a tag or anchor."""
        text, checks = self.text, self.checks
        if expect:
            raise _error("a mapping or list used as a key: yaml.safe_load cannot load it",
                         text, ev.start_mark.index)
        if keys is not None:
            self.mapping_value(ev, cls, keys, pending)
        elif self.merging_at >= 0:
            self.sequence_item(ev, cls)
        if ev.anchor is not None or ev.tag is not None:
            _check_node(ev, text, checks)
        if checks.merge_list:  # this list is the value of a `<<`
            checks.merge_list = False
            if self.merging_at >= 0:
                checks.build_collections = True  # lists to merge inside one: built whole
            else:
                self.merging_at = len(self.outer) + 1

    def too_deep(self, ev) -> UserError:
        return _error(f"the config nests deeper than {MAX_DEPTH} levels; litellm-gen stops "
                      "there because the proxy's pure-Python loader recurses per level "
                      "(measured: RecursionError near 500 levels)", self.text,
                      ev.start_mark.index)


def _check_params_value(ev, cls, text: str, checks: _Checks) -> None:
    """litellm_params must be a mapping (or an alias of one): the proxy reads `model` in it."""
    if cls is MappingStartEvent or cls is AliasEvent and checks.kinds.get(ev.anchor) == "map":
        return
    aliased = "list" if checks.kinds.get(getattr(ev, "anchor", None)) == "seq" else "single value"
    what = ("a list" if cls is SequenceStartEvent else
            f"an alias (*{ev.anchor}) of a {aliased}" if cls is AliasEvent else "a single value")
    # Kept until the end of the scan: a syntax error further on is what to report first.
    checks.deferred = checks.deferred or _error(
        f"litellm_params of this model_list item is {what}, not a mapping; the proxy refuses "
        "to start (it needs at least `model:` there)", text, ev.start_mark.index)


# The tags a role-bearing collection may carry: what it loads as without one.
_PLAIN_COLLECTION_TAGS = {True: (None, "!", "tag:yaml.org,2002:map"),
                          False: (None, "!", "tag:yaml.org,2002:seq")}
_ROLE_NAMES = {PATH: "a mapping on the way to model_list", MODELS: "model_list",
               ENTRY: "a model_list item", INCLUDE: "include"}


def _item_role(parent_role: int, is_map: bool, ev, text: str) -> int | None:
    """The role of a collection that is an item of a role-bearing sequence (or the root)."""
    if parent_role == MODELS:
        if not is_map:
            raise _error("each model_list item must be a mapping with model_name and "
                         "litellm_params, not a list", text, ev.start_mark.index)
        return ENTRY
    if parent_role == ROOT:
        if not is_map:
            raise _error("the config must be a mapping of settings (model_list:, "
                         "general_settings:, ...), not a list", text, ev.start_mark.index)
        if ev.flow_style:
            raise _error("the config is written as one flow mapping ({...}); litellm-gen "
                         "edits block-style YAML only and will not reformat your file",
                         text, ev.start_mark.index)
        return PATH
    return None


def _tag_error(ev, text: str) -> UserError:
    from generator.boundary.secrets import shown_tag  # the tag is the operator's text

    return _error(f"custom tag {shown_tag(ev.tag)} is not allowed: the proxy reads the config "
                  "with yaml.safe_load, which rejects it (a value that starts with ! is a tag "
                  "to YAML: quote it)", text, ev.start_mark.index)


def _strict_keys(frame: _Frame, key_path: tuple[str, ...]) -> bool:
    """Whether a duplicate in this role-bearing mapping changes what the merge relies on."""
    if frame.role in (ENTRY, MODELS):
        return True
    wanted = {"model_list", "include"}
    if frame.depth < len(key_path):
        wanted.add(key_path[frame.depth])
    counts: dict = {}
    for key in frame.keys:
        counts[key] = counts.get(key, 0) + 1
    return any(counts.get(k, 0) > 1 for k in wanted)


def _duplicate_findings(text: str, found: list[tuple[int, bool]]) -> tuple[str, ...]:
    """Refuse the first duplicate that matters; describe the others as warnings.

    Rare: the text is read once more, keeping each key's mark, to name both lines.
    """
    targets = dict(found)
    get_event = _Parser(text).get_event
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
                    key = _key_of(ev, cls) if cls in (ScalarEvent, AliasEvent) else object()
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


def _merge_item(ev, cls, text: str, checks: "_Checks") -> None:
    """An item of a `<<: [...]` list: a mapping, or an alias of one."""
    kind = ("map" if cls is MappingStartEvent else
            checks.kinds.get(ev.anchor, "other") if cls is AliasEvent else "other")
    if kind != "map":
        raise _error("a merge key (<<) list must hold only mappings; yaml.safe_load refuses "
                     "this", text, ev.start_mark.index)


def _merge_value(ev, cls, text: str, checks: "_Checks") -> None:
    """The value of a `<<` key must be a mapping, or safe_load refuses the file."""
    checks.pending_merge = False
    kind = ("map" if cls is MappingStartEvent else "seq" if cls is SequenceStartEvent
            else checks.kinds.get(ev.anchor, "other") if cls is AliasEvent else "other")
    if cls is SequenceStartEvent:
        checks.merge_list = True  # `<<: [*a, *b]`: _skim checks each item is a mapping
    elif kind == "seq":
        checks.build_collections = True  # an alias to a list of mappings: rare, built whole
    elif kind != "map":
        raise _error("a merge key (<<) must name a mapping or a list of mappings; "
                     "yaml.safe_load refuses this", text, ev.start_mark.index)


def top_key_name(key_path: tuple[str, ...], depth: int) -> str:
    return ".".join(key_path[:depth]) or "the config"


def _scalar_include(ev, text: str, root: _Frame) -> IncludeList:
    if ev.__class__ is ScalarEvent and ev.implicit[0] and ev.value in NULL_SCALARS:
        key_end = root.include_key.end_mark.index
        start, end = (ev.start_mark.index, ev.end_mark.index) if ev.value else (key_end, key_end)
        return IncludeList("null", key_end, start, end, None)
    raise _error("include must be a list of file names", text, ev.start_mark.index)


def _note_key(frame: _Frame, ev, key: str | None, key_path: tuple[str, ...]) -> None:
    """Give the value of an interesting key its role."""
    if frame.role == PATH:
        depth = frame.depth
        if depth == len(key_path) and key == "model_list":
            frame.value_role = MODELS
            frame.list_key = ev
        elif depth < len(key_path) and key == key_path[depth]:
            frame.value_role = PATH
        if depth == 0 and key == "include":
            frame.value_role = INCLUDE
            frame.include_key = ev


def _check_entry(keys: list, start: int, text: str) -> None:
    if "<<" in keys:  # keys may come from a merged anchor; the proxy will tell
        return
    missing = [k for k in ("model_name", "litellm_params") if k not in keys]
    if missing:
        raise _error(f"model_list item lacks {' and '.join(missing)}; the proxy needs both",
                     text, start)


def _entry(start: int, line: int, model_name, text: str, end: int, position: int,
           anchors: tuple) -> Entry:
    if text[start - 2:start] == "- ":  # the usual "- model_name:": dash right before
        dash = start - 2
    else:
        dash = _dash_before(text, start)
    line = line + 1 - text.count("\n", dash, start)
    name = model_name if isinstance(model_name, str) else None
    return _new_tuple(Entry, (position, dash, end, line, name, anchors))


def _dash_before(text: str, start: int) -> int:
    """The item's "-": on its line, or lines above when a comment follows the dash."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start].strip()
    if before.startswith("-") and not before[1:].strip():
        return text.index("-", line_start)
    if before:
        return start  # an odd shape: the item starts where its mapping does
    at = line_start
    while at > 0:
        prev_start = text.rfind("\n", 0, at - 1) + 1
        stripped = text[prev_start:at].strip()
        if stripped.startswith("-") and (not stripped[1:].strip() or
                                         stripped[1:].lstrip().startswith("#")):
            return text.index("-", prev_start)
        if stripped and not stripped.startswith("#"):
            break
        at = prev_start
    return start


def _scalar_model_list(ev, text: str, container: _Frame | None) -> ModelList:
    if ev.__class__ is AliasEvent:
        raise _error("model_list is an alias (*name); litellm-gen cannot add entries to a list "
                     "written elsewhere", text, ev.start_mark.index)
    if ev.implicit[0] and ev.value in NULL_SCALARS:
        key_end = container.list_key.end_mark.index
        # `model_list: ~` or `: null` has a token to remove; a bare `model_list:` has none.
        start, end = (ev.start_mark.index, ev.end_mark.index) if ev.value else (key_end, key_end)
        return ModelList.null(key_end, start, end, container.column)
    raise _error("model_list must be a list of entries, not a single value",
                 text, ev.start_mark.index)


def _sequence_model_list(frame: _Frame, ev, text: str, container: _Frame | None,
                         last, entries: list[Entry]) -> ModelList:
    key_end = container.list_key.end_mark.index
    if frame.flow:
        if entries:
            raise _error("model_list is a flow list ([...]) with entries; litellm-gen will not "
                         "reformat it: rewrite it as a block list (one '- model_name:' per "
                         "entry) and run again", text, frame.start)
        return ModelList.empty_flow(key_end, frame.start, ev.end_mark.index, container.column)
    item_column = None
    dash_column = frame.column  # the start mark: at the first dash, unless an anchor or tag
    if entries:
        dash_column = _column(text, entries[0].dash)
        item_column = _column(text, _first_key_offset(text, entries[0].dash))
    return ModelList.block(key_end, frame.start, last.end_mark.index, dash_column, item_column,
                           container.column, tuple(entries))


def _first_key_offset(text: str, dash: int) -> int:
    """Offset of the first non-blank character after the dash, on its line or later."""
    i = dash + 1
    n = len(text)
    while i < n and text[i] in " \t\r\n":
        i += 1
    return i


def _column(text: str, index: int) -> int:
    return index - (text.rfind("\n", 0, index) + 1)
