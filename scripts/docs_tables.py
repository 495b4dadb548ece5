"""mkdocs hook: the manual's tables built from the data at build time, never kept by hand.

A page holds a marker comment where a table goes; the build replaces it:

  <!-- table: rules -->     every rule of generator/validate/registry.py's registry
  <!-- table: releases --> every release validate has rules for (generator/releases/rules.py)

A marker naming no table is an error, so a typo fails `mkdocs build --strict`.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"<!-- table: ([a-z-]+) -->")
# What the proxy does when a rule fires, in words (findings.Effect).
EFFECTS = {
    "no-start": "will not start",
    "drops-model": "starts without the entry",
    "ignores": "starts and ignores it",
    "starts-open": "starts open (no master key)",
    "request-fails": "starts; requests fail",
    "hygiene": "runs as written",
    "serves-nothing": "gets nothing from the file",
    "supply-chain": "runs a release it should not",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def rules_table() -> str:
    from generator.validate.registry import RULES

    lines = ["| rule | severity | the proxy | what it catches | what to write instead |",
             "|---|---|---|---|---|"]
    for name in sorted(RULES):
        rule = RULES[name]
        severity = rule.severity + (" (where the proxy runs)" if rule.env_dependent else "")
        lines.append(f"| `{name}` | {severity} | {EFFECTS[rule.effect]} | {_cell(rule.summary)} "
                     f"| {_cell(rule.fix)} |")
    return "\n".join(lines)


def releases_table() -> str:
    from generator.releases.rules import BASE, known_releases, recorded_how

    lines = ["| release | how its rules are backed |", "|---|---|"]
    for release in known_releases():
        shown = f"{release} (the base)" if release == BASE else release
        lines.append(f"| {shown} | {_cell(recorded_how(release))} |")
    return "\n".join(lines)


TABLES = {"rules": rules_table, "releases": releases_table}


def expand(markdown: str, where: str) -> str:
    """`markdown` with every table marker replaced by its table."""
    def table(match: re.Match) -> str:
        name = match.group(1)
        if name not in TABLES:
            raise ValueError(f"{where}: no table named {name!r} (known: {', '.join(TABLES)})")
        return TABLES[name]()
    return MARKER.sub(table, markdown)


def on_page_markdown(markdown: str, page, config, files) -> str:  # mkdocs hook
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return expand(markdown, page.file.src_path)
