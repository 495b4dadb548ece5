"""Kubernetes manifests: the presets go into a ConfigMap's embedded config, nothing else moves.

tests/manifests/ holds real manifests from public repositories (SOURCES.tsv names each
repository, path and commit), kept byte for byte. Variants the corpus lacks (|-, |+,
an indentation indicator, 6-space indentation, CRLF, comments between documents) are
derived from them here, by the transformations named in each test.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from helpers import SEED, cli, only_added_lines, seed_entry

CORPUS = Path(__file__).parent / "manifests"
MANIFESTS = sorted(CORPUS.glob("*.yaml"))


def kubelet_value(raw: bytes, name: str | None = None, key: str | None = None) -> str:
    """The config file as Kubernetes mounts it: parse the manifest, take data[KEY]."""
    for doc in yaml.safe_load_all(raw.decode("utf-8")):
        if not doc or doc.get("kind") != "ConfigMap":
            continue
        if name and doc["metadata"]["name"] != name:
            continue
        for k, value in (doc.get("data") or {}).items():
            if (key is None or k == key) and "model_list" in str(value):
                return value
    raise AssertionError("no LiteLLM config in the manifest")


def outside_block(raw: bytes) -> tuple[str, str]:
    """The manifest's text before its config block's first line and after its last line."""
    text = raw.decode("utf-8")
    from generator.merge.manifest import find_configs
    [config] = find_configs(text)
    return text[:config.content_start], text[config.content_end:]


def test_the_corpus_covers_what_the_issue_lists() -> None:
    sources = (CORPUS / "SOURCES.tsv").read_text().splitlines()[1:]
    assert len(sources) == len(MANIFESTS) >= 10
    texts = [p.read_text(encoding="utf-8") for p in MANIFESTS]
    assert sum("\n---" in t for t in texts) >= 3 and sum("\n---" not in t for t in texts) >= 3
    assert sum("    # " in t.split("|", 1)[1] for t in texts) >= 5  # comments inside


@pytest.mark.parametrize("manifest", MANIFESTS, ids=lambda p: p.name)
def test_real_manifest_gets_the_presets_inside_its_configmap(tmp_path: Path, manifest: Path
                                                             ) -> None:
    target = tmp_path / manifest.name
    shutil.copyfile(manifest, target)
    before = target.read_bytes()
    run = cli("merge", target, "--in-place")
    assert run.code == 0, run.stderr
    after = target.read_bytes()
    # git diff shows only added lines (the one allowed edit: `model_list: []` loses its `[]`).
    assert all(line.strip() == "model_list: []" for line in only_added_lines(before, after))
    # Every byte outside the block scalar is as it was.
    assert outside_block(before)[0] == outside_block(after)[0]
    assert outside_block(before)[1] == outside_block(after)[1]
    # The other documents load to the same data.
    docs_before = list(yaml.safe_load_all(before.decode()))
    docs_after = list(yaml.safe_load_all(after.decode()))
    assert len(docs_before) == len(docs_after)
    assert [d for d in docs_before if not d or d.get("kind") != "ConfigMap"] == \
        [d for d in docs_after if not d or d.get("kind") != "ConfigMap"]
    # The mounted config holds the input's config plus the seed presets, with its comments.
    config_in = kubelet_value(before)
    config_out = kubelet_value(after)
    assert_corpus_invariants(tmp_path, config_in, config_out)
    # Idempotent: a second run changes no byte; --check agrees.
    assert cli("merge", target, "--in-place").code == 0 and target.read_bytes() == after
    assert cli("merge", target, "-o", target, "--check").code == 0


def assert_corpus_invariants(tmp_path: Path, config_in: str, config_out: str) -> None:
    """../shared/tools/corpus-check's invariants, held on the embedded config."""
    data_in, data_out = yaml.safe_load(config_in), yaml.safe_load(config_out)
    theirs = list(data_in.get("model_list") or [])
    names = {e.get("model_name") for e in theirs}
    expected = dict(data_in)
    expected["model_list"] = theirs + [seed_entry(n) for n in SEED if n not in names]
    assert data_out == expected  # data, presets
    assert only_added_lines(config_in.encode(), config_out.encode()) in ([], ["model_list: []"])
    for line in config_in.splitlines():  # comments inside are kept
        if line.strip().startswith("#"):
            assert line in config_out.splitlines()
    # stale: a file lacking a preset is not current
    plain = tmp_path / "embedded.yaml"
    plain.write_text(config_out)
    stale = tmp_path / "stale.yaml"
    stale.write_text(config_out.replace("model_name: dall-e-3", "model_name: dall-e-3-gone"))
    assert cli("merge", plain, "-o", stale, "--check").code == 1


# -- variants derived from the real corpus --------------------------------------------------

BASE = (CORPUS / "05-dgx-spark.yaml").read_text(encoding="utf-8")


def derived(transform) -> str:
    return transform(BASE)


def reindent(text: str, spaces: int) -> str:
    """The block at `spaces` columns instead of 4 (the LiteLLM docs' example uses 6)."""
    head, rest = text.split("  config.yaml: |\n", 1)
    block, tail = rest.split("---\n", 1)
    lines = [(" " * spaces + line[4:]) if line.strip() else line
             for line in block.splitlines(keepends=True)]
    return head + "  config.yaml: |\n" + "".join(lines) + "---\n" + tail


VARIANTS = {
    "six-space-indentation": lambda t: reindent(t, 6),
    "strip-chomping": lambda t: t.replace("config.yaml: |\n", "config.yaml: |-\n"),
    "keep-chomping": lambda t: t.replace("      timeout: 300\n---",
                                         "      timeout: 300\n\n\n---").replace(
        "config.yaml: |\n", "config.yaml: |+\n"),
    # |2: the content is 2 spaces in from the key's own indentation (2), so at column 4.
    "indentation-indicator": lambda t: t.replace("config.yaml: |\n", "config.yaml: |2\n"),
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "comment-between-documents": lambda t: t.replace("---\napiVersion: apps/v1",
                                                     "# the workload\n---\napiVersion: apps/v1"),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_derived_variant_merges_inside_its_block(tmp_path: Path, variant: str) -> None:
    target = tmp_path / "litellm.yaml"
    target.write_bytes(VARIANTS[variant](BASE).encode())
    before = target.read_bytes()
    run = cli("merge", target, "--in-place")
    assert run.code == 0, run.stderr
    after = target.read_bytes()
    assert only_added_lines(before, after) == []
    if variant == "crlf":
        assert after.count(b"\n") == after.count(b"\r\n")
    assert outside_block(before)[0] == outside_block(after)[0]
    assert outside_block(before)[1] == outside_block(after)[1]
    config_in, config_out = kubelet_value(before), kubelet_value(after)
    assert_corpus_invariants(tmp_path, config_in, config_out)
    # The chomping of the value is kept: as many trailing line breaks as before.
    trailing = len(config_in) - len(config_in.rstrip("\n"))
    assert len(config_out) - len(config_out.rstrip("\n")) == trailing
    if variant == "six-space-indentation":
        assert b"\n        # BEGIN litellm-gen presets" in after  # items' dashes at 8
    assert cli("merge", target, "--in-place").code == 0 and target.read_bytes() == after


@pytest.mark.parametrize("value, message", [
    ("  config.yaml: >\n    model_list: []\n", "a folded block (>)"),
    ('  config.yaml: "model_list: []\\ngeneral_settings: {}\\n"\n', "a double-quoted string"),
    ("  config.yaml: |\n    model_list:\n    {{- range .Values.models }}\n      - model_name: "
     "{{ .name }}\n    {{- end }}\n", "template syntax"),
])
def test_embedded_configs_that_cannot_be_edited_line_for_line_are_refused(
        tmp_path: Path, value: str, message: str) -> None:
    target = tmp_path / "litellm.yaml"
    raw = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: litellm-config\ndata:\n"
           + value + "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n")
    target.write_text(raw)
    run = cli("merge", target, "--in-place")
    assert run.code == 2 and message in run.stderr and "litellm.yaml:6: " in run.stderr
    assert target.read_text() == raw


TWO_CONFIGMAPS = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: blue\ndata:\n"
                  "  config.yaml: |\n    model_list: []\n---\n"
                  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: green\ndata:\n"
                  "  config.yaml: |\n    model_list: []\n  other.yaml: |\n"
                  "    general_settings: {}\n")


def test_several_configs_need_configmap_and_it_picks_one(tmp_path: Path) -> None:
    target = tmp_path / "fleet.yaml"
    target.write_text(TWO_CONFIGMAPS)
    run = cli("merge", target, "--in-place")
    assert run.code == 2 and "--configmap" in run.stderr
    assert "blue/config.yaml (line 6)" in run.stderr and "green/other.yaml (line 16)" in run.stderr
    missing = cli("merge", target, "--in-place", "--configmap", "red")
    assert missing.code == 2 and "found: blue/config.yaml" in missing.stderr
    assert cli("merge", target, "--in-place", "--configmap", "green/config.yaml").code == 0
    raw = target.read_bytes()
    assert "tts-1" in kubelet_value(raw, "green", "config.yaml")
    assert "tts-1" not in kubelet_value(raw, "blue", "config.yaml")
    listed = cli("list", target, "--configmap", "green/config.yaml", "--presets-only")
    assert listed.code == 0 and "tts-1" in listed.stdout


def test_conflicts_work_inside_a_manifest(tmp_path: Path) -> None:
    target = tmp_path / "litellm.yaml"
    target.write_text(BASE.replace("      - model_name: qwen3-chat",
                                   "      - model_name: whisper-1\n        litellm_params:\n"
                                   "          model: openai/whisper-large\n"
                                   "      - model_name: qwen3-chat"))
    run = cli("merge", target, "--in-place", "--on-conflict", "error")
    assert run.code == 2 and "'whisper-1' at line 39" in run.stderr and "litellm.yaml:39:" in run.stderr
    skip = cli("merge", target, "--in-place")
    assert skip.code == 0 and "whisper-1 skipped" in skip.stderr
    assert kubelet_value(target.read_bytes()).count("model_name: whisper-1") == 1


def test_errors_in_the_embedded_config_name_the_manifest_line(tmp_path: Path) -> None:
    target = tmp_path / "litellm.yaml"
    target.write_text(BASE.replace("      master_key: os.environ/LITELLM_MASTER_KEY\n",
                                   "      master_key: os.environ/LITELLM_MASTER_KEY\n"
                                   "      master_key: again\n"))
    run = cli("merge", target, "--in-place")
    # general_settings is not on the way to model_list: a warning, with the manifest's line.
    assert run.code == 0 and "line 47: duplicate key 'master_key' (first defined on line 46)" in run.stderr


# -- other layouts -----------------------------------------------------------------------------

ARGO_APPLICATION = """apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: litellm
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://github.com/BerriAI/litellm
    path: deploy/charts/litellm-helm
    targetRevision: main
    helm:
      valuesObject:
        replicaCount: 2
        proxy_config:
          model_list:
            # local models first
            - model_name: llama3
              litellm_params:
                model: ollama/llama3
                api_base: http://ollama.llm.svc:11434
          general_settings:
            master_key: os.environ/PROXY_MASTER_KEY
  destination:
    server: https://kubernetes.default.svc
    namespace: litellm
"""


def test_argo_cd_application_through_key_path(tmp_path: Path) -> None:
    """An Argo CD Application carries the chart's values inline: --key-path reaches them."""
    target = tmp_path / "application.yaml"
    target.write_text(ARGO_APPLICATION)
    run = cli("merge", target, "--in-place", "--key-path",
              "spec.source.helm.valuesObject.proxy_config")
    assert run.code == 0, run.stderr
    after = target.read_bytes()
    assert only_added_lines(ARGO_APPLICATION.encode(), after) == []
    values = yaml.safe_load(after)["spec"]["source"]["helm"]["valuesObject"]
    assert [e["model_name"] for e in values["proxy_config"]["model_list"]] == ["llama3", *SEED]
    assert b"\n            # BEGIN litellm-gen presets" in after


def test_kustomize_config_map_generator_points_at_a_plain_config(tmp_path: Path) -> None:
    """Kustomize builds the ConfigMap from a plain file: merging that file is all it takes."""
    kustomization = ("resources:\n  - deployment.yaml\nconfigMapGenerator:\n"
                     "  - name: litellm-config-file\n    files:\n"
                     "      - config.yaml=configs/litellm.yaml\n")
    (tmp_path / "kustomization.yaml").write_text(kustomization)
    (tmp_path / "configs").mkdir()
    config = tmp_path / "configs" / "litellm.yaml"
    config.write_text("model_list:\n  - model_name: llama3\n    litellm_params:\n"
                      "      model: ollama/llama3\n")
    assert cli("merge", config, "--in-place").code == 0
    assert (tmp_path / "kustomization.yaml").read_text() == kustomization
    assert [e["model_name"] for e in yaml.safe_load(config.read_text())["model_list"]] == \
        ["llama3", *SEED]


def test_diff_and_check_on_a_manifest_write_nothing(tmp_path: Path) -> None:
    target = tmp_path / "litellm.yaml"
    target.write_text(BASE)
    diff = cli("merge", target, "-o", target, "--diff")
    assert diff.code == 0 and "+      # BEGIN litellm-gen presets" in diff.stdout
    assert all(not line.startswith("-") or line.startswith("---")
               for line in diff.stdout.splitlines())
    check = cli("merge", target, "-o", target, "--check")
    assert check.code == 1 and target.read_text() == BASE
