"""The proxy's own loader: how LiteLLM reads a config, used as the oracle of every write.

The proxy reads its config with PyYAML's `yaml.safe_load`: the pure-Python parser and
SafeConstructor. litellm-gen composes and constructs with the same classes, through
libyaml's parser (the same grammar, many times faster) wherever the two parsers agree,
and through the pure-Python parser where they may not: a tab outside comments and
quoted or block scalars. What the loader cannot build is a UserError at its line and
column that names the construct and the loader's reason, never the value (values may
be secrets).

Pure: no I/O.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

import yaml
from yaml.events import ScalarEvent

from generator.boundary.errors import UserError

try:
    from yaml import CSafeLoader as _FastLoader
except ImportError:  # pragma: no cover - PyYAML without libyaml: the proxy's own classes
    _FastLoader = yaml.SafeLoader
ProxyLoader = yaml.SafeLoader  # what the proxy's `yaml.safe_load` runs

# One message for a tab, from merge and validate alike.
TAB_MESSAGE = ("a tab character where YAML needs spaces (tabs cannot indent YAML): the proxy "
               "will not start; replace it with spaces")
_TAG_NAMES = {"tag:yaml.org,2002:timestamp": "a date or time",
              "tag:yaml.org,2002:int": "a whole number (!!int)",
              "tag:yaml.org,2002:float": "a number (!!float)",
              "tag:yaml.org,2002:bool": "a boolean (!!bool)",
              "tag:yaml.org,2002:binary": "base64 data (!!binary)"}


# A \u escape of a UTF-16 surrogate, as json.dumps writes an emoji ("\ud83d\ude80"):
# libyaml refuses it, the proxy's pure-Python parser builds the two surrogates.
_SURROGATE_ESCAPE = re.compile(r"\\(?:u[dD][89a-fA-F]|U0000[dD][89a-fA-F])")


def needs_proxy_parser(text: str) -> bool:
    """The text has a surrogate escape, which only the proxy's own parser reads."""
    return "\\" in text and _SURROGATE_ESCAPE.search(text) is not None


def printable(text: str) -> str:
    """Text the loader built, as it can be printed: a surrogate pair (two halves the
    pure-Python loader keeps apart) as its character, a lone half as U+FFFD."""
    if text.isascii():
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def loader_for(text: str, spans: Iterable[tuple[int, int]] | None = None) -> type:
    """The loader class that reads `text` exactly as the proxy's does.

    libyaml and the pure-Python parser agree except on tabs and on surrogate escapes: the
    pure-Python one refuses a tab between tokens or inside a plain scalar, libyaml allows
    it; libyaml refuses the escape "\\ud83d", the pure-Python one builds it. `spans`:
    (start, end) of the text's quoted and block scalars, in order, when the caller knows
    them.
    """
    if _FastLoader is not ProxyLoader and needs_proxy_parser(text):
        return ProxyLoader
    if "\t" not in text or _FastLoader is ProxyLoader:
        return _FastLoader
    if spans is None:
        try:
            spans = scalar_spans(text)
        except yaml.YAMLError:
            return ProxyLoader
    return _FastLoader if tabs_where_parsers_agree(text, list(spans)) else ProxyLoader


def scalar_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every quoted or block scalar, in text order (libyaml's marks)."""
    spans = []
    for ev in yaml.parse(text, Loader=_FastLoader):
        if ev.__class__ is ScalarEvent and ev.style in ("'", '"', "|", ">"):
            spans.append((ev.start_mark.index, ev.end_mark.index))
    return spans


def tabs_where_parsers_agree(text: str, spans: list[tuple[int, int]]) -> bool:
    """Every tab stands in a comment or inside a quoted or block scalar. Linear: one pass
    over the tabs with a pointer into the spans, and each comment line read once."""
    i, n = 0, len(spans)
    at = text.find("\t")
    while at >= 0:
        while i < n and spans[i][1] <= at:
            i += 1
        if i < n and spans[i][0] <= at:
            at = text.find("\t", spans[i][1])  # the rest of this scalar is fine too
            continue
        line_start = text.rfind("\n", 0, at) + 1
        if not _comment_starts_between(text, line_start, at, spans, i):
            return False
        line_end = text.find("\n", at)
        if line_end < 0:
            return True
        at = text.find("\t", line_end)
    return True


def _comment_starts_between(text: str, start: int, end: int, spans: list[tuple[int, int]],
                            i: int) -> bool:
    """A `#` that opens a comment lies in text[start:end] (outside every scalar)."""
    at = text.find("#", start, end)
    while at >= 0:
        while i < len(spans) and spans[i][1] <= at:
            i += 1
        inside = i < len(spans) and spans[i][0] <= at
        if not inside and (at == 0 or text[at - 1] in " \t\n"):
            return True
        at = text.find("#", (spans[i][1] if inside else at + 1), end)
    return False


class Unbuildable(yaml.YAMLError):
    """A value SafeConstructor cannot build, named by its node."""

    def __init__(self, node, kind: str):
        super().__init__(kind)
        self.node = node
        self.kind = kind


def scalar_nodes(root) -> Iterator[yaml.ScalarNode]:
    """Every scalar of a composed document once, in text order (an alias's node once)."""
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            yield node
        elif isinstance(node, yaml.MappingNode):
            stack.extend(reversed([n for pair in node.value for n in pair]))
        else:
            stack.extend(reversed(node.value))


def _unbuildable(root) -> Unbuildable | None:
    """The first scalar SafeConstructor cannot build. SafeConstructor lets Python's own
    errors (int("x"), a 30th of February) escape without a mark, and their text holds the
    value; this finds the node, read only after a failure (the common load pays nothing)."""
    constructor = yaml.constructor.SafeConstructor()
    for node in scalar_nodes(root):
        try:
            constructor.construct_object(node, deep=True)
        except (ValueError, TypeError, OverflowError, KeyError, AttributeError) as exc:
            return Unbuildable(node, type(exc).__name__)
        except yaml.YAMLError:
            continue
    return None


class ProxyDocument:
    """One text composed by the proxy's loader; its data constructed on demand.

    `node` is the composed root (None for an empty document), read before construction
    (SafeConstructor flattens merge keys into the nodes as it builds).
    """

    def __init__(self, text: str, loader: type | None = None):
        self.text = text
        cls = loader or loader_for(text)
        self.pure = cls is ProxyLoader
        self._loader = cls(text)
        try:
            try:
                self.node = self._loader.get_single_node()
            except yaml.YAMLError:
                # libyaml refuses a tab opening a block scalar's line; the proxy's parser not.
                if self.pure or "\t" not in text:
                    raise
                self.pure = True
                self._loader = ProxyLoader(text)
                self.node = self._loader.get_single_node()
        except (yaml.YAMLError, RecursionError) as exc:
            raise loader_error(exc, text) from None
        self._data = _UNBUILT

    @property
    def data(self):
        if self._data is _UNBUILT:
            try:
                self._data = (self._loader.construct_document(self.node)
                              if self.node is not None else None)
            except (yaml.YAMLError, RecursionError) as exc:
                raise loader_error(exc, self.text) from None
            except (ValueError, TypeError, OverflowError, KeyError, AttributeError) as exc:
                found = _unbuildable(self.node) or Unbuildable(self.node, type(exc).__name__)
                raise loader_error(found, self.text) from None
            finally:
                self._loader.dispose()
        return self._data


_UNBUILT = object()


def load_as_proxy(text: str, loader: type | None = None):
    """The text's data as the proxy's `yaml.safe_load` gives it, or a UserError."""
    return ProxyDocument(text, loader).data


def loader_error(exc: BaseException, text: str) -> UserError:
    """The loader's refusal, at its line and column, without quoting a value."""
    if isinstance(exc, RecursionError):
        return UserError("the config nests too deep for the proxy's pure-Python loader "
                         "(RecursionError)")
    from generator.boundary.secrets import (  # what the operator wrote, shown by the policy
        mask_quoted,
        shown_tag,
    )

    if isinstance(exc, Unbuildable):
        node = exc.node
        what = _TAG_NAMES.get(node.tag, f"the tag {shown_tag(node.tag)}")
        detail = ("it is not a date or time that exists (quote it to keep it text)"
                  if node.tag == "tag:yaml.org,2002:timestamp" and not _explicit(node, text)
                  else "its text is not one (remove the tag, or quote the value)")
        return _located(f"the proxy's loader cannot build this value as {what}: {detail}; "
                        "the proxy would not start", node.start_mark)
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        return UserError("invalid YAML: a character YAML does not allow (is this a binary "
                         "file?)", line=line, column=column)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).split("\n", 1)[0]
    context = getattr(exc, "context", None)
    if mark is not None and text[mark.index:mark.index + 1] == "\t" or "'\\t'" in problem:
        return _located(TAB_MESSAGE, mark)
    if isinstance(exc, yaml.constructor.ConstructorError):
        problem = _constructor_problem(problem, context)
    elif context:
        problem = f"{problem} ({context})"
    # PyYAML quotes the alias, tag or token it stopped at: the operator's text.
    return _located(f"the proxy's loader refuses this: {mask_quoted(problem)}", mark)


def _constructor_problem(problem: str, context: str | None) -> str:
    from generator.boundary.secrets import shown_tag  # the tag is the operator's text

    if "could not determine a constructor for the tag" in problem:
        tag = problem.rsplit("'", 2)[-2] if problem.count("'") >= 2 else "?"
        meaning = {"tag:yaml.org,2002:value": " (a plain = as a value: quote it)",
                   "tag:yaml.org,2002:merge": " (a plain << as a value: quote it)"}
        return (f"yaml.safe_load has no constructor for the tag {shown_tag(tag)}"
                f"{meaning.get(tag, '')}")
    found = re.match(r"expected an? (\w+) node, but found (\w+)", problem)
    if found:
        wanted = {"scalar": "a single value", "sequence": "a list", "mapping": "a mapping"}
        return (f"a tag that asks for {wanted.get(found.group(1), found.group(1))} stands on "
                f"a {'list' if found.group(2) == 'sequence' else found.group(2)}; remove the "
                "tag")
    return f"{problem} ({context})" if context else problem


def _explicit(node, text: str) -> bool:
    return text[node.start_mark.index:node.start_mark.index + 1] == "!"


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _located(message: str, mark) -> UserError:
    if mark is None:
        return UserError(message)
    return UserError(message, line=mark.line + 1, column=mark.column + 1)


# -- equality as the proxy would see it ----------------------------------------------------

@dataclass(frozen=True)
class Difference:
    """Where two loaded values first differ: the path of keys and indexes, and how."""
    path: tuple
    detail: str

    def __str__(self) -> str:
        shown = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in self.path)
        return f"{shown.lstrip('.') or 'the top level'}: {self.detail}"


def first_difference(expected, actual) -> Difference | None:
    """Where two loaded values differ, or None: strict about types (1, 1.0 and True are
    three values), key order and NaN; safe on the cycles aliases can build."""
    return _Comparison().walk(expected, actual, ())


class _Comparison:
    def __init__(self):
        self.seen: set[tuple[int, int]] = set()

    def walk(self, a, b, path: tuple) -> Difference | None:
        if a is b:
            return None
        if type(a) is not type(b):
            return Difference(path, f"{_kind(a)} would become {_kind(b)}")
        if isinstance(a, (dict, list)):
            pair = (id(a), id(b))
            if pair in self.seen:
                return None
            self.seen.add(pair)
        if isinstance(a, dict):
            return self.mapping(a, b, path)
        if isinstance(a, list):
            if len(a) != len(b):
                return Difference(path, f"{len(a)} items would become {len(b)}")
            for i, (x, y) in enumerate(zip(a, b)):
                found = self.walk(x, y, path + (i,))
                if found:
                    return found
            return None
        if isinstance(a, float) and math.isnan(a) and math.isnan(b):
            return None
        if isinstance(a, (set, frozenset)):
            same = len(a) == len(b) and all(any(type(x) is type(y) and x == y for y in b)
                                            for x in a)
            return None if same else Difference(path, "the set would change")
        if a != b:
            return Difference(path, _changed(a, b))
        return None

    def mapping(self, a: dict, b: dict, path: tuple) -> Difference | None:
        ka, kb = list(a), list(b)
        if len(ka) != len(kb) or any(type(x) is not type(y) or x != y for x, y in zip(ka, kb)):
            gone = [k for k in ka if k not in b]
            new = [k for k in kb if k not in a]
            what = (f"the key {gone[0]!r} would be removed" if gone else
                    f"a key {new[0]!r} would be added" if new else "its keys would be reordered")
            return Difference(path, what)
        for key in ka:
            found = self.walk(a[key], b[key], path + (key,))
            if found:
                return found
        return None


def _kind(value) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", int: "a whole number",
            float: "a number", bool: "a boolean", type(None): "null", bytes: "binary data",
            set: "a set", _dt.date: "a date", _dt.datetime: "a date and time"}.get(
        type(value), type(value).__name__)


def _changed(a, b) -> str:
    """How a scalar changes, without quoting it (it may be a secret)."""
    if isinstance(a, str) and b == a + "\n":
        return ("the text would gain a line break: the file ends in a block scalar without "
                "a final newline; add one")
    return f"the {_kind(a)} would change"


def node_at(node, path: tuple):
    """The composed node a Difference's path leads to (as far as it goes), for its line."""
    found = node
    for step in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in reversed(node.value) if isinstance(k, yaml.ScalarNode)
                         and k.value == str(step)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and \
                step < len(node.value):
            node = node.value[step]
        else:
            node = None
        if node is None:
            break
        found = node
    return found


def loaded_model_names(text: str, key_path: Sequence[str]) -> list:
    """model_name of each item as the proxy sees it, through aliases and merge keys (rare)."""
    data = yaml.load(text, Loader=loader_for(text))
    for key in key_path:
        data = data.get(key) if isinstance(data, dict) else None
    items = data.get("model_list") if isinstance(data, dict) else None
    return [item.get("model_name") if isinstance(item, dict) and isinstance(
        item.get("model_name"), str) else None for item in items or []]
