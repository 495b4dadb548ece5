"""validate's cost grows with the file and its findings, never with their product.

Speed itself is measured by `make bench` (the two-findings-per-entry rows); here the
work is counted: where the findings are is read in one walk of the file, however many
findings it has, and an alias is counted, not expanded.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from helpers import cli

from generator.boundary import marked, places

ENV = {"OPENAI_API_KEY": "sk-test", "LITELLM_MASTER_KEY": "sk-test-master"}


def two_findings_per_entry(entries: int) -> str:
    """Each entry: a model without its provider (dropped) and a misspelled api_base."""
    lines = ["general_settings:", "  master_key: os.environ/LITELLM_MASTER_KEY", "",
             "model_list:"]
    for i in range(entries):
        lines += [f"  - model_name: m{i}", "    litellm_params:", "      model: llama2",
                  f"      api_baes: http://node-{i}.internal:11434"]
    return "\n".join(lines) + "\n"


def test_a_large_file_is_walked_once_for_all_its_findings(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(two_findings_per_entry(1500))
    assert config.stat().st_size > 64 * 1024  # where the walk once went section by section
    walks = []
    real_walk = places._walk
    monkeypatch.setattr(places, "_walk", lambda *a, **k: walks.append(1) or real_walk(*a, **k))
    run = cli("validate", "--litellm", "1.100.0", config, env=ENV)
    assert run.code == 1 and run.stdout.count("[unknown-provider]") == 1500
    assert run.stdout.count("[unknown-param]") == 1500
    assert "It drops 1500 models: 'm0', 'm1'" in run.stdout
    assert len(walks) == 1


def test_aliases_are_counted_once_each_not_expanded() -> None:
    """Ten levels of nine aliases each: 9**10 values to the proxy's walk, ~100 nodes here."""
    lines = ["a0: &a0 {" + ", ".join(f"k{j}: v" for j in range(9)) + "}"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} {{" + ", ".join(f"k{j}: *a{i - 1}" for j in range(9)) + "}")
    root = marked.parse("\n".join(lines) + "\n").root
    memo: dict = {}
    # 9 values in a0; each level above: 9 keys, each value walked again.
    assert marked.walked_values(root.get("a9"), memo, 10 ** 12) == sum(9 ** k for k in
                                                                      range(1, 11))
    assert len(memo) == 10  # one count per mapping, however often it is used
    built = marked.data_of(root)
    assert built["a9"]["k0"] is built["a9"]["k1"]  # shared, as yaml.safe_load builds it


def test_one_finding_per_alias_bomb_however_often_it_is_used(tmp_path: Path) -> None:
    lines = ["x-bomb:", "  a0: &a0 {" + ", ".join(f"k{j}: v" for j in range(9)) + "}"]
    for i in range(1, 10):
        lines.append(f"  a{i}: &a{i} {{" + ", ".join(f"k{j}: *a{i - 1}" for j in range(9))
                     + "}")
    lines += ["general_settings:", "  extra: *a9", "model_list:"]
    for name in ("a", "b"):
        lines += [f"  - model_name: {name}", "    litellm_params: {model: openai/x, extra: *a9}"]
    config = tmp_path / "config.yaml"
    config.write_text("\n".join(lines) + "\n")
    run = cli("validate", "--litellm", "1.100.0", config, env=ENV)
    assert run.code == 1 and run.stdout.count("[alias-expansion]") == 1, run.stdout
    assert f"{config}:11:7: error:" in run.stdout  # a9: where the expansion passes a billion
