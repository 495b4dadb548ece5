"""Reading and writing config files: every read and write of a config or an output.

(The render cache in render_cache.py and the templates it reads are its own; verify.py
talks to the network.)

Reads refuse what is not a UTF-8 text config of sane size. Writes are atomic (a
temporary file in the target's folder, flushed, synced and renamed over the
target), keep the target's permission bits and owner, follow a symbolic link
to its target, and hold a lock on the target's folder so two runs on the same
file take turns instead of interleaving.
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import signal
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .errors import UserError

BOM = "\ufeff"
# `-` names standard input as a CONFIG and standard output as an OUTPUT, as Unix tools do.
STANDARD_STREAM = Path("-")
MAX_CONFIG_BYTES = 16 * 1024 * 1024  # a 10,000-entry config is about 3 MB
# The files this run has replaced or created, in order: an interruption says so.
WRITTEN: list[str] = []


@dataclass(frozen=True)
class ConfigText:
    """A config's text without its BOM, and how to turn text back into its bytes."""
    text: str
    bom: bool

    def encode(self, text: str) -> bytes:
        return ((BOM if self.bom else "") + text).encode("utf-8")


def is_standard_stream(path: Path | None) -> bool:
    return path is not None and Path(path) == STANDARD_STREAM


def read_config(path: Path, *, what: str = "config") -> ConfigText:
    if is_standard_stream(path):
        return decode_config(_read_standard_input(what), str(path))
    try:
        info = path.stat()
    except FileNotFoundError:
        raise UserError(f"no such {what} file{_missing_hint(path, what)}", path=str(path)) from None
    except OSError as exc:
        raise UserError(f"cannot read the {what}: {exc.strerror}", path=str(path)) from None
    if stat.S_ISDIR(info.st_mode):
        raise UserError(f"is a folder, not a {what} file", path=str(path))
    if not stat.S_ISREG(info.st_mode):
        # A FIFO would block the read forever, a device never end: regular files only.
        kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(info.st_mode) else
                "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else
                "a socket" if stat.S_ISSOCK(info.st_mode) else "not a regular file")
        hint = " (a config on standard input: give `-`)" if what == "config" else ""
        raise UserError(f"is {kind}, not a regular {what} file; litellm-gen reads regular "
                        f"files only{hint}", path=str(path))
    if info.st_size > MAX_CONFIG_BYTES:
        raise UserError(f"the file is {info.st_size / 1e6:.1f} MB; litellm-gen reads configs up "
                        f"to {MAX_CONFIG_BYTES // (1024 * 1024)} MiB (is this really a LiteLLM "
                        "config?)", path=str(path))
    return decode_config(read_bounded(path, what), str(path))


def _missing_hint(path: Path, what: str) -> str:
    """The step that makes the file: the merge's output comes from a merge, a config from init."""
    if what != "config":
        return ""
    if path.name == "config.yaml" and path.parent.name == "output":
        merge = "litellm-gen merge" if path == Path("output/config.yaml") else \
            f"litellm-gen merge CONFIG -o {path}"
        return f" (the merged config: `{merge}` writes it, `make config` runs that merge)"
    return " (create one with `litellm-gen init`)"


_STDIN_READ: list = [None, b""]  # (the stream, what it held): it can be read only once


def _read_standard_input(what: str) -> bytes:
    """Standard input, read once per stream: a command that reads CONFIG twice (validate
    reads it for its findings and for its comments) gets the same bytes both times."""
    if _STDIN_READ[0] is sys.stdin:
        return _STDIN_READ[1]
    raw = sys.stdin.buffer.read(MAX_CONFIG_BYTES + 1)
    _STDIN_READ[:] = [sys.stdin, raw]
    if len(raw) > MAX_CONFIG_BYTES:
        raise UserError(f"the {what} on standard input is larger than "
                        f"{MAX_CONFIG_BYTES // (1024 * 1024)} MiB; litellm-gen reads LiteLLM "
                        "configs only", path=str(STANDARD_STREAM))
    return raw


def read_bounded(path: Path, what: str) -> bytes:
    """The file's bytes, refusing more than MAX_CONFIG_BYTES even where stat shows no size
    (/dev/zero, a pipe)."""
    try:
        # Non-blocking, then checked: a file swapped for a FIFO after the stat cannot hang us.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with open(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise UserError(f"is not a regular {what} file; litellm-gen reads regular "
                                "files only", path=str(path))
            raw = f.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise UserError(f"cannot read the {what}: {exc.strerror}", path=str(path)) from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise UserError(f"the {what} is larger than {MAX_CONFIG_BYTES // (1024 * 1024)} MiB; "
                        "litellm-gen reads LiteLLM configs only", path=str(path))
    return raw


def decode_config(raw: bytes, where: str) -> ConfigText:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[:exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise UserError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); the proxy reads UTF-8 "
                        "configs only (is this a binary file?)", path=where, line=line,
                        column=column) from None
    bom = text.startswith(BOM)
    return ConfigText(text[1:] if bom else text, bom)


def resolve_target(path: Path) -> Path:
    """The file a write really replaces: the end of a symbolic link chain."""
    return Path(os.path.realpath(path))


@contextlib.contextmanager
def folder_lock(target: Path) -> Iterator[None]:
    """Hold an exclusive lock on the target's folder while reading and writing it.

    Locking the folder rather than the file survives the rename that replaces the
    file, and leaves no lock file behind in the operator's folder.
    """
    folder = target.parent
    try:
        fd = os.open(folder, os.O_RDONLY)
    except FileNotFoundError:
        yield  # the folder is created later; nobody else can be writing into it yet
        return
    except OSError as exc:
        raise UserError(f"cannot open the folder: {exc.strerror}", path=str(folder)) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP during a write; the CLI exits 128 + the signal's number."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"signal {signum}")
        self.signum = signum


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """Turn SIGTERM/SIGHUP into an exception during a write, so cleanup runs."""
    def stop(signum, frame):
        raise Terminated(signum)
    previous = {}
    for sig in (signal.SIGTERM, signal.SIGHUP):
        try:
            previous[sig] = signal.signal(sig, stop)
        except (ValueError, OSError):  # not the main thread: nothing to install
            pass
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def write_atomically(target: Path, data: bytes, *, like: Path | None = None) -> None:
    """Replace `target` (a resolved path) with `data`, all or nothing.

    The new file takes the permission bits and owner of the file it replaces,
    else of `like` (the config a new output is made from), else the umask's.
    """
    folder = target.parent
    if target.is_dir():
        raise UserError("is a folder; give a file name for the output", path=str(target))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create the output folder: {exc.strerror}",
                        path=str(folder)) from None
    model = target if target.exists() else like
    tmp_name = None
    with _signals_raise():
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                            dir=folder)
            with os.fdopen(fd, "wb") as tmp:
                tmp.write(data)
                tmp.flush()
                os.fsync(tmp.fileno())
            if model is not None and model.exists():
                info = model.stat()
                os.chmod(tmp_name, stat.S_IMODE(info.st_mode))
                _keep_owner(tmp_name, info)
            else:
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(tmp_name, 0o666 & ~umask)
            os.replace(tmp_name, target)
            tmp_name = None
            WRITTEN.append(str(target))
            _sync_folder(folder)
        except OSError as exc:
            reason = "the disk is full" if exc.errno == errno.ENOSPC else exc.strerror
            raise UserError(f"cannot write the output: {reason}; nothing was changed",
                            path=str(target)) from None
        finally:
            if tmp_name is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp_name)


def create_new(target: Path, data: bytes, *, shown: str) -> None:
    """Write a new file, all or nothing, and never over one that exists (even one created
    a moment ago by someone else): the whole file is linked into place, which fails if
    the name is taken."""
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise UserError(f"cannot write: {exc.strerror}", path=shown) from None
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_name, 0o666 & ~umask)
        os.link(tmp_name, target)
        WRITTEN.append(shown)
    except FileExistsError:
        raise UserError("already exists; litellm-gen init never overwrites a config",
                        path=shown) from None
    except OSError as exc:
        raise UserError(f"cannot write: {exc.strerror}", path=shown) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)


def _keep_owner(name: str, info: os.stat_result) -> None:
    """The owner where allowed (root); else at least the group, which a member may set."""
    try:
        os.chown(name, info.st_uid, info.st_gid)
    except PermissionError:
        with contextlib.suppress(PermissionError):
            os.chown(name, -1, info.st_gid)


def check_output_target(target: Path, shown: str) -> None:
    """An output must be a regular file or not exist: never a device, a folder or a pipe."""
    try:
        info = target.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UserError(f"cannot use the output: {exc.strerror}", path=shown) from None
    if stat.S_ISDIR(info.st_mode):
        raise UserError("the output is a folder; give a file name", path=shown)
    if not stat.S_ISREG(info.st_mode):
        raise UserError("the output is not a regular file (a device, a pipe or a socket); "
                        "litellm-gen replaces files only", path=shown)


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
