"""How results read: one line per preset for people, the same facts as JSON for scripts."""
from __future__ import annotations

import datetime as _dt
import json
import re
from collections import Counter
from typing import Mapping, Sequence

from .model import PresetEntry
from .secrets import mask_text, mask_value

def merge_warnings(outcome, presets: Sequence[PresetEntry], api_key_env: str,
                   today: _dt.date, environ: Mapping[str, str]) -> list[str]:
    """What the operator should hear about, beside the per-preset report."""
    warnings = list(outcome.notes) + [f"{outcome.config}: {w}" for w in outcome.plan.warnings]
    merged = {a.name for a in outcome.plan.actions if a.kind != "skipped"}
    for preset in presets:
        if preset.deprecated_on(today) and preset.name in merged:
            successor = f"; consider {preset.successor}" if preset.successor else ""
            warnings.append(f"{preset.name} is past its deprecation date "
                            f"{preset.deprecation_date}{successor}")
    for action in outcome.plan.actions:
        if action.kind == "skipped":
            warnings.append(f"{action.name} skipped: {outcome.config}: {action.reason}")
    if presets and not environ.get(api_key_env):
        warnings.append(f"{api_key_env} is not set in this environment; the proxy needs it "
                        "at start-up to serve these models")
    return warnings


def merge_report_text(outcome) -> str:
    plan = outcome.plan
    width = max((len(a.shown) for a in plan.actions), default=0)
    lines = []
    for a in plan.actions:
        where = f"line {a.line}" if a.line else ""
        detail = "; ".join(x for x in (where, a.reason) if x)
        lines.append(f"  {a.kind:<9} {a.shown:<{width}}  {detail}".rstrip())
    counts = Counter(a.kind for a in plan.actions)
    summary = ", ".join(f"{n} {k}" for k, n in counts.items()) or "no presets selected"
    mode = outcome.write_back.value
    if mode == "write":
        verdict = (f"wrote {', '.join(map(str, outcome.written))}" if outcome.written
                   else f"{outcome.output} is up to date; not written")
    elif mode == "check":
        verdict = (f"{outcome.output} is not what merging {outcome.config} produces "
                   "(run litellm-gen merge)" if outcome.output_differs
                   else f"{outcome.output} is up to date")
    else:
        verdict = "diff only; nothing written"
    head = f"litellm-gen: {outcome.config} -> {outcome.output}"
    if outcome.include_file is not None:
        head += f" (presets in {outcome.include_file}; lines below are in that file)"
    return "\n".join([head, *lines,
                      f"{verdict} ({summary})"])


def merge_report_json(outcome, warnings: Sequence[str]) -> str:
    data = {
        "config": str(outcome.config),
        "output": str(outcome.output),
        "mode": outcome.write_back.value,
        "changed": outcome.plan.changed,
        "output_differs": outcome.output_differs,
        "written": bool(outcome.written),
        "include_file": str(outcome.include_file) if outcome.include_file else None,
        "actions": [{"preset": a.name or None, "model_name": a.model_name, "action": a.kind,
                     "line": a.line, "reason": a.reason} for a in outcome.plan.actions],
        "warnings": [mask_text(w) for w in warnings],
    }
    if outcome.write_back.value != "write":
        data["diff"] = outcome.diff
    return json.dumps(data, indent=2)


def _preset_row(p: PresetEntry, today: _dt.date) -> dict:
    return {
        "name": p.name, "set": p.set_name, "category": p.category, "mode": p.mode,
        "model_name": p.model_name, "cost": p.cost_fields, "source": p.source,
        "deprecation_date": p.deprecation_date.isoformat() if p.deprecation_date else None,
        "deprecated": p.deprecated_on(today), "successor": p.successor or None,
        "template": p.template,
    }


def presets_json(presets: Sequence[PresetEntry], today: _dt.date) -> str:
    return json.dumps([_preset_row(p, today) for p in presets], indent=2)


def presets_table(presets: Sequence[PresetEntry], today: _dt.date) -> str:
    rows = [("NAME", "SET", "CATEGORY", "MODE", "COST", "SOURCE", "DEPRECATION")]
    for p in presets:
        cost = ", ".join(f"{k}={v}" for k, v in p.cost_fields.items()) or "-"
        dep = "-"
        if p.deprecation_date:
            dep = p.deprecation_date.isoformat()
            if p.deprecated_on(today):
                dep += " (deprecated" + (f"; use {p.successor})" if p.successor else ")")
        rows.append((p.name, p.set_name, p.category, p.mode or "-", cost, p.source or "-", dep))
    return table(rows)


def table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()
                     for r in rows)


def entries_table(rows) -> str:
    out = [("LINE", "MODEL_NAME", "MODEL", "MODE", "PROVIDER", "TAGS", "OWNER")]
    for r in rows:
        out.append((f"{r.file}:{r.line}" if r.file else str(r.line), r.model_name or "?",
                    r.model or "-", r.mode or "-", r.provider or "-", ",".join(r.tags) or "-",
                    r.owner))
        out[-1] = tuple(printable(mask_value(str(c))) for c in out[-1])
    if len(out) == 1:
        return "model_list is empty"
    return table(out)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """A value as a terminal should show it: a line break or an escape sequence in a
    model_name would fake a row or reach the terminal; they are shown escaped."""
    return _CONTROL.sub(lambda m: repr(m.group(0))[1:-1], text)


def entries_json(rows) -> str:
    return json.dumps([masked(r.as_dict()) for r in rows], indent=2)


def masked(value):
    """A JSON-ready value with credentials in its strings masked."""
    if isinstance(value, str):
        return mask_value(value)
    if isinstance(value, dict):
        return {k: masked(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [masked(v) for v in value]
    return value


def verify_report(checks, url: str) -> str:
    width = max((len(c.row.model_name or "?") for c in checks), default=0)
    lines = [f"litellm-gen: asking {mask_value(url)}/model/info"]
    for c in checks:
        where = f"{c.row.file}:{c.row.line}" if c.row.file else f"line {c.row.line}"
        tags = f"[{', '.join(c.row.tags)}]" if c.row.tags else ""
        lines.append(printable(mask_value(
            f"  {c.status:<10} {c.row.model_name or '?':<{width}}  "
            f"{c.detail:<20} {tags} ({c.row.owner}, {where})".rstrip())))
    bad = sum(c.status != "served" for c in checks)
    lines.append(f"{len(checks) - bad} of {len(checks)} served" + (
        f"; {bad} missing or wrong" if bad else ""))
    return "\n".join(lines)


def verify_json(checks, url: str) -> str:
    return json.dumps(masked({"url": url, "models": [
        {**c.row.as_dict(), "status": c.status, "detail": c.detail} for c in checks],
        "ok": all(c.status == "served" for c in checks)}), indent=2)
