"""validate on configs the proxy loads in unusual ways: aliases reused, many findings.

Each case was found by crafting a file yaml.safe_load accepts and comparing what validate
said (and what it cost) with what the proxy builds. Costs are counted, never timed.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from helpers import cli

from generator.boundary import secrets

ENV = {"OPENAI_API_KEY": "sk-test", "LITELLM_MASTER_KEY": "sk-test-master"}
ENTRY = "model_list:\n  - model_name: a\n    litellm_params:\n      model: openai/gpt-4o\n"


def test_a_fallback_list_reused_by_alias_is_judged_once(tmp_path: Path) -> None:
    """60 fallbacks, each an alias of one list of 60 unknown names: the proxy builds one
    shared list; validate said each of its 60 names 60 times (3,600 lines; at 3,000 x
    3,000 it ran out of time and memory)."""
    names = ", ".join(f"m{i}" for i in range(60))
    config = tmp_path / "config.yaml"
    config.write_text(f"x-names: &names [{names}]\nrouter_settings:\n  fallbacks: ["
                      + ", ".join("{a: *names}" for _ in range(60)) + "]\n" + ENTRY)
    run = cli("validate", "--litellm", "1.100.0", config, env=ENV)
    assert run.stdout.count("[fallback-unknown-model]") == 60, run.stdout[-400:]
    assert f"{config}:1:18: warning: fallbacks names 'm0'" in run.stdout


def test_a_setting_anchored_once_and_used_twice_is_one_finding(tmp_path: Path) -> None:
    """A literal master key anchored in an ignored section and merged into
    general_settings (<<): one value in the file, one finding at its place (was two)."""
    config = tmp_path / "config.yaml"
    config.write_text("x-gs: &gs\n  master_key: sk-abcdefabcdef123\ngeneral_settings:\n"
                      "  <<: *gs\n" + ENTRY)
    run = cli("validate", "--litellm", "1.100.0", config, env=ENV)
    assert run.stdout.count("[literal-secret]") == 1, run.stdout
    assert f"{config}:2:15: warning: master_key holds a literal secret" in run.stdout
    assert "sk-abcdefabcdef123" not in run.stdout


def test_masking_many_findings_costs_the_findings_not_their_product(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """2,000 unknown keys that read as tokens (masked), each a finding that names its key:
    every message was masked against every key of the file, sorted anew per finding
    (20,000 keys took minutes)."""
    keys = 2000
    config = tmp_path / "config.yaml"
    config.write_text("general_settings:\n  master_key: os.environ/LITELLM_MASTER_KEY\n"
                      + "".join(f"  sk-x{i}: 1\n" for i in range(keys)) + ENTRY)
    sorted_items = []

    def counting_sorted(items, **kwargs):
        items = list(items)
        sorted_items.append(len(items))
        return sorted(items, **kwargs)

    monkeypatch.setattr(secrets, "sorted", counting_sorted, raising=False)
    run = cli("validate", "--litellm", "1.100.0", config, env=ENV)
    assert run.stdout.count("[unknown-key]") == keys
    assert "sk-x1999" not in run.stdout and "sk-x7" not in run.stdout
    assert sum(sorted_items) < 20 * keys, sum(sorted_items)  # was keys * keys


CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: litellm-config
data:
  config.yaml: |
    model_list:
      - model_name: a
        litellm_params:
          model: openai/gpt-4o
    general_settings:
      master_key: os.environ/LITELLM_MASTER_KEY
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: litellm
  annotations:
    {annotations}
spec:
  template:
    spec:
      volumes:
        - name: cfg
          configMap:
            name: litellm-config
      containers:
        - name: sql
          image: gcr.io/cloudsql-docker/gce-proxy:1.33
        - name: gateway
          image: mycorp/llm-gateway:2
          volumeMounts:
            - name: cfg
              mountPath: /app
          env:
            - name: LITELLM_MASTER_KEY
              valueFrom: {{secretKeyRef: {{name: litellm, key: master}}}}
"""


def test_the_container_that_mounts_the_config_is_the_proxys(tmp_path: Path) -> None:
    """A sidecar listed first in the pod mounts nothing: its (empty) env was judged as the
    proxy's, and the master key the gateway reads from a Secret was called unset."""
    manifest = tmp_path / "litellm.yaml"
    manifest.write_text(CONFIGMAP.format(annotations="team: ml"))
    run = cli("validate", "--isolated", "--litellm", "1.100.0", manifest, env={})
    assert run.code == 0, run.stdout
    assert "[master-key-unset]" not in run.stdout


def test_an_alias_bomb_in_a_manifest_is_read_once_for_its_images(tmp_path: Path) -> None:
    """The image pins of a manifest were looked for by walking every use of every alias:
    eleven levels of nine (3 * 10**10 uses) never finished."""
    levels = ["a0: &a0 {k: v}"] + [
        f"a{i}: &a{i} {{" + ", ".join(f"k{j}: *a{i - 1}" for j in range(9)) + "}"
        for i in range(1, 12)]
    manifest = tmp_path / "litellm.yaml"
    manifest.write_text(CONFIGMAP.format(annotations="\n    ".join(levels)))
    run = cli("validate", "--isolated", "--litellm", "1.100.0", manifest, env={})
    assert run.code == 0, run.stdout
    assert "1 error" not in run.stdout and "0 errors, 0 warnings" in run.stdout


@pytest.mark.parametrize("text", ["# the models come later\n", "~\n", "---\n# none yet\n...\n"])
def test_a_config_that_loads_to_nothing_is_the_empty_config_finding(tmp_path: Path,
                                                                     text: str) -> None:
    """yaml.safe_load gives None for a file of comments, `~` or an empty document, and the
    proxy stops: "Config cannot be None or Empty" (proxy_server.py, 1.100.0). validate said
    the file holds no LiteLLM config and checked nothing (exit 2), as for another app's."""
    config = tmp_path / "config.yaml"
    config.write_text(text)
    run = cli("validate", "--isolated", "--litellm", "1.100.0", config, env=ENV)
    assert run.code == 1, run.stdout + run.stderr
    assert f"{config}:1:1: error: the config is empty" in run.stdout
    assert "[empty-config]" in run.stdout


MERGES = """x-a: &a {model: openai/gpt-4o, n: 1}
x-b: &b {model: llama2, n: 2}
model_list:
  - model_name: list-a-b
    litellm_params:
      <<: [*a, *b]
  - model_name: list-b-a
    litellm_params:
      <<: [*b, *a]
  - model_name: own-key-wins
    litellm_params:
      model: openai/gpt-4o-mini
      <<: *b
  - model_name: two-merge-keys
    litellm_params:
      <<: *b
      <<: *a
  - model_name: one-anchor-twice
    litellm_params:
      <<: [*a, *b, *a]
"""


def test_merge_keys_resolve_as_the_proxys_loader_resolves_them(tmp_path: Path) -> None:
    """Which merged mapping wins is PyYAML's, not the YAML spec's: two `<<` keys, the later
    wins; in a list, the later on PyYAML 6.0.3+ (the proxy's 6.0.4), the first before. list
    and validate said the first won everywhere (a model the proxy does not run)."""
    import json

    import yaml

    config = tmp_path / "config.yaml"
    config.write_text(MERGES)
    loaded = yaml.safe_load(MERGES)["model_list"]  # what the proxy's loader builds here
    run = cli("list", "--format", "json", config)
    assert run.code == 0, run.stderr
    listed = {row["model_name"]: row["model"] for row in json.loads(run.stdout)}
    assert listed == {e["model_name"]: e["litellm_params"]["model"] for e in loaded}
    run = cli("validate", "--isolated", "--litellm", "1.100.0", config, env=ENV)
    dropped = {line.split("model '")[1].split("'")[0] for line in run.stdout.splitlines()
               if line.endswith("[unknown-provider]")}
    assert dropped == {e["model_name"] for e in loaded
                       if e["litellm_params"]["model"] == "llama2"}, run.stdout


def test_an_alias_bomb_under_a_billion_values_in_one_entry_is_refused(tmp_path: Path) -> None:
    """Nine levels of nine aliases (387,420,489 values) in one entry's litellm_params: the
    real proxy 1.100.0 gave no answer in 200 s (tests/oracle/validate/cases/
    h-alias-bomb-in-params); validate said nothing below its billion-value limit."""
    levels = ["  a0: &a0 {k: lol}"] + [
        f"  a{i}: &a{i} {{" + ", ".join(f"k{j}: *a{i - 1}" for j in range(9)) + "}"
        for i in range(1, 10)]
    config = tmp_path / "config.yaml"
    config.write_text("x:\n" + "\n".join(levels) + "\n" + ENTRY + "      extra: *a9\n")
    run = cli("validate", "--isolated", "--litellm", "1.100.0", config, env=ENV)
    assert run.code == 1, run.stdout
    assert run.stdout.count("[alias-expansion]") == 1
    assert f"{config}:11:7: error: the aliases here expand to more than" in run.stdout
