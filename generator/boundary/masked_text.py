"""A whole text as the masking policy (secrets.py) shows it, its line count kept.

A config is read with libyaml's events, as the proxy's loader reads it: every scalar judged
by its key, a value used through an alias judged at each use, a literal block that holds a
config masked as one, comments shown only beside a value of a safe key. A text that does not
parse is masked line by line (`mask_lines`), a value that goes on below its key masked there
whole.
"""
from __future__ import annotations

import bisect
import re

from generator.boundary.secrets import (
    KEY_VALUE,
    MASK,
    SHOWN_BELOW,
    SHOWN_KEYS,
    comment_is_clear,
    is_name,
    is_secret_key,
    shown_url,
    shown_value,
)


def mask_line(line: str) -> str:
    """One line on its own (a rendered template's, a broken file's), by the line policy."""
    return mask_lines([line])[0]


def mask_config_text(text: str) -> str:
    """A config's text as the policy shows it, line count kept.

    Read with libyaml's events, as the proxy's loader reads it; a text that does not
    parse is masked line by line (`mask_lines`).
    """
    try:
        edits, shown_lines = _walk(text)
    except Exception:  # noqa: BLE001 - not YAML (or not this YAML): the line policy
        return "".join(mask_lines(text.splitlines(keepends=True)))
    edits += _comment_edits(text, edits, shown_lines)
    return _apply(text, edits)


def _apply(text: str, edits: list[tuple[int, int, str | None]]) -> str:
    """Each (start, end, replacement) applied; replacement None: masked line by line."""
    out, pos = [], 0
    for start, end, new in sorted(edits, key=lambda e: (e[0], -e[1])):
        if start < pos:
            continue
        out.append(text[pos:start])
        out.append(_masked_span(text[start:end]) if new is None else new)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _masked_span(span: str) -> str:
    """Each line's content replaced by the mask; line breaks and indentation kept."""
    shown = []
    for line in span.split("\n"):
        body = line.rstrip("\r")
        pad = body[:len(body) - len(body.lstrip(" \t"))]
        shown.append((pad + MASK if body.strip() else body) + line[len(body):])
    return "\n".join(shown)


class _Frame:
    __slots__ = ("is_map", "expect_key", "key", "below", "anchor", "spans")

    def __init__(self, is_map: bool, below: bool, anchor: str | None):
        self.is_map, self.expect_key, self.key = is_map, is_map, None
        self.below, self.anchor = below, anchor
        # With an anchor: (start, end, shown only because it stands below a SHOWN_BELOW key)
        self.spans: list[tuple[int, int, bool]] = []


def _walk(text: str):
    """(edits, (lines whose value a safe key shows, scalar spans)): every scalar judged
    by its key; a value written once and used through an alias is judged at each use."""
    import yaml
    from yaml.events import (
        AliasEvent,
        CollectionEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceStartEvent,
    )

    walk = _Walk(text)
    for ev in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        cls = ev.__class__
        if cls is not CollectionEndEvent and (getattr(ev, "anchor", None) is not None
                                              or getattr(ev, "tag", None) is not None):
            walk.edits.extend(_property_edits(text, ev))
        if cls is ScalarEvent:
            walk.scalar(ev)
        elif cls is AliasEvent:
            walk.alias(ev)
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            walk.start(ev, cls is MappingStartEvent)
        elif isinstance(ev, CollectionEndEvent):
            walk.end()
    return walk.edits, (walk.safe_lines, walk.scalars)


class _Walk:
    """The state of `_walk`: the open collections, the anchors and what was decided."""

    def __init__(self, text: str):
        self.text = text
        self.edits: list[tuple[int, int, str | None]] = []
        self.scalars: list[tuple[int, int]] = []
        self.safe_lines: set[int] = set()
        self.stack: list[_Frame] = []
        self.anchoring: list[_Frame] = []  # the open collections that carry an anchor
        self.anchored: dict[str, tuple[str | None, list]] = {}  # name -> (value, its spans)

    def _key_expected(self) -> _Frame | None:
        top = self.stack[-1] if self.stack else None
        return top if top is not None and top.is_map and top.expect_key else None

    def _value_done(self) -> None:
        if self.stack and self.stack[-1].is_map:
            self.stack[-1].expect_key = True

    def scalar(self, ev) -> None:
        start, end = _value_start(self.text, ev), ev.end_mark.index
        self.scalars.append((ev.start_mark.index, end))
        keyed = self._key_expected()
        if keyed is not None:
            keyed.key, keyed.expect_key = ev.value, False
            if not is_name(ev.value):
                self.edits.append((start, end, MASK))
            if ev.anchor is not None:
                self.anchored[ev.anchor] = (ev.value, [(start, end, False)])
            return
        key, below = _context(self.stack[-1] if self.stack else None)
        edit = _embedded_edit(self.text, ev, start, end) if ev.style == "|" else None
        edit = edit or _scalar_edit(self.text, key, ev.value, below, start, end)
        if edit is not None:
            self.edits.append(edit)
        elif (below or key in SHOWN_KEYS) and ev.start_mark.line == ev.end_mark.line:
            self.safe_lines.add(ev.end_mark.line)
        by_below = below and key not in SHOWN_KEYS
        for frame in self.anchoring:
            frame.spans.append((start, end, by_below))
        if ev.anchor is not None:
            self.anchored[ev.anchor] = (ev.value, [(start, end, by_below)])
        self._value_done()

    def alias(self, ev) -> None:
        target = self.anchored.get(ev.anchor, (None, []))
        keyed = self._key_expected()
        if keyed is not None:  # `*mk : value`: the key is the anchored scalar's text
            keyed.key, keyed.expect_key = target[0], False
            return
        key, below = _context(self.stack[-1] if self.stack else None)
        self.edits.extend(_alias_edits(target, key, below))
        self._value_done()

    def start(self, ev, is_map: bool) -> None:
        key, below = _context(self.stack[-1] if self.stack else None)
        keyed = self._key_expected()
        if keyed is not None:
            key, below = None, False  # a collection as a key: nothing in it is safe
            keyed.expect_key = False
        frame = _Frame(is_map, below or key in SHOWN_BELOW, ev.anchor)
        if not is_map:
            frame.key = key  # a list's items stand under the list's key
        self.stack.append(frame)
        if ev.anchor is not None:
            self.anchoring.append(frame)

    def end(self) -> None:
        frame = self.stack.pop()
        if frame.anchor is not None:
            self.anchoring.remove(frame)
            self.anchored[frame.anchor] = (None, frame.spans)
        self._value_done()


def _scalar_edit(text: str, key, value: str, below: bool, start: int, end: int):
    """The edit a value needs: None when it is shown as written."""
    shown = shown_value(key, value, below)
    if shown == value:
        return None
    raw = text[start:end]
    if shown is not None and "\n" not in raw:
        return (start, end, shown_url(raw))
    return (start, end, None)


def _embedded_edit(text: str, ev, start: int, end: int):
    """A literal block holding a YAML mapping (a Kubernetes ConfigMap's config.yaml, a
    values string): its lines masked by this same policy, read as the text it holds, so a
    manifest's diff shows the config's shape and no more. None: not such a block."""
    value = ev.value
    if "\n" not in value or ":" not in value:
        return None
    try:
        import yaml

        if not isinstance(yaml.load(value, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)),
                          dict):
            return None
    except Exception:  # noqa: BLE001 - not YAML: the block is masked whole, as any value
        return None
    raw_lines = text[start:end].split("\n")
    header = 1 if raw_lines[0].lstrip(" ").startswith("|") else 0  # the span may start past it
    inner = mask_config_text(value).split("\n")
    content = [line for line in raw_lines[header:] if line.strip()]
    if not content:
        return None
    indent = len(content[0]) - len(content[0].lstrip(" "))
    out = raw_lines[:header]
    for number, line in enumerate(raw_lines[header:]):
        if not line.strip():
            out.append(line)
            continue
        # Each content line is the block's indentation plus the value's own line.
        if number >= len(inner) or value.split("\n")[number] != line[indent:].rstrip("\r"):
            return None
        out.append(line[:indent] + inner[number] + ("\r" if line.endswith("\r") else ""))
    return (start, end, "\n".join(out))


def _alias_edits(target: tuple[str | None, list], key, below: bool) -> list:
    """A value used through an alias where it is not safe is masked where it is written."""
    value, spans = target
    if value is not None:
        return [] if shown_value(key, value, below) == value else \
            [(s, e, None) for s, e, _ in spans]
    # A collection: its scalars were judged by their own keys, except those shown only
    # because they stood below a SHOWN_BELOW key.
    safe_below = below or key in SHOWN_BELOW
    return [] if safe_below else [(s, e, None) for s, e, by_below in spans if by_below]


def _context(top: _Frame | None) -> tuple[str | None, bool]:
    """(the key a value stands under, whether it is below a SHOWN_BELOW key)."""
    if top is None:
        return None, False
    key = top.key
    if top.below and key is not None and is_secret_key(key):
        return key, False  # `tags: [{api_key: x}]`: a secret's name wins over the subtree
    return key, top.below


_PROPERTY = re.compile(r"([&*!])([^\s,\[\]{}]*)")


def _property_edits(text: str, ev) -> list[tuple[int, int, str]]:
    """Anchors, aliases and tags that do not read as names, masked (the sign kept)."""
    if getattr(ev, "anchor", None) is None and getattr(ev, "tag", None) is None:
        return []
    at, end = ev.start_mark.index, _value_start(text, ev) if hasattr(ev, "style") else \
        ev.end_mark.index
    edits = []
    for m in _PROPERTY.finditer(text, at, max(end, at + 1)):
        name = m.group(2)
        if m.group(1) == "!":
            name = name.lstrip("!")
        if name and not is_name(name):
            edits.append((m.end() - len(name), m.end(), MASK))
    return edits


def _value_start(text: str, ev) -> int:
    """Where a scalar's own text starts: after its anchor and tag, and after the header line
    of a block scalar (`|`, `>-`: the indicator says nothing)."""
    at = ev.start_mark.index
    if getattr(ev, "anchor", None) is not None or getattr(ev, "tag", None) is not None:
        while at < len(text) and text[at] in "&!":
            while at < len(text) and text[at] not in " \t\r\n":
                at += 1
            while at < len(text) and text[at] in " \t\r\n":
                at += 1
    if getattr(ev, "style", None) in ("|", ">"):
        line_end = text.find("\n", at)
        at = ev.end_mark.index if line_end < 0 else min(line_end + 1, ev.end_mark.index)
    return at


_OWN_COMMENT = re.compile(r"#+\s*(?:(?:BEGIN|END) litellm-gen presets\b|litellm-gen: ignore(?:\[[\w, -]*\])?\s*$)")


def _comment_edits(text: str, edits, shown) -> list[tuple[int, int, str]]:
    """Comments: shown beside a value of a safe key (or when they are the tool's own
    lines), else their text masked."""
    if "#" not in text:
        return []
    safe_lines, scalars = shown
    scalars.sort()
    starts = [s for s, _ in scalars]
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    masked_lines = {bisect.bisect_right(line_starts, s) - 1 for s, _, _ in edits}
    out = []
    for line_no, pos in enumerate(line_starts):
        end = text.find("\n", pos)
        line = text[pos:] if end < 0 else text[pos:end]
        hash_at = line.find("#")
        while hash_at >= 0:
            at = pos + hash_at
            if (hash_at == 0 or line[hash_at - 1] in " \t") and not _inside(at, starts, scalars):
                out.extend(_comment_edit(line, hash_at, at, line_no in safe_lines
                                         and line_no not in masked_lines))
                break
            hash_at = line.find("#", hash_at + 1)
    return out


def _comment_edit(line: str, hash_at: int, at: int, beside_safe: bool):
    body = line[hash_at:].rstrip("\r")
    # Beside a safe value, a comment passes the screen that value passed (no sk-..., bearer).
    shown = beside_safe and line[:hash_at].strip() and comment_is_clear(body)
    return [] if shown or _OWN_COMMENT.match(body) else _masked_comment(body, at)


def _masked_comment(body: str, at: int) -> list[tuple[int, int, str]]:
    marks = len(body) - len(body.lstrip("#"))
    rest = body[marks:]
    if not rest.strip():
        return []
    pad = rest[:len(rest) - len(rest.lstrip())]
    return [(at + marks, at + len(body), pad + MASK)]


def _inside(at: int, starts: list[int], scalars: list[tuple[int, int]]) -> bool:
    i = bisect.bisect_right(starts, at) - 1
    return i >= 0 and scalars[i][0] <= at < scalars[i][1]


# -- a text that does not parse: line by line ---------------------------------------------


_CONFLICT = re.compile(r"^(?P<mark><{7}|={7}|>{7}|\|{7})(?P<label>[^\r\n]*)(?P<eol>[\r\n]*)$")


def mask_lines(lines: list[str]) -> list[str]:
    """Lines of a text that does not parse: each `key: value` line by the policy, a value
    that goes on over the next lines masked there whole, every other line masked."""
    out = []
    # (the indentation of a key whose value goes on below, whether that value is a scalar
    # for sure (a block, a quote, an anchor...) or may be a nested mapping or list)
    within: tuple[int, bool] | None = None
    for line in lines:
        body = line.rstrip("\r\n")
        eol = line[len(body):]
        indent = len(body) - len(body.lstrip(" \t"))
        if within is not None and (not body.strip() or indent > within[0]):
            nested = not within[1] and (KEY_VALUE.match(body) or body.lstrip().startswith("- "))
            if not nested:
                out.append(_masked_span(body) + eol)
                continue
        else:
            within = None
        shown, goes_on = _line(body)
        if goes_on is not None:
            m = KEY_VALUE.match(body)
            within = (len(m.group("pre")) if m else indent, goes_on)
        out.append(shown + eol)
    return out


def _line(body: str) -> tuple[str, bool]:
    """(the line as shown, how its value may go on below: None it does not, False as a
    nested mapping or list or a scalar, True as a scalar)."""
    stripped = body.strip()
    if not stripped or stripped in ("---", "..."):
        return body, None
    pad = body[:len(body) - len(body.lstrip(" \t"))]
    if stripped.startswith("#"):
        return (body, None) if _OWN_COMMENT.match(stripped) else (
            pad + _apply(stripped, _masked_comment(stripped, 0)), None)
    conflict = _CONFLICT.match(body)
    if conflict:
        return conflict.group("mark") + (" " + MASK if conflict.group("label").strip()
                                         else ""), None
    m = KEY_VALUE.match(body)
    if m is None:
        return pad + MASK, None
    key = m.group("key").strip()
    value = m.group("value").strip()
    shown_key = m.group("q") + key + m.group("q") if is_name(key) else MASK
    head = m.group("pre") + shown_key + m.group("colon")
    post = m.group("post")
    comment = post[post.find("#"):] if "#" in post else ""
    space = post[:len(post) - len(comment)]
    if not value:
        return head + (space + _masked_comment_text(comment) if comment else ""), False
    # A second `key: ` on the line is one more value the line policy cannot place.
    simple = ": " not in value and not value.endswith(":") and (
        value[:1] not in "&*!|>[{\"'" or (value[:1] in "\"'" and len(value) > 1
                                          and value[-1] == value[0]))
    shown = shown_value(key, value.strip("\"'")) if simple else None
    if shown is not None and shown != value.strip("\"'"):
        shown = shown_url(value)
    elif shown is not None:
        shown = value
    gap = m.group("value")[:len(m.group("value")) - len(m.group("value").lstrip())]
    if shown is None:
        return head + gap + MASK + space + _masked_comment_text(comment), True
    safe = key in SHOWN_KEYS and comment_is_clear(comment)
    return head + gap + shown + space + (comment if safe else _masked_comment_text(comment)), \
        None


def _masked_comment_text(comment: str) -> str:
    if not comment or _OWN_COMMENT.match(comment):
        return comment
    return _apply(comment, _masked_comment(comment, 0))


def mask_text_lines(text: str) -> str:
    """A whole text by the line policy (what `mask_config_text` falls back to)."""
    return "".join(mask_lines(text.splitlines(keepends=True)))
