"""Fuzzing: mutated configs either merge with every invariant or are refused cleanly.

The budget is small in `make test` and larger under `make fuzz` (FUZZ_EXAMPLES).
"""
from __future__ import annotations

import os
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from configgen import configs
from helpers import cli, only_added_lines, seed_entry

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "120"))
PALETTE = ["\t", ":", ": ", "-", "- ", "[", "]", "{", "}", "&a ", "*a", "*zz", "!!python/object ",
           "!include ", "---\n", "...\n", "\x00", "\x07", "\xff", '"', "'", "#", "  ", "\n", "\r\n",
           "model_list:", "model_list: []\n", "- model_name: x\n", "? ", "|\n", ">-\n", "%TAG ",
           "general_settings:\n", "litellm_params:", "model_name:", "\u2028", "\ufeff", "é"]


@st.composite
def mutated(draw) -> bytes:
    text = draw(configs()).decode("utf-8")
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["insert", "delete", "dup-line", "indent", "swap"]))
        lines = text.split("\n")
        if kind == "insert":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.sampled_from(PALETTE)) + text[at:]
        elif kind == "delete" and text:
            at = draw(st.integers(0, len(text) - 1))
            text = text[:at] + text[at + draw(st.integers(1, 8)):]
        elif kind == "dup-line":
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
            text = "\n".join(lines)
        elif kind == "indent":
            i = draw(st.integers(0, len(lines) - 1))
            lines[i] = draw(st.sampled_from([" ", "   ", "\t", ""])) + lines[i].lstrip(" ")
            text = "\n".join(lines)
        elif kind == "swap" and len(lines) > 1:
            i = draw(st.integers(0, len(lines) - 2))
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
            text = "\n".join(lines)
    raw = text.encode("utf-8", "surrogateescape")
    if draw(st.integers(0, 20)) == 0:
        raw = raw.replace(b"\xc3\xa9", b"\xe9")  # Latin-1 bytes: not UTF-8
    return raw


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(raw=mutated())
def test_mutated_config_merges_or_is_refused_cleanly(tmp_path_factory, raw: bytes) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    config = folder / "config.yaml"
    config.write_bytes(raw)
    output = folder / "out" / "config.yaml"
    run = cli("merge", config, "-o", output)
    assert run.code in (0, 2), run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert config.read_bytes() == raw
    if run.code == 2:
        errors = [l for l in run.stderr.splitlines() if l.startswith("litellm-gen: error:")]
        assert len(errors) == 1 and len(errors[0]) < 600
        assert not output.exists()
        return
    out = output.read_bytes()
    before = yaml.safe_load(raw.decode("utf-8-sig"))
    after = yaml.safe_load(out.decode("utf-8-sig"))
    theirs = list(before.get("model_list") or [])
    taken = {e.get("model_name") for e in theirs if isinstance(e, dict)}
    added = [seed_entry(n) for n in ("tts-1", "tts-1-hd", "whisper-1", "dall-e-2", "dall-e-3")
             if n not in taken]
    assert after["model_list"] == theirs + added
    assert {k: v for k, v in after.items() if k != "model_list"} == \
        {k: v for k, v in before.items() if k != "model_list"}
    lost = only_added_lines(raw, out)
    assert all(line.split("#")[0].strip().replace(" ", "") in ("model_list:[]", "model_list:~",
                                                                 "model_list:null")
               for line in lost), lost
    again = cli("merge", output, "--in-place")
    assert again.code == 0 and output.read_bytes() == out
