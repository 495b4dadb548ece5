"""Every preset through each release's own start-up code, and validate's verdict beside it.

`python scripts/oracle.py presets VENV...` merged every preset set into the starter config
(`init`, then `merge --preset-set openai-seed --preset-set openai-current`) and ran the
release's start-up routine on it in-process (scripts/harness.py, as for the generated cases),
and on the same config without its custom_llm_provider lines:
tests/oracle/presets/litellm-RELEASE.json. Here, without litellm: the records are of what
the tool writes today, every release started and served every preset, and validate judging
by that release agrees.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml
from helpers import cli

from generator.releases.rules import known_releases, version_key
from generator.validate.registry import RULES

ROOT = Path(__file__).resolve().parent.parent
PRESETS = ROOT / "tests" / "oracle" / "presets"
RECORDS = {path.name[len("litellm-"):-len(".json")]: json.loads(path.read_text("utf-8"))
           for path in sorted(PRESETS.glob("litellm-*.json"))}


@pytest.fixture(scope="module")
def written_today() -> str:
    sys.path.insert(0, str(ROOT / "scripts"))
    import oracle

    return oracle.presets_config()


def test_the_base_and_the_newest_release_are_recorded() -> None:
    newest = max(known_releases(), key=version_key)
    assert {"1.100.0", newest} <= set(RECORDS), sorted(RECORDS)


@pytest.mark.parametrize("release", sorted(RECORDS, key=version_key))
def test_every_preset_starts_and_is_served(release: str, written_today: str) -> None:
    record = RECORDS[release]
    assert record["release"] == record["record"]["litellm"] == release
    assert record["config"] == written_today, (
        "the presets changed since they were recorded: run scripts/oracle.py presets again")
    names = [entry["model_name"] for entry in yaml.safe_load(record["config"])["model_list"]]
    assert len(names) == 10  # the starter's model and the nine presets
    assert record["record"]["started"] is True and record["record"]["open"] is False
    assert sorted(record["record"]["served"]) == sorted(names)
    # Without custom_llm_provider the router still holds them: model_info.litellm_provider
    # registers the model with the provider (as the README says).
    assert sorted(record["without_provider"]["served"]) == sorted(names)


@pytest.mark.parametrize("release", sorted(RECORDS, key=version_key))
def test_validate_agrees_with_the_recorded_start(release: str, tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(RECORDS[release]["config"], encoding="utf-8")
    env = {name: "sk-recorded-start-0123456789" for name in RECORDS[release]["env"]}
    run = cli("validate", str(config), "--litellm", release, "--format", "json", env=env)
    assert run.code == 0, run.stdout
    (doc,) = json.loads(run.stdout)["files"]
    assert doc["litellm"]["release"] == release and not doc["litellm"]["nearest"]
    assert doc["errors"] == 0 and doc["summary"][0] == "The proxy will start and serve every model."
    # A preset the proxy serves is never reported as dropped or ignored.
    assert [f["rule"] for f in doc["findings"]
            if RULES[f["rule"]].effect in ("drops", "no-start")] == []
