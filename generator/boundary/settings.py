"""A repository's litellm-gen settings, found as ruff finds its own.

From the config's folder upward, the first folder that has `.litellm-gen.toml`, or a
`pyproject.toml` with a `[tool.litellm-gen]` table, wins (in one folder,
`.litellm-gen.toml` before `pyproject.toml`); a `pyproject.toml` without the table is
passed over. The whole file is read, not merged with files further up: one file
says it all, and the report names it.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from generator.boundary.errors import UserError
from generator.boundary.files import MAX_SMALL_BYTES, read_text_file

SETTINGS_FILES = (".litellm-gen.toml", "pyproject.toml")
# Every key a command reads from the table (validate's, so far): a key not listed here is
# reported as one litellm-gen does not read. A command that reads more adds them here.
SETTINGS_KEYS = ("select", "ignore", "per-file-ignores")
MERGE_KEYS = ("acknowledge-deprecated",)  # read by merge (presets.SETTINGS_KEY), not validate


@dataclass(frozen=True)
class ProjectSettings:
    path: Path
    table: dict = field(default_factory=dict)

    @property
    def shown(self) -> str:
        where = str(self.path)
        return f"{where} [tool.litellm-gen]" if self.path.name == "pyproject.toml" else where


def parse_settings(path: Path, text: str) -> ProjectSettings | None:
    """The settings a file holds; None for a pyproject.toml without [tool.litellm-gen]."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"not valid TOML: {exc}", path=str(path)) from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("litellm-gen")
        if table is None:
            return None
        if not isinstance(table, dict):
            raise UserError("[tool.litellm-gen] must be a table", path=str(path))
        return ProjectSettings(path, table)
    return ProjectSettings(path, data)


def find_settings(start: Path) -> ProjectSettings | None:
    """The settings that apply to files in `start` (a folder), or None."""
    folder = start.resolve()
    for candidate_folder in (folder, *folder.parents):
        for name in SETTINGS_FILES:
            candidate = candidate_folder / name
            if not _present(candidate):
                continue
            text = read_text_file(candidate, what="settings", limit=MAX_SMALL_BYTES).text
            found = parse_settings(_shown_path(candidate), text)
            if found is not None:
                return found
    return None


def _present(path: Path) -> bool:
    """Whether a settings file is there: a folder of that name is not one, while anything
    else of that name (a FIFO, a device) is, and the read says why it cannot be used
    rather than passing over it in silence."""
    return path.exists() and not path.is_dir()


def _shown_path(path: Path) -> Path:
    """Relative to the working folder when it is inside it, as a report shows paths."""
    try:
        return path.relative_to(Path.cwd().resolve())
    except ValueError:
        return path
