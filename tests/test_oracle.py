"""validate held to what the real proxy did: the recorded runs in tests/oracle/validate/.

Each case folder holds a config, what it is about (case.json, with the line the
proxy's failure traces to) and record.json: whether litellm[proxy]==1.100.0 started
on it, which model_names /model/info served, and whether it answered without a
key. `make oracle` rebuilds the records by starting the proxy on every case
(scripts/oracle.py); here validate runs with the same environment and must agree, as
tests/oracle_replay.py says (the judge the generated cases use too): refused -> an error
on the recorded line; a model missing from /model/info -> an error inside its entry; a
model served -> none inside it; started open -> a finding says so; no other error.

These full starts also calibrate the fast oracle (scripts/harness.py), which records the
generated cases of tests/test_generated_oracle.py.

The "m-" cases are the real configs of tests/manifests (sources in their case.json),
as they are and mutated; the "h-" cases are written by hand, one or more per rule.
"""
from __future__ import annotations

import datetime as _dt
import fnmatch
import json
from pathlib import Path

import oracle_replay
import pytest

from generator.validate.per_file import validate_file

CASES = Path(__file__).parent / "oracle" / "validate" / "cases"
TODAY = _dt.date(2026, 11, 26)


case_env = oracle_replay.case_env


ALL = sorted(p.name for p in CASES.iterdir() if (p / "record.json").exists())
FOLDER_CASES = {case.id: case for case in oracle_replay.folder_cases()}


def test_every_case_has_a_record() -> None:
    missing = [p.name for p in CASES.iterdir() if not (p / "record.json").exists()]
    assert not missing, f"run `make oracle` to record: {missing}"
    assert len(ALL) >= 100


@pytest.mark.parametrize("name", ALL)
def test_validate_agrees_with_the_recorded_proxy(name: str, tmp_path: Path) -> None:
    case = FOLDER_CASES[name]
    (verdict,) = oracle_replay.replay([case])
    shown = "\n".join(f"{f.line}:{f.column} {f.severity} {f.rule}: {f.message}"
                      for f in verdict.findings) or "(no findings)"
    assert not verdict.problems, "\n".join(verdict.problems) + "\nvalidate:\n" + shown


def test_the_fast_oracle_gives_the_outcome_of_a_full_start() -> None:
    """scripts/harness.py (the start-up code in-process) against `litellm --config` runs.

    harness-RELEASE.jsonl holds the harness's record of every case folder
    (scripts/oracle.py calibrate); record.json holds a full start of the proxy on the same
    folder. Started or refused, the models served (a wildcard route the harness records as
    the route, a full start as the names /model/info expands it to), open or not: equal.
    """
    records = [json.loads(line) for line in
               (CASES.parent / "harness-1.100.0.jsonl").read_text().splitlines()]
    compared = 0
    for record in records:
        full = json.loads((CASES / record["id"] / "record.json").read_text())
        assert record["started"] == full["started"], record["id"]
        if full["started"]:
            plain = {n for n in record["served"] if "*" not in n}
            routes = [n for n in record["served"] if "*" in n]
            assert plain <= set(full["served"]), record["id"]
            assert all(any(fnmatch.fnmatch(n, r) for r in routes)
                       for n in set(full["served"]) - plain), record["id"]
            assert record["open"] == full["open_without_key"], record["id"]
        compared += 1
    assert compared >= 50 and {r["litellm"] for r in records} == {"1.100.0"}


def test_a_misspelled_general_settings_leaves_the_proxy_open() -> None:
    """`general_setting:` is ignored (a warning) and, with no LITELLM_MASTER_KEY either, the
    proxy starts open (an error): both backed by the record, which answered without a key."""
    record = json.loads((CASES / "h-general-settings-typo" / "record.json").read_text())
    assert record["started"] and record["open_without_key"] is True
    config = CASES / "h-general-settings-typo" / "config.yaml"
    env = case_env(CASES / "h-general-settings-typo")
    findings = validate_file(config, env=env, today=TODAY)
    assert {f.rule for f in findings if f.severity == "error"} == {"no-master-key"}
    typo = next(f for f in findings if f.rule == "unknown-section")
    assert typo.severity == "warning" and "starts without a master key" in typo.message


def test_the_records_cover_both_outcomes_and_real_configs() -> None:
    records = {n: json.loads((CASES / n / "record.json").read_text()) for n in ALL}
    refused = [n for n, r in records.items() if not r["started"]]
    dropped = [n for n, r in records.items() if r["started"]
               and {name for name, _a, _b in oracle_replay.entry_spans(
                   (CASES / n / "config.yaml").read_text())} - set(r["served"])]
    real = [n for n in ALL if n.startswith("m-")]
    assert len(refused) >= 10 and len(dropped) >= 5 and len(real) >= 30
    assert {r["proxy"] for r in records.values()} == {"litellm[proxy]==1.100.0"}
