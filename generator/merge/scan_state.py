"""The scan's pass over the nodes that matter to the merge: the root, the mappings on the
key path, model_list, its items and the top-level `include:`.

Each such node gets a frame with its role; every other collection is handed to the skim
(scan_skim.py) and only checked. `ScanState.result` turns what the pass found into the
ConfigScan (scan_result.py) that scan_config returns.
"""
from __future__ import annotations

from dataclasses import replace

import yaml
from yaml.events import AliasEvent, ScalarEvent

from generator.boundary.errors import UserError
from generator.merge.scan_checks import (
    LOADED_KEY_SPELLINGS,
    NULL_SCALARS,
    NUMERIC_FIRST,
    Checks,
    build_scalar,
    check_node,
    check_params_value,
    checked_scalar,
    duplicate_findings,
    key_of,
    line_col,
    merge_value,
    scan_error,
)
from generator.merge.scan_result import AliasUse, ConfigScan, Entry, IncludeList, ModelList
from generator.merge.scan_skim import Skim

_new_tuple = tuple.__new__  # an Entry without the Python-level __new__: one per item


# Roles of the few nodes the scan looks into; every other node is only validated.
ROOT, PATH, MODELS, ENTRY, INCLUDE, MODEL_NAME, PARAMS = range(7)


class Frame:
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
    def root(cls) -> "Frame":
        """The frame around the document's root node."""
        return cls(False, False, 0, ROOT, -1, 0, 0)

    @classmethod
    def opened(cls, ev, is_map: bool, role: int, parent: "Frame") -> "Frame":
        """The frame of the collection `ev` opens inside `parent`."""
        mark = ev.start_mark
        return cls(is_map, bool(ev.flow_style) or parent.flow, mark.column, role,
                   parent.depth + 1, mark.index, mark.line)


class ScanState:
    """What the pass over role-bearing nodes has found so far."""

    def __init__(self, text: str, key_path: tuple[str, ...], checks: Checks):
        self.text = text
        self.key_path = key_path
        self.checks = checks
        self.documents = 0
        self.last = None       # the most recent event that ends content (scalar, alias, flow end)
        self.indent_step = 0   # the first nested block mapping's indentation, anywhere
        self.entry_step = 0    # the same inside a model_list entry, which wins when present
        self.includes: list[str] = []
        self.container: Frame | None = None
        self.container_end = 0
        self.root_merge_at: int | None = None
        self.model_list: ModelList | None = None
        self.include_list: IncludeList | None = None
        self.entries: list[Entry] = []
        self.changed_anchors: list[tuple[str, int]] = []
        self.path_columns: list[int] = []   # key column of each mapping from the root down
        self.container_keys: list[int] = []  # line starts of the container's keys
        self.entry_step_at: int | None = None  # the entry whose nesting gave entry_step
        self.skim = Skim(text, checks)

    # -- scalars and aliases -------------------------------------------------------------
    def on_value(self, top: Frame, ev, cls) -> None:
        checks = self.checks
        if checks.pending_merge:
            merge_value(ev, cls, self.text, checks)
        if cls is ScalarEvent and ev.implicit[0] and ev.anchor is None and ev.tag is None \
                and ev.value[4:5] != "-":
            token = ev.value  # the common case, without the call
        else:
            token = checked_scalar(ev, cls, self.text, checks)
        self.last = ev
        if top.expect_key:
            self._on_key(top, ev, cls, token)
            return
        if token == "=" or token == "<<":
            build_scalar(ev, self.text)  # resolved as !!value / !!merge: no builder
        if top.is_map:
            top.expect_key = True
            role, top.value_role = top.value_role, None
            if role is not None:
                self._on_scalar_value(top, ev, cls, role)
        elif top.role is not None:
            self._on_item(top, ev, cls)

    def _on_key(self, top: Frame, ev, cls, token) -> None:
        top.keys.append(token if token.__class__ is str and not (
            token in LOADED_KEY_SPELLINGS or token[:1] in NUMERIC_FIRST) else key_of(ev, cls))
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

    def _on_scalar_value(self, top: Frame, ev, cls, role: int) -> None:
        text = self.text
        if role == MODEL_NAME:
            if cls is ScalarEvent:
                top.model_name = ev.value
        elif role == PARAMS:
            check_params_value(ev, cls, text, self.checks)
        elif role == MODELS:
            self._note_changed_anchor(ev)
            self.model_list = _scalar_model_list(ev, text, self.container)
        elif role == INCLUDE:
            self._note_changed_anchor(ev)
            self.include_list = _scalar_include(ev, text, top)
        elif role == PATH:
            name = top_key_name(self.key_path, top.depth + 1)
            if cls is AliasEvent:
                raise scan_error(f"{name} is an alias (*{ev.anchor}) of a mapping written "
                                 "elsewhere; litellm-gen cannot add to it without changing every "
                                 f"place that uses &{ev.anchor}: write {name} as a mapping of its "
                                 "own", text, ev.start_mark.index)
            raise scan_error(f"{name} must be a mapping that holds model_list", text,
                             ev.start_mark.index)

    def _on_item(self, top: Frame, ev, cls) -> None:
        if top.role == MODELS:
            if cls is AliasEvent and self.checks.kinds.get(ev.anchor) == "map":
                # `- *base`: an entry written elsewhere; its model_name comes from the loader.
                self.entries.append(_entry(ev.start_mark.index, ev.start_mark.line, None,
                                           self.text, ev.end_mark.index, len(self.entries), ()))
                return
            raise scan_error("each model_list item must be a mapping with model_name and "
                             "litellm_params", self.text, ev.start_mark.index)
        if top.role == INCLUDE and cls is ScalarEvent:
            self.includes.append(ev.value)
        elif top.role == ROOT:
            raise scan_error("the config must be a mapping of settings (model_list:, "
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
    def on_start(self, top: Frame, ev, is_map: bool, get_event) -> Frame | None:
        checks, text = self.checks, self.text
        if checks.pending_merge:
            merge_value(ev, ev.__class__, text, checks)
        if ev.anchor is not None or ev.tag is not None:
            check_node(ev, text, checks)
        mark = ev.start_mark
        if top.expect_key:
            raise scan_error("a mapping or list used as a key: yaml.safe_load cannot load it",
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
            check_params_value(ev, ev.__class__, text, self.checks)
        if role is None or role == PARAMS:
            # Nothing inside needs a role: read the whole subtree in the tight loop.
            strict = top.role in (ENTRY, MODELS)
            self.last = self.skim.read(get_event, ev, strict) or self.last
            return None
        return self._push(top, ev, is_map, role)

    def _push(self, top: Frame, ev, is_map: bool, role: int) -> Frame:
        text, mark = self.text, ev.start_mark
        if ev.tag not in _PLAIN_COLLECTION_TAGS[is_map]:
            where = "the config's top level" if top.role == ROOT else _ROLE_NAMES[role]
            from generator.boundary.secrets import shown_tag  # the tag is the operator's text

            raise scan_error(f"the tag {shown_tag(ev.tag)} on "
                             f"{where} makes the proxy's loader build something else "
                             f"than the {'mapping' if is_map else 'list'} the proxy reads; remove "
                             "the tag", text, mark.index)
        if role in (MODELS, INCLUDE):
            self._note_changed_anchor(ev)
        frame = Frame.opened(ev, is_map, role, top)
        # The item's own anchor (`- &name`) was logged by on_start's checks: it counts too.
        frame.anchors_before = len(self.checks.anchor_log) - (ev.anchor is not None)
        if role == PATH:
            self._note_changed_anchor(ev)
            if not is_map or frame.flow:
                raise scan_error(f"{top_key_name(self.key_path, frame.depth)} must be a block "
                                 "mapping that holds model_list", text, mark.index)
            if frame.depth == len(self.key_path):
                self.container = frame
        elif role == MODELS and is_map:
            raise scan_error("model_list must be a list of entries, not a mapping", text,
                             mark.index)
        return frame

    def on_end(self, stack: list[Frame], ev) -> None:
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

    def result(self, checks: Checks) -> ConfigScan:
        text, container = self.text, self.container
        if self.documents == 0:
            raise UserError("the config is empty; the proxy refuses an empty config "
                            "(run `litellm-gen init` for a starter)", line=1, column=1)
        if container is None:
            merged = self.root_merge_at
            raise UserError(f"no {'.'.join(self.key_path)} mapping found: --key-path names a "
                            "key that is not in the config" + (
                                f" (if it comes from the merge key (<<) on line "
                                f"{line_col(text, merged)[0]}, write it in this file: "
                                "litellm-gen cannot add to a mapping written elsewhere)"
                                if merged is not None else ""), line=1, column=1)
        if checks.deferred is not None:
            raise checks.deferred
        warnings = duplicate_findings(text, checks.duplicates) if checks.duplicates else ()
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


# The tags a role-bearing collection may carry: what it loads as without one.
_PLAIN_COLLECTION_TAGS = {True: (None, "!", "tag:yaml.org,2002:map"),
                          False: (None, "!", "tag:yaml.org,2002:seq")}
_ROLE_NAMES = {PATH: "a mapping on the way to model_list", MODELS: "model_list",
               ENTRY: "a model_list item", INCLUDE: "include"}


def _item_role(parent_role: int, is_map: bool, ev, text: str) -> int | None:
    """The role of a collection that is an item of a role-bearing sequence (or the root)."""
    if parent_role == MODELS:
        if not is_map:
            raise scan_error("each model_list item must be a mapping with model_name and "
                             "litellm_params, not a list", text, ev.start_mark.index)
        return ENTRY
    if parent_role == ROOT:
        if not is_map:
            raise scan_error("the config must be a mapping of settings (model_list:, "
                             "general_settings:, ...), not a list", text, ev.start_mark.index)
        if ev.flow_style:
            raise scan_error("the config is written as one flow mapping ({...}); litellm-gen "
                             "edits block-style YAML only and will not reformat your file",
                             text, ev.start_mark.index)
        return PATH
    return None


def _strict_keys(frame: Frame, key_path: tuple[str, ...]) -> bool:
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


def top_key_name(key_path: tuple[str, ...], depth: int) -> str:
    return ".".join(key_path[:depth]) or "the config"


def _scalar_include(ev, text: str, root: Frame) -> IncludeList:
    if ev.__class__ is ScalarEvent and ev.implicit[0] and ev.value in NULL_SCALARS:
        key_end = root.include_key.end_mark.index
        start, end = (ev.start_mark.index, ev.end_mark.index) if ev.value else (key_end, key_end)
        return IncludeList("null", key_end, start, end, None)
    raise scan_error("include must be a list of file names", text, ev.start_mark.index)


def _note_key(frame: Frame, ev, key: str | None, key_path: tuple[str, ...]) -> None:
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
        raise scan_error(f"model_list item lacks {' and '.join(missing)}; the proxy needs both",
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


def _scalar_model_list(ev, text: str, container: Frame | None) -> ModelList:
    if ev.__class__ is AliasEvent:
        raise scan_error("model_list is an alias (*name); litellm-gen cannot add entries to a list "
                         "written elsewhere", text, ev.start_mark.index)
    if ev.implicit[0] and ev.value in NULL_SCALARS:
        key_end = container.list_key.end_mark.index
        # `model_list: ~` or `: null` has a token to remove; a bare `model_list:` has none.
        start, end = (ev.start_mark.index, ev.end_mark.index) if ev.value else (key_end, key_end)
        return ModelList.null(key_end, start, end, container.column)
    raise scan_error("model_list must be a list of entries, not a single value",
                     text, ev.start_mark.index)


def _sequence_model_list(frame: Frame, ev, text: str, container: Frame | None,
                         last, entries: list[Entry]) -> ModelList:
    key_end = container.list_key.end_mark.index
    if frame.flow:
        if entries:
            raise scan_error("model_list is a flow list ([...]) with entries; litellm-gen will not "
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
