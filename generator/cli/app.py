"""The `litellm-gen` command: translates options, calls the core, prints.

Exit status: 0 done; 1 only when `merge --check` (or `verify`, `validate`) finds a
difference; 2 bad usage or bad input, with nothing written; 3 an internal error
(a bug: please report it); 130/143 interrupted (Ctrl-C / SIGTERM); 141 the reader of the
output went away before all of it was written (`| head -1`; output that fit in the pipe
before the reader left ends as if read). See __main__.py.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import os
import sys
import textwrap
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from typer.core import TyperGroup

from generator.boundary import interrupts
from generator.boundary.errors import OutputClosed, UserError, interrupted_message
from generator.boundary.secrets import mask_text
from generator.merge.model import CONFLICT_POLICIES
from generator.validate.registry import RULES

EXIT_DIFFERS, EXIT_USAGE, EXIT_INTERNAL = 1, 2, 3

EXIT_CODES_HELP = """
Exit status: 0 done (written, or nothing to do); 1 `merge --check` found that OUTPUT
is not what merging CONFIG produces, `verify` found a model missing or wrong, or
`validate` found errors; 2 bad usage or bad input (nothing is written); 3 internal
error (a bug); 130 / 143 interrupted by Ctrl-C / SIGTERM (no file changed, or the
line names the files already written, each whole); 141 the reader of the output went
away before all of it was written (`| head -1`; a short output that fit in the pipe
first ends with the command's own status).
"""


class _Group(TyperGroup):
    """Catches the one user-facing error type once, for every command."""

    def make_context(self, info_name, args, parent=None, **extra):
        _state.argv = list(args)
        files = sys.modules.get(__package__ + ".files")
        if files is not None:
            files.WRITTEN.clear()  # a new run (the tests run many in one process)
        interrupts.new_run()
        # Parsing (and the top-level --help) also ends cleanly on Ctrl-C or a closed pipe.
        with _edges():
            return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx):
        with _edges():
            try:
                return super().invoke(ctx)
            except UserError as exc:
                typer.echo(f"litellm-gen: error: {_shown_error(exc)}", err=True)
                raise typer.Exit(EXIT_USAGE) from None
            except (typer.Exit, typer.Abort, SystemExit, KeyboardInterrupt, BrokenPipeError):
                raise
            except Exception as exc:  # noqa: BLE001 - the last line of defence, no traceback
                if hasattr(exc, "exit_code") and hasattr(exc, "show"):
                    raise  # click's own usage errors: it prints them and exits 2
                if os.environ.get("LITELLM_GEN_DEBUG"):
                    raise
                typer.echo(f"litellm-gen: internal error: {type(exc).__name__}: "
                           f"{mask_text(str(exc))} (this is a bug; rerun with "
                           "LITELLM_GEN_DEBUG=1 for a traceback and report it)", err=True)
                raise typer.Exit(EXIT_INTERNAL) from None


def _shown_error(exc: UserError) -> str:
    """The place (a file name, a line, a column) as it is; the message masked, the keys of
    the file it names that the masking hides (a secret pasted as a key) too."""
    message = _keys_masked([mask_text(exc.message)], exc.path)[0] if exc.path else \
        mask_text(exc.message)
    return f"{exc.where}: {message}" if exc.where else message


def _keys_masked(messages: List[str], path: str) -> List[str]:
    """Messages about the file at `path` with the keys its masking hides masked."""
    from generator.boundary.files import text_read_before
    from generator.boundary.secrets import masked_keys, scrub

    text = text_read_before(path)
    hidden = masked_keys(text) if text else frozenset()
    return [scrub(m, hidden) for m in messages] if hidden else messages


@contextlib.contextmanager
def _edges():
    """Ctrl-C and SIGTERM: one line and 128 + the signal; a closed pipe: nothing more."""
    try:
        yield
    except KeyboardInterrupt as exc:
        signum = getattr(exc, "signum", 2)
        try:
            typer.echo(interrupted_message(signum), err=True)
        except OSError:
            pass  # standard error is gone too: the status says it
        interrupts.said(signum)  # no second line, whatever comes after
        # 128 + the signal's number, as shells report it: 130 for Ctrl-C, 143 for SIGTERM.
        raise typer.Exit(128 + signum) from None
    except BrokenPipeError:
        # Not an OSError on the way out: click would turn it into exit status 1.
        raise OutputClosed() from None


def _show_version(value: bool) -> None:
    if value:
        from generator import __version__
        typer.echo(f"litellm-gen {__version__}")
        raise typer.Exit()


app = typer.Typer(
    cls=_Group,
    help="Merge OpenAI-only model presets (tts-1, tts-1-hd, whisper-1, dall-e-2, dall-e-3, ...) "
         "into a LiteLLM proxy's config.yaml, keeping every byte you wrote.\n\n"
         + EXIT_CODES_HELP,
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

QUIET_HELP = "Print only errors and what was asked for: no report, no warnings."


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True,
                                 help="Print the version and exit."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help=QUIET_HELP + " Also after the "
                               "command: litellm-gen merge -q."),
) -> None:
    _state.quiet = quiet


class _State:
    """The whole run: the top-level -q, and the arguments as given (for hints)."""
    quiet = False
    argv: List[str] = []


_state = _State()


# The choices come from the core's one definition of the policies.
OnConflict = Enum("OnConflict", {policy: policy for policy in CONFLICT_POLICIES}, type=str)


class Format(str, Enum):
    text = "text"
    json = "json"


# Files are opened by generator/boundary/files.py alone, which names the file and says what to do:
# click's own check (readable=True, typer's default) would stop a whole run on one file.
FILE_CHECKS = {"readable": False}


def _option(flag: str, metavar: str, help: str, default=None):
    return typer.Option(default, flag, metavar=metavar, help=help, **FILE_CHECKS)


# The options several commands share: (flag, metavar, help[, default]).
_SHARED_OPTIONS = (
    ("--only", "NAMES", "Only these presets or categories (tts, stt, image-gen); "
     "comma-separated or repeated."),
    ("--exclude", "NAMES", "Leave out these presets or categories; comma-separated or repeated."),
    ("--preset-set", "SET", "Preset sets to draw from (openai-seed, openai-current); "
     "repeatable. Default: openai-seed, the seed's five presets."),
    ("--templates", "DIR", "Your own preset templates (DIR/<name>.yaml.j2); they are added to "
     "the selection and override shipped presets of the same name."),
    ("--api-key-env", "NAME", "Environment variable the proxy reads the OpenAI key from; the "
     "config gets os.environ/NAME. A name only, never a key.", "OPENAI_API_KEY"),
    ("--key-path", "KEY[.KEY]", "model_list is nested under this key, as `proxy_config` in the "
     "LiteLLM Helm chart's values.yaml."),
    ("--configmap", "NAME[/KEY]", "In a Kubernetes manifest (found by its apiVersion/kind), the "
     "ConfigMap (and data key) whose embedded LiteLLM config to use; needed only when the file "
     "holds several."),
    ("--today", "YYYY-MM-DD", "The date deprecations are judged by (default: the system's "
     "date), for reproducible CI logs."),
)
(OnlyOpt, ExcludeOpt, SetOpt, TemplatesOpt, ApiKeyOpt, KeyPathOpt, ConfigMapOpt,
 TodayOpt) = (_option(*spec) for spec in _SHARED_OPTIONS)
FormatOpt = typer.Option(Format.text, "--format", help="Report as text or JSON.")
PresetsOnlyOpt = typer.Option(False, "--presets-only", help="Only the entries litellm-gen wrote.")
# Options of one command each, declared here so the commands' signatures stay short.
OutputOpt = typer.Option(None, "-o", "--output", metavar="OUTPUT", **FILE_CHECKS,
                         help="Where to write the "
                         "result (its folder is created); - prints it. Default: "
                         "output/config.yaml (standard output when CONFIG is -).")
OnConflictOpt = typer.Option(
    None, "--on-conflict", show_default=False,
    help="When CONFIG already has an entry of a preset's model_name that litellm-gen did not "
         "write: skip the preset and keep yours (default), replace yours, add the preset as "
         "one more deployment of that model group, or stop with an error.")
MergeApiKeyOpt = _option("--api-key-env", "NAME", "Environment variable the proxy reads the "
                         "OpenAI key from; the config gets os.environ/NAME. A name only, never a "
                         "key. Default: OPENAI_API_KEY.")
IncludeFileOpt = _option("--include-file", "PATH", "Write the presets into PATH (relative to "
                         "OUTPUT's folder) and make OUTPUT's top-level include: list name it; "
                         "your model_list is left alone.")
CheckOpt = typer.Option(False, "--check", help="Write nothing; exit 1 and print the diff when "
                        "OUTPUT (CONFIG with --in-place) is not what merging CONFIG produces.")
QuietOpt = typer.Option(False, "-q", "--quiet", help=QUIET_HELP)
MergeConfigArg = typer.Argument(Path("config.yaml"), metavar="CONFIG", show_default=True,
                                **FILE_CHECKS,
                                help="The proxy config to read; - reads standard input.")
HealthCheckMediaOpt = typer.Option(
    False, "--health-check-media",
    help="Keep the presets in the proxy's background health checks. By default they carry "
         "model_info.disable_background_health_check: true, because with "
         "general_settings.background_health_checks each check is a paid request (dall-e-3 "
         "every 300 s: 288 images, about $11.52 a day).")
AcknowledgeOpt = _option(
    "--acknowledge-deprecated", "NAMES",
    "Presets whose deprecation you know about: no more warnings for them; comma-separated or "
    "repeated. Also settable once for a repository: acknowledge-deprecated = [...] in "
    "[tool.litellm-gen] of pyproject.toml, or in .litellm-gen.toml.")
WithProxyOpt = typer.Option(
    False, "--with-proxy",
    help="Also start the real proxy (LITELLM_PROXY_BIN, else .venv-proxy/bin/litellm) on a free "
         "loopback port, report whether it started and which models it served, and stop it. "
         "Where that release has `litellm --validate_config` (of those litellm-gen knows, 1.104.9 "
         "and later), it runs first: "
         "a config it refuses is reported without a start.")


def _today(value: Optional[str]) -> _dt.date:
    if value is None:
        return _dt.date.today()
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise UserError(f"--today {value!r} is not a date (YYYY-MM-DD)") from None


def _key_path(value: Optional[str]) -> tuple[str, ...]:
    if not value:
        return ()
    parts = tuple(part for part in value.split("."))
    if any(not part for part in parts):
        raise UserError(f"--key-path {value!r}: give keys separated by dots, like proxy_config")
    return parts


def _warn(message: str) -> None:
    typer.echo(f"litellm-gen: warning: {mask_text(message)}", err=True)


@app.command()
def merge(
    config: Path = MergeConfigArg,
    output: Optional[Path] = OutputOpt,
    in_place: bool = typer.Option(False, "--in-place", help="Write the result back into CONFIG."),
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
    diff: bool = typer.Option(False, "--diff", help="Print the unified diff; write nothing."),
    check: bool = CheckOpt,
    exit_on_write: bool = typer.Option(
        False, "--exit-non-zero-on-write",
        help="Exit 1 when a file was written (as ruff's --exit-non-zero-on-fix): a hook or CI "
             "job then fails on a change even when the written file is not tracked yet."),
    format: Format = FormatOpt,
    today: Optional[str] = TodayOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Merge the presets into CONFIG's model_list and write OUTPUT.

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
    from generator.boundary.files import is_standard_stream
    from generator.cli.report import merge_report_json, merge_report_text, merge_warnings
    from generator.merge.apply import WriteBack, merge_file
    from generator.merge.plan import MergeOptions
    from generator.merge.selection import DEFAULT_API_KEY_ENV, DEFAULT_ON_CONFLICT, Selection
    from generator.presets.choice import (
        acknowledged_deprecations,
        check_env_name,
        selected_presets,
        split_names,
    )

    quiet = quiet or _state.quiet
    to_stdout = is_standard_stream(output) or (output is None and not in_place
                                              and is_standard_stream(config))
    _check_streams(config, output, in_place, to_stdout, check, include_file)
    target = config if in_place else Path("-") if to_stdout else (
        output or Path("output/config.yaml"))
    write_back = WriteBack.from_flags(check=check, diff=diff)
    if to_stdout and write_back is WriteBack.WRITE:
        write_back = WriteBack.STDOUT
    date = _today(today)
    if api_key_env is not None:
        check_env_name(api_key_env)  # an empty or key-looking value is refused, not ignored
    selection, change = _selection(config, target, include_file, Selection(
        tuple(split_names(preset_set)), tuple(split_names(only)), tuple(split_names(exclude)),
        str(templates) if templates else None, api_key_env,
        on_conflict.value if on_conflict else None))
    api_key_env = selection.api_key_env or DEFAULT_API_KEY_ENV
    recorded_folder = templates is None and selection.templates is not None
    templates = Path(selection.templates) if selection.templates else None
    # The file whose BEGIN line records the choice: the include file, else the output.
    recorder = None if to_stdout else target.parent / include_file if include_file else target
    try:
        chosen = selected_presets(selection.preset_sets, templates, selection.only,
                                  selection.exclude, api_key_env, health_check_media)
    except UserError as exc:
        if recorded_folder and exc.message.startswith(f"--templates {templates}:"):
            exc.message += (" (the folder the block's BEGIN line records, relative to the "
                            "file that records it; give --templates DIR to choose again)")
        raise
    acknowledged = acknowledged_deprecations(acknowledge, config, templates)
    options = MergeOptions(on_conflict=selection.on_conflict or DEFAULT_ON_CONFLICT,
                           key_path=_key_path(key_path), configmap=configmap,
                           selection=_templates_recorded_in(selection, recorder).label())
    outcome = merge_file(config, target, chosen, options, write_back, include_file,
                         output_named=in_place or output is not None or to_stdout)
    warnings = change + merge_warnings(outcome, chosen, api_key_env, date, os.environ,
                                       acknowledged)
    if outcome.notes or outcome.plan.warnings:  # words drawn from the config (a duplicate key)
        warnings = _keys_masked(warnings, str(config))
    # The merged text, when it is what was asked for, is the only thing on standard output.
    report_to_stderr = write_back is not WriteBack.WRITE
    if write_back is WriteBack.STDOUT:
        sys.stdout.flush()
        sys.stdout.buffer.write(outcome.output_bytes)
    if format is Format.json:
        typer.echo(merge_report_json(outcome, warnings), err=write_back is WriteBack.STDOUT)
    else:
        sys.stdout.write(outcome.diff)  # only --diff, or --check on a difference, has one
        if not quiet:
            for line in warnings:
                _warn(line)
            typer.echo(merge_report_text(outcome, _rerun_without("--check")),
                       err=report_to_stderr)
    if check and outcome.output_differs or exit_on_write and outcome.written:
        raise typer.Exit(EXIT_DIFFERS)


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

    return shlex.join(["litellm-gen", *(a for a in _state.argv if a != flag)])


@app.command()
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
    if not (quiet or _state.quiet or is_standard_stream(path)):
        typer.echo(f"wrote {path}: a starter config with one Ollama model; next: litellm-gen "
                   f"merge {path}")


WideOpt = typer.Option(False, "--wide", help="One line per row with every column, however "
                       "wide (the default view fits an 80-column terminal).")


@app.command("presets")
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
    date = _today(today)
    typer.echo(presets_json(rendered, date) if format is Format.json
               else presets_table(rendered, date, wide))


@app.command()
def render(
    only: Optional[List[str]] = OnlyOpt,
    exclude: Optional[List[str]] = ExcludeOpt,
    preset_set: Optional[List[str]] = SetOpt,
    templates: Optional[Path] = TemplatesOpt,
    api_key_env: str = ApiKeyOpt,
    health_check_media: bool = HealthCheckMediaOpt,
) -> None:
    """Print the selected presets as a standalone YAML document with a model_list."""
    from generator.merge.plan import STANDALONE_LAYOUT, render_block
    from generator.presets.choice import selected_presets

    chosen = selected_presets(preset_set, templates, only, exclude, api_key_env,
                              health_check_media)
    if not chosen:
        raise UserError("nothing to render: --only and --exclude leave no preset selected")
    sys.stdout.write("model_list:\n" + render_block(chosen, STANDALONE_LAYOUT))


def _listed(config: Path, key_path: tuple[str, ...], configmap: Optional[str],
            presets_only: bool, quiet: bool = False):
    """The config as the proxy loads it and its entries (and its includes'), for list and
    verify: read as validate reads, never refused for what merge will not rewrite."""
    from generator.inventory.listing import read_listed

    loaded = read_listed(config, key_path, configmap)
    for line in loaded.notes if not (quiet or _state.quiet) else ():
        _warn(line)
    rows = loaded.rows
    if presets_only:
        rows = [r for r in rows if r.owner == "litellm-gen"]
    return loaded, rows


OutputConfigArg = typer.Argument(
    Path("output/config.yaml"), metavar="[CONFIG]", **FILE_CHECKS,
    help="The config the proxy runs with (merge's OUTPUT); - reads standard input.  "
         "[default: output/config.yaml]", show_default=False)


@app.command("list")
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

    _, rows = _listed(config, _key_path(key_path), configmap, presets_only, quiet)
    if format is Format.json:
        typer.echo(entries_json(rows, str(config)))
    elif not rows:
        typer.echo(f"{config}: no presets merged by litellm-gen (run litellm-gen merge)"
                   if presets_only else f"{config}: model_list is empty")
    else:
        typer.echo(entries_table(rows, wide))


@app.command()
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

    keys = _key_path(key_path)
    quiet = quiet or _state.quiet
    loaded, rows = _listed(config, keys, configmap, presets_only, quiet)
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


class ValidateFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


VALIDATE_HELP = """Say what the pinned LiteLLM proxy will do with each CONFIG, before it restarts.

Checks the whole config (and its include: files): top-level sections, every
model_list entry, litellm_settings, router_settings, general_settings, and
os.environ/NAME references. One line per finding, PATH:LINE:COLUMN: error|warning:
message [rule], then a summary that says what the findings mean: will not start,
starts open (no master key), serves nothing from this file, drops N models, ignores
... . error: the proxy will not start, or starts without something the file asks for.
warning: it runs as written, but a request will fail or the file probably does not
mean it.

\b
The environment: findings that depend on it (an unset os.environ/NAME, the master
key, a Redis host) are errors only when validate runs in the deployment's
environment: --env-file FILE (what the proxy will see), or --deployment-env (this
environment is the proxy's; `make restart` passes it). Anywhere else (pre-commit,
CI, a laptop) they are warnings that say the variable is not set here.

\b
Suppressing, as linters do: --select / --ignore RULE,...; a comment
`# litellm-gen: ignore[RULE,...]` (or `# litellm-gen: ignore` for every rule) on the
finding's line, or alone on the line above it; and `select`, `ignore`,
`per-file-ignores` in `.litellm-gen.toml` or pyproject.toml's [tool.litellm-gen],
found from the config's folder upward (the summary names the file; --isolated
reads none).

\b
The rules:
""" + textwrap.fill(", ".join(sorted(RULES)) + ".", 84, break_on_hyphens=False) + """

\b
Formats: text (compiler lines and a summary per file); json (one document for every
file: {"files": [{"config", "errors", "warnings", "suppressed", "settings",
"findings", "summary"}], "errors", "warnings", "unreadable"}); github (GitHub Actions
::error / ::warning annotations, one per finding); sarif (SARIF 2.1.0, for code
scanning).

\b
Exit status: 0 no errors; 1 errors (with --strict, warnings too); 2 bad usage, an
unknown rule name, or a CONFIG that cannot be read or holds no LiteLLM config
(every other file is still checked: the status is the worst of them).
"""


def _rule_option(flag: str, help: str):
    return typer.Option(None, flag, metavar="RULE[,RULE...]", help=help)


@app.command(help=VALIDATE_HELP)
def validate(
    configs: Optional[List[Path]] = typer.Argument(
        None, metavar="[CONFIG]...", **FILE_CHECKS,
        help="The config(s) the proxy will restart with [default: output/config.yaml]."),
    key_path: Optional[str] = KeyPathOpt,
    configmap: Optional[str] = ConfigMapOpt,
    env_file: Optional[Path] = typer.Option(
        None, "--env-file", metavar="FILE", **FILE_CHECKS,
        help="The variables the proxy will see besides this environment (.env format, as "
             "docker compose reads it); declares the environment the deployment's."),
    deployment_env: bool = typer.Option(
        False, "--deployment-env",
        help="This environment is the one the proxy runs in (make restart passes it): an "
             "unset variable the proxy needs is an error, not a warning."),
    format: ValidateFormat = typer.Option(
        ValidateFormat.text, "--format", help="text, json (one document), github "
        "(Actions annotations) or sarif (SARIF 2.1.0)."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 on warnings too."),
    select: Optional[List[str]] = _rule_option(
        "--select", "Report only these rules (replaces the settings file's select)."),
    ignore: Optional[List[str]] = _rule_option(
        "--ignore", "Do not report these rules (added to the settings file's ignore)."),
    isolated: bool = typer.Option(False, "--isolated",
                                  help="Read no .litellm-gen.toml or pyproject.toml."),
    skip_unrelated: bool = typer.Option(
        False, "--skip-unrelated",
        help="Name and skip a file that holds no LiteLLM config (another app's manifest or "
             "YAML) instead of exiting 2 on it; the pre-commit hook passes it."),
    with_proxy: bool = WithProxyOpt,
    litellm: Optional[str] = typer.Option(
        None, "--litellm", metavar="RELEASE",
        help="Judge by this litellm release (default: the release the file pins in a proxy "
             "image tag or Helm image.tag, else a requirement pin or Dockerfile among the "
             "files, else the litellm installed in this Python environment, else the newest "
             "release litellm-gen knows). `litellm-gen validate --releases` lists them."),
    upgrade_to: Optional[str] = typer.Option(
        None, "--upgrade-to", metavar="RELEASE",
        help="Say what changes when the proxy moves from the release judged by to RELEASE: "
             "findings that appear (will break, newly dropped), disappear, and settings that "
             "become known or unknown (text or json; exit 1 when the move breaks something)."),
    releases: bool = typer.Option(False, "--releases",
                                  help="List the releases litellm-gen has rules for, and exit."),
    quiet: bool = typer.Option(
        False, "-q", "--quiet",
        help="Print only the findings that fail the run (errors; with --strict warnings "
             "too) and, for a file that has them, its summary: nothing when it passes."),
    today: Optional[str] = TodayOpt,
) -> None:
    from generator.validate.output import report_text, reports_github, reports_json, reports_sarif
    from generator.validate.per_file import read_env_file
    from generator.validate.run import ValidateRun, check_files, exit_status, installed_litellm
    from generator.validate.suppression import rule_names

    quiet = quiet or _state.quiet  # -q before the command, as after it
    if releases:
        _print_releases()
        return
    if upgrade_to is not None and format not in (ValidateFormat.text, ValidateFormat.json):
        raise UserError(f"--upgrade-to reports in text or json, not {format.value}: an "
                        "upgrade's changes are not findings of one file (run validate "
                        f"--litellm {upgrade_to} --format {format.value} for the target's "
                        "own findings)")
    env = dict(os.environ)
    if env_file is not None:
        env.update(read_env_file(env_file))
    dry_start = None
    if with_proxy:
        from generator.validate.with_proxy import dry_start as start

        def dry_start(config: Path, release: str):
            return start(config, env, release=release,
                         progress=lambda m: typer.echo(f"litellm-gen: {m}", err=True))
    run = ValidateRun(env=env, declared_env=deployment_env or env_file is not None,
                      today=_today(today), key_path=_key_path(key_path), configmap=configmap,
                      cli_select=rule_names(select, "--select"),
                      cli_ignore=rule_names(ignore, "--ignore"), isolated=isolated,
                      skip_unrelated=skip_unrelated, dry_start=dry_start,
                      litellm=_release_option(litellm, "--litellm"),
                      installed=() if litellm else installed_litellm())
    files = configs or [Path("output/config.yaml")]
    reports = check_files(files, run, _warn)
    if upgrade_to is not None:
        _report_upgrade(files, reports, run, _release_option(upgrade_to, "--upgrade-to"), format)
        return
    if format is ValidateFormat.text:
        for report in reports:
            if report.problem is not None:
                typer.echo(f"litellm-gen: error: {mask_text(report.problem)}", err=True)
            else:
                text = report_text(report, quiet=quiet, strict=strict)
                if text:
                    typer.echo(text)
    else:
        typer.echo({ValidateFormat.json: reports_json, ValidateFormat.github: reports_github,
                    ValidateFormat.sarif: reports_sarif}[format](reports))
        if format is not ValidateFormat.json:
            for report in reports:  # for the log beside the annotations or the SARIF file
                if quiet and report.problem is None and exit_status([report], strict) == 0:
                    continue
                typer.echo(report_text(report).splitlines()[-1] if report.problem is None
                           else f"litellm-gen: error: {mask_text(report.problem)}", err=True)
    status = exit_status(reports, strict)
    if status:
        raise typer.Exit(status)


def _release_option(value: Optional[str], flag: str) -> Optional[str]:
    """A release as X.Y.Z (a leading v, as image tags write it, is dropped)."""
    import re

    if value is None:
        return None
    release = value.strip().removeprefix("v")
    if not re.fullmatch(r"\d+\.\d+\.\d+(\.post\d+)?", release):
        raise UserError(f"{flag} {value!r}: give a release as X.Y.Z, such as 1.106.12 "
                        "(`litellm-gen validate --releases` lists the ones it has rules for)")
    return release


def _print_releases() -> None:
    from generator.releases.rules import known_releases, recorded_how

    for release in known_releases():
        typer.echo(f"{release}\t{recorded_how(release)}")


def _report_upgrade(files, reports, run, target: str, format) -> None:
    import dataclasses
    import json

    from generator.validate.run import check_files
    from generator.validate.upgrade import Upgrade

    after = check_files(files, dataclasses.replace(run, litellm=target, installed=()), _warn)
    changes, status = [], 0
    for before, moved in zip(reports, after):
        if before.problem is not None or before.unrelated or before.pins_only:
            if before.problem is not None:
                typer.echo(f"litellm-gen: error: {mask_text(before.problem)}", err=True)
                status = 2
            continue
        upgrade = Upgrade(before, moved)
        changes.append(upgrade)
        status = max(status, 1 if upgrade.breaks else 0)
    if format is ValidateFormat.json:
        typer.echo(json.dumps({"files": [u.as_dict() for u in changes],
                               "breaks": any(u.breaks for u in changes)}, indent=2))
    else:
        for upgrade in changes:
            typer.echo(upgrade.text())
    if status:
        raise typer.Exit(status)


@app.command()
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
    named = _release_option(litellm, "--litellm")
    judged = judged_release(cli=named, file_pins=[], run_pins=[],
                            installed=[] if named else list(installed_litellm()))
    release = judged.release
    text = json.dumps(config_schema(rules_for(release).data, release), indent=2) + "\n"
    if (judged.nearest or judged.named is None) and not _state.quiet:
        typer.echo(f"litellm-gen: {judged.sentence}", err=True)
    if output is None or is_standard_stream(output):
        sys.stdout.write(text)
        return
    write_output(output, text.encode("utf-8"))
    if not _state.quiet:
        typer.echo(f"wrote {output}: the JSON Schema of config.yaml for litellm {release}",
                   err=True)


def run(args: Optional[List[str]] = None) -> int:
    """The command's exit status; usage errors printed as click prints them."""
    try:
        code = app(args, prog_name="litellm-gen", standalone_mode=False)
    except typer.Abort:
        return EXIT_USAGE
    except Exception as exc:
        # click's usage errors (from click, or the copy newer typers carry): shown as click does
        if not (hasattr(exc, "show") and hasattr(exc, "exit_code")):
            raise
        exc.show()
        return exc.exit_code
    return code if isinstance(code, int) else 0

