"""The proxy's own loader (generator/boundary/loader.py), the oracle of every proof, held to PyYAML's
pure-Python `yaml.safe_load`, which the proxy runs.

The scan asks the pure-Python loader about tabs on its own, so through the CLI a wrong
choice of parser here is hidden; these tests hand the loader the texts directly.
"""
from __future__ import annotations

import pytest
import yaml

from generator.boundary.errors import UserError
from generator.boundary.loader import ProxyDocument

# Tabs the pure-Python parser refuses and libyaml reads (the parsers' one disagreement).
REFUSED_TABS = {
    "after a plain value": ("retries: 2\t\nname: x\n", 1, 11),
    "inside a plain value": ("note: two\twords\n", 1, 10),
    "after a # glued to a plain value": ("url: http://h/#v1\tprimary\n", 1, 18),
    "between flow items": ("tags: [a,\tb]\n", 1, 10),
}
# Tabs both parsers read alike.
READ_TABS = {
    "in a comment": "# a\tcomment\nname: x  # and\there\n",
    "in a quoted value": "note: 'two\twords'\nother: \"a\tb\"\n",
    "opening a block scalar's line": "text: |\n  \tindented by a tab\n",
}


@pytest.mark.parametrize("shape", REFUSED_TABS)
def test_the_loader_refuses_the_tabs_the_proxy_refuses(shape: str) -> None:
    text, line, column = REFUSED_TABS[shape]
    with pytest.raises(yaml.YAMLError):
        yaml.load(text, Loader=yaml.SafeLoader)  # what the proxy does
    with pytest.raises(UserError) as caught:
        ProxyDocument(text).data
    assert (caught.value.line, caught.value.column) == (line, column)
    assert "a tab character where YAML needs spaces" in caught.value.message


@pytest.mark.parametrize("shape", READ_TABS)
def test_the_loader_reads_the_tabs_the_proxy_reads(shape: str) -> None:
    text = READ_TABS[shape]
    assert ProxyDocument(text).data == yaml.load(text, Loader=yaml.SafeLoader)


def test_an_error_of_the_pure_python_parser_never_quotes_the_line() -> None:
    """libyaml refuses the tab that opens the block scalar's line, so the pure-Python parser
    reads the text, and refuses the unclosed list further on. Its exception's text shows
    that line, value included; the message must not."""
    text = "text: |\n  \tindented by a tab\nnotes: [hunter2-in-a-list\nnext: 1\n"
    with pytest.raises(UserError) as caught:
        ProxyDocument(text).data
    assert caught.value.line is not None
    assert "hunter2" not in caught.value.message
