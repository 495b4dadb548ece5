"""Property: on generated configs, merging keeps the data and text, and is idempotent."""
from __future__ import annotations

import os

import yaml
from configgen import configs
from helpers import only_added_lines, seed_entry
from hypothesis import HealthCheck, given, settings

from generator.boundary.files import decode_config
from generator.merge.plan import plan_merge

EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "150"))


def seed_presets():
    from generator.presets.choice import selected_presets
    return selected_presets(None, None, None, None, "OPENAI_API_KEY")


PRESETS = seed_presets()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(configs())
def test_merge_keeps_data_text_and_is_idempotent(raw: bytes) -> None:
    source = decode_config(raw, "generated.yaml")
    before = yaml.safe_load(source.text)
    plan = plan_merge(source.text, PRESETS)
    out = source.encode(plan.text)
    after = yaml.safe_load(plan.text)

    theirs = list(before.get("model_list") or [])
    taken = {e["model_name"] for e in theirs}
    added = [seed_entry(p.name) for p in PRESETS if p.model_name not in taken]
    assert after["model_list"] == theirs + added
    assert {k: v for k, v in after.items() if k != "model_list"} == \
        {k: v for k, v in before.items() if k != "model_list"}

    lost = only_added_lines(raw, out)
    assert all(line.split("#")[0].strip() == "model_list: []" for line in lost), lost
    assert out.startswith(b"\xef\xbb\xbf") == raw.startswith(b"\xef\xbb\xbf")
    if b"\r\n" in raw:
        assert out.count(b"\n") == out.count(b"\r\n")
    assert out.endswith(b"\n") == raw.endswith(b"\n")

    again = plan_merge(plan.text, PRESETS)
    assert not again.changed and again.text == plan.text
    assert {a.kind for a in again.actions} <= {"unchanged", "skipped"}

    # Removing every preset gives the operator's data back.
    emptied = yaml.safe_load(plan_merge(plan.text, []).text)
    assert (emptied.get("model_list") or []) == theirs
