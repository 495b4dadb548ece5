"""Fuzzing: mutated configs either merge with every invariant or are refused cleanly.

The budget is small in `make test` and larger under `make fuzz` (FUZZ_EXAMPLES).
"""
from __future__ import annotations

import os

import yaml
from configgen import configs
from helpers import cli, only_added_lines, same_data, seed_entry
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    assert same_data(after["model_list"], theirs + added)
    assert same_data({k: v for k, v in after.items() if k != "model_list"},
                     {k: v for k, v in before.items() if k != "model_list"})
    lost = only_added_lines(raw, out)
    assert all(line.split("#")[0].strip().replace(" ", "") == "model_list:[]"
               for line in lost), lost
    again = cli("merge", output, "--in-place")
    assert again.code == 0 and output.read_bytes() == out


# Structural edits an attacker or an unlucky operator makes: anchors and aliases, tags, merge
# keys, other line breaks, block scalars at the end, marker text in scalars, odd dashes.
ADVERSARIAL_LINES = [
    "x-anchor: &a1 {rpm: 5}", "x-alias: *a1", "x-list: &a2 []", "x-more: *a2",
    "notes: !!str 5", "count: !!int 7", "flag: !!bool maybe", "when: 2024-02-30",
    "when: 2024-02-28", "block: |\n  # BEGIN litellm-gen presets\n  text",
    "quoted: \"# END litellm-gen presets\"", "---", "--- &root", "... ",
    "  <<: *a1", "  <<: [*a1]", "  <<: 5", "model_list: &ml", "  - # a comment on the dash",
    "  # BEGIN litellm-gen presets", "  # END litellm-gen presets", "deep: " + "[" * 120 + "]" * 120,
]


@st.composite
def adversarial(draw) -> tuple[bytes, list[str]]:
    text = draw(configs()).decode("utf-8")
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["line", "line", "anchor", "breaks", "eof-block"]))
        if kind == "line":
            lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(ADVERSARIAL_LINES)))
        elif kind == "anchor":  # an anchor on a random mapping value, used or not
            i = draw(st.integers(0, len(lines) - 1))
            if lines[i].rstrip().endswith(":"):
                lines[i] = lines[i].rstrip() + f" &n{i}"
                if draw(st.booleans()):
                    lines.append(f"x-use-{i}: *n{i}")
        elif kind == "breaks":
            text = "\n".join(lines).replace("\n", draw(st.sampled_from(["\r", "\r\n", "\x85"])), 1)
            lines = text.split("\n")
        else:
            lines.append("description: |\n  no final newline")
    text = "\n".join(lines)
    if text.endswith("no final newline\n"):
        text = text[:-1]
    args = []
    policy = draw(st.sampled_from(["skip", "replace", "add"]))
    if policy != "skip":
        args += ["--on-conflict", policy]
    if draw(st.booleans()):
        args += ["--only", draw(st.sampled_from(["tts", "stt", "image-gen", "whisper-1"]))]
    return text.encode("utf-8"), args


def merged_from_cut(raw: bytes, args: list[str]) -> bytes | None:
    """The core's merge with every proof cut where it can be: the output, None if refused."""
    from generator.boundary.errors import UserError
    from generator.boundary.files import decode_config
    from generator.merge.plan import MergeOptions, plan_merge
    from generator.merge.selection import Selection
    from generator.presets.choice import selected_presets

    only = [args[args.index("--only") + 1]] if "--only" in args else []
    policy = args[args.index("--on-conflict") + 1] if "--on-conflict" in args else "skip"
    try:
        source = decode_config(raw, "config.yaml")
        label = Selection(only=tuple(only), on_conflict=policy).label()
        plan = plan_merge(source.text, selected_presets([], None, only, [], "OPENAI_API_KEY"),
                          MergeOptions(on_conflict=policy, whole_proof_limit=0, selection=label))
    except UserError:
        return None
    return source.encode(plan.text)


SELECTION = {"tts": ["tts-1", "tts-1-hd"], "stt": ["whisper-1"], "image-gen": ["dall-e-2", "dall-e-3"],
             "whisper-1": ["whisper-1"]}


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(case=adversarial())
def test_adversarial_edits_merge_with_proof_or_are_refused(tmp_path_factory, case) -> None:
    """The oracle is what the proof claims, checked here independently of the tool's code."""
    raw, args = case
    folder = tmp_path_factory.mktemp("adv")
    config = folder / "config.yaml"
    config.write_bytes(raw)
    output = folder / "out" / "config.yaml"
    run = cli("merge", config, "-o", output, *args)
    assert run.code in (0, 2), run.stderr
    assert "Traceback" not in run.stderr + run.stdout and "internal error" not in run.stderr
    # The proof read from its cut (as for large files) reaches the same verdict.
    from_cut = merged_from_cut(raw, args)
    if run.code == 2:
        errors = [l for l in run.stderr.splitlines() if l.startswith("litellm-gen: error:")]
        assert len(errors) == 1 and not output.exists()
        assert from_cut is None
        return
    assert from_cut == output.read_bytes()
    out = output.read_bytes()
    # 1. It loads with the proxy's own loader (PyYAML's pure-Python safe_load).
    before = yaml.load(raw.decode("utf-8-sig"), Loader=yaml.SafeLoader)
    after = yaml.load(out.decode("utf-8-sig"), Loader=yaml.SafeLoader)
    # 2. Its data is the input's plus the selected presets, minus what replace removes.
    names = [n for key in args[args.index("--only") + 1:][:1] for n in SELECTION[key]] \
        if "--only" in args else ["tts-1", "tts-1-hd", "whisper-1", "dall-e-2", "dall-e-3"]
    policy = args[args.index("--on-conflict") + 1] if "--on-conflict" in args else "skip"
    theirs = list(before.get("model_list") or [])
    taken = {e.get("model_name") for e in theirs if isinstance(e, dict)}
    if policy == "replace":
        theirs = [e for e in theirs if not (isinstance(e, dict) and e.get("model_name") in names)]
        taken = set()
    added = [seed_entry(n) for n in names if policy == "add" or n not in taken]
    assert same_data(after["model_list"], theirs + added)
    assert same_data({k: v for k, v in after.items() if k != "model_list"},
                     {k: v for k, v in before.items() if k != "model_list"})
    # 3. A second merge changes no byte.
    again = cli("merge", output, "--in-place", *args)
    assert again.code == 0 and output.read_bytes() == out
