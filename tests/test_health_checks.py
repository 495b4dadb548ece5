"""Background health checks: what they cost, and the switch that keeps a preset out of them.

With `general_settings.background_health_checks: true` the proxy sends every deployment a
request in its own mode every `health_check_interval` seconds: a dall-e-3 image each time.
`validate` prices that (rule health-check-cost); the presets carry
`model_info.disable_background_health_check: true`, the switch litellm 1.100.0's background
loop honours (proxy_server._run_background_health_check). The recorded run in
tests/oracle/health-checks/ backs both: the real proxy, with an OpenAI stand-in on
127.0.0.1 that records every request, called the copies without the switch every second
and never the presets with it. `test_the_recorded_proxy_skips_...` records it again
(UPDATE_ORACLE=1 writes the record) and needs the proxy; the replay runs everywhere.
"""
from __future__ import annotations

import datetime as _dt
import http.server
import json
import os
import re
import signal
import subprocess
import threading
from pathlib import Path

import pytest
from helpers import cli

from generator.validate.per_file import validate_file
from generator.validate.with_proxy import free_port

RECORD = Path(__file__).parent / "oracle" / "health-checks"
TODAY = _dt.date(2026, 1, 1)
ENV = {"OPENAI_API_KEY": "sk-preset-key", "CONTROL_OPENAI_API_KEY": "sk-control-key",
       "LITELLM_MASTER_KEY": "sk-master"}
SEED_COSTS = {  # model_name -> dollars a day at 300 s, from the presets' own prices
    "tts-1": 288 * 17 * 0.000015, "tts-1-hd": 288 * 17 * 0.00003,
    "whisper-1": 288 * 0.66 * 0.0001, "dall-e-2": 288 * 0.02, "dall-e-3": 288 * 0.04}


def findings(config: Path, env: dict | None = None, **kwargs) -> list:
    return [f for f in validate_file(config, env={**ENV, **(env or {})}, today=TODAY, **kwargs)
            if f.rule == "health-check-cost"]


def entry_config(*entries: str, general: str = "  background_health_checks: true\n") -> str:
    return ("model_list:\n" + "".join(entries) + "general_settings:\n"
            "  master_key: os.environ/LITELLM_MASTER_KEY\n" + general)


def entry(name: str, mode: str, price: str = "", extra: str = "") -> str:
    return (f"  - model_name: {name}\n    litellm_params:\n      model: openai/{name}\n"
            f"      api_key: os.environ/OPENAI_API_KEY\n    model_info:\n      mode: {mode}\n"
            + (f"      {price}\n" if price else "") + extra)


DALL_E_3 = entry("dall-e-3", "image_generation", "output_cost_per_image: 0.04")


# -- what validate says -----------------------------------------------------------------------

def test_one_dall_e_3_every_five_minutes_is_288_images_a_day(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(entry_config(DALL_E_3))
    (found,) = findings(config)
    assert (found.severity, found.line, found.column) == ("warning", 2, 5)
    assert "288 images a day, about $11.52 a day at model_info.output_cost_per_image 0.04" \
        in found.message
    assert "disable_background_health_check: true" in found.message
    run = cli("validate", config, "--today", "2026-01-01", env=ENV)
    assert run.code == 0 and "[health-check-cost]" in run.stdout
    assert cli("validate", config, "--strict", env=ENV).code == 1


@pytest.mark.parametrize("general, images", [
    ("  background_health_checks: true\n  health_check_interval: 600\n", "144 images a day, "
     "about $5.76"),
    ("  background_health_checks: true\n  health_check_interval: 86400\n", "1 images a day, "
     "about $0.04"),
])
def test_the_interval_sets_the_count(tmp_path: Path, general: str, images: str) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(entry_config(DALL_E_3, general=general))
    (found,) = findings(config)
    assert images in found.message


@pytest.mark.parametrize("general", [
    "",                                                        # checks off by default
    "  background_health_checks: false\n",
    "  background_health_checks: true\n  health_check_interval: '300'\n",  # not an int: none
    "  background_health_checks: true\n  health_check_interval: 0\n",
    "  background_health_checks: true\n  background_health_check_model_groups: [other]\n",
])
def test_no_cost_when_the_proxy_makes_no_such_check(tmp_path: Path, general: str) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(entry_config(DALL_E_3, entry("other", "chat"), general=general))
    assert findings(config) == []


def test_the_switch_and_cheap_modes_cost_nothing(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(entry_config(
        entry("dall-e-3", "image_generation", "output_cost_per_image: 0.04",
              "      disable_background_health_check: true\n"),
        entry("gpt-4o", "chat", "input_cost_per_token: 0.0000025"),
        entry("text-embedding-3-small", "embedding")))
    assert findings(config) == []


def test_every_paid_mode_is_priced_by_its_own_model_info(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(entry_config(
        entry("tts-1", "audio_speech", "input_cost_per_character: 0.000015"),
        entry("whisper-1", "audio_transcription", "input_cost_per_second: 0.0001"),
        entry("dall-e-2", "image_generation", "input_cost_per_pixel: 0.0000000190734863"),
        entry("gpt-image-2", "image_generation", "output_cost_per_image_token: 0.00003")))
    by_name = {re.search(r"model '([^']+)'", f.message).group(1): f.message
               for f in findings(config)}
    assert "288 speech requests a day, about $0.07 a day at model_info.input_cost_per_" \
           "character 0.000015 x 17 characters a check" in by_name["tts-1"]
    assert "288 transcriptions a day, about $0.02 a day at model_info.input_cost_per_second " \
           "0.0001 x 0.66 seconds a check" in by_name["whisper-1"]
    assert "about $5.76 a day" in by_name["dall-e-2"]  # 1024 x 1024 pixels an image
    assert "288 images a day, each billed (priced per token" in by_name["gpt-image-2"]
    assert all("(all 3 priced media deployments: about $5.85 a day)" in m
               for m in by_name.values())


def test_the_proxys_own_default_interval_is_read_from_its_environment(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(entry_config(DALL_E_3))
    (found,) = findings(config, env={"DEFAULT_HEALTH_CHECK_INTERVAL": "60"})
    assert "1,440 images a day, about $57.60" in found.message


def test_included_and_nested_entries_are_priced_too(tmp_path: Path) -> None:
    (tmp_path / "media.yaml").write_text("model_list:\n" + DALL_E_3)
    config = tmp_path / "config.yaml"
    config.write_text("include:\n  - media.yaml\n" + entry_config())
    (found,) = findings(config)
    assert found.path.endswith("media.yaml") and found.line == 2
    values = tmp_path / "values.yaml"
    nested = entry_config(DALL_E_3)
    values.write_text("proxy_config:\n" + "".join(f"  {line}\n" for line in
                                                  nested.splitlines()))
    (found,) = findings(values, key_path=("proxy_config",))
    assert found.line == 3 and "$11.52" in found.message


def test_merged_presets_cost_nothing_unless_kept_in(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(entry_config())
    out = tmp_path / "out.yaml"
    assert cli("merge", config, "-o", out).code == 0
    assert findings(out) == []
    assert cli("merge", config, "-o", out, "--health-check-media").code == 0
    found = findings(out)
    assert [re.search(r"model '([^']+)'", f.message).group(1) for f in found] == list(SEED_COSTS)
    total = f"${sum(SEED_COSTS.values()):,.2f}"
    assert all(f"(all 5 priced media deployments: about {total} a day)" in f.message
               for f in found)
    assert total == "$17.52"


# -- the recorded run of the real proxy -------------------------------------------------------

def recorded_config_text() -> str:
    """The record's config, made by this checkout: the presets as merged, with the switch,
    and copies of them without it (`render --health-check-media`), named *-checked, whose
    key tells their requests apart."""
    control = cli("render", "--health-check-media", "--api-key-env", "CONTROL_OPENAI_API_KEY")
    assert control.code == 0
    copies = re.sub(r"(model_name: )(\S+)", r"\1\2-checked",
                    control.stdout.split("\n", 1)[1])
    copies = "".join(line for line in copies.splitlines(keepends=True) if "# " not in line)
    return ("# litellm[proxy]==1.100.0 with background health checks every second; see\n"
            "# tests/test_health_checks.py. The *-checked copies lack the switch.\n"
            "model_list:\n" + copies + "general_settings:\n"
            "  master_key: os.environ/LITELLM_MASTER_KEY\n"
            "  background_health_checks: true\n  health_check_interval: 1\n")


def test_the_record_is_of_this_checkouts_presets(tmp_path: Path) -> None:
    base = tmp_path / "base.yaml"
    base.write_text(recorded_config_text())
    made = tmp_path / "config.yaml"
    assert cli("merge", base, "-o", made).code == 0
    assert made.read_text() == (RECORD / "config.yaml").read_text(), \
        "the presets changed: record again with UPDATE_ORACLE=1 (needs the proxy)"


def test_validate_prices_exactly_what_the_recorded_proxy_called() -> None:
    record = json.loads((RECORD / "record.json").read_text())
    config = RECORD / "config.yaml"
    called = {name for name, count in record["requests"].items() if count}
    assert called == {f"{name}-checked" for name in SEED_COSTS}
    assert all(record["requests"][name] == 0 for name in SEED_COSTS)
    priced = {re.search(r"model '([^']+)'", f.message).group(1) for f in findings(config)}
    assert priced == called


class _Recorder(http.server.ThreadingHTTPServer):
    """An OpenAI stand-in: answers like it and counts requests by the key they carry."""

    def __init__(self, keys: dict[str, str]) -> None:
        super().__init__(("127.0.0.1", 0), _Answer)
        self.keys = keys           # api key -> the model_name family it belongs to
        self.seen: list[tuple[str, str, str]] = []  # (key's family, path, model)
        self.changed = threading.Condition()


class _Answer(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        key = self.headers.get("authorization", "").removeprefix("Bearer ")
        model = re.search(rb'"model": ?"([^"]+)"|name="model"\r\n\r\n([^\r]+)', body)
        name = (model.group(1) or model.group(2)).decode() if model else "?"
        with self.server.changed:
            self.server.seen.append((self.server.keys.get(key, key), self.path, name))
            self.server.changed.notify_all()
        if self.path.endswith("/audio/speech"):
            self._send(b"ID3", "audio/mpeg")
        elif "/images/" in self.path:
            self._send(json.dumps({"created": 1, "data": [{"url": "http://127.0.0.1/x.png"}]})
                       .encode(), "application/json")
        else:
            self._send(b'{"text": "test from litellm"}', "application/json")

    def _send(self, data: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("content-type", kind)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@pytest.mark.proxy
def test_the_recorded_proxy_skips_deployments_with_the_switch(tmp_path: Path) -> None:
    from test_proxy_e2e import proxy_bin

    binary = proxy_bin()
    base = tmp_path / "base.yaml"
    base.write_text(recorded_config_text())
    config = tmp_path / "config.yaml"
    assert cli("merge", base, "-o", config).code == 0
    recorder = _Recorder({ENV["OPENAI_API_KEY"]: "preset", ENV["CONTROL_OPENAI_API_KEY"]:
                          "copy"})
    threading.Thread(target=recorder.serve_forever, daemon=True).start()
    stand_in = f"http://127.0.0.1:{recorder.server_address[1]}/v1"
    log = tmp_path / "proxy.log"
    process = subprocess.Popen(
        [binary, "--config", str(config), "--host", "127.0.0.1", "--port", str(free_port())],
        stdout=log.open("wb"), stderr=subprocess.STDOUT, cwd=tmp_path, start_new_session=True,
        # OPENAI_BASE_URL (the OpenAI SDK: images, speech) and OPENAI_API_BASE (litellm's own
        # handlers) send every OpenAI request of the run to the stand-in.
        env={**os.environ, **ENV, "OPENAI_BASE_URL": stand_in, "OPENAI_API_BASE": stand_in,
             "LITELLM_LOG": "INFO", "DISABLE_SCHEMA_UPDATE": "true"})
    names = list(SEED_COSTS)

    def copies_called_twice() -> bool:  # two whole cycles: the presets had two chances
        calls = [model for family, _, model in recorder.seen if family == "copy"]
        return all(calls.count(name) >= 2 for name in names)
    try:
        with recorder.changed:
            done = recorder.changed.wait_for(
                lambda: copies_called_twice() or process.poll() is not None, timeout=300)
        assert done and process.poll() is None, log.read_text()[-3000:]
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        recorder.shutdown()
    with recorder.changed:
        seen = list(recorder.seen)
    requests = {f"{name}-checked": sum(1 for f, _, m in seen if f == "copy" and m == name)
                for name in names}
    requests.update({name: sum(1 for f, _, m in seen if f == "preset" and m == name)
                     for name in names})
    assert all(requests[name] == 0 for name in names), seen  # the switch held
    paths = sorted({path for _, path, _ in seen})
    assert paths == ["/v1/audio/speech", "/v1/audio/transcriptions", "/v1/images/generations"]
    loop = next(line for line in log.read_text(errors="replace").splitlines()
                if "background_health_check_loop_started" in line)
    if os.environ.get("UPDATE_ORACLE") == "1":
        (RECORD / "config.yaml").write_text(config.read_text())
        (RECORD / "record.json").write_text(json.dumps({
            "proxy": "litellm[proxy]==1.100.0",
            "how": "tests/test_health_checks.py::test_the_recorded_proxy_skips_deployments_"
                   "with_the_switch; requests counted at an OpenAI stand-in on 127.0.0.1 until "
                   "every *-checked copy had been called twice",
            "loop": re.sub(r"^.*?(background_health_check_loop_started)", r"\1", loop),
            "requests": {name: requests[name] for name in sorted(requests)},
            "paths": paths}, indent=2) + "\n")
