"""The options several commands share, declared once, and how their values read.

Each command's own options are declared in its module; these are the ones two or more
commands take (--only, --templates, --today, --format, -q, ...), with the parsing of the
values typer cannot check alone (a date, a key path, a release).
"""
from __future__ import annotations

import datetime as _dt
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from generator.boundary.errors import UserError

QUIET_HELP = "Print only errors and what was asked for: no report, no warnings."


class Format(str, Enum):
    text = "text"
    json = "json"


# Files are opened by generator/boundary/files.py alone, which names the file and says what to do:
# click's own check (readable=True, typer's default) would stop a whole run on one file.
FILE_CHECKS = {"readable": False}


def option(flag: str, metavar: str, help: str, default=None):
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
 TodayOpt) = (option(*spec) for spec in _SHARED_OPTIONS)
FormatOpt = typer.Option(Format.text, "--format", help="Report as text or JSON.")
PresetsOnlyOpt = typer.Option(False, "--presets-only", help="Only the entries litellm-gen wrote.")
QuietOpt = typer.Option(False, "-q", "--quiet", help=QUIET_HELP)
WideOpt = typer.Option(False, "--wide", help="One line per row with every column, however "
                       "wide (the default view fits an 80-column terminal).")
HealthCheckMediaOpt = typer.Option(
    False, "--health-check-media",
    help="Keep the presets in the proxy's background health checks. By default they carry "
         "model_info.disable_background_health_check: true, because with "
         "general_settings.background_health_checks each check is a paid request (dall-e-3 "
         "every 300 s: 288 images, about $11.52 a day).")
# The file `list` and `verify` read: the one the proxy runs with.
OutputConfigArg = typer.Argument(
    Path("output/config.yaml"), metavar="[CONFIG]", **FILE_CHECKS,
    help="The config the proxy runs with (merge's OUTPUT); - reads standard input.  "
         "[default: output/config.yaml]", show_default=False)


def parsed_today(value: Optional[str]) -> _dt.date:
    if value is None:
        return _dt.date.today()
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise UserError(f"--today {value!r} is not a date (YYYY-MM-DD)") from None


def parsed_key_path(value: Optional[str]) -> tuple[str, ...]:
    if not value:
        return ()
    parts = tuple(part for part in value.split("."))
    if any(not part for part in parts):
        raise UserError(f"--key-path {value!r}: give keys separated by dots, like proxy_config")
    return parts


def parsed_release(value: Optional[str], flag: str) -> Optional[str]:
    """A release as X.Y.Z (a leading v, as image tags write it, is dropped)."""
    import re

    if value is None:
        return None
    release = value.strip().removeprefix("v")
    if not re.fullmatch(r"\d+\.\d+\.\d+(\.post\d+)?", release):
        raise UserError(f"{flag} {value!r}: give a release as X.Y.Z, such as 1.106.12 "
                        "(`litellm-gen validate --releases` lists the ones it has rules for)")
    return release
