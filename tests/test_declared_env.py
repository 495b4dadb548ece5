"""Findings that depend on the environment are errors only in the deployment's environment.

validate cannot know whether the shell it runs in is where the proxy runs: pre-commit
on a laptop and CI never have the proxy's variables. So an unset variable is an error
only when the environment is declared the deployment's (--env-file, --deployment-env,
`make restart`), and elsewhere a warning that says so. Every environment-dependent
rule of the registry is held to this, through the real CLI and through make.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers import OLLAMA_CONFIG, cli

from generator.validate.registry import RULES

ROOT = Path(__file__).resolve().parent.parent
MASTER = OLLAMA_CONFIG + "general_settings:\n  master_key: os.environ/LGT_MASTER_KEY\n"
# One config per environment-dependent rule of the registry, with the variable unset.
BY_RULE = {
    "master-key-unset": MASTER,
    "master-key-refused": MASTER,  # on a release that checks the master key, below
    "model-env-unset": OLLAMA_CONFIG.replace("ollama/llama3", "os.environ/LGT_MODEL"),
    "env-unset": OLLAMA_CONFIG + "      api_key: os.environ/LGT_KEY\n",
    # No cache_params at all: only then does the proxy read REDIS_HOST / REDIS_URL.
    "cache-no-host": OLLAMA_CONFIG + "litellm_settings:\n  cache: true\n",
    "cache-env-unset": OLLAMA_CONFIG + "litellm_settings:\n  cache: true\n  cache_params:\n"
                                       "    type: redis\n    host: 127.0.0.1\n"
                                       "    password: os.environ/LGT_REDIS\n",
    "no-master-key": OLLAMA_CONFIG,  # and LITELLM_MASTER_KEY unset, below
    "slack-webhook-unset": OLLAMA_CONFIG + "general_settings:\n  alerting: [slack]\n",
    "guardrail-needs-env": OLLAMA_CONFIG + "guardrails:\n  - guardrail_name: pii\n"
                                           "    litellm_params:\n      guardrail: presidio\n"
                                           "      mode: pre_call\n",
}
UNSET = {"LGT_MASTER_KEY": None, "LGT_MODEL": None, "LGT_KEY": None, "LGT_REDIS": None,
         "REDIS_HOST": None, "REDIS_URL": None, "SLACK_WEBHOOK_URL": None,
         "PRESIDIO_ANALYZER_API_BASE": None, "PRESIDIO_ANONYMIZER_API_BASE": None,
         "LITELLM_MASTER_KEY": "sk-set-where-it-runs"}
# The one rule about the master key's own variable: unset there.
ENV_BY_RULE = {"no-master-key": {"LITELLM_MASTER_KEY": None}}
# The release each rule is judged by (the base's, unless a later release's check is the rule).
RELEASE_BY_RULE = {"master-key-refused": "1.106.12"}


def validate(*args, env=None, release="1.100.0"):
    return cli("validate", "--isolated", "--litellm", release, *args,
               env={**UNSET, **(env or {})})


def test_every_environment_dependent_rule_has_a_case_here() -> None:
    assert set(BY_RULE) == {name for name, rule in RULES.items() if rule.env_dependent}


@pytest.mark.parametrize("rule", sorted(BY_RULE))
def test_outside_the_deployment_an_unset_variable_is_a_warning_that_says_so(
        tmp_path: Path, rule: str) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(BY_RULE[rule], encoding="utf-8")
    release = RELEASE_BY_RULE.get(rule, "1.100.0")
    run = validate(config, env=ENV_BY_RULE.get(rule), release=release)
    assert run.code == 0, run.stdout
    (line,) = [x for x in run.stdout.splitlines() if x.endswith(f"[{rule}]")]
    assert ": warning: " in line and "not set here" in line
    assert "not the deployment's environment" in line
    declared = validate(config, "--deployment-env", env=ENV_BY_RULE.get(rule), release=release)
    (line,) = [x for x in declared.stdout.splitlines() if x.endswith(f"[{rule}]")]
    assert line.split(": ")[1] == RULES[rule].severity
    assert "deployment's environment" not in line
    assert declared.code == (1 if RULES[rule].severity == "error" else 0)


def test_an_env_file_declares_the_environment(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(MASTER, encoding="utf-8")
    env_file = tmp_path / ".env"
    env_file.write_text("OTHER=1\n", encoding="utf-8")
    run = validate(config, "--env-file", env_file)
    assert run.code == 1 and ": error: " in run.stdout and "master-key-unset" in run.stdout
    env_file.write_text("LGT_MASTER_KEY=sk-from-env-file\n", encoding="utf-8")
    run = validate(config, "--env-file", env_file)
    assert run.code == 0 and "master-key-unset" not in run.stdout


def test_the_summary_says_what_an_unset_master_key_does(tmp_path: Path) -> None:
    """It starts open: not 'will not start', and not a clean bill of health either."""
    config = tmp_path / "config.yaml"
    config.write_text(MASTER, encoding="utf-8")
    summary = validate(config, "--deployment-env").stdout.splitlines()[-1]
    assert "will start open (no master key)" in summary and "will not start" not in summary
    summary = validate(config).stdout.splitlines()[-1]
    assert "Unless the variables unset here are set where it runs, it starts open" in summary


def make(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    from helpers import make_target

    return make_target(*args, env=env, unset=("LGT_MASTER_KEY",))


def test_make_restart_refuses_a_master_key_unset_where_it_restarts(tmp_path: Path) -> None:
    config, output, marker = tmp_path / "config.yaml", tmp_path / "out.yaml", tmp_path / "ran"
    config.write_text(MASTER, encoding="utf-8")
    # 1.100.0 starts open without one (later releases refuse: master-key-refused).
    common = (f"CONFIG={config}", f"OUTPUT={output}", f"RESTART=touch {marker}",
              "VERIFY_WAIT=0", "PROXY_PORT=9", "MERGE_ARGS=--preset-set openai-seed",
              "LITELLM_VERSION=1.100.0")
    run = make("restart", *common)
    assert run.returncode != 0 and not marker.exists(), run.stdout
    assert "master-key-unset" in run.stderr and "was not restarted" in run.stderr
    # The same file on a laptop (make validate) only warns...
    check = make("validate", f"OUTPUT={output}", "LITELLM_VERSION=1.100.0")
    assert check.returncode == 0 and "warning" in check.stdout
    # ...and with the variable set where it restarts, the restart runs.
    make("restart", *common, env={"LGT_MASTER_KEY": "sk-test"})
    assert marker.exists()


def test_make_restart_judges_by_the_env_file_it_is_given(tmp_path: Path) -> None:
    config, output, marker = tmp_path / "config.yaml", tmp_path / "out.yaml", tmp_path / "ran"
    config.write_text(MASTER, encoding="utf-8")
    env_file = tmp_path / "proxy.env"
    env_file.write_text("LGT_MASTER_KEY=sk-compose\n", encoding="utf-8")
    make("restart", f"CONFIG={config}", f"OUTPUT={output}", f"RESTART=touch {marker}",
         "VERIFY_WAIT=0", "PROXY_PORT=9", f"ENV_FILE={env_file}")
    assert marker.exists()
