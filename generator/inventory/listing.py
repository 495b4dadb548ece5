"""What a config's model_list holds, read offline as the proxy reads it: for `list` and
`verify`.

Read-only, so read as `validate` reads: every file the proxy's loader loads (JSON on
one line, flow collections, merge keys, surrogate escapes, markers anywhere) is listed;
what merge refuses to rewrite is merge's concern, not theirs. Aliases are shared, never
expanded. Entries between merge's BEGIN and END markers are litellm-gen's.
"""
from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Sequence

import yaml

from generator.boundary import marked
from generator.boundary.errors import UserError
from generator.boundary.files import read_config
from generator.merge.block import BEGIN_MARKER, END_MARKER
from generator.merge.plan import nested_config_key

OURS, THEIRS = "litellm-gen", "operator"


@dataclass(frozen=True)
class EntryRow:
    line: int
    model_name: str | None
    model: str | None
    mode: str | None
    provider: str | None
    tags: tuple[str, ...]
    owner: str
    file: str = ""   # set for entries of an included file

    def as_dict(self) -> dict:
        d = asdict(self)
        d["tags"] = list(self.tags)
        return d


@dataclass(frozen=True)
class ListedConfig:
    """A config as the proxy loads it (`data`), and its entries (then its includes')."""
    path: Path
    data: object
    rows: list[EntryRow]
    notes: list[str]   # included files left out, and why


def _text(value) -> str | None:
    """A value as the table and JSON show it: dates, numbers and bytes as text; a
    surrogate pair (a JSON escape the loader keeps as two halves) as its character."""
    if value is None:
        return None
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    text = value if isinstance(value, str) else str(value)
    if not text.isascii():
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value] if value is not None else []


def read_listed(path: Path, key_path: Sequence[str] = (), configmap: str | None = None, *,
                includes: bool = True, what: str = "config") -> ListedConfig:
    """The config at `path` (or a manifest's embedded config) and the files it includes."""
    from generator.merge.manifest import embedded_text

    text = read_config(path, what=what).text
    offset = 0
    try:
        embedded = embedded_text(text, configmap)
        if embedded is not None:
            text, offset = embedded
        root = _parse(text, offset)
        config = _descend(root, key_path)
    except UserError as exc:
        raise exc.located(str(path)) from None
    built: dict = {}
    data = marked.data_of(root, built)
    if not key_path and isinstance(config, marked.Mapping) and "model_list" not in config:
        nested = nested_config_key(data)
        if nested is not None:
            raise UserError(f"there is no model_list at the top of this file, but {nested}"
                            f".model_list exists: the proxy config is nested under "
                            f"{nested} (a Helm values file?); give --key-path {nested}",
                            path=str(path))
    owned = _owned_lines(text)
    rows = [_row(item, marked.data_of(item, built), offset, owned)
            for item in _entries(config, str(path), offset)]
    notes: list[str] = []
    if includes and not key_path and embedded is None and isinstance(data, dict):
        rows += _included_rows(path, data.get("include"), notes)
    return ListedConfig(path, data, rows, notes)


def _parse(text: str, offset: int) -> marked.Node | None:
    """The document as the proxy's loader reads it; what it refuses, in validate's words."""
    from generator.validate.checks import syntax_finding

    try:
        return marked.parse(text).root
    except (yaml.YAMLError, marked.TagError, marked.BuildError) as exc:
        finding = syntax_finding("", exc, offset)
        raise UserError(finding.message, line=finding.line, column=finding.column) from None


def _descend(node, key_path: Sequence[str]):
    for name in key_path:
        child = node.get(name) if isinstance(node, marked.Mapping) else None
        if child is None:
            raise UserError(f"--key-path {'.'.join(key_path)}: there is no {name!r} here")
        node = child
    return node


def _entries(config, shown: str, offset: int) -> list:
    """The items of the config's model_list; none when it has none (the proxy serves none)."""
    items = config.get("model_list") if isinstance(config, marked.Mapping) else None
    if items is None or isinstance(items, marked.Sequence):
        return items.items if items is not None else []
    if isinstance(items, marked.Scalar) and marked.value_of(items) is None:
        return []
    line, column = marked.where(items)
    raise UserError("model_list is not a list of entries: the proxy will not start "
                    "(litellm-gen validate says why)", path=shown, line=line + offset,
                    column=column)


def _owned_lines(text: str) -> list[tuple[int, int]]:
    """(first, last) line of each BEGIN ... END pair of merge's markers; a marker without
    its partner owns nothing."""
    spans, begin = [], None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith(BEGIN_MARKER):
            begin = number
        elif stripped.startswith(END_MARKER) and begin is not None:
            spans.append((begin, number))
            begin = None
    return spans


def _row(item, loaded, offset: int, owned: list[tuple[int, int]]) -> EntryRow:
    line = marked.where(item)[0]
    item = loaded if isinstance(loaded, dict) else {}
    params = item.get("litellm_params") if isinstance(item.get("litellm_params"), dict) else {}
    info = item.get("model_info") if isinstance(item.get("model_info"), dict) else {}
    model = params.get("model")
    provider = info.get("litellm_provider") or (
        model.split("/", 1)[0] if isinstance(model, str) and "/" in model else None)
    tags = params.get("tags") or info.get("tags") or []
    ours = any(first < line < last for first, last in owned)
    return EntryRow(line + offset, _text(item.get("model_name")), _text(model),
                    _text(info.get("mode")), _text(provider),
                    tuple(_text(t) for t in _as_list(tags)), OURS if ours else THEIRS)


def _included_rows(config: Path, names, notes: list[str]) -> list[EntryRow]:
    """The entries of each included file; one that cannot be read is named in `notes`
    and left out, as merge does: one policy for unreadable includes."""
    from generator.merge.reading import Included, unread_notes

    rows, unread = [], []
    for name in [str(n) for n in names] if isinstance(names, list) else []:
        try:
            included = read_listed(config.parent / name, includes=False, what="included")
        except UserError as exc:
            unread.append(Included(name, None, str(exc)))
            continue
        rows += [dataclasses.replace(row, file=name) for row in included.rows]
    notes.extend(unread_notes(unread, "are not listed"))
    return rows
