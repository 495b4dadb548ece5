"""`litellm-gen validate` through the real CLI: output form, exit status, files beside it.

What the proxy does with each construct is held to recorded runs in test_oracle.py;
these tests hold the command's contract: PATH:LINE:COLUMN lines, the summary, JSON,
0/1/2, --strict, --env-file, includes reported at their own path, a manifest's line
numbers, secrets never printed.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from helpers import OLLAMA_CONFIG, cli, installed_or_skip

ROOT = Path(__file__).resolve().parent.parent

GOOD = OLLAMA_CONFIG + "general_settings:\n  master_key: os.environ/LITELLM_MASTER_KEY\n"

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): "
                  r"(?P<msg>.+) \[(?P<rule>[a-z-]+)\]$")


def validate(*args, env=None):
    """`litellm-gen validate ...` where the master key GOOD reads is set."""
    return cli("validate", *args, env={"LITELLM_MASTER_KEY": "sk-test", **(env or {})})


def write(tmp_path: Path, text: str, name: str = "config.yaml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def findings(stdout: str) -> list[dict]:
    return [m.groupdict() for m in map(LINE.match, stdout.splitlines()) if m]


def test_a_clean_config_exits_0_with_a_summary(tmp_path: Path) -> None:
    run = validate(write(tmp_path, GOOD))
    assert run.code == 0, run.stderr
    assert run.stdout.strip().endswith("0 errors, 0 warnings. The proxy will start and serve "
                                       "every model.")


def test_findings_read_as_compiler_lines_sorted_by_line(tmp_path: Path) -> None:
    config = write(tmp_path, GOOD.replace("general_settings", "general_setting")
                   + "router_settings:\n  routing_strategy: round-robin\n"
                   + "  fallbacks: [\"llama3\"]\n"
                   + "model_list_extra: 1\n")
    run = validate(config)
    assert run.code == 1
    rows = findings(run.stdout)
    assert [(r["line"], r["sev"], r["rule"]) for r in rows] == [
        ("6", "warning", "unknown-section"), ("9", "error", "routing-strategy"),
        ("10", "error", "fallbacks-shape"), ("11", "warning", "unknown-key")]
    assert all(r["path"] == str(config) for r in rows)
    assert "did you mean general_settings?" in rows[0]["msg"]
    assert "only LITELLM_MASTER_KEY opens the proxy" in rows[0]["msg"]
    assert run.stdout.splitlines()[-1] == (
        f"{config}: 2 errors, 2 warnings. The proxy will not start. Once it starts, it ignores "
        "general_setting and model_list_extra.")


def test_json_has_the_same_facts(tmp_path: Path) -> None:
    config = write(tmp_path, GOOD + "  rpm_limit: 5\n")
    run = validate(config, "--format", "json")
    assert run.code == 0
    (doc,) = json.loads(run.stdout)["files"]
    assert doc["errors"] == 0 and doc["warnings"] == 1
    assert doc["findings"] == [{"path": str(config), "line": 8, "column": 3,
                                "severity": "warning", "rule": "unknown-key",
                                "message": doc["findings"][0]["message"]}]
    assert "general_settings.rpm_limit" in doc["findings"][0]["message"]


def test_strict_fails_on_warnings(tmp_path: Path) -> None:
    config = write(tmp_path, GOOD + "  rpm_limit: 5\n")
    assert validate(config).code == 0
    assert validate(config, "--strict").code == 1


def test_invalid_yaml_is_a_finding_with_line_and_column(tmp_path: Path) -> None:
    config = write(tmp_path, GOOD + "  - bad: [\n")
    run = validate(config)
    assert run.code == 1
    (row,) = findings(run.stdout)
    assert row["rule"] == "yaml-syntax" and row["line"] == "8"


def test_messages_are_not_masked_as_secrets(tmp_path: Path) -> None:
    """The masking of secrets must not eat validate's own words (it once hid "anyone")."""
    config = write(tmp_path, GOOD.replace("general_settings", "general_setting"))
    run = validate(config, env={"LITELLM_MASTER_KEY": None})
    assert "starts without a master key, open to anyone who reaches it" in run.stdout
    assert "***" not in run.stdout


def test_an_unset_master_key_is_an_error_in_the_deployment_environment(tmp_path: Path) -> None:
    # 1.100.0 starts open without one (later releases refuse: master-key-refused).
    run = validate(write(tmp_path, GOOD), "--deployment-env", "--litellm", "1.100.0",
                   env={"LITELLM_MASTER_KEY": None})
    assert run.code == 1 and "master-key-unset" in run.stdout and "open to anyone" in run.stdout


def test_an_unreadable_config_is_exit_2(tmp_path: Path) -> None:
    run = validate(tmp_path / "nope.yaml")
    assert run.code == 2 and "no such config file" in run.stderr
    assert validate(write(tmp_path, GOOD), "--format", "xml").code == 2


def test_env_file_sets_what_the_proxy_will_see(tmp_path: Path) -> None:
    config = write(tmp_path, GOOD.replace("ollama/llama3", "os.environ/LLAMA_MODEL"))
    run = validate(config, "--deployment-env", env={"LLAMA_MODEL": None})
    assert run.code == 1 and "model-env-unset" in run.stdout and "LLAMA_MODEL" in run.stdout
    env_file = write(tmp_path, "# compose .env\nexport OTHER=1\nLLAMA_MODEL='ollama/llama3'\n",
                     ".env")
    run = validate(config, "--env-file", env_file, env={"LLAMA_MODEL": None})
    assert run.code == 0, run.stdout
    # The variable's value decides the provider: a bare name is dropped by the proxy.
    write(tmp_path, "LLAMA_MODEL=llama3\n", ".env")
    run = validate(config, "--env-file", env_file, env={"LLAMA_MODEL": None})
    assert run.code == 1 and "unknown-provider" in run.stdout


def test_bad_env_file_line_is_named(tmp_path: Path) -> None:
    env_file = write(tmp_path, "A=1\nnot a line\n", ".env")
    run = validate(write(tmp_path, GOOD), "--env-file", env_file)
    assert run.code == 2 and f"{env_file}:2:1" in run.stderr


def test_included_files_are_checked_at_their_own_path(tmp_path: Path) -> None:
    config = write(tmp_path, "include:\n  - models/extra.yaml\n  - missing.yaml\n" + GOOD)
    write(tmp_path, "model_list:\n  - model_name: x\n    litellm_params:\n      model: zhipu/x\n",
          "models/extra.yaml")
    run = validate(config)
    assert run.code == 1
    rows = {(r["path"], r["line"], r["rule"]) for r in findings(run.stdout)}
    assert (str(tmp_path / "models" / "extra.yaml"), "4", "unknown-provider") in rows
    assert (str(config), "3", "include-missing") in rows


def test_callback_modules_are_looked_for_beside_the_config(tmp_path: Path) -> None:
    config = write(tmp_path, GOOD + "litellm_settings:\n  callbacks: [hooks.handler, "
                   "langfuse]\n")
    # 1.110.2 will not start without langfuse's package (recorded: test_realistic_rules.py);
    # the module lookup is the same on every release.
    run = validate(config, "--litellm", "1.106.12")
    assert run.code == 1 and "callback-module-missing" in run.stdout
    assert "no hooks.py beside the config" in run.stdout and "langfuse" not in run.stdout
    write(tmp_path, "def handler(*args, **kwargs):\n    return None\n", "hooks.py")
    assert validate(config, "--litellm", "1.106.12").code == 0
    # A value that is neither a function nor a CustomLogger instance stops the release.
    write(tmp_path, "handler = None\n", "hooks.py")
    assert "callback-not-runnable" in validate(config, "--litellm", "1.106.12").stdout


def test_secrets_are_never_printed(tmp_path: Path) -> None:
    secret = "sk-live-abcdef0123456789"
    config = write(tmp_path, GOOD.replace("os.environ/LITELLM_MASTER_KEY", secret)
                   + "  databse_url: postgres://u:hunter2pass@db/x\n")
    for fmt in ("text", "json"):
        run = validate(config, "--format", fmt)
        assert secret not in run.stdout + run.stderr
        assert "hunter2pass" not in run.stdout + run.stderr
    assert "literal-secret" in validate(config).stdout


def test_a_manifest_reports_manifest_lines(tmp_path: Path) -> None:
    body = "".join("    " + line + "\n" for line in GOOD.replace("ollama/", "").splitlines())
    manifest = write(tmp_path, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: litellm\n"
                     "data:\n  config.yaml: |\n" + body, "cm.yaml")
    run = validate(manifest)
    (row,) = [r for r in findings(run.stdout) if r["sev"] == "error"]
    assert row["rule"] == "unknown-provider" and row["line"] == "10"


def test_key_path_validates_the_config_where_it_lives(tmp_path: Path) -> None:
    body = "".join("  " + line + "\n" for line in GOOD.splitlines())
    # The chart's values declare the proxy's environment: the master key from a Secret.
    values = write(tmp_path, "replicaCount: 1\nproxy_config:\n" + body
                   + "  router_settings:\n    routing_strategy: fastest\n"
                   + "extraEnvVars:\n  - name: LITELLM_MASTER_KEY\n    valueFrom:\n"
                   "      secretKeyRef: {name: litellm, key: master-key}\n", "values.yaml")
    run = validate(values, "--key-path", "proxy_config")
    assert run.code == 1
    assert [(r["line"], r["rule"]) for r in findings(run.stdout)] == [("11", "routing-strategy")]
    assert validate(values, "--key-path", "nope").code == 2
    # Without --key-path: the proxy would serve nothing, and validate says where to look.
    run = validate(values)
    assert "--key-path proxy_config" in run.stdout and "nested-config" in run.stdout


@pytest.mark.proxy
def test_with_proxy_starts_the_real_proxy_and_compares(tmp_path: Path) -> None:
    """A dry start, like `nginx -t`: the proxy drops the unprefixed model, and says so."""
    from test_proxy_e2e import proxy_bin

    config = write(tmp_path, GOOD.replace(
        "general_settings:", "  - model_name: bare\n    litellm_params:\n      model: llama2\n"
        "      api_base: http://127.0.0.1:11434\ngeneral_settings:"))
    run = cli("validate", config, "--with-proxy", "--format", "json",
              env={"LITELLM_PROXY_BIN": proxy_bin(), "LITELLM_MASTER_KEY": "sk-dry"})
    assert run.code == 1, run.stderr
    (doc,) = json.loads(run.stdout)["files"]
    assert doc["proxy"]["started"] is True and doc["proxy"]["served"] == ["llama3"]
    rules = {(f["line"], f["rule"]) for f in doc["findings"]}
    assert (6, "proxy-dropped") in rules and (8, "unknown-provider") in rules
    assert "starting the proxy on http://127.0.0.1:" in run.stderr


def newer_proxy_bin() -> str:
    """A release with `litellm --validate_config` (the Makefile's NEWER_PROXY_SPEC)."""
    path = os.environ.get("LITELLM_NEWER_PROXY_BIN",
                          str(ROOT / ".venv-proxy-1.106.12" / "bin" / "litellm"))
    return installed_or_skip(path, f"no litellm with --validate_config at {path}; `make test` "
                                   "installs it")


@pytest.mark.proxy
def test_with_proxy_asks_validate_config_first_where_the_release_has_it(tmp_path: Path) -> None:
    """A refusal of `litellm --validate_config` is the verdict (no full start); a config it
    passes is then started, and what the router dropped is still named per entry."""
    env = {"LITELLM_PROXY_BIN": newer_proxy_bin(), "LITELLM_MASTER_KEY": "sk-dry-0123456789"}
    refused = write(tmp_path, GOOD + "router_settings:\n  fallbacks: [llama3]\n", "refused.yaml")
    run = cli("validate", refused, "--with-proxy", "--format", "json", env=env)
    assert run.code == 1, run.stderr
    (doc,) = json.loads(run.stdout)["files"]
    assert doc["proxy"]["started"] is False and doc["proxy"]["seconds"] == 0.0
    assert any(n.startswith("litellm --validate_config: ") and "failed" in n
               for n in doc["proxy"]["notes"]), doc["proxy"]
    starts = [f for f in doc["findings"] if f["rule"] == "proxy-start"]
    assert [f["message"] for f in starts] == [
        "the real proxy refuses the config: " + doc["proxy"]["last_error"]]
    assert "--validate_config" in run.stderr and "starting the proxy" not in run.stderr

    passed = write(tmp_path, GOOD.replace(
        "general_settings:", "  - model_name: bare\n    litellm_params:\n      model: llama2\n"
        "      api_base: http://127.0.0.1:11434\ngeneral_settings:"), "passed.yaml")
    run = cli("validate", passed, "--with-proxy", "--format", "json", env=env)
    (doc,) = json.loads(run.stdout)["files"]
    assert any("config OK" in n for n in doc["proxy"]["notes"]), doc["proxy"]
    assert doc["proxy"]["started"] is True and doc["proxy"]["served"] == ["llama3"]
    assert (6, "proxy-dropped") in {(f["line"], f["rule"]) for f in doc["findings"]}
    assert "starting the proxy on http://127.0.0.1:" in run.stderr


def test_a_cache_parameter_read_from_an_unset_variable_counts_as_missing(tmp_path: Path) -> None:
    # The proxy gets None for os.environ/NAME when NAME is unset, and LiteLLM refuses a
    # redis-semantic cache without similarity_threshold (recorded: the oracle case
    # h-cache-semantic-no-threshold).
    config = write(tmp_path, GOOD + "litellm_settings:\n  cache: true\n  cache_params:\n"
                   "    type: redis-semantic\n    host: 127.0.0.1\n"
                   "    similarity_threshold: os.environ/SEMANTIC_THRESHOLD\n")
    unset = findings(validate(config, env={"SEMANTIC_THRESHOLD": None,
                                           "REDIS_PASSWORD": "x"}).stdout)
    assert [(r["rule"], r["line"]) for r in unset] == [("cache-missing-param", "11"),
                                                         ("cache-env-unset", "13")]
    assert validate(config, env={"SEMANTIC_THRESHOLD": "0.8", "REDIS_PASSWORD": "x"}).code == 0


def test_every_rule_validate_can_report_is_registered():
    """The registry is the one list of rules: a name used in the code must be in it."""
    import re
    from pathlib import Path

    from generator.validate.registry import RULES

    used = set()
    for module in sorted((Path(__file__).parent.parent / "generator").rglob("*.py")):
        text = module.read_text()
        used |= set(re.findall(r'ctx\.add\(.*?"([a-z]+(?:-[a-z]+)+)"', text, re.S))
        used |= set(re.findall(r'Finding\.of\(\s*"([a-z-]+)"', text))
    assert used and used <= set(RULES), used - set(RULES)


@pytest.mark.parametrize("line, column_of", [
    ("general_settings:\n  master_key: !!int x-secret-value-1\n", "!!int"),
    ("litellm_settings:\n  cache: true\n  cache_params: {type: !!float x-secret-value-1}\n",
     "!!float"),
    ("litellm_settings:\n  cache: !!bool x-secret-value-1\n", "!!bool"),
    ("litellm_settings:\n  request_timeout: 2024-02-30\n", "2024"),
    ("general_settings: !!str\n  master_key: x-secret-value-1\n", "!!str"),
    ("router_settings:\n  model_group_alias: !!omap [x-secret-value-1]\n", "x-secret"),
])
def test_what_the_proxys_loader_cannot_build_is_one_error_at_its_place(
        tmp_path: Path, line: str, column_of: str) -> None:
    """Loaded first, as the proxy does: an error at the value's line and column, exit 1,
    never a crash (exit 3), never the value (it may be a secret)."""
    text = OLLAMA_CONFIG + line
    config = write(tmp_path, text)
    run = validate(config)
    assert run.code == 1, run.stdout + run.stderr
    rows = findings(run.stdout)
    assert [r["rule"] for r in rows] in (["yaml-syntax"], ["yaml-tag"])
    lines = text.splitlines()
    number = next(i for i, l in enumerate(lines, 1) if column_of in l)
    assert rows[0]["line"] == str(number)
    assert rows[0]["col"] == str(lines[number - 1].index(column_of) + 1)
    assert "x-secret-value-1" not in run.stdout + run.stderr
    assert "will not start" in rows[0]["msg"]


def test_names_paths_modules_and_prices_are_not_called_secrets(tmp_path: Path) -> None:
    config = write(tmp_path, GOOD.replace("      api_base: http://127.0.0.1:11434\n",
                                          "      api_base: http://127.0.0.1:11434\n"
                                          "      credential_name: azure-prod\n"
                                          "      litellm_credential_name: prod-creds\n"
                                          "      vertex_credentials: /secrets/vertex.json\n"
                                          "      input_cost_per_token: \"$0.0000006\"\n")
                   + "  custom_auth: hooks.user_api_key_auth\n", )
    write(tmp_path, "def user_api_key_auth(*args):\n    return None\n", "hooks.py")
    assert "literal-secret" not in validate(config).stdout
    leaked = write(tmp_path, GOOD + "  database_url: postgresql://u:hunter2secret@db/x\n"
                   "litellm_settings:\n  api_key: sk-abcdefghijklmnopqrstuvwxyz\n",
                   "leaked.yaml")
    run = validate(leaked)
    assert "literal-secret" in run.stdout and "abcdefghijklmnop" not in run.stdout


def test_an_x_key_holding_anchors_is_not_an_unknown_key(tmp_path: Path) -> None:
    config = write(tmp_path, "x-ollama: &ollama\n  api_base: http://127.0.0.1:11434\n"
                   + GOOD.replace("      api_base: http://127.0.0.1:11434\n",
                                  "      <<: *ollama\n"))
    run = validate(config)
    assert run.code == 0 and "unknown-key" not in run.stdout, run.stdout


def test_a_module_the_proxy_imports_is_read_never_run(tmp_path: Path) -> None:
    config = write(tmp_path, GOOD + "  custom_auth: auth.check\n"
                   "litellm_settings:\n  callbacks: [hooks.handler]\n")
    marker = tmp_path / "ran"
    write(tmp_path, f"open({str(marker)!r}, 'w').close()\ndef check(*a):\n    return 1\n",
          "auth.py")
    write(tmp_path, "def handler(*args, **kwargs):\n    pass\n", "hooks.py")
    assert validate(config).code == 0 and not marker.exists()
    write(tmp_path, "def check(:\n", "auth.py")
    assert "syntax error" in validate(config).stdout
    write(tmp_path, "def other(*a):\n    return 1\n", "auth.py")
    run = validate(config)
    assert run.code == 1 and "defines no 'check'" in run.stdout and "[module-broken]" in run.stdout
