"""Beyond the seed: preset listing, deprecations, current models, own templates, Helm,
include files, render and the pre-commit hook."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from helpers import SEED, assert_seed_merged, cli, load, only_added_lines

ROOT = Path(__file__).resolve().parents[1]
FLAT = b"""model_list:
  - model_name: llama3
    litellm_params:
      model: ollama/llama3
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
"""
CURRENT = {"gpt-image-2": "image_generation", "gpt-4o-mini-tts": "audio_speech",
           "gpt-4o-transcribe": "audio_transcription", "gpt-4o-mini-transcribe": "audio_transcription"}


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OPENAI_API_KEY", "x")
    Path("config.yaml").write_bytes(FLAT)


def test_presets_lists_every_preset_with_source_and_deprecation() -> None:
    run = cli("presets", "--format", "json")
    rows = {r["name"]: r for r in json.loads(run.stdout)}
    assert set(rows) == set(SEED) | set(CURRENT)
    assert rows["tts-1"]["cost"] == {"input_cost_per_character": 0.000015}
    assert rows["tts-1"]["source"].startswith("seed")
    assert rows["dall-e-3"]["deprecation_date"] == "2026-05-12"
    assert rows["dall-e-3"]["successor"] == "gpt-image-2"
    assert rows["gpt-image-2"]["source"] == "litellm 1.100.0 price map"
    assert all(rows[n]["mode"] == m for n, m in CURRENT.items())
    table = cli("presets").stdout
    assert "2026-05-12" in table and "litellm 1.100.0 price map" in table


def test_deprecated_presets_warn_once_each_and_still_merge() -> None:
    # The date is passed in: the test means the same on any day it runs.
    run = cli("merge", "--today", "2026-05-12")
    assert run.code == 0
    warnings = [l for l in run.stderr.splitlines() if "deprecation date" in l]
    assert len(warnings) == 2
    assert all("2026-05-12" in w and "gpt-image-2" in w for w in warnings)
    assert_seed_merged(FLAT, Path("output/config.yaml").read_bytes())
    quiet = cli("merge", "--exclude", "image-gen", "--today", "2026-05-12")
    assert "deprecation date" not in quiet.stderr
    before = cli("merge", "--today", "2026-05-11")
    assert before.code == 0 and "deprecation date" not in before.stderr
    table = cli("presets", "--today", "2026-05-11").stdout
    assert "deprecated 2026-05-12" not in table and "deprecated from 2026-05-12" in table
    assert "deprecated 2026-05-12; use gpt-image-2" in cli("presets", "--today",
                                                            "2026-05-12").stdout


def test_today_must_be_a_date() -> None:
    run = cli("merge", "--today", "tomorrow")
    assert run.code == 2 and "--today" in run.stderr


def test_current_preset_set_is_opt_in() -> None:
    assert cli("merge", "--preset-set", "openai-current").code == 0
    data = load(Path("output/config.yaml").read_bytes())
    entries = {e["model_name"]: e for e in data["model_list"][1:]}
    assert set(entries) == set(CURRENT)
    for name, mode in CURRENT.items():
        assert entries[name]["model_info"]["mode"] == mode
        assert entries[name]["litellm_params"]["tags"][:2] == ["compat", "openai-real"]
    assert entries["gpt-image-2"]["model_info"]["output_cost_per_image_token"] == 0.00003
    both = cli("merge", "--preset-set", "openai-seed,openai-current", "--only", "image-gen",
               "--exclude", "dall-e-2,dall-e-3")
    assert both.code == 0
    assert [e["model_name"] for e in load(Path("output/config.yaml").read_bytes())[
        "model_list"][1:]] == ["gpt-image-2"]


def test_unknown_preset_set() -> None:
    run = cli("merge", "--preset-set", "openai-2030")
    assert run.code == 2 and "openai-current" in run.stderr


def test_own_templates_add_and_override(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "whisper-1.yaml.j2").write_text(
        '{%- set category = "stt" -%}\n{%- set source = "our contract" -%}\n'
        "model_name: whisper-1\nlitellm_params:\n  model: whisper-1\n"
        "  api_key: os.environ/{{ api_key_env }}\n  api_base: https://eu.api.openai.com/v1\n"
        "model_info:\n  mode: audio_transcription\n")
    (mine / "tts-eu.yaml.j2").write_text(
        '{%- set category = "tts" -%}\nmodel_name: tts-eu\nlitellm_params:\n  model: tts-1\n'
        "  api_key: os.environ/{{ api_key_env }}\nmodel_info:\n  mode: audio_speech\n")
    assert cli("merge", "--templates", mine).code == 0
    entries = {e["model_name"]: e for e in load(Path("output/config.yaml").read_bytes())[
        "model_list"][1:]}
    assert set(entries) == set(SEED) | {"tts-eu"}
    assert entries["whisper-1"]["litellm_params"]["api_base"] == "https://eu.api.openai.com/v1"
    listed = {r["name"]: r for r in json.loads(cli("presets", "--templates", mine,
                                                    "--format", "json").stdout)}
    assert listed["whisper-1"]["source"] == "our contract" and listed["tts-eu"]["set"] == "own"
    assert cli("merge", "--templates", tmp_path / "nope").code == 2


def test_readme_template_example_works(tmp_path: Path) -> None:
    """The template in the manual's "Your own presets" section renders and merges."""
    readme = (ROOT / "docs" / "presets.md").read_text()
    start = readme.index("```jinja\n", readme.index("## Your own presets")) + len("```jinja\n")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "tts-1-eu.yaml.j2").write_text(readme[start:readme.index("```", start)])
    run = cli("merge", "--templates", tmp_path / "mine", "--only", "tts-1-eu")
    assert run.code == 0, run.stderr
    entry = load(Path("output/config.yaml").read_bytes())["model_list"][1]
    assert entry["model_name"] == "tts-1-eu" and entry["model_info"]["mode"] == "audio_speech"


HELM = b"""replicaCount: 1
# rendered as config.yaml
proxy_config:
  model_list:
    - model_name: llama3
      litellm_params:
        model: ollama/llama3
  general_settings:
    master_key: os.environ/LITELLM_MASTER_KEY
resources: {}
"""


def test_helm_nested_result_equals_flat_result() -> None:
    Path("values.yaml").write_bytes(HELM)
    assert cli("merge", "values.yaml", "-o", "nested.yaml", "--key-path", "proxy_config").code == 0
    assert cli("merge", "config.yaml", "-o", "flat.yaml").code == 0
    nested = load(Path("nested.yaml").read_bytes())
    flat = load(Path("flat.yaml").read_bytes())
    assert nested["proxy_config"] == flat
    assert nested["replicaCount"] == 1 and nested["resources"] == {}
    assert only_added_lines(HELM, Path("nested.yaml").read_bytes()) == []
    # idempotent, and --check holds, in the nested layout too
    before = Path("nested.yaml").read_bytes()
    assert cli("merge", "nested.yaml", "--in-place", "--key-path", "proxy_config").code == 0
    assert Path("nested.yaml").read_bytes() == before
    assert cli("merge", "values.yaml", "-o", "nested.yaml", "--key-path", "proxy_config",
               "--check").code == 0
    Path("stale.yaml").write_bytes(HELM)
    assert cli("merge", "values.yaml", "-o", "stale.yaml", "--key-path", "proxy_config",
               "--check").code == 1
    # ownership: deselecting removes only the tool's entries
    assert cli("merge", "nested.yaml", "--in-place", "--key-path", "proxy_config", "--only",
               "stt").code == 0
    names = [e["model_name"] for e in load(Path("nested.yaml").read_bytes())["proxy_config"][
        "model_list"]]
    assert names == ["llama3", "whisper-1"]


def test_helm_without_model_list_gets_one_under_the_key() -> None:
    Path("values.yaml").write_bytes(b"proxy_config:\n  general_settings:\n    master_key: x\n"
                                    b"replicaCount: 1\n")
    assert cli("merge", "values.yaml", "-o", "out.yaml", "--key-path", "proxy_config").code == 0
    data = load(Path("out.yaml").read_bytes())
    assert [e["model_name"] for e in data["proxy_config"]["model_list"]] == list(SEED)
    assert data["replicaCount"] == 1


def test_helm_key_path_missing_is_an_error() -> None:
    run = cli("merge", "config.yaml", "--key-path", "proxy_config")
    assert run.code == 2 and "proxy_config" in run.stderr


def test_include_file_adds_one_line_and_writes_the_presets() -> None:
    run = cli("merge", "--include-file", "openai-presets.yaml")
    assert run.code == 0, run.stderr
    out = Path("output/config.yaml").read_bytes()
    added = [l for l in out.decode().splitlines() if l not in FLAT.decode().splitlines()]
    assert added == ["include:", "  - openai-presets.yaml"]
    included = Path("output/openai-presets.yaml").read_text()
    assert included.startswith("# Generated by litellm-gen")
    assert [e["model_name"] for e in yaml.safe_load(included)["model_list"]] == list(SEED)
    assert cli("merge", "--include-file", "openai-presets.yaml", "--check").code == 0
    Path("output/openai-presets.yaml").write_text(included.replace("0.000015", "0.1"))
    assert cli("merge", "--include-file", "openai-presets.yaml", "--check").code == 1
    again = cli("merge", "--include-file", "openai-presets.yaml")
    assert "updated   tts-1" in again.stdout
    assert Path("output/openai-presets.yaml").read_text() == included


def test_include_file_joins_an_existing_include_list_and_moves_inline_presets() -> None:
    Path("config.yaml").write_bytes(FLAT + b"include:\n  - models/other.yaml  # theirs\n")
    Path("models").mkdir()
    Path("models/other.yaml").write_text("model_list:\n  - model_name: dall-e-3\n"
                                         "    litellm_params:\n      model: azure/dalle3\n")
    assert cli("merge", "--in-place").code == 0  # presets inline first
    run = cli("merge", "--in-place", "--include-file", "openai.yaml")
    assert run.code == 0
    text = Path("config.yaml").read_text()
    assert "# BEGIN litellm-gen" not in text
    assert text.endswith("include:\n  - models/other.yaml  # theirs\n  - openai.yaml\n")
    names = [e["model_name"] for e in yaml.safe_load(Path("openai.yaml").read_text())["model_list"]]
    assert "dall-e-3" not in names and "dall-e-3 skipped" in run.stderr


def test_include_file_never_overwrites_a_file_it_did_not_write() -> None:
    Path("output").mkdir()
    Path("output/mine.yaml").write_text("model_list: []\n")
    run = cli("merge", "--include-file", "mine.yaml")
    assert run.code == 2 and "not written by litellm-gen" in run.stderr
    # The error names the file it is about, not the config.
    assert run.stderr.startswith("litellm-gen: error: output/mine.yaml: mine.yaml exists")
    assert Path("output/mine.yaml").read_text() == "model_list: []\n"
    assert not Path("output/config.yaml").exists()


def test_render_prints_a_standalone_model_list() -> None:
    run = cli("render", "--only", "tts")
    data = yaml.safe_load(run.stdout)
    assert [e["model_name"] for e in data["model_list"]] == ["tts-1", "tts-1-hd"]
    assert run.stdout.startswith("model_list:\n")


def test_list_shows_owner_line_and_presets_only() -> None:
    cli("merge", "--in-place")
    rows = json.loads(cli("list", "config.yaml", "--format", "json").stdout)
    assert rows[0]["model_name"] == "llama3" and rows[0]["owner"] == "operator"
    assert [r["model_name"] for r in rows[1:]] == list(SEED)
    assert {r["owner"] for r in rows[1:]} == {"litellm-gen"}
    assert rows[1]["mode"] == "audio_speech" and rows[1]["tags"] == ["compat", "openai-real", "tts"]
    lines = Path("config.yaml").read_text().splitlines()
    assert all(lines[r["line"] - 1].lstrip().startswith("- model_name:") for r in rows)
    assert {r["file"] for r in rows} == {"config.yaml"}  # the real path, never ""
    table = cli("list", "config.yaml", "--presets-only").stdout
    assert "llama3" not in table and "whisper-1" in table and "audio_transcription" in table


def test_pre_commit_hook_runs_merge_check() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "litellm-gen-check")
    assert hook["entry"].startswith("litellm-gen merge") and "--check" in hook["entry"]
    assert hook["language"] == "python" and hook["pass_filenames"] is False


def test_rendered_presets_cache_follows_template_edits(tmp_path: Path, monkeypatch) -> None:
    """A cached rendering is used only for the very same template text and variables."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    mine = tmp_path / "mine"
    mine.mkdir()
    template = mine / "tts-x.yaml.j2"
    body = ('{%- set category = "tts" -%}\nmodel_name: tts-x\nlitellm_params:\n  model: tts-1\n'
            "  api_key: os.environ/{{ api_key_env }}\n  rpm: RPM\n")
    template.write_text(body.replace("RPM", "10"))
    import generator.presets.rendering as rendering
    renders = []
    real = rendering._render_with_jinja
    monkeypatch.setattr(rendering, "_render_with_jinja",
                        lambda env, where, key: renders.append(where) or real(env, where, key))
    first = cli("render", "--templates", mine, "--only", "tts-x").stdout
    assert len(renders) == 6  # the five shipped presets and tts-x, rendered once
    cached = list((tmp_path / "cache" / "litellm-gen").glob("*.json"))
    assert cached and first == cli("render", "--templates", mine, "--only", "tts-x").stdout
    assert len(renders) == 6  # the second run hit the cache for every template
    template.write_text(body.replace("RPM", "20"))
    assert "rpm: 20" in cli("render", "--templates", mine, "--only", "tts-x").stdout
    assert renders[6:] == [str(template)]  # only the edited template is rendered again
    other_key = cli("render", "--templates", mine, "--only", "tts-x", "--api-key-env", "K2").stdout
    assert "os.environ/K2" in other_key
    # The health-check switch is a variable of its own: no rendering of the other kind is reused.
    kept_in = cli("render", "--only", "tts-1", "--health-check-media").stdout
    assert "disable_background_health_check" not in kept_in
    assert "disable_background_health_check: true" in cli("render", "--only", "tts-1").stdout
    template.write_text(body.replace("RPM", "{{ nope }}"))
    assert cli("render", "--templates", mine, "--only", "tts-x").code == 2


def test_render_cache_lives_in_the_users_cache_folder(tmp_path: Path, monkeypatch) -> None:
    import stat
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cli("render").code == 0
    folder = tmp_path / "xdg" / "litellm-gen"
    assert list(folder.glob("*.json")) and stat.S_IMODE(folder.stat().st_mode) == 0o700
    # Without XDG_CACHE_HOME (or with a relative one, which the spec says to ignore): ~/.cache.
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cli("render").code == 0
    assert list((tmp_path / "home" / ".cache" / "litellm-gen").glob("*.json"))
    assert not Path("relative").exists()


def test_render_cache_in_a_shared_folder_is_not_used(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    shared = tmp_path / "litellm-gen"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    assert cli("render").code == 0
    assert list(shared.iterdir()) == []


def test_an_unwritable_cache_folder_only_means_no_cache(tmp_path: Path, monkeypatch) -> None:
    import os
    if os.getuid() == 0:
        # root writes anywhere: a file where the folder should be stands for "cannot create"
        (tmp_path / "blocked").write_text("not a folder")
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "blocked"))
    else:
        (tmp_path / "ro").mkdir(mode=0o500)
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "ro"))
    run = cli("render", "--only", "tts-1")
    assert run.code == 0 and "model_name: tts-1" in run.stdout and not run.stderr
