"""Rendered presets kept between runs, so most runs never import Jinja2."""
from __future__ import annotations

import contextlib
import json
import os
import stat
import zlib
from pathlib import Path
from typing import Mapping

from . import __version__


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
    def open(cls, environ: Mapping[str, str] = os.environ) -> "RenderCache | None":
        folder = cache_folder(environ)
        if folder is None:
            return None
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            info = folder.lstat()
        except OSError:
            return None  # a read-only home, a full disk: render without a cache
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() \
                or info.st_mode & 0o077:
            return None  # not ours alone: another user could plant entries
        return cls(folder)

    def _file(self, key: list) -> Path:
        digest = zlib.crc32(json.dumps(key, sort_keys=True).encode("utf-8"))
        return self.folder / f"{digest:08x}.json"

    def get(self, where: str, source: str, variables: dict) -> tuple[str, dict] | None:
        key = [__version__, where, source, variables]
        try:
            stored = json.loads(self._file(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(stored, dict) or stored.get("key") != key:
            return None
        return stored["text"], stored["meta"]

    def put(self, where: str, source: str, variables: dict, rendered: tuple[str, dict]) -> None:
        key = [__version__, where, source, variables]
        target = self._file(key)
        tmp = target.with_name(f".{target.name}.{os.getpid()}")
        try:
            tmp.write_text(json.dumps({"key": key, "text": rendered[0], "meta": rendered[1]}),
                           encoding="utf-8")
            os.replace(tmp, target)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()
