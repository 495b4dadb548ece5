"""The Make targets operators run: `make restart` is gated by validate.

The targets run against this checkout's .venv (`-o` keeps make from reinstalling
it); RESTART is a command that leaves a mark, so the test sees whether the restart
step ran without a proxy to restart.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from helpers import OLLAMA_CONFIG

ROOT = Path(__file__).resolve().parent.parent
GOOD = OLLAMA_CONFIG


def make(*args: str) -> subprocess.CompletedProcess:
    # The environment a restart runs in has the master key the proxy reads (without one,
    # validate reports that the proxy would start open: no-master-key).
    env = {**os.environ, "LITELLM_MASTER_KEY": "sk-make-test"}
    return subprocess.run(["make", "--no-print-directory", "-o", ".venv/bin/.installed", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)


def test_restart_refuses_a_config_with_errors_and_keeps_the_proxy(tmp_path: Path) -> None:
    config, output, marker = tmp_path / "config.yaml", tmp_path / "out.yaml", tmp_path / "restarted"
    config.write_text(GOOD.replace("ollama/llama3", "llama3"), encoding="utf-8")
    run = make("restart", f"CONFIG={config}", f"OUTPUT={output}", f"RESTART=touch {marker}",
               "VERIFY_WAIT=0", "PROXY_PORT=9")
    assert run.returncode != 0
    assert not marker.exists(), "the restart ran into a config the proxy would drop a model of"
    assert "unknown-provider" in run.stderr and "was not restarted" in run.stderr
    config.write_text(GOOD, encoding="utf-8")
    run = make("restart", f"CONFIG={config}", f"OUTPUT={output}", f"RESTART=touch {marker}",
               "VERIFY_WAIT=0", "PROXY_PORT=9")
    assert marker.exists(), run.stderr  # (verify then fails: nothing listens on port 9)


def test_config_validates_what_it_wrote(tmp_path: Path) -> None:
    config, output = tmp_path / "config.yaml", tmp_path / "out.yaml"
    config.write_text(GOOD.replace("ollama/llama3", "llama3"), encoding="utf-8")
    run = make("config", f"CONFIG={config}", f"OUTPUT={output}")
    assert run.returncode == 0 and output.exists()  # the merge is done; errors are reported
    assert "unknown-provider" in run.stdout and "1 error" in run.stdout
