"""validate --litellm RELEASE held to RELEASE's own recorded runs, for every recorded release.

scripts/releases.py ran each release's own start-up code (scripts/harness.py) on the
generated cases; tests/oracle/generated/ keeps, per release, only the outcomes that differ
from the base release's (tests/oracle_records.py). Here validate judges each case by the
rules of the release it was recorded on, without litellm installed, and the judge of
tests/oracle_replay.py says whether it agrees: an error on the right line for every
refusal, a finding inside every dropped entry, no error where the proxy started and served
everything. A release recorded on every case is held to every case; one recorded on the
subset that tells releases apart, to that subset.
"""
from __future__ import annotations

from pathlib import Path

import oracle_records
import oracle_replay
import pytest
from test_generated_oracle import EXPLAINED

from generator.releases.rules import known_releases, recorded_how

ROOT = Path(__file__).resolve().parent.parent
RELEASES = oracle_records.recorded_releases()[1:]
# release -> {case id: why validate cannot agree with that release's recorded run}; the base
# release's EXPLAINED holds for every release where the same case disagrees the same way.
# The signoz callback needs opentelemetry-sdk, which the environment the core-only releases
# were recorded in (their core over litellm[proxy]==1.106.12) lacks: the recording's
# environment, not the release (1.108 and later build it at start-up).
_RECORDING_ENVIRONMENT = {
    "litellm-settings-builtin-callback-callbacks-70":
        "the signoz callback needs opentelemetry-sdk, which the environment this release was "
        "recorded in (its core over litellm[proxy]==1.106.12) lacks: the recording's "
        "environment, not the release",
    "litellm-settings-builtin-callback-success-callback-70":
        "as callbacks-70: opentelemetry-sdk missing from the recording's environment",
}
# New in 1.109: one recorded case each, no rule yet.
_FROM_1_109 = {
    "litellm-params-correct-daily-reset-time":
        "1.109.3 and later parse litellm_params.daily_reset_time and drop the entry on a value "
        "they cannot parse; one recorded case, no rule for its format yet",
    "litellm-settings-wrong-type-models-by-provider":
        "1.109.3 and later read litellm_settings.models_by_provider while they build the "
        "router and drop llama3 when it is a list; one recorded case, no rule yet",
}
EXPLAINED_BY_RELEASE: dict[str, dict[str, str]] = {
    "1.108.0": _RECORDING_ENVIRONMENT,
    "1.108.1": _RECORDING_ENVIRONMENT,
    "1.108.4": _RECORDING_ENVIRONMENT,
    "1.108.7": _RECORDING_ENVIRONMENT,
    "1.108.11": _RECORDING_ENVIRONMENT,
    "1.108.14": _RECORDING_ENVIRONMENT,
    "1.109.3": {**_RECORDING_ENVIRONMENT, **_FROM_1_109},
    "1.110.2": {**_RECORDING_ENVIRONMENT, **_FROM_1_109,
                "router-settings-yaml-omap":
                    "1.110.2 validates router_settings as JSON values and refuses the list of "
                    "pairs an !!omap builds; validate's not-JSON kinds do not count a YAML "
                    "tag's value"},
}


def explained(release: str) -> dict[str, str]:
    return {**EXPLAINED, **EXPLAINED_BY_RELEASE.get(release, {})}


def test_every_release_with_rules_says_how_they_are_backed() -> None:
    recorded = set(oracle_records.recorded_releases())
    assert recorded <= set(known_releases())
    for release in known_releases():
        how = recorded_how(release)
        assert how.startswith("recorded") == (release in recorded), (release, how)


def test_each_record_file_is_of_the_cases_of_the_base() -> None:
    base = len(oracle_records.base_rows())
    for release in RELEASES:
        head = oracle_records.header(release)
        assert head["release"] == release and head["cases"] == base
        assert head["how"] == recorded_how(release)


@pytest.mark.parametrize("release", RELEASES)
def test_validate_agrees_with_the_release_it_judges_by(release, release_verdicts) -> None:
    verdicts = release_verdicts[release]
    assert verdicts and {v.case.outcome.release for v in verdicts} == {release}
    wrong = {v.case.id: v for v in verdicts if v.problems}
    allowed = explained(release)
    unexplained = sorted(set(wrong) - set(allowed))
    shown = "\n".join(f"{i} ({wrong[i].case.about}): {wrong[i].problems[0]}"
                      for i in unexplained[:40])
    assert not unexplained, f"{release}: {len(unexplained)} cases disagree:\n{shown}"
    stale = sorted(set(EXPLAINED_BY_RELEASE.get(release, {})) - set(wrong))
    assert not stale, f"these now agree on {release}: remove them: {stale}"


def test_the_readme_gives_the_table_of_releases(generated_verdicts, release_verdicts) -> None:
    table = oracle_replay.render_releases(
        {oracle_records.BASE: generated_verdicts, **release_verdicts},
        {r: set(explained(r)) for r in known_releases()})
    readme = (ROOT / "docs" / "evidence.md").read_text(encoding="utf-8")
    assert table in readme, "run `python scripts/oracle_report.py` to refresh docs/evidence.md"
