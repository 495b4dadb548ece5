"""Secret shapes tests/test_masking.py does not reach, each where an output shows it.

The YAML-aware policy (secrets.mask_config_text) reads a config's keys as the proxy's
loader does; a text that does not parse as YAML (an output file broken by hand, which
`merge --check` and `--diff` still diff against) falls back to the line-based policy
(secrets.mask_text), which must cover the same shapes: block scalars, a value on the
lines below its key, a quoted value over several lines.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from helpers import cli
from test_masking import ENTRY, SECRET, assert_hidden

JWT_PART = "bGVha21lNTI"  # what must not be shown of the token (base64url of "leakme52")
# Each shape stands right after model_list, so a first merge's diff shows it among its
# context lines (as in test_masking.py).
SHAPES = {
    "two-word-spelling": f"x-tls:\n  ssl_pass_phrase: {SECRET}50\n",
    "camel-two-words": f"x-ui:\n  adminPassWord: {SECRET}51\n",
    # A JWT has dots like a module path (auth.handler), which is shown; this one has no
    # `-` or `_`, as base64url allows, so it has a module path's very shape.
    "jwt": f"x-auth:\n  auth_token: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ{JWT_PART}.c2lnbmF0dXJl\n",
}


@pytest.fixture
def here(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("shape", SHAPES)
def test_a_diff_never_shows_these_secrets(here: Path, shape: str) -> None:
    (here / "config.yaml").write_text(ENTRY + SHAPES[shape])
    run = cli("merge", "config.yaml", "-o", "out.yaml", "--diff")
    assert run.code == 0, run.stderr
    assert SHAPES[shape].split(":")[0] in run.stdout  # among the context lines
    assert_hidden(shape, run.stdout, run.stderr)
    assert JWT_PART not in run.stdout + run.stderr


# An output broken by hand: `[` never closed, so the text is not YAML at all.
BROKEN_OUTPUT = f"""model_list: [
general_settings:
  master_key: {SECRET}60
x-vertex:
  vertex_credentials: |
    -----BEGIN PRIVATE KEY-----
    {SECRET}61
    -----END PRIVATE KEY-----
x-below:
  api_key: {''}
    {SECRET}62
x-quoted:
  auth_token: "{SECRET}63
    {SECRET}64"
x-public:
  model_name: eu-west-visible
"""


@pytest.mark.parametrize("args", [["--diff"], ["--check"], ["--check", "--format", "json"]])
def test_a_diff_from_an_output_that_is_not_yaml_never_shows_a_secret(here: Path, args) -> None:
    (here / "config.yaml").write_text(ENTRY)
    (here / "out.yaml").write_text(BROKEN_OUTPUT)
    run = cli("merge", "config.yaml", "-o", "out.yaml", *args)
    assert run.code == (1 if "--check" in args else 0), run.stderr
    assert "vertex_credentials" in run.stdout and "auth_token" in run.stdout  # the old lines
    assert_hidden("broken output", run.stdout, run.stderr)
    # The masking stops where the secret ends: what follows stays readable.
    assert "eu-west-visible" in run.stdout
    assert (here / "out.yaml").read_text() == BROKEN_OUTPUT


def test_a_secret_below_its_key_in_an_output_that_is_not_yaml_is_never_shown(here: Path) -> None:
    (here / "config.yaml").write_text(ENTRY)
    (here / "out.yaml").write_text(f"model_list: [\nx-below:\n  api_key:\n    {SECRET}65\n")
    run = cli("merge", "config.yaml", "-o", "out.yaml", "--diff")
    assert run.code == 0 and "api_key:" in run.stdout, run.stderr
    assert_hidden("below its key", run.stdout, run.stderr)
