"""validate held to what the real proxy did: the recorded runs in tests/oracle/validate/.

Each case folder holds a config, what it is about (case.json, with the line the
proxy's failure traces to) and record.json: whether litellm[proxy]==1.100.0 started
on it, which model_names /model/info served, and whether it answered without a
key. `make oracle` rebuilds the records by starting the proxy on every case
(scripts/oracle.py); here validate runs with the same environment and must agree:

- the proxy did not start      -> validate reports an error, on the recorded line;
- a model missing from /model/info -> an error inside that model's entry;
- a model served               -> no error inside its entry;
- started and served everything -> no error at all, except a near-miss section name
  (the proxy ignores the whole section and says nothing; see the general_setting case,
  where the recorded proxy answered /model/info without a key).

The "m-" cases are the real configs of tests/manifests (sources in their case.json),
as they are and mutated; the "h-" cases are written by hand, one or more per rule.
"""
from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path

import pytest

from generator import marked
from generator.validate_files import validate_file

CASES = Path(__file__).parent / "oracle" / "validate" / "cases"
BASE_ENV = {"OPENAI_API_KEY": "sk-oracle-openai", "LITELLM_MASTER_KEY": "sk-oracle-master"}
TODAY = _dt.date(2026, 11, 26)
# Errors the proxy cannot show by failing: it ignores a misspelled section silently, and
# without its master key it starts open (the records' open_without_key shows that).
SILENT_ERRORS = {"unknown-section", "master-key-unset"}


def case_env(case: Path) -> dict[str, str]:
    env = dict(BASE_ENV)
    if (case / "env").exists():
        for line in (case / "env").read_text(encoding="utf-8").splitlines():
            name, _, value = line.partition("=")
            if name.strip():
                env[name.strip()] = value.strip()
    return {k: v for k, v in env.items() if v}  # `NAME=` unsets NAME, as in scripts/oracle.py


def entry_spans(config: Path) -> dict[str, tuple[int, int]]:
    """model_name -> (first line, last line) of its entry in the config."""  # noqa: D401
    try:
        root = marked.parse(config.read_text(encoding="utf-8")).root
    except Exception:  # noqa: BLE001 - a broken file has no entries to hold validate to
        return {}
    entries = root.get("model_list") if isinstance(root, marked.Mapping) else None
    if not isinstance(entries, marked.Sequence):
        return {}
    starts = []
    for item in entries.items:
        name = item.get("model_name") if isinstance(item, marked.Mapping) else None
        line = marked.where(item)[0]
        # An entry without a usable name cannot be served under it: named by its line.
        label = str(marked.value_of(name)) if isinstance(name, marked.Scalar) \
            and marked.value_of(name) is not None else f"(entry at line {line})"
        starts.append((line, label))
    # The last entry ends before the next line at column 0 (the next top-level key).
    lines = config.read_text(encoding="utf-8").splitlines()
    spans = {}
    for i, (line, label) in enumerate(starts):
        if i + 1 < len(starts):
            end = starts[i + 1][0] - 1
        else:
            end = next((n for n in range(line + 1, len(lines) + 1)
                        if lines[n - 1][:1] not in ("", " ", "#", "-", "\t")), len(lines) + 1) - 1
        spans[label] = (line, end)
    return spans


ALL = sorted(p.name for p in CASES.iterdir() if (p / "record.json").exists())


def test_every_case_has_a_record() -> None:
    missing = [p.name for p in CASES.iterdir() if not (p / "record.json").exists()]
    assert not missing, f"run `make oracle` to record: {missing}"
    assert len(ALL) >= 100


@pytest.mark.parametrize("name", ALL)
def test_validate_agrees_with_the_recorded_proxy(name: str) -> None:
    case = CASES / name
    record = json.loads((case / "record.json").read_text(encoding="utf-8"))
    meta = json.loads((case / "case.json").read_text(encoding="utf-8"))
    config = case / "config.yaml"
    findings = [f for f in validate_file(config, env=case_env(case), today=TODAY)
                if f.path == str(config)]
    errors = [f for f in findings if f.severity == "error"]
    shown = "\n".join(f"{f.line}:{f.column} {f.severity} {f.rule}: {f.message}"
                      for f in findings) or "(no findings)"
    if not record["started"]:
        assert errors, f"the proxy refused to start ({record['last_error']}), validate:\n{shown}"
        # A mutation of a config the proxy refused as it was may fail for the old reason.
        base = CASES / (name.rsplit("-", 2)[0] + "-as-is") if name.startswith("m-") else None
        base_refused = base is not None and base != case and not json.loads(
            (base / "record.json").read_text(encoding="utf-8"))["started"]
        if meta.get("line") and not base_refused:
            assert meta["line"] in {f.line for f in errors}, \
                f"expected an error on line {meta['line']}:\n{shown}"
        return
    spans = entry_spans(config)
    # A wildcard route is served expanded (openai/* as openai/gpt-4o, ...), never by name.
    served = set(record["served"]) | {n for n in spans if "*" in n}
    for model_name, (first, last) in spans.items():
        inside = [f for f in errors if first <= f.line <= last]
        if model_name in served:
            assert not inside, f"{model_name!r} was served, validate says:\n{shown}"
        else:
            assert inside, f"the proxy dropped {model_name!r}, validate says nothing:\n{shown}"
    outside = [f for f in errors if not any(a <= f.line <= b for a, b in spans.values())]
    assert all(f.rule in SILENT_ERRORS for f in outside), \
        f"the proxy started and served {sorted(served)}, validate says:\n{shown}"
    if any(f.rule == "master-key-unset" for f in outside):
        assert record["open_without_key"] is True, "validate says open, the proxy was not"


def test_a_misspelled_general_settings_leaves_the_proxy_open() -> None:
    """The error for `general_setting:` is backed by the record: no key was needed."""
    record = json.loads((CASES / "h-general-settings-typo" / "record.json").read_text())
    assert record["started"] and record["open_without_key"] is True
    config = CASES / "h-general-settings-typo" / "config.yaml"
    env = case_env(CASES / "h-general-settings-typo")
    rules = {f.rule for f in validate_file(config, env=env, today=TODAY)
             if f.severity == "error"}
    assert rules == {"unknown-section"}
    message = next(f.message for f in validate_file(config, env={}, today=TODAY))
    assert "starts without a master key" in message


def test_the_records_cover_both_outcomes_and_real_configs() -> None:
    records = {n: json.loads((CASES / n / "record.json").read_text()) for n in ALL}
    refused = [n for n, r in records.items() if not r["started"]]
    dropped = [n for n, r in records.items() if r["started"]
               and set(entry_spans(CASES / n / "config.yaml")) - set(r["served"])]
    real = [n for n in ALL if n.startswith("m-")]
    assert len(refused) >= 10 and len(dropped) >= 5 and len(real) >= 30
    assert {r["proxy"] for r in records.values()} == {"litellm[proxy]==1.100.0"}
