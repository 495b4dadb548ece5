"""Saying "I know", as linters let you: --select/--ignore, inline comments, repository settings.

Through the real CLI on real files: a comment suppresses only where YAML has a comment
(not inside a quoted or block scalar), in a manifest's embedded config and in included
files too; settings are found from the config's folder upward and named in the report;
every rule name, wherever it is written, must be one of the registry's.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import OLLAMA_CONFIG, cli

from generator.validate.registry import RULES

MASTER = "general_settings:\n  master_key: sk-literal-value-123\n"
# Two findings: a literal secret (line 7) and a key the proxy ignores (line 8).
CONFIG = OLLAMA_CONFIG + MASTER + "  rpm_limit: 5\n"


def validate(*args):
    return cli("validate", *args, env={"LITELLM_MASTER_KEY": "sk-test"})


def rules_of(run) -> list[str]:
    return [line.rsplit("[", 1)[1].rstrip("]") for line in run.stdout.splitlines()
            if line.endswith("]") and ": " in line]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_select_and_ignore_on_the_command_line(tmp_path: Path) -> None:
    config = write(tmp_path / "config.yaml", CONFIG)
    assert rules_of(validate(config)) == ["literal-secret", "unknown-key"]
    assert rules_of(validate(config, "--ignore", "unknown-key")) == ["literal-secret"]
    assert rules_of(validate(config, "--select", "unknown-key,yaml-syntax")) == ["unknown-key"]
    assert rules_of(validate(config, "--ignore", "literal-secret", "--ignore",
                             "unknown-key")) == []
    run = validate(config, "--ignore", "literal-secret,unknown-key")
    assert run.stdout.splitlines()[-1].startswith(f"{config}: 0 errors, 0 warnings (2 "
                                                  "suppressed).")


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_an_unknown_rule_name_is_exit_2_and_lists_the_rules(tmp_path: Path, option) -> None:
    run = validate(write(tmp_path / "config.yaml", CONFIG), option, "unknown-keys")
    assert run.code == 2 and "unknown rule 'unknown-keys'" in run.stderr
    assert all(name in run.stderr for name in RULES)


SECRET, RPM = "sk-literal-value-123\n", "  rpm_limit: 5\n"


@pytest.mark.parametrize("line, written, reported", [
    # On the finding's line: the rules it names, several comma-separated, or all.
    (SECRET, "sk-literal-value-123  # litellm-gen: ignore[literal-secret]\n", ["unknown-key"]),
    (RPM, "  rpm_limit: 5 # litellm-gen: ignore[literal-secret, unknown-key]\n",
     ["literal-secret"]),
    (RPM, "  rpm_limit: 5  # litellm-gen: ignore\n", ["literal-secret"]),
    (RPM, "  rpm_limit: 5  # litellm-gen: ignore[literal-secret]\n",
     ["literal-secret", "unknown-key"]),  # a rule it does not name stays
    # Alone on its line: it covers the line below, and no other.
    (RPM, "  # litellm-gen: ignore[unknown-key]\n  rpm_limit: 5\n", ["literal-secret"]),
    (RPM, "  # litellm-gen: ignore\n  user_header_name: x\n  rpm_limit: 5\n",
     ["literal-secret", "unknown-key"]),
])
def test_inline_comments(tmp_path: Path, line: str, written: str, reported) -> None:
    config = write(tmp_path / "config.yaml", CONFIG.replace(line, written))
    assert rules_of(validate(config)) == reported


def test_a_hash_inside_a_quoted_or_block_scalar_is_not_a_comment(tmp_path: Path) -> None:
    quoted = OLLAMA_CONFIG.replace("api_base: http://127.0.0.1:11434",
                                   'api_base: "127.0.0.1:11434 # litellm-gen: ignore"')
    config = write(tmp_path / "config.yaml", quoted)
    assert "api-base-scheme" in rules_of(validate(config))
    block = OLLAMA_CONFIG + ("general_settings:\n  litellm_key_header_name: |\n"
                             "    # litellm-gen: ignore\n  rpm_limit: 5\n")
    config.write_text(block)
    assert rules_of(validate(config)) == ["unknown-key"]
    # The block's header line holds a real comment.
    config.write_text(OLLAMA_CONFIG + "general_settings:\n  rpm_limit: |  # litellm-gen: "
                      "ignore[unknown-key]\n    # not a comment\n")
    assert rules_of(validate(config)) == []


def test_an_unknown_rule_in_a_comment_is_exit_2_at_its_place(tmp_path: Path) -> None:
    config = write(tmp_path / "config.yaml", CONFIG.replace(
        "rpm_limit: 5\n", "rpm_limit: 5  # litellm-gen: ignore[unknown_key]\n"))
    run = validate(config)
    assert run.code == 2 and f"{config}:8:17: unknown rule 'unknown_key'" in run.stderr
    assert "unknown-key" in run.stderr


def test_comments_inside_a_manifests_embedded_config(tmp_path: Path) -> None:
    body = "".join("    " + line + "\n" for line in CONFIG.replace(
        "sk-literal-value-123", "sk-literal-value-123  # litellm-gen: ignore[literal-secret]"
    ).splitlines())
    manifest = write(tmp_path / "litellm.yaml",
                     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: litellm\n"
                     "data:\n  config.yaml: |\n" + body)
    run = validate(manifest)
    assert rules_of(run) == ["unknown-key"] and f"{manifest}:14:" in run.stdout


def test_comments_in_an_included_file(tmp_path: Path) -> None:
    config = write(tmp_path / "config.yaml", "include:\n  - extra.yaml\n" + OLLAMA_CONFIG)
    write(tmp_path / "extra.yaml", "router_settings:\n  num_retriez: 2  # litellm-gen: "
          "ignore[unknown-key]\n  retry_aftr: 1\n")
    run = validate(config)
    assert rules_of(run) == ["unknown-key"] and f"{tmp_path / 'extra.yaml'}:3:" in run.stdout


def test_repository_settings_are_found_from_the_configs_folder_upward(tmp_path: Path) -> None:
    config = write(tmp_path / "deploy" / "proxy" / "config.yaml", CONFIG)
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.litellm-gen]\n'
          'ignore = ["literal-secret"]\n')
    run = validate(config)
    assert rules_of(run) == ["unknown-key"]
    summary = run.stdout.splitlines()[-1]
    assert "1 suppressed" in summary and "pyproject.toml [tool.litellm-gen]" in summary
    # A closer .litellm-gen.toml wins, and a pyproject.toml without the table is passed over.
    write(tmp_path / "deploy" / "pyproject.toml", '[project]\nname = "y"\n')
    write(tmp_path / "deploy" / ".litellm-gen.toml", 'select = ["literal-secret"]\n')
    run = validate(config)
    assert rules_of(run) == ["literal-secret"] and ".litellm-gen.toml" in run.stdout
    assert rules_of(validate(config, "--isolated")) == ["literal-secret", "unknown-key"]
    # The command line's --select replaces the file's; its --ignore adds to it.
    assert rules_of(validate(config, "--select", "unknown-key")) == ["unknown-key"]
    assert rules_of(validate(config, "--ignore", "literal-secret")) == []


def test_per_file_ignores(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path / "helm" / "values.yaml", CONFIG)
    write(tmp_path / "config.yaml", CONFIG)
    write(tmp_path / ".litellm-gen.toml", '[per-file-ignores]\n"helm/*.yaml" = ["unknown-key"]\n')
    monkeypatch.chdir(tmp_path)
    assert rules_of(validate("helm/values.yaml")) == ["literal-secret"]
    assert rules_of(validate("config.yaml")) == ["literal-secret", "unknown-key"]
    # The globs are relative to the settings file, wherever validate runs from.
    monkeypatch.chdir(tmp_path / "helm")
    assert rules_of(validate("values.yaml")) == ["literal-secret"]
    assert rules_of(validate("../config.yaml")) == ["literal-secret", "unknown-key"]


@pytest.mark.parametrize("settings, wanted", [
    ('ignore = ["unknown_key"]\n', "unknown rule 'unknown_key'"),
    ("ignore = [\n", "not valid TOML"),
    ('[per-file-ignores]\n"*.yaml" = ["nope"]\n', "unknown rule 'nope'"),
])
def test_bad_settings_are_exit_2_naming_the_file(tmp_path: Path, settings, wanted) -> None:
    config = write(tmp_path / "config.yaml", CONFIG)
    write(tmp_path / ".litellm-gen.toml", settings)
    run = validate(config)
    assert run.code == 2 and wanted in run.stderr and ".litellm-gen.toml" in run.stderr


def test_a_setting_validate_does_not_read_is_named(tmp_path: Path) -> None:
    config = write(tmp_path / "config.yaml", CONFIG)
    write(tmp_path / ".litellm-gen.toml", 'ignores = ["unknown-key"]\n')
    run = validate(config)
    assert "litellm-gen does not read the setting 'ignores'" in run.stderr and "unknown-key" in run.stdout


def test_json_counts_what_was_suppressed(tmp_path: Path) -> None:
    config = write(tmp_path / "config.yaml", CONFIG)
    write(tmp_path / ".litellm-gen.toml", 'ignore = ["unknown-key"]\n')
    (doc,) = json.loads(validate(config, "--format", "json").stdout)["files"]
    assert doc["suppressed"] == 1 and doc["settings"].endswith(".litellm-gen.toml")
    assert [f["rule"] for f in doc["findings"]] == ["literal-secret"]


def test_the_readmes_settings_example_works(tmp_path: Path, monkeypatch) -> None:
    import re

    readme = (Path(__file__).resolve().parent.parent / "docs" / "validate.md").read_text(
        encoding="utf-8")
    (example,) = [block for block in re.findall(r"```toml\n(.*?)```", readme, re.S)
                  if "[tool.litellm-gen]" in block]
    write(tmp_path / "pyproject.toml", example)
    write(tmp_path / "helm" / "values.yaml", CONFIG)
    monkeypatch.chdir(tmp_path)
    run = validate("helm/values.yaml")
    assert run.code == 0 and rules_of(run) == ["literal-secret"], run.stdout + run.stderr
    assert "settings: pyproject.toml [tool.litellm-gen]" in run.stdout
