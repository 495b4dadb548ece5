"""What sits at a line and column of a config: its key path and its model_list entry.

The summary of `validate` names what a finding is about ("drops 2 models: 'a', 'b'",
"ignores general_settings.rpm_limit"); findings carry only a position, so the edge
asks here, once per file for all its findings: one walk of the parser's events (an
alias needs no anchor, a tree is never built, nothing is expanded), which names the
positions asked about and the extent of every entry. Any layout the proxy reads (a
JSON config on one line, flow collections) is named by position, not by line.
Pure: text in.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Iterable, Sequence

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from generator.boundary.loader import needs_proxy_parser, printable

try:
    from yaml import CSafeLoader as _CParser
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as _CParser


@dataclass(frozen=True)
class Place:
    key: str | None = None                       # a.b.c, inside an entry without model_list
    entry: tuple[int, str | None] | None = None  # (first line, model_name) of its entry


class _Index:
    """The names of the wanted positions and the extent of each entry, in text order."""

    def __init__(self) -> None:
        self.keys: dict[tuple[int, int], str] = {}
        self.starts: list[tuple[int, int]] = []
        self.entries: list[list] = []  # [start (line, column), end (line, column), name]

    def place(self, line: int, column: int) -> Place:
        at = bisect.bisect_right(self.starts, (line, column)) - 1
        entry = None
        if at >= 0 and (line, column) < self.entries[at][1]:
            start, _end, name = self.entries[at]
            entry = (start[0], name)
        return Place(self.keys.get((line, column)), entry)


def places_at(text: str, positions: Iterable[tuple[int, int]], line_shift: int = 0,
              key_path: Sequence[str] = ()) -> dict[tuple[int, int], Place]:
    """The Place of each (line, column) of the file (its lines shifted by line_shift)."""
    wanted = set(positions)
    if not wanted:
        return {}
    index = _walk(text, line_shift, tuple(key_path), wanted)
    return {p: index.place(*p) for p in wanted}


class _Frame:
    __slots__ = ("is_map", "path", "expecting_key", "key", "entry", "relative")

    def __init__(self, is_map: bool, path: tuple, entry, relative: bool):
        self.is_map, self.path, self.entry, self.relative = is_map, path, entry, relative
        self.expecting_key, self.key = True, None


def _walk(text: str, shift: int, base: tuple, wanted: set) -> _Index:
    """Key paths of the wanted positions and every entry's extent, from the events.

    Paths are relative to the config's root (the node at `base`); inside a model_list
    entry, relative to the entry. What the parser cannot read stays unnamed. The loop
    runs once per event: a path is built for collections and for wanted positions only.
    """
    index = _Index()
    stack: list[_Frame] = []
    entries_path = base + ("model_list",)
    lines = {line for line, _column in wanted}
    loader = (yaml.SafeLoader if needs_proxy_parser(text) else _CParser)(text)
    try:
        while True:
            event = loader.get_event()
            cls = event.__class__
            top = stack[-1] if stack else None
            if cls is ScalarEvent or cls is AliasEvent:
                line = event.start_mark.line + 1 + shift
                if top is None or not top.is_map:
                    if line in lines:
                        _name(index, wanted, (line, event.start_mark.column + 1),
                              top.path if top else (), top, base, False)
                    continue
                value = event.value if cls is ScalarEvent else "?"
                if top.expecting_key:
                    if line in lines:
                        _name(index, wanted, (line, event.start_mark.column + 1),
                              top.path + (value,), top, base, True)
                    top.key, top.expecting_key = value, False
                    continue
                if line in lines:
                    _name(index, wanted, (line, event.start_mark.column + 1),
                          top.path + (top.key,), top, base, False)
                if top.key == "model_name" and top.entry is not None and cls is ScalarEvent:
                    top.entry[2] = printable(value)
                top.expecting_key = True
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                _open(index, stack, top, event, shift, base, entries_path, wanted)
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                frame = stack.pop()
                if frame.entry is not None:
                    mark = event.start_mark
                    frame.entry[1] = (mark.line + 1 + shift, mark.column + 1)
                if stack and stack[-1].is_map:
                    stack[-1].expecting_key = True
            elif cls is yaml.StreamEndEvent:
                break
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return index


def _open(index: _Index, stack: list[_Frame], top: _Frame | None, event, shift: int,
          base: tuple, entries_path: tuple, wanted: set) -> None:
    """A mapping or list starts: its frame, and an entry when it is a model_list item."""
    mark = event.start_mark
    at = (mark.line + 1 + shift, mark.column + 1)
    is_key = top is not None and top.is_map and top.expecting_key
    if top is None:
        path = ()
    elif top.is_map:
        path = top.path + (("?",) if is_key else (top.key,))
    else:
        path = top.path
    if at in wanted:
        _name(index, wanted, at, path, top, base, is_key)
    relative = top is not None and top.relative
    entry = None
    if event.__class__ is MappingStartEvent and not relative and _in_entries(stack,
                                                                              entries_path):
        entry = [at, (1 << 62, 0), None]
        index.starts.append(at)
        index.entries.append(entry)
        path, relative = (), True
    stack.append(_Frame(event.__class__ is MappingStartEvent, path, entry, relative))


def _name(index: _Index, wanted: set, at: tuple[int, int], path: tuple, top, base: tuple,
          is_key: bool) -> None:
    """Name a wanted position; a key wins over the block mapping that starts with it."""
    if at in wanted and (at not in index.keys or is_key):
        shown = _shown(path, top, base)
        if shown is not None:
            index.keys[at] = shown


def _shown(path: tuple, top: _Frame | None, base: tuple) -> str | None:
    """The dotted path as the summary shows it: relative to the entry, or to the config."""
    if top is not None and top.relative:
        return printable(".".join(path))
    if path[:len(base)] == base and len(path) > len(base):
        return printable(".".join(path[len(base):]))
    return None


def _in_entries(stack: list[_Frame], entries_path: tuple) -> bool:
    """The next node is an item of the config's model_list."""
    return len(stack) >= 2 and not stack[-1].is_map and stack[-1].path == entries_path \
        and stack[-2].is_map and stack[-2].path == entries_path[:-1]
