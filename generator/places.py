"""What sits at a line and column of a config: its key path and its model_list entry.

The summary of `validate` names what a finding is about ("drops 2 models: 'a', 'b'",
"ignores general_settings.rpm_limit"); the findings carry only a position, so the
edge asks this index. Pure: text in; built only when a summary needs names.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Sequence

import yaml


@dataclass
class Places:
    keys: dict[tuple[int, int], str] = field(default_factory=dict)  # (line, col) -> a.b.c
    entry_starts: list[int] = field(default_factory=list)            # sorted first lines
    entries: list[tuple[int, int, str | None]] = field(default_factory=list)  # first, last, name

    def key_at(self, line: int, column: int) -> str | None:
        return self.keys.get((line, column))

    def entry_at(self, line: int) -> tuple[int, str | None] | None:
        """(first line, model_name) of the model_list entry holding `line`, if one does."""
        at = bisect.bisect_right(self.entry_starts, line) - 1
        if at < 0:
            return None
        first, last, name = self.entries[at]
        return (first, name) if line <= last else None


def places(text: str, line_shift: int = 0, key_path: Sequence[str] = ()) -> Places:
    """The index of a config's text (lines shifted by line_shift, as its findings are)."""
    found = Places()
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, RecursionError):
        return found  # a file the proxy cannot load has no entries to name
    for name in key_path:
        root = _child(root, name)
    try:
        _walk(root, (), found, line_shift, text.splitlines())
    except RecursionError:
        return Places()
    order = sorted(range(len(found.entries)), key=lambda i: found.entries[i][0])
    found.entries = [found.entries[i] for i in order]
    found.entry_starts = [entry[0] for entry in found.entries]
    return found


def _child(node, name: str):
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == name:
                return value
    return None


def _walk(node, path: tuple[str, ...], found: Places, shift: int, lines: list[str],
          top: bool = True) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else "?"
            dotted = ".".join((*path, name))
            found.keys[(key.start_mark.line + 1 + shift, key.start_mark.column + 1)] = dotted
            found.keys.setdefault((value.start_mark.line + 1 + shift,
                                   value.start_mark.column + 1), dotted)
            if top and not path and name == "model_list" and isinstance(value, yaml.SequenceNode):
                for item in value.value:
                    _entry(item, found, shift, lines)
            else:
                _walk(value, (*path, name), found, shift, lines, top)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found.keys.setdefault((item.start_mark.line + 1 + shift,
                                   item.start_mark.column + 1), ".".join(path))
            _walk(item, path, found, shift, lines, top)


def _entry(item, found: Places, shift: int, lines: list[str]) -> None:
    name_node = _child(item, "model_name")
    name = name_node.value if isinstance(name_node, yaml.ScalarNode) else None
    end = item.end_mark
    # A block entry ends where the next token starts: on a later line, after nothing but
    # indentation or the next item's dash; a flow entry ends on its own last line.
    before = lines[end.line][:end.column] if end.line < len(lines) else ""
    last = end.line if not before.strip(" -") else end.line + 1
    found.entries.append((item.start_mark.line + 1 + shift, max(last, item.start_mark.line + 1)
                          + shift, name))
    _walk(item, (), found, shift, lines, top=False)
