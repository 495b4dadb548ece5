"""`litellm-gen init`: a starter config.yaml, never over an existing file."""
from __future__ import annotations

import os
from pathlib import Path

import typer

from generator.cli.options import FILE_CHECKS, QuietOpt
from generator.cli.state import state


def init(path: Path = typer.Argument(Path("config.yaml"), metavar="PATH", **FILE_CHECKS,
                                     help="Where to write the starter; - prints it."),
         quiet: bool = QuietOpt) -> None:
    """Write a starter config.yaml (an Ollama model, general_settings, explained).

    Refuses to overwrite an existing file. `-` prints the starter instead.
    """
    from generator.boundary.files import create_new, is_standard_stream, read_bounded
    from generator.presets.catalog import shipped_templates

    starter = read_bounded(shipped_templates() / "starter-config.yaml", "package data")
    create_new(Path(os.path.abspath(path)), starter, shown=str(path))
    if not (quiet or state.quiet or is_standard_stream(path)):
        typer.echo(f"wrote {path}: a starter config with one Ollama model; next: litellm-gen "
                   f"merge {path}")
