"""Rendered presets kept between runs, so most runs never import Jinja2."""
from __future__ import annotations

import json
import os
import zlib
from pathlib import Path
from typing import Mapping

from generator import __version__
from generator.boundary.files import private_folder, read_quietly, write_private

MAX_ENTRY_BYTES = 4 * 1024 * 1024  # a rendered preset is a few hundred bytes


def cache_folder(environ: Mapping[str, str]) -> Path | None:
    """$XDG_CACHE_HOME/litellm-gen, else ~/.cache/litellm-gen (the XDG base directory spec)."""
    base = environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the spec: a relative value is to be ignored
        home = environ.get("HOME") or os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "litellm-gen"


class RenderCache:
    """Rendered presets, keyed by the template's path, exact source and variables.

    Importing Jinja2 and compiling five templates costs more than the rest of a
    small merge. A hit needs the stored source to equal the template's current
    text, so an edited template is always rendered again. The folder is the user's
    cache folder (XDG), private to the user (0700, checked), as Jinja's own
    bytecode cache is; any problem with it only means rendering without a cache.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def at_home(cls, environ: Mapping[str, str] = os.environ) -> "RenderCache | None":
        """The user's cache, or None: no home, a read-only one, or a folder not ours alone
        (another user could plant entries)."""
        folder = cache_folder(environ)
        folder = private_folder(folder) if folder is not None else None
        return cls(folder) if folder is not None else None

    def _file(self, key: list) -> Path:
        digest = zlib.crc32(json.dumps(key, sort_keys=True).encode("utf-8"))
        return self.folder / f"{digest:08x}.json"

    def get(self, where: str, source: str, variables: dict) -> tuple[str, dict] | None:
        key = [__version__, where, source, variables]
        raw = read_quietly(self._file(key), MAX_ENTRY_BYTES)
        try:
            stored = json.loads(raw) if raw is not None else None
        except ValueError:
            return None
        if not isinstance(stored, dict) or stored.get("key") != key:
            return None
        return stored["text"], stored["meta"]

    def put(self, where: str, source: str, variables: dict, rendered: tuple[str, dict]) -> None:
        key = [__version__, where, source, variables]
        entry = json.dumps({"key": key, "text": rendered[0], "meta": rendered[1]})
        write_private(self._file(key), entry.encode("utf-8"))
