"""The proofs of the other texts a merge writes, handed wrong texts.

Besides the config (tests/test_proof.py), a merge proves the presets file of
--include-file (it loads to exactly the presets the report lists) and a Kubernetes
manifest (only the ConfigMap's block changed, the block holds the merged config, and a
second merge changes nothing). The merge itself writes these right, so each test forges
the text the proof is given, one broken guarantee at a time.
"""
from __future__ import annotations

import dataclasses

import pytest
from test_proof import PRESETS, SMALL, merged, prove_forged

import generator.merge.plan as merge_module
from generator.merge.manifest import _prove as prove_manifest
from generator.merge.manifest import check_editable, find_configs, plan_manifest_merge, select
from generator.merge.model import FileChange
from generator.merge.plan import MergeOptions, plan_include_merge
from generator.merge.prove import ProofFailed

MANIFEST = """apiVersion: v1
kind: ConfigMap
metadata:
  name: litellm-config
data:
  config.yaml: |
    model_list:
      - model_name: llama3
        litellm_params:
          model: ollama/llama3
      - model_name: phi3
        litellm_params:
          model: ollama/phi3
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: litellm
spec:
  replicas: 2
"""


def prove_forged_manifest(forged_manifest: str, forged_config: str | None = None) -> None:
    """Hand the manifest proof `forged_manifest` as if the merge had written it, and
    `forged_config` (default: the true one) as what the embedded merge produced."""
    options = MergeOptions(output="litellm.yaml")
    plan = plan_manifest_merge(MANIFEST, PRESETS, options)
    config = check_editable(MANIFEST, select(find_configs(MANIFEST), None))
    true_config = select(find_configs(plan.text), None).value
    forged = dataclasses.replace(plan, files=(FileChange("litellm.yaml", MANIFEST,
                                                         forged_manifest),))
    prove_manifest(MANIFEST, forged, config, forged_config or true_config, PRESETS, options)


def test_the_true_manifest_merge_is_proven() -> None:
    """The control: the forgeries below fail only by what each forges."""
    prove_forged_manifest(plan_manifest_merge(MANIFEST, PRESETS, MergeOptions()).text)


def test_a_manifest_changed_outside_its_block_is_refused() -> None:
    forged = plan_manifest_merge(MANIFEST, PRESETS, MergeOptions()).text.replace(
        "replicas: 2", "replicas: 3")
    with pytest.raises(ProofFailed, match="outside the config's block"):
        prove_forged_manifest(forged)


def test_a_block_that_does_not_hold_the_merged_config_is_refused() -> None:
    """An operator entry dropped inside the block: the manifest loads, the rest is equal,
    and a second merge would change nothing; only the block's own value tells."""
    forged = plan_manifest_merge(MANIFEST, PRESETS, MergeOptions()).text.replace(
        "      - model_name: phi3\n        litellm_params:\n          model: ollama/phi3\n", "")
    with pytest.raises(ProofFailed, match="would not hold the merged config"):
        prove_forged_manifest(forged)


def test_a_manifest_a_second_merge_would_change_is_refused() -> None:
    """The block holds what the embedded merge claims, but not as the merge writes it."""
    forged = plan_manifest_merge(MANIFEST, PRESETS, MergeOptions()).text.replace(
        "tags: [compat, openai-real, tts]", "tags: [compat,  openai-real, tts]", 1)
    claimed = select(find_configs(forged), None).value
    with pytest.raises(ProofFailed, match="again"):
        prove_forged_manifest(forged, claimed)


# -- the presets file of --include-file ----------------------------------------------------

CONFIG = "model_list:\n  - model_name: llama3\n    litellm_params:\n      model: ollama/llama3\n"


def test_the_true_presets_file_is_proven() -> None:
    plan = plan_include_merge(CONFIG, None, "presets.yaml", PRESETS)
    assert plan.files[0].after.count("- model_name:") == len(PRESETS)


@pytest.mark.parametrize("forge", ["drop-the-last-entry", "change-a-cost"])
def test_a_presets_file_without_exactly_the_presets_is_refused(forge: str, monkeypatch) -> None:
    """The block written into the presets file is forged after the report was made."""
    real_fence = merge_module._fence

    def forged_fence(items, layout, selection=""):
        if forge == "drop-the-last-entry":
            return real_fence(items[:-1], layout, selection)
        return real_fence(items, layout, selection).replace("0.000015", "0.000016")
    monkeypatch.setattr(merge_module, "_fence", forged_fence)
    with pytest.raises(ProofFailed, match="presets file would not hold exactly the presets"):
        plan_include_merge(CONFIG, None, "presets.yaml", PRESETS)


# -- strict comparison: a set's members keep their types -----------------------------------

def test_a_set_member_changing_type_is_refused() -> None:
    """`!!set {1}` and `!!set {true}` are equal sets to Python (1 == True), not to the proxy."""
    text = SMALL + "x-ids: !!set {1: null}\n"
    plan, _ = merged(text)
    forged = plan.text.replace("x-ids: !!set {1: null}", "x-ids: !!set {true: null}")
    assert forged != plan.text
    with pytest.raises(ProofFailed, match="exactly your data"):
        prove_forged(text, forged)
