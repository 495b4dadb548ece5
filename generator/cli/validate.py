"""`litellm-gen validate`: what the pinned proxy will do with each config, and `--upgrade-to`:
what changes when it moves to another release. generator/validate/ does the checking; this
module reads the options, runs it and prints the reports in the format asked for."""
from __future__ import annotations

import os
import textwrap
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from generator.boundary.errors import UserError
from generator.boundary.secrets import mask_text
from generator.cli.options import (
    FILE_CHECKS,
    ConfigMapOpt,
    KeyPathOpt,
    TodayOpt,
    parsed_key_path,
    parsed_release,
    parsed_today,
)
from generator.cli.state import state, warn
from generator.validate.registry import RULES


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


# The options of validate, declared here so the command's signature stays short.
ConfigsArg = typer.Argument(
    None, metavar="[CONFIG]...", **FILE_CHECKS,
    help="The config(s) the proxy will restart with [default: output/config.yaml].")
EnvFileOpt = typer.Option(
    None, "--env-file", metavar="FILE", **FILE_CHECKS,
    help="The variables the proxy will see besides this environment (.env format, as "
         "docker compose reads it); declares the environment the deployment's.")
DeploymentEnvOpt = typer.Option(
    False, "--deployment-env",
    help="This environment is the one the proxy runs in (make restart passes it): an "
         "unset variable the proxy needs is an error, not a warning.")
ValidateFormatOpt = typer.Option(
    ValidateFormat.text, "--format", help="text, json (one document), github "
    "(Actions annotations) or sarif (SARIF 2.1.0).")
StrictOpt = typer.Option(False, "--strict", help="Exit 1 on warnings too.")
SelectOpt = _rule_option(
    "--select", "Report only these rules (replaces the settings file's select).")
IgnoreOpt = _rule_option(
    "--ignore", "Do not report these rules (added to the settings file's ignore).")
IsolatedOpt = typer.Option(False, "--isolated",
                           help="Read no .litellm-gen.toml or pyproject.toml.")
SkipUnrelatedOpt = typer.Option(
    False, "--skip-unrelated",
    help="Name and skip a file that holds no LiteLLM config (another app's manifest or "
         "YAML) instead of exiting 2 on it; the pre-commit hook passes it.")
WithProxyOpt = typer.Option(
    False, "--with-proxy",
    help="Also start the real proxy (LITELLM_PROXY_BIN, else .venv-proxy/bin/litellm) on a free "
         "loopback port, report whether it started and which models it served, and stop it. "
         "Where that release has `litellm --validate_config` (of those litellm-gen knows, 1.104.9 "
         "and later), it runs first: "
         "a config it refuses is reported without a start.")
LitellmOpt = typer.Option(
    None, "--litellm", metavar="RELEASE",
    help="Judge by this litellm release (default: the release the file pins in a proxy "
         "image tag or Helm image.tag, else a requirement pin or Dockerfile among the "
         "files, else the litellm installed in this Python environment, else the newest "
         "release litellm-gen knows). `litellm-gen validate --releases` lists them.")
UpgradeToOpt = typer.Option(
    None, "--upgrade-to", metavar="RELEASE",
    help="Say what changes when the proxy moves from the release judged by to RELEASE: "
         "findings that appear (will break, newly dropped), disappear, and settings that "
         "become known or unknown (text or json; exit 1 when the move breaks something).")
ReleasesOpt = typer.Option(False, "--releases",
                           help="List the releases litellm-gen has rules for, and exit.")
ValidateQuietOpt = typer.Option(
    False, "-q", "--quiet",
    help="Print only the findings that fail the run (errors; with --strict warnings "
         "too) and, for a file that has them, its summary: nothing when it passes.")


def validate(
    configs: Optional[List[Path]] = ConfigsArg,
    key_path: Optional[str] = KeyPathOpt,
    configmap: Optional[str] = ConfigMapOpt,
    env_file: Optional[Path] = EnvFileOpt,
    deployment_env: bool = DeploymentEnvOpt,
    format: ValidateFormat = ValidateFormatOpt,
    strict: bool = StrictOpt,
    select: Optional[List[str]] = SelectOpt,
    ignore: Optional[List[str]] = IgnoreOpt,
    isolated: bool = IsolatedOpt,
    skip_unrelated: bool = SkipUnrelatedOpt,
    with_proxy: bool = WithProxyOpt,
    litellm: Optional[str] = LitellmOpt,
    upgrade_to: Optional[str] = UpgradeToOpt,
    releases: bool = ReleasesOpt,
    quiet: bool = ValidateQuietOpt,
    today: Optional[str] = TodayOpt,
) -> None:
    from generator.validate.run import ValidateRun, check_files, exit_status, installed_litellm
    from generator.validate.suppression import rule_names

    quiet = quiet or state.quiet  # -q before the command, as after it
    if releases:
        _print_releases()
        return
    if upgrade_to is not None and format not in (ValidateFormat.text, ValidateFormat.json):
        raise UserError(f"--upgrade-to reports in text or json, not {format.value}: an "
                        "upgrade's changes are not findings of one file (run validate "
                        f"--litellm {upgrade_to} --format {format.value} for the target's "
                        "own findings)")
    env = _environment(env_file)
    dry_start = _dry_start(with_proxy, env)
    run = ValidateRun(env=env, declared_env=deployment_env or env_file is not None,
                      today=parsed_today(today), key_path=parsed_key_path(key_path),
                      configmap=configmap, cli_select=rule_names(select, "--select"),
                      cli_ignore=rule_names(ignore, "--ignore"), isolated=isolated,
                      skip_unrelated=skip_unrelated, dry_start=dry_start,
                      litellm=parsed_release(litellm, "--litellm"),
                      installed=() if litellm else installed_litellm())
    files = configs or [Path("output/config.yaml")]
    reports = check_files(files, run, warn)
    if upgrade_to is not None:
        _report_upgrade(files, reports, run, parsed_release(upgrade_to, "--upgrade-to"), format)
        return
    _print_reports(reports, format, quiet, strict)
    status = exit_status(reports, strict)
    if status:
        raise typer.Exit(status)


def _environment(env_file: Optional[Path]) -> dict:
    """The variables the proxy will see: this environment, and --env-file's over it."""
    from generator.validate.per_file import read_env_file

    env = dict(os.environ)
    if env_file is not None:
        env.update(read_env_file(env_file))
    return env


def _dry_start(with_proxy: bool, env: dict):
    """--with-proxy: how a config is started with the real proxy (None: it is not)."""
    if not with_proxy:
        return None
    from generator.validate.with_proxy import dry_start as start

    def dry_start(config: Path, release: str):
        return start(config, env, release=release,
                     progress=lambda m: typer.echo(f"litellm-gen: {m}", err=True))
    return dry_start


def _print_reports(reports, format: ValidateFormat, quiet: bool, strict: bool) -> None:
    """The reports in the format asked for; beside annotations or SARIF, each file's summary
    line (or why it could not be read) on standard error, for the log."""
    from generator.validate.output import (
        report_text,
        reports_github,
        reports_json,
        reports_sarif,
    )
    from generator.validate.run import exit_status

    if format is ValidateFormat.text:
        for report in reports:
            if report.problem is not None:
                typer.echo(f"litellm-gen: error: {mask_text(report.problem)}", err=True)
            else:
                text = report_text(report, quiet=quiet, strict=strict)
                if text:
                    typer.echo(text)
        return
    typer.echo({ValidateFormat.json: reports_json, ValidateFormat.github: reports_github,
                ValidateFormat.sarif: reports_sarif}[format](reports))
    if format is not ValidateFormat.json:
        for report in reports:  # for the log beside the annotations or the SARIF file
            if quiet and report.problem is None and exit_status([report], strict) == 0:
                continue
            typer.echo(report_text(report).splitlines()[-1] if report.problem is None
                       else f"litellm-gen: error: {mask_text(report.problem)}", err=True)


def _print_releases() -> None:
    from generator.releases.rules import known_releases, recorded_how

    for release in known_releases():
        typer.echo(f"{release}\t{recorded_how(release)}")


def _report_upgrade(files, reports, run, target: str, format) -> None:
    import dataclasses
    import json

    from generator.validate.run import check_files
    from generator.validate.upgrade import Upgrade

    after = check_files(files, dataclasses.replace(run, litellm=target, installed=()), warn)
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
