"""Which findings an operator asked not to hear about, as linters let them say it.

Three layers, as in ruff and yamllint: the repository's settings (`select`, `ignore`,
`per-file-ignores` in `[tool.litellm-gen]`), the command line (`--select`, `--ignore`),
and a comment on the finding's line: `# litellm-gen: ignore[RULE, ...]`, or
`# litellm-gen: ignore` for every rule. A comment alone on its line applies to the
line below it too (yamllint's and hadolint's habit), for a line that cannot hold a
comment of its own. Only real YAML comments count: a `#` inside a quoted or block
scalar is text. Every rule name is checked against the registry (findings.RULES).

Pure: text in, findings out; the edge reads the files.
"""
from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import yaml

from generator.boundary.errors import UserError
from generator.validate.registry import RULES, Finding

ALL = frozenset({"*"})  # an ignore without rule names: every rule
_DIRECTIVE = re.compile(r"litellm-gen:\s*ignore(?![\w-])(?:\[(?P<rules>[^\]]*)\])?")


def rule_names(values: Iterable[str] | str | None, where: str = "", **location
               ) -> frozenset[str]:
    """Comma-separated or listed rule names, each one a registered rule.

    `where` names the option or setting; `location` (path, line, column) the file.
    """
    if values is None:
        return frozenset()
    if isinstance(values, str):
        values = [values]
    prefix = f"{where}: " if where else ""
    if not all(isinstance(v, str) for v in values):
        raise UserError(f"{prefix}give rule names as strings", **location)
    names = {part.strip() for value in values for part in value.split(",") if part.strip()}
    unknown = sorted(names - RULES.keys())
    if unknown:
        raise UserError(f"{prefix}unknown rule {', '.join(repr(n) for n in unknown)}; the "
                        f"rules are: {', '.join(sorted(RULES))}", **location)
    return frozenset(names)


@dataclass(frozen=True)
class RuleSelection:
    """select (None: every rule), ignore, and ignores for files matching a glob."""
    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = ()
    root: str = ""  # the settings file's folder: per-file globs are relative to it

    def layered(self, select: frozenset[str] | None, ignore: frozenset[str]) -> "RuleSelection":
        """The command line over the settings: its --select replaces, its --ignore adds."""
        return RuleSelection(select if select else self.select, self.ignore | ignore,
                             self.per_file_ignores, self.root)

    def ignored_in(self, path: str) -> frozenset[str]:
        if self.root and self.per_file_ignores:
            path = os.path.relpath(os.path.abspath(path), self.root)
        posix = path.replace("\\", "/").removeprefix("./")
        found = set(self.ignore)
        for pattern, rules in self.per_file_ignores:
            if fnmatch.fnmatch(posix, pattern) or fnmatch.fnmatch(posix.rsplit("/", 1)[-1],
                                                                   pattern):
                found |= rules
        return frozenset(found)

    def keeps(self, finding: Finding) -> bool:
        if self.select is not None and finding.rule not in self.select:
            return False
        return finding.rule not in self.ignored_in(finding.path)


def selection_from_settings(table: Mapping, shown: str, root: str = "") -> RuleSelection:
    """`select`, `ignore` and `per-file-ignores` of a settings table, names checked."""
    select = table.get("select")
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, Mapping):
        raise UserError(f"{shown}: per-file-ignores must be a table of glob = [rules]")
    return RuleSelection(
        rule_names(select, f"{shown}: select") if select is not None else None,
        rule_names(table.get("ignore"), f"{shown}: ignore"),
        tuple((str(glob), rule_names(rules, f"{shown}: per-file-ignores {glob!r}"))
              for glob, rules in per_file.items()), root)


@dataclass(frozen=True)
class Directive:
    line: int             # where the comment is (1-based, in the file)
    column: int
    rules: frozenset[str]  # ALL for a bare `ignore`
    own_line: bool        # the comment is alone on its line: it covers the next line too


def directives(text: str, line_shift: int = 0, path: str = "") -> list[Directive]:
    """Every `# litellm-gen: ignore[...]` comment of a YAML text (lines shifted by line_shift)."""
    if "litellm-gen:" not in text:
        return []
    lines = text.splitlines()
    wanted = [i for i, line in enumerate(lines) if "litellm-gen:" in line]
    inside = _scalar_cells(text, set(wanted))
    found = []
    for index in wanted:
        line = lines[index]
        start = _comment_start(line, inside.get(index, ()))
        if start is None:
            continue
        match = _DIRECTIVE.search(line, start)
        if match is None:
            continue
        where = dict(path=path, line=index + 1 + line_shift, column=start + 1)
        rules = ALL
        if match.group("rules") is not None:
            rules = rule_names(match.group("rules"), **where)
            if not rules:
                raise UserError("name the rules inside ignore[...], or write "
                                "`# litellm-gen: ignore` for every rule", **where)
        found.append(Directive(index + 1 + line_shift, start + 1, rules,
                               not line[:start].strip()))
    return found


def _comment_start(line: str, scalar_cells: Sequence[tuple[int, int]]) -> int | None:
    """The column where the line's comment starts: a `#` after a blank, outside scalars."""
    for at, char in enumerate(line):
        if char != "#" or (at and line[at - 1] not in " \t"):
            continue
        if not any(start <= at < end for start, end in scalar_cells):
            return at
    return None


def _scalar_cells(text: str, lines: set[int]) -> dict[int, list[tuple[int, int]]]:
    """For the given lines: the column ranges that scalars (quoted, block, plain) cover."""
    cells: dict[int, list[tuple[int, int]]] = {}
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        for token in yaml.scan(text, Loader=loader):
            if not isinstance(token, yaml.ScalarToken):
                continue
            first, last = token.start_mark.line, token.end_mark.line
            if token.style in ("|", ">"):
                first += 1  # the header line's comment is a comment; the block is text
                if token.end_mark.column == 0:
                    last -= 1  # the block ends where the next line starts
            for line in lines.intersection(range(first, last + 1)):
                start = token.start_mark.column if line == token.start_mark.line else 0
                end = token.end_mark.column if line == token.end_mark.line else 1 << 30
                cells.setdefault(line, []).append((start, end))
    except yaml.YAMLError:
        pass  # past a syntax error every `#` after a blank counts as a comment
    return cells


def suppressed_by(finding: Finding, by_line: Mapping[int, Sequence[Directive]]) -> bool:
    for directive in by_line.get(finding.line, ()):
        if directive.rules is ALL or finding.rule in directive.rules:
            return True
    for directive in by_line.get(finding.line - 1, ()):
        if directive.own_line and (directive.rules is ALL or finding.rule in directive.rules):
            return True
    return False


def apply(findings: Sequence[Finding], selection: RuleSelection,
          inline: Mapping[str, Sequence[Directive]]) -> tuple[list[Finding], list[Finding]]:
    """(kept, suppressed): findings the selection and the files' comments leave in or out."""
    by_path = {path: _by_line(found) for path, found in inline.items()}
    kept, suppressed = [], []
    for finding in findings:
        out = not selection.keeps(finding) or suppressed_by(finding, by_path.get(finding.path, {}))
        (suppressed if out else kept).append(finding)
    return kept, suppressed


def _by_line(found: Sequence[Directive]) -> dict[int, list[Directive]]:
    by_line: dict[int, list[Directive]] = {}
    for directive in found:
        by_line.setdefault(directive.line, []).append(directive)
    return by_line
