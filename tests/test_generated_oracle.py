"""validate held to thousands of generated cases recorded with the release's own start-up code.

scripts/gen_cases.py writes a change of every kind for every key the release reads (a
right value, a wrong type, a near-miss name, a misplaced key, a missing key, an unset
variable, a module that is not there or does not import...) plus correct configs of
every shape; scripts/harness.py ran litellm 1.100.0's own start-up routine on each and
recorded what it did (tests/oracle/generated/litellm-1.100.0.jsonl). Here validate runs on
each, without litellm, and is judged as tests/oracle_replay.py says.

The cases validate does not agree with are listed in EXPLAINED, each with the reason; a
listed case that starts agreeing fails the test too, so the list only ever shrinks.
"""
from __future__ import annotations

import collections
from pathlib import Path

import oracle_replay
import pytest

from generator.validate.registry import RULES

ROOT = Path(__file__).resolve().parent.parent

_NESTED = "a value nested deeper than validate reads (inside a pydantic model litellm builds)"
# case id -> why validate cannot agree with what the recorded start-up did.
EXPLAINED: dict[str, str] = {
    "general-settings-value-role-permissions-2": _NESTED + " (RoleBasedPermissions.role)",
    "general-settings-value-plugins": _NESTED + " (PluginConfig)",
    "litellm-settings-value-default-internal-user-params": _NESTED + " (max_budget)",
    "router-settings-value-retry-policy-4": _NESTED + " (RetryPolicy)",
    "router-settings-value-provider-budget-config-2": _NESTED + " (a provider's budget)",
    "litellm-params-provider-ragflow": "a provider-specific model format "
                                       "(ragflow/<kind>/<model>) validate does not know",
    "litellm-settings-module-installed-module-callbacks":
        "an attribute of an installed module (os.path): validate reads the modules beside "
        "the config, it does not import the proxy's environment",
    "litellm-settings-module-installed-module-callbacks-2":
        "an attribute of an installed module (os.path): validate reads the modules beside "
        "the config, it does not import the proxy's environment",
    "router-settings-value-plugins": "router_settings.plugins entries must be routing-plugin "
                                     "objects; validate checks the module and the name, not "
                                     "the object's class",
}

# Rules the recorded runs cannot back: --with-proxy reports what a real proxy did (backed by
# tests/test_validate.py's run of it); hygiene rules say nothing about what the proxy does;
# the supply-chain rules are about what runs as the proxy, backed by published reports
# (generator/releases/supply_chain.py) and held to pins of every kind by tests/test_releases.py.
UNBACKED = {"proxy-start", "proxy-dropped", "compromised-release", "floating-image-tag"}


@pytest.fixture(scope="module")
def verdicts(generated_verdicts) -> list[oracle_replay.Verdict]:
    return generated_verdicts


@pytest.fixture(scope="module")
def all_verdicts(verdicts) -> list[oracle_replay.Verdict]:
    return verdicts + oracle_replay.replay(oracle_replay.folder_cases())


def test_the_recorded_cases_cover_the_surface(verdicts) -> None:
    cases = [v.case for v in verdicts]
    assert len(cases) >= 3000
    sections = collections.Counter(c.section for c in cases)
    for section in ("top_level", "general_settings", "litellm_settings", "router_settings",
                    "litellm_params", "model_info", "model_list", "guardrails", "include",
                    "environment_variables", "yaml"):
        assert sections[section] >= 10, (section, sections[section])
    outcomes = collections.Counter(c.outcome.started for c in cases)
    assert outcomes[False] >= 200 and outcomes[True] >= 2000 and not outcomes[None]
    assert {c.outcome.release for c in cases} == {"1.100.0"}


def test_validate_agrees_with_every_generated_case(verdicts) -> None:
    wrong = {v.case.id: v for v in verdicts if v.problems}
    unexplained = sorted(set(wrong) - set(EXPLAINED))
    shown = "\n".join(f"{i} ({wrong[i].case.about}): {wrong[i].problems[0]}"
                      for i in unexplained[:40])
    assert not unexplained, f"{len(unexplained)} cases disagree:\n{shown}"
    stale = sorted(set(EXPLAINED) - set(wrong))
    assert not stale, f"these now agree: remove them from EXPLAINED: {stale}"


def test_every_rule_that_says_what_the_proxy_does_has_a_recorded_case(
        all_verdicts, release_verdicts, realistic_verdicts) -> None:
    """On some recorded release: master-key-refused fires where the proxy checks the key.
    The realistic whole configs (tests/oracle/realistic/) back rules too."""
    backing = oracle_replay.rule_backing(
        all_verdicts + [v for verdicts in release_verdicts.values() for v in verdicts]
        + [v for verdicts in realistic_verdicts.values() for v in verdicts])
    missing = sorted(name for name, rule in RULES.items()
                     if rule.effect != "hygiene" and name not in UNBACKED
                     and backing.get(name, (0, 0))[1] == 0)
    assert not missing, f"rules with no recorded case where they fire and the proxy agrees: " \
                        f"{missing}"


def test_the_readme_gives_the_agreement_this_test_computes(all_verdicts) -> None:
    readme = (ROOT / "docs" / "evidence.md").read_text(encoding="utf-8")
    block = oracle_replay.render_agreement(all_verdicts)
    assert block in readme, "run `python scripts/oracle_report.py` to refresh docs/evidence.md"
