"""One `validate` run over several files: read, check, judge, suppress, then report.

The edge around the checks (validate_files.validate_file): it finds each file's
repository settings, judges environment-dependent findings by whether the
environment is declared to be the deployment's (a manifest's proxy container or Helm
values declare their own: deployment_env), says how the proxy is installed (an
official image, a pip install: release_pin.Packaging), drops what the operator
suppressed, and names what each finding is about for the summary. Every file is checked even
when another cannot be read; each outcome is a validate_output.FileReport.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import difflib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

from generator.boundary.errors import UserError
from generator.boundary.files import read_config
from generator.boundary.places import places_at
from generator.boundary.secrets import shown_name
from generator.boundary.settings import MERGE_KEYS, SETTINGS_KEYS, ProjectSettings, find_settings
from generator.releases.choice import judged_release
from generator.releases.pins import (
    Packaging,
    Pin,
    deployment_packaging,
    is_pin_file,
    text_pins,
    yaml_pins,
)
from generator.validate.deployment_env import DeclaredEnv, declared_env
from generator.validate.output import About, FileReport
from generator.validate.pins import pin_findings
from generator.validate.registry import RULES, Finding
from generator.validate.suppression import RuleSelection, apply, directives, selection_from_settings

# Words that only a LiteLLM config (or a values file that nests one) has, at any depth.
_LITELLM_WORDS = re.compile(
    r"""^[ \t-]*["']?(model_list|model_name|litellm_params|litellm_settings|general_settings|"""
    r"""router_settings)["']?[ \t]*:""", re.MULTILINE)
_WORDS = frozenset({"model_list", "model_name", "litellm_params", "litellm_settings",
                    "general_settings", "router_settings"})
_TOP_KEY = re.compile(r"""^["']?([A-Za-z_][\w.-]*)["']?[ \t]*:""", re.MULTILINE)
_SECTIONS = ("model_list", "litellm_settings", "general_settings", "router_settings")
ENV_NOTE = (" (this is not the deployment's environment: validate was not given --env-file "
            "or --deployment-env{so})")
# Findings whose summary sentence names what they are about.
_NAMED_EFFECTS = frozenset({"drops-model", "ignores", "request-fails"})


@dataclass(frozen=True)
class ValidateRun:
    env: Mapping[str, str]
    declared_env: bool          # --env-file or --deployment-env: this is where the proxy runs
    today: _dt.date
    key_path: tuple[str, ...] = ()
    configmap: str | None = None
    cli_select: frozenset[str] = frozenset()
    cli_ignore: frozenset[str] = frozenset()
    isolated: bool = False      # read no settings file
    skip_unrelated: bool = False
    dry_start: Callable[[Path, str], object] | None = None  # --with-proxy (config, release)
    litellm: str | None = None  # --litellm RELEASE
    installed: tuple[tuple[str, str], ...] = ()  # (release, where) of installed litellm


def judged_in_environment(findings: Sequence[Finding], declared: bool,
                          by_file: DeclaredEnv | None = None
                          ) -> tuple[list[Finding], frozenset[Finding]]:
    """Outside the deployment's environment, what depends on it is a warning that says so.

    `by_file`: the environment the file itself declares (a manifest's proxy container, the
    Helm chart's values), which is the deployment's; where an envFrom source may hold any
    variable, what depends on one it does not declare is a warning.
    """
    if by_file is not None:
        return _judged_by_file(findings, by_file)
    if declared:
        return list(findings), frozenset()
    judged, undeclared = [], set()
    for finding in findings:
        rule = RULES.get(finding.rule)
        if rule is not None and rule.env_dependent:
            was_error = finding.severity == "error"
            finding = dataclasses.replace(
                finding, severity="warning",
                message=finding.message + ENV_NOTE.format(
                    so=", so it is a warning here" if was_error else ""))
            undeclared.add(finding)
        judged.append(finding)
    return judged, frozenset(undeclared)


def _judged_by_file(findings: Sequence[Finding], env: DeclaredEnv
                    ) -> tuple[list[Finding], frozenset[Finding]]:
    judged, undeclared = [], set()
    for finding in findings:
        rule = RULES.get(finding.rule)
        if rule is not None and rule.env_dependent:
            finding = dataclasses.replace(
                finding, message=finding.message + env.note(),
                severity="warning" if env.open_sources else finding.severity)
            if env.open_sources:
                undeclared.add(finding)
        judged.append(finding)
    return judged, frozenset(undeclared)


def unrelated_reason(text: str, known_top_level: Iterable[str]) -> str | None:
    """Why a file is not a LiteLLM config, or None when it is one (or may be one)."""
    from generator.merge.manifest import find_configs, looks_like_manifest

    if looks_like_manifest(text):
        try:
            if find_configs(text):
                return None
        except UserError:
            return None  # not valid YAML: the check says where
        return ("holds no LiteLLM config: it is a Kubernetes manifest, and none of its "
                "ConfigMaps has a data value with model_list, general_settings, "
                "litellm_settings or router_settings")
    if not text.strip() or _LITELLM_WORDS.search(text):
        return None
    known = set(known_top_level)
    for key in _TOP_KEY.findall(text):
        if key in known or difflib.get_close_matches(key, _SECTIONS, n=1, cutoff=0.8):
            return None
    # Not written line by line (JSON, flow style) or an empty {}: what the proxy parses.
    import yaml

    from generator.boundary import marked
    try:
        if marked.has_config_key(text, lambda depth, key: key in _WORDS or depth == 1 and (
                key in known or bool(difflib.get_close_matches(key, _SECTIONS, n=1,
                                                               cutoff=0.8)))):
            return None
        if _loads_to_nothing(text):
            return None  # only comments, ~ or ---: the proxy refuses it as it does ""
    except yaml.YAMLError:
        return None  # the proxy cannot parse it: the check says where
    return ("holds no LiteLLM config: none of its keys is one the proxy reads (model_list, "
            "general_settings, litellm_settings, router_settings, include, ...)")


def _loads_to_nothing(text: str) -> bool:
    """yaml.safe_load gives None: the proxy says "Config cannot be None or Empty"."""
    import yaml
    node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"))


class SettingsCache:
    """The settings of each folder, read once; unknown keys are reported once per file."""

    def __init__(self, warn: Callable[[str], None]) -> None:
        self._by_folder: dict[Path, ProjectSettings | None] = {}
        self._warned: set[Path] = set()
        self._warn = warn

    def for_config(self, config: Path) -> ProjectSettings | None:
        folder = Path(os.path.abspath(config)).parent
        if folder not in self._by_folder:
            self._by_folder[folder] = found = find_settings(folder)
            if found is not None and found.path not in self._warned:
                self._warned.add(found.path)
                for key in sorted(set(found.table) - set(SETTINGS_KEYS) - set(MERGE_KEYS)):
                    self._warn(f"{found.shown}: litellm-gen does not read the setting "
                               f"{shown_name(key)!r} (it reads "
                               f"{', '.join(SETTINGS_KEYS + MERGE_KEYS)})")
        return self._by_folder[folder]


_IMAGE_KEY = re.compile(r"""(?m)^[ \t-]*["']?image["']?[ \t]*:""")


def installed_litellm() -> tuple[tuple[str, str], ...]:
    """(release, where) of the litellm installed in this Python environment, if any.

    A checkout's own proxy environment (.venv-proxy) is not asked: what validate says
    must not change because `make test` installed one."""
    from importlib.metadata import PackageNotFoundError, version
    try:
        return ((version("litellm"), "this Python environment"),)
    except PackageNotFoundError:
        return ()


def file_pins(shown: str, text: str) -> list[Pin]:
    """What the file itself says runs: pins of a requirements file or Dockerfile, proxy
    images of a manifest, compose or Helm values file."""
    if is_pin_file(os.path.basename(shown)):
        return text_pins(text)
    return yaml_pins(text) if _IMAGE_KEY.search(text) else []


def _supply_chain(shown: str, pins: Sequence[Pin]) -> list[Finding]:
    from generator.releases.rules import known_releases
    releases = known_releases()
    lts = [r for r in releases if r.startswith("1.108.")]
    return pin_findings(shown, list(pins), releases[-1], lts[-1] if lts else None)


def deployment_of(text: str, pins: Sequence[Pin], run_pins: Sequence[tuple[str, Pin]],
                  run: ValidateRun) -> tuple[DeclaredEnv | None, Packaging | None]:
    """The environment the file declares for the proxy (a manifest's container, Helm values),
    and how the proxy is installed: the file's pins, the run's, else the chart's image."""
    by_file = declared_env(text, run.key_path, run.configmap)
    packaging = deployment_packaging([*pins, *(p for _path, p in run_pins)])
    if packaging is None and by_file is not None and not pins:
        packaging = by_file.packaging
    return by_file, packaging


def check_file(config: Path, run: ValidateRun, settings: SettingsCache,
               run_pins: Sequence[tuple[str, Pin]] = ()) -> FileReport:
    """Everything validate says about one file; a file it cannot read is a report too."""
    shown = str(config)
    judged = None
    try:
        text = read_config(config).text
        found = None if run.isolated else settings.for_config(config)
        selection = (selection_from_settings(found.table, found.shown,
                                             os.path.dirname(os.path.abspath(found.path)))
                     if found else RuleSelection()).layered(run.cli_select or None,
                                                            run.cli_ignore)
        pins = file_pins(shown, text)
        if is_pin_file(config.name):
            findings = _supply_chain(shown, pins)
            inline = {shown: list(directives(text, 0, shown))} if findings else {}
            kept, suppressed = apply(findings, selection, inline)
            return FileReport(shown, kept, len(suppressed),
                              settings=found.shown if found else None, pins_only=True)
        if not run.key_path and not run.configmap:
            from generator.validate.checks import shipped_rules
            reason = unrelated_reason(text, shipped_rules().top_level_keys)
            if reason is not None:
                if run.skip_unrelated:
                    return FileReport(shown, unrelated=reason)
                raise UserError(f"{reason}; nothing was checked")
        judged = judged_release(cli=run.litellm, file_pins=[(shown, p) for p in pins],
                                run_pins=list(run_pins), installed=list(run.installed))
        by_file, packaging = deployment_of(text, pins, run_pins, run)
        from generator.validate.per_file import validate_file
        findings = validate_file(config, key_path=run.key_path, configmap=run.configmap,
                                 env=by_file.environment() if by_file else run.env,
                                 today=run.today, release=judged.release, packaging=packaging)
        findings = sorted(findings + _supply_chain(shown, pins))
        dry = None
        if run.dry_start is not None:
            dry = run.dry_start(config, judged.release)
            findings = sorted(findings + dry.findings)
        texts = _texts(shown, text, findings, run) if findings else {}
        findings = _keys_masked(findings, texts)
        inline = {path: [d for source, shift in sources for d in directives(source, shift, path)]
                  for path, sources in texts.items()}
    except UserError as exc:
        return FileReport(shown, problem=str(exc.located(shown)), judged=judged)
    findings, undeclared = judged_in_environment(findings, run.declared_env, by_file)
    kept, suppressed = apply(findings, selection, inline)
    return FileReport(shown, kept, len(suppressed), undeclared & set(kept),
                      _about(shown, texts or {shown: [(text, 0)]}, kept, run),
                      found.shown if found else None, dry, judged=judged)


def _texts(shown: str, text: str, findings: Sequence[Finding], run: ValidateRun
           ) -> dict[str, list[tuple[str, int]]]:
    """For each file the findings are in: the YAML texts its lines belong to, with shifts.

    A manifest is its own YAML, and its embedded config another (a block scalar of the
    manifest, whose own comments are comments of the config).
    """
    from generator.merge.manifest import embedded_text

    texts: dict[str, list[tuple[str, int]]] = {shown: [(text, 0)]}
    if not run.key_path:
        try:
            embedded = embedded_text(text, run.configmap)
        except UserError:
            embedded = None
        if embedded is not None:
            texts[shown] = [(text, 0), embedded]
    for path in {f.path for f in findings} - texts.keys():
        try:
            texts[path] = [(read_config(Path(path), what="included").text, 0)]
        except UserError:
            texts[path] = []  # validate already says the include cannot be read
    return texts


def _keys_masked(findings: Sequence[Finding], texts: Mapping[str, list[tuple[str, int]]]
                 ) -> list[Finding]:
    """Each message with what the masking hides masked, however the rule that wrote it put
    it in: the keys of its file that are not names (a secret pasted as a key), and the values
    written on its line that the policy masks. Its line and column still find them."""
    from generator.boundary.secrets import masked_keys_near, masked_values, scrub

    lines = {path: sources[0][0].splitlines() for path, sources in texts.items() if sources}
    about = {path: [own[f.line - 1] for f in findings if f.path == path
                    and 0 < f.line <= len(own)] for path, own in lines.items()}
    hidden = {path: frozenset().union(*(masked_keys_near(source, about.get(path, []))
                                        for source, _ in sources))
              for path, sources in texts.items()}
    shown = []
    for f in findings:
        own = lines.get(f.path, ())
        masked = hidden.get(f.path, frozenset())
        message = f.message
        if 0 < f.line <= len(own):
            # the line's values first, on their own: a union with the file's keys per
            # finding cost the number of keys each time (quadratic in findings)
            on_line = masked_values(own[f.line - 1])
            message = scrub(message, on_line) if on_line else message
        message = scrub(message, masked) if masked else message
        shown.append(f if message is f.message else dataclasses.replace(f, message=message))
    return shown


def _about(shown: str, texts: Mapping[str, list[tuple[str, int]]],
           findings: Sequence[Finding], run: ValidateRun) -> dict[Finding, About]:
    """The entry and key path of each finding whose summary sentence names them."""
    named = [f for f in findings if f.rule in RULES and RULES[f.rule].effect in _NAMED_EFFECTS]
    about = {}
    for path, sources in texts.items():
        if not sources or not any(f.path == path for f in named):
            continue
        source, shift = sources[-1]  # a manifest's embedded config, else the file
        mine = [f for f in named if f.path == path]
        found = places_at(source, [(f.line, f.column) for f in mine], shift,
                          run.key_path if path == shown else ())
        for finding in mine:
            place = found[(finding.line, finding.column)]
            about[finding] = About((path, *place.entry) if place.entry else None, place.key)
    return about


def check_files(configs: Sequence[Path], run: ValidateRun, warn: Callable[[str], None]
                ) -> list[FileReport]:
    """Each file checked; the requirement pins and Dockerfiles among them also say which
    release the configs of the run are judged by (after a pin of the config's own file)."""
    settings = SettingsCache(warn)
    run_pins = []
    for config in configs:
        if is_pin_file(config.name):
            try:
                run_pins += [(str(config), p) for p in text_pins(read_config(config).text)
                             if p.release is not None]
            except UserError:
                pass  # its own report says why it cannot be read
    return [check_file(config, run, settings, run_pins) for config in configs]


def exit_status(reports: Sequence[FileReport], strict: bool) -> int:
    """The worst of the files: 2 one could not be checked, 1 findings that fail, else 0."""
    failing = {"error", "warning"} if strict else {"error"}
    if any(r.problem is not None for r in reports):
        return 2
    if any(f.severity in failing for r in reports for f in r.findings):
        return 1
    return 0
