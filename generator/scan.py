"""Where things are in a config's text: one pass over libyaml's event stream.

The merge never re-emits the operator's YAML. It needs only offsets: where
`model_list` is, where each entry starts and ends, and how the file indents.
libyaml (the proxy's own parser, through PyYAML) reports those as marks on its
events, and one event pass is the cheapest complete read of a file. The same
pass refuses what the proxy's `yaml.safe_load` would refuse or silently
misread: several documents, custom tags, undefined aliases, unhashable keys and
duplicate keys (PyYAML keeps the last one without a word).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Sequence

import yaml
from yaml.events import (AliasEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent,
                         ScalarEvent, SequenceEndEvent, SequenceStartEvent, StreamEndEvent)

from .errors import UserError

try:
    from yaml import CSafeLoader as _Parser
except ImportError:  # pragma: no cover - PyYAML without libyaml; same events, slower
    from yaml import SafeLoader as _Parser

# The tags yaml.safe_load can construct; anything else makes the proxy refuse the file.
SAFE_TAGS = frozenset({None, "!"} | {f"tag:yaml.org,2002:{t}" for t in (
    "null", "bool", "int", "float", "binary", "timestamp", "omap", "pairs", "set", "str",
    "seq", "map")})
NULL_SCALARS = frozenset({"", "~", "null", "Null", "NULL"})


@dataclass(frozen=True)
class Entry:
    """One item of model_list, as offsets into the text."""
    position: int          # 0-based index in model_list
    dash: int              # offset of the "-" that opens the item
    end: int               # offset just past the item's last content
    line: int              # 1-based line of the dash
    model_name: str | None  # None when the item hides it (alias, merge key)


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


@dataclass(frozen=True)
class IncludeList:
    """The top-level `include:` list: where a new file name would go."""
    shape: Literal["null", "empty-flow", "flow", "block"]
    key_end: int
    value_start: int
    value_end: int
    dash_column: int | None


@dataclass(frozen=True)
class ConfigScan:
    model_list: ModelList
    indent_step: int          # the file's mapping indentation (2 when it has none)
    includes: tuple[str, ...]  # top-level `include:` file names
    include_list: IncludeList | None = None


class _Frame:
    """A mapping or sequence being read; only role-bearing frames look at their keys."""
    __slots__ = ("is_map", "flow", "keys", "expect_key", "column", "role", "value_role",
                 "depth", "model_name", "list_key", "include_key", "start", "line")

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


# Roles of the few nodes the scan looks into; every other node is only validated.
ROOT, PATH, MODELS, ENTRY, INCLUDE, MODEL_NAME = range(6)


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
            problem = ("a tab character where YAML needs spaces (tabs cannot indent YAML); "
                       "replace it with spaces")
        elif context:
            problem = f"{problem} ({context})"
        return UserError(f"invalid YAML: {problem}", line=mark.line + 1, column=mark.column + 1)
    return UserError(f"invalid YAML: {problem}")


# libyaml lets a few things through that PyYAML's pure-Python safe_load, the proxy's own
# loader, refuses: tabs between tokens and merge keys (<<) of non-mappings. A config with
# either is also loaded with that loader; the many without pay nothing.
_PROXY_LOADER_TRIGGERS = ("\t", "<<")


def scan_config(text: str, key_path: Sequence[str] = ()) -> ConfigScan:
    """Locate model_list (under `key_path`) and its entries; raise UserError on bad input."""
    stray_bom = text.find("\ufeff")
    if stray_bom >= 0:  # libyaml reads past it, the proxy's loader stops
        raise _error("a byte-order mark (U+FEFF) inside the file; the proxy's loader refuses "
                     "it: delete that invisible character", text, stray_bom)
    try:
        scan = _scan(text, tuple(key_path))
        if any(trigger in text for trigger in _PROXY_LOADER_TRIGGERS):
            yaml.load(text, Loader=yaml.SafeLoader)
        return scan
    except yaml.YAMLError as exc:
        raise _translate_yaml_error(exc, text) from None
    except (ValueError, TypeError, OverflowError) as exc:  # a value safe_load cannot build
        raise UserError(f"the proxy's yaml.safe_load cannot load this config: {exc}") from None


def _scan(text: str, key_path: tuple[str, ...]) -> ConfigScan:
    # Tags need "!" and aliases "*": skip those checks on the many files without them.
    check_tags = "!" in text
    check_anchors = "*" in text
    anchors: set[str] = set()
    get_event = _Parser(text).get_event
    root = _Frame(False, False, 0, ROOT, -1, 0, 0)
    stack: list[_Frame] = [root]
    documents = 0
    last = None           # the most recent event that ends content (scalar, alias, flow end)
    indent_step = 0       # the first nested block mapping's indentation, anywhere
    entry_step = 0        # the same inside a model_list entry, which wins when present
    includes: list[str] = []
    container: _Frame | None = None
    container_end = 0
    model_list: dict | None = None
    include_list: IncludeList | None = None
    entries: list[Entry] = []
    depth_path = len(key_path)

    # Only nodes with a role (the root, the key path, model_list, its entries, include)
    # are read here; every other collection goes to _skim, where most events are.
    while True:
        ev = get_event()
        cls = ev.__class__
        if cls is ScalarEvent or cls is AliasEvent:
            if cls is AliasEvent:
                if ev.anchor not in anchors:
                    raise _error(f"alias *{ev.anchor} refers to no anchor defined before it",
                                 text, ev.start_mark.index)
            else:
                if check_tags and ev.tag not in SAFE_TAGS:
                    raise _tag_error(ev, text)
                if check_anchors and ev.anchor is not None:
                    anchors.add(ev.anchor)
            last = ev
            top = stack[-1]
            if top.expect_key:
                key = ev.value if cls is ScalarEvent else ("*", ev.anchor)
                top.keys.append(key)
                top.expect_key = False
                if top.role is not None:
                    if top.role == ENTRY:
                        if key == "model_name":
                            top.value_role = MODEL_NAME
                    else:
                        _note_key(top, ev, key_path, depth_path)
            elif top.is_map:
                top.expect_key = True
                role = top.value_role
                if role is not None:
                    top.value_role = None
                    if role == MODEL_NAME:
                        if cls is ScalarEvent:
                            top.model_name = ev.value
                    elif role == MODELS:
                        model_list = _scalar_model_list(ev, text, container)
                    elif role == INCLUDE:
                        include_list = _scalar_include(ev, text, top)
                    elif role == PATH:
                        raise _error(f"{top_key_name(key_path, top.depth + 1)} must be a "
                                     "mapping that holds model_list", text, ev.start_mark.index)
            elif top.role is not None:
                if top.role == MODELS:
                    raise _error("each model_list item must be a mapping with model_name and "
                                 "litellm_params", text, ev.start_mark.index)
                if top.role == INCLUDE and cls is ScalarEvent:
                    includes.append(ev.value)
                elif top.role == ROOT:
                    raise _error("the config must be a mapping of settings (model_list:, "
                                 "general_settings:, ...), not a single value", text,
                                 ev.start_mark.index)
            continue

        if cls is MappingStartEvent or cls is SequenceStartEvent:
            if check_tags and ev.tag not in SAFE_TAGS:
                raise _tag_error(ev, text)
            if check_anchors and ev.anchor is not None:
                anchors.add(ev.anchor)
            is_map = cls is MappingStartEvent
            mark = ev.start_mark
            top = stack[-1]
            role = None
            if top.expect_key:
                raise _error("a mapping or list used as a key: yaml.safe_load cannot load it",
                             text, mark.index)
            if top.is_map:
                top.expect_key = True
                role = top.value_role
                top.value_role = None
                if is_map and not ev.flow_style and not top.flow:
                    if not indent_step:
                        indent_step = mark.column - top.column
                    if not entry_step and top.role == ENTRY:
                        entry_step = mark.column - top.column
            elif top.role is not None:
                role = _item_role(top.role, is_map, ev, text, key_path)
            if role is None:
                # Nothing inside needs a role: read the whole subtree in the tight loop.
                last = _skim(get_event, ev, text, check_tags, check_anchors, anchors) or last
                continue
            frame = _Frame(is_map, bool(ev.flow_style) or top.flow, mark.column, role,
                           top.depth + 1, mark.index, mark.line)
            if role == PATH:
                if not is_map or frame.flow:
                    raise _error(f"{top_key_name(key_path, frame.depth)} must be a block "
                                 "mapping that holds model_list", text, mark.index)
                if frame.depth == depth_path:
                    container = frame
            elif role == MODELS and is_map:
                raise _error("model_list must be a list of entries, not a mapping",
                             text, mark.index)
            stack.append(frame)
            continue

        if cls is MappingEndEvent or cls is SequenceEndEvent:
            frame = stack.pop()
            if frame.flow:
                last = ev
            if frame.is_map:
                keys = frame.keys
                if len(keys) > 1 and len(set(keys)) != len(keys):
                    _check_unique_keys(keys, text)
            role = frame.role
            if role == ENTRY:
                if "model_name" not in keys or "litellm_params" not in keys:
                    _check_entry(frame, text)
                entries.append(_entry(frame, text, last.end_mark.index, len(entries)))
            elif role == MODELS:
                model_list = _sequence_model_list(frame, ev, text, container, last, entries)
            elif role == INCLUDE:
                include_list = IncludeList(
                    ("empty-flow" if not includes else "flow") if frame.flow else "block",
                    stack[-1].include_key.end_mark.index, frame.start,
                    (ev if frame.flow else last).end_mark.index, frame.column)
            if frame is container:
                container_end = last.end_mark.index if last is not None else frame.start
            continue

        if cls is DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _error("the file holds more than one YAML document (---); the proxy "
                             "reads a config of exactly one", text, ev.start_mark.index)
            continue
        if cls is StreamEndEvent:
            break

    if documents == 0:
        raise UserError("the config is empty; the proxy refuses an empty config "
                        "(run `litellm-gen init` for a starter)", line=1, column=1)
    if container is None:
        raise UserError(f"no {'.'.join(key_path)} mapping found: --key-path names a key that "
                        "is not in the config", line=1, column=1)
    if model_list is None:
        model_list = dict(shape="missing", key_end=container_end, value_start=container_end,
                          value_end=container_end, content_end=container_end, dash_column=None,
                          item_column=None, entries=())
    return ConfigScan(ModelList(container_column=container.column, **model_list),
                      entry_step if entry_step > 0 else indent_step if indent_step > 0 else 2,
                      tuple(includes), include_list)


def _skim(get_event, start, text: str, check_tags: bool, check_anchors: bool,
          anchors: set) -> object:
    """Read a role-less collection to its end: only the checks, no bookkeeping.

    Most events of a large config are inside entries' litellm_params and model_info;
    this loop does for them the least the checks need. Returns the last event that
    ends content (a scalar, an alias or a flow collection's end), or None.
    """
    keys = [] if start.__class__ is MappingStartEvent else None
    expect = keys is not None
    flow = bool(start.flow_style)
    outer: list = []
    last = None
    while True:
        ev = get_event()
        cls = ev.__class__
        if cls is ScalarEvent:
            last = ev
            if expect:
                keys.append(ev.value)
                expect = False
            elif keys is not None:
                expect = True
            if check_tags and ev.tag not in SAFE_TAGS:
                raise _tag_error(ev, text)
            if check_anchors and ev.anchor is not None:
                anchors.add(ev.anchor)
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            if expect:
                raise _error("a mapping or list used as a key: yaml.safe_load cannot load it",
                             text, ev.start_mark.index)
            if check_tags and ev.tag not in SAFE_TAGS:
                raise _tag_error(ev, text)
            if check_anchors and ev.anchor is not None:
                anchors.add(ev.anchor)
            # The parent expects a key again once this value ends.
            outer.append((keys, keys is not None, flow))
            keys = [] if cls is MappingStartEvent else None
            expect = keys is not None
            flow = flow or bool(ev.flow_style)
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            if flow:
                last = ev
            if keys is not None and len(keys) > 1 and len(set(keys)) != len(keys):
                _check_unique_keys(keys, text)
            if not outer:
                return last
            keys, expect, flow = outer.pop()
        elif cls is AliasEvent:
            last = ev
            if ev.anchor not in anchors:
                raise _error(f"alias *{ev.anchor} refers to no anchor defined before it",
                             text, ev.start_mark.index)
            if expect:
                keys.append(("*", ev.anchor))
                expect = False
            elif keys is not None:
                expect = True


def _item_role(parent_role: int, is_map: bool, ev, text: str, key_path) -> int | None:
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
    tag = ev.tag.replace("tag:yaml.org,2002:", "!!")
    return _error(f"custom tag {tag} is not allowed: the proxy reads the config with "
                  "yaml.safe_load, which rejects it", text, ev.start_mark.index)


def _check_unique_keys(keys: list, text: str) -> None:
    if all(k == "<<" for k in keys if keys.count(k) > 1):
        return  # several merge keys are allowed
    # Rare: find the pair again, with marks, by reading the text once more.
    raise _locate_duplicate(text)


def _locate_duplicate(text: str) -> UserError:
    """Read the text again, keeping each key's mark, to name both lines of a duplicate."""
    get_event = _Parser(text).get_event
    stack: list = []  # (seen keys or None for a sequence, [expect_key])
    while True:
        ev = get_event()
        cls = ev.__class__
        if cls is StreamEndEvent:
            return UserError("duplicate key in a mapping")
        if cls is MappingStartEvent or cls is SequenceStartEvent or cls is ScalarEvent \
                or cls is AliasEvent:
            if stack and stack[-1][0] is not None:
                seen, state = stack[-1]
                if state[0]:
                    key = ev.value if cls is ScalarEvent else ("*", getattr(ev, "anchor", None))
                    first = seen.get(key)
                    if first is not None and key != "<<":
                        return UserError(
                            f"duplicate key {ev.value!r}: first defined on line {first.line + 1}; "
                            "yaml.safe_load (and so the proxy) would silently keep only the "
                            "last one", line=ev.start_mark.line + 1,
                            column=ev.start_mark.column + 1)
                    seen[key] = ev.start_mark
                state[0] = not state[0]
            if cls is MappingStartEvent:
                stack.append(({}, [True]))
            elif cls is SequenceStartEvent:
                stack.append((None, None))
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            stack.pop()


def top_key_name(key_path: tuple[str, ...], depth: int) -> str:
    return ".".join(key_path[:depth]) or "the config"


def _scalar_include(ev, text: str, root: _Frame) -> IncludeList:
    if ev.__class__ is ScalarEvent and ev.implicit[0] and ev.value in NULL_SCALARS:
        key_end = root.include_key.end_mark.index
        start, end = (ev.start_mark.index, ev.end_mark.index) if ev.value else (key_end, key_end)
        return IncludeList("null", key_end, start, end, None)
    raise _error("include must be a list of file names", text, ev.start_mark.index)


def _note_key(frame: _Frame, ev, key_path: tuple[str, ...], depth_path: int) -> None:
    """Give the value of an interesting key its role."""
    key = getattr(ev, "value", None)
    if frame.role == PATH:
        if frame.depth == depth_path and key == "model_list":
            frame.value_role = MODELS
            frame.list_key = ev
        elif frame.depth < depth_path and key == key_path[frame.depth]:
            frame.value_role = PATH
        if frame.depth == 0 and key == "include":
            frame.value_role = INCLUDE
            frame.include_key = ev


def _check_entry(frame: _Frame, text: str) -> None:
    if "<<" in frame.keys:  # keys may come from a merged anchor; the proxy will tell
        return
    missing = [k for k in ("model_name", "litellm_params") if k not in frame.keys]
    if missing:
        raise _error(f"model_list item lacks {' and '.join(missing)}; the proxy needs both",
                     text, frame.start)


def _entry(frame: _Frame, text: str, end: int, position: int) -> Entry:
    start = frame.start
    if text[start - 2:start] == "- ":  # the usual "- model_name:": dash right before
        dash, line = start - 2, frame.line + 1
    else:
        dash = text.rfind("-", 0, start)
        if dash < 0 or text[dash + 1:start].strip():
            dash = start  # a comment between dash and item, or an odd shape
        line = frame.line + 1 - text.count("\n", dash, start)
    name = frame.model_name if isinstance(frame.model_name, str) else None
    return Entry(position, dash, end, line, name)


def _scalar_model_list(ev, text: str, container: _Frame | None) -> dict:
    if ev.__class__ is AliasEvent:
        raise _error("model_list is an alias (*name); litellm-gen cannot add entries to a list "
                     "written elsewhere", text, ev.start_mark.index)
    if ev.implicit[0] and ev.value in NULL_SCALARS:
        key_end = container.list_key.end_mark.index
        # `model_list: ~` or `: null` has a token to remove; a bare `model_list:` has none.
        start, end = (ev.start_mark.index, ev.end_mark.index) if ev.value else (key_end, key_end)
        return dict(shape="null", key_end=key_end, value_start=start, value_end=end,
                    content_end=max(end, key_end), dash_column=None, item_column=None,
                    entries=())
    raise _error("model_list must be a list of entries, not a single value",
                 text, ev.start_mark.index)


def _sequence_model_list(frame: _Frame, ev, text: str, container: _Frame | None,
                         last, entries: list[Entry]) -> dict:
    key_end = container.list_key.end_mark.index
    if frame.flow:
        if entries:
            raise _error("model_list is a flow list ([...]) with entries; litellm-gen will not "
                         "reformat it: rewrite it as a block list (one '- model_name:' per "
                         "entry) and run again", text, frame.start)
        return dict(shape="empty-flow", key_end=key_end, value_start=frame.start,
                    value_end=ev.end_mark.index, content_end=ev.end_mark.index,
                    dash_column=None, item_column=None, entries=())
    dash_column = frame.column
    item_column = None
    if entries:
        first = entries[0]
        item_column = _column(text, _first_key_offset(text, first.dash))
    last_end = last.end_mark.index
    return dict(shape="block", key_end=key_end, value_start=frame.start, value_end=last_end,
                content_end=last_end, dash_column=dash_column, item_column=item_column,
                entries=tuple(entries))


def _first_key_offset(text: str, dash: int) -> int:
    """Offset of the first non-blank character after the dash, on its line or later."""
    i = dash + 1
    n = len(text)
    while i < n and text[i] in " \t\r\n":
        i += 1
    return i


def _column(text: str, index: int) -> int:
    return index - (text.rfind("\n", 0, index) + 1)
