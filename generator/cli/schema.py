"""`litellm-gen schema`: a JSON Schema of config.yaml for editors and CI, from validate's rules."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from generator.cli.options import FILE_CHECKS, parsed_release
from generator.cli.state import state


def schema(
    litellm: Optional[str] = typer.Option(
        None, "--litellm", metavar="RELEASE",
        help="The litellm release the schema speaks for (default: the litellm installed in "
             "this Python environment, else the newest release litellm-gen knows; a release it "
             "has no rules for gets the nearest one's, and is told so)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="FILE",
                                          **FILE_CHECKS,
                                          help="Write the schema to FILE (- prints it, as "
                                               "without -o)."),
) -> None:
    """Print a JSON Schema (draft 2020-12) of config.yaml for editors and CI.

    Built from the rules validate uses (extracted from the release's own code):
    sections, keys, types, enums (providers as provider/... patterns, routing
    strategies, cache types, callbacks, modes), required keys, descriptions. It
    rejects what makes the proxy refuse to start, and accepts what the proxy starts
    with: keys it ignores and entries it drops are flagged for editors (a
    deprecationMessage) rather than rejected. Use it with yaml-language-server
    (`# yaml-language-server: $schema=litellm-config.schema.json`) or check-jsonschema.
    """
    import json

    from generator.boundary.files import (
        check_output_target,
        is_standard_stream,
        resolve_target,
        write_output,
    )
    from generator.releases.choice import judged_release
    from generator.validate.checks import rules_for
    from generator.validate.run import installed_litellm
    from generator.validate.schema import config_schema

    if output is not None and not is_standard_stream(output):  # refused before any work
        check_output_target(resolve_target(output), str(output))
    named = parsed_release(litellm, "--litellm")
    judged = judged_release(cli=named, file_pins=[], run_pins=[],
                            installed=[] if named else list(installed_litellm()))
    release = judged.release
    text = json.dumps(config_schema(rules_for(release).data, release), indent=2) + "\n"
    if (judged.nearest or judged.named is None) and not state.quiet:
        typer.echo(f"litellm-gen: {judged.sentence}", err=True)
    if output is None or is_standard_stream(output):
        sys.stdout.write(text)
        return
    write_output(output, text.encode("utf-8"))
    if not state.quiet:
        typer.echo(f"wrote {output}: the JSON Schema of config.yaml for litellm {release}",
                   err=True)
