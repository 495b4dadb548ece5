"""validate for every release an operator runs: which release, its rules, upgrades, pins.

- which release a file is judged by (--litellm, an image tag, Helm image.tag, a requirement
  pin, this environment, else the newest known; never a checkout's .venv-proxy), and the
  report says why;
- each release's rules (a base and differences) read back exactly as extracted;
- --upgrade-to: what appears, disappears, becomes known or unknown;
- the supply chain: pins to compromised releases, floating image tags;
- -q/--quiet, and env-unset once per variable.
The replay of every release's recorded runs is tests/test_release_oracle.py.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import cli

from generator.releases import rules as release_rules
from generator.releases.choice import judged_release
from generator.releases.pins import Pin, text_pins, yaml_pins
from generator.validate.checks import rules_for

ROOT = Path(__file__).resolve().parent.parent

NEWEST = release_rules.known_releases()[-1]


# -- where the release is written ---------------------------------------------------------
@pytest.mark.parametrize("image, release, floating", [
    ("ghcr.io/berriai/litellm:main-v1.106.12", "1.106.12", False),
    ("ghcr.io/berriai/litellm:main-v1.106.12-stable", "1.106.12", False),
    ("ghcr.io/berriai/litellm:v1.108.14-lts", "1.108.14", False),
    ("ghcr.io/berriai/litellm-database:main-v1.100.0", "1.100.0", False),
    ("ghcr.io/berriai/litellm-non_root:main-v1.110.2", "1.110.2", False),
    ("docker.litellm.ai/berriai/litellm:main-v1.104.9@sha256:" + "a" * 64, "1.104.9", False),
    ("ghcr.io/berriai/litellm@sha256:" + "b" * 64, None, False),
    ("ghcr.io/berriai/litellm:main-latest", None, True),
    ("ghcr.io/berriai/litellm:main-stable", None, True),
    ("ghcr.io/berriai/litellm:latest", None, True),
    ("ghcr.io/berriai/litellm", None, True),
    ("localhost:5000/berriai/litellm", None, True),
])
def test_an_image_tag_names_the_release(image, release, floating) -> None:
    text = ("apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n"
            f"      containers:\n        - name: proxy\n          image: {image}\n")
    [pin] = yaml_pins(text)
    assert (pin.release, pin.floating, pin.line, pin.column) == (release, floating, 8, 18)


def test_other_images_are_not_the_proxy() -> None:
    text = ("services:\n  db:\n    image: postgres:16\n  gen:\n    image: ghcr.io/x/litellm-gen:1\n"
            "  proxy:\n    image: ghcr.io/berriai/litellm:main-v1.105.7\n")
    assert [(p.release, p.line) for p in yaml_pins(text)] == [("1.105.7", 7)]


def test_helm_values_image_tag() -> None:
    text = ("replicaCount: 1\nimage:\n  repository: ghcr.io/berriai/litellm-database\n"
            "  pullPolicy: IfNotPresent\n  tag: main-v1.108.14-lts\nproxy_config:\n"
            "  model_list: []\n")
    [pin] = yaml_pins(text)
    assert (pin.kind, pin.release, pin.line, pin.floating) == ("helm", "1.108.14", 5, False)
    assert pin.described("values.yaml") == "the Helm values image.tag on line 5 of values.yaml"
    floating = yaml_pins(text.replace("main-v1.108.14-lts", "main-stable"))
    assert floating[0].floating and floating[0].release is None
    # No tag: the chart's own appVersion runs, which the values file does not say.
    untagged = yaml_pins(text.replace("  tag: main-v1.108.14-lts\n", ""))
    assert untagged[0].release is None and not untagged[0].floating


def test_requirement_pins_and_dockerfiles() -> None:
    pins = text_pins("requests==2.32.0\nlitellm[proxy]==1.106.12  # the proxy\n"
                     "# litellm==1.82.7 (a comment)\nlitellm-enterprise==0.1.0\n")
    assert [(p.line, p.release) for p in pins] == [(2, "1.106.12")]
    docker = text_pins("FROM python:3.11\nRUN pip install 'litellm[proxy]==1.110.2' uvicorn\n"
                       "FROM ghcr.io/berriai/litellm:main-latest AS proxy\n")
    assert [(p.kind, p.line, p.release, p.floating) for p in docker] == [
        ("requirement", 2, "1.110.2", False), ("image", 3, None, True)]
    pyproject = text_pins('[project]\ndependencies = ["litellm[proxy]==1.104.9"]\n'
                          '[tool.poetry.dependencies]\nlitellm = "1.103.11"\n')
    assert [(p.line, p.release) for p in pyproject] == [(2, "1.104.9"), (4, "1.103.11")]


# -- which release is judged by ------------------------------------------------------------
def _pin(release, line=3):
    return Pin(line, 5, "image", f"ghcr.io/berriai/litellm:main-v{release}", release)


def test_the_order_of_the_sources() -> None:
    installed = [("1.100.0", "this Python environment")]
    file_pin, run_pin = [("k8s.yaml", _pin("1.106.12"))], [("requirements.txt", _pin("1.110.2"))]
    assert judged_release(cli="1.110.2", file_pins=file_pin, run_pins=[],
                          installed=installed).source == "--litellm"
    judged = judged_release(cli=None, file_pins=file_pin, run_pins=run_pin, installed=installed)
    assert (judged.release, judged.sentence) == (
        "1.106.12", "judged by litellm 1.106.12 (from the image tag on line 3 of k8s.yaml)")
    assert judged_release(cli=None, file_pins=[], run_pins=run_pin,
                          installed=installed).release == "1.110.2"
    assert judged_release(cli=None, file_pins=[], run_pins=[],
                          installed=installed).sentence == \
        "judged by litellm 1.100.0 (the litellm installed in this Python environment)"
    newest = judged_release(cli=None, file_pins=[], run_pins=[], installed=[])
    assert newest.release == NEWEST and newest.named is None
    assert "the newest release litellm-gen knows" in newest.sentence
    # A digest-only image names no release: the next source decides.
    digest = Pin(3, 5, "image", "ghcr.io/berriai/litellm@sha256:" + "c" * 64, None,
                 digest=True)
    assert judged_release(cli=None, file_pins=[("k8s.yaml", digest)], run_pins=[],
                          installed=installed).release == "1.100.0"


def test_a_checkouts_proxy_environment_does_not_choose_the_release(tmp_path,
                                                                  monkeypatch) -> None:
    """What validate says in a checkout is the same before and after `make test` installs
    .venv-proxy there: only the environment litellm-gen runs in counts."""
    site = tmp_path / ".venv-proxy" / "lib" / "python3.11" / "site-packages"
    (site / "litellm-1.100.0.dist-info").mkdir(parents=True)
    (tmp_path / "config.yaml").write_text("model_list:\n  - model_name: a\n    litellm_params:\n"
                                         "      model: ollama/llama3\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    run = cli("validate", "config.yaml")
    assert f"judged by litellm {NEWEST}, the newest release litellm-gen knows" in run.stdout, \
        run.stdout
    assert ".venv-proxy" not in run.stdout
    schema = cli("schema")
    assert ".venv-proxy" not in schema.stderr and "1.100.0" not in schema.stderr


def test_a_release_it_does_not_know_is_judged_by_the_nearest() -> None:
    judged = judged_release(cli="1.106.5", file_pins=[], run_pins=[], installed=[])
    assert (judged.release, judged.named, judged.nearest) == ("1.106.12", "1.106.5", True)
    assert judged.sentence == ("litellm 1.106.5 (--litellm) is not a release litellm-gen has "
                               "rules for: judged by the nearest it has, litellm 1.106.12")
    assert release_rules.nearest_known("1.99.0") == "1.100.0"
    assert release_rules.nearest_known("9.0.0") == NEWEST
    withdrawn = judged_release(cli="1.107.0", file_pins=[], run_pins=[], installed=[])
    assert withdrawn.release == "1.106.12"
    assert withdrawn.sentence.endswith("litellm 1.107.0 was reported compromised and must "
                                       "not run")


# -- the rules of each release --------------------------------------------------------------
def test_each_release_reads_back_as_a_base_and_differences() -> None:
    releases = release_rules.known_releases()
    assert releases[0] == release_rules.BASE and len(releases) >= 3
    for release in releases:
        data = release_rules.release_data(release)
        assert data["litellm_version"] == release
    base = release_rules.release_data(release_rules.BASE)
    newest = release_rules.release_data(NEWEST)
    assert release_rules.applied(base, release_rules.difference(base, newest)) == newest
    assert release_rules.difference(newest, newest) is None


def test_the_differences_are_what_the_releases_changed() -> None:
    base, newest = rules_for(release_rules.BASE), rules_for(NEWEST)
    assert base.data["master_key_check"] is None and newest.data["master_key_check"]
    assert "disk" in base.cache_types and "disk" not in newest.cache_types
    assert len(newest.general_settings_keys) > len(base.general_settings_keys) + 40
    assert "vector_store_deny_by_default" in newest.general_settings_keys
    assert not base.data["cli_validate_config"] and newest.data["cli_validate_config"]


# What 1.110.2's recorded runs show it does differently from 1.100.0's (tests/oracle/generated):
# the same file, judged by each; the rule validate reports on the line, or None for none.
ENTRY = ("model_list:\n  - model_name: gpt-4o\n    litellm_params:\n      model: openai/gpt-4o\n"
         "  - model_name: local\n    litellm_params:\n      model: ollama/llama3\n")
KEY = "general_settings:\n  master_key: os.environ/LITELLM_MASTER_KEY\n"
RELEASE_FACTS = [
    # (what, the file, its line, on 1.100.0, on 1.110.2)
    ("a string fallback target", ENTRY + KEY + "router_settings:\n  fallbacks: [{gpt-4o: local}]\n",
     11, "fallbacks-ignored", "fallbacks-shape"),
    ("a string content_policy_fallbacks target",
     ENTRY + KEY + "litellm_settings:\n  content_policy_fallbacks: [{gpt-4o: local}]\n",
     11, "fallbacks-ignored", "fallbacks-shape"),
    ("fallbacks written as a mapping",
     ENTRY + KEY + "router_settings:\n  fallbacks: {gpt-4o: [local]}\n",
     11, "fallbacks-shape", "fallbacks-form"),
    ("cooldown_time: true", ENTRY + KEY + "router_settings:\n  cooldown_time: true\n",
     11, None, "setting-type"),
    ("the disk cache",
     ENTRY + KEY + "litellm_settings:\n  cache: true\n  cache_params:\n    type: disk\n",
     13, "cache-needs-package", "cache-type"),
    ("model_name: 3", ENTRY.replace("model_name: local", "model_name: 3") + KEY,
     5, "model-name", None),
]


@pytest.mark.parametrize("what, text, line, old_rule, new_rule", RELEASE_FACTS,
                         ids=[f[0] for f in RELEASE_FACTS])
def test_what_1_110_2_does_differently(tmp_path, what, text, line, old_rule, new_rule) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(text)
    env = {"LITELLM_MASTER_KEY": "sk-a-generated-key-1", "OPENAI_API_KEY": "sk-openai-1"}
    for release, rule in (("1.100.0", old_rule), ("1.110.2", new_rule)):
        run = cli("validate", config, "--litellm", release, env=env)
        on_line = [l for l in run.stdout.splitlines() if l.startswith(f"{config}:{line}:")]
        rules = {l.rsplit("[", 1)[-1].rstrip("]") for l in on_line}
        if rule is None:
            assert not on_line and run.code == 0, (release, run.stdout)
        else:
            assert rule in rules, (release, run.stdout)


# -- the report says which release ---------------------------------------------------------
CONFIG = ("model_list:\n  - model_name: gpt-4o\n    litellm_params:\n      model: openai/gpt-4o\n"
          "general_settings:\n  master_key: os.environ/LITELLM_MASTER_KEY\n")


def _manifest(image: str) -> str:
    body = "".join("    " + line + "\n" for line in CONFIG.splitlines())
    return ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: litellm-config\ndata:\n"
            "  config.yaml: |\n" + body + "---\napiVersion: apps/v1\nkind: Deployment\n"
            "metadata:\n  name: litellm\nspec:\n  template:\n    spec:\n      containers:\n"
            f"        - name: litellm\n          image: {image}\n"
            # The pod's own environment (validate judges by it): the master key from a Secret.
            "          env:\n            - name: LITELLM_MASTER_KEY\n              valueFrom:\n"
            "                secretKeyRef: {name: litellm, key: master-key}\n")


def test_text_json_sarif_and_github_say_which_release(tmp_path) -> None:
    manifest = tmp_path / "litellm.yaml"
    manifest.write_text(_manifest("ghcr.io/berriai/litellm:main-v1.106.12"))
    env = {"LITELLM_MASTER_KEY": "sk-a-generated-key-1"}
    text = cli("validate", manifest, env=env)
    said = f"{manifest}: judged by litellm 1.106.12 (from the image tag on line 23 of {manifest})"
    assert said in text.stdout.splitlines()
    doc = json.loads(cli("validate", manifest, "--format", "json", env=env).stdout)
    assert doc["files"][0]["litellm"]["release"] == "1.106.12"
    assert doc["files"][0]["litellm"]["source"] == f"from the image tag on line 23 of {manifest}"
    sarif = json.loads(cli("validate", manifest, "--format", "sarif", env=env).stdout)
    assert sarif["runs"][0]["properties"]["litellm"][0]["release"] == "1.106.12"
    github = cli("validate", manifest, "--format", "github", env=env).stdout
    assert f"::notice file={manifest},title=litellm release::judged by litellm 1.106.12" in github


def test_the_release_changes_the_verdict(tmp_path) -> None:
    """The same file, no master key: 1.100.0 starts open, 1.106.12 refuses to start."""
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG)
    old = cli("validate", config, "--litellm", "1.100.0", "--deployment-env", env={})
    new = cli("validate", config, "--litellm", "1.106.12", "--deployment-env", env={})
    assert "[master-key-unset]" in old.stdout and "will start open" in old.stdout
    assert "[master-key-refused]" in new.stdout and "The proxy will not start." in new.stdout
    permitted = config.with_name("permitted.yaml")
    permitted.write_text(CONFIG + "  dangerously_permit_weak_or_unset_master_key: true\n")
    allowed = cli("validate", permitted, "--litellm", "1.106.12", "--deployment-env", env={})
    assert "[master-key-refused]" not in allowed.stdout and "will start open" in allowed.stdout


def test_the_master_key_the_file_names_wins_and_a_known_key_is_refused(tmp_path) -> None:
    """1.106.12 (recorded): master_key: os.environ/NAME overrides LITELLM_MASTER_KEY even
    when NAME is unset, and sk-1234 stops the start; the permitting variable lets it start."""
    env = {"LITELLM_MASTER_KEY": "sk-a-generated-key-1"}
    other = tmp_path / "other.yaml"
    other.write_text(CONFIG.replace("os.environ/LITELLM_MASTER_KEY", "os.environ/OTHER_MASTER"))
    old = cli("validate", other, "--litellm", "1.100.0", "--deployment-env", env=env)
    new = cli("validate", other, "--litellm", "1.106.12", "--deployment-env", env=env)
    assert "will start open" in old.stdout and "[master-key-unset]" in old.stdout
    assert new.code == 1 and "The proxy will not start." in new.stdout
    assert f"{other}:6:15: error: master_key reads OTHER_MASTER, which is not set here: " \
           "litellm 1.106.12 refuses to start" in new.stdout
    known = tmp_path / "known.yaml"
    known.write_text(CONFIG.replace("os.environ/LITELLM_MASTER_KEY", "sk-1234"))
    refused = cli("validate", known, "--litellm", "1.106.12", env=env)
    assert refused.code == 1 and "[master-key-weak]" in refused.stdout
    assert "sk-1234" not in refused.stdout
    assert cli("validate", known, "--litellm", "1.100.0", env=env).code == 0
    permit = dict(env, LITELLM_DANGEROUSLY_PERMIT_WEAK_OR_UNSET_MASTER_KEY="true")
    allowed = cli("validate", known, "--litellm", "1.106.12", env=permit)
    assert allowed.code == 0 and "[master-key-insecure]" in allowed.stdout


def test_a_bad_release_option_is_a_usage_error(tmp_path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG)
    run = cli("validate", config, "--litellm", "latest")
    assert run.code == 2 and "--litellm 'latest': give a release as X.Y.Z" in run.stderr


def test_releases_lists_how_each_is_backed() -> None:
    run = cli("validate", "--releases")
    rows = [line.split("\t") for line in run.stdout.splitlines()]
    assert [r[0] for r in rows] == release_rules.known_releases()
    assert all(r[1] for r in rows)


# -- supply chain ---------------------------------------------------------------------------
@pytest.mark.parametrize("image", ["ghcr.io/berriai/litellm:main-v1.82.7",
                                   "ghcr.io/berriai/litellm-database:main-v1.107.0-stable"])
def test_an_image_of_a_compromised_release_is_an_error(tmp_path, image) -> None:
    manifest = tmp_path / "litellm.yaml"
    manifest.write_text(_manifest(image))
    run = cli("validate", manifest, env={"LITELLM_MASTER_KEY": "sk-a-generated-key-1"})
    assert run.code == 1
    line = next(l for l in run.stdout.splitlines() if "[compromised-release]" in l)
    assert line.startswith(f"{manifest}:23:18: error: this image pins litellm 1.")
    assert "main-v" + NEWEST in line


def test_a_floating_tag_is_a_warning_that_says_what_to_pin(tmp_path) -> None:
    manifest = tmp_path / "litellm.yaml"
    manifest.write_text(_manifest("ghcr.io/berriai/litellm:main-latest"))
    run = cli("validate", manifest, env={"LITELLM_MASTER_KEY": "sk-a-generated-key-1"})
    line = next(l for l in run.stdout.splitlines() if "[floating-image-tag]" in l)
    assert line.startswith(f"{manifest}:23:18: warning: the image tag 'main-latest' moves")
    assert f"pin a release tag such as main-v{NEWEST}" in line
    assert run.code == 0 and cli("validate", manifest, "--strict").code == 1


def test_requirements_and_dockerfiles_are_checked_for_pins(tmp_path) -> None:
    requirements = tmp_path / "requirements-proxy.txt"
    requirements.write_text("litellm[proxy]==1.82.8\n")
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM ghcr.io/berriai/litellm:main-v1.110.2\n")
    run = cli("validate", requirements, dockerfile)
    assert run.code == 1
    assert f"{requirements}:1:1: error: this requirement pins litellm 1.82.8" in run.stdout
    assert f"{dockerfile}: 0 errors, 0 warnings. No pin to a compromised release" in run.stdout
    # A pin among the files says which release the configs of the run are judged by.
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG)
    both = cli("validate", config, dockerfile, env={"LITELLM_MASTER_KEY": "sk-generated-1"})
    assert f"{config}: judged by litellm 1.110.2 (from the image tag on line 1 of " \
           f"{dockerfile})" in both.stdout


def test_a_pin_can_be_acknowledged_inline(tmp_path) -> None:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("litellm==1.82.7  # litellm-gen: ignore[compromised-release]\n")
    run = cli("validate", requirements)
    assert run.code == 0 and "1 suppressed" in run.stdout


# -- --upgrade-to ----------------------------------------------------------------------------
UPGRADE = ("model_list:\n  - model_name: gpt-4o\n    litellm_params:\n      model: openai/gpt-4o\n"
           "      api_key: os.environ/OPENAI_API_KEY\n"
           "  - model_name: local\n    litellm_params:\n      model: ollama/llama3\n"
           "router_settings:\n  fallbacks: [{gpt-4o: local}]\n"
           "general_settings:\n  master_key: os.environ/LITELLM_MASTER_KEY\n"
           "  vector_store_deny_by_default: true\n"
           "litellm_settings:\n  cache: true\n  cache_params: {type: disk}\n")


def test_upgrade_says_what_breaks_and_what_becomes_known(tmp_path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(UPGRADE)
    env = {"LITELLM_MASTER_KEY": "sk-a-generated-key-1", "OPENAI_API_KEY": "sk-openai-1"}
    run = cli("validate", config, "--litellm", "1.100.0", "--upgrade-to", NEWEST, env=env)
    assert run.code == 1
    lines = run.stdout.splitlines()
    assert lines[0] == f"{config}: from litellm 1.100.0 (--litellm) to litellm {NEWEST}:"
    broken = [l for l in lines if l.startswith("  will break (the proxy will not start): ")]
    assert any(f"{config}:10:" in l and "[fallbacks-shape]" in l for l in broken), lines
    assert any(f"{config}:16:" in l and "[cache-type]" in l for l in broken), lines
    assert any(l.startswith("  no longer: ") and "[fallbacks-ignored]" in l for l in lines)
    assert "  becomes known: general_settings.vector_store_deny_by_default (line 13)" in lines
    doc = json.loads(cli("validate", config, "--litellm", "1.100.0", "--upgrade-to", NEWEST,
                         "--format", "json", env=env).stdout)
    change = doc["files"][0]
    assert doc["breaks"] and change["from"]["release"] == "1.100.0"
    assert {f["rule"] for f in change["appear"] if f["change"].startswith("will break")} >= \
        {"fallbacks-shape", "cache-type"}
    assert change["become_known"][0]["setting"] == "general_settings.vector_store_deny_by_default"


def test_upgrade_does_not_pretend_to_be_annotations(tmp_path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(UPGRADE)
    run = cli("validate", config, "--upgrade-to", NEWEST, "--format", "sarif")
    assert run.code == 2 and "--upgrade-to reports in text or json" in run.stderr


def test_an_upgrade_that_changes_nothing_says_so(tmp_path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG)
    env = {"LITELLM_MASTER_KEY": "sk-a-generated-key-1"}
    run = cli("validate", config, "--litellm", NEWEST, "--upgrade-to", NEWEST, env=env)
    assert run.code == 0 and "  nothing validate says changes" in run.stdout.splitlines()


# -- quiet, and one warning per unset variable -----------------------------------------------
def test_quiet_prints_only_what_fails(tmp_path) -> None:
    clean = tmp_path / "clean.yaml"
    clean.write_text(CONFIG + "router_settings:\n  num_retries: 2\n")
    failing = tmp_path / "failing.yaml"
    failing.write_text(CONFIG + "router_settings:\n  routing_strategy: nope\n")
    env = {"LITELLM_MASTER_KEY": "sk-a-generated-key-1"}
    run = cli("validate", "-q", clean, failing, "--litellm", "1.100.0", env=env)
    assert run.code == 1
    assert [l.split(": ")[0] for l in run.stdout.splitlines()] == [
        f"{failing}:8:21", f"{failing}"]
    assert cli("validate", "--quiet", clean, "--litellm", "1.100.0", env=env).stdout == ""
    warned = tmp_path / "warned.yaml"
    warned.write_text(CONFIG.replace("openai/gpt-4o\n",
                                     "openai/gpt-4o\n      api_key: os.environ/UNSET_KEY\n"))
    assert cli("validate", "-q", warned, "--litellm", "1.100.0", env=env).stdout == ""
    strict = cli("validate", "-q", "--strict", warned, "--litellm", "1.100.0", env=env)
    assert strict.code == 1 and "[env-unset]" in strict.stdout


def test_an_unset_variable_is_reported_once(tmp_path) -> None:
    entries = "".join(f"  - model_name: m{i}\n    litellm_params:\n      model: openai/m{i}\n"
                      "      api_key: os.environ/SHARED_KEY\n" for i in range(4))
    config = tmp_path / "config.yaml"
    config.write_text("model_list:\n" + entries)
    run = cli("validate", config, "--litellm", "1.100.0",
              env={"LITELLM_MASTER_KEY": "sk-a-generated-key-1"})
    unset = [l for l in run.stdout.splitlines() if "[env-unset]" in l]
    assert len(unset) == 1
    assert unset[0].startswith(f"{config}:5:16: warning: model 'm0': api_key reads SHARED_KEY")
    assert "requests to these 4 models will fail until it is; also read on line 9, line 13, " \
           "line 17" in unset[0]


def _first_known_with(key: str) -> str:
    return next(r for r in release_rules.known_releases()
                if release_rules.release_data(r).get(key))


def test_the_help_names_the_first_release_with_validate_config() -> None:
    """--help and the manual name the release from which --with-proxy asks --validate_config:
    the first release whose extracted rules have it, not a number written once by hand."""
    first = _first_known_with("cli_validate_config")
    run = cli("validate", "--help")
    assert f"knows, {first} and later" in " ".join(run.stdout.split())
    manual = " ".join((ROOT / "docs" / "validate.md").read_text(encoding="utf-8").split())
    assert f"extracted rules say which do: {first} and later" in manual


def test_the_master_key_rule_names_the_line_whose_records_refuse() -> None:
    from generator.validate.registry import RULES

    first = _first_known_with("master_key_check")
    line = ".".join(first.split(".")[:2])
    assert f"({line} and later)" in RULES["master-key-refused"].summary
    manual = " ".join((ROOT / "docs" / "releases.md").read_text(encoding="utf-8").split())
    assert f"{first} and every later release refuse" in manual


def test_make_restart_judges_by_the_release_it_restarts(tmp_path) -> None:
    """The default RESTART starts .venv-proxy's litellm, so `make restart` judges by that
    release; a RESTART of your own runs your release, which the files or LITELLM_VERSION name."""
    import subprocess

    config = tmp_path / "config.yaml"
    config.write_text("model_list: []\n", encoding="utf-8")

    def planned(*args: str) -> str:
        done = subprocess.run(["make", "-n", "restart", f"CONFIG={config}", *args], cwd=ROOT,
                              capture_output=True, text=True, check=True)
        (line,) = [ln for ln in done.stdout.splitlines() if "litellm-gen validate" in ln]
        return " ".join(line.split())

    base = release_rules.BASE
    assert f"--deployment-env --litellm {base} " in planned()
    assert "--litellm" not in planned("RESTART=docker compose restart litellm")
    assert "--litellm 1.110.2 " in planned("LITELLM_VERSION=1.110.2")
    assert "--litellm 1.110.2 " in planned("RESTART=true", "LITELLM_VERSION=1.110.2")
