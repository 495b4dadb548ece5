"""validate held to the recorded proxy: what agreeing with a recorded case means, once.

Used by tests/test_oracle.py (the hand-made and real-config cases, full starts of the
proxy) and tests/test_generated_oracle.py (the generated cases, recorded with the fast
oracle, scripts/harness.py), and by scripts/oracle_report.py, which writes the README's
agreement table from the same computation. Needs no litellm.

A case agrees when:
- the proxy refused to start  -> validate reports an error, on the case's line when it has one
  (or in the included file the line names);
- it started                  -> every entry it did not serve has an error inside it, every
  entry it served has none, and any other error is one whose rule says the proxy ignores
  something or runs open (and, for the latter, the record shows it open);
- the case changes something the proxy does not read (`ignored`) -> a finding on that line;
- the proxy started without a master key -> a finding says so.
"""
from __future__ import annotations

import datetime as _dt
import fnmatch
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import oracle_records
import yaml

from generator.validate.per_file import validate_file
from generator.validate.registry import RULES, Finding

ROOT = Path(__file__).resolve().parent.parent
FOLDER_CASES = ROOT / "tests" / "oracle" / "validate" / "cases"
GENERATED = ROOT / "tests" / "oracle" / "generated"
TODAY = _dt.date(2026, 11, 26)
BASE_ENV = {"OPENAI_API_KEY": "sk-oracle-openai", "LITELLM_MASTER_KEY": "sk-oracle-master"}
# The one error allowed where the proxy started and served every model: it started without a
# master key, open to anyone who reaches it (the record shows it open).
SILENT_EFFECTS = {"starts-open"}


@dataclass
class Outcome:
    """What the proxy did with a case: a full start's record.json or a harness record."""
    started: bool | None
    served: set[str]
    open: bool | None
    error: str
    release: str
    # served holds the router's routes as written (a harness record: openai/* itself), not
    # what /model/info lists after expanding them (a full start's record)
    routes: bool = False

    @classmethod
    def of_full_start(cls, record: dict) -> "Outcome":
        return cls(record["started"], set(record["served"]), record["open_without_key"],
                   record.get("last_error") or "", record["proxy"].split("==")[-1])

    @classmethod
    def of_harness(cls, record: dict) -> "Outcome":
        return cls(record["started"], set(record["served"]), record["open"],
                   record.get("error") or "", record["litellm"], routes=True)


@dataclass
class Case:
    id: str
    section: str
    kind: str
    config: str
    files: dict
    env: dict
    line: int | None
    ignored: bool
    outcome: Outcome
    about: str = ""
    log: list = field(default_factory=list)
    network: bool = False  # the outcome needs a service validate cannot reach


def case_env(folder: Path) -> dict[str, str]:
    """BASE_ENV plus the folder's `env` file; `NAME=` there unsets NAME (scripts/oracle.py)."""
    env = dict(BASE_ENV)
    if (folder / "env").exists():
        for text in (folder / "env").read_text(encoding="utf-8").splitlines():
            name, _, value = text.partition("=")
            if name.strip():
                env[name.strip()] = value.strip()
    return {k: v for k, v in env.items() if v}


def folder_cases() -> list[Case]:
    cases = []
    for folder in sorted(p for p in FOLDER_CASES.iterdir() if (p / "record.json").exists()):
        meta = json.loads((folder / "case.json").read_text(encoding="utf-8"))
        record = json.loads((folder / "record.json").read_text(encoding="utf-8"))
        env = case_env(folder)
        files = {str(p.relative_to(folder)): p.read_text(encoding="utf-8")
                 for p in sorted(folder.rglob("*")) if p.is_file()
                 and p.name not in ("config.yaml", "case.json", "record.json", "env")
                 and "__pycache__" not in p.parts}
        line = meta.get("line")
        base = FOLDER_CASES / (folder.name.rsplit("-", 2)[0] + "-as-is")
        if folder.name.startswith("m-") and base != folder and (base / "record.json").exists() \
                and not json.loads((base / "record.json").read_text())["started"]:
            line = None  # the real config refused as it was: the mutation fails first there
        cases.append(Case(folder.name, "folder", "hand" if folder.name.startswith("h-")
                          else "real", (folder / "config.yaml").read_text(encoding="utf-8"),
                          files, env, line, False,
                          Outcome.of_full_start(record), meta.get("about", "")))
    return cases


def generated_cases(release: str = oracle_records.BASE) -> list[Case]:
    """The generated cases with their records on `release` (tests/oracle_records.py)."""
    cases = []
    for row in oracle_records.release_rows(release):
        record = row["record"]
        cases.append(Case(row["id"], row["section"], row["kind"], row["config"], row["files"],
                          row["env"], row["line"], row["ignored"], Outcome.of_harness(record),
                          row.get("about", ""), record.get("log", []),
                          row.get("network", False)))
    return cases


def run_validate(case: Case, folder: Path, release: str | None = None) -> list[Finding]:
    """validate on the case as the proxy saw it: its files in a folder, its environment.

    One folder serves every case in turn (creating and removing thousands of folders is
    most of the time on some file systems); a case's own files are removed after it.
    """
    config = folder / "config.yaml"
    config.write_bytes(case.config.encode("utf-8"))
    written = []
    for relative, text in case.files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    try:
        return validate_file(config, env=case.env, today=TODAY,
                             release=release or case.outcome.release)
    finally:
        for path in written:
            path.unlink()


def entry_spans(text: str) -> list[tuple[str, tuple[int, int], tuple[int, int]]]:
    """(model_name, first (line, column), last (line, column)) of every entry in the
    config's text, read by the proxy's loader.

    Every model_list the text writes counts, a duplicate one as well (the loader keeps
    only the last: the entries of the first are what the proxy then drops).
    """
    from generator.boundary.loader import loader_for

    try:
        root = yaml.compose(text, Loader=loader_for(text))
    except Exception:  # noqa: BLE001 - a file the loader refuses has no entries to hold to
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    spans: list[tuple[str, tuple[int, int], tuple[int, int]]] = []
    for key, value in root.value:
        if not (isinstance(key, yaml.ScalarNode) and key.value == "model_list"
                and isinstance(value, yaml.SequenceNode)):
            continue
        items = value.value
        for i, item in enumerate(items):
            first = item.start_mark.line + 1
            end = item.end_mark
            last = max(first, end.line + 1 if end.column > 0 else end.line)
            # Whole lines, unless an entry shares its line with the one before or after
            # (JSON on one line): then the columns tell them apart.
            shares_before = i > 0 and items[i - 1].end_mark.line + 1 == first
            shares_after = i + 1 < len(items) and items[i + 1].start_mark.line == end.line
            start = (first, item.start_mark.column + 1 if shares_before else 0)
            stop = (end.line + 1, end.column + 1) if shares_after else (last, 1 << 30)
            name = None
            if isinstance(item, yaml.MappingNode):
                node = next((v for k, v in item.value if isinstance(k, yaml.ScalarNode)
                             and k.value == "model_name"), None)
                name = _served_name(node) if node is not None else None
            label = name if name is not None else f"(entry at line {first})"
            spans.append((label, start, stop))
    return spans


def _served_name(node) -> str | None:
    """The name a release that serves a model_name of another type than a string serves it
    under (str() of what the loader builds: 3 as '3', null as 'None'; recorded on 1.110.2)."""
    if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":str"):
        return node.value
    try:
        return str(yaml.constructor.SafeConstructor().construct_object(node, deep=True))
    except Exception:  # noqa: BLE001 - a value the loader cannot build names nothing
        return None


def served_by_name(name: str, outcome: Outcome) -> bool:
    # A full start lists a wildcard route expanded (openai/* as openai/gpt-4o ...), never by
    # name; the harness records the route itself, so there it is served only when listed.
    served = outcome.served
    return name in served or ("*" in name and not outcome.routes and bool(served)) or any(
        "*" in s and fnmatch.fnmatch(name, s) for s in served)


def judge(case: Case, findings: list[Finding], config_path: str) -> list[str]:
    """What validate got wrong about the case (empty: it agrees with the proxy)."""
    outcome = case.outcome
    if outcome.started is None:
        return []  # the harness got no answer: nothing recorded to hold validate to
    if case.network:
        return []  # it needed a service here unreachable; where the service runs, it starts
    mine = [f for f in findings if f.path == config_path]
    errors = [f for f in findings if f.severity == "error"]
    my_errors = [f for f in mine if f.severity == "error"]
    problems = []
    if not outcome.started:
        if not errors:
            problems.append(f"refused ({outcome.error[:120]}); validate reports no error")
        elif case.line and not any(f.line == case.line for f in my_errors) \
                and not any(f.path != config_path for f in errors):
            problems.append(f"refused ({outcome.error[:120]}); no error on line {case.line}")
        return problems
    spans = entry_spans(case.config)
    for name, first, last in spans:
        inside = [f for f in my_errors if first <= (f.line, f.column) <= last]
        if served_by_name(name, outcome):
            if inside:
                problems.append(f"served {name!r}, but validate: {_show(inside)}")
        elif not inside:
            problems.append(f"dropped {name!r}, validate has no error inside it")
    outside = [f for f in my_errors
               if not any(a <= (f.line, f.column) <= b for _n, a, b in spans)]
    folder = config_path.rsplit("/", 1)[0] + "/"
    for finding in (f for f in errors if f.path != config_path):
        # An error in an included file: held to that file's entries the same way.
        text = case.files.get(finding.path[len(folder):]) \
            if finding.path.startswith(folder) else None
        names = [n for n, a, b in entry_spans(text or "")
                 if a <= (finding.line, finding.column) <= b]
        if not names or any(served_by_name(n, outcome) for n in names) \
                or RULES[finding.rule].effect != "drops-model":
            outside.append(finding)
    for finding in outside:
        effect = RULES[finding.rule].effect
        if effect not in SILENT_EFFECTS or (effect == "starts-open" and outcome.open is False):
            problems.append(f"started, but validate: {_show([finding])}")
    if case.ignored and case.line and not any(f.line == case.line for f in mine):
        problems.append(f"the proxy ignores line {case.line}; validate says nothing there")
    if outcome.open and not any(RULES[f.rule].effect == "starts-open" for f in findings):
        problems.append("the proxy started open (no master key); validate does not say so")
    return problems


def agrees_with_effect(finding: Finding, case: Case, config_path: str) -> bool:
    """Does the recorded outcome show what the finding's rule says the proxy does?"""
    outcome = case.outcome
    effect = RULES[finding.rule].effect
    if outcome.started is None:
        return False
    if effect == "no-start":
        return outcome.started is False
    if not outcome.started:
        return False
    if effect == "drops-model":
        spans = entry_spans(case.config) if finding.path == config_path else []
        return any(a <= (finding.line, finding.column) <= b
                   and not served_by_name(n, outcome)
                   for n, a, b in spans)
    if effect == "starts-open":
        return bool(outcome.open)
    if effect == "serves-nothing":
        return not any(served_by_name(n, outcome)
                       for n, _a, _b in entry_spans(case.config))
    return True  # ignores, request-fails, hygiene: it started, as the rule says


def _show(findings: list[Finding]) -> str:
    return "; ".join(f"{f.line}:{f.column} {f.severity} {f.rule}: {f.message}"
                     for f in findings)


@dataclass
class Verdict:
    case: Case
    findings: list[Finding]
    problems: list[str]
    config_path: str


def replay(cases: list[Case]) -> list[Verdict]:
    """validate on every case, judged; in one scratch folder that is removed after."""
    verdicts = []
    with tempfile.TemporaryDirectory(prefix="oracle-replay-") as scratch:
        folder = Path(scratch) / "case"
        folder.mkdir()
        path = str(folder / "config.yaml")
        for case in cases:
            findings = run_validate(case, folder)
            verdicts.append(Verdict(case, findings, judge(case, findings, path), path))
    return verdicts


def release_cases(release: str) -> list[Case]:
    """The cases `release` is held to: every case for a release recorded on all of them,
    the recorded subset for one recorded between them (tests/oracle_records.py)."""
    recorded = {row["id"] for row in oracle_records.release_rows(release, recorded_only=True)}
    return [c for c in generated_cases(release) if c.id in recorded]


RELEASES_START = "<!-- validate-releases: generated by scripts/oracle_report.py -->"
RELEASES_END = "<!-- /validate-releases -->"


def render_releases(by_release: dict[str, list[Verdict]], explained: dict[str, set]) -> str:
    """The README's table of releases: how each ran, what was recorded, the agreement."""
    from generator.releases.rules import known_releases, recorded_how

    lines = [RELEASES_START, "",
             "| release | how its rules are backed | cases recorded | outcome differs from "
             f"{oracle_records.BASE} | validate agrees |", "|---|---|---:|---:|---:|"]
    recorded = set(oracle_records.recorded_releases())
    for release in known_releases():
        if release not in by_release or release not in recorded:
            lines.append(f"| {release} | {recorded_how(release)} | 0 | - | - |")
            continue
        verdicts = by_release[release]
        if release == oracle_records.BASE:
            count, differ = len(verdicts), "-"
        else:
            head = oracle_records.header(release)
            count, differ = head["recorded"], str(head["differ"])
        agree = sum(not v.problems for v in verdicts)
        known = sum(bool(v.problems) and v.case.id in explained.get(release, ())
                    for v in verdicts)
        lines.append(f"| {release} | {recorded_how(release)} | {count} | {differ} | "
                     f"{agree} of {len(verdicts)}" + (f" ({known} explained)" if known else "")
                     + " |")
    lines += ["", RELEASES_END]
    return "\n".join(lines)


README_START = "<!-- validate-agreement: generated by scripts/oracle_report.py -->"
README_END = "<!-- /validate-agreement -->"


def rule_backing(verdicts: list[Verdict]) -> dict[str, tuple[int, int]]:
    """rule -> (cases where it fires, of which the recorded outcome shows its effect)."""
    fired: dict[str, list[int]] = {}
    for verdict in verdicts:
        seen: dict[str, bool] = {}
        for finding in verdict.findings:
            agrees = agrees_with_effect(finding, verdict.case, verdict.config_path)
            seen[finding.rule] = seen.get(finding.rule, False) or agrees
        for rule, agrees in seen.items():
            counts = fired.setdefault(rule, [0, 0])
            counts[0] += 1
            counts[1] += agrees
    return {rule: (n, k) for rule, (n, k) in fired.items()}


def render_agreement(verdicts: list[Verdict]) -> str:
    """The README's table: agreement per section and per rule, from the replay itself."""
    by_section: dict[str, list[int]] = {}
    outcomes = {"refused": 0, "dropped": 0, "started": 0}
    for verdict in verdicts:
        row = by_section.setdefault(verdict.case.section, [0, 0])
        row[0] += 1
        row[1] += not verdict.problems
        outcome = verdict.case.outcome
        if outcome.started is False:
            outcomes["refused"] += 1
        elif any(not served_by_name(n, outcome) for n, _a, _b in
                 entry_spans(verdict.case.config)):
            outcomes["dropped"] += 1
        else:
            outcomes["started"] += 1
    total = len(verdicts)
    agreed = sum(not v.problems for v in verdicts)
    releases = sorted({v.case.outcome.release for v in verdicts})
    lines = [README_START, "",
             f"{agreed} of {total} recorded cases agree ({100 * agreed / total:.1f}%), "
             f"litellm {', '.join(releases)}: {outcomes['refused']} the proxy refused, "
             f"{outcomes['dropped']} it started without a model, {outcomes['started']} it "
             "started with every model.", "",
             "| section | cases | validate agrees |", "|---|---:|---:|"]
    for section, (n, k) in sorted(by_section.items()):
        lines.append(f"| {section} | {n} | {k} ({100 * k / n:.0f}%) |")
    lines += ["", "| rule | effect | fires in | the recorded outcome shows the effect |",
              "|---|---|---:|---:|"]
    for rule, (n, k) in sorted(rule_backing(verdicts).items()):
        lines.append(f"| `{rule}` | {RULES[rule].effect} | {n} | {k} |")
    lines += ["", README_END]
    return "\n".join(lines)
