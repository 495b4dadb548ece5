"""How results read: one line per preset for people, the same facts as JSON for scripts."""
from __future__ import annotations

import datetime as _dt
import json
import re
from collections import Counter
from typing import Collection, Mapping, Sequence

from generator.boundary.secrets import MASK, mask_text, mask_value, shown_name, shown_value
from generator.merge.model import PresetEntry
from generator.validate.health_checks import plain_number


def merge_warnings(outcome, presets: Sequence[PresetEntry], api_key_env: str,
                   today: _dt.date, environ: Mapping[str, str],
                   acknowledged: Collection[str] = ()) -> list[str]:
    """What the operator should hear about, beside the per-preset report.

    A skipped preset's reason is here, and only here: its report line just names it.
    """
    warnings = list(outcome.notes) + [f"{outcome.config}: {w}" for w in outcome.plan.warnings]
    merged = {a.name for a in outcome.plan.actions if a.kind != "skipped"}
    for preset in presets:
        if preset.deprecated_on(today) and preset.name in merged \
                and preset.name not in acknowledged:
            successor = f"; consider {preset.successor}" if preset.successor else ""
            warnings.append(f"{preset.name} is past its deprecation date "
                            f"{preset.deprecation_date}{successor} (--acknowledge-deprecated "
                            f"{preset.name} stops this warning)")
    for action in outcome.plan.actions:
        if action.kind == "skipped":
            warnings.append(f"{action.name} skipped: {outcome.config}: {action.reason}")
    if presets and not environ.get(api_key_env):
        warnings.append(f"{api_key_env} is not set in this environment; the proxy needs it "
                        "at start-up to serve these models")
    return warnings


def merge_report_text(outcome, rerun: str = "litellm-gen merge") -> str:
    plan = outcome.plan
    width = max((len(a.shown) for a in plan.actions), default=0)
    lines = []
    for a in plan.actions:
        where = f"line {a.line}" if a.line else ""
        # A skip's reason is a warning of its own (merge_warnings): said once.
        reason = "your entry is kept (see the warning)" if a.kind == "skipped" else a.reason
        detail = "; ".join(x for x in (where, reason) if x)
        lines.append(f"  {a.kind:<9} {a.shown:<{width}}  {detail}".rstrip())
    counts = Counter(a.kind for a in plan.actions)
    summary = ", ".join(f"{n} {k}" for k, n in counts.items()) or "no presets selected"
    mode = outcome.write_back.value
    output = _stream_name(outcome.output, "standard output")
    if mode == "write":
        verdict = (f"wrote {', '.join(_stream_name(p, 'standard output') for p in outcome.written)}"
                   if outcome.written else f"{output} is up to date; not written")
    elif mode == "stdout":
        verdict = "wrote the result to standard output"
    elif mode == "check":
        verdict = (f"{output} is not what merging {_stream_name(outcome.config)} produces "
                   f"(run `{rerun}` to write it)" if outcome.output_differs
                   else f"{output} is up to date")
    else:
        verdict = "diff only; nothing written"
    head = f"litellm-gen: {_stream_name(outcome.config)} -> {output}"
    if outcome.include_file is not None:
        head += f" (presets in {outcome.include_file}; lines below are in that file)"
    return "\n".join([head, *lines,
                      f"{verdict} ({summary})"])


def _stream_name(path, stream: str = "standard input") -> str:
    return stream if str(path) == "-" else str(path)


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
        "name": p.name, "set": p.set_name, "category": shown_name(p.category), "mode": p.mode,
        "model_name": p.model_name, "source": p.source,
        "cost": {k: v if _is_number(v) else shown_cost(k, v) for k, v in p.cost_fields.items()},
        "deprecation_date": p.deprecation_date.isoformat() if p.deprecation_date else None,
        "deprecated": p.deprecated_on(today), "successor": p.successor or None,
        "template": p.template,
    }


def presets_json(presets: Sequence[PresetEntry], today: _dt.date) -> str:
    return json.dumps([_preset_row(p, today) for p in presets], indent=2)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def shown_cost(key: str, value) -> str:
    """A template's cost field as the masking policy shows it: a number, else the mask."""
    text = plain_number(value)
    return text if shown_value(key, text) == text else MASK


def _deprecation(p: PresetEntry, today: _dt.date) -> str:
    if not p.deprecation_date:
        return ""
    if not p.deprecated_on(today):
        return f"deprecated from {p.deprecation_date.isoformat()}"
    return f"deprecated {p.deprecation_date.isoformat()}" + (
        f"; use {p.successor}" if p.successor else "")


def presets_table(presets: Sequence[PresetEntry], today: _dt.date, wide: bool = False) -> str:
    """Grouped by category, one line per cost field: fits 80 columns (`--wide`: one line each)."""
    if wide:
        rows = [("NAME", "SET", "CATEGORY", "MODE", "COST", "SOURCE", "DEPRECATION")]
        for p in presets:
            cost = ", ".join(f"{k}={shown_cost(k, v)}" for k, v in p.cost_fields.items()) or "-"
            rows.append((p.name, p.set_name, shown_name(p.category), p.mode or "-", cost,
                         p.source or "-",
                         _deprecation(p, today) or "-"))
        return table(rows)
    rows: list[tuple] = [("  NAME", "SET", "COST (model_info, USD)")]
    groups: dict[str, list[PresetEntry]] = {}
    for p in presets:
        groups.setdefault(p.category, []).append(p)
    headings = []
    for category, members in groups.items():
        modes = ", ".join(dict.fromkeys(p.mode or "-" for p in members))
        headings.append(len(rows))
        rows.append((f"{shown_name(category)} (mode {modes})",))
        for p in members:
            lines = [f"{k}: {shown_cost(k, v)}" for k, v in p.cost_fields.items()] or ["-"]
            lines += [x for x in (_deprecation(p, today),) if x]
            rows.append(("  " + p.name, p.set_name, lines[0]))
            rows.extend(("", "", line) for line in lines[1:])
    sources = dict.fromkeys(f"{p.set_name}: {p.source}" for p in presets if p.source)
    body = table(rows, spanning=headings)
    return body + ("\n\n" + _wrapped("sources: " + "; ".join(sources)) if sources else "")


def _wrapped(text: str, width: int = 80) -> str:
    import textwrap
    return "\n".join(textwrap.wrap(text, width, subsequent_indent="  ", break_long_words=False,
                                    break_on_hyphens=False))


def table(rows: Sequence[Sequence[str]], spanning: Sequence[int] = ()) -> str:
    """Columns padded to their widest cell; rows listed in `spanning` are printed as they are
    (headings) and do not widen any column."""
    sized = [r for i, r in enumerate(rows) if i not in spanning]
    widths = [max(len(str(r[i])) for r in sized) for i in range(len(rows[0]))]
    return "\n".join(str(r[0]) if i in spanning else
                     "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()
                     for i, r in enumerate(rows))


def terminal_width() -> int:
    """The terminal's columns (COLUMNS first); 100 when the output is not a terminal."""
    import shutil
    return max(60, shutil.get_terminal_size((100, 24)).columns)


def entries_table(rows, wide: bool = False, width: int | None = None) -> str:
    """One line per entry; the tags wrap to fit `width` (on one line, with PROVIDER, `wide`)."""
    head = ("LINE", "MODEL_NAME", "MODEL", "MODE", "OWNER") + (("PROVIDER",) if wide else ())
    out, tag_lists = [head], []
    for r in rows:
        row = (r.model_name or "?", r.model or "-", r.mode or "-", r.owner) + (
            (r.provider or "-",) if wide else ())
        # The place is a file name and a line: never masked.
        out.append((printable(f"{r.file}:{r.line}" if r.file else str(r.line)),
                    *(printable(mask_value(str(c))) for c in row)))
        tag_lists.append([printable(mask_value(str(t))) for t in r.tags] or ["-"])
    if wide:
        return table([out[0] + ("TAGS",)] + [r + (",".join(t),) for r, t in zip(out[1:],
                                                                             tag_lists)])
    widths = [max(len(r[i]) for r in out) for i in range(len(head))]
    indent = sum(w + 2 for w in widths)
    room = max(12, (width or terminal_width()) - indent)
    lines = ["  ".join(c.ljust(w) for c, w in zip(head, widths)) + "  TAGS"]
    for row, tags in zip(out[1:], tag_lists):
        packed = _pack(tags, room)
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths)) + "  " + packed[0])
        lines.extend(" " * indent + more for more in packed[1:])
    return "\n".join(lines)


def _pack(items: Sequence[str], room: int) -> list[str]:
    """Comma-separated items, as few lines of at most `room` characters as they fit in."""
    lines = [""]
    for item in items:
        candidate = f"{lines[-1]},{item}" if lines[-1] else item
        if len(candidate) <= room or not lines[-1]:
            lines[-1] = candidate
        else:
            lines[-1] += ","
            lines.append(item)
    return lines


def entries_json(rows, config: str) -> str:
    """`file` is the config itself (as given) or the included file the entry is in."""
    return json.dumps([masked(_row_dict(r, config)) for r in rows], indent=2)


def _row_dict(row, config: str) -> dict:
    return {**row.as_dict(), "file": row.file or config}


# Control characters, line separators and the bidirectional controls (a right-to-left
# override makes a terminal show a name other than the one written).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """A value as a terminal should show it: a line break or an escape sequence in a
    model_name would fake a row or reach the terminal; they are shown escaped."""
    return _CONTROL.sub(lambda m: repr(m.group(0))[1:-1], text)


def masked(value):
    """A JSON-ready value with credentials in its strings masked (a file name is not)."""
    if isinstance(value, str):
        return mask_value(value)
    if isinstance(value, dict):
        return {k: v if k == "file" else masked(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [masked(v) for v in value]
    return value


def verify_report(checks, url: str) -> str:
    """One aligned line per model; the tags come last, so an entry without any shifts nothing."""
    rows = []
    for c in checks:
        where = f"{c.row.file}:{c.row.line}" if c.row.file else f"line {c.row.line}"
        tags = f"[{', '.join(c.row.tags)}]" if c.row.tags else ""
        rows.append(tuple(printable(mask_value(str(x))) for x in (
            c.status, c.row.model_name or "?", c.detail)) + (
            printable(f"({c.row.owner}, {where})"), printable(mask_value(tags))))
    lines = [f"litellm-gen: asking {mask_value(url)}/model/info"]
    if rows:
        lines += ["  " + line for line in table(rows).splitlines()]
    bad = sum(c.status != "served" for c in checks)
    lines.append(f"{len(checks) - bad} of {len(checks)} served" + (
        f"; {bad} missing or wrong" if bad else ""))
    return "\n".join(lines)


def verify_json(checks, url: str, config: str) -> str:
    return json.dumps(masked({"url": url, "models": [
        {**_row_dict(c.row, config), "status": c.status, "detail": c.detail} for c in checks],
        "ok": all(c.status == "served" for c in checks)}), indent=2)
