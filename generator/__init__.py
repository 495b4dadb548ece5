"""litellm-gen: merge OpenAI-only model presets into a LiteLLM proxy's config.yaml."""
__version__ = "0.1.0"


def _stop_at_once(signum, frame) -> None:
    """Ctrl-C or SIGTERM before the run has begun: its one line, nothing else to undo."""
    import os

    for sig in _SIGNALS:
        _signal.signal(sig, _signal.SIG_IGN)  # a second signal cannot add a second line
    how = {2: "", 1: " (SIGHUP)", 15: " (SIGTERM)"}.get(signum, f" (signal {signum})")
    try:
        os.write(2, f"litellm-gen: interrupted{how}; no file was changed\n".encode())
    except OSError:
        pass
    os._exit(128 + signum)


def _run_as_the_command() -> bool:
    """This process is the `litellm-gen` command (or `python -m generator`), not a program
    or a test that imports the package."""
    import os
    import sys

    argv0 = sys.argv[0] if sys.argv else ""
    if os.path.basename(argv0).startswith("litellm-gen"):
        return True
    orig = list(getattr(sys, "orig_argv", ()))
    return argv0 == "-m" and "-m" in orig and orig[orig.index("-m") + 1:][:1] == ["generator"]


# First of all, before any other import (the C module under `signal` loads in microseconds):
# from here on a signal ends the command in one line, never in a traceback out of an import.
# __main__.main hands over to interrupts.py once the run begins.
import _signal  # noqa: E402

_SIGNALS = (_signal.SIGINT, _signal.SIGTERM, _signal.SIGHUP)
if _run_as_the_command():
    for _sig in _SIGNALS:
        if _signal.getsignal(_sig) != _signal.SIG_IGN:  # ignored by whoever started us: kept
            _signal.signal(_sig, _stop_at_once)
