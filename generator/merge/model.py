"""What the pure core works with: presets, the actions a merge takes, its policies.

No I/O here: merge.py, prove.py and manifest.py import this module, never the ones
that read templates or files.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Literal

# What --on-conflict may say; the CLI offers exactly these.
CONFLICT_POLICIES = ("skip", "replace", "add", "error")
ActionKind = Literal["added", "updated", "unchanged", "removed", "skipped", "replaced"]


@dataclass(frozen=True)
class PresetEntry:
    """One rendered preset: what it is and the YAML text of its model_list entry."""
    name: str
    set_name: str
    template: str              # path of the template, for messages
    category: str
    source: str
    deprecation_date: _dt.date | None
    successor: str
    text: str                  # the entry as rendered: two-space YAML mapping, LF endings
    data: dict = field(compare=False)

    @property
    def model_name(self) -> str:
        return self.data["model_name"]

    @property
    def mode(self) -> str | None:
        return (self.data.get("model_info") or {}).get("mode")

    @property
    def cost_fields(self) -> dict:
        info = self.data.get("model_info") or {}
        return {k: v for k, v in info.items() if "cost" in k}

    @property
    def tags(self) -> list:
        return list((self.data.get("litellm_params") or {}).get("tags") or [])

    def deprecated_on(self, today: _dt.date) -> bool:
        return self.deprecation_date is not None and today >= self.deprecation_date


@dataclass(frozen=True)
class Action:
    """What happened to one preset; `line` is where its entry stands in the new text.

    `name` is the preset's; a "removed" entry's preset is no longer selected and its
    block entry does not record it, so its `name` is "" and `model_name` says which.
    """
    kind: ActionKind
    name: str
    line: int | None = None
    reason: str = ""
    model_name: str = ""

    @property
    def shown(self) -> str:
        return self.name or self.model_name


@dataclass(frozen=True)
class FileChange:
    """One file a plan writes: its path as the operator named it, the text the new one is
    made from (None: a file not there yet) and the new text; for an edited file, the
    edits that make `after` from `before`: (start, end, new text), in order, not
    overlapping (a manifest splices them into its block)."""
    path: str
    before: str | None
    after: str
    edits: tuple[tuple[int, int, str], ...] = ()


@dataclass(frozen=True)
class Plan:
    """What a merge does: the files it writes, in the order they must be written (the
    config last: it never names an included file that is not there yet), and what
    happened to each preset."""
    files: tuple[FileChange, ...]
    actions: tuple[Action, ...]
    warnings: tuple[str, ...] = ()   # what the scan noticed and let through

    @property
    def text(self) -> str:
        """The merged config."""
        return self.files[-1].after

    @property
    def changed(self) -> bool:
        return any(f.after != f.before for f in self.files)
