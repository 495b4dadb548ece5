"""The `litellm-gen` command's entry point, and `python -m generator`.

Only the standard library is loaded before the handlers below are in place, so
Ctrl-C while typer and the rest are still being imported, or a reader that closed
the pipe (`litellm-gen presets | head -1`), ends as at any other moment: one line,
or nothing, and never a traceback.
"""
from __future__ import annotations

import os
import signal
import sys


def main() -> None:
    try:
        from .cli import run  # typer, click and the rest: the first ~0.1 s of a run
        code = run()
        sys.stdout.flush()  # here, not at exit: a closed pipe is found while it can be handled
    except KeyboardInterrupt as exc:  # before the command runs, or after it returned
        code = _interrupted(getattr(exc, "signum", signal.SIGINT))
    except Exception as exc:  # noqa: BLE001 - a closed pipe; anything else as it came
        from .errors import OutputClosed

        if not isinstance(exc, (OutputClosed, BrokenPipeError)):
            raise
        code = _output_closed()
    sys.exit(code)


def _interrupted(signum: int) -> int:
    """One line, and the shell's status for the signal: 130 for Ctrl-C, 143 for SIGTERM."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C cannot cut the line short
    try:
        from .errors import interrupted_message

        sys.stderr.write(interrupted_message() + "\n")
        sys.stderr.flush()
    except OSError:
        pass  # standard error is gone too: the status says it
    return 128 + signum


def _output_closed() -> int:
    """The reader has gone: stop quietly with the status a process killed by SIGPIPE has."""
    # Python flushes the streams again at exit; /dev/null behind them leaves nothing to fail.
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        try:
            os.dup2(devnull, stream.fileno())
        except (OSError, ValueError):
            pass
    return 128 + signal.SIGPIPE


if __name__ == "__main__":
    main()
