"""The proof handed wrong texts: each guarantee it gives fails here when it is broken.

plan_merge proves every text it returns (generator/merge/prove.py). These tests forge the text
a merge would write, one broken guarantee at a time, and hand it to the same proof
(`prove_merge`, which plan_merge calls), on a small config (proven whole) and on a large
one (proven from the cut before the first edit). The forger also lies about where the
first edit is: the proof must not trust the plan for anything but what its report says.
"""
from __future__ import annotations

import pytest

from generator.boundary.errors import UserError
from generator.merge.block import MARKERS, begin_line
from generator.merge.plan import MergeOptions, plan_merge, prove_merge
from generator.merge.prove import Change, Expected, ProofFailed, prove
from generator.merge.scan import scan_config
from generator.presets.choice import selected_presets

PRESETS = selected_presets([], None, [], [], "OPENAI_API_KEY")
ENTRY = ("  - model_name: {name}\n    litellm_params:\n      model: ollama/{name}\n"
         "      rpm: 1\n")
SETTINGS = "litellm_settings:\n  drop_params: true\n  num_retries: 2\n"


def config(entries: int) -> str:
    return ("general_settings:\n  master_key: os.environ/LITELLM_MASTER_KEY\nmodel_list:\n" +
            "".join(ENTRY.format(name=f"m{i}") for i in range(entries)) + SETTINGS)


SMALL, LARGE = config(3), config(900)  # 3 entries: well under 64 KiB; 900: well over
SIZES = {"whole": SMALL, "from-the-cut": LARGE}


def merged(text: str, **options):
    opts = MergeOptions(**options)
    plan = plan_merge(text, PRESETS, opts)
    return plan, opts


def prove_forged(text: str, forged: str, **options) -> None:
    """Hand `forged` to the proof as if the merge had produced it, lying that the first
    edit is at the very end (the proof must find the shared prefix itself)."""
    plan, opts = merged(text, **options)
    scan = scan_config(text, opts.key_path, MARKERS)
    prove_merge(Change(text, forged, len(text)), scan, plan, PRESETS, opts)


@pytest.mark.parametrize("size", SIZES)
def test_the_true_merge_is_proven(size: str) -> None:
    """The control: the texts below fail only by what each forges."""
    text = SIZES[size]
    plan, _ = merged(text)
    prove_forged(text, plan.text)


@pytest.mark.parametrize("size", SIZES)
def test_an_operator_entry_dropped_is_refused(size: str) -> None:
    text = SIZES[size]
    plan, _ = merged(text)
    victim = ENTRY.format(name="m2")
    with pytest.raises(ProofFailed, match="exactly your data"):
        prove_forged(text, plan.text.replace(victim, "", 1))


@pytest.mark.parametrize("size", SIZES)
def test_an_entry_added_is_refused(size: str) -> None:
    text = SIZES[size]
    plan, _ = merged(text)
    extra = ENTRY.format(name="intruder")
    forged = plan.text.replace("  # END litellm-gen presets\n",
                               "  # END litellm-gen presets\n" + extra, 1)
    with pytest.raises(ProofFailed, match="exactly your data"):
        prove_forged(text, forged)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("change", [
    ("drop_params: true", "drop_params: false"),     # a value
    ("num_retries: 2", "num_retries: 2.0"),          # a type only (2 == 2.0 in Python)
    ("num_retries: 2", "num_retries: 2\n  timeout: 5"),  # a key added
    ("  drop_params: true\n  num_retries: 2\n", "  num_retries: 2\n  drop_params: true\n"),
])
def test_data_outside_model_list_changed_is_refused(size: str, change) -> None:
    text = SIZES[size]
    plan, _ = merged(text)
    with pytest.raises(ProofFailed, match="exactly your data"):
        prove_forged(text, plan.text.replace(*change, 1))


@pytest.mark.parametrize("size", SIZES)
def test_a_preset_other_than_the_reported_one_is_refused(size: str) -> None:
    text = SIZES[size]
    plan, _ = merged(text)
    with pytest.raises(ProofFailed, match="exactly your data"):
        prove_forged(text, plan.text.replace("input_cost_per_character: 0.000015",
                                             "input_cost_per_character: 0.000016", 1))


@pytest.mark.parametrize("size", SIZES)
def test_a_text_a_second_merge_would_change_is_refused(size: str) -> None:
    """The data is right, but the block is not written as the merge writes it: the next
    merge would rewrite it."""
    text = SIZES[size]
    plan, _ = merged(text)
    forged = plan.text.replace("tags: [compat, openai-real, tts]", "tags: [compat,  openai-real, tts]", 1)
    assert forged != plan.text
    with pytest.raises(ProofFailed, match="again"):
        prove_forged(text, forged)


@pytest.mark.parametrize("size", SIZES)
def test_a_text_the_proxy_cannot_load_is_refused(size: str) -> None:
    text = SIZES[size]
    plan, _ = merged(text)
    with pytest.raises(ProofFailed, match="would not load"):
        prove_forged(text, plan.text.replace("num_retries: 2", "num_retries: !!int two", 1))


@pytest.mark.parametrize("size", SIZES)
def test_reversed_markers_do_not_make_an_operator_entry_the_tools(size: str) -> None:
    """END before BEGIN is not a fence: the entry between them is the operator's, and a
    merge that drops it is refused (the plan refuses such markers; the proof does not rely
    on that)."""
    text = SIZES[size]
    victim = ENTRY.format(name="victim")
    before = text.replace("litellm_settings:", "  # END litellm-gen presets\n" + victim +
                          "  " + begin_line() + "\nlitellm_settings:", 1)
    plan, _ = merged(text)
    after = plan.text  # the victim and the stray markers gone, the presets appended
    scan = scan_config(before, (), MARKERS)
    expected = Expected(tuple(p.data for p in PRESETS))
    with pytest.raises(ProofFailed, match="exactly your data"):
        prove(Change(before, after, 0), scan, (), MARKERS, expected,
              lambda t, s, p: t, whole_limit=0 if size == "from-the-cut" else 10**9)


def test_the_proof_refuses_an_input_the_proxy_cannot_load_with_no_value_shown() -> None:
    text = SMALL.replace("num_retries: 2", "num_retries: !!int secret-looking-value")
    with pytest.raises(UserError) as caught:
        plan_merge(text, PRESETS)
    assert caught.value.line == 18 and "secret-looking-value" not in str(caught.value)


# -- the cut: a large file is proven from it, with the same verdict as a whole proof -------

LARGE_SHAPES = {
    "plain": LARGE,
    "crlf": LARGE.replace("\n", "\r\n"),
    "anchor-above-and-merge-key-below": "x-defaults: &defaults\n  num_retries: 3\n" +
        LARGE.replace("litellm_settings:\n", "litellm_settings:\n  <<: *defaults\n"),
    "alias-below-of-an-entry-above": LARGE.replace("- model_name: m1\n", "- &first model_name: m1\n"
                                                   ).replace("litellm_settings:\n",
                                                             "x-copy: *first\nlitellm_settings:\n"),
    "tab-in-a-comment": LARGE.replace("litellm_settings:", "# a\ttab\nlitellm_settings:"),
    "helm-values": "image:\n  tag: main-v1.100.0\nproxy_config:\n" + "".join(
        "  " + line + "\n" if line else "\n" for line in LARGE.split("\n")[:-1]),
    "existing-block": plan_merge(LARGE, PRESETS[:2]).text,
    "replace-near-the-end": LARGE.replace("- model_name: m898\n", "- model_name: tts-1\n"),
}


@pytest.mark.parametrize("shape", LARGE_SHAPES)
def test_a_large_file_gets_the_same_result_from_the_cut(shape: str) -> None:
    text = LARGE_SHAPES[shape]
    key_path = ("proxy_config",) if shape == "helm-values" else ()
    policy = "replace" if shape.startswith("replace") else "skip"
    whole = plan_merge(text, PRESETS, MergeOptions(key_path=key_path, on_conflict=policy,
                                                   whole_proof_limit=10**9))
    cut = plan_merge(text, PRESETS, MergeOptions(key_path=key_path, on_conflict=policy,
                                                 whole_proof_limit=0))
    assert cut.text == whole.text and cut.actions == whole.actions
    assert len(text) > 64 * 1024


def test_a_forged_tail_is_caught_even_when_the_cut_falls_late() -> None:
    """The forged change lies after the cut the plan's first edit would allow."""
    plan, _ = merged(LARGE)
    forged = plan.text.replace("num_retries: 2", "num_retries: 3", 1)
    with pytest.raises(ProofFailed):
        prove_forged(LARGE, forged)
