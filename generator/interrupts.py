"""Ctrl-C, SIGTERM and SIGHUP: one line and 128 + the signal's number, at any moment.

Two ways to end, installed in turn by the command's entry point (__main__.py):
- before the run and after it, a signal ends the process at once with its one line
  (`quiet_exit`): nothing is being written then, and no exception can escape into a
  traceback from an import or from the interpreter's shutdown;
- during the run, a signal raises (KeyboardInterrupt, or `Terminated` for SIGTERM and
  SIGHUP), so a write in progress removes its temporary file and leaves the target whole,
  and the CLI prints the line, naming any file already written.

Standard library only. Before this module loads, generator/__init__.py has already
installed a handler of the same kind as `quiet_exit`, as the package's first act.
"""
from __future__ import annotations

import os
import sys

import _signal

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
    for sig in SIGNALS:
        try:
            _signal.signal(sig, _signal.SIG_IGN)
        except (ValueError, OSError):
            pass
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


def _quiet_exit(signum, frame) -> None:
    try:
        sys.stderr.flush()  # what the run printed before, then the line
    except (OSError, ValueError, AttributeError):
        pass
    os._exit(say(signum))


def _raise(signum, frame) -> None:
    raise Terminated(signum)


def quiet_exit() -> None:
    """From now on a signal ends the process with its line (before and after the run);
    once the line was printed, signals are ignored until the process ends."""
    for sig in SIGNALS:
        _install(sig, _signal.SIG_IGN if _SAID else _quiet_exit)


def raising() -> None:
    """From now on a signal raises where the run is, so cleanup runs (during the run)."""
    for sig in SIGNALS:
        _install(sig, _signal.default_int_handler if sig == _signal.SIGINT else _raise)


def _install(sig: int, handler) -> None:
    try:
        if _signal.getsignal(sig) == _signal.SIG_IGN:
            return  # ignored by whoever started us (`nohup`, `cmd &` in a script): kept so
        _signal.signal(sig, handler)
    except (ValueError, OSError):  # not the main thread: nothing to install
        pass
