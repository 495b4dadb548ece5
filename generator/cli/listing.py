"""`litellm-gen list`: a config's model_list offline, as the proxy reads it; and that
reading, which `verify` shares."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from generator.cli.options import (
    ConfigMapOpt,
    Format,
    FormatOpt,
    KeyPathOpt,
    OutputConfigArg,
    PresetsOnlyOpt,
    QuietOpt,
    WideOpt,
    parsed_key_path,
)
from generator.cli.state import state, warn


def loaded_entries(config: Path, key_path: tuple[str, ...], configmap: Optional[str],
                   presets_only: bool, quiet: bool = False):
    """The config as the proxy loads it and its entries (and its includes'), for list and
    verify: read as validate reads, never refused for what merge will not rewrite."""
    from generator.inventory.listing import read_listed

    loaded = read_listed(config, key_path, configmap)
    for line in loaded.notes if not (quiet or state.quiet) else ():
        warn(line)
    rows = loaded.rows
    if presets_only:
        rows = [r for r in rows if r.owner == "litellm-gen"]
    return loaded, rows


def list_entries(
    config: Path = OutputConfigArg,
    presets_only: bool = PresetsOnlyOpt,
    key_path: Optional[str] = KeyPathOpt,
    configmap: Optional[str] = ConfigMapOpt,
    format: Format = FormatOpt,
    wide: bool = WideOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Show CONFIG's model_list offline: line, name, model, mode, owner, tags (--wide:
    provider too).

    CONFIG defaults to output/config.yaml, as for verify and validate: the file the proxy
    runs with. CONFIG may be a Kubernetes manifest: the ConfigMap's embedded config is
    listed, with the manifest's line numbers.
    """
    from generator.cli.report import entries_json, entries_table

    _, rows = loaded_entries(config, parsed_key_path(key_path), configmap, presets_only, quiet)
    if format is Format.json:
        typer.echo(entries_json(rows, str(config)))
    elif not rows:
        typer.echo(f"{config}: no presets merged by litellm-gen (run litellm-gen merge)"
                   if presets_only else f"{config}: model_list is empty")
    else:
        typer.echo(entries_table(rows, wide))
