"""validate's output where CI reads it, each held to its spec, and a summary that agrees.

- `--format github`: parsed as the Actions runner parses workflow commands (a port of
  ActionCommand.TryParseV2 and its unescaping; source in tests/schemas/SOURCES.md).
- `--format sarif`: validated against the official SARIF 2.1.0 JSON Schema.
- `--format json`: one document for every file, unreadable ones included.
- The summary, over every recorded proxy run: it says what the findings say.
"""
from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import jsonschema
import pytest
from helpers import OLLAMA_CONFIG, cli

from generator.validate.registry import RULES

SCHEMAS = Path(__file__).parent / "schemas"
CASES = Path(__file__).parent / "oracle" / "validate" / "cases"
GOOD = OLLAMA_CONFIG + "general_settings:\n  master_key: os.environ/LITELLM_MASTER_KEY\n"
# An error (dropped entry), a warning whose key holds every character the spec escapes.
BAD = GOOD.replace("ollama/llama3", "llama2") + '  "odd,name:100%\\r\\nend": 1\n'


def validate(*args, env=None):
    return cli("validate", "--isolated", *args,
               env={"LITELLM_MASTER_KEY": "sk-test", **(env or {})})


# -- the Actions runner's parser (ActionCommand.TryParseV2), in Python ---------------------
def _unescape(text: str, mappings) -> str:
    for token, replacement in mappings:
        text = text.replace(replacement, token)
    return text


_DATA = (("\r", "%0D"), ("\n", "%0A"), ("%", "%25"))
_PROPERTY = (("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C"), ("%", "%25"))


def parse_command(line: str):
    """(command, properties, data) as the runner reads `::name k=v,k=v::data`, or None."""
    line = line.lstrip()
    if not line.startswith("::"):
        return None
    end = line.find("::", 2)
    if end < 0:
        return None
    info = line[2:end]
    name, _, props = info.partition(" ")
    if name not in ("error", "warning", "notice"):
        return None
    properties = {}
    for pair in filter(None, props.strip().split(",")):
        key, sep, value = pair.partition("=")
        if sep and key and value:
            properties[key] = _unescape(value, _PROPERTY)
    return name, properties, _unescape(line[end + 2:], _DATA)


def test_github_annotations_read_back_as_the_runner_reads_them(tmp_path: Path) -> None:
    config = tmp_path / "odd,name:100%.yaml"
    config.write_text(BAD, encoding="utf-8")
    text = validate(config, "--format", "json").stdout
    expected = json.loads(text)["files"][0]["findings"]
    run = validate(config, "--format", "github")
    assert run.code == 1
    notice, *lines = run.stdout.splitlines()
    # A notice of the release judged by, then one line per finding, nothing else.
    assert parse_command(notice) == ("notice", {"file": str(config), "title": "litellm release"},
                                     json.loads(text)["files"][0]["litellm"]["sentence"])
    assert len(lines) == len(expected) == 2
    parsed = [parse_command(line) for line in lines]
    assert all(p is not None for p in parsed), lines
    for (name, props, data), finding in zip(parsed, expected):
        assert name == finding["severity"]
        assert props == {"file": str(config), "line": str(finding["line"]),
                         "col": str(finding["column"]), "title": finding["rule"]}
        assert data == finding["message"]
    assert "odd,name:100%\r\nend" in parsed[1][2]  # escaped on the wire, whole once read
    assert "\r" not in run.stdout and run.stdout.count("\n") == 3


def test_github_annotates_an_unreadable_file_and_still_checks_the_others(tmp_path) -> None:
    good = tmp_path / "config.yaml"
    good.write_text(BAD, encoding="utf-8")
    run = validate(tmp_path / "missing.yaml", good, "--format", "github")
    assert run.code == 2
    first = parse_command(run.stdout.splitlines()[0])
    assert first[0] == "error" and first[1]["file"] == str(tmp_path / "missing.yaml")
    assert sum(line.startswith(("::error", "::warning"))
               for line in run.stdout.splitlines()) == 3


def test_sarif_is_valid_sarif_2_1_0_with_rules_from_the_registry(tmp_path: Path) -> None:
    config = tmp_path / "my config.yaml"
    config.write_text(BAD, encoding="utf-8")
    other = tmp_path / "other.yaml"
    other.write_text(GOOD + "  rpm_limit: 5\n", encoding="utf-8")
    run = validate(config, other, tmp_path / "gone.yaml", "--format", "sarif")
    assert run.code == 2
    doc = json.loads(run.stdout)
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(doc)
    assert doc["version"] == "2.1.0"
    (sarif_run,) = doc["runs"]
    rules = sarif_run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(RULES)
    for rule in rules:
        registered = RULES[rule["id"]]
        assert registered.summary.lower() in rule["shortDescription"]["text"].lower()
        assert registered.summary.lower() in rule["fullDescription"]["text"].lower()
        assert registered.fix in rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] == registered.severity
    results = sarif_run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("unknown-provider", "error"), ("unknown-key", "warning"), ("unknown-key", "warning")]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        (location,) = result["locations"]
        uri = location["physicalLocation"]["artifactLocation"]["uri"]
        assert " " not in uri and urllib.parse.urlsplit(uri).scheme in ("", "file")
        assert Path(urllib.parse.unquote(urllib.parse.urlsplit(uri).path)) in (config, other)
        region = location["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
    (notification,) = sarif_run["invocations"][0]["toolExecutionNotifications"]
    assert "gone.yaml" in notification["message"]["text"]
    assert sarif_run["invocations"][0]["executionSuccessful"] is False


def test_sarif_uris_of_relative_paths_are_relative(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("deploy").mkdir()
    Path("deploy/config.yaml").write_text(BAD, encoding="utf-8")
    doc = json.loads(validate("deploy/config.yaml", "--format", "sarif").stdout)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in doc["runs"][0]["results"]}
    assert uris == {"deploy/config.yaml"}


def test_json_over_several_files_is_one_document(tmp_path: Path) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text(BAD, encoding="utf-8")
    second.write_text(GOOD, encoding="utf-8")
    run = validate(first, tmp_path / "missing.yaml", second, "--format", "json")
    assert run.code == 2
    doc = json.loads(run.stdout)
    assert [f["config"] for f in doc["files"]] == [str(first), str(tmp_path / "missing.yaml"),
                                                    str(second)]
    assert doc["errors"] == 1 and doc["warnings"] == 1 and doc["unreadable"] == 1
    assert "no such config file" in doc["files"][1]["error"]
    assert doc["files"][2]["findings"] == [] and doc["files"][2]["summary"] == [
        "The proxy will start and serve every model."]


def test_secrets_stay_masked_in_every_format(tmp_path: Path) -> None:
    secret = "sk-live-abcdef0123456789"
    config = tmp_path / "config.yaml"
    config.write_text(GOOD.replace("os.environ/LITELLM_MASTER_KEY", secret)
                      + f"  {secret}: 1\n", encoding="utf-8")
    for fmt in ("text", "json", "github", "sarif"):
        run = validate(config, "--format", fmt)
        assert "literal-secret" in run.stdout, fmt
        assert secret not in run.stdout + run.stderr, fmt


# -- the summary --------------------------------------------------------------------------
def summary(*args, env=None) -> str:
    return validate(*args, "--deployment-env", env=env).stdout.splitlines()[-1]


def test_an_unset_master_key_starts_open_rather_than_not_at_all(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(GOOD, encoding="utf-8")
    # 1.100.0 starts open without one (later releases refuse: master-key-refused).
    line = summary(config, "--litellm", "1.100.0", env={"LITELLM_MASTER_KEY": None})
    assert "The proxy will start open (no master key)" in line
    assert "will not start" not in line and "It serves every model." in line


def test_a_helm_values_file_without_key_path_serves_nothing(tmp_path: Path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text("replicaCount: 2\nproxy_config:\n" + "".join(
        "  " + line + "\n" for line in GOOD.splitlines()), encoding="utf-8")
    line = summary(values)
    assert "serves nothing from this file" in line and "every model" not in line


def test_dropped_models_are_counted_and_named(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(GOOD.replace("general_settings:", """\
  - model_name: claude
    litellm_params:
      model: claude-3-5-sonnet-20241022x
  - model_name: busy
    litellm_params:
      model: ollama/llama3
      rpm: many
      tpm: lots
general_settings:"""), encoding="utf-8")
    line = summary(config)
    assert "The proxy will start. It drops 2 models: 'claude' and 'busy'." in line
    assert "every model" not in line


def test_ignored_settings_are_named_and_a_refusal_comes_first(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(GOOD + "  rpm_limit: 5\nrouter_settings:\n  routing_strategy: fastest\n",
                      encoding="utf-8")
    line = summary(config)
    assert "The proxy will not start. Once it starts, it ignores general_settings.rpm_limit." \
        in line and "every model" not in line


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_the_summary_agrees_with_the_findings_on_every_recorded_case(case: str) -> None:
    """Each effect among the findings has its sentence, and no sentence denies one."""
    from oracle_replay import BASE_ENV, case_env

    folder = CASES / case
    env = {**{name: None for name in BASE_ENV}, **case_env(folder)}
    run = cli("validate", "--isolated", "--deployment-env", "--format", "json",
              folder / "config.yaml", env=env)
    (doc,) = json.loads(run.stdout)["files"]
    if "error" in doc:
        return  # the file cannot be read at all: nothing to summarize
    effects = {RULES[f["rule"]].effect for f in doc["findings"]}
    text = " ".join(doc["summary"])
    assert ("will not start" in text) == ("no-start" in effects), text
    assert ("serves nothing" in text) == ("serves-nothing" in effects and
                                          "no-start" not in effects), text
    assert ("drops" in text) == ("drops-model" in effects), text
    assert ("open (no master key)" in text or "no master key:" in text) == (
        "starts-open" in effects), text
    if effects & {"no-start", "drops-model", "serves-nothing"}:
        assert "every model" not in text, text
    else:
        assert "serve every model" in text or "serves every model" in text, text


def test_help_documents_options_formats_exit_codes_and_rules() -> None:
    run = cli("validate", "--help")
    text = " ".join(run.stdout.split())
    for option in ("--select", "--ignore", "--deployment-env", "--env-file", "--isolated",
                   "--skip-unrelated", "--strict", "--format"):
        assert option in text, option
    for words in ("github", "sarif", "json (one document", "# litellm-gen: ignore[RULE,...]",
                  "[tool.litellm-gen]", "Exit status: 0 no errors; 1 errors",
                  "2 bad usage, an unknown rule name"):
        assert words in text, words
    assert all(name in run.stdout.split() or f"{name}," in run.stdout.split()
               or f"{name}." in run.stdout.split() for name in RULES)
