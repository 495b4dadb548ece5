"""Every secret shape, put where each output shows it: none is ever printed.

One policy (generator/boundary/secrets.py) decides what is secret from the key as the proxy's
loader reads it and from the value. Each shape below stands right after model_list, so a
first merge's diff shows it among its context lines; the same config is run through every
output: --diff, --check, JSON, list, verify's messages and the error messages.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import cli

ENTRY = "model_list:\n  - model_name: llama3\n    litellm_params:\n      model: ollama/llama3\n"
SECRET = "Zq9-leak-me"  # every shape hides this text; a number marks which shape leaked
SHAPES = {
    "plain": f"general_settings:\n  master_key: {SECRET}1\n",
    "anchored": f"general_settings:\n  master_key: &k {SECRET}2\n",
    "aliased": f"x-shared: &k {SECRET}3\ngeneral_settings:\n  master_key: *k\n",
    "explicit-key": f"general_settings:\n  ? master_key\n  : {SECRET}4\n",
    "escaped-key": f'general_settings:\n  "master\\x5fkey": {SECRET}5\n',
    "plural": f"general_settings:\n  api_keys: [{SECRET}6, {SECRET}6b]\n",
    "camel-case": f"x-auth:\n  clientSecret: {SECRET}7\n  accessToken: {SECRET}7b\n",
    "password-word": f"x-db:\n  db_password_main: {SECRET}8\n",
    "multi-line-plain": f"general_settings:\n  master_key: {SECRET}9\n    {SECRET}9b\n",
    "multi-line-quoted": f'general_settings:\n  master_key: "{SECRET}10\n    {SECRET}10b"\n',
    "block-scalar": f"x-vertex:\n  vertex_credentials: |\n    {{\"private_key\": \"{SECRET}11\"}}\n",
    "folded": f"x-tok:\n  auth_token: >-\n    {SECRET}12\n",
    "url-password": f"general_settings:\n  database_url: postgresql://u:{SECRET}13@db/x\n",
    "query-param": f"x-hook:\n  url: https://hooks.example.com/x?api_key={SECRET}14&a=1\n",
    "bearer": f"x-headers:\n  Authorization: Bearer {SECRET}15\n",
    "sk-token": f"x-note:\n  note: rotate sk-{SECRET}16 soon\n",
    "flow-mapping": f"x-headers: {{api-key: {SECRET}17, x: 1}}\n",
    "header-key": f"x-headers:\n  Ocp-Apim-Subscription-Key: {SECRET}18\n",
    "commented-out": f"# general_settings:\n#   master_key: {SECRET}19\nx: 1\n",
}


def assert_hidden(shape: str, *texts: str) -> None:
    for text in texts:
        assert SECRET not in text, (shape, text)


@pytest.fixture
def here(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("args", [["--diff"], ["--check"], ["--diff", "--format", "json"],
                                  ["--check", "--format", "json"]])
def test_a_diff_never_shows_a_secret(here: Path, shape: str, args) -> None:
    (here / "config.yaml").write_text(ENTRY + SHAPES[shape])
    run = cli("merge", "config.yaml", "-o", "out.yaml", *args)
    assert run.code == 1 if "--check" in args else run.code == 0, run.stderr
    diff = json.loads(run.stdout)["diff"] if "json" in args else run.stdout
    # The shape's first line is among the diff's context lines: the masking was exercised
    # (a comment's text is masked whole: only its mark is left).
    first = SHAPES[shape].splitlines()[0].split(":")[0].strip('"?{ ')
    assert (first if not first.startswith("#") else "# ***") in diff, diff
    assert_hidden(shape, run.stdout, run.stderr)


@pytest.mark.parametrize("shape", [s for s in SHAPES if s != "aliased"])  # one line each
def test_a_diff_of_a_replaced_entry_never_shows_its_secret(here: Path, shape: str) -> None:
    """The removed lines of --on-conflict replace are masked as the kept ones are."""
    body = SHAPES[shape].split("\n", 1)[1]
    entry = ("model_list:\n  - model_name: tts-1\n    litellm_params:\n      model: openai/tts-1\n"
             "      extra:\n" + "".join("      " + line + "\n" for line in body.splitlines()))
    (here / "config.yaml").write_text(entry)
    run = cli("merge", "config.yaml", "-o", "out.yaml", "--diff", "--on-conflict", "replace",
              "--only", "tts-1")
    assert run.code == 0, run.stderr
    assert "-      model: openai/tts-1" in run.stdout
    assert_hidden(shape, run.stdout, run.stderr)


@pytest.mark.parametrize("value", [f"!!int {SECRET}", "2024-02-30", f"!!float {SECRET}",
                                   f"!!bool {SECRET}"])
def test_an_error_about_a_value_never_quotes_it(here: Path, value: str) -> None:
    (here / "config.yaml").write_text(ENTRY + f"general_settings:\n  master_key: {value}\n")
    for args in (["merge", "config.yaml", "-o", "out.yaml"], ["list", "config.yaml"],
                 ["merge", "config.yaml", "--diff"]):
        run = cli(*args)
        assert run.code == 2 and ":6:15:" in run.stderr, run.stderr
        assert_hidden(value, run.stdout, run.stderr)
        assert "2024-02-30" not in run.stderr


def test_list_and_its_json_never_show_a_secret(here: Path) -> None:
    (here / "config.yaml").write_text(
        "model_list:\n  - model_name: a\n    litellm_params:\n"
        f"      model: openai/gpt-4o\n      api_key: {SECRET}20\n"
        f"      tags: [\"https://u:{SECRET}21@x\", \"sk-{SECRET}22\"]\n")
    for args in (["list", "config.yaml"], ["list", "config.yaml", "--format", "json"]):
        run = cli(*args)
        assert run.code == 0, run.stderr
        assert_hidden("list", run.stdout, run.stderr)


def test_verify_never_shows_the_key_in_a_url(here: Path) -> None:
    (here / "config.yaml").write_text(ENTRY)
    run = cli("verify", "config.yaml", "--url",
              f"http://u:{SECRET}30@127.0.0.1:9/?api_key={SECRET}31&token={SECRET}32")
    assert run.code == 2 and "cannot reach" in run.stderr
    assert_hidden("verify", run.stdout, run.stderr)


def test_presets_never_show_a_password_in_a_templates_source(here: Path) -> None:
    folder = here / "tpl"
    folder.mkdir()
    (folder / "mine.yaml.j2").write_text(
        '{%- set category = "tts" -%}\n'
        f'{{%- set source = "https://bob:{SECRET}40@prices.example.com/sheet" -%}}\n'
        "model_name: mine\nlitellm_params:\n  model: tts-1\n")
    for args in (["presets", "--templates", folder], ["presets", "--templates", folder,
                                                      "--format", "json"]):
        run = cli(*args)
        assert run.code == 0, run.stderr
        assert "prices.example.com" in run.stdout
        assert_hidden("presets", run.stdout, run.stderr)


@pytest.mark.parametrize("shape", ["credential_name: my-openai-cred",
                                   "litellm_credential_name: prod",
                                   "custom_auth: auth_hooks.user_api_key_auth",
                                   "input_cost_per_token: \"$0.0000006\"",
                                   "api_key_env: OPENAI_API_KEY"])
def test_names_paths_and_prices_are_not_secrets(here: Path, shape: str) -> None:
    """What the policy knows names a secret or a module is shown (a key that may hold a
    path or the credentials themselves, as vertex_credentials, is masked)."""
    (here / "config.yaml").write_text(ENTRY + f"x-settings:\n  {shape}\n")
    run = cli("merge", "config.yaml", "-o", "out.yaml", "--diff")
    assert shape.split(": ", 1)[1].strip('"') in run.stdout
