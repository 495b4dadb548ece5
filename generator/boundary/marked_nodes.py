"""The nodes of marked.py's tree, and what each scalar loads as.

A scalar is the parser's own event; mappings and sequences keep their pairs and items with
the mark where they start. `value_of` builds a scalar's value as yaml.safe_load does, and
only when a check asks for it; `key_of` gives a key as the loader compares it. The errors a
tree's build raises (TagError, BuildError) say where, never the value.
"""
from __future__ import annotations

from typing import Iterator, NamedTuple, Union

import yaml
from yaml.events import ScalarEvent

_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


# A scalar is PyYAML's own ScalarEvent (value, tag, implicit, start_mark): the parser has
# built it already, and building a second object per scalar would double the cost.
Scalar = ScalarEvent


def value_of(node: Scalar):
    """What yaml.safe_load builds from a scalar (str, int, float, bool, None, a date...)."""
    tag = node.tag
    if tag is None:
        text = node.value
        # Quoted, or plain and starting with a letter (not true/null/...): a string, as the
        # resolver would say after trying its patterns.
        if not node.implicit[0] or (text[:1].isalpha() and text not in ODD_KEYS):
            return text
        if text.isdecimal() and text.isascii() and (text[0] != "0" or text == "0"):
            return int(text)  # a plain decimal int (a leading 0 would be YAML 1.1 octal)
        tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
    elif tag == "!":
        return node.value
    if tag == "tag:yaml.org,2002:str":
        return node.value
    try:
        return _CONSTRUCTOR.construct_object(yaml.ScalarNode(tag, node.value), deep=True)
    except Exception:  # noqa: BLE001 - int("x"), bool_values["maybe"], a 30th of February...
        # The value may be a secret: the message names the tag, never the value.
        raise BuildError(f"yaml.safe_load cannot build this value as {tag_name(tag)}",
                         *where(node)) from None


def tag_name(tag: str) -> str:
    short = tag.rsplit(":", 1)[-1] if tag.startswith("tag:yaml.org,2002:") else tag
    return {"timestamp": "a date (it is not one)", "value": "a value ('=' is a YAML "
            "value key)", "merge": "a merge key ('<<' is only a key)"}.get(short, f"!!{short}")


def key_of(node):
    """A mapping key as the loader builds it; most keys are their own text, resolved fast."""
    if node.__class__ is not ScalarEvent:
        return None
    text = node.value
    if node.tag is None and (not node.implicit[0] or (text[:1].isalpha()
                                                       and text not in ODD_KEYS)):
        return text
    return value_of(node)


def where(node) -> tuple[int, int]:
    """1-based line and column where a node starts."""
    mark = node.start_mark
    return mark.line + 1, mark.column + 1


class Mapping:
    __slots__ = ("pairs", "start_mark", "tag", "_index")

    def __init__(self, start_mark, tag=None):
        self.pairs: list[tuple[Node, Node]] = []
        self.start_mark = start_mark
        self.tag = tag
        self._index: dict | None = None

    def _lookup(self) -> dict:
        if self._index is None:
            # Later pairs win, as in the loader; keys that cannot be hashed are skipped.
            self._index = {}
            for key, value in self.pairs:
                try:
                    self._index[key_of(key)] = (key, value)
                except TypeError:  # a key that is a list or mapping: not one a check names
                    continue
        return self._index

    def get(self, name) -> "Node | None":
        pair = self._lookup().get(name)
        return pair[1] if pair else None

    def key(self, name) -> "Scalar | None":
        pair = self._lookup().get(name)
        return pair[0] if pair else None

    def items(self) -> Iterator[tuple["Scalar", "Node"]]:
        """The pairs the loader keeps, in file order, keyed by scalars."""
        index = self._lookup()
        if len(index) == len(self.pairs):  # no duplicate keys: every pair is kept
            yield from self.pairs
            return
        kept = {id(pair[0]) for pair in index.values()}
        for key, value in self.pairs:
            if id(key) in kept:
                yield key, value

    def __contains__(self, name) -> bool:
        return name in self._lookup()


class Sequence:
    __slots__ = ("items", "start_mark", "tag")

    def __init__(self, start_mark, tag=None):
        self.items: list[Node] = []
        self.start_mark = start_mark
        self.tag = tag


Node = Union[Scalar, Mapping, Sequence]


class Duplicate(NamedTuple):
    key: Scalar
    first_line: int


class Document(NamedTuple):
    root: Node | None
    duplicates: list[Duplicate]
    # (line, column) of each entry streamed to on_entry, one list per model_list written
    # at the root (a duplicate model_list key writes two; the loader keeps the last).
    streamed: tuple = ()


class TagError(ValueError):
    def __init__(self, tag: str, line: int, column: int):
        super().__init__(tag)
        self.tag, self.line, self.column = tag, line, column


class BuildError(ValueError):
    def __init__(self, message: str, line: int, column: int):
        super().__init__(message)
        self.line, self.column = line, column


# Plain keys starting with a letter that do not load as their own text.
ODD_KEYS = frozenset({"null", "Null", "NULL", "true", "True", "TRUE", "false", "False",
                      "FALSE", "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON",
                      "off", "Off", "OFF", "y", "Y", "n", "N"})
