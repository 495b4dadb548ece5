"""`validate --upgrade-to RELEASE`: what changes for a config when the proxy moves release.

The config is judged twice, by the release it runs today (as validate would pick it) and
by the target; findings are matched by file, line, column and rule. What appears on the
target is sorted by what the proxy will then do (will not start, drops a model, other),
what disappears is listed, and the settings the target knows or no longer knows are
named. Pure: two FileReports in, a text or a dict out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from generator.boundary.secrets import mask_text, mask_value
from generator.validate.output import FileReport, finding_line, summary_sentences
from generator.validate.registry import RULES, Finding

# Rules that say a key or section is not one the release reads.
_UNKNOWN = frozenset({"unknown-key", "unknown-section"})
_BREAKS = {"no-start": "will break (the proxy will not start)",
           "drops-model": "newly dropped (the proxy starts without the entry)"}


def _key(finding: Finding) -> tuple:
    return (finding.path, finding.line, finding.column, finding.rule)


@dataclass
class Upgrade:
    before: FileReport
    after: FileReport

    def _differ(self, mine: FileReport, other: FileReport) -> list[Finding]:
        theirs = {_key(f) for f in other.findings}
        return [f for f in mine.findings if _key(f) not in theirs]

    @property
    def appear(self) -> list[Finding]:
        return [f for f in self._differ(self.after, self.before) if f.rule not in _UNKNOWN]

    @property
    def disappear(self) -> list[Finding]:
        return [f for f in self._differ(self.before, self.after) if f.rule not in _UNKNOWN]

    @property
    def become_unknown(self) -> list[Finding]:
        return [f for f in self._differ(self.after, self.before) if f.rule in _UNKNOWN]

    @property
    def become_known(self) -> list[Finding]:
        return [f for f in self._differ(self.before, self.after) if f.rule in _UNKNOWN]

    @property
    def breaks(self) -> bool:
        """Something that is an error on the target and was not before."""
        return any(f.severity == "error" for f in self.appear)

    def category(self, finding: Finding) -> str:
        effect = RULES[finding.rule].effect if finding.rule in RULES else "hygiene"
        if finding.severity == "error" and effect in _BREAKS:
            return _BREAKS[effect]
        return f"new {finding.severity}"

    def text(self) -> str:
        old, new = self.before.judged, self.after.judged
        lines = [f"{self.before.config}: from litellm {old.release} ({_why(old)}) to "
                 f"litellm {new.release}" + (f" (nearest known to {new.named})"
                                            if new.nearest else "") + ":"]
        groups: dict[str, list[Finding]] = {}
        for finding in self.appear:
            groups.setdefault(self.category(finding), []).append(finding)
        order = [*_BREAKS.values(), "new error", "new warning"]
        for name in order:
            for finding in groups.get(name, []):
                lines.append(f"  {name}: {finding_line(finding)}")
        for finding in self.disappear:
            lines.append(f"  no longer: {finding_line(finding)}")
        for finding in self.become_known:
            lines.append(f"  becomes known: {_setting(finding)} (line {finding.line})")
        for finding in self.become_unknown:
            lines.append(f"  becomes unknown: {finding_line(finding)}")
        if len(lines) == 1:
            lines.append("  nothing validate says changes")
        lines.append(mask_value(f"  on {old.release}: " + " ".join(summary_sentences(self.before))))
        lines.append(mask_value(f"  on {new.release}: " + " ".join(summary_sentences(self.after))))
        return "\n".join(lines)

    def as_dict(self) -> dict:
        def shown(findings, category=False):
            return [{**{k: mask_text(v) if isinstance(v, str) else v
                        for k, v in f.as_dict().items()},
                     **({"change": self.category(f)} if category else {})} for f in findings]
        return {"config": self.before.config, "from": self.before.judged.as_dict(),
                "to": self.after.judged.as_dict(), "breaks": self.breaks,
                "appear": shown(self.appear, True), "disappear": shown(self.disappear),
                "become_known": [{"setting": _setting(f), "line": f.line, "path": f.path}
                                 for f in self.become_known],
                "become_unknown": shown(self.become_unknown),
                "summary_from": [mask_value(s) for s in summary_sentences(self.before)],
                "summary_to": [mask_value(s) for s in summary_sentences(self.after)]}


def _why(judged) -> str:
    return "the newest it knows" if judged.named is None else judged.source


def _setting(finding: Finding) -> str:
    """The setting an unknown-key or unknown-section message names."""
    match = _NAMED.search(finding.message)
    return match.group(1) if match else f"line {finding.line}"


_NAMED = re.compile(r"(?:the proxy ignores (?:top-level )?'?|^')([\w.\-]+)")
