"""One run of the command as its modules share it: the top-level -q and the arguments as
given (app.py sets them, the commands read them), the warning line, and the exit statuses."""
from __future__ import annotations

from typing import List

import typer

from generator.boundary.secrets import mask_text

EXIT_DIFFERS, EXIT_USAGE, EXIT_INTERNAL = 1, 2, 3


class State:
    """The whole run: the top-level -q, and the arguments as given (for hints)."""
    quiet = False
    argv: List[str] = []


state = State()


def warn(message: str) -> None:
    typer.echo(f"litellm-gen: warning: {mask_text(message)}", err=True)


def keys_masked(messages: List[str], path: str) -> List[str]:
    """Messages about the file at `path` with the keys its masking hides masked."""
    from generator.boundary.files import text_read_before
    from generator.boundary.secrets import masked_keys, scrub

    text = text_read_before(path)
    hidden = masked_keys(text) if text else frozenset()
    return [scrub(m, hidden) for m in messages] if hidden else messages
