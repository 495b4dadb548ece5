"""scripts/releases.py: which recorded release stands in for one that is only extracted, and
the refusal to call rules recorded that were extracted before their release was recorded."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import releases  # noqa: E402

RECORDED = ["1.100.0", "1.104.9", "1.106.12", "1.108.1", "1.108.14"]


@pytest.mark.parametrize("release, stand_in", [
    ("1.108.2", "1.108.1"),    # the closest patch of its own line
    ("1.108.9", "1.108.14"),
    ("1.105.7", "1.104.9"),    # no patch of its line: the newest recorded before it
    ("1.109.3", "1.108.14"),
    ("1.100.5", "1.100.0"),
])
def test_the_stand_in_is_the_closest_recorded_code(release, stand_in) -> None:
    assert releases.recorded_stand_in(release, RECORDED) == stand_in


def test_rules_extracted_before_the_release_was_recorded_are_refused(monkeypatch) -> None:
    monkeypatch.setattr(releases.oracle_records, "recorded_releases",
                        lambda: ["1.100.0", "1.106.12"])
    base = {key: {} for key in releases.RECORDED_KEYS} | {"recorded": True}
    stale = dict(base, recorded=False)
    with pytest.raises(SystemExit, match="1.106.12 was recorded after its rules"):
        releases.with_recorded_behaviour({"1.100.0": base, "1.106.12": stale})
    rules, how = releases.with_recorded_behaviour({"1.100.0": base, "1.106.12": base,
                                                   "1.108.0": stale})
    assert how["1.106.12"].startswith("recorded") and "1.106.12" in how["1.108.0"]
    assert rules["1.108.0"]["recorded"] is False
