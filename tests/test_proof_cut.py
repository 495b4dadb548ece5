"""The proof of a large file, read from its cut: it stands on its own, and is not fooled.

A text over 64 KiB is proven from a cut before the first edit (generator/merge/prove.py): the
tails after the cut are loaded under a header that reopens the nesting. When the tail
cannot stand on its own, the proof falls back to the whole texts, so the verdict is the
same either way; that fallback also hides a cut that never works, which would make every
large merge load its texts twice. These tests hold both halves: the cut alone proves the
true merge of each shape it is meant for, and a change before the cut is caught even when
the plan names a first edit past it.
"""
from __future__ import annotations

import pytest
from test_proof import ENTRY, LARGE, LARGE_SHAPES, PRESETS

import generator.merge.prove as prove_module
from generator.merge.block import MARKERS
from generator.merge.plan import MergeOptions, plan_merge, prove_merge
from generator.merge.prove import Change, ProofFailed
from generator.merge.scan import scan_config

ALIASED = "x-defaults: &defaults\n  num_retries: 3\n"
SHAPES = {
    **LARGE_SHAPES,
    # The operator's whisper-1 stands before the cut: the second run on the tail must still
    # count it as a conflict, or it would add the preset the first run skipped.
    "conflict-before-the-cut": LARGE.replace("- model_name: m1\n", "- model_name: whisper-1\n"),
    # An alias after the cut of an anchor in a top-level section before it: the header
    # brings that section along.
    "alias-after-the-cut-of-a-section-above": ALIASED + LARGE.replace(
        "- model_name: m898\n    litellm_params:\n",
        "- model_name: m898\n    litellm_params:\n      <<: *defaults\n"),
    # The first entry is laid out apart from the others (its keys 4 columns after the
    # dash): new entries follow the first one, which the tail does not hold.
    "first-entry-laid-out-apart": LARGE.replace(
        "  - model_name: m0\n    litellm_params:\n      model: ollama/m0\n      rpm: 1\n",
        "  -   model_name: m0\n      litellm_params:\n        model: ollama/m0\n        rpm: 1\n"),
    # Flow entries first: the indentation step comes from the first block entry, late.
    "flow-entries-first": LARGE.replace("".join(ENTRY.format(name=f"m{i}") for i in range(800)),
                                        "".join(f"  - {{model_name: m{i}, litellm_params: "
                                                f"{{model: ollama/m{i}, rpm: 1}}}}\n"
                                                for i in range(800))),
}
WHOLE_BY_DESIGN = {"alias-below-of-an-entry-above"}  # an anchor in model_list: not separable


def cut_proofs(monkeypatch) -> list[tuple[int, str]]:
    """Record each proof the merge runs: (where it cut, "ok" or the refusal)."""
    calls: list[tuple[int, str]] = []
    real = prove_module._prove_from

    def recorded(cut, *args):
        try:
            real(cut, *args)
        except Exception as exc:
            calls.append((cut, str(exc)))
            raise
        calls.append((cut, "ok"))
    monkeypatch.setattr(prove_module, "_prove_from", recorded)
    return calls


@pytest.mark.parametrize("shape", SHAPES)
def test_the_tail_alone_proves_a_large_merge(shape: str, monkeypatch) -> None:
    text = SHAPES[shape]
    key_path = ("proxy_config",) if shape == "helm-values" else ()
    policy = "replace" if shape.startswith("replace") else "skip"
    calls = cut_proofs(monkeypatch)
    plan = plan_merge(text, PRESETS, MergeOptions(key_path=key_path, on_conflict=policy,
                                                  whole_proof_limit=0))
    assert plan.changed
    if shape in WHOLE_BY_DESIGN:  # proven whole at once, not after a failed cut
        assert calls == [(0, "ok")], calls
        return
    assert len(calls) == 1 and calls[0][0] > 0 and calls[0][1] == "ok", calls
    # The cut is late: the proof read a small part of the text.
    assert len(text) - calls[0][0] < 8 * 1024, calls


def test_a_change_before_the_cut_is_caught_when_the_plan_names_a_later_first_edit() -> None:
    """The forged text changes an operator entry near the top and keeps the length, so
    every later offset still lines up; the plan claims its first edit is where the block
    goes. The cut must lie in the prefix both texts share, or the change is never read."""
    plan = plan_merge(LARGE, PRESETS)
    first_edit = min(start for start, _, _ in plan.files[-1].edits)
    victim = ENTRY.format(name="m2")
    forged = plan.text.replace(victim, victim.replace("ollama/m2", "ollama/x2"), 1)
    assert len(forged) == len(plan.text) and forged.index("ollama/x2") < first_edit
    scan = scan_config(LARGE, (), MARKERS)
    with pytest.raises(ProofFailed, match="exactly your data"):
        prove_merge(Change(LARGE, forged, first_edit), scan, plan, PRESETS, MergeOptions())


def test_the_tail_alone_proves_a_merge_with_a_hidden_name_before_the_cut(monkeypatch) -> None:
    text = ("x-stt: &stt\n  model_name: whisper-1\n  litellm_params:\n    model: openai/whisper-1\n"
            + LARGE.replace("  - model_name: m3\n", "  - <<: *stt\n  - model_name: m3\n"))
    calls = cut_proofs(monkeypatch)
    plan = plan_merge(text, PRESETS, MergeOptions(whole_proof_limit=0))
    assert "whisper-1" not in [a.name for a in plan.actions if a.kind == "added"]
    assert len(calls) == 1 and calls[0][0] > 0 and calls[0][1] == "ok", calls
