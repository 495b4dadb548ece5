"""Every merge/init option and exit code, through the real CLI (typer's runner)."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import SEED, assert_seed_merged, cli, load, seed_entry

OLLAMA = b"""# my proxy
model_list:
  - model_name: llama3
    litellm_params:
      model: ollama/llama3
general_settings:
  master_key: sk-live-1234567890abcdef
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_bytes(OLLAMA)
    return path


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")


def test_merge_defaults_to_config_yaml_and_output_folder(config: Path) -> None:
    run = cli("merge")
    assert run.code == 0, run.stderr
    out = Path("output/config.yaml")
    assert_seed_merged(OLLAMA, out.read_bytes())
    assert [line.split()[0] for line in run.stdout.splitlines()[1:6]] == ["added"] * 5
    assert "wrote output/config.yaml" in run.stdout


def test_report_names_each_preset_and_its_line(config: Path) -> None:
    run = cli("merge", "-o", "out.yaml")
    lines = Path("out.yaml").read_text().splitlines()
    for name in SEED:
        row = next(r for r in run.stdout.splitlines() if f" {name} " in f"{r} ")
        line = int(row.split("line ")[1].split()[0])
        assert lines[line - 1].strip() == f"- model_name: {name}"


def test_unchanged_output_is_not_rewritten(config: Path) -> None:
    assert cli("merge").code == 0
    out = Path("output/config.yaml")
    os.utime(out, (1_000_000, 1_000_000))
    run = cli("merge")
    assert run.code == 0
    assert out.stat().st_mtime == 1_000_000
    assert "up to date; not written" in run.stdout
    assert all(r.split()[0] == "unchanged" for r in run.stdout.splitlines()[1:6])


def test_in_place_writes_config_itself(config: Path) -> None:
    run = cli("merge", "--in-place")
    assert run.code == 0
    assert_seed_merged(OLLAMA, config.read_bytes())
    assert not Path("output").exists()


def test_in_place_and_output_together_is_usage_error(config: Path) -> None:
    run = cli("merge", "--in-place", "-o", "x.yaml")
    assert run.code == 2 and "either -o OUTPUT or --in-place" in run.stderr
    assert not Path("x.yaml").exists()


def test_missing_config_suggests_init(tmp_path: Path) -> None:
    run = cli("merge", "nope.yaml")
    assert run.code == 2
    assert "nope.yaml: no such config file" in run.stderr and "litellm-gen init" in run.stderr


def test_diff_prints_only_added_lines_and_writes_nothing(config: Path) -> None:
    run = cli("merge", "--diff")
    assert run.code == 0
    assert not Path("output/config.yaml").exists()
    body = [l for l in run.stdout.splitlines() if l[:1] in "+-" and not l.startswith(("+++", "---"))]
    assert body and all(l.startswith("+") for l in body)
    assert "+  - model_name: whisper-1" in run.stdout
    assert "diff only; nothing written" in run.stderr


def test_diff_masks_secrets_in_context_lines(config: Path) -> None:
    run = cli("merge", "--diff")
    assert "sk-live-1234567890abcdef" not in run.stdout + run.stderr
    assert " master_key: ***" in run.stdout


def test_check_exit_codes(config: Path) -> None:
    missing = cli("merge", "--check")
    assert missing.code == 1 and "+  - model_name: tts-1" in missing.stdout
    assert not Path("output/config.yaml").exists()
    assert cli("merge").code == 0
    assert cli("merge", "--check").code == 0
    # A preset deleted from the output by hand: --check fails and shows it.
    out = Path("output/config.yaml")
    text = out.read_text()
    start = text.index("  - model_name: whisper-1")
    out.write_text(text[:start] + text[text.index("  - model_name: dall-e-2"):])
    stale = cli("merge", "--check")
    assert stale.code == 1
    assert "+  - model_name: whisper-1" in stale.stdout
    assert "not what merging" in stale.stderr


def test_check_in_place(config: Path) -> None:
    assert cli("merge", "--in-place", "--check").code == 1
    assert config.read_bytes() == OLLAMA
    assert cli("merge", "--in-place").code == 0
    assert cli("merge", "--in-place", "--check").code == 0


def test_diff_and_check_together_is_usage_error(config: Path) -> None:
    assert cli("merge", "--diff", "--check").code == 2


@pytest.mark.parametrize("other", [["--key-path", "proxy_config"], ["--configmap", "litellm"]])
def test_include_file_refuses_a_place_that_mounts_one_file(config: Path, other: list) -> None:
    # The Helm chart renders proxy_config into one file, and a ConfigMap mounts one file:
    # an included file beside it would never reach the proxy.
    run = cli("merge", "--include-file", "presets.yaml", *other)
    assert run.code == 2 and "do not go together" in run.stderr
    assert not Path("output").exists()


def test_json_report(config: Path) -> None:
    run = cli("merge", "--format", "json", "--exclude", "image-gen")
    data = json.loads(run.stdout)
    assert run.code == 0 and data["written"] is True
    assert [(a["preset"], a["action"]) for a in data["actions"]] == [
        ("tts-1", "added"), ("tts-1-hd", "added"), ("whisper-1", "added")]
    assert all(isinstance(a["line"], int) for a in data["actions"])
    # A merge given no choice reproduces the one its block records (issue 21).
    again = json.loads(cli("merge", "--format", "json").stdout)
    assert [a["action"] for a in again["actions"]] == ["unchanged"] * 3
    # An explicit choice replaces it, and says so.
    back = json.loads(cli("merge", "--format", "json", "--preset-set", "openai-seed").stdout)
    assert [a["action"] for a in back["actions"]] == ["unchanged"] * 3 + ["added"] * 2
    assert any("chosen with --exclude image-gen" in w and "now with the defaults" in w
               for w in back["warnings"]), back["warnings"]


def test_json_check_includes_diff(config: Path) -> None:
    run = cli("merge", "--check", "--format", "json")
    data = json.loads(run.stdout)
    assert run.code == 1 and data["output_differs"] and "+  - model_name: tts-1" in data["diff"]


@pytest.mark.parametrize("args, names", [
    (["--only", "tts"], ["tts-1", "tts-1-hd"]),
    (["--only", "whisper-1,dall-e-3"], ["whisper-1", "dall-e-3"]),
    (["--only", "stt", "--only", "image-gen"], ["whisper-1", "dall-e-2", "dall-e-3"]),
    (["--exclude", "image-gen,tts-1-hd"], ["tts-1", "whisper-1"]),
    (["--only", "tts", "--exclude", "tts-1-hd"], ["tts-1"]),
])
def test_selection(config: Path, args, names) -> None:
    assert cli("merge", "-o", "out.yaml", *args).code == 0
    assert_seed_merged(OLLAMA, Path("out.yaml").read_bytes(), names)


def test_unknown_selection_lists_valid_names(config: Path) -> None:
    run = cli("merge", "--only", "tts-2")
    assert run.code == 2
    assert "'tts-2'" in run.stderr and "tts-1, tts-1-hd, whisper-1, dall-e-2, dall-e-3" in run.stderr
    assert "image-gen, stt, tts" in run.stderr


def test_deselected_presets_are_removed(config: Path) -> None:
    cli("merge", "--in-place")
    run = cli("merge", "--in-place", "--only", "stt")
    assert run.code == 0
    assert "removed   tts-1" in run.stdout
    assert_seed_merged(OLLAMA, config.read_bytes(), ["whisper-1"])


def test_json_names_every_action_by_preset_and_model_name(config: Path, tmp_path: Path) -> None:
    templates = tmp_path / "mine"
    templates.mkdir()
    # A preset whose name is not its model_name: the report must not mix the two up.
    (templates / "speech.yaml.j2").write_text(
        '{%- set category = "tts" -%}\nmodel_name: speech\nlitellm_params:\n  model: tts-1\n'
        "  api_key: os.environ/{{ api_key_env }}\n")
    cli("merge", "--in-place", "--templates", str(templates), "--only", "speech,stt")
    run = cli("merge", "--in-place", "--only", "stt", "--format", "json")
    actions = {a["action"]: a for a in json.loads(run.stdout)["actions"]}
    assert actions["unchanged"]["preset"] == "whisper-1"
    assert actions["unchanged"]["model_name"] == "whisper-1"
    # The removed entry's preset is no longer selected: only its model_name is known.
    assert actions["removed"]["preset"] is None and actions["removed"]["model_name"] == "speech"


def test_api_key_env(config: Path) -> None:
    assert cli("merge", "-o", "out.yaml", "--api-key-env", "OPENAI_PROD_KEY").code == 0
    data = load(Path("out.yaml").read_bytes())
    keys = {e["litellm_params"].get("api_key") for e in data["model_list"][1:]}
    assert keys == {"os.environ/OPENAI_PROD_KEY"}


@pytest.mark.parametrize("value", ["sk-proj-abcdef123456", "sk_live_abc", "my key", "1ABC",
                                   "a" * 48, ""])
def test_api_key_env_refuses_anything_but_a_name(config: Path, value: str) -> None:
    run = cli("merge", "--api-key-env", value)
    assert run.code == 2 and "NAME of an environment variable" in run.stderr
    assert value not in run.stderr or not value
    assert not Path("output/config.yaml").exists()


def test_unset_api_key_variable_warns_but_merges(config: Path, monkeypatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    run = cli("merge")
    assert run.code == 0
    assert "OPENAI_API_KEY is not set" in run.stderr


def test_conflict_default_skips_and_warns_with_line(tmp_path: Path) -> None:
    Path("config.yaml").write_text("model_list:\n  - model_name: llama3\n    litellm_params:\n"
                                   "      model: ollama/llama3\n  - model_name: whisper-1\n"
                                   "    litellm_params:\n      model: openai/whisper-1\n"
                                   "      api_base: http://localhost:8000/v1\n")
    run = cli("merge")
    assert run.code == 0
    assert "whisper-1 skipped" in run.stderr and "line 5" in run.stderr
    data = load(Path("output/config.yaml").read_bytes())
    assert [e["model_name"] for e in data["model_list"]].count("whisper-1") == 1
    assert data["model_list"][1]["litellm_params"]["api_base"] == "http://localhost:8000/v1"


@pytest.mark.parametrize("policy, whisper_count, code", [
    ("skip", 1, 0), ("replace", 1, 0), ("add", 2, 0), ("error", None, 2)])
def test_on_conflict_policies(tmp_path: Path, policy, whisper_count, code) -> None:
    Path("config.yaml").write_text("model_list:\n  - model_name: whisper-1\n    litellm_params:\n"
                                   "      model: openai/whisper-1\n      api_base: http://stt:8000\n")
    run = cli("merge", "--on-conflict", policy)
    assert run.code == code
    if code:
        assert "already defines 'whisper-1'" in run.stderr
        assert not Path("output/config.yaml").exists()
        return
    data = load(Path("output/config.yaml").read_bytes())
    whispers = [e for e in data["model_list"] if e["model_name"] == "whisper-1"]
    assert len(whispers) == whisper_count
    if policy == "replace":
        assert whispers == [seed_entry("whisper-1")]


def test_bad_on_conflict_value_is_usage_error(config: Path) -> None:
    assert cli("merge", "--on-conflict", "merge").code == 2


def test_init_writes_starter_and_refuses_to_overwrite(tmp_path: Path) -> None:
    run = cli("init", "my.yaml")
    assert run.code == 0
    starter = Path("my.yaml").read_bytes()
    data = load(starter)
    assert data["model_list"][0]["litellm_params"]["model"].startswith("ollama/")
    assert "general_settings" in data and starter.count(b"#") >= 5
    again = cli("init", "my.yaml")
    assert again.code == 2 and "never overwrites" in again.stderr
    assert Path("my.yaml").read_bytes() == starter


def test_init_then_merge_gives_starter_plus_presets(tmp_path: Path) -> None:
    assert cli("init").code == 0
    assert cli("merge").code == 0
    assert_seed_merged(Path("config.yaml").read_bytes(), Path("output/config.yaml").read_bytes())


def test_python_dash_m_runs_the_same_command(config: Path) -> None:
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-m", "generator", "merge", "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 1 and "+  - model_name: tts-1" in done.stdout


def test_help_documents_exit_codes_and_options() -> None:
    top = cli("--help")
    assert "Exit status: 0" in top.stdout
    merge_help = cli("merge", "--help").stdout
    for option in ("--output", "--in-place", "--only", "--exclude", "--on-conflict", "--diff",
                   "--check", "--format", "--api-key-env", "--key-path", "--templates",
                   "--preset-set"):
        assert option in merge_help


# -- what an operator expects of a command-line tool ---------------------------------------

def test_version_short_help_and_completion() -> None:
    from generator import __version__
    assert cli("--version").stdout == f"litellm-gen {__version__}\n"
    assert cli("-h").stdout == cli("--help").stdout and "Commands:" in cli("-h").stdout
    usage = cli("merge", "-h").stdout.splitlines()[0]
    assert "merge [OPTIONS]" in usage and "CONFIG" in usage



def test_shell_completion_completes_commands_and_choices(tmp_path: Path) -> None:
    import subprocess
    import sys

    def complete(words: str) -> list[str]:
        env = {**os.environ, "_LITELLM_GEN_COMPLETE": "complete_bash", "COMP_WORDS": words,
               "COMP_CWORD": str(len(words.split()) - (not words.endswith(" ")))}
        done = subprocess.run([sys.executable, "-m", "generator"], env=env, text=True,
                              capture_output=True, cwd=tmp_path)
        return done.stdout.split()
    assert complete("litellm-gen mer") == ["merge"]
    assert complete("litellm-gen merge --on-conflict ") == ["skip", "replace", "add", "error"]
    # typer finds the shell among the parent processes: run it from bash (make's is sh)
    script = subprocess.run(["bash", "-c", f"'{sys.executable}' -m generator --show-completion;"
                             " exit $?"], text=True, capture_output=True, cwd=tmp_path)
    assert "complete -o default -F _litellm_gen_completion litellm-gen" in script.stdout


@pytest.mark.parametrize("args", [["-q", "merge"], ["merge", "-q"], ["merge", "--quiet"]])
def test_quiet_prints_only_errors(config: Path, monkeypatch, args) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")  # a warning that -q silences
    run = cli(*args, "--today", "2026-06-01")
    assert run.code == 0 and run.stdout == "" and run.stderr == ""
    assert Path("output/config.yaml").exists()
    failing = cli(*args, "--only", "nope")
    assert failing.code == 2 and "unknown preset or category 'nope'" in failing.stderr
    # What was asked for is still printed: the diff, and --check's verdict by its status.
    Path("output/config.yaml").unlink()
    checked = cli(*args, "--check")
    assert checked.code == 1 and "+  - model_name: tts-1" in checked.stdout and not checked.stderr


def test_missing_output_points_to_the_merge(tmp_path: Path) -> None:
    for command in (["list"], ["verify"], ["validate"]):
        run = cli(*command)
        assert run.code == 2, run.stdout
        assert "output/config.yaml: no such config file" in run.stderr
        assert "`litellm-gen merge` writes it" in run.stderr and "make config" in run.stderr
        assert "init" not in run.stderr


def test_check_hint_repeats_the_options_used(config: Path) -> None:
    assert cli("merge", "--exclude", "image-gen").code == 0
    run = cli("merge", "config.yaml", "-o", "output/config.yaml", "--check", "--only", "tts")
    assert run.code == 1
    assert ("(run `litellm-gen merge config.yaml -o output/config.yaml --only tts` to write it)"
            in run.stderr)


def test_diff_headers_name_the_two_sides(config: Path) -> None:
    new = cli("merge", "--diff").stdout.splitlines()
    assert new[:2] == ["--- a/config.yaml", "+++ b/output/config.yaml"]
    assert cli("merge").code == 0
    stale = cli("merge", "--diff", "--only", "tts").stdout.splitlines()
    assert stale[:2] == ["--- a/output/config.yaml", "+++ b/output/config.yaml"]


def test_a_skipped_preset_is_explained_once(tmp_path: Path) -> None:
    Path("config.yaml").write_text("model_list:\n  - model_name: whisper-1\n    litellm_params:\n"
                                   "      model: openai/whisper-1\n      api_base: http://stt:8000\n")
    run = cli("merge")
    reason = "your entry for model_name 'whisper-1' at line 2 is kept"
    assert (run.stdout + run.stderr).count(reason) == 1
    assert "  skipped   whisper-1  your entry is kept (see the warning)" in run.stdout


def test_the_api_key_warning_comes_once_per_run(config: Path, monkeypatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    run = cli("merge", "--preset-set", "openai-seed", "--preset-set", "openai-current")
    assert run.code == 0 and run.stderr.count("OPENAI_API_KEY is not set") == 1


def test_acknowledged_deprecations_stop_warning(config: Path, tmp_path: Path) -> None:
    warned = cli("merge", "--today", "2026-06-01").stderr
    assert warned.count("past its deprecation date") == 2
    assert "--acknowledge-deprecated dall-e-2 stops this warning" in warned
    once = cli("merge", "--today", "2026-06-01", "--acknowledge-deprecated", "dall-e-2")
    assert "dall-e-2 is past" not in once.stderr and "dall-e-3 is past" in once.stderr
    # Once for the repository: the nearest pyproject.toml (or .litellm-gen.toml) says it.
    (tmp_path / "pyproject.toml").write_text(
        '[tool.litellm-gen]\nacknowledge-deprecated = ["dall-e-2", "dall-e-3"]\n')
    assert "deprecation date" not in cli("merge", "--today", "2026-06-01").stderr
    (tmp_path / "pyproject.toml").unlink()
    (tmp_path / ".litellm-gen.toml").write_text('acknowledge-deprecated = ["dall-e-3"]\n')
    assert cli("merge", "--today", "2026-06-01").stderr.count("past its deprecation") == 1
    (tmp_path / ".litellm-gen.toml").write_text('acknowledge-deprecated = ["dall-e-4"]\n')
    bad = cli("merge", "--today", "2026-06-01")
    assert bad.code == 2 and "'dall-e-4': no such preset" in bad.stderr


def test_presets_keep_out_of_background_health_checks_unless_asked(config: Path) -> None:
    assert cli("merge", "-o", "off.yaml").code == 0
    assert_seed_merged(OLLAMA, Path("off.yaml").read_bytes())  # the switch in every preset
    assert cli("merge", "-o", "on.yaml", "--health-check-media").code == 0
    on = load(Path("on.yaml").read_bytes())
    assert on["model_list"][1:] == [seed_entry(name, health_check_media=True) for name in SEED]
    # Switching back and forth is an update of the block, idempotent either way.
    again = cli("merge", "-o", "on.yaml")
    assert [line.split()[0] for line in again.stdout.splitlines()[1:6]] == ["updated"] * 5
    assert Path("on.yaml").read_bytes() == Path("off.yaml").read_bytes()


# -- tables that fit a terminal -----------------------------------------------------------

def test_presets_fit_80_columns_and_print_costs_as_written() -> None:
    for args in (["presets"], ["presets", "--today", "2026-06-01"]):
        table = cli(*args).stdout
        assert max(map(len, table.splitlines())) <= 80, table
    table = cli("presets").stdout
    assert "input_cost_per_character: 0.000015" in table and "e-0" not in table
    assert "output_cost_per_token: 0.0000025" not in table  # fields are not mixed up
    assert "input_cost_per_token: 0.0000025" in table and "0.00000125" in table
    wide = cli("presets", "--wide").stdout
    assert "input_cost_per_character=0.000015" in wide and "e-0" not in wide
    assert all(len(line.split("  ")) > 1 for line in wide.splitlines())


def test_list_fits_the_terminal(config: Path, monkeypatch) -> None:
    assert cli("merge", "--in-place").code == 0
    for columns in (80, 100):
        monkeypatch.setenv("COLUMNS", str(columns))
        table = cli("list", "config.yaml").stdout
        assert max(map(len, table.splitlines())) <= columns, table
        assert "compat,openai-real,image-gen" in table.replace(",\n", ",").replace(" ", "")
    wide = cli("list", "config.yaml", "--wide").stdout
    assert "PROVIDER" in wide and "compat,openai-real,image-gen,hd" in wide


def test_list_defaults_to_the_merged_output_like_verify_and_validate(config: Path) -> None:
    assert cli("merge").code == 0
    listed = cli("list").stdout
    assert "tts-1" in listed and listed == cli("list", "output/config.yaml").stdout


def test_list_presets_only_without_presets_says_so(config: Path) -> None:
    run = cli("list", "config.yaml", "--presets-only")
    assert run.code == 0
    assert run.stdout == "config.yaml: no presets merged by litellm-gen (run litellm-gen merge)\n"


def test_render_with_nothing_selected_is_an_error() -> None:
    run = cli("render", "--only", "tts", "--exclude", "tts")
    assert run.code == 2 and run.stdout == ""
    assert "nothing to render: --only and --exclude leave no preset selected" in run.stderr


def test_verify_columns_align_with_and_without_tags() -> None:
    from generator.cli.report import verify_report
    from generator.inventory.listing import EntryRow
    from generator.inventory.verify import ServedCheck as Check

    rows = [EntryRow(9, "llama3", "ollama/llama3", "chat", "ollama", (), "operator"),
            EntryRow(16, "tts-1", "tts-1", "audio_speech", "openai", ("compat", "tts"),
                     "litellm-gen")]
    report = verify_report([Check(rows[0], "served", "chat"),
                            Check(rows[1], "missing", "not in /model/info")], "http://x")
    llama, tts = report.splitlines()[1:3]
    assert llama.index("(operator") == tts.index("(litellm-gen")
    assert llama.index("chat") == tts.index("not in")


def test_a_tab_gets_one_message_from_merge_and_validate(tmp_path: Path) -> None:
    Path("tab.yaml").write_text("model_list:\n  - model_name: x\n    litellm_params:\n"
                                "      model:\tollama/x\n")
    words = ("a tab character where YAML needs spaces (tabs cannot indent YAML): the proxy "
             "will not start; replace it with spaces")
    merged = cli("merge", "tab.yaml")
    validated = cli("validate", "tab.yaml")
    assert merged.code == 2 and f"tab.yaml:4:13: {words}" in merged.stderr
    assert validated.code == 1 and f"tab.yaml:4:13: error: {words}" in validated.stdout


def test_with_proxy_hint_works_for_a_pip_user(tmp_path: Path, monkeypatch) -> None:
    import generator.validate.with_proxy as dry_start

    monkeypatch.delenv("LITELLM_PROXY_BIN", raising=False)
    # An installed litellm-gen: no checkout (and no .venv-proxy) beside the package.
    monkeypatch.setattr(dry_start, "__file__", str(tmp_path / "site" / "generator" / "validate" / "x.py"))
    Path("config.yaml").write_text("model_list: []\n")
    run = cli("validate", "config.yaml", "--with-proxy")
    assert run.code == 2
    assert "pip install 'litellm[proxy]==1.100.0'" in run.stderr
    assert "LITELLM_PROXY_BIN=~/.litellm-proxy/bin/litellm" in run.stderr


@pytest.mark.parametrize("binary", ["/nonexistent/litellm", "config.yaml", ".", "no-such-cmd"])
def test_a_proxy_program_that_cannot_run_is_named(tmp_path: Path, monkeypatch, binary) -> None:
    """LITELLM_PROXY_BIN naming a missing file, a file that is not a program, a folder or a
    name not on PATH: an operator's error naming it, before any proxy is started."""
    monkeypatch.setenv("LITELLM_PROXY_BIN", binary)
    Path("config.yaml").write_text("model_list: []\n")
    run = cli("validate", "config.yaml", "--with-proxy")
    assert run.code == 2, run.stderr
    assert f"LITELLM_PROXY_BIN={binary}: no program by that name" in run.stderr
    assert "internal error" not in run.stderr and "starting the proxy" not in run.stderr


def test_a_proxy_program_the_system_cannot_execute_is_named(tmp_path: Path, monkeypatch) -> None:
    """Executable bits on bytes that are no program: exec fails; the error names the file."""
    fake = tmp_path / "litellm"
    fake.write_bytes(b"\x7fELF\x00not really")
    fake.chmod(0o755)
    monkeypatch.setenv("LITELLM_PROXY_BIN", str(fake))
    Path("config.yaml").write_text("model_list: []\n")
    run = cli("validate", "config.yaml", "--with-proxy")
    assert run.code == 2, run.stderr
    assert f"cannot start the proxy {fake}: Exec format error" in run.stderr
    assert "internal error" not in run.stderr
