"""A config's data with the line and column of every value, for `validate`.

PyYAML's composer builds the same tree but costs as much as a full load (six
times a parse); this builds a lighter one straight from the parser's events,
which hold the marks. Scalars keep their text and are resolved to the value
`yaml.safe_load` would build only when a check asks for it. Aliases point at
the anchored node and merge keys (`<<`) are applied, so the tree holds what the
proxy's loader holds. Duplicate keys keep the last value, as the loader does,
and are listed for a warning. The nodes, and what a scalar loads as, are
marked_nodes.py's; they are imported from here.
"""
from __future__ import annotations

import bisect
import gc
from typing import Callable, Iterator

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from generator.boundary.loader import (  # noqa: F401 - validate prints with it
    needs_proxy_parser,
    printable,
)
from generator.boundary.marked_nodes import (  # noqa: F401 - validate imports key_of from here
    ODD_KEYS,
    BuildError,
    Document,
    Duplicate,
    Mapping,
    Node,
    Scalar,
    Sequence,
    TagError,
    key_of,
    tag_name,
    value_of,
    where,
)

try:
    from yaml import CSafeLoader as _CParser
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as _CParser

# yaml.safe_load in litellm's Python hits RecursionError between 450 and 500 levels
# (measured); below this the proxy loads the file (recorded: 300 levels started).
MAX_DEPTH = 400
# The tags yaml.safe_load can build; any other tag stops the proxy at start-up.
SAFE_TAGS = frozenset({"!"} | {f"tag:yaml.org,2002:{t}" for t in (
    "null", "bool", "int", "float", "binary", "timestamp", "omap", "pairs", "set", "str",
    "seq", "map", "merge", "value")})


def parse(text: str, on_entry: Callable[[Node], None] | None = None) -> Document:
    """The tree of `text`'s one document; raises yaml.YAMLError, TagError or BuildError.

    `on_entry`: called with each item of the root's model_list as soon as it is read,
    and the item is then not kept (10,000 entries are checked one by one, not held).

    libyaml accepts tabs between tokens that the proxy's pure-Python loader refuses:
    a tab outside comments and quoted or block scalars has that loader read the file
    too (as scan.py does), so a file the proxy refuses is refused here. A surrogate
    escape (JSON's "\\ud83d\\ude80"), which only that loader reads, has it parse the file.
    """
    loader = (yaml.SafeLoader if needs_proxy_parser(text) else _CParser)(text)
    # The tree keeps every event alive; the cyclic collector would rescan them again and
    # again while it grows (4x the build's own time at 10,000 entries) and finds nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        builder = _Builder(loader, on_entry, spans=[] if "\t" in text else None)
        document = builder.document()
    finally:
        loader.dispose()
        if collecting:
            gc.enable()
    if builder.spans is not None:
        _check_tabs(text, builder.spans)
    if builder.tagged is not None:
        _prove_loads(text, builder.tagged)
    # The tree has no cycles (refcounting frees it); keep later full collections off it.
    gc.freeze()
    return document


def _prove_loads(text: str, first_tag: tuple[int, int]) -> None:
    """A tagged file is loaded by the proxy's own constructor too: what it refuses, we do.

    The tree above builds each tagged value with SafeConstructor already; this catches
    what only a whole load shows. The message never quotes a value (it may be a secret).
    """
    loader = yaml.SafeLoader if "\t" in text or needs_proxy_parser(text) else _CParser
    try:
        yaml.load(text, Loader=loader)  # noqa: S506 - SafeLoader / CSafeLoader only
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where_ = (mark.line + 1, mark.column + 1) if mark is not None else first_tag
        reason = exc.context or "a value it cannot build"
        raise BuildError(f"yaml.safe_load refuses this ({reason})", *where_) from None
    except Exception:  # noqa: BLE001 - a constructor's own error carries no mark
        raise BuildError("yaml.safe_load cannot build a tagged value here", *first_tag) from None


def _check_tabs(text: str, spans: list[tuple[int, int]]) -> None:
    """Raise what the proxy's loader raises when a tab sits where only libyaml allows it."""
    spans.sort()
    starts = [start for start, _end in spans]

    def inside(index: int) -> bool:
        at = bisect.bisect_right(starts, index) - 1
        return at >= 0 and spans[at][0] < index < spans[at][1]

    at = text.find("\t")
    while at >= 0:
        line_start = text.rfind("\n", 0, at) + 1
        hash_at = text.find("#", line_start, at)
        in_comment = False
        while hash_at >= 0 and not in_comment:
            in_comment = (hash_at == line_start or text[hash_at - 1] in " \t") \
                and not inside(hash_at)
            hash_at = text.find("#", hash_at + 1, at)
        if not inside(at) and not in_comment:
            yaml.load(text, Loader=yaml.SafeLoader)  # the proxy's own loader decides
            return
        at = text.find("\t", at + 1)


class _Builder:
    """One loop over the events with an explicit stack: the hot path of `validate`."""

    def __init__(self, loader, on_entry=None, spans=None):
        self.loader = loader
        self.on_entry = on_entry
        self.spans = spans  # (start, end) of quoted and block scalars, when the text has a tab
        self.duplicates: list[Duplicate] = []
        self.tagged: tuple[int, int] | None = None  # where the first explicit tag is
        self.streamed: list[list[tuple[int, int]]] = []

    def document(self) -> Document:
        get = self.loader.get_event
        get()  # StreamStart
        if not isinstance(get(), yaml.DocumentStartEvent):
            return Document(None, [])
        root = self.tree(get)
        get()  # DocumentEnd
        if self.loader.check_event(yaml.DocumentStartEvent):
            ev = self.loader.peek_event()
            raise BuildError("a second YAML document: the proxy loads exactly one "
                             "(yaml.safe_load refuses the file)",
                             ev.start_mark.line + 1, ev.start_mark.column + 1)
        return Document(root, self.duplicates, tuple(self.streamed))

    def tree(self, get) -> Node:
        anchors: dict[str, Node] = {}
        stack: list[tuple] = []
        # The open container, kept in locals: the loop runs once per event.
        parent = items = key = seen = merges = None
        on_entry, spans = self.on_entry, self.spans
        entries = root = None  # the root mapping and its model_list sequence
        while True:
            ev = get()
            cls = ev.__class__
            if cls is ScalarEvent:
                node = ev
                if ev.tag is not None or ev.anchor or spans is not None and ev.style:
                    self.scalar(ev, anchors)
                elif ev.value[:1] in _PLAIN_SUSPECTS and not ev.style:
                    _check_plain(ev, items is None and key is None)
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                node = self.collection(ev, cls, anchors, len(stack))
                if parent is not None:
                    if on_entry is not None and parent is root and self.streams(cls, key):
                        entries = node
                    stack.append((parent, items, key, seen, merges, node))
                elif root is None:
                    root = node
                parent, key, merges = node, None, None
                items, seen = (None, {}) if cls is MappingStartEvent else (node.items, None)
                continue
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                if merges or parent.tag in _PAIR_TAGS:
                    _completed(parent, merges)
                if not stack:
                    return parent
                parent, items, key, seen, merges, node = stack.pop()
            elif cls is AliasEvent:
                node = self.alias(ev, anchors)
            else:  # pragma: no cover - the parser yields nothing else inside a document
                raise BuildError(f"unexpected {cls.__name__}", *where(ev))
            if parent is None:
                return node
            if parent is entries:
                self.streamed[-1].append(where(node))
                on_entry(node)
            elif items is not None:
                items.append(node)
            elif key is None:
                key = node
            elif key.__class__ is not ScalarEvent or key.tag is not None or not key.implicit[0]:
                self.pair(parent, key, node, seen)
                key = None
            elif key.value == "<<":
                merges = (merges or []) + [node]
                key = None
            else:  # the common key, inline: plain text that loads as itself, not seen before
                text = key.value
                if text[:1].isalpha() and text not in ODD_KEYS and text not in seen:
                    seen[text] = key.start_mark.line + 1
                    parent.pairs.append((key, node))
                else:
                    self.pair(parent, key, node, seen)
                key = None

    def streams(self, cls, key) -> bool:
        """Whether a collection under the root's `key` is the model_list whose items go to
        on_entry one by one (a list of their places starts then)."""
        if cls is SequenceStartEvent and key.__class__ is ScalarEvent and \
                key.value == "model_list":
            self.streamed.append([])
            return True
        return False

    def scalar(self, ev, anchors: dict) -> None:
        """A scalar with a tag, an anchor, or a style whose span matters."""
        tag = ev.tag
        if tag is not None and tag != "!":
            if tag not in SAFE_TAGS:
                raise TagError(tag, *where(ev))
            self.tagged = self.tagged or where(ev)
            value_of(ev)  # load first, as the proxy does: a value it cannot build stops it
        elif ev.implicit[0] and not ev.style and ev.value not in ("=", "<<"):
            _check_plain(ev)
        if ev.anchor:
            anchors[ev.anchor] = ev
        if self.spans is not None and ev.style:
            self.spans.append((ev.start_mark.index, ev.end_mark.index))

    @staticmethod
    def alias(ev, anchors: dict) -> Node:
        node = anchors.get(ev.anchor)
        if node is None:
            from generator.boundary.secrets import ALIAS_SHOWN  # the alias is the operator's text

            raise BuildError(f"an alias ({ALIAS_SHOWN}) names no anchor defined before it (a "
                             "value that starts with * is an alias to YAML: quote it)",
                             *where(ev))
        return node

    def collection(self, ev, cls, anchors: dict, depth: int) -> Node:
        tag = ev.tag
        if tag is not None and tag != "!":
            if tag not in SAFE_TAGS:
                raise TagError(tag, *where(ev))
            self.tagged = self.tagged or where(ev)
            allowed = _MAPPING_TAGS if cls is MappingStartEvent else _SEQUENCE_TAGS
            if tag not in allowed:
                raise BuildError(f"the tag {tag_name(tag)} cannot be put on a "
                                 f"{'mapping' if cls is MappingStartEvent else 'list'}: "
                                 "yaml.safe_load refuses it", *where(ev))
        node = (Mapping if cls is MappingStartEvent else Sequence)(ev.start_mark, tag)
        if ev.anchor:
            anchors[ev.anchor] = node
        if depth >= MAX_DEPTH:
            raise BuildError(f"the config nests more than {MAX_DEPTH} levels deep: the proxy's "
                             "pure-Python loader recurses per level and fails (RecursionError, "
                             "measured near 500)", *where(ev))
        return node

    def pair(self, parent: Mapping, key, node: Node, seen: dict) -> None:
        """A key and its value: the key compared by its loaded value for duplicates."""
        if key.__class__ is not ScalarEvent:
            raise BuildError("a key that is a list or mapping: the proxy's loader refuses it",
                             *where(key))
        text = key.value
        # Most keys load as their own text; only odd spellings need resolving.
        loaded = text if key.tag is None and key.implicit[0] and text[:1].isalpha() and \
            text not in ODD_KEYS else value_of(key)
        try:
            if loaded in seen:
                self.duplicates.append(Duplicate(key, seen[loaded]))
            seen[loaded] = key.start_mark.line + 1
        except TypeError:  # an unhashable loaded key: the loader refuses it too
            raise BuildError("a key that is a list or mapping: the proxy's loader refuses it",
                             *where(key)) from None
        parent.pairs.append((key, node))


_MAPPING_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:set"})
_SEQUENCE_TAGS = frozenset({"tag:yaml.org,2002:seq", "tag:yaml.org,2002:omap",
                            "tag:yaml.org,2002:pairs"})
# First characters of plain scalars the resolver may read as something the constructor
# can fail on: a date (2024-02-30), `=` (the YAML value key), `<<` used as a value.
_PLAIN_SUSPECTS = frozenset("0123456789=<")


def _check_plain(ev, is_key: bool = False) -> None:
    """Build a plain scalar that may not load (a date that does not exist, `=`, `<<`).

    As a key, `<<` is a merge and `=` a string: only values are built.
    """
    text = ev.value
    if text in ("=", "<<"):
        if not is_key:
            value_of(ev)
    elif len(text) >= 8 and "-" in text:
        value_of(ev)


def _later_merge_wins() -> bool:
    """Whether this PyYAML lets the later mapping of `<<: [*a, *b]` win (6.0.3 and later),
    or the first (the YAML spec's order, up to 6.0.2): asked of the loader itself."""
    probe = "a: &a {kk: 1}\nb: &b {kk: 2}\nc: {<<: [*a, *b]}\n"
    return yaml.load(probe, Loader=yaml.SafeLoader)["c"]["kk"] == 2


_LATER_MERGE_WINS = _later_merge_wins()


def _merged_once(key) -> object:
    """What PyYAML 6.0.3+ counts a merged key by: the identity of its text, which is one
    object for a one-character text (CPython's cached strings), else one per place."""
    text = getattr(key, "value", None)
    return text if isinstance(text, str) and len(text) <= 1 and text <= "\xff" else id(key)


def _apply_merge(node: Mapping, merged: list[Node]) -> None:
    """`<<: *a` / `<<: [*a, *b]`, as SafeConstructor.flatten_mapping does: the mapping's own
    keys win; among merged pairs the later wins, a list taken in this PyYAML's order
    (`_LATER_MERGE_WINS`), where 6.0.3+ keeps only the first of a key it counts as one."""
    pairs: list = []
    for value in merged:
        items = value.items if isinstance(value, Sequence) else [value]
        for item in (items if _LATER_MERGE_WINS or len(items) < 2 else items[::-1]):
            if not isinstance(item, Mapping):
                raise BuildError("a merge key (<<) must name mappings; yaml.safe_load refuses "
                                 "anything else", *where(item))
            pairs.extend(item.items())
    have = {data_of(k) for k, _ in node.pairs if isinstance(k, Scalar)}
    seen: set = set()
    chosen: dict = {}  # key -> (key node, value): the first place, the last value
    for key, value in pairs:
        if _LATER_MERGE_WINS:
            if _merged_once(key) in seen:
                continue
            seen.add(_merged_once(key))
        loaded = data_of(key)
        if loaded not in have:
            chosen[loaded] = (chosen.get(loaded, (key,))[0], value)
    node.pairs[:0] = list(chosen.values())


def data_of(node: Node | None, _built: dict | None = None):
    """The plain Python data the loader builds from `node`.

    As yaml.safe_load does, an alias is built once and shared: a billion-laughs alias
    bomb costs its size in the file, not its expansion.
    """
    if node is None:
        return None
    if isinstance(node, Scalar):
        return value_of(node)
    built = {} if _built is None else _built
    if id(node) in built:
        return built[id(node)]
    if isinstance(node, Sequence):
        built[id(node)] = items = []
        items.extend(data_of(item, built) for item in node.items)
        if node.tag in _PAIR_TAGS:  # !!omap / !!pairs: a list of one-key mappings as pairs
            items[:] = [next(iter(item.items())) for item in items]
        return items
    if node.tag == "tag:yaml.org,2002:set":
        built[id(node)] = data = set()
        data.update(data_of(k, built) for k, _v in node.items()
                    if not isinstance(k, (Mapping, Sequence)))
        return data
    built[id(node)] = data = {}
    for key, value in node.items():
        if not isinstance(key, (Mapping, Sequence)):
            data[data_of(key, built)] = data_of(value, built)
    return data


_PAIR_TAGS = frozenset({"tag:yaml.org,2002:omap", "tag:yaml.org,2002:pairs"})


def _completed(node: Node, merges: list | None) -> None:
    """A collection's end: its merge keys (`<<`) applied, or its !!omap / !!pairs items
    checked."""
    if merges:
        _apply_merge(node, merges)
    else:
        _check_pairs(node)


def _check_pairs(node: Sequence) -> None:
    """!!omap / !!pairs: every item a mapping of one key, or yaml.safe_load refuses the file."""
    for item in node.items:
        if not isinstance(item, Mapping) or len(item.pairs) != 1:
            raise BuildError(f"each item of a list tagged {tag_name(node.tag)} must be a "
                             "mapping of one key: yaml.safe_load refuses it", *where(item))


def all_scalars(node: Node | None) -> Iterator[tuple[Scalar, Scalar | None]]:
    """Every scalar value below `node` with the key it is the value of (None in lists)."""
    seen: set[int] = set()
    todo = [node] if node is not None else []
    while todo:
        current = todo.pop()
        if id(current) in seen:  # an alias: the anchored node was walked already
            continue
        seen.add(id(current))
        if current.__class__ is Mapping:
            for key, value in current.pairs:
                if value.__class__ is ScalarEvent:
                    yield value, key if key.__class__ is ScalarEvent else None
                else:
                    todo.append(value)
        elif current.__class__ is Sequence:
            for item in current.items:
                if item.__class__ is ScalarEvent:
                    yield item, None
                else:
                    todo.append(item)


def walked_values(node: Node | None, memo: dict, cap: int) -> int:
    """How many values the proxy's start-up visits below `node`, without expanding aliases.

    litellm's ProxyConfig._check_for_os_environ_vars walks the loaded config to resolve
    os.environ/ references: every value of a mapping, every mapping inside a list (not a
    list inside a list). Aliases are shared objects to the loader but walked again at
    each use, so a few lines of aliases can ask for billions of visits. Counted once per
    node (memo), capped at `cap`; the proxy's depth limit (100) is not applied, which only
    overcounts configs nested deeper than that.
    """
    if node is None or node.__class__ is ScalarEvent:
        return 0
    known = memo.get(id(node))
    if known is not None:
        return known
    memo[id(node)] = 0  # a mapping that holds itself (a recursive alias) adds nothing more
    total = 0
    if node.__class__ is Sequence:
        for item in node.items:
            if item.__class__ is Mapping:
                total = min(cap, total + walked_values(item, memo, cap))
    else:
        for _key, value in node.items():
            total = min(cap, total + 1 + walked_values(value, memo, cap))
    memo[id(node)] = total
    return total


def expanding_node(node: Node | None, memo: dict, cap: int) -> Node | None:
    """The node below `node` whose aliases, expanded, reach `cap` visits while none of its
    children does: where an alias bomb multiplies past it (None: nothing reaches it)."""
    if walked_values(node, memo, cap) < cap:
        return None
    while True:
        children = (node.items if node.__class__ is Sequence
                    else [value for _key, value in node.items()])
        over = next((child for child in children
                     if child.__class__ is not ScalarEvent and memo.get(id(child), 0) >= cap),
                    None)
        if over is None:
            return node
        node = over


def has_config_key(text: str, wanted: Callable[[int, str], bool]) -> bool:
    """Whether `text` reads as a config: an empty mapping (`{}`), or a mapping key, at some
    depth (1: the root's), that `wanted` accepts. Any layout (JSON on one line, flow
    collections) as the proxy's parser reads it, from its events: nothing is built, and
    the walk stops at the first key accepted. Raises yaml.YAMLError on a file the proxy
    cannot parse."""
    loader = (yaml.SafeLoader if needs_proxy_parser(text) else _CParser)(text)
    try:
        depth, expecting_key, previous = 0, [], None
        while True:
            ev = loader.get_event()
            cls = ev.__class__
            if cls is MappingEndEvent and previous is MappingStartEvent and depth == 1:
                return True  # the whole document is {}
            previous = cls
            if cls is MappingStartEvent or cls is SequenceStartEvent:
                if expecting_key and expecting_key[-1] is not None:
                    expecting_key[-1] = not expecting_key[-1]
                depth += 1
                expecting_key.append(True if cls is MappingStartEvent else None)
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                depth -= 1
                expecting_key.pop()
            elif cls is ScalarEvent or cls is AliasEvent:
                if expecting_key and expecting_key[-1] is not None:
                    if expecting_key[-1] and cls is ScalarEvent and wanted(depth, ev.value):
                        return True
                    expecting_key[-1] = not expecting_key[-1]
            elif cls is yaml.StreamEndEvent:
                return False
    finally:
        loader.dispose()
