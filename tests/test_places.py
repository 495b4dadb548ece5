"""places: what a finding's position is about, for the summary's names.

One walk of the file names every position asked about; entries are told apart by
position, not by line, so a JSON config on one line names each entry.
"""
from __future__ import annotations

from generator.boundary.places import Place, places_at

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


def test_keys_and_entries_are_named() -> None:
    found = places_at(CONFIG, [(5, 7), (5, 12), (6, 38), (10, 16), (13, 3), (16, 16), (1, 1)])
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


def test_entries_on_one_line_are_told_apart_by_column() -> None:
    text = ('{"model_list": [{"model_name": "a", "litellm_params": {"model": "x"}}, '
            '{"model_name": "b", "litellm_params": {"model": "y"}}], "general_settings": {}}')
    first, second = text.index('"x"') + 1, text.index('"y"') + 1
    found = places_at(text, [(1, first), (1, second), (1, text.index('"general') + 1)])
    assert found == {(1, first): Place("litellm_params.model", (1, "a")),
                     (1, second): Place("litellm_params.model", (1, "b")),
                     (1, text.index('"general') + 1): Place("general_settings", None)}


def test_an_entry_ends_where_its_mapping_does() -> None:
    """A position after an entry (a top-level key below model_list) is in no entry."""
    found = places_at(CONFIG, [(12, 1), (7, 1)])
    assert found == {(12, 1): Place("general_settings", None), (7, 1): Place()}
