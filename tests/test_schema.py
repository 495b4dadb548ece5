"""`litellm-gen schema`: a JSON Schema of config.yaml, held to the recorded proxy runs.

With real validators: jsonschema (draft 2020-12) and the check-jsonschema command the
README shows, and yaml-language-server spoken to over LSP as an editor does. The
schema must accept every config the proxy started with (the oracle's records and the
real manifests' embedded configs) and reject the type and missing-key mistakes the
proxy refused to start on.
"""
from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
import yaml
from helpers import OLLAMA_CONFIG, cli

from generator.validate.checks import shipped_rules
from generator.validate.per_file import validate_file
from generator.validate.schema import config_schema

CASES = Path(__file__).parent / "oracle" / "validate" / "cases"
MANIFESTS = Path(__file__).parent / "manifests"
RELEASE = shipped_rules().data["litellm_version"]
# The refusals a schema can express: a shape, a type, a required key, an enum. The
# others depend on the machine the proxy runs on (files, packages, the environment,
# YAML the loader refuses) and no schema of the document can see them.
SCHEMA_RULES = {"config-not-mapping", "empty-config", "model-list-not-list",
                "entry-not-mapping", "missing-litellm-params", "litellm-params-not-mapping",
                "missing-model", "model-not-string", "model-name", "section-not-mapping",
                "include-not-list", "routing-strategy", "fallbacks-shape",
                "router-setting-misplaced", "cache-type", "cache-missing-param",
                "unknown-callback"}
ELSEWHERE_RULES = {"yaml-syntax", "yaml-tag", "include-missing", "include-unreadable",
                   "model-env-unset", "cache-no-host", "cache-needs-package",
                   "callback-needs-package", "callback-module-missing",
                   "database-needs-package",
                   # what start-up does with the values, not their shape: no schema says it
                   "alias-expansion", "surrogate-escape"}


@pytest.fixture(scope="module")
def schema() -> dict:
    run = cli("schema", "--litellm", RELEASE)
    assert run.code == 0, run.stderr
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def validator(schema):
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def recorded() -> list[tuple[str, dict, Path]]:
    cases = []
    for folder in sorted(p for p in CASES.iterdir() if p.is_dir()):
        cases.append((folder.name, json.loads((folder / "record.json").read_text()), folder))
    return cases


SCHEMA_WALK_LIMIT = 1_000_000


def _values_counted(data) -> int:
    """How many values a walk of `data` meets, each alias's target once per use (counted
    once per object, so an alias bomb is counted without being walked)."""
    counts: dict[int, int] = {}

    def count(value) -> int:
        if id(value) in counts:
            return counts[id(value)]
        items = (value.values() if isinstance(value, dict) else
                 value if isinstance(value, list) else ())
        counts[id(value)] = total = 1 + sum(count(item) for item in items)
        return total
    return count(data)


def loaded(path: Path):
    """The config as the proxy loads it, or the manifest's embedded one."""
    from generator.merge.manifest import embedded_text

    text = path.read_text(encoding="utf-8")
    embedded = embedded_text(text, None)
    return yaml.safe_load(embedded[0] if embedded else text)


def test_the_schema_is_draft_2020_12_for_the_release(schema) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert RELEASE in schema["title"]
    jsonschema.Draft202012Validator.check_schema(schema)


def test_it_holds_the_sections_keys_enums_and_required_keys(schema) -> None:
    rules = shipped_rules().data
    props = schema["properties"]
    assert set(rules["top_level_keys"]) <= set(props)
    for section in ("general_settings", "litellm_settings", "router_settings"):
        assert set(rules[f"{section}_keys"]) <= set(props[section]["properties"])
        assert props[section]["description"]
    defs = schema["$defs"]
    assert defs["deployment"]["required"] == ["model_name", "litellm_params"]
    assert defs["litellm_params"]["required"] == ["model"]
    assert set(props["router_settings"]["properties"]["routing_strategy"]["enum"]) == set(
        rules["routing_strategies"])
    assert set(props["litellm_settings"]["then"]["properties"]["cache_params"]["properties"][
        "type"]["enum"]) == set(rules["cache_types"])
    assert set(defs["callback"]["anyOf"][0]["enum"]) == set(rules["builtin_callbacks"])
    assert set(defs["model_info"]["properties"]["mode"]["examples"]) == set(rules["model_modes"])
    model = defs["litellm_params"]["properties"]["model"]
    assert {f"{p}/" for p in rules["providers"]} == set(model["examples"])
    pattern = defs["litellm_params"]["then"]["properties"]["model"]["if"]["not"]["pattern"]
    import re
    assert re.search(pattern, "ollama/llama3") and re.search(pattern, "gpt-4o")
    assert re.search(pattern, "os.environ/MODEL") and not re.search(pattern, "zhipu/glm-4")
    assert defs["litellm_params"]["properties"]["rpm"]["description"]


@pytest.mark.parametrize("name, record, folder", recorded(), ids=[c[0] for c in recorded()])
def test_it_accepts_what_started_and_rejects_what_refused(validator, name, record,
                                                          folder) -> None:
    try:
        data = loaded(folder / "config.yaml")
    except yaml.YAMLError:
        assert not record["started"]
        return  # the proxy's loader refused it: no document to hold to a schema
    except RecursionError:
        assert not record["started"]
        return
    # A schema validator walks every value an alias stands for: an alias bomb (hundreds of
    # millions) would take minutes, and no schema can say what its size does to start-up.
    expanded = _values_counted(data)
    errors = [] if expanded > SCHEMA_WALK_LIMIT else [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:120]}"
        for e in validator.iter_errors(data)]
    if record["started"]:
        assert not errors, f"the proxy started with {name}, the schema rejects it: {errors}"
        return
    from oracle_replay import case_env

    from generator.validate.registry import RULES

    rules = {f.rule for f in validate_file(folder / "config.yaml", env=case_env(folder),
                                           today=__import__("datetime").date(2025, 9, 1))
             if RULES[f.rule].effect == "no-start"}
    if rules & SCHEMA_RULES:
        assert errors, f"the proxy refused {name} ({record['last_error']}); schema accepts it"
    else:
        assert rules and rules <= ELSEWHERE_RULES, (name, rules)


@pytest.mark.parametrize("manifest", sorted(MANIFESTS.glob("*.yaml")), ids=lambda p: p.name)
def test_real_manifests_the_proxy_started_are_accepted(validator, manifest: Path) -> None:
    record = json.loads((CASES / f"m-{manifest.stem}-as-is" / "record.json").read_text())
    errors = [e.message for e in validator.iter_errors(loaded(manifest))]
    assert bool(errors) == (not record["started"] and "routing_strategy" in
                            record["last_error"]), errors


def test_key_types_from_the_rules_are_used_and_lists_are_the_fallback() -> None:
    rules = dict(shipped_rules().data)
    rules["key_types"] = {
        "general_settings": {"master_key": {"type": "string", "description": "The key."}},
        "litellm_params": {"rpm": {"type": ["integer", "string"]}, "tags": {"type": "array"}},
        "model_info": {"base_model": {"type": "string"}},
        "top_level": {"environment_variables": {"type": ["object", "null"]}},
    }
    built = config_schema(rules, RELEASE)
    general = built["properties"]["general_settings"]["properties"]
    assert general["master_key"] == {"type": "string", "description": "The key."}
    assert "type" not in general["alerting"] and general["alerting"]["description"]
    # A wrong type that only drops the entry or is ignored (recorded) is a hint, not an error:
    # master_key and environment_variables stop the proxy when mistyped; rpm, tags and
    # base_model do not.
    params = built["$defs"]["litellm_params"]["properties"]
    assert "type" not in params["rpm"] and params["tags"]["if"] == {"not": {"type": "array"}}
    assert built["$defs"]["model_info"]["properties"]["base_model"]["if"] == {
        "not": {"type": "string"}}
    validator = jsonschema.Draft202012Validator(built)
    bad = yaml.safe_load(OLLAMA_CONFIG.replace("ollama/llama3", "ollama/llama3\n      tags: 5")
                         + "general_settings:\n  master_key: 5\nenvironment_variables: [A]\n")
    assert {e.json_path for e in validator.iter_errors(bad)} == {
        "$.general_settings.master_key", "$.environment_variables"}


def test_output_file_and_release(tmp_path: Path) -> None:
    target = tmp_path / "litellm.schema.json"
    run = cli("schema", "--litellm", RELEASE, "-o", target)
    assert run.code == 0 and str(target) in run.stderr and run.stdout == ""
    assert json.loads(target.read_text())["$schema"].endswith("2020-12/schema")
    # Another release's schema speaks for that release; one without rules, for the nearest.
    newer = json.loads(cli("schema", "--litellm", "1.106.12").stdout)
    assert "1.106.12" in newer["title"] and newer != json.loads(target.read_text())
    assert "vector_store_deny_by_default" in \
        newer["properties"]["general_settings"]["properties"]
    near = cli("schema", "--litellm", "1.106.5")
    assert near.code == 0 and "1.106.12" in json.loads(near.stdout)["title"]
    assert "litellm 1.106.5 (--litellm) is not a release litellm-gen has rules for" in \
        near.stderr
    assert cli("schema", "--litellm", "newest").code == 2


def test_check_jsonschema_as_the_readme_uses_it(tmp_path: Path) -> None:
    schema_file = tmp_path / "litellm.schema.json"
    cli("schema", "--litellm", RELEASE, "-o", schema_file)
    good = tmp_path / "config.yaml"
    good.write_text(OLLAMA_CONFIG + "general_settings:\n  bogus: 1\n", encoding="utf-8")
    bad = tmp_path / "broken.yaml"
    bad.write_text(OLLAMA_CONFIG.replace("model_name: llama3", "model_name: 3"),
                   encoding="utf-8")
    command = [str(Path(sys.executable).parent / "check-jsonschema"), "--schemafile",
               str(schema_file)]
    ok = subprocess.run(command + [str(good)], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    refused = subprocess.run(command + [str(bad)], capture_output=True, text=True, timeout=120)
    assert refused.returncode == 1 and "model_name" in refused.stdout + refused.stderr


# -- yaml-language-server, spoken to as an editor does ------------------------------------
def _language_server() -> list[str]:
    from helpers import installed_or_skip

    configured = os.environ.get("YAML_LANGUAGE_SERVER") or str(
        Path(__file__).resolve().parent.parent / ".venv-npm" / "node_modules" / ".bin" /
        "yaml-language-server")
    installed_or_skip(shutil.which("node") or "/nonexistent/node",
                      "node is not installed: yaml-language-server cannot run here")
    installed_or_skip(configured, f"yaml-language-server is not installed at {configured} "
                                  "(make test installs it with npm ci)")
    return [configured, "--stdio"]


class LanguageClient:
    """JSON-RPC over stdio with Content-Length framing, as the LSP base protocol says."""

    def __init__(self, command: list[str]) -> None:
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)
        self.buffer = b""
        self.next_id = 0

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.process.stdin.flush()

    def request(self, method: str, params: dict) -> int:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.next_id

    def receive(self, deadline: float) -> dict | None:
        while True:
            head, sep, rest = self.buffer.partition(b"\r\n\r\n")
            if sep:
                length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length"))
                if len(rest) >= length:
                    self.buffer = rest[length:]
                    return json.loads(rest[:length])
            ready, _, _ = select.select([self.process.stdout], [], [],
                                        max(0.0, deadline - time.monotonic()))
            if not ready:
                return None
            chunk = os.read(self.process.stdout.fileno(), 65536)
            if not chunk:
                return None
            self.buffer += chunk

    def close(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)


def diagnostics(document: Path) -> list[dict]:
    """What yaml-language-server reports for a document that names its schema inline."""
    client = LanguageClient(_language_server())
    settings = {"yaml": {"validate": True, "schemaStore": {"enable": False}}}
    try:
        first = client.request("initialize", {
            "processId": os.getpid(), "rootUri": document.parent.as_uri(),
            "capabilities": {"workspace": {"configuration": True}}})
        deadline = time.monotonic() + 60
        while (message := client.receive(deadline)) is not None and message.get("id") != first:
            pass
        assert message is not None, "yaml-language-server did not answer initialize"
        client.send({"method": "initialized", "params": {}})
        client.send({"method": "workspace/didChangeConfiguration",
                     "params": {"settings": settings}})
        client.send({"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": document.as_uri(), "languageId": "yaml", "version": 1,
            "text": document.read_text(encoding="utf-8")}}})
        # The first publication may come before the schema is loaded: an empty list is
        # final only when nothing follows it for a few seconds.
        deadline, published = time.monotonic() + 60, None
        while (message := client.receive(deadline)) is not None:
            if message.get("method") == "workspace/configuration":
                client.send({"id": message["id"],
                             "result": [settings["yaml"] for _ in message["params"]["items"]]})
            elif "id" in message and "method" in message:
                client.send({"id": message["id"], "result": None})
            elif message.get("method") == "textDocument/publishDiagnostics" and \
                    message["params"]["uri"] == document.as_uri():
                published = message["params"]["diagnostics"]
                if published:
                    return published
                deadline = min(deadline, time.monotonic() + 5)
        assert published is not None, "yaml-language-server published no diagnostics"
        return published
    finally:
        client.close()


def test_yaml_language_server_reads_the_schema_as_an_editor_does(tmp_path: Path) -> None:
    _language_server()
    cli("schema", "--litellm", RELEASE, "-o", tmp_path / "litellm.schema.json")
    modeline = "# yaml-language-server: $schema=./litellm.schema.json\n"
    document = tmp_path / "config.yaml"
    document.write_text(modeline + """\
model_list:
  - model_name: 3
    litellm_params:
      model: ollama/llama3
  - model_name: mistral
    litellm_params:
      api_base: http://127.0.0.1:11434
general_settings:
  rpm_limit: 5
router_settings:
  routing_strategy: round-robin
""", encoding="utf-8")
    found = {(d["range"]["start"]["line"] + 1, d["message"]) for d in diagnostics(document)}
    lines = {line for line, _ in found}
    assert lines == {3, 7, 10, 12}, found
    messages = " | ".join(message for _, message in sorted(found))
    assert 'Expected "string"' in messages and 'Missing property "model"' in messages
    assert "does not read this key in general_settings" in messages
    assert any(line == 12 and "simple-shuffle" in message for line, message in found)
    # A config the proxy serves completely draws nothing.
    document.write_text(modeline + OLLAMA_CONFIG, encoding="utf-8")
    assert diagnostics(document) == []
