"""The one error type for failures an operator can act on.

Everything that is the input's fault or the environment's (a broken config, a
missing file, a folder that cannot be written) is raised as `UserError` and
printed once, without a traceback, by the CLI with exit status 2.
"""
from __future__ import annotations

import sys

# What an interruption prints (Ctrl-C, SIGTERM) before any file was written.
INTERRUPTED_MESSAGE = "litellm-gen: interrupted; no file was changed"


def interrupted_message(signum: int = 2) -> str:
    """The one line an interruption prints, at whatever moment it comes: after a write too."""
    from generator.boundary.interrupts import message

    files = sys.modules.get(__package__ + ".files")
    return message(signum, list(getattr(files, "WRITTEN", None) or []))


class UserError(Exception):
    """A failure the operator can fix; `where` is "file:line:column" when known."""

    def __init__(self, message: str, *, path: str | None = None,
                 line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line  # 1-based
        self.column = column  # 1-based

    def located(self, path: str) -> "UserError":
        """The same error, attributed to `path` if it names no file yet."""
        if self.path is None:
            self.path = path
        return self

    @property
    def where(self) -> str:
        parts = [p for p in (self.path, self.line, self.column) if p is not None]
        return ":".join(str(p) for p in parts)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class OutputClosed(Exception):
    """Standard output (or error) is a pipe whose reader has gone, as with `| head -1`."""
