"""marked.py builds, from parser events, the data yaml.safe_load builds (and its marks).

validate reads every value through this tree instead of the proxy's loader, so the
two must agree: on hand-picked constructs where a shortcut could go wrong (octal,
booleans as keys, merge keys, aliases, duplicates, tags) and on generated configs.
"""
from __future__ import annotations

import os

import pytest
import yaml
from configgen import configs
from hypothesis import HealthCheck, given, settings

from generator.boundary import marked

CASES = {
    "numbers": "a: [0, 7, 012, 0o17, 0x1F, 1_000, 99999999999999999999, -5, +5, 1.5, .inf, 1e3]\n",
    "odd keys": "yes: 1\nNo: 2\non: 3\nnull: 4\n~: 5\n1: 6\n'1': 7\n2001-01-01: 8\n",
    "strings that look like others": "a: [true, 'true', \"012\", y, n, ~, '', 2024-02-30x]\n",
    "merge keys": "d: &d {a: 1, b: 2}\ne: &e {b: 3, c: 4}\nx:\n  <<: [*d, *e]\n  a: 9\n",
    "merge one": "base: &b\n  k: v\nitem:\n  <<: *b\n  z: 1\n",
    "aliases": "a: &x [1, 2]\nb: *x\nc: &s text\nd: *s\n",
    "duplicates keep the last": "a: 1\nb: 2\na: 3\n",
    "tags": "a: !!str 12\nb: !!int '7'\nc: !!float '1'\nd: !!binary aGk=\ne: !!set {x, y}\n",
    "timestamps": "a: 2024-01-02\nb: 2024-01-02T03:04:05Z\n",
    "nested": "model_list:\n  - model_name: a\n    litellm_params: {model: ollama/a, rpm: 5}\n",
    "tab": "a: \"x\ty\"\nb: |\n  c\td\n",  # tabs inside scalars: the pure parser runs
    "tab in a comment": "# a\tb\na: 1  #\tnote\nb: '#\t'\n",
    "pairs": "o: !!omap [{a: 1}, {b: 2}]\np: !!pairs [{a: 1}, {a: 2}]\n",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_tree_holds_what_safe_load_builds(name: str) -> None:
    text = CASES[name]
    assert marked.data_of(marked.parse(text).root) == yaml.safe_load(text)


def test_entries_streamed_to_a_callback_are_all_seen_and_not_kept() -> None:
    text = CASES["nested"] + "  - model_name: b\n    litellm_params: {model: ollama/b}\n"
    seen = []
    document = marked.parse(text, seen.append)
    assert [marked.data_of(e)["model_name"] for e in seen] == ["a", "b"]
    assert marked.where(seen[1]) == (4, 5)
    assert document.root.get("model_list").items == []


def test_duplicates_are_listed_with_the_first_line() -> None:
    (dup,) = marked.parse(CASES["duplicates keep the last"]).duplicates
    assert (dup.key.value, dup.first_line, marked.where(dup.key)) == ("a", 1, (3, 1))


@pytest.mark.parametrize("text, error", [
    ("a: !!python/name:os.system x\n", marked.TagError),
    ("a: *nowhere\n", marked.BuildError),
    ("a: 1\n---\nb: 2\n", marked.BuildError),
    ("? [1, 2]\n: x\n", marked.BuildError),
    ("x:\n  <<: [1]\n", marked.BuildError),
    ("a: [\n", yaml.YAMLError),
    ("a:\tb\n", yaml.YAMLError),  # libyaml accepts this tab; the proxy's loader does not
])
def test_what_the_loader_refuses_is_refused(text: str, error: type) -> None:
    with pytest.raises(error):
        marked.data_of(marked.parse(text).root)
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load(text)


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(configs())
def test_generated_configs_load_the_same(raw: bytes) -> None:
    text = raw.decode("utf-8-sig")
    try:
        expected = yaml.safe_load(text)
    except yaml.YAMLError:
        return
    assert marked.data_of(marked.parse(text).root) == expected
