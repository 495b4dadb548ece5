"""What a scan finds in a config's text: the types scan_config returns (scan.py).

Offsets into the text, never a copy of the operator's YAML: where model_list and each of its
items are, where the top-level `include:` list is, how the file indents, and which anchors
and aliases stand where.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Literal, NamedTuple


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
