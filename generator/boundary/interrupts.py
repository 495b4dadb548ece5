"""Ctrl-C, SIGTERM and SIGHUP: one line and 128 + the signal's number, at any moment.

The command's entry point hands the signals from one way of ending to the next:
- before the run (from the package's first line: generator/__init__.py), a signal ends
  the process at once with its one line: nothing is being written yet, and no exception
  can escape into a traceback from an import;
- during the run (`raising`), a signal raises (KeyboardInterrupt, or `Terminated` for
  SIGTERM and SIGHUP), so a write in progress removes its temporary file and leaves the
  target whole, and the CLI prints the line, naming any file already written;
- once the run has ended or its line is printed (`finished`, `say`), signals are
  ignored: the run's status stands, and no second line or late kill follows (Python
  leaves an ignored signal ignored through its shutdown).

Standard library only.
"""
from __future__ import annotations

import os
import signal as _signal
import sys

SIGNALS = tuple(getattr(_signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                if hasattr(_signal, name))
_NAMES = {getattr(_signal, name): name for name in ("SIGINT", "SIGTERM", "SIGHUP")
          if hasattr(_signal, name)}


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP during the run; the CLI exits 128 + the signal's number."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"signal {signum}")
        self.signum = signum


def message(signum: int, written: list[str] | None = None) -> str:
    """The one line: Ctrl-C is named by nothing (the operator pressed it), others by name."""
    how = "" if signum == _signal.SIGINT else f" ({_NAMES.get(signum, f'signal {signum}')})"
    if not written:
        return f"litellm-gen: interrupted{how}; no file was changed"
    return (f"litellm-gen: interrupted{how} after writing {', '.join(written)} (written "
            "whole); run the command again to finish")


def _written() -> list[str]:
    files = sys.modules.get(__package__ + ".files")
    return list(getattr(files, "WRITTEN", None) or [])


def say(signum: int) -> int:
    """Print the one line (once per run: later signals are ignored from here on, so no
    second line follows) and return the exit status, 128 + the signal's number."""
    _ignore_all()
    if not _SAID:
        _SAID.append(signum)
        try:
            os.write(2, (message(signum, _written()) + "\n").encode())
        except OSError:
            pass  # standard error is gone too: the status says it
    return 128 + signum


_SAID: list[int] = []  # the signal whose line was printed (once per run)


def said(signum: int) -> None:
    """The CLI printed the line itself (through click, where a test runner can see it)."""
    _SAID[:] = [signum]


def new_run() -> None:
    _SAID.clear()


def _raise(signum, frame) -> None:
    raise Terminated(signum)


def finished() -> None:
    """The run is over (its output flushed): a signal now changes nothing."""
    _ignore_all()


def raising() -> None:
    """From now on a signal raises where the run is, so cleanup runs (during the run)."""
    for sig in SIGNALS:
        _install(sig, _signal.default_int_handler if sig == _signal.SIGINT else _raise)


def _ignore_all() -> None:
    for sig in SIGNALS:
        try:
            _signal.signal(sig, _signal.SIG_IGN)
        except (ValueError, OSError):  # not the main thread: nothing to install
            pass


def _install(sig: int, handler) -> None:
    try:
        if _signal.getsignal(sig) == _signal.SIG_IGN:
            return  # ignored by whoever started us (`nohup`, `cmd &` in a script): kept so
        _signal.signal(sig, handler)
    except (ValueError, OSError):  # not the main thread: nothing to install
        pass
