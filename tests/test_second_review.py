"""Issue 17's adversarial review, one test per class, through the real CLI.

Each class was merged with exit 0 into a file the proxy could not load or that lost data,
printed a secret, hung, or misled. Each test names the guarantee it holds; the golden cases
15-17 and 70-99 (tests/cases) hold the byte-for-byte ones.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
import yaml
from helpers import cli

ENTRY = "  - model_name: llama3\n    litellm_params:\n      model: ollama/llama3\n"


@pytest.fixture
def here(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def refused(here: Path, text: str, *args: str, expect: str) -> str:
    (here / "config.yaml").write_text(text)
    run = cli("merge", "config.yaml", "-o", "out.yaml", *args)
    assert run.code == 2, run.stdout + run.stderr
    assert expect in run.stderr, run.stderr
    assert not (here / "out.yaml").exists()
    return run.stderr


# -- data lost: model_list or include through a merge key ----------------------------------

def test_model_list_from_a_root_merge_key_is_not_hidden(here: Path) -> None:
    text = "base: &b\n  model_list:\n" + ENTRY.replace("\n  ", "\n    ").replace(
        "  - ", "    - ", 1) + "<<: *b\n"
    assert yaml.safe_load(text)["model_list"]  # the proxy sees the operator's models
    refused(here, text, expect="model_list comes from the merge key (<<) on line 6")


def test_model_list_from_a_merge_key_under_the_key_path_is_not_hidden(here: Path) -> None:
    text = ("defaults: &d\n  model_list:\n    - model_name: a\n      litellm_params:\n"
            "        model: ollama/a\nproxy_config:\n  <<: *d\n  general_settings: {}\n")
    refused(here, text, "--key-path", "proxy_config",
            expect="model_list comes from the merge key (<<) on line 7")


def test_include_from_a_merge_key_is_not_hidden_by_include_file(here: Path) -> None:
    (here / "mine.yaml").write_text("model_list:\n" + ENTRY)
    text = "base: &b\n  include: [mine.yaml]\n<<: *b\nmodel_list:\n" + ENTRY
    refused(here, text, "--include-file", "presets.yaml",
            expect="include comes from the merge key (<<) on line 3")
    assert not (here / "presets.yaml").exists()


def test_a_key_path_written_as_an_alias_is_named(here: Path) -> None:
    refused(here, "d: &d\n  model_list: []\nproxy_config: *d\n", "--key-path", "proxy_config",
            expect="proxy_config is an alias (*d) of a mapping written elsewhere")


# -- files the proxy cannot load are refused, never written ---------------------------------

@pytest.mark.parametrize("text, expect", [
    ("general_settings: !!str\n  master_key: x\nmodel_list:\n" + ENTRY, ":1:19:"),
    ("general_settings: !!seq\n  master_key: x\nmodel_list:\n" + ENTRY, ":1:19:"),
    ("model_list:\n  - model_name: a\n    litellm_params: !!int\n      model: ollama/a\n",
     ":3:21:"),
    ("general_settings:\n  x: =\nmodel_list:\n" + ENTRY, "a plain = as a value"),
    ("general_settings:\n  x: <<\nmodel_list:\n" + ENTRY, "a plain << as a value"),
    ("model_list: !!str []\n", "the tag !!str on model_list"),
    ("!!set\nmodel_list:\n", "the tag !!set on the config's top level"),
    ("model_list:\n  - model_name: a\n    litellm_params:\n      - model\n",
     "litellm_params of this model_list item is a list"),
    ("x: &l [a]\nmodel_list:\n  - model_name: a\n    litellm_params: *l\n",
     "an alias (*l) of a list"),
    ("x: &l abc\nmodel_list:\n  - model_name: a\n    litellm_params: *l\n",
     "an alias (*l) of a single value"),
])
def test_a_file_the_proxys_loader_refuses_is_refused(here: Path, text: str, expect: str) -> None:
    try:
        data = yaml.safe_load(text)  # the proxy's own loader
    except yaml.YAMLError:
        data = None
    # Either the loader refuses it, or what it builds is not what the proxy reads: the root is
    # no mapping, or an entry's litellm_params is no mapping (the proxy refuses to start).
    if data is not None:
        items = data.get("model_list") if isinstance(data, dict) else None
        assert not isinstance(data, dict) or any(
            not isinstance(item.get("litellm_params"), dict) for item in items or [])
    refused(here, text, expect=expect)


# -- idempotent: a config that names itself in include: -------------------------------------

def test_a_config_that_includes_itself_merges_once_and_stays(here: Path) -> None:
    (here / "config.yaml").write_text("include:\n  - config.yaml\nmodel_list:\n" + ENTRY)
    first = cli("merge", "config.yaml", "--in-place")
    assert first.code == 0 and "5 added" in first.stderr + first.stdout
    merged = (here / "config.yaml").read_text()
    for _ in range(2):
        again = cli("merge", "config.yaml", "--in-place")
        assert again.code == 0 and (here / "config.yaml").read_text() == merged
    assert cli("merge", "config.yaml", "--in-place", "--check").code == 0
    assert "the file this merge writes" in again.stderr


# -- nothing hangs: a named pipe as CONFIG or as an included file ---------------------------

def _without_hanging(args: list[str]):
    """Run the CLI on a thread; a read of a FIFO without a writer would block forever."""
    result = {}
    worker = threading.Thread(target=lambda: result.update(run=cli(*args)), daemon=True)
    worker.start()
    worker.join(30)
    assert not worker.is_alive(), "the run blocked on the named pipe"
    return result["run"]


def test_a_named_pipe_as_config_or_include_is_refused_without_blocking(here: Path) -> None:
    os.mkfifo(here / "pipe.yaml")
    run = _without_hanging(["merge", "pipe.yaml", "-o", "out.yaml"])
    assert run.code == 2 and "named pipe" in run.stderr
    (here / "config.yaml").write_text("include:\n  - pipe.yaml\nmodel_list:\n" + ENTRY)
    for args in (["merge", "config.yaml", "-o", "out.yaml"], ["list", "config.yaml"]):
        run = _without_hanging(args)
        assert run.code == 0 and "named pipe" in run.stderr


# -- misleading reports --------------------------------------------------------------------

def test_marker_text_in_a_quoted_scalar_does_not_fool_the_report(here: Path) -> None:
    (here / "config.yaml").write_text('x: "# BEGIN litellm-gen presets"\nmodel_list:\n' + ENTRY)
    first = cli("merge", "config.yaml", "-o", "out.yaml")
    assert first.code == 0 and "(5 added)" in first.stdout + first.stderr
    again = cli("merge", "out.yaml", "--in-place")
    assert "(5 unchanged)" in again.stdout + again.stderr


def test_a_configmap_block_that_ends_the_file_without_a_newline_merges(here: Path) -> None:
    manifest = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: litellm\ndata:\n"
                "  config.yaml: |\n    model_list:\n" + "".join(
                    "    " + line + "\n" for line in ENTRY.splitlines()))[:-1]
    (here / "cm.yaml").write_text(manifest)
    run = cli("merge", "cm.yaml", "--in-place")
    assert run.code == 0, run.stderr
    out = (here / "cm.yaml").read_text()
    assert out.startswith(manifest) and not out.endswith("\n")
    embedded = yaml.safe_load(out)["data"]["config.yaml"]
    assert [e["model_name"] for e in yaml.safe_load(embedded)["model_list"]][:2] == \
        ["llama3", "tts-1"]


def test_a_list_manifest_from_kubectl_is_searched_through_its_items(here: Path) -> None:
    manifest = ("apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n"
                "    metadata:\n      name: litellm\n    data:\n      config.yaml: |\n"
                "        model_list:\n" + "".join("        " + line + "\n"
                                                  for line in ENTRY.splitlines()))
    (here / "list.yaml").write_text(manifest)
    run = cli("merge", "list.yaml", "--in-place")
    assert run.code == 0, run.stderr
    listed = cli("list", "list.yaml")
    assert "tts-1" in listed.stdout and "litellm-gen" in listed.stdout


def test_include_file_reruns_name_the_file_written_and_keep_your_lines(here: Path) -> None:
    (here / "config.yaml").write_text("model_list:\n" + ENTRY)
    args = ["merge", "config.yaml", "-o", "out/config.yaml", "--include-file", "presets.yaml"]
    assert cli(*args).code == 0
    rerun = cli(*args, "--only", "tts")
    assert rerun.code == 0 and "wrote out/presets.yaml" in rerun.stdout + rerun.stderr
    assert "wrote out/config.yaml" not in rerun.stdout + rerun.stderr
    presets = here / "out" / "presets.yaml"
    presets.write_text(presets.read_text() + "# my note\n")
    before = presets.read_text()
    run = cli(*args)
    assert run.code == 2 and "changed outside litellm-gen's block" in run.stderr
    assert presets.read_text() == before


def test_list_shows_control_characters_escaped(here: Path) -> None:
    (here / "config.yaml").write_text('model_list:\n  - model_name: "evil\\nLINE 9  fake\\e[31m"\n'
                                      "    litellm_params:\n      model: ollama/x\n")
    run = cli("list", "config.yaml")
    assert run.code == 0
    assert "\x1b" not in run.stdout and "evil\\nLINE 9" in run.stdout
    assert len(run.stdout.strip().splitlines()) == 2  # the header and one row, no fake row


def test_a_helm_values_file_without_key_path_is_refused_with_the_option(here: Path) -> None:
    (here / "values.yaml").write_text("image:\n  tag: main-stable\nproxy_config:\n  model_list:\n"
                                      + "".join("  " + line + "\n" for line in ENTRY.splitlines()))
    before = (here / "values.yaml").read_text()
    for args in (["merge", "values.yaml", "--in-place"], ["merge", "values.yaml", "--in-place",
                                                         "--check"], ["list", "values.yaml"]):
        run = cli(*args)
        assert run.code == 2 and "--key-path proxy_config" in run.stderr, run.stderr
    assert (here / "values.yaml").read_text() == before


def test_a_manifest_is_never_merged_into_the_default_output(here: Path) -> None:
    (here / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: l\ndata:\n"
                                  "  config.yaml: |\n    model_list: []\n")
    run = cli("merge", "cm.yaml")
    assert run.code == 2 and "--in-place" in run.stderr and "-o FILE" in run.stderr
    assert not (here / "output").exists()
    copy = cli("merge", "cm.yaml", "-o", "copy.yaml")
    assert copy.code == 0 and "is the whole manifest" in copy.stderr
