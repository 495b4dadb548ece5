"""End to end against the real LiteLLM proxy (litellm[proxy]==1.100.0 from PyPI).

`make test` installs the proxy into .venv-proxy and passes its path in
LITELLM_PROXY_BIN. Each proxy is started on a free port of 127.0.0.1 and always
stopped, also when a test fails.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import urllib.request
from pathlib import Path

import pytest
from helpers import SEED, cli, installed_or_skip

from generator.validate.with_proxy import free_port

ROOT = Path(__file__).resolve().parents[1]
MASTER_KEY = "sk-e2e-master-key"
OLLAMA_CONFIG = """# operator's proxy
model_list:
  # local chat model
  - model_name: llama3
    litellm_params:
      model: ollama/llama3
      api_base: http://127.0.0.1:11434   # ollama serve
      tags: [local]
  - model_name: nomic-embed
    litellm_params:
      model: ollama/nomic-embed-text
      api_base: http://127.0.0.1:11434
    model_info:
      mode: embedding
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
"""


pytestmark = pytest.mark.proxy


def proxy_bin() -> str:
    """The proxy's command; `make test` requires it, a plain `pytest` skips without it."""
    path = os.environ.get("LITELLM_PROXY_BIN", str(ROOT / ".venv-proxy" / "bin" / "litellm"))
    return installed_or_skip(path, f"the LiteLLM proxy is not installed at {path}; `make test` "
                                   "installs litellm[proxy]==1.100.0 into .venv-proxy")


class Proxy:
    def __init__(self, config: Path, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "OPENAI_API_KEY": "sk-dummy-for-start-up",
               "LITELLM_MASTER_KEY": MASTER_KEY, "LITELLM_LOG": "ERROR",
               "LITELLM_MODE": "PRODUCTION", "DISABLE_SCHEMA_UPDATE": "true"}
        self.log = log
        self.process = subprocess.Popen(
            [proxy_bin(), "--config", str(config), "--host", "127.0.0.1", "--port",
             str(self.port)], stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env,
            cwd=config.parent, start_new_session=True)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def model_info(self, key: str = MASTER_KEY) -> list[dict]:
        request = urllib.request.Request(self.url + "/model/info",
                                         headers={"Authorization": f"Bearer {key}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)["data"]


def start_and_wait(config: Path, log: Path) -> Proxy:
    proxy = Proxy(config, log)
    try:
        run = cli("verify", config, "--url", proxy.url, "--wait", "240",
                  env={"LITELLM_MASTER_KEY": MASTER_KEY})
        if proxy.process.poll() is not None or run.code == 2:
            raise AssertionError(f"the proxy did not come up: {run.stderr}\n"
                                 f"{log.read_text()[-3000:]}")
    except BaseException:
        proxy.stop()
        raise
    return proxy


def assert_presets_served(proxy: Proxy) -> dict:
    """Every seed preset is in /model/info with its mode and tags; returns what was served."""
    data = {d["model_name"]: d for d in proxy.model_info()}
    for name, (mode, _, tags) in SEED.items():
        assert data[name]["model_info"]["mode"] == mode
        assert data[name]["litellm_params"]["tags"] == tags
    return data


@pytest.fixture(scope="module")
def merged(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("e2e")
    (folder / "config.yaml").write_text(OLLAMA_CONFIG)
    assert cli("merge", folder / "config.yaml", "-o", folder / "output" / "config.yaml").code == 0
    return folder / "output" / "config.yaml"


@pytest.fixture(scope="module")
def proxy(merged: Path):
    running = start_and_wait(merged, merged.parent / "proxy.log")
    yield running
    running.stop()


def test_verify_reports_every_model_served(proxy: Proxy, merged: Path) -> None:
    run = cli("verify", merged, "--url", proxy.url, env={"LITELLM_MASTER_KEY": MASTER_KEY})
    assert run.code == 0, run.stdout + run.stderr
    served = [line.split()[1] for line in run.stdout.splitlines() if line.startswith("  served")]
    assert sorted(served) == sorted(["llama3", "nomic-embed", *SEED])
    assert "7 of 7 served" in run.stdout
    assert MASTER_KEY not in run.stdout + run.stderr


def test_presets_are_served_with_modes_and_tags(proxy: Proxy) -> None:
    data = {d["model_name"]: d for d in proxy.model_info()}
    for name, (mode, _, tags) in SEED.items():
        assert data[name]["model_info"]["mode"] == mode
        assert data[name]["litellm_params"]["tags"] == tags
        assert data[name]["model_info"]["tags"] == tags
        assert data[name]["litellm_params"]["model"] == name


def test_ollama_entries_are_served_unchanged(proxy: Proxy) -> None:
    data = {d["model_name"]: d for d in proxy.model_info()}
    assert data["llama3"]["litellm_params"]["model"] == "ollama/llama3"
    assert data["llama3"]["litellm_params"]["api_base"] == "http://127.0.0.1:11434"
    assert data["llama3"]["litellm_params"]["tags"] == ["local"]
    assert data["nomic-embed"]["litellm_params"]["model"] == "ollama/nomic-embed-text"
    assert data["nomic-embed"]["model_info"]["mode"] == "embedding"


def test_verify_json_and_presets_only(proxy: Proxy, merged: Path) -> None:
    run = cli("verify", merged, "--url", proxy.url, "--presets-only", "--format", "json",
              env={"LITELLM_MASTER_KEY": MASTER_KEY})
    report = json.loads(run.stdout)
    assert run.code == 0 and report["ok"] is True
    assert sorted(m["model_name"] for m in report["models"]) == sorted(SEED)
    assert {m["owner"] for m in report["models"]} == {"litellm-gen"}


def test_verify_exits_1_when_a_model_is_not_served(proxy: Proxy, merged: Path) -> None:
    extra = merged.parent / "more.yaml"
    extra.write_text(merged.read_text().replace(
        "general_settings:", "  - model_name: not-served\n    litellm_params:\n"
        "      model: ollama/nothing\ngeneral_settings:"))
    run = cli("verify", extra, "--url", proxy.url, env={"LITELLM_MASTER_KEY": MASTER_KEY})
    assert run.code == 1
    assert any(l.startswith("  missing") and "not-served" in l for l in run.stdout.splitlines())


def test_verify_exits_2_with_a_wrong_master_key(proxy: Proxy, merged: Path) -> None:
    run = cli("verify", merged, "--url", proxy.url, env={"LITELLM_MASTER_KEY": "sk-wrong"})
    assert run.code == 2
    assert "refused the request (HTTP 400)" in run.stderr and proxy.url in run.stderr
    assert "sk-wrong" not in run.stderr + run.stdout


def test_verify_exits_2_when_nothing_listens(merged: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    run = cli("verify", merged, "--url", url, env={"LITELLM_MASTER_KEY": MASTER_KEY})
    assert run.code == 2
    assert f"cannot reach the proxy at {url}" in run.stderr and "make proxy" in run.stderr


def test_presets_from_an_included_file_are_served(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text(OLLAMA_CONFIG)
    out = tmp_path / "output" / "config.yaml"
    run = cli("merge", tmp_path / "config.yaml", "-o", out, "--include-file",
              "openai-presets.yaml")
    assert run.code == 0, run.stderr
    assert "- openai-presets.yaml" in out.read_text()
    assert "model_name: tts-1" not in out.read_text()
    proxy = start_and_wait(out, tmp_path / "proxy.log")
    try:
        assert_presets_served(proxy)
        run = cli("verify", out, "--url", proxy.url, env={"LITELLM_MASTER_KEY": MASTER_KEY})
        assert run.code == 0 and "openai-presets.yaml:" in run.stdout
    finally:
        proxy.stop()


def test_configmap_config_is_served_as_kubernetes_mounts_it(tmp_path: Path) -> None:
    """A real two-document manifest (tests/manifests/05-dgx-spark.yaml, see SOURCES.tsv)."""
    import yaml
    manifest = tmp_path / "litellm.yaml"
    manifest.write_bytes((ROOT / "tests" / "manifests" / "05-dgx-spark.yaml").read_bytes())
    assert cli("merge", manifest, "--in-place").code == 0
    # What the kubelet does: parse the manifest, take data[config.yaml], write it to a file.
    configmap = next(d for d in yaml.safe_load_all(manifest.read_text()) if d and
                     d["kind"] == "ConfigMap")
    mounted = tmp_path / "app" / "config.yaml"
    mounted.parent.mkdir()
    mounted.write_text(configmap["data"]["config.yaml"])
    proxy = start_and_wait(mounted, tmp_path / "proxy.log")
    try:
        data = assert_presets_served(proxy)
        assert {"qwen3-embed", "qwen3-chat"} <= set(data)
        # verify reads the manifest itself, and checks it against the running proxy.
        run = cli("verify", manifest, "--url", proxy.url, env={"LITELLM_MASTER_KEY": MASTER_KEY})
        assert run.code == 0, run.stdout + run.stderr
        assert "7 of 7 served" in run.stdout
    finally:
        proxy.stop()
