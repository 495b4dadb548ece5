"""What a config's model_list holds, read offline: for `list` and `verify`."""
from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass
from typing import Sequence

from .errors import UserError
from .merge import find_block
from .reading import LoadedConfig, read_includes, unread_notes

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


def _text(value) -> str | None:
    """A value as the table and JSON show it: dates, numbers and bytes as text."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return str(value)


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value] if value is not None else []


def list_config(config: LoadedConfig, key_path: Sequence[str] = (), *, includes: bool = True,
                warnings: list[str] | None = None) -> list[EntryRow]:
    """The entries of the config's model_list, then those of the files it includes.

    An included file that cannot be read is named in `warnings` and left out, as merge
    does: one policy for unreadable includes.
    """
    text, scan, data, path = config.text, config.scan, config.data, config.path
    try:
        block = find_block(text, scan)
    except UserError as exc:
        raise exc.located(str(path)) from None
    node = data
    for key in key_path:
        node = node.get(key) if isinstance(node, dict) else None
    items = (node or {}).get("model_list") or [] if isinstance(node, dict) else []
    owned = set(block.entries) if block else set()
    rows = []
    for entry, item in zip(scan.model_list.entries, items):
        item = item if isinstance(item, dict) else {}
        params = item.get("litellm_params") if isinstance(item.get("litellm_params"), dict) else {}
        info = item.get("model_info") if isinstance(item.get("model_info"), dict) else {}
        model = params.get("model")
        provider = info.get("litellm_provider") or (
            model.split("/", 1)[0] if isinstance(model, str) and "/" in model else None)
        tags = params.get("tags") or info.get("tags") or []
        rows.append(EntryRow(entry.line + config.line_offset, _text(item.get("model_name")),
                             _text(model),
                             _text(info.get("mode")), _text(provider),
                             tuple(_text(t) for t in _as_list(tags)),
                             OURS if entry in owned else THEIRS))
    if includes and not key_path and not config.embedded and isinstance(data, dict):
        names = [str(name) for name in data.get("include") or []]
        included = read_includes(path, names)
        if warnings is not None:
            warnings.extend(unread_notes(included, "are not listed"))
        for item in included:
            for row in list_config(item.loaded, includes=False) if item.loaded else ():
                rows.append(dataclasses.replace(row, file=item.name))
    return rows
