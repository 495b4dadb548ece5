"""The door: every file litellm-gen reads or writes goes through this module, and no other.

Reads (configs, included files, templates and their folder, --env-file, settings files,
manifests, package data, the render cache, standard input as `-`) take regular files only:
the path is checked, then opened without blocking and checked again (a FIFO, a device, a
socket or a folder is refused before any read can block or never end), read up to a size
limit, and decoded as UTF-8 (a BOM is kept aside). An error names the file and says what
to do.

Writes (merge outputs and include files, `schema -o`, `init`, the render cache) take a
regular file or a new one: never a device, a FIFO or a folder; a symbolic link stays a link
and its target is written; a file without any write permission bit is refused, even to
root. A write is atomic (a temporary file in the target's folder, flushed, synced and
renamed over the target), keeps the target's permission bits and owner, and holds a lock
on the target's folder (merge) so two runs on the same file take turns. `-` is standard
output for every command that writes, and standard input for every command that reads.

tests/test_boundary.py fails when a module of the package opens, reads or writes a file
any other way.
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
from typing import IO, Iterator

from generator.boundary.errors import UserError
from generator.boundary.interrupts import Terminated

BOM = "\ufeff"
# `-` names standard input as a CONFIG and standard output as an OUTPUT, as Unix tools do.
STANDARD_STREAM = Path("-")
MAX_CONFIG_BYTES = 16 * 1024 * 1024  # a 10,000-entry config is about 3 MB
MAX_SMALL_BYTES = 1024 * 1024  # settings, templates, env files, modules beside a config
# The files this run has replaced or created, in order: an interruption says so.
WRITTEN: list[str] = []


@dataclass(frozen=True)
class ConfigText:
    """A file's text without its BOM, and how to turn text back into its bytes."""
    text: str
    bom: bool

    def encode(self, text: str) -> bytes:
        return ((BOM if self.bom else "") + text).encode("utf-8")


def is_standard_stream(path: Path | str | None) -> bool:
    return path is not None and Path(path) == STANDARD_STREAM


# -- reading ---------------------------------------------------------------------------------

def read_config(path: Path, *, what: str = "config", limit: int = MAX_CONFIG_BYTES
                ) -> ConfigText:
    """A text file (`-`: standard input), decoded: the one way a file's text is read."""
    if is_standard_stream(path):
        return decode_config(_read_standard_input(what, limit), str(path), what)
    return decode_config(read_bounded(path, what, limit), str(path), what)


read_text_file = read_config  # the same door, for files that are not configs


def read_bounded(path: Path, what: str, limit: int = MAX_CONFIG_BYTES) -> bytes:
    """The bytes of a regular file, refusing anything else and anything over `limit`, even
    where stat shows no size (/dev/zero, a pipe)."""
    shown = str(path)
    _refuse_what_is_not_a_file(_stat(path, what), shown, what)
    try:
        # Non-blocking, then checked: a file swapped for a FIFO after the stat cannot hang us.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        raise _read_error(exc, path, what) from None
    with open(fd, "rb") as handle:
        info = os.fstat(fd)
        _refuse_what_is_not_a_file(info, shown, what)
        if info.st_size > limit:
            raise UserError(f"the file is {info.st_size / 1e6:.1f} MB; litellm-gen reads "
                            f"{_kinds(what)} up to {_size(limit)} (is this really a "
                            f"{'LiteLLM config' if _kinds(what) == 'configs' else what} file?)",
                            path=shown)
        try:
            raw = handle.read(limit + 1)
        except OSError as exc:
            raise _read_error(exc, path, what) from None
    if len(raw) > limit:
        raise UserError(f"the {what} is larger than {_size(limit)}; litellm-gen reads "
                        f"{_kinds(what)} up to that size only", path=shown)
    return raw


def read_if_there(path: Path, what: str, limit: int = MAX_CONFIG_BYTES) -> bytes | None:
    """A file's bytes, or None when there is no such file (an output not written yet)."""
    try:
        os.stat(path)
    except FileNotFoundError:
        return None
    except OSError:
        pass  # read_bounded says what is wrong
    return read_bounded(path, what, limit)


def read_quietly(path: Path | str, limit: int = MAX_SMALL_BYTES) -> bytes | None:
    """A regular file's bytes, or None for anything else or any problem: for what is only
    a help (the render cache, a Python module beside a config that validate reads)."""
    try:
        return read_bounded(Path(path), "file", limit)
    except UserError:
        return None


def text_read_before(path: str) -> str | None:
    """The text of a file this run read, read again (standard input: what it held), or None:
    for masking what an error message names from it, never for deciding anything."""
    raw = _STDIN_READ[1] if is_standard_stream(path) else read_quietly(path, MAX_CONFIG_BYTES)
    return None if raw is None else raw.decode("utf-8", "replace")


def read_package_data(name: str) -> str:
    """A file shipped inside the package (generator/NAME), as text."""
    from importlib import resources

    resource = resources.files("generator").joinpath(name)
    if isinstance(resource, Path):
        return read_config(resource, what="package data").text
    try:  # a zipped install: no file to open, the loader holds the bytes
        return decode_config(resource.read_bytes(), name).text
    except FileNotFoundError:
        raise UserError(f"litellm-gen's {name} is missing; reinstall the package",
                        path=name) from None


def list_folder(folder: Path, pattern: str, *, what: str) -> list[Path]:
    """The entries of a folder that match `pattern`, sorted; each is read through the door
    later, which refuses one that is not a regular file."""
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        raise UserError(f"{what} {folder}: no such folder") from None
    except OSError as exc:
        raise UserError(f"{what} {folder}: cannot open the folder: {exc.strerror}") from None
    if not stat.S_ISDIR(info.st_mode):
        raise UserError(f"{what} {folder}: not a folder (give the folder that holds the files)")
    try:
        return sorted(folder.glob(pattern))
    except OSError as exc:
        raise UserError(f"{what} {folder}: cannot list the folder: {exc.strerror}") from None


def is_regular_file(path: Path) -> bool:
    """Whether `path` is a regular file (following links): the one kind a read accepts."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def _stat(path: Path, what: str) -> os.stat_result:
    try:
        return os.stat(path)
    except OSError as exc:
        raise _read_error(exc, path, what) from None


def _read_error(exc: OSError, path: Path, what: str) -> UserError:
    shown = str(path)
    if exc.errno == errno.ENOENT and os.path.islink(path):
        return UserError(f"is a symbolic link to {os.readlink(path)}, which does not exist; "
                         f"point it at the {_noun(what)}, or give the {_noun(what)} itself",
                         path=shown)
    if exc.errno == errno.ENOENT:
        return UserError(f"no such {what} file{_missing_hint(path, what)}", path=shown)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return UserError(f"cannot read the {_noun(what)}: permission denied ({_read_hint(path)}"
                         ", or run as a user who may read it)", path=shown)
    if exc.errno == errno.ENXIO:  # open() of a socket
        return UserError(f"is a socket, not a regular {what} file; litellm-gen reads regular "
                         "files only", path=shown)
    if exc.errno == errno.ENOTDIR:
        return UserError(f"no such {what} file (a part of the path is a file, not a folder)",
                         path=shown)
    return UserError(f"cannot read the {_noun(what)}: {exc.strerror}", path=shown)


def _read_hint(path: Path) -> str:
    """Who can let this user read `path`: this user (chmod), its owner, or a folder's."""
    try:
        owner = os.stat(path).st_uid
    except OSError:  # a folder on the way does not let this user through
        return "a folder on its path does not let this user in: chmod a+x that folder"
    if owner != os.geteuid():
        return f"it belongs to another user, who can let you read it: chmod a+r {path}"
    return f"make it readable to this user: chmod u+r {path}"


def _refuse_what_is_not_a_file(info: os.stat_result, shown: str, what: str) -> None:
    if stat.S_ISREG(info.st_mode):
        return
    if stat.S_ISDIR(info.st_mode):
        raise UserError(f"is a folder, not {'an' if what[:1] in 'aeiou' else 'a'} {what} file",
                        path=shown)
    # A FIFO would block the read forever, a device never end: regular files only.
    hint = " (a config on standard input: give `-`)" if what == "config" else ""
    raise UserError(f"is {_kind(info.st_mode)}, not a regular {what} file; litellm-gen reads "
                    f"regular files only{hint}", path=shown)


def _kind(mode: int) -> str:
    return ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else
            "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else
            "a socket" if stat.S_ISSOCK(mode) else
            "a folder" if stat.S_ISDIR(mode) else "not a regular file")


def _noun(what: str) -> str:
    """`what` as a noun: the config, the template, the included file, the env file."""
    return what if what in ("config", "template", "output", "file") else f"{what} file"


def _kinds(what: str) -> str:
    return "configs" if what in ("config", "included", "output") else f"{what} files"


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MiB"


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


def _read_standard_input(what: str, limit: int = MAX_CONFIG_BYTES) -> bytes:
    """Standard input, read once per stream: a command that reads CONFIG twice (validate
    reads it for its findings and for its comments) gets the same bytes both times."""
    if _STDIN_READ[0] is sys.stdin:
        return _STDIN_READ[1]
    if sys.stdin is None:
        raise UserError(f"there is no standard input to read the {what} from",
                        path=str(STANDARD_STREAM))
    raw = sys.stdin.buffer.read(limit + 1)
    _STDIN_READ[:] = [sys.stdin, raw]
    if len(raw) > limit:
        raise UserError(f"the {what} on standard input is larger than {_size(limit)}; "
                        f"litellm-gen reads {_kinds(what)} up to that size only",
                        path=str(STANDARD_STREAM))
    return raw


def decode_config(raw: bytes, where: str, what: str = "config") -> ConfigText:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[:exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        reader = "the proxy reads UTF-8 configs only" if _kinds(what) == "configs" else \
            f"litellm-gen reads the {_noun(what)} as UTF-8"
        raise UserError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); {reader} (is this a "
                        "binary file?)", path=where, line=line, column=column) from None
    bom = text.startswith(BOM)
    return ConfigText(text[1:] if bom else text, bom)


# -- writing ---------------------------------------------------------------------------------

def resolve_target(path: Path) -> Path:
    """The file a write really replaces: the end of a symbolic link chain."""
    real = Path(os.path.realpath(path))
    if not os.path.lexists(real) and os.path.exists(path):
        # A link the kernel follows to no path (/dev/stdout to a pipe): judged as it opens.
        return Path(path)
    return real


def check_output_target(target: Path, shown: str, *, writing: bool = True) -> None:
    """An output is a regular file or not there yet: never a device, a folder or a pipe;
    and, when it is to be written, one that its mode lets someone write."""
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UserError(f"cannot use the output: {exc.strerror}", path=shown) from None
    if stat.S_ISDIR(info.st_mode):
        raise UserError("the output is a folder; give a file name", path=shown)
    if not stat.S_ISREG(info.st_mode):
        raise UserError(f"the output is {_kind(info.st_mode)}, not a regular file; litellm-gen "
                        "writes regular files only (`-` prints the result instead)", path=shown)
    if writing and not stat.S_IMODE(info.st_mode) & 0o222:
        # Root could replace it, but a file nobody may write says "do not change me".
        raise UserError(f"is read-only (no write permission for anyone), so litellm-gen "
                        f"leaves it as it is: chmod u+w {shown} to let it be written, or "
                        "write elsewhere with -o OUTPUT", path=shown)
    if writing and not os.access(target, os.W_OK, effective_ids=os.access in
                                 os.supports_effective_ids):
        # Renaming over it would still work in a folder anyone may write: it is not ours to.
        whose = ("it belongs to another user, who may let you write it" if info.st_uid !=
                 os.geteuid() else "a read-only file system?")
        raise UserError(f"cannot write the output: permission denied ({whose}); write "
                        "elsewhere with -o OUTPUT", path=shown)


def write_output(path: Path, data: bytes, *, like: Path | None = None) -> None:
    """Write `data` to `path` as given on the command line: `-` prints it, a link's target
    is written, anything but a regular file or a new one is refused."""
    if is_standard_stream(path):
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    target = resolve_target(path)
    check_output_target(target, str(path))
    write_atomically(target, data, like=like, shown=str(path))


@contextlib.contextmanager
def folder_lock(target: Path) -> Iterator[None]:
    """Hold an exclusive lock on the target's folder while reading and writing it.

    Locking the folder rather than the file survives the rename that replaces the
    file, and leaves no lock file behind in the operator's folder.
    """
    folder = target.parent
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_CLOEXEC)
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


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """Turn SIGTERM/SIGHUP into an exception during a write, so cleanup runs (the command's
    entry point does so for the whole run; this covers the core used on its own)."""
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


def write_atomically(target: Path, data: bytes, *, like: Path | None = None,
                     shown: str | None = None) -> None:
    """Replace `target` (a resolved path) with `data`, all or nothing.

    The new file takes the permission bits and owner of the file it replaces,
    else of `like` (the config a new output is made from), else the umask's.
    """
    shown = shown or str(target)
    check_output_target(target, shown)  # again: it may have changed since the plan was made
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create the output folder: {exc.strerror} (create it, or "
                        "write elsewhere with -o OUTPUT)", path=str(folder)) from None
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
            _take_mode(tmp_name, model)
            os.replace(tmp_name, target)
            tmp_name = None
            WRITTEN.append(str(target))
            _sync_folder(folder)
        except OSError as exc:
            raise UserError(f"cannot write the output: {_why_not_written(exc, folder)}; "
                            "nothing was changed", path=shown) from None
        finally:
            if tmp_name is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp_name)


def _why_not_written(exc: OSError, folder: Path,
                     instead: str = "write elsewhere with -o OUTPUT") -> str:
    """What kept a write from happening, and the way to proceed."""
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        where = "is on a read-only file system" if exc.errno == errno.EROFS else \
            "does not let this user create files"
        # The write is a new file beside the target, renamed over it: it needs the folder.
        return (f"its folder {folder} {where} (litellm-gen writes the new file there first, "
                f"then moves it into place); make the folder writable, or {instead}")
    return exc.strerror or str(exc)


def _take_mode(tmp_name: str, model: Path | None) -> None:
    """The model file's mode and owner, else what the umask gives a new file."""
    if model is not None and is_regular_file(model):
        info = os.stat(model)
        os.chmod(tmp_name, stat.S_IMODE(info.st_mode))
        _keep_owner(tmp_name, info)
        return
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp_name, 0o666 & ~umask)


def create_new(target: Path, data: bytes, *, shown: str) -> None:
    """Write a new file, all or nothing, and never over one that exists (even one created
    a moment ago by someone else): the whole file is linked into place, which fails if
    the name is taken. `-` prints it."""
    if is_standard_stream(shown):
        write_output(STANDARD_STREAM, data)
        return
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise UserError("cannot write: " + _why_not_written(
            exc, folder, "give litellm-gen init another PATH"), path=shown) from None
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        _take_mode(tmp_name, None)
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


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_CLOEXEC)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# -- the private cache folder, scratch files, the standard streams ----------------------------

def private_folder(folder: Path) -> Path | None:
    """`folder`, made if needed, when it is this user's alone (0700, owned, not a link);
    None otherwise or on any problem (a read-only home, a full disk)."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(folder)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None  # not ours alone: another user could plant entries
    return folder


def write_private(path: Path, data: bytes) -> bool:
    """Replace `path` in a private folder with `data`, atomically; False on any problem
    (no sync: a cache entry lost in a crash is only rendered again)."""
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                        dir=path.parent)
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
        os.replace(tmp_name, path)
        tmp_name = None
        return True
    except OSError:
        return False
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def scratch_file() -> IO[bytes]:
    """An anonymous temporary file (a child process's log), gone when closed."""
    return tempfile.TemporaryFile()


def refusing_stream(fd: int):
    """A text stream on `fd` opened read-only: every write fails with EBADF, as a write
    to the closed descriptor would."""
    readonly = os.open(os.devnull, os.O_RDONLY)
    if readonly != fd:
        os.dup2(readonly, fd, inheritable=False)
        os.close(readonly)
    return open(fd, "w", encoding="utf-8", errors="backslashreplace", closefd=False)


def discard_standard_streams() -> None:
    """Point standard output and error at /dev/null: the reader has gone (or the stream
    failed), and Python flushes the streams again at exit, which must find nothing to fail on."""
    devnull = os.open(os.devnull, os.O_WRONLY | os.O_CLOEXEC)
    for stream in (sys.stdout, sys.stderr):
        try:
            os.dup2(devnull, stream.fileno())
        except (OSError, ValueError, AttributeError):
            pass
