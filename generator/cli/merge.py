"""`litellm-gen merge`: the presets into a config's model_list, written only when proven.

The options and their checks (what standard input and output cannot do), the choice of
presets (the explicit options over the one the block's BEGIN line records), then
generator/merge/apply.py does the work and this module says what it did.
"""
from __future__ import annotations

import dataclasses
import os
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from generator.boundary.errors import UserError
from generator.cli.options import (
    FILE_CHECKS,
    ConfigMapOpt,
    ExcludeOpt,
    Format,
    FormatOpt,
    HealthCheckMediaOpt,
    KeyPathOpt,
    OnlyOpt,
    QuietOpt,
    SetOpt,
    TemplatesOpt,
    TodayOpt,
    option,
    parsed_key_path,
    parsed_today,
)
from generator.cli.state import EXIT_DIFFERS, keys_masked, state, warn
from generator.merge.model import CONFLICT_POLICIES

MERGE_HELP = """Merge the presets into CONFIG's model_list and write OUTPUT.

Everything you wrote stays byte for byte; the presets go into one block fenced
by `# BEGIN litellm-gen presets` / `# END litellm-gen presets` comments, which
later runs update in place. The file is written only when its text changes, and
only after the result is proven to load as the proxy loads it, to hold your data
plus the presets, and to be stable under a second merge.

The BEGIN line records the choice of presets (--preset-set, --only, --exclude,
--templates, --api-key-env, --on-conflict); a later merge given none of them
reproduces that choice, and one given some says what changes.

CONFIG may be a Kubernetes manifest (ConfigMap + Deployment, several documents):
the presets go into the ConfigMap's embedded config (`data: config.yaml: |`),
indented like it, and every other byte of the manifest stays as it was.

`-` as CONFIG reads standard input, and the result then goes to standard output
unless -o names a file; `-o -` prints the result (the report goes to standard error).
"""

# The choices come from the core's one definition of the policies.
OnConflict = Enum("OnConflict", {policy: policy for policy in CONFLICT_POLICIES}, type=str)

# Options of merge alone, declared here so the command's signature stays short.
OutputOpt = typer.Option(None, "-o", "--output", metavar="OUTPUT", **FILE_CHECKS,
                         help="Where to write the "
                         "result (its folder is created); - prints it. Default: "
                         "output/config.yaml (standard output when CONFIG is -).")
OnConflictOpt = typer.Option(
    None, "--on-conflict", show_default=False,
    help="When CONFIG already has an entry of a preset's model_name that litellm-gen did not "
         "write: skip the preset and keep yours (default), replace yours, add the preset as "
         "one more deployment of that model group, or stop with an error.")
MergeApiKeyOpt = option("--api-key-env", "NAME", "Environment variable the proxy reads the "
                        "OpenAI key from; the config gets os.environ/NAME. A name only, never a "
                        "key. Default: OPENAI_API_KEY.")
IncludeFileOpt = option("--include-file", "PATH", "Write the presets into PATH (relative to "
                        "OUTPUT's folder) and make OUTPUT's top-level include: list name it; "
                        "your model_list is left alone.")
CheckOpt = typer.Option(False, "--check", help="Write nothing; exit 1 and print the diff when "
                        "OUTPUT (CONFIG with --in-place) is not what merging CONFIG produces.")
MergeConfigArg = typer.Argument(Path("config.yaml"), metavar="CONFIG", show_default=True,
                                **FILE_CHECKS,
                                help="The proxy config to read; - reads standard input.")
AcknowledgeOpt = option(
    "--acknowledge-deprecated", "NAMES",
    "Presets whose deprecation you know about: no more warnings for them; comma-separated or "
    "repeated. Also settable once for a repository: acknowledge-deprecated = [...] in "
    "[tool.litellm-gen] of pyproject.toml, or in .litellm-gen.toml.")
InPlaceOpt = typer.Option(False, "--in-place", help="Write the result back into CONFIG.")
DiffOpt = typer.Option(False, "--diff", help="Print the unified diff; write nothing.")
ExitOnWriteOpt = typer.Option(
    False, "--exit-non-zero-on-write",
    help="Exit 1 when a file was written (as ruff's --exit-non-zero-on-fix): a hook or CI "
         "job then fails on a change even when the written file is not tracked yet.")


def merge(
    config: Path = MergeConfigArg,
    output: Optional[Path] = OutputOpt,
    in_place: bool = InPlaceOpt,
    only: Optional[List[str]] = OnlyOpt,
    exclude: Optional[List[str]] = ExcludeOpt,
    preset_set: Optional[List[str]] = SetOpt,
    templates: Optional[Path] = TemplatesOpt,
    api_key_env: Optional[str] = MergeApiKeyOpt,
    on_conflict: Optional[OnConflict] = OnConflictOpt,
    key_path: Optional[str] = KeyPathOpt,
    configmap: Optional[str] = ConfigMapOpt,
    include_file: Optional[str] = IncludeFileOpt,
    health_check_media: bool = HealthCheckMediaOpt,
    acknowledge: Optional[List[str]] = AcknowledgeOpt,
    diff: bool = DiffOpt,
    check: bool = CheckOpt,
    exit_on_write: bool = ExitOnWriteOpt,
    format: Format = FormatOpt,
    today: Optional[str] = TodayOpt,
    quiet: bool = QuietOpt,
) -> None:
    from generator.cli.report import merge_warnings
    from generator.merge.apply import merge_file
    from generator.merge.plan import MergeOptions
    from generator.merge.selection import DEFAULT_API_KEY_ENV, DEFAULT_ON_CONFLICT
    from generator.presets.choice import acknowledged_deprecations

    quiet = quiet or state.quiet
    target, to_stdout, write_back = _destination(config, output, in_place, check, diff,
                                                 include_file)
    date = parsed_today(today)
    selection, change = _selection(config, target, include_file, _explicit_selection(
        preset_set, only, exclude, templates, api_key_env, on_conflict))
    api_key_env = selection.api_key_env or DEFAULT_API_KEY_ENV
    recorded_folder = templates is None and selection.templates is not None
    templates = Path(selection.templates) if selection.templates else None
    # The file whose BEGIN line records the choice: the include file, else the output.
    recorder = None if to_stdout else target.parent / include_file if include_file else target
    chosen = _rendered(selection, templates, api_key_env, health_check_media, recorded_folder)
    acknowledged = acknowledged_deprecations(acknowledge, config, templates)
    options = MergeOptions(on_conflict=selection.on_conflict or DEFAULT_ON_CONFLICT,
                           key_path=parsed_key_path(key_path), configmap=configmap,
                           selection=_templates_recorded_in(selection, recorder).label())
    outcome = merge_file(config, target, chosen, options, write_back, include_file,
                         output_named=in_place or output is not None or to_stdout)
    warnings = change + merge_warnings(outcome, chosen, api_key_env, date, os.environ,
                                       acknowledged)
    if outcome.notes or outcome.plan.warnings:  # words drawn from the config (a duplicate key)
        warnings = keys_masked(warnings, str(config))
    _say(outcome, write_back, warnings, format, quiet)
    if check and outcome.output_differs or exit_on_write and outcome.written:
        raise typer.Exit(EXIT_DIFFERS)


def _destination(config: Path, output: Optional[Path], in_place: bool, check: bool,
                 diff: bool, include_file: Optional[str]):
    """Where the result goes (the target, and whether that is standard output) and how
    (write, diff, check), once what standard input and output cannot do is refused."""
    from generator.boundary.files import is_standard_stream
    from generator.merge.apply import WriteBack

    to_stdout = is_standard_stream(output) or (output is None and not in_place
                                              and is_standard_stream(config))
    _check_streams(config, output, in_place, to_stdout, check, include_file)
    target = config if in_place else Path("-") if to_stdout else (
        output or Path("output/config.yaml"))
    write_back = WriteBack.from_flags(check=check, diff=diff)
    if to_stdout and write_back is WriteBack.WRITE:
        write_back = WriteBack.STDOUT
    return target, to_stdout, write_back


def _explicit_selection(preset_set, only, exclude, templates: Optional[Path],
                        api_key_env: Optional[str], on_conflict: Optional[OnConflict]):
    """The choice of presets as this run's options give it (None where they give none)."""
    from generator.merge.selection import Selection
    from generator.presets.choice import check_env_name, split_names

    if api_key_env is not None:
        check_env_name(api_key_env)  # an empty or key-looking value is refused, not ignored
    return Selection(
        tuple(split_names(preset_set)), tuple(split_names(only)), tuple(split_names(exclude)),
        str(templates) if templates else None, api_key_env,
        on_conflict.value if on_conflict else None)


def _rendered(selection, templates: Optional[Path], api_key_env: str,
              health_check_media: bool, recorded_folder: bool):
    """The chosen presets rendered; a recorded --templates folder that is gone says where
    the folder's name came from."""
    from generator.presets.choice import selected_presets

    try:
        return selected_presets(selection.preset_sets, templates, selection.only,
                                selection.exclude, api_key_env, health_check_media)
    except UserError as exc:
        if recorded_folder and exc.message.startswith(f"--templates {templates}:"):
            exc.message += (" (the folder the block's BEGIN line records, relative to the "
                            "file that records it; give --templates DIR to choose again)")
        raise


def _say(outcome, write_back, warnings: List[str], format: Format, quiet: bool) -> None:
    """The merged text, when it is what was asked for, alone on standard output; the diff,
    the warnings and the report as the mode and the format ask."""
    from generator.boundary.files import STANDARD_STREAM, write_output
    from generator.cli.report import merge_report_json, merge_report_text
    from generator.merge.apply import WriteBack

    report_to_stderr = write_back is not WriteBack.WRITE
    if write_back is WriteBack.STDOUT:  # flushed: a failed write is found before the report
        write_output(STANDARD_STREAM, outcome.output_bytes)
    if format is Format.json:
        typer.echo(merge_report_json(outcome, warnings), err=write_back is WriteBack.STDOUT)
    else:
        if outcome.diff:  # only --diff, or --check on a difference, has one
            sys.stdout.write(outcome.diff)
        if not quiet:
            for line in warnings:
                warn(line)
            typer.echo(merge_report_text(outcome, _rerun_without("--check")),
                       err=report_to_stderr)


def _selection(config: Path, target: Path, include_file: Optional[str], explicit):
    """The choice of presets: the explicit options over the one the block records, and a
    warning when an explicit choice changes the recorded one."""
    from generator.boundary.files import is_standard_stream
    from generator.merge.apply import recorded_selection_in

    paths = [p for p in (target, config) if not is_standard_stream(p)]
    if include_file:
        paths.insert(0, target.parent / include_file)
    found = recorded_selection_in(paths)
    if found is None:
        return explicit, []
    recorded = _templates_seen_from(*found)
    chosen = explicit.over(recorded)
    if explicit.given and _templates_in_full(chosen).args() != \
            _templates_in_full(recorded).args():
        return chosen, [f"the presets were chosen with {recorded.shown()} (recorded in the "
                        f"block's BEGIN line); now with {chosen.shown()}"]
    return chosen, []


# A relative --templates is recorded relative to the file whose BEGIN line records it, and
# read back from there: a later run from another folder (CI, a hook at the repository's
# root) finds the same folder. An absolute one stays as it was given.

def _templates_seen_from(selection, recorder: Path):
    """The recorded choice, its relative --templates as a path from the working folder."""
    folder = selection.templates
    if not folder or os.path.isabs(folder):
        return selection
    seen = os.path.join(os.path.dirname(os.path.abspath(recorder)), folder)
    return dataclasses.replace(selection, templates=os.path.relpath(seen))


def _templates_recorded_in(selection, recorder: Optional[Path]):
    """The choice as the BEGIN line of `recorder` records it (None: standard output, where
    the working folder is the only place to start from)."""
    folder = selection.templates
    if folder and ("\n" in folder or "\r" in folder):
        # The BEGIN line is one comment line: a line break would end it inside the YAML.
        raise UserError("--templates: the folder's name holds a line break, which the BEGIN "
                        "line cannot record; rename the folder")
    if not folder or os.path.isabs(folder) or recorder is None:
        return selection
    start = os.path.dirname(os.path.abspath(recorder))
    return dataclasses.replace(selection, templates=os.path.relpath(os.path.abspath(folder),
                                                                    start))


def _templates_in_full(selection):
    """For comparing two choices: the folder however it was written."""
    folder = selection.templates
    return dataclasses.replace(selection, templates=os.path.abspath(folder)) if folder \
        else selection


def _check_streams(config: Path, output: Optional[Path], in_place: bool, to_stdout: bool,
                   check: bool, include_file: Optional[str]) -> None:
    """What standard input and output cannot do, refused before anything is read."""
    from generator.boundary.files import is_standard_stream

    if in_place and output is not None:
        raise UserError("give either -o OUTPUT or --in-place, not both")
    if in_place and is_standard_stream(config):
        raise UserError("--in-place writes CONFIG back, and standard input (-) cannot be "
                        "written; give -o OUTPUT, or -o - for standard output")
    if to_stdout and check:
        raise UserError("--check compares the result with an OUTPUT file; standard output "
                        "(-) holds none: give -o OUTPUT")
    if include_file is not None and is_standard_stream(include_file):
        raise UserError("--include-file -: the config's include: list names the presets' file, "
                        "so it must be a file; give a file name (-o - prints the result)")
    if to_stdout and include_file is not None:
        raise UserError("--include-file writes two files; standard output (-) takes one: "
                        "give -o OUTPUT")


def _rerun_without(flag: str) -> str:
    """The command as it was run, without `flag`: the hint repeats every option used."""
    import shlex

    return shlex.join(["litellm-gen", *(a for a in state.argv if a != flag)])
