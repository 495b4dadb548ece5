"""Deny by default: each way a secret once reached the output, through the real CLI.

The masking policy (generator/boundary/secrets.py) shows a value only under a key it knows to be
safe; before it, a list of secret-looking keys and values decided, and each case below
printed the operator's secret (or masked what is not one: a file's name, the tool's
own hint). Every config here is written for these tests.
"""
from __future__ import annotations

import http.server
import json
import threading
from pathlib import Path

import pytest
from helpers import cli

ENTRY = "model_list:\n  - model_name: llama3\n    litellm_params:\n      model: ollama/llama3\n"
SECRET = "Xk9vQ2mZ"  # each case hides this text, with a number of its own after it


@pytest.fixture
def here(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def merged(args, config: str) -> list:
    """--diff, --diff --format json and --check of a first merge of `config`."""
    Path("config.yaml").write_text(config)
    runs = []
    for extra in (["--diff"], ["--diff", "--format", "json"], ["--check"]):
        run = cli("merge", "config.yaml", "-o", "out.yaml", *args, *extra)
        assert run.code in (0, 1), run.stderr
        runs.append(run)
    return runs


def hidden(runs, *secrets) -> None:
    for run in runs:
        for secret in secrets:
            assert secret not in run.stdout + run.stderr, (secret, run.stdout)


def test_a_secret_under_a_key_written_as_an_alias_is_masked(here: Path) -> None:
    """`*mk : VALUE` is `master_key: VALUE` to PyYAML: the key is read through the alias."""
    runs = merged([], ENTRY + f"x-key-names: [&mk master_key]\ngeneral_settings:\n"
                         f"  *mk : {SECRET}1\n")
    assert "  *mk : ***" in runs[0].stdout
    assert "*mk : ***" in json.loads(runs[1].stdout)["diff"]
    hidden(runs, f"{SECRET}1")


def test_keys_inside_header_strings_are_masked(here: Path) -> None:
    """OpenTelemetry headers as LiteLLM's docs write them: a key inside another key's string."""
    runs = merged([], ENTRY + "environment_variables:\n"
                  f'  OTEL_HEADERS: "Authorization=Bearer%20{SECRET}2"\n'
                  f'  OTEL_EXPORTER_OTLP_HEADERS: "api-key={SECRET}3,other=1"\n')
    assert "  OTEL_HEADERS: ***" in runs[0].stdout  # variable names are never masked
    hidden(runs, f"{SECRET}2", f"{SECRET}3")


@pytest.mark.parametrize("line", ["REDIS_PASSWORD: Correct.Horse.Battery.X",
                                  "LANGFUSE_SECRET_KEY: 7318530718"])
def test_a_secret_that_looks_like_a_module_path_or_a_number_is_masked(here: Path,
                                                                       line: str) -> None:
    runs = merged([], ENTRY + f"environment_variables:\n  {line}\n")
    key, value = line.split(": ")
    assert f"  {key}: ***" in runs[0].stdout
    hidden(runs, value)


def test_a_secret_in_a_trailing_comment_is_masked(here: Path) -> None:
    runs = merged([], ENTRY + "general_settings:\n"
                  f"  master_key: os.environ/LITELLM_MASTER_KEY  # master_key: {SECRET}4\n")
    # The variable's name stays: it is what the operator needs to read.
    assert "  master_key: os.environ/LITELLM_MASTER_KEY  # ***" in runs[0].stdout
    hidden(runs, f"{SECRET}4")


def test_an_output_with_conflict_markers_is_masked_an_anchored_value_too(here: Path) -> None:
    Path("config.yaml").write_text(ENTRY)
    Path("out.yaml").write_text(
        "model_list:\n<<<<<<< HEAD\n  - model_name: a\n    litellm_params:\n      model: m\n"
        f"      azure: &azure_key {SECRET}5\n=======\n  - model_name: b\n>>>>>>> feature\n")
    for extra in (["--diff"], ["--check"], ["--check", "--format", "json"]):
        run = cli("merge", "config.yaml", "-o", "out.yaml", *extra)
        assert run.code in (0, 1), run.stderr
        assert "azure: ***" in run.stdout and "model_name: a" in run.stdout
        hidden([run], f"{SECRET}5")


@pytest.mark.parametrize("value", [f"*{SECRET}6abc", f"!{SECRET}7abc"])
def test_a_refusal_never_quotes_a_value_read_as_an_alias_or_a_tag(here: Path,
                                                                  value: str) -> None:
    """An unquoted secret starting with * or ! is an alias or a tag to YAML; the refusal
    names the line and column, not the text."""
    Path("config.yaml").write_text(ENTRY + f"general_settings:\n  master_key: {value}\n")
    runs = [cli("merge", "config.yaml", "-o", "out.yaml"), cli("list", "config.yaml"),
            cli("validate", "config.yaml"), cli("validate", "config.yaml", "--format", "sarif"),
            cli("validate", "config.yaml", "--format", "github")]
    assert all(run.code in (1, 2) for run in runs), [r.stderr for r in runs]
    assert ":6:15:" in runs[0].stderr and ":6:15:" in runs[2].stdout
    hidden(runs, value[1:])


def test_a_file_name_is_never_masked(here: Path) -> None:
    """CI annotations must point at the file that exists."""
    name = "v01-master-key-sk-1234.yaml"
    Path(name).write_text(ENTRY)
    run = cli("validate", name, "--format", "github")
    assert f"file={name}," in run.stdout
    assert run.stderr.startswith(f"{name}: "), run.stderr
    for args in (["validate", name], ["list", name, "--format", "json"],
                 ["merge", name, "-o", "out.yaml", "--diff"]):
        run = cli(*args)
        assert name in run.stdout + run.stderr and "-***" not in run.stdout + run.stderr, args


class _Refuses(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(401)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def test_verify_hint_is_printed_as_written(here: Path) -> None:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Refuses)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        Path("config.yaml").write_text(ENTRY)
        run = cli("verify", "config.yaml", "--url", f"http://127.0.0.1:{server.server_port}",
                  env={"LITELLM_MASTER_KEY": f"{SECRET}8"})
    finally:
        server.shutdown()
    assert run.code == 2
    assert "check the master key: export LITELLM_MASTER_KEY" in run.stderr
    hidden([run], f"{SECRET}8")


def test_what_the_policy_knows_is_shown(here: Path) -> None:
    """A normal merge's diff reads well: names, numbers under limit keys, variable names,
    an api_base without its credentials, comments beside names."""
    runs = merged([], ENTRY.replace("ollama/llama3\n", "ollama/llama3  # the GPU box\n") +
                  f"      api_base: http://ops:{SECRET}9@gpu:11434/v1?token={SECRET}10\n"
                  "      rpm: 120\n")
    diff = runs[0].stdout
    for shown in ("model: ollama/llama3  # the GPU box",
                  "api_base: http://ops:***@gpu:11434/v1?token=***", "rpm: 120",
                  "api_key: os.environ/OPENAI_API_KEY", "mode: audio_speech",
                  "input_cost_per_character: 0.000015", "# BEGIN litellm-gen presets"):
        assert shown in diff, shown
    hidden(runs, f"{SECRET}9", f"{SECRET}10")


@pytest.mark.parametrize("line, kept", [
    (f"rpm: {SECRET}11", "rpm is a word, not a whole number"),
    (f"api_base: ops:{SECRET}12@gpu:11434/v1", "api_base '***@gpu:11434/v1' has no scheme")])
def test_validate_names_the_key_not_the_value(here: Path, line: str, kept: str) -> None:
    """A finding about a value that is not shown says what is wrong with it, by its key."""
    Path("config.yaml").write_text(ENTRY + f"      {line}\n")
    for fmt in ("text", "json", "github", "sarif"):
        run = cli("validate", "config.yaml", "--format", fmt)
        assert kept in run.stdout, run.stdout
        hidden([run], SECRET)


def test_only_the_tools_own_comments_are_shown_whole(here: Path) -> None:
    """The block's fence and a suppression comment are the tool's words; a comment that
    merely starts with the tool's name is the operator's, masked."""
    runs = merged([], ENTRY + "general_settings:\n"
                  f"  master_key: {SECRET}13  # litellm-gen: ignore[literal-secret]\n"
                  f"  # litellm-gen: {SECRET}14\n")
    assert "  master_key: ***  # litellm-gen: ignore[literal-secret]" in runs[0].stdout
    assert "  # ***" in runs[0].stdout and "+  # BEGIN litellm-gen presets" in runs[0].stdout
    hidden(runs, f"{SECRET}13", f"{SECRET}14")


MANIFEST = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: litellm-config
data:
  config.yaml: |
    model_list:
      - model_name: llama3  # key was {secret}1
        litellm_params:
          model: ollama/llama3
          api_key: {secret}2
    general_settings:
      master_key: {secret}3
"""


def test_a_manifests_embedded_config_is_masked_by_the_config_policy(here: Path) -> None:
    """The ConfigMap's config.yaml is a string to YAML; its lines are judged as the config
    they hold: the diff shows the entries' shape, never a key."""
    runs = merged([], MANIFEST.format(secret=SECRET))
    hidden(runs, *(f"{SECRET}{n}" for n in (1, 2, 3)))
    diff = runs[0].stdout
    assert "          model: ollama/llama3" in diff and "      master_key: ***" in diff
    assert "+      - model_name: tts-1" in diff
