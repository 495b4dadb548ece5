"""Shared test helpers: the CLI runner and the merge invariants, written for these tests."""
from __future__ import annotations

import difflib
import os
import shlex
from dataclasses import dataclass
from pathlib import Path

import yaml
from typer.testing import CliRunner

from generator.cli.app import app

SEED = {
    "tts-1": ("audio_speech", {"input_cost_per_character": 0.000015}, ["compat", "openai-real", "tts"]),
    "tts-1-hd": ("audio_speech", {"input_cost_per_character": 0.00003},
                 ["compat", "openai-real", "tts", "hd"]),
    "whisper-1": ("audio_transcription", {"input_cost_per_second": 0.0001},
                  ["compat", "openai-real", "stt"]),
    "dall-e-2": ("image_generation", {"output_cost_per_image": 0.02},
                 ["compat", "openai-real", "image-gen"]),
    "dall-e-3": ("image_generation", {"output_cost_per_image": 0.04},
                 ["compat", "openai-real", "image-gen", "hd"]),
}


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def cli(*args, env=None) -> Run:
    argv = [str(a) for a in args]
    if len(argv) == 1 and " " in argv[0]:
        argv = shlex.split(argv[0])
    try:  # click before 8.2 mixes standard error into standard output unless told not to
        runner = CliRunner(env=env, mix_stderr=False)
    except TypeError:  # click 8.2 and later (and the copy newer typers carry): always apart
        runner = CliRunner(env=env)
    result = runner.invoke(app, argv, catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


def seed_entry(name: str, api_key_env: str = "OPENAI_API_KEY",
               health_check_media: bool = False) -> dict:
    """A seed preset as the proxy loads it; by default kept out of background health checks."""
    mode, cost, tags = SEED[name]
    switch = {} if health_check_media else {"disable_background_health_check": True}
    return {"model_name": name,
            "litellm_params": {"model": name, "custom_llm_provider": "openai",
                               "api_key": f"os.environ/{api_key_env}",
                               "tags": tags},
            "model_info": {"litellm_provider": "openai", "mode": mode, **cost, "tags": tags,
                           **switch}}


def load(raw: bytes):
    return yaml.safe_load(raw.decode("utf-8-sig"))


def only_added_lines(before: bytes, after: bytes) -> list[str]:
    """Lines of `before` that are not kept, in order, in `after` (empty when only lines were added)."""
    a = before.decode("utf-8-sig").splitlines()
    b = after.decode("utf-8-sig").splitlines()
    lost = []
    for tag, i1, i2, _, _ in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag in ("delete", "replace"):
            lost.extend(a[i1:i2])
    return lost


def assert_seed_merged(before: bytes, after: bytes, names=tuple(SEED)) -> None:
    """The output is the input's data with the named seed presets appended to model_list."""
    data_in, data_out = load(before), load(after)
    expected = dict(data_in)
    expected["model_list"] = list(data_in.get("model_list") or []) + [seed_entry(n) for n in names]
    assert data_out == expected
    if b"\r\n" in before:
        assert after.count(b"\n") == after.count(b"\r\n")
    assert after.startswith(b"\xef\xbb\xbf") == before.startswith(b"\xef\xbb\xbf")
    assert after.endswith(b"\n") == before.endswith(b"\n")


# One Ollama deployment, as a config's model_list (validate and make tests start from it).
OLLAMA_CONFIG = """\
model_list:
  - model_name: llama3
    litellm_params:
      model: ollama/llama3
      api_base: http://127.0.0.1:11434
"""


def same_data(a, b, _seen=None) -> bool:
    """Loaded YAML values equal as the proxy would see them: strict about types (1, 1.0 and
    True differ), key order and NaN, and safe on the cycles aliases and merge keys can build
    (`x: &d {<<: *d}`). Written here, apart from the tool's own comparison."""
    import math

    seen = set() if _seen is None else _seen
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, (dict, list)):
        if (id(a), id(b)) in seen:
            return True
        seen.add((id(a), id(b)))
    if isinstance(a, dict):
        return list(map(repr, a)) == list(map(repr, b)) and all(
            same_data(x, y, seen) for x, y in zip(a.values(), b.values()))
    if isinstance(a, list):
        return len(a) == len(b) and all(same_data(x, y, seen) for x, y in zip(a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


def installed_or_skip(path: Path | str, message: str) -> str:
    """`path` when it exists; else `make test` (LITELLM_GEN_REQUIRE_PROXY) fails with
    `message` and a plain `pytest` skips with it."""
    import pytest

    if not Path(path).exists():
        if os.environ.get("LITELLM_GEN_REQUIRE_PROXY"):
            pytest.fail(message)
        pytest.skip(message)
    return str(path)


def make_target(*args: str, env: dict | None = None, unset: tuple[str, ...] = ()):
    """`make ARGS` in this checkout with its .venv as it is (`-o` keeps make from reinstalling
    it); the variables in `unset` are left out. The targets run .venv/bin/litellm-gen, which
    `make test` installs: without it `make test` fails and a plain `pytest` skips."""
    import subprocess

    root = Path(__file__).resolve().parent.parent
    installed_or_skip(root / ".venv" / "bin" / "litellm-gen",
                      "the make targets run .venv/bin/litellm-gen: run `make test`")
    environ = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(["make", "--no-print-directory", "-o", ".venv/bin/.installed", *args],
                          cwd=root, capture_output=True, text=True, timeout=120,
                          env={**environ, **(env or {})})
