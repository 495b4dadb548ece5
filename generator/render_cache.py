"""Rendered presets kept between runs, so most runs never import Jinja2."""
from __future__ import annotations

import contextlib
import json
import os
import stat
import zlib
from pathlib import Path

from . import __version__


class RenderCache:
    """Rendered presets, keyed by the template's path, exact source and variables.

    Importing Jinja2 and compiling five templates costs more than the rest of a
    small merge. A hit needs the stored source to equal the template's current
    text, so an edited template is always rendered again. The folder is private
    to the user (0700, checked), as Jinja's own bytecode cache is; any problem
    with it only means rendering without a cache.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def open(cls) -> "RenderCache | None":
        import tempfile

        folder = Path(tempfile.gettempdir()) / f"litellm-gen-{os.getuid()}"
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
            info = folder.lstat()
        except OSError:
            return None
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() \
                or info.st_mode & 0o077:
            return None  # not ours alone: another user could plant entries
        return cls(folder)

    def _file(self, key: list) -> Path:
        digest = zlib.crc32(json.dumps(key).encode("utf-8"))
        return self.folder / f"{digest:08x}.json"

    def get(self, where: str, source: str, api_key_env: str) -> tuple[str, dict] | None:
        key = [__version__, where, source, api_key_env]
        try:
            stored = json.loads(self._file(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(stored, dict) or stored.get("key") != key:
            return None
        return stored["text"], stored["meta"]

    def put(self, where: str, source: str, api_key_env: str, rendered: tuple[str, dict]) -> None:
        key = [__version__, where, source, api_key_env]
        target = self._file(key)
        tmp = target.with_name(f".{target.name}.{os.getpid()}")
        try:
            tmp.write_text(json.dumps({"key": key, "text": rendered[0], "meta": rendered[1]}),
                           encoding="utf-8")
            os.replace(tmp, target)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()
