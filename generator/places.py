"""What sits at a line and column of a config: its key path and its model_list entry.

The summary of `validate` names what a finding is about ("drops 2 models: 'a', 'b'",
"ignores general_settings.rpm_limit"); findings carry only a position, so the edge
asks here. libyaml's events are walked (an alias needs no anchor, a tree is never
built), and in a large file only around the positions asked about: the top-level
section that holds a position, or for model_list the one entry. A file too odd to
slice that way (flow style across lines) yields fewer names, never a wrong one.
Pure: text in.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

import yaml

WHOLE_FILE_BYTES = 64 * 1024  # below this, one walk of the whole file is cheapest
_TOP_KEY = re.compile(r"""^(["']?)([^\s#'"-][^:#]*?)\1[ \t]*:(?:[ \t]|$)""")
_ITEM = re.compile(r"^([ \t]*)-(?:[ \t]|$)")


@dataclass(frozen=True)
class Place:
    key: str | None = None                       # a.b.c, inside an entry without model_list
    entry: tuple[int, str | None] | None = None  # (first line, model_name) of its entry


@dataclass
class _Index:
    keys: dict
    entries: list  # [first line, last line, model_name]

    def place(self, line: int, column: int) -> Place:
        holding = [e for e in self.entries if e[0] <= line <= e[1]]
        entry = (holding[-1][0], holding[-1][2]) if holding else None
        return Place(self.keys.get((line, column)), entry)


def places_at(text: str, positions: Iterable[tuple[int, int]], line_shift: int = 0,
              key_path: Sequence[str] = (), whole_file_bytes: int = WHOLE_FILE_BYTES
              ) -> dict[tuple[int, int], Place]:
    """The Place of each (line, column) of the file (its lines shifted by line_shift)."""
    wanted = sorted(set(positions))
    if key_path or len(text) <= whole_file_bytes:
        index = _walk(text, line_shift, key_path)
        return {p: index.place(*p) for p in wanted}
    lines = text.splitlines()
    tops = [i for i, line in enumerate(lines) if line[:1] not in ("", " ", "\t", "#", "-")
            and _TOP_KEY.match(line)]
    found = {}
    for line, column in wanted:
        local = line - line_shift - 1
        at = bisect.bisect_right(tops, local) - 1
        if not 0 <= local < len(lines) or at < 0:
            found[(line, column)] = Place()
            continue
        first = tops[at]
        last = tops[at + 1] - 1 if at + 1 < len(tops) else len(lines) - 1
        in_model_list = _TOP_KEY.match(lines[first]).group(2) == "model_list" and first < local
        if in_model_list:
            first, last = _item(lines, first, last, local)
        piece = "\n".join(lines[first:last + 1]) + "\n"
        index = _walk(piece, line_shift + first, (), as_model_list=in_model_list)
        found[(line, column)] = index.place(line, column)
    return found


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _blank(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _item(lines: list[str], first: int, last: int, at: int) -> tuple[int, int]:
    """model_list's item (block style) that holds line `at`: from its dash to its end."""
    column = next((len(m.group(1)) for line in lines[first + 1:last + 1]
                   if not _blank(line) for m in [_ITEM.match(line)] if m), None)
    if column is None:
        return first, last  # not a block sequence: walk the section as it is
    start = at
    while start > first and not ((m := _ITEM.match(lines[start])) and len(m.group(1)) == column):
        start -= 1
    end = at
    while end < last and (_blank(lines[end + 1]) or _indent(lines[end + 1]) > column
                          or not lines[end + 1][column:].startswith("-")):
        end += 1
    return start, end


def _walk(text: str, shift: int, key_path: Sequence[str], as_model_list: bool = False
          ) -> _Index:
    """Key paths and entries from libyaml's events; what it cannot parse stays unnamed.

    Paths are relative to the config's root (the node at key_path); inside a
    model_list entry, relative to the entry.
    """
    index = _Index({}, [])
    lines = text.splitlines()
    base = tuple(key_path)
    # Frames: [kind, path, expecting a key?, current key, entry, relative to an entry?]
    stack: list[list] = []
    try:
        for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = stack.pop()
                if frame[4] is not None:
                    frame[4][1] = _last_line(event.start_mark, lines) + shift
                _after_value(stack)
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            at = (event.start_mark.line + 1 + shift, event.start_mark.column + 1)
            path = _node_path(stack, event)
            relative = bool(stack) and stack[-1][5]
            shown = ".".join(path) if relative else (
                ".".join(path[len(base):]) if path[:len(base)] == base and len(path) > len(base)
                else None)
            if shown is not None and (at not in index.keys or _is_key(stack)):
                index.keys[at] = shown  # a block mapping starts where its first key does
            if isinstance(event, yaml.CollectionStartEvent):
                kind = "map" if isinstance(event, yaml.MappingStartEvent) else "seq"
                entry = None
                if kind == "map" and not relative and _in_model_list(stack, base,
                                                                     as_model_list):
                    entry = [at[0], at[0], None]
                    index.entries.append(entry)
                    path, relative = (), True
                stack.append([kind, path, True, None, entry, relative])
            else:
                _scalar(stack, event)
    except yaml.YAMLError:
        pass
    return index


def _is_key(stack) -> bool:
    return bool(stack) and stack[-1][0] == "map" and stack[-1][2]


def _node_path(stack, event) -> tuple[str, ...]:
    if not stack:
        return ()
    kind, path, expecting_key, key = stack[-1][:4]
    if kind == "map" and expecting_key:
        return (*path, event.value if isinstance(event, yaml.ScalarEvent) else "?")
    if kind == "map":
        return (*path, key)
    return path


def _scalar(stack, event) -> None:
    if not stack:
        return
    frame = stack[-1]
    if frame[0] == "map" and frame[2]:
        frame[3] = event.value
        frame[2] = False
        return
    if frame[0] == "map" and frame[3] == "model_name" and frame[4] is not None:
        frame[4][2] = event.value
    _after_value(stack)


def _after_value(stack) -> None:
    if stack and stack[-1][0] == "map":
        stack[-1][2] = True


def _in_model_list(stack, base: tuple, as_model_list: bool) -> bool:
    if not stack or stack[-1][0] != "seq":
        return False
    if as_model_list and len(stack) == 1:
        return True
    return len(stack) >= 2 and stack[-1][1] == (*base, "model_list") and \
        stack[-2][0] == "map" and stack[-2][1] == base


def _last_line(mark, lines: list[str]) -> int:
    """The 1-based last line of a collection whose end event is at `mark`.

    A block collection ends where the next token starts: on a later line, after
    nothing but indentation or the next item's dash; a flow one on its own line.
    """
    before = lines[mark.line][:mark.column] if mark.line < len(lines) else ""
    return mark.line if not before.strip(" -") else mark.line + 1
