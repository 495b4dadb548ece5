"""Standard output and error: the door every printed byte goes out by.

A write the system refuses (a full disk behind `> file`, standard output closed with `>&-`,
an I/O error) becomes `StreamFailed`, which the CLI reports in one line, as an error of the
environment, never as a traceback or an "internal error". A reader that left the pipe
(EPIPE) is not a failure: __main__ ends that run quietly.

The descriptors themselves are opened by files.py, the one door to files.
"""
from __future__ import annotations

import os
import sys

from generator.boundary import files

NAMES = {"stdout": "standard output", "stderr": "standard error"}


class StreamFailed(Exception):
    """Writing to standard output or error failed for a reason other than a closed pipe."""

    def __init__(self, name: str, exc: OSError) -> None:
        super().__init__(f"cannot write to {name}: {exc.strerror or exc}")
        self.name = name


class GuardedStream:
    """A standard stream whose failed writes raise StreamFailed; everything else as is."""

    def __init__(self, stream, name: str) -> None:
        self._stream = stream
        self._name = name
        self._buffer = None

    def write(self, data):
        try:
            return self._stream.write(data)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise StreamFailed(self._name, exc) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise StreamFailed(self._name, exc) from None

    @property
    def buffer(self):
        if self._buffer is None:
            self._buffer = GuardedStream(self._stream.buffer, self._name)
        return self._buffer

    def __getattr__(self, attribute: str):
        return getattr(self._stream, attribute)


def guard_standard_streams() -> None:
    """Guard sys.stdout and sys.stderr for this run. A stream the process was started
    without (`>&-`: Python sets it to None) gets a descriptor that refuses writes, so a
    command that prints finds out and says so, and one that prints nothing is unaffected."""
    for attribute, fd in (("stdout", 1), ("stderr", 2)):
        stream = getattr(sys, attribute)
        if isinstance(stream, GuardedStream):
            continue
        if stream is None:
            stream = files.refusing_stream(fd)
        setattr(sys, attribute, GuardedStream(stream, NAMES[attribute]))


def failure_message(exc: StreamFailed) -> str:
    """The one line for a failed stream, naming any file the run had already written."""
    after = f" (after writing {', '.join(files.WRITTEN)}, whole)" if files.WRITTEN else ""
    return f"litellm-gen: error: {exc}{after}"


def say_failure(exc: StreamFailed) -> None:
    """Print the line on the descriptor itself (sys.stderr may be the stream that failed),
    then send both streams to /dev/null: what is still buffered has nowhere to go, and
    Python flushes them again at exit."""
    try:
        os.write(2, (failure_message(exc) + "\n").encode("utf-8", "backslashreplace"))
    except OSError:
        pass  # standard error is gone too: the exit status says it
    files.discard_standard_streams()
