"""How `validate` reports: compiler lines, one JSON document, GitHub annotations, SARIF.

Every format is built from the same FileReports, and every rule's description from
the registry (findings.RULES): a rule added later is described, summarized and
exported with no change here. The summary says what the findings say, one sentence
per effect (findings.Effect), so it never tells a file that will not start that it
will serve every model. Messages pass through secrets.mask_text in every format.

Pure: reports in, text out.
"""
from __future__ import annotations

import json
import os
import urllib.parse
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from generator import __version__
from generator.boundary.secrets import mask_text, mask_value, shown_key_path
from generator.validate.registry import RULES, Finding

# What the proxy does, per effect (findings.Effect), as a sentence of its own.
EFFECT_TEXT = {
    "no-start": "The proxy refuses to start.",
    "drops-model": "The proxy starts without the model_list entry.",
    "ignores": "The proxy starts and ignores the section, key or value.",
    "starts-open": "The proxy starts without a master key: anyone who reaches it can use it.",
    "request-fails": "The proxy starts; requests that need this fail.",
    "hygiene": "The proxy runs as written; the file probably does not mean it, or leaks.",
    "serves-nothing": "Nothing in the file reaches the proxy as written.",
    "supply-chain": "What runs as the proxy is a release reported compromised, or can change "
                    "with any pull.",
}
UNDECLARED_NOTE = ("; this is not the deployment's environment (give --env-file FILE, or "
                   "--deployment-env where the proxy runs), so it is a warning here")


@dataclass(frozen=True)
class About:
    """What a finding is about, for the summary: its entry and its key path."""
    entry: tuple[str, int, str | None] | None = None  # (file, first line, model_name)
    key: str | None = None


@dataclass
class FileReport:
    config: str
    findings: list[Finding] = field(default_factory=list)
    suppressed: int = 0
    undeclared: frozenset = frozenset()  # findings judged outside the deployment's environment
    about: Mapping[Finding, About] = field(default_factory=dict)
    settings: str | None = None          # the settings file used, as shown
    dry: object = None                   # dry_start.DryStart with --with-proxy
    problem: str | None = None           # the file could not be checked (exit 2)
    unrelated: str | None = None         # it holds no LiteLLM config (skipped)
    judged: object = None                # release_choice.Judged: the release judged by
    pins_only: bool = False              # a requirements file or Dockerfile: pins, no config

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)


def _noun(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _listed(names: Sequence[str], limit: int = 6) -> str:
    shown = list(names[:limit])
    if len(names) > limit:
        shown.append(f"{len(names) - limit} more")
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def summary_sentences(report: FileReport) -> list[str]:
    """What the proxy will do with the file, one sentence per effect its findings have."""
    definite, conditional = _by_effect(report)
    sentences = _supply_chain(definite.get("supply-chain", []))
    if report.pins_only:
        return sentences or ["No pin to a compromised release, no floating image tag."]
    sentences += _start_and_models(report, definite, conditional)
    failing = definite.get("request-fails", [])
    if failing:
        sentences.append(f"Requests that need {_listed(_subjects(failing, report.about))} "
                         "will fail.")
    return sentences + _unless_set(conditional) + _hygiene(definite.get("hygiene", []))


def _by_effect(report: FileReport) -> tuple[dict[str, list[Finding]], dict[str, list[Finding]]]:
    """The findings by effect: those that hold as judged (definite), and those judged
    outside the deployment's environment, which hold only if its variables are unset too."""
    definite: dict[str, list[Finding]] = {}
    conditional: dict[str, list[Finding]] = {}
    for finding in report.findings:
        effect = RULES[finding.rule].effect if finding.rule in RULES else "hygiene"
        (conditional if finding in report.undeclared else definite).setdefault(
            effect, []).append(finding)
    return definite, conditional


def _supply_chain(chain: Sequence[Finding]) -> list[str]:
    """What runs as the proxy: a compromised release, a floating image tag."""
    sentences = []
    if any(f.rule == "compromised-release" for f in chain):
        sentences.append("It pins a litellm release reported compromised: do not run it.")
    if any(f.rule == "floating-image-tag" for f in chain):
        sentences.append("Its proxy image tag floats: the release that runs changes with any "
                         "pull.")
    return sentences


def _start_and_models(report: FileReport, definite: Mapping[str, list[Finding]],
                      conditional: Mapping[str, list[Finding]]) -> list[str]:
    """Whether the proxy starts, whether open, which models it serves or drops, and what
    it ignores."""
    sentences = []
    dropped = _dropped(definite.get("drops-model", []), report.about)
    later = "Once it starts, it" if "no-start" in definite else "It"
    serves = (f"drops {_noun(len(dropped), 'model')}: {_listed(dropped)}" if dropped
              else "serves every model")
    ignored = _subjects(definite.get("ignores", []), report.about)
    if "no-start" in definite:
        sentences.append("The proxy will not start.")
        # What it would do once the refusal is mended: one sentence, not one per effect.
        once = ([serves] if dropped else []) + (
            ["has no master key (anyone who reaches it can use it)"]
            if "starts-open" in definite else []) + (
            [f"ignores {_listed(ignored)}"] if ignored else [])
        if once:
            sentences.append(f"{later} {_listed(once)}.")
        ignored = []
    elif "serves-nothing" in definite:
        sentences.append("The proxy will start but serves nothing: the config lists no model."
                         if any(f.rule == "no-model" for f in definite["serves-nothing"]) else
                         "The proxy serves nothing from this file as written: its config is "
                         "nested under a key (check it with --key-path KEY).")
    else:
        sentences += _starts(definite, conditional, serves, bool(dropped))
    if ignored and "serves-nothing" not in definite:
        sentences.append(f"{later} ignores {_listed(ignored)}.")
    return sentences


def _starts(definite: Mapping[str, list[Finding]], conditional: Mapping[str, list[Finding]],
            serves: str, dropped: bool) -> list[str]:
    """A proxy that starts (or would, where the variables unset here are set): open or
    not, and the models it serves."""
    sentences = []
    proxy = "The proxy"
    if "no-start" in conditional:
        sentences.append("Unless the variables unset here are set where it runs, the proxy "
                         "will not start.")
        proxy = "Where they are set, the proxy"
    if "starts-open" in definite:
        sentences.append(f"{proxy} will start open (no master key): anyone who reaches "
                         f"it can use it. It {serves}.")
    elif dropped:
        sentences.append(f"{proxy} will start. It {serves}.")
    else:
        sentences.append(f"{proxy} will start and serve every model.")
    return sentences


def _unless_set(conditional: Mapping[str, list[Finding]]) -> list[str]:
    """The effects that hold only where the variables unset here stay unset."""
    return [f"Unless the variables unset here are set where it runs, {verdict}."
            for effect, verdict in (
                ("starts-open", "it starts open (no master key)"),
                ("drops-model", "it drops the models that read them"),
                ("ignores", "it ignores the settings that read them"),
                ("request-fails", "requests that need them will fail"))
            if effect in conditional]


def _hygiene(hygiene: Sequence[Finding]) -> list[str]:
    """Findings that change nothing the proxy does: one sentence for all of them."""
    if not hygiene:
        return []
    rules = ", ".join(sorted({f.rule for f in hygiene}))
    verb = "changes" if len(hygiene) == 1 else "change"
    return [f"{_noun(len(hygiene), 'finding')} ({rules}) {verb} nothing the proxy does, but "
            "the file may not mean what it says."]


def _dropped(findings: Sequence[Finding], about: Mapping[Finding, About]) -> list[str]:
    seen: dict[tuple, str] = {}
    for finding in findings:
        entry = about.get(finding, About()).entry
        if entry is None:
            seen.setdefault((finding.path, finding.line, None), f"the entry at line {finding.line}")
            continue
        path, first, name = entry
        seen.setdefault((path, first, name), repr(name) if name is not None
                        else f"the entry at line {first}")
    return list(seen.values())


def _subjects(findings: Sequence[Finding], about: Mapping[Finding, About]) -> list[str]:
    subjects: dict[str, None] = {}  # ordered and checked in constant time: 10,000s of them
    for finding in findings:
        info = about.get(finding, About())
        subject = shown_key_path(info.key) if info.key else f"line {finding.line}"
        if info.entry is not None and info.entry[2] is not None:
            subject = f"{subject} of {info.entry[2]!r}"
        subjects.setdefault(subject)
    return list(subjects)


def summary_line(report: FileReport) -> str:
    counts = f"{_noun(report.errors, 'error')}, {_noun(report.warnings, 'warning')}"
    notes = []
    if report.suppressed:
        notes.append(f"{report.suppressed} suppressed")
    if report.settings:
        notes.append(f"settings: {report.settings}")
    if notes:
        counts += f" ({'; '.join(notes)})"
    # The file name is never masked; the sentences hold names, their keys shown as names.
    return f"{report.config}: {counts}. " + mask_text(" ".join(summary_sentences(report)))


# -- text ---------------------------------------------------------------------------------
def finding_line(finding: Finding) -> str:
    return (f"{finding.path}:{finding.line}:{finding.column}: {finding.severity}: "
            f"{mask_text(finding.message)} [{finding.rule}]")


def report_text(report: FileReport, *, quiet: bool = False, strict: bool = False) -> str:
    """PATH:LINE:COLUMN: severity: message [rule] per finding, then the summary line.

    `quiet`: only the findings that fail the run (errors; with `strict`, warnings too)
    and the summary line, and nothing at all for a file without them.
    """
    if report.unrelated:
        return "" if quiet else f"{report.config}: {mask_text(report.unrelated)}; not checked"
    if quiet:
        failing = [f for f in report.findings if f.severity == "error" or strict]
        if not failing:
            return ""
        return "\n".join([finding_line(f) for f in failing] + [summary_line(report)])
    lines = [finding_line(f) for f in report.findings]
    if report.dry is not None:
        lines.append(report.dry.summary)
    if report.judged is not None:
        lines.append(f"{report.config}: {report.judged.sentence}")
    lines.append(summary_line(report))
    return "\n".join(lines)


# -- JSON: one document for every file ----------------------------------------------------
def _finding_dict(finding: Finding) -> dict:
    return {k: mask_text(v) if isinstance(v, str) and k not in ("path", "file") else v
            for k, v in finding.as_dict().items()}


def file_dict(report: FileReport) -> dict:
    if report.problem is not None:
        return {"config": report.config, "error": mask_text(report.problem)}
    if report.unrelated is not None:
        return {"config": report.config, "skipped": mask_text(report.unrelated)}
    doc = {"config": report.config, "errors": report.errors, "warnings": report.warnings,
           "suppressed": report.suppressed, "settings": report.settings,
           "findings": [_finding_dict(f) for f in report.findings],
           "summary": [mask_value(s) for s in summary_sentences(report)]}
    if report.dry is not None:
        doc["proxy"] = report.dry.as_dict()
    if report.judged is not None:
        doc["litellm"] = report.judged.as_dict() | {"sentence": report.judged.sentence}
    return doc


def reports_json(reports: Sequence[FileReport]) -> str:
    return json.dumps({"files": [file_dict(r) for r in reports],
                       "errors": sum(r.errors for r in reports),
                       "warnings": sum(r.warnings for r in reports),
                       "unreadable": sum(r.problem is not None for r in reports)}, indent=2)


# -- GitHub Actions workflow commands -----------------------------------------------------
def _escape_data(text: str) -> str:
    """What the Actions runner unescapes in a command's message (ActionCommand.UnescapeData)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(name: str, properties: Mapping[str, object], message: str) -> str:
    props = ",".join(f"{key}={_escape_property(str(value))}" for key, value in properties.items())
    return f"::{name} {props}::{_escape_data(mask_text(message))}"


def reports_github(reports: Sequence[FileReport]) -> str:
    """One ::error / ::warning annotation per finding, and per file that cannot be read."""
    lines = []
    for report in reports:
        if report.problem is not None:
            lines.append(_command("error", {"file": report.config, "title": "unreadable"},
                                  report.problem))
        if report.judged is not None:
            lines.append(_command("notice", {"file": report.config, "title": "litellm release"},
                                  report.judged.sentence))
        for f in report.findings:
            lines.append(_command(f.severity, {"file": f.path, "line": f.line, "col": f.column,
                                               "title": f.rule}, f.message))
    return "\n".join(lines)


# -- SARIF 2.1.0 --------------------------------------------------------------------------
SARIF_SCHEMA = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
                "sarif-schema-2.1.0.json")


def _uri(path: str) -> str:
    """A SARIF artifact URI: relative paths as URI references, absolute ones as file URIs."""
    posix = path.replace(os.sep, "/")
    if os.path.isabs(path):
        return "file://" + urllib.parse.quote(posix)
    return urllib.parse.quote(posix.removeprefix("./"))


def _sarif_rule(name: str) -> dict:
    rule = RULES[name]
    effect = EFFECT_TEXT.get(rule.effect, rule.effect)
    return {"id": name, "name": name,
            "shortDescription": {"text": rule.summary[:1].upper() + rule.summary[1:] + "."},
            "fullDescription": {"text": f"{rule.summary[:1].upper()}{rule.summary[1:]}. "
                                        f"{effect}"},
            "help": {"text": f"Fix: {rule.fix}.",
                     "markdown": f"**{effect}**\n\nFix: {rule.fix}."},
            "defaultConfiguration": {"level": rule.severity},
            "properties": {"effect": rule.effect, "environmentDependent": rule.env_dependent}}


def reports_sarif(reports: Sequence[FileReport]) -> str:
    names = sorted(RULES)
    index = {name: i for i, name in enumerate(names)}
    results = []
    for report in reports:
        for f in report.findings:
            result = {"ruleId": f.rule, "level": f.severity,
                      "message": {"text": mask_text(f.message)},
                      "locations": [{"physicalLocation": {
                          "artifactLocation": {"uri": _uri(f.path)},
                          "region": {"startLine": f.line, "startColumn": f.column}}}]}
            if f.rule in index:
                result["ruleIndex"] = index[f.rule]
            results.append(result)
    notifications = [{"level": "error", "message": {"text": mask_text(r.problem)},
                      "locations": [{"physicalLocation": {
                          "artifactLocation": {"uri": _uri(r.config)}}}]}
                     for r in reports if r.problem is not None]
    invocation = {"executionSuccessful": not notifications,
                  "toolExecutionNotifications": notifications}
    run = {"tool": {"driver": {"name": "litellm-gen", "version": __version__,
                               "rules": [_sarif_rule(n) for n in names]}},
           "invocations": [invocation], "results": results,
           "properties": {"summaries": [summary_line(r) for r in reports
                                        if r.problem is None and r.unrelated is None],
                          "litellm": [{"config": r.config, **r.judged.as_dict(),
                                       "sentence": r.judged.sentence}
                                      for r in reports if r.judged is not None]}}
    return json.dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2)
