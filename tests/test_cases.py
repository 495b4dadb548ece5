"""Golden cases (tests/cases/*): the real CLI and the pure core give the expected bytes."""
from __future__ import annotations

import os
import re
import shlex
import shutil
from pathlib import Path

import pytest
from helpers import cli, load, only_added_lines

from generator.boundary.errors import UserError
from generator.boundary.files import decode_config
from generator.merge.plan import MergeOptions, plan_merge
from generator.merge.selection import Selection, parse_args, recorded_selection

CASES = sorted(p for p in (Path(__file__).parent / "cases").iterdir() if p.is_dir())
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def assert_merged_data(data_in, data_out, case: Path) -> None:
    """Everything but model_list is unchanged; model_list keeps the input's kept items."""
    if "--key-path" in case_args(case):
        data_in, data_out = data_in["proxy_config"], data_out["proxy_config"]
    assert {k: v for k, v in data_in.items() if k != "model_list"} == \
        {k: v for k, v in data_out.items() if k != "model_list"}
    if "replace" in case_args(case):
        return  # the operator's entry of a preset's name is gone, by request
    source = (case / "input.yaml").read_text(encoding="utf-8-sig")
    block = source[source.find("# BEGIN litellm-gen"):source.find("# END litellm-gen")]
    generated = set(re.findall(r"model_name: (\S+)", block)) if "# BEGIN" in block else set()
    kept = [item for item in data_in.get("model_list") or []
            if item.get("model_name") not in generated]
    assert all(item in data_out.get("model_list") or [] for item in kept)


def case_args(case: Path) -> list[str]:
    args = case / "args"
    return shlex.split(args.read_text()) if args.exists() else []


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_case(case: Path, tmp_path: Path) -> None:
    config = tmp_path / "input.yaml"
    shutil.copyfile(case / "input.yaml", config)
    output = tmp_path / "out" / "config.yaml"
    run = cli("merge", config, "-o", output, *case_args(case))
    expected_error = case / "expected-error"
    if UPDATE:  # write what the tool does now, then hold it to every check below all the same
        if run.code == 0:
            (case / "expected.yaml").write_bytes(output.read_bytes())
        else:
            expected_error.write_text(run.stderr.replace(f"{config}", "input.yaml").strip() + "\n")
    if expected_error.exists():
        assert run.code == 2, run.stdout
        message = expected_error.read_text().strip()
        assert run.stderr.replace(str(config), "input.yaml").strip().endswith(message)
        assert not output.exists()
        assert "Traceback" not in run.stderr
        return
    assert run.code == 0, run.stderr
    expected = (case / "expected.yaml").read_bytes()
    assert output.read_bytes() == expected
    # What the output holds, loaded as the proxy loads it: the input's data plus the presets.
    assert_merged_data(load((case / "input.yaml").read_bytes()), load(expected), case)
    # A second run in place changes no byte, and --check agrees the output is current.
    again = cli("merge", output, "--in-place", *case_args(case))
    assert again.code == 0 and output.read_bytes() == expected
    assert cli("merge", config, "-o", output, "--check", *case_args(case)).code == 0


def core_options(case: Path, whole_proof_limit: int):
    """The presets and MergeOptions the case's args ask for, built without the CLI."""
    from generator.presets.choice import selected_presets
    args = case_args(case)
    opts = {"--only": [], "--exclude": [], "--preset-set": [], "--api-key-env": "OPENAI_API_KEY",
            "--on-conflict": "skip", "--key-path": ""}
    for flag, value in zip(args[::2], args[1::2]):
        if isinstance(opts[flag], list):
            opts[flag].append(value)
        else:
            opts[flag] = value
    source = (case / "input.yaml").read_text(encoding="utf-8-sig")
    recorded = recorded_selection(source) or Selection()
    explicit = parse_args([a for flag, value in zip(args[::2], args[1::2])
                           if flag != "--key-path" for a in (flag, value)])
    chosen = explicit.over(recorded)
    presets = selected_presets(chosen.preset_sets, None, chosen.only, chosen.exclude,
                                chosen.api_key_env or "OPENAI_API_KEY")
    options = MergeOptions(on_conflict=chosen.on_conflict or "skip",
                           key_path=tuple(filter(None, opts["--key-path"].split("."))),
                           whole_proof_limit=whole_proof_limit, selection=chosen.label())
    return presets, options


# 0: every proof that can be cut is read from the cut; the default: these small files whole.
PROOF_LIMITS = {"tail": 0, "whole": MergeOptions().whole_proof_limit}


@pytest.mark.parametrize("mode", PROOF_LIMITS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_core_gives_the_same_text(case: Path, mode: str) -> None:
    """plan_merge, without any file or CLI, produces the golden text or the golden refusal,
    with the proof read whole or from its cut alike."""
    raw = (case / "input.yaml").read_bytes()
    try:
        presets, options = core_options(case, PROOF_LIMITS[mode])
        source = decode_config(raw, "input.yaml")
        plan = plan_merge(source.text, presets, options)
    except UserError as exc:
        assert (case / "expected-error").exists(), str(exc)
        assert (case / "expected-error").read_text().strip().endswith(exc.message)
        return
    assert source.encode(plan.text) == (case / "expected.yaml").read_bytes()
    assert plan_merge(plan.text, presets, options).changed is False


@pytest.mark.parametrize("case", [c for c in CASES if (c / "expected.yaml").exists()
                                  and not (c / "input.yaml").read_text(encoding="utf-8-sig")
                                  .count("# BEGIN litellm-gen")
                                  and "replace" not in case_args(c)],
                         ids=lambda c: c.name)
def test_first_merge_only_adds_lines(case: Path) -> None:
    """On a file without the tool's block, the merge's diff shows only added lines, and its
    data is the input's with the presets after the operator's entries."""
    presets, options = core_options(case, MergeOptions().whole_proof_limit)
    source = decode_config((case / "input.yaml").read_bytes(), "input.yaml")
    after = source.encode(plan_merge(source.text, presets, options).text)
    before = (case / "input.yaml").read_bytes()
    lost = only_added_lines(before, after)
    # The one edit allowed: `model_list: []` gives way to the block (corpus-check's rule).
    assert all(line.split("#")[0].replace(" ", "") == "model_list:[]" for line in lost), lost
    assert len(lost) <= 1
    data_in, data_out = load(before), load(after)
    if "--key-path" in case_args(case):
        data_in, data_out = data_in["proxy_config"], data_out["proxy_config"]
    assert {k: v for k, v in data_in.items() if k != "model_list"} == \
        {k: v for k, v in data_out.items() if k != "model_list"}
    kept = data_in.get("model_list") or []
    assert data_out["model_list"][:len(kept)] == kept
    assert [e["model_name"] for e in data_out["model_list"][len(kept):]] == \
        [p.model_name for p in presets if options.on_conflict == "add" or
         p.model_name not in {e.get("model_name") for e in kept}]
