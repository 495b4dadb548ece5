"""The `litellm-gen` application: the root options, the commands in order, the one edge.

Each command lives in a module of its own (see __init__.py) and is registered here;
the edge (_Group) catches the one user-facing error type, signals and a closed pipe once,
for all of them.

Exit status: 0 done; 1 only when `merge --check` (or `verify`, `validate`) finds a
difference; 2 bad usage or bad input, with nothing written (or standard output refused a
write: boundary/standard_streams.py); 3 an internal error
(a bug: please report it); 130/143 interrupted (Ctrl-C / SIGTERM); 141 the reader of the
output went away before all of it was written (`| head -1`; output that fit in the pipe
before the reader left ends as if read). See __main__.py.
"""
from __future__ import annotations

import contextlib
import os
import sys
from typing import List, Optional

import typer
from typer.core import TyperGroup

from generator.boundary import interrupts
from generator.boundary.errors import OutputClosed, UserError, interrupted_message
from generator.boundary.secrets import mask_text
from generator.boundary.standard_streams import StreamFailed, say_failure
from generator.cli.init import init
from generator.cli.listing import list_entries
from generator.cli.merge import MERGE_HELP, merge
from generator.cli.options import QUIET_HELP
from generator.cli.presets import list_presets
from generator.cli.render import render
from generator.cli.schema import schema
from generator.cli.state import EXIT_INTERNAL, EXIT_USAGE, keys_masked, state
from generator.cli.validate import VALIDATE_HELP, validate
from generator.cli.verify import verify

EXIT_CODES_HELP = """
Exit status: 0 done (written, or nothing to do); 1 `merge --check` found that OUTPUT is
not what merging CONFIG produces, `verify` found a model missing or wrong, or `validate`
found errors; 2 bad usage or bad input (nothing is written), or standard output cannot
be written (a full disk, >&-); 3 internal error (a bug); 130 / 143 interrupted by Ctrl-C
/ SIGTERM (no file changed, or the line names the files already written, each whole);
141 the reader of the output went away before all of it was written (`| head -1`; a
short output that fit in the pipe first ends with the command's own status).
"""


class _Group(TyperGroup):
    """Catches the one user-facing error type once, for every command."""

    def make_context(self, info_name, args, parent=None, **extra):
        state.argv = list(args)
        files = sys.modules.get("generator.boundary.files")
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
            except (typer.Exit, typer.Abort, SystemExit, KeyboardInterrupt, BrokenPipeError,
                    StreamFailed):
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
    message = keys_masked([mask_text(exc.message)], exc.path)[0] if exc.path else \
        mask_text(exc.message)
    return f"{exc.where}: {message}" if exc.where else message


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
    except StreamFailed as exc:  # a full disk behind `> file`, standard output closed
        say_failure(exc)
        raise typer.Exit(EXIT_USAGE) from None


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


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True,
                                 help="Print the version and exit."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help=QUIET_HELP + " Also after the "
                               "command: litellm-gen merge -q."),
) -> None:
    state.quiet = quiet


# The commands, in the order `litellm-gen --help` lists them; each lives in its own module.
app.command(help=MERGE_HELP)(merge)
app.command()(init)
app.command("presets")(list_presets)
app.command()(render)
app.command("list")(list_entries)
app.command()(verify)
app.command(help=VALIDATE_HELP)(validate)
app.command()(schema)


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

