"""The `litellm-gen` command's entry point, and `python -m generator`.

Ctrl-C, SIGTERM and SIGHUP end a run in one line and 128 + the signal's number at any
moment from the package's first line (generator/__init__.py installs the handling before
anything else is imported; interrupts.py says how), and a reader that closed the pipe
(`litellm-gen presets | head -1`) ends it quietly with 141: never a traceback. (The
Python interpreter's own start-up, before the package is loaded, is outside its reach.)
"""
from __future__ import annotations

import sys

from generator.boundary import interrupts, standard_streams

EXIT_CLOSED_PIPE = 141  # 128 + SIGPIPE, as a shell reports a process that SIGPIPE ended
EXIT_STREAM_FAILED = 2  # the environment's fault, as a folder that refuses a write is


def main() -> None:
    interrupts.raising()  # during the run: a signal raises where the run is, cleanup runs
    standard_streams.guard_standard_streams()
    try:
        from generator.cli.app import run  # typer, click and the rest: the first ~0.1 s of a run
        code = run()
        sys.stdout.flush()  # here, not at exit: a closed pipe is found while it can be handled
        interrupts.finished()  # the run is over: a late signal changes nothing
    except KeyboardInterrupt as exc:  # before the command runs, or after it returned
        code = _interrupted(getattr(exc, "signum", 2))
    except standard_streams.StreamFailed as exc:  # the last flush: a full disk, a closed fd
        interrupts.finished()
        standard_streams.say_failure(exc)
        code = EXIT_STREAM_FAILED
    except Exception as exc:  # noqa: BLE001 - a closed pipe; anything else as it came
        interrupts.finished()
        from generator.boundary.errors import OutputClosed

        if not isinstance(exc, (OutputClosed, BrokenPipeError)):
            raise
        code = _output_closed()
    sys.exit(code)


def _interrupted(signum: int) -> int:
    """One line, and the shell's status for the signal: 130 for Ctrl-C, 143 for SIGTERM."""
    try:
        sys.stderr.flush()
    except OSError:
        pass
    return interrupts.say(signum)


def _output_closed() -> int:
    """The reader has gone: stop quietly with the status a process killed by SIGPIPE has."""
    from generator.boundary.files import discard_standard_streams

    discard_standard_streams()
    return EXIT_CLOSED_PIPE


if __name__ == "__main__":
    main()
