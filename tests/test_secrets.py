"""No secret from a config ever reaches the terminal; no key is ever written."""
from __future__ import annotations

from pathlib import Path

import pytest
from helpers import cli

from generator.boundary.masked_text import mask_line

SECRETS = ["sk-master-0123456789", "hunter2-db-password", "AKIAEXAMPLESECRET99", "tok_abcdef987654"]
CONFIG = f"""model_list:
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_key: {SECRETS[0]}
  - {{model_name: claude, litellm_params: {{model: anthropic/claude, api_key: "{SECRETS[3]}"}}}}
general_settings:
  master_key: "{SECRETS[0]}"
  database_url: postgresql://litellm:{SECRETS[1]}@db:5432/litellm
environment_variables:
  AWS_SECRET_ACCESS_KEY: {SECRETS[2]}
"""


@pytest.fixture
def config(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "config.yaml"
    path.write_text(CONFIG)
    return path


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text


def _unmasked(monkeypatch) -> None:
    """Every masking function replaced by the identity, wherever it was imported."""
    import sys
    for name, module in list(sys.modules.items()):
        if name == "generator" or name.startswith("generator."):
            for attr in ("mask_text", "mask_value", "mask_config_text", "mask_line"):
                if hasattr(module, attr):
                    monkeypatch.setattr(module, attr, lambda text: text)


# Each output that shows a part of CONFIG, with the secrets of that part.
SHOWN = [
    (["merge", "--diff"], [SECRETS[0], SECRETS[1], SECRETS[3]]),  # the context lines
    (["merge", "--check"], [SECRETS[0], SECRETS[1], SECRETS[3]]),
    (["merge", "--diff", "--format", "json"], [SECRETS[0], SECRETS[1], SECRETS[3]]),
    (["merge", "--check", "--format", "json"], [SECRETS[0], SECRETS[1], SECRETS[3]]),
    (["merge", "--on-conflict", "replace", "--only", "gpt-4o", "--templates", "mine", "--diff"],
     SECRETS[:1]),                                          # a replaced entry's removed lines
]


@pytest.mark.parametrize("args, secrets", SHOWN, ids=lambda v: " ".join(v)
                         if isinstance(v, list) and v[0] == "merge" else "")
def test_nothing_printed_shows_a_secret(config: Path, args, secrets, monkeypatch) -> None:
    """Each output would show the secrets without the masking (checked), and shows none."""
    mine = config.parent / "mine"
    mine.mkdir(exist_ok=True)
    (mine / "gpt-4o.yaml.j2").write_text('{%- set category = "chat" -%}\nmodel_name: gpt-4o\n'
                                         "litellm_params:\n  model: openai/gpt-4o\n")
    run = cli(*args)
    assert run.code in (0, 1), run.stderr
    assert_no_secret(run.stdout, run.stderr)
    with monkeypatch.context() as patched:
        _unmasked(patched)
        bare = cli(*args)
    assert all(secret in bare.stdout + bare.stderr for secret in secrets), bare.stdout


def test_diff_context_lines_are_masked_but_references_are_not(config: Path) -> None:
    text = config.read_text().replace("model_list:\n", "model_list:\n  # note\n")
    config.write_text(text)
    run = cli("merge", "--diff")
    assert "   master_key: ***" in run.stdout or ' master_key: ***' in run.stdout
    # database_url is not a key whose value the policy knows to be safe: masked whole.
    assert "  database_url: ***\n" in run.stdout


def test_the_output_holds_no_literal_key_from_a_preset(config: Path) -> None:
    assert cli("merge", "--api-key-env", "OPENAI_API_KEY").code == 0
    out = Path("output/config.yaml").read_text()
    block = out[out.index("# BEGIN litellm-gen"):out.index("# END litellm-gen")]
    assert block.count("api_key: os.environ/OPENAI_API_KEY") == 5
    assert "sk-" not in block


@pytest.mark.parametrize("line, shown", [
    ("  master_key: sk-1234\n", "  master_key: ***\n"),
    ("      api_key: 'abc'  # prod\n", "      api_key: ***  # ***\n"),
    ("      model: 'abc'  # prod\n", "      model: 'abc'  # prod\n"),
    ("  - api_key: abc\n", "  - api_key: ***\n"),
    ("      api_key: os.environ/OPENAI_API_KEY\n", "      api_key: os.environ/OPENAI_API_KEY\n"),
    ("      max_tokens: 4096\n", "      max_tokens: 4096\n"),
    ("  ui_password: os.environ/UI_PASSWORD\n", "  ui_password: os.environ/UI_PASSWORD\n"),
    ("  slack_webhook_token: xoxb-1\n", "  slack_webhook_token: ***\n"),
    ("  x: {api_key: abc, model: m}\n", "  x: ***\n"),
    ("  url: redis://:pw@cache:6379\n", "  url: ***\n"),
    ("  api_base: redis://:pw@cache:6379\n", "  api_base: redis://:***@cache:6379\n"),
    ("  # Authorization: Bearer abc.def\n", "  # ***\n"),
    ("  note: uses sk-proj-abcdef\n", "  note: ***\n"),
])
def test_mask_line(line: str, shown: str) -> None:
    assert mask_line(line) == shown
