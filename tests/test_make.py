"""The Make targets operators run: `make restart` is gated by validate.

The targets run against this checkout's .venv (`-o` keeps make from reinstalling
it); RESTART is a command that leaves a mark, so the test sees whether the restart
step ran without a proxy to restart.
"""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import OLLAMA_CONFIG

ROOT = Path(__file__).resolve().parent.parent
GOOD = OLLAMA_CONFIG
# The targets that run litellm-gen run this checkout's .venv: `make test` sets it up; a plain
# `pytest` in a clone set up otherwise has none, and these tests say so instead of failing.
needs_venv = pytest.mark.skipif(
    not (ROOT / ".venv" / "bin" / "litellm-gen").exists(),
    reason="the Make targets run .venv/bin/litellm-gen, which `make test` (or `make config`) "
           "installs; this checkout has no .venv")


def make(*args: str) -> subprocess.CompletedProcess:
    # The environment a restart runs in has the master key the proxy reads (without one,
    # validate reports that the proxy would start open: no-master-key).
    env = {**os.environ, "LITELLM_MASTER_KEY": "sk-make-test"}
    return subprocess.run(["make", "--no-print-directory", "-o", ".venv/bin/.installed", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)


@needs_venv
def test_restart_refuses_a_config_with_errors_and_keeps_the_proxy(tmp_path: Path) -> None:
    config, output, marker = tmp_path / "config.yaml", tmp_path / "out.yaml", tmp_path / "restarted"
    config.write_text(GOOD.replace("ollama/llama3", "llama3"), encoding="utf-8")
    run = make("restart", f"CONFIG={config}", f"OUTPUT={output}", f"RESTART=touch {marker}",
               "VERIFY_WAIT=0", "PROXY_PORT=9")
    assert run.returncode != 0
    assert not marker.exists(), "the restart ran into a config the proxy would drop a model of"
    assert "was not restarted" in run.stderr
    # Each finding once: the merge does not validate a second time before the gate.
    assert (run.stdout + run.stderr).count("[unknown-provider]") == 1, run.stdout + run.stderr
    config.write_text(GOOD, encoding="utf-8")
    run = make("restart", f"CONFIG={config}", f"OUTPUT={output}", f"RESTART=touch {marker}",
               "VERIFY_WAIT=0", "PROXY_PORT=9")
    assert marker.exists(), run.stderr  # (verify then fails: nothing listens on port 9)


@needs_venv
def test_config_validates_what_it_wrote(tmp_path: Path) -> None:
    config, output = tmp_path / "config.yaml", tmp_path / "out.yaml"
    config.write_text(GOOD.replace("ollama/llama3", "llama3"), encoding="utf-8")
    run = make("config", f"CONFIG={config}", f"OUTPUT={output}")
    assert run.returncode == 0 and output.exists()  # the merge is done; errors are reported
    assert "unknown-provider" in run.stdout and "1 error" in run.stdout


@needs_venv
def test_litellm_version_reaches_validate_and_restart(tmp_path: Path) -> None:
    """The same file and environment: 1.100.0 starts with sk-1234 as the master key, 1.106.12
    refuses to start (recorded), so restart stops before RESTART only on the latter."""
    config, output, marker = tmp_path / "config.yaml", tmp_path / "out.yaml", tmp_path / "restarted"
    config.write_text(GOOD + "general_settings:\n  master_key: os.environ/WEAK_KEY\n",
                      encoding="utf-8")
    env_file = tmp_path / ".env"
    env_file.write_text("WEAK_KEY=sk-1234\n", encoding="utf-8")
    args = [f"CONFIG={config}", f"OUTPUT={output}", f"ENV_FILE={env_file}"]
    judged = [f"OUTPUT={config}", f"ENV_FILE={env_file}"]
    old = make("validate", *judged, "LITELLM_VERSION=1.100.0")
    new = make("validate", *judged, "LITELLM_VERSION=1.106.12")
    assert "judged by litellm 1.100.0 (--litellm)" in old.stdout, old.stdout + old.stderr
    assert "judged by litellm 1.106.12 (--litellm)" in new.stdout
    assert old.returncode == 0 and new.returncode != 0 and "[master-key-refused]" in new.stdout
    restart = [*args, f"RESTART=touch {marker}", "VERIFY_WAIT=0", "PROXY_PORT=9"]
    make("restart", *restart, "LITELLM_VERSION=1.106.12")
    assert not marker.exists(), "restarted into a release that refuses the master key"
    make("restart", *restart, "LITELLM_VERSION=1.100.0")
    assert marker.exists()


def test_help_lists_every_target_and_phony_names_only_real_rules() -> None:
    makefile = (ROOT / "Makefile").read_text()
    phony = re.search(r"^\.PHONY:((?:.*\\\n)*.*)$", makefile, re.M).group(1)
    names = phony.replace("\\\n", " ").split()
    rules = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.M))
    assert names and set(names) <= rules, set(names) - rules
    shown = make("help").stdout
    listed = set(re.findall(r"^make ([a-z-]+)", shown, re.M))
    assert {"clean", "compile", "test-lowest"} <= listed
    assert listed == rules - {"help", "proxy-restart"}, rules - listed
    assert "about 7 minutes and 1 GB" in shown  # README.md: the measured first run


def fake_proxy_environment(tmp_path: Path) -> Path:
    """A stand-in for .venv-proxy whose `litellm` only waits to be stopped."""
    venv = tmp_path / "fake-venv-proxy"
    (venv / "bin").mkdir(parents=True)
    (venv / ".installed").touch()
    script = venv / "bin" / "litellm"
    script.write_text(f"#!{sys.executable}\nimport signal, sys\n"
                      "signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))\n"
                      "sys.stdout.write('serving\\n'); sys.stdout.flush()\nsignal.pause()\n")
    script.chmod(0o755)
    return venv


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a stopped child of this test is a zombie until reaped: not running
    state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    return state != "Z"


def test_restart_stops_only_the_proxy_started_from_this_folder(tmp_path: Path) -> None:
    venv, pid_file = fake_proxy_environment(tmp_path), tmp_path / "proxy.pid"
    output = tmp_path / "config.yaml"
    output.write_text(GOOD)
    args = ["proxy-restart", f"PROXY_VENV={venv}", f"OUTPUT={output}", f"PROXY_PID={pid_file}",
            "PROXY_PORT=9"]
    elsewhere = tmp_path / "other-checkout"
    elsewhere.mkdir()
    # Another checkout's proxy, with the very same command line.
    other = subprocess.Popen([str(venv / "bin" / "litellm"), "--config", str(output), "--host",
                              "127.0.0.1", "--port", "9"], cwd=elsewhere,
                             stdout=subprocess.PIPE, text=True)
    started: list[int] = []
    try:
        assert other.stdout.readline() == "serving\n"
        first = make(*args)
        assert first.returncode == 0, first.stderr
        assert f"no proxy started from this folder is running ({pid_file}); starting one" \
            in first.stdout
        started.append(int(pid_file.read_text().split()[0]))
        assert alive(started[0])
        again = make(*args)
        assert again.returncode == 0, again.stderr
        assert f"stopping the proxy started from this folder (pid {started[0]})" in again.stdout
        started.append(int(pid_file.read_text().split()[0]))
        assert not alive(started[0]) and alive(started[1])
        assert other.poll() is None, "a proxy of another checkout was stopped"
        # A pid file whose process is gone, or is another process now: nothing is stopped.
        pid_file.write_text(f"{other.pid}\nSat Jan  1 00:00:00 2000\n")
        stale = make(*args)
        assert "no proxy started from this folder is running" in stale.stdout
        started.append(int(pid_file.read_text().split()[0]))
        assert other.poll() is None and alive(started[1])
    finally:
        for pid in started:
            if alive(pid):
                os.kill(pid, signal.SIGTERM)
        other.terminate()
        other.wait(timeout=30)
