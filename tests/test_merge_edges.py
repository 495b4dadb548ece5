"""Guarantees of the merge side that no other test broke when they were broken.

Each test runs the real CLI on real files (or, for a read that must not block, the read
itself in a process with a time limit) and names the guarantee it holds.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import SEED, cli, same_data, seed_entry
from test_proof_other_files import MANIFEST

ENTRY = "  - model_name: llama3\n    litellm_params:\n      model: ollama/llama3\n"
CONFIG = "model_list:\n" + ENTRY


@pytest.fixture
def here(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "config.yaml").write_text(CONFIG)
    return tmp_path


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("litellm-gen: error:")]


# -- data the proof compares ---------------------------------------------------------------

def test_a_config_whose_alias_stands_inside_its_own_anchor_merges(here: Path) -> None:
    """yaml.safe_load builds a cycle from it; the proof compares such data without looping."""
    text = CONFIG + "x-tree: &tree\n  name: root\n  parent: *tree\n"
    (here / "config.yaml").write_text(text)
    run = cli("merge", "config.yaml", "-o", "out.yaml")
    assert run.code == 0, run.stderr
    before, after = (yaml.safe_load(p.read_text()) for p in (here / "config.yaml",
                                                               here / "out.yaml"))
    assert after["x-tree"]["parent"] is after["x-tree"]
    assert same_data(after["model_list"], before["model_list"] + [seed_entry(n) for n in SEED])
    assert cli("merge", "out.yaml", "--check", "-o", "out.yaml").code == 0


# -- include: and --include-file -------------------------------------------------------------

@pytest.mark.parametrize("head, message", [
    ("x-base: &base\n  include:\n    - models/local.yaml\n<<: *base\n",
     "include comes from the merge key (<<) on line 4"),
    ('include: ""\n', ":1:10: include must be a list of file names"),
    ("include: [models/local.yaml]\n", "include: is a flow list ([...]); write it as a block list"),
])
def test_an_include_the_tool_cannot_add_to_is_refused(here: Path, head: str, message: str) -> None:
    """The proxy reads the inherited include (or none at all from ''): an explicit list
    written here would hide it, or change what it is; a flow list would be reformatted."""
    (here / "config.yaml").write_text(head + CONFIG)
    run = cli("merge", "config.yaml", "-o", "out/config.yaml", "--include-file", "presets.yaml")
    assert run.code == 2 and message in run.stderr, run.stderr
    assert len(error_lines(run.stderr)) == 1
    assert not (here / "out").exists()


def test_a_presets_file_edited_outside_its_block_is_not_overwritten(here: Path) -> None:
    assert cli("merge", "config.yaml", "--in-place", "--include-file", "presets.yaml").code == 0
    presets = here / "presets.yaml"
    edited = presets.read_text() + "  - model_name: mine\n    litellm_params:\n      model: x\n"
    presets.write_text(edited)
    run = cli("merge", "config.yaml", "--in-place", "--include-file", "presets.yaml",
              "--exclude", "image-gen")
    assert run.code == 2 and "changed outside litellm-gen's block" in run.stderr
    assert presets.read_text() == edited


def test_a_presets_file_left_empty_is_the_tools_own(here: Path) -> None:
    """Every selected preset is skipped: the presets file holds `model_list: []`, and the
    next run still knows it as its own."""
    (here / "config.yaml").write_text(CONFIG + "  - model_name: whisper-1\n    litellm_params:\n"
                                      "      model: openai/whisper-1\n")
    args = ["merge", "config.yaml", "--in-place", "--include-file", "presets.yaml",
            "--only", "whisper-1"]
    assert cli(*args).code == 0
    assert yaml.safe_load((here / "presets.yaml").read_text()) == {"model_list": []}
    again = cli(*args)
    assert again.code == 0, again.stderr
    assert cli(*args, "--check").code == 0


def test_replace_never_adds_a_preset_an_included_file_defines(here: Path) -> None:
    """--on-conflict replace removes only entries of the file it edits; a preset whose
    model_name an included file defines is skipped, with that file named."""
    (here / "stt.yaml").write_text("model_list:\n  - model_name: whisper-1\n    litellm_params:\n"
                                   "      model: openai/whisper-1\n")
    (here / "config.yaml").write_text("include:\n  - stt.yaml\n" + CONFIG)
    run = cli("merge", "config.yaml", "-o", "out.yaml", "--on-conflict", "replace")
    assert run.code == 0, run.stderr
    assert "stt.yaml:2, which litellm-gen does not edit" in run.stderr
    assert "whisper-1" not in (here / "out.yaml").read_text()


def test_a_config_that_includes_itself_merges_once(here: Path) -> None:
    """Its own entries (the presets this merge writes) are not conflicts on the next run."""
    (here / "config.yaml").write_text("include:\n  - config.yaml\n" + CONFIG)
    first = cli("merge", "config.yaml", "--in-place")
    assert first.code == 0 and "5 added" in first.stdout, first.stderr
    merged = (here / "config.yaml").read_text()
    second = cli("merge", "config.yaml", "--in-place")
    assert second.code == 0 and "5 unchanged" in second.stdout, second.stdout
    assert (here / "config.yaml").read_text() == merged
    assert cli("merge", "config.yaml", "--in-place", "--check").code == 0


# -- templates -------------------------------------------------------------------------------

def test_a_template_that_cannot_be_reindented_is_refused_by_name(here: Path) -> None:
    """A block scalar whose lines are indented unevenly would change when re-indented to a
    four-space file: the template is named, not the config line the proof would find."""
    folder = here / "tpl"
    folder.mkdir()
    template = folder / "mine.yaml.j2"
    template.write_text('{%- set category = "tts" -%}\nmodel_name: mine\nlitellm_params:\n'
                        "  model: tts-1\nmodel_info:\n  mode: audio_speech\n  description: |\n"
                        "    first\n      indented\n")
    (here / "config.yaml").write_text("model_list:\n    - model_name: a\n      litellm_params:\n"
                                      "          model: ollama/a\n")
    run = cli("merge", "config.yaml", "-o", "out.yaml", "--templates", folder, "--only", "mine")
    assert run.code == 2 and f"{template}: template cannot be re-indented" in run.stderr
    assert not (here / "out.yaml").exists()


# -- the recorded selection ------------------------------------------------------------------

def test_api_key_env_alone_keeps_the_recorded_presets(here: Path) -> None:
    assert cli("merge", "config.yaml", "--in-place", "--only", "tts").code == 0
    run = cli("merge", "config.yaml", "--in-place", "--api-key-env", "OPENAI_EU_KEY")
    assert run.code == 0, run.stderr
    data = yaml.safe_load((here / "config.yaml").read_text())
    assert [e["model_name"] for e in data["model_list"]] == ["llama3", "tts-1", "tts-1-hd"]
    assert data["model_list"][1]["litellm_params"]["api_key"] == "os.environ/OPENAI_EU_KEY"
    assert "--only tts --api-key-env OPENAI_EU_KEY" in (here / "config.yaml").read_text()


def test_a_marker_line_edited_into_an_unbalanced_quote_is_read_as_no_choice(here: Path) -> None:
    assert cli("merge", "config.yaml", "--in-place", "--only", "tts").code == 0
    path = here / "config.yaml"
    path.write_text(path.read_text().replace("--only tts`", "--only 'tts`"))
    run = cli("merge", "config.yaml", "--in-place")
    assert run.code == 0, run.stderr
    assert "internal error" not in run.stderr
    names = [e["model_name"] for e in yaml.safe_load(path.read_text())["model_list"]]
    assert names == ["llama3", *SEED]  # as if nothing was recorded: the defaults


# -- Kubernetes manifests --------------------------------------------------------------------

CONFIGMAP = MANIFEST.split("---\n")[0]  # the ConfigMap document alone
KUBECTL_LIST = "apiVersion: v1\nkind: List\nitems:\n" + "".join(
    ("- " if i == 0 else "  ") + line + "\n" for i, line in enumerate(CONFIGMAP.splitlines())
) + "- apiVersion: v1\n  kind: Service\n  metadata:\n    name: litellm\n"


def test_a_kubectl_list_gets_the_presets_in_its_configmap(here: Path) -> None:
    """`kubectl get -o yaml` prints several objects as one `kind: List`."""
    target = here / "litellm.yaml"
    target.write_text(KUBECTL_LIST)
    run = cli("merge", target, "--in-place")
    assert run.code == 0, run.stderr
    doc = yaml.safe_load(target.read_text())
    config = yaml.safe_load(doc["items"][0]["data"]["config.yaml"])
    assert [e["model_name"] for e in config["model_list"]] == ["llama3", "phi3", *SEED]
    assert doc["items"][1] == {"apiVersion": "v1", "kind": "Service",
                               "metadata": {"name": "litellm"}}


def test_key_path_and_a_configmap_do_not_go_together(here: Path) -> None:
    target = here / "litellm.yaml"
    target.write_text(CONFIGMAP)
    run = cli("merge", target, "--in-place", "--configmap", "litellm-config", "--key-path",
              "proxy_config")
    assert run.code == 2 and "--key-path and a Kubernetes manifest" in run.stderr
    assert target.read_text() == CONFIGMAP


def test_a_manifest_is_never_merged_into_the_default_output(here: Path) -> None:
    (here / "litellm.yaml").write_text(CONFIGMAP)
    run = cli("merge", "litellm.yaml")
    assert run.code == 2 and "this is a Kubernetes manifest" in run.stderr
    assert not (here / "output").exists()


def test_a_second_merge_of_a_manifest_into_another_file_reports_unchanged(here: Path) -> None:
    """The actions are told against the output's embedded config, not its whole text."""
    (here / "litellm.yaml").write_text(CONFIGMAP)
    assert cli("merge", "litellm.yaml", "-o", "merged.yaml").code == 0
    again = cli("merge", "litellm.yaml", "-o", "merged.yaml")
    assert again.code == 0 and "5 unchanged" in again.stdout, again.stdout


# -- what list and verify read: validate's reading, and its words for what the proxy refuses --

@pytest.mark.parametrize("tail, where, what", [
    ("general_settings: =\n", ":5:19:", "as a value ('=' is a YAML value key)"),
    ("general_settings:\n  x: <<\n", ":6:6:", "as a merge key ('<<' is only a key)"),
    ("x-when: 2024-02-30\n", ":5:9:", "as a date (it is not one)"),
])
@pytest.mark.parametrize("command", [["list"], ["verify", "--url", "http://127.0.0.1:9"]])
def test_list_and_verify_refuse_what_the_proxy_cannot_load(here: Path, tail: str, where: str,
                                                           what: str, command) -> None:
    (here / "config.yaml").write_text(CONFIG + tail)
    run = cli(command[0], "config.yaml", *command[1:])
    assert run.code == 2, run.stderr
    [line] = error_lines(run.stderr)
    assert f"config.yaml{where}" in line and what in line, line


# -- reads that must not block -------------------------------------------------------------

def run_with_time_limit(code: str, cwd: Path) -> subprocess.CompletedProcess:
    """A Python snippet in its own process: a read that blocks fails the test, not the run."""
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True,
                          text=True, timeout=30,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})


def test_a_fifo_as_config_is_refused_without_reading(here: Path) -> None:
    os.mkfifo(here / "pipe.yaml")
    result = run_with_time_limit("import sys\nfrom generator.cli.app import app\n"
                                 "sys.argv = ['litellm-gen', 'merge', 'pipe.yaml', '-o', 'o.yaml']\n"
                                 "app()", here)
    assert result.returncode == 2, result.stderr
    assert "pipe.yaml: is a named pipe (FIFO), not a regular config file" in result.stderr
    assert not (here / "o.yaml").exists()


def test_a_fifo_swapped_in_after_the_check_is_refused_without_blocking(here: Path) -> None:
    """read_bounded opens without blocking and checks what it opened: a FIFO with no writer
    neither hangs the open nor reads as an empty file."""
    os.mkfifo(here / "pipe.yaml")
    result = run_with_time_limit(
        "from pathlib import Path\nfrom generator.boundary.errors import UserError\n"
        "from generator.boundary.files import read_bounded\n"
        "try:\n    read_bounded(Path('pipe.yaml'), 'config')\nexcept UserError as exc:\n"
        "    print(exc.message)\nelse:\n    print('read')\n", here)
    assert "not a regular config file" in result.stdout, (result.stdout, result.stderr)


def test_an_include_that_is_a_fifo_is_a_warning_not_a_hang(here: Path) -> None:
    os.mkfifo(here / "stt.yaml")
    (here / "config.yaml").write_text("include:\n  - stt.yaml\n" + CONFIG)
    result = run_with_time_limit("import sys\nfrom generator.cli.app import app\n"
                                 "sys.argv = ['litellm-gen', 'merge', 'config.yaml', '-o', "
                                 "'o.yaml']\napp()", here)
    assert result.returncode == 0, result.stderr
    assert "stt.yaml" in result.stderr and "named pipe" in result.stderr
    assert (here / "o.yaml").exists()


def test_no_read_goes_past_16_mib_even_where_the_size_is_not_known(here: Path) -> None:
    """stat gives no size for /proc files and pipes: the read itself stops at the limit."""
    from generator.boundary.errors import UserError
    from generator.boundary.files import MAX_CONFIG_BYTES, read_bounded

    big = here / "big.yaml"
    with open(big, "wb") as f:
        f.truncate(MAX_CONFIG_BYTES + 1)
    with pytest.raises(UserError, match="16 MiB"):
        read_bounded(big, "config")
