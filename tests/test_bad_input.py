"""Bad input gets one clear message (file:line:column where there is one), exit 2, no write."""
from __future__ import annotations

from pathlib import Path

import pytest
from helpers import cli

BAD = {
    "invalid-yaml": (b"model_list:\n  - model_name: a\n    litellm_params: [\n", ":4:1: invalid YAML"),
    "tab-indentation": (b"general_settings:\n\tmaster_key: x\n", ":2:1: a tab character where"),
    "duplicate-model-list-key": (b"model_list: []\nlitellm_settings:\n  a: 1\nmodel_list: []\n",
                                 ":4:1: duplicate key 'model_list' (first defined on line 1)"),
    "duplicate-nested-key": (b"model_list:\n  - model_name: a\n    litellm_params:\n      model: x\n"
                             b"      model: y\n", ":5:7: duplicate key 'model' (first defined on line 4)"),
    "several-documents": (b"model_list: []\n---\ngeneral_settings: {}\n", ":2:1: the file holds more than one"),
    "root-is-a-list": (b"- model_name: a\n- model_name: b\n", ":1:1: the config must be a mapping"),
    "root-is-a-scalar": (b"just text\n", ":1:1: the config must be a mapping"),
    "model-list-is-a-mapping": (b"model_list:\n  a: 1\n", ":2:3: model_list must be a list"),
    "model-list-is-a-scalar": (b"model_list: some\n", ":1:13: model_list must be a list"),
    "item-not-a-mapping": (b"model_list:\n  - llama3\n", ":2:5: each model_list item must be a mapping"),
    "item-without-model-name": (b"model_list:\n  - litellm_params:\n      model: x\n",
                                ":2:5: model_list item lacks model_name"),
    "item-without-litellm-params": (b"model_list:\n  - model_name: x\n",
                                    ":2:5: model_list item lacks litellm_params"),
    "include-tag": (b"model_list: !include models.yaml\n", ":1:13: custom tag !include is not allowed"),
    "python-tag": (b"general_settings:\n  x: !!python/object:os.system ls\n",
                   ":2:6: custom tag !!python/object:os.system"),
    "undefined-alias": (b"model_list:\n  - *nothing\n", ":2:5: an alias (****) refers to no anchor"),
    "not-utf8": (b"model_list: []\n# caf\xe9\n", ":2:6: not UTF-8 text"),
    "empty-file": (b"", ":1:1: the config is empty"),
    "only-comments": (b"# nothing here\n", ":1:1: the config is empty"),
    "binary-garbage": (bytes(range(256)) * 8, ":2:118: not UTF-8 text (byte 0x80)"),
    "nul-byte": (b"model_list: []\x00\n", ":1:15: invalid YAML: control character U+0000"),
    "stray-bom": ("# a\n\ufeff# b\nmodel_list: []\n".encode(), ":2:1: a byte-order mark"),
    "unhashable-key": (b"[a, b]: 1\nmodel_list: []\n", ":1:1: a mapping or list used as a key"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_config_is_refused(tmp_path: Path, name: str) -> None:
    raw, message = BAD[name]
    config = tmp_path / "config.yaml"
    config.write_bytes(raw)
    output = tmp_path / "out" / "config.yaml"
    run = cli("merge", config, "-o", output)
    assert run.code == 2
    assert f"litellm-gen: error: {config}{message}" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr
    assert not output.exists() and not output.parent.exists()
    assert config.read_bytes() == raw
    # --in-place leaves the file as it was, too.
    assert cli("merge", config, "--in-place").code == 2
    assert config.read_bytes() == raw


def test_fifty_megabyte_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    with open(config, "wb") as f:
        f.write(b"model_list: []\n")
        f.truncate(50 * 1024 * 1024)
    run = cli("merge", config, "-o", tmp_path / "out.yaml")
    assert run.code == 2 and "52.4 MB; litellm-gen reads configs up to 16 MiB" in run.stderr
    assert not (tmp_path / "out.yaml").exists()


def test_output_that_is_a_folder(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("model_list: []\n")
    (tmp_path / "out").mkdir()
    run = cli("merge", config, "-o", tmp_path / "out")
    assert run.code == 2 and "the output is a folder" in run.stderr
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.parametrize("where", ["/proc/litellm-gen-test/config.yaml", "FILE/config.yaml"])
def test_output_in_a_folder_that_cannot_be_written(tmp_path: Path, where: str) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("model_list: []\n")
    output = where.replace("FILE", str(config))  # a "folder" that is a file
    run = cli("merge", config, "-o", output)
    assert run.code == 2 and "cannot" in run.stderr and "Traceback" not in run.stderr
    assert config.read_text() == "model_list: []\n"


def merge_with_template(tmp_path: Path, body: str):
    """Merge with one own template holding `body`; return the run and the template's path."""
    folder = tmp_path / "mine"
    folder.mkdir()
    template = folder / "broken.yaml.j2"
    template.write_text(body)
    config = tmp_path / "config.yaml"
    config.write_text("model_list: []\n")
    run = cli("merge", config, "-o", tmp_path / "o.yaml", "--templates", folder)
    assert run.code == 2 and not (tmp_path / "o.yaml").exists()
    return run, template


def test_template_rendering_invalid_yaml_names_template_and_line(tmp_path: Path) -> None:
    run, template = merge_with_template(
        tmp_path, '{%- set category = "tts" -%}\n{%- set source = "me" -%}\n'
                  "model_name: broken\nlitellm_params:\n  model: [x\n")
    assert f"{template}:6: template renders invalid YAML" in run.stderr


def test_template_with_undefined_variable_names_template_and_line(tmp_path: Path) -> None:
    run, template = merge_with_template(
        tmp_path, '{%- set category = "tts" -%}\nmodel_name: broken\n'
                  "litellm_params:\n  model: {{ region }}/tts\n")
    assert f"{template}:4: template uses an undefined variable" in run.stderr
    assert "'region' is undefined" in run.stderr


def test_template_syntax_error_names_template_and_line(tmp_path: Path) -> None:
    run, template = merge_with_template(
        tmp_path, '{%- set category = "tts" -%}\nmodel_name: {{ broken\n')
    assert f"{template}:2: template error" in run.stderr


def test_template_with_a_literal_key_is_refused(tmp_path: Path) -> None:
    run, template = merge_with_template(
        tmp_path, '{%- set category = "tts" -%}\nmodel_name: leaky\n'
                  "litellm_params:\n  model: tts-1\n  api_key: sk-abcdef123456\n")
    assert "literal litellm_params.api_key" in run.stderr
    assert "sk-abcdef123456" not in run.stderr


def test_included_files_are_read_for_conflicts(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "stt.yaml").write_text(
        "model_list:\n  - model_name: whisper-1\n    litellm_params:\n      model: openai/whisper-1\n"
        "      api_base: http://stt:8000\n")
    config = tmp_path / "config.yaml"
    config.write_text("include:\n  - models/stt.yaml\n  - models/missing.yaml\nmodel_list: []\n")
    run = cli("merge", config, "-o", tmp_path / "o.yaml")
    assert run.code == 0
    assert "whisper-1 skipped" in run.stderr and "models/stt.yaml:2" in run.stderr
    assert "models/missing.yaml were not checked for conflicts" in run.stderr
    assert "whisper-1" not in (tmp_path / "o.yaml").read_text()
