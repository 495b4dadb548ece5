"""places: what a finding's position is about, for the summary's names.

A large file is read only around the positions asked about (its top-level section, or
the one model_list entry); that must name the same things as a walk of the whole file,
or fewer (a layout it cannot slice), never different ones.
"""
from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from generator.places import Place, places_at
from generator.validate_files import validate_file

CASES = Path(__file__).parent / "oracle" / "validate" / "cases"
CONFIG = """\
model_list:
  - model_name: a
    litellm_params:
      model: x
      rpm: many
  - {model_name: b, litellm_params: {model: y}}
  - model_name: c   # a comment
    litellm_params:
      model: &m z
      timeout: *undefined_elsewhere

general_settings:
  foo: 1
router_settings:
  fallbacks:
    - llama3: [llama3.1]
"""


@pytest.mark.parametrize("whole_file_bytes", [10 ** 9, 0], ids=["whole", "sliced"])
def test_keys_and_entries_are_named(whole_file_bytes: int) -> None:
    found = places_at(CONFIG, [(5, 7), (5, 12), (6, 38), (10, 16), (13, 3), (16, 16), (1, 1)],
                      whole_file_bytes=whole_file_bytes)
    assert found == {
        (5, 7): Place("litellm_params.rpm", (2, "a")),
        (5, 12): Place("litellm_params.rpm", (2, "a")),
        (6, 38): Place("litellm_params.model", (6, "b")),
        (10, 16): Place("litellm_params.timeout", (7, "c")),
        (13, 3): Place("general_settings.foo", None),
        (16, 16): Place("router_settings.fallbacks.llama3", None),
        (1, 1): Place("model_list", None)}


def test_a_nested_config_and_a_line_shift() -> None:
    values = ("replicaCount: 1\nproxy_config:\n  model_list:\n    - model_name: a\n"
              "      litellm_params: {model: x, rpm: many}\n  general_settings:\n    foo: 1\n")
    found = places_at(values, [(15, 39), (17, 5), (11, 1)], line_shift=10,
                      key_path=("proxy_config",))
    assert found == {(15, 39): Place("litellm_params.rpm", (14, "a")),
                     (17, 5): Place("general_settings.foo", None), (11, 1): Place()}


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_slices_name_what_the_whole_file_names_or_less(case: str) -> None:
    config = CASES / case / "config.yaml"
    text = config.read_text(encoding="utf-8-sig")
    positions = {(f.line, f.column) for f in validate_file(
        config, env={"LITELLM_MASTER_KEY": "x"}, today=datetime.date(2025, 9, 1))}
    positions |= {(line, 1) for line in range(1, text.count("\n") + 2)}
    whole = places_at(text, positions)
    sliced = places_at(text, positions, whole_file_bytes=0)
    for position in positions:
        a, b = whole[position], sliced[position]
        assert b.key in (a.key, None) and b.entry in (a.entry, None), (position, a, b)
