"""`litellm-gen verify`: asks the running proxy whether it serves every model of a config."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import typer

from generator.cli.listing import loaded_entries
from generator.cli.options import (
    ConfigMapOpt,
    Format,
    FormatOpt,
    KeyPathOpt,
    OutputConfigArg,
    PresetsOnlyOpt,
    QuietOpt,
    parsed_key_path,
)
from generator.cli.state import EXIT_DIFFERS, state


def verify(
    config: Path = OutputConfigArg,
    url: str = typer.Option("http://127.0.0.1:4000", "--url", help="The running proxy."),
    master_key_env: str = typer.Option(
        "LITELLM_MASTER_KEY", "--master-key-env", metavar="NAME",
        help="Environment variable holding the master key; when it is not set, the config's "
             "general_settings.master_key is used (a literal or os.environ/NAME)."),
    wait: float = typer.Option(0, "--wait", metavar="SECONDS",
                               help="Poll until the proxy answers, for use right after a "
                                    "restart."),
    presets_only: bool = PresetsOnlyOpt,
    key_path: Optional[str] = KeyPathOpt,
    configmap: Optional[str] = ConfigMapOpt,
    format: Format = FormatOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Ask the running proxy (GET /model/info) whether it serves every model of CONFIG.

    One line per model: served, missing, or wrong mode. Exit status: 0 all served;
    1 something missing or wrong; 2 the proxy cannot be reached or refuses the key.
    The key is never printed.
    """
    from generator.boundary.proxy_api import wait_for_model_info
    from generator.cli.report import verify_json, verify_report
    from generator.inventory.verify import compare, master_key

    keys = parsed_key_path(key_path)
    quiet = quiet or state.quiet
    loaded, rows = loaded_entries(config, keys, configmap, presets_only, quiet)
    key = master_key(loaded.data, master_key_env, keys, os.environ, str(config))
    tty = sys.stderr.isatty()

    def progress(waited: float) -> None:
        if quiet:
            return
        if tty:
            sys.stderr.write(f"\rwaiting for the proxy at {url} ... {waited:4.0f}s / {wait:.0f}s")
            sys.stderr.flush()
        elif waited == 0 or int(waited) % 10 == 0:
            typer.echo(f"litellm-gen: waiting for the proxy at {url} ({waited:.0f}s)", err=True)

    try:
        served = wait_for_model_info(url, key, wait, progress)
    finally:
        if tty and wait and not quiet:
            sys.stderr.write("\n")
    checks = compare(rows, served)
    typer.echo(verify_json(checks, url, str(config)) if format is Format.json
               else verify_report(checks, url))
    if any(c.status != "served" for c in checks):
        raise typer.Exit(EXIT_DIFFERS)
