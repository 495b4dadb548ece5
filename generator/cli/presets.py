"""`litellm-gen presets`: every preset the catalog holds, as a table or JSON."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from generator.cli.options import Format, FormatOpt, TemplatesOpt, TodayOpt, WideOpt, parsed_today


def list_presets(
    preset_set: Optional[List[str]] = typer.Option(
        None, "--preset-set", metavar="SET", help="Only these sets (default: every set)."),
    templates: Optional[Path] = TemplatesOpt,
    format: Format = FormatOpt,
    today: Optional[str] = TodayOpt,
    wide: bool = WideOpt,
) -> None:
    """List every preset: name, set, category, mode, cost fields, source, deprecation.

    Grouped by category; costs as the templates write them (USD, model_info fields).
    """
    from generator.cli.report import presets_json, presets_table
    from generator.presets.choice import catalog_presets

    rendered = catalog_presets(preset_set, templates)
    date = parsed_today(today)
    typer.echo(presets_json(rendered, date) if format is Format.json
               else presets_table(rendered, date, wide))
