"""validate held to realistic whole configs that no rule was written from.

scripts/gen_realistic.py writes whole deployments (several providers, settings sections
together, includes, YAML and JSON, up to three mistakes that interact) and recorded what
litellm 1.100.0, 1.106.12 and 1.110.2's own start-up did with each
(tests/oracle/realistic/). validate runs on each here, without litellm, judged as
tests/oracle_replay.py judges every recorded case.

The held-out part (the ids whose sha256 is 0 mod 5, fixed before any record was read) was
never looked at while writing a rule. expected.json says, per release and part, how many
cases agree, and lists every disagreement with its reason: the development part must agree
exactly as listed; the held-out part at least as well, and a disagreement there that is not
listed fails the test.
"""
from __future__ import annotations

import json

import oracle_replay
import pytest
from realistic_records import REALISTIC, RELEASES, cases


@pytest.fixture(scope="module")
def verdicts(realistic_verdicts) -> dict[str, list[oracle_replay.Verdict]]:
    return realistic_verdicts


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads((REALISTIC / "expected.json").read_text(encoding="utf-8"))


def test_every_case_is_recorded_on_every_release() -> None:
    for release in RELEASES:
        recorded = cases(release)
        assert len(recorded) >= 500
        assert {c.outcome.release for c in recorded} == {release}
        assert not [c.id for c in recorded if c.outcome.started is None], release
        assert {c.kind for c in recorded} == {"development", "held-out"}


@pytest.mark.parametrize("release", RELEASES)
def test_development_part_agrees_exactly_as_listed(verdicts, expected, release) -> None:
    part = expected["releases"][release]["development"]
    wrong = {v.case.id: v.problems[0] for v in verdicts[release]
             if v.case.kind == "development" and v.problems}
    listed = part["disagreements"]
    unexplained = {i: p for i, p in wrong.items() if i not in listed}
    assert not unexplained, f"{release}: disagreements not listed: {unexplained}"
    stale = sorted(set(listed) - set(wrong))
    assert not stale, f"{release}: these now agree: remove them from expected.json: {stale}"
    total = sum(v.case.kind == "development" for v in verdicts[release])
    assert (total - len(wrong), total) == (part["agree"], part["total"])


@pytest.mark.parametrize("release", RELEASES)
def test_held_out_part_agrees_at_least_as_measured(verdicts, expected, release) -> None:
    part = expected["releases"][release]["held_out"]
    held = [v for v in verdicts[release] if v.case.kind == "held-out"]
    wrong = {v.case.id: v.problems[0] for v in held if v.problems}
    unexplained = {i: p for i, p in wrong.items() if i not in part["disagreements"]}
    assert not unexplained, f"{release}: held-out disagreements not listed: {unexplained}"
    assert len(held) == part["total"]
    assert len(held) - len(wrong) >= part["agree"]


def test_no_false_error_on_a_clean_config(verdicts) -> None:
    """A config the proxy starts with every model served gets no error from validate."""
    false = [(r, v.case.id, v.problems[0]) for r, vs in verdicts.items() for v in vs
             if v.case.about == "clean" and v.problems]
    assert not false, false
