"""Generated cases over the whole config surface, for the fast oracle (scripts/harness.py).

  python scripts/gen_cases.py OUT.jsonl

Deterministic, and needs no litellm: it reads the keys and their types from
generator/releases/rules.json ("key_types", extracted from the release by `make rules`) and writes
one case per line: a config in the shape of a real deployment with one change, or a
correct config of some shape. A case says which section and key it is about, what kind of
change it is (`kind`), the line the change is on (`line`), and `ignored`: true when by
construction the change is something the release does not read (a key it does not know in
that place). What the proxy then does is not guessed here: the harness records it.
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from generator.releases.rules import release_data  # noqa: E402

RULES = json.loads((ROOT / "generator" / "releases" / "rules.json").read_text(encoding="utf-8"))
TYPES = RULES["key_types"]
# The releases whose keys and names the cases that tell releases apart are drawn from: the
# base, the newest whose proxy installs here, the newest published (fixed, so that adding a
# release does not change the cases every other release was recorded on).
SPREAD = ("1.106.12", "1.110.2")
BASE_ENV = {"OPENAI_API_KEY": "sk-oracle-openai", "LITELLM_MASTER_KEY": "sk-oracle-master"}
SECTIONS = ("general_settings", "litellm_settings", "router_settings")


class Mark(str):
    """A line of a config that is the case's change: its line number is the case's `line`."""


def fmt(value) -> str:
    """A value as an operator would write it: plain where YAML reads it back the same."""
    if isinstance(value, str):
        try:
            plain = bool(value) and yaml.safe_load(f"k: {value}") == {"k": value}
        except yaml.YAMLError:
            plain = False
        return value if plain and "#" not in value else json.dumps(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(value)


OLLAMA = ["model_name: llama3", "litellm_params:", "  model: ollama/llama3",
          "  api_base: http://127.0.0.1:11434"]
OPENAI = ["model_name: gpt-4o", "litellm_params:", "  model: openai/gpt-4o",
          "  api_key: os.environ/OPENAI_API_KEY"]


@dataclass
class Config:
    entries: list[list[str]] = field(default_factory=lambda: [list(OLLAMA), list(OPENAI)])
    sections: dict[str, list[str] | None] = field(default_factory=lambda: {
        "general_settings": ["master_key: os.environ/LITELLM_MASTER_KEY"]})
    head: list[str] = field(default_factory=list)  # top-level lines before model_list
    tail: list[str] = field(default_factory=list)  # top-level lines at the end

    def add(self, section: str, *lines: str) -> "Config":
        body = self.sections.get(section) or []
        self.sections[section] = body + list(lines)
        return self

    def render(self) -> tuple[str, int | None]:
        out: list[str] = []
        line: int | None = None

        def put(text: str, original) -> None:
            nonlocal line
            out.append(text)
            if isinstance(original, Mark) and line is None:
                line = len(out)

        for text in self.head:
            put(text, text)
        if self.entries is not None:
            put("model_list:", None)
            for entry in self.entries:
                for i, text in enumerate(entry):
                    put(("  - " if i == 0 else "    ") + text, text)
        for name, body in self.sections.items():
            if body is None:
                continue
            put(f"{name}:", None)
            for text in body:
                put("  " + text, text)
        for text in self.tail:
            put(text, text)
        return "\n".join(out) + "\n", line


@dataclass
class Case:
    id: str
    section: str
    kind: str
    key: str
    about: str
    config: str
    line: int | None
    files: dict = field(default_factory=dict)
    env: dict = field(default_factory=lambda: dict(BASE_ENV))
    ignored: bool = False
    network: bool = False  # the outcome depends on a service being reachable
    releases: bool = False  # made to tell releases apart (release_differences)

    def as_dict(self) -> dict:
        out = {"id": self.id, "section": self.section, "kind": self.kind, "key": self.key,
               "about": self.about, "config": self.config, "line": self.line,
               "files": self.files, "env": self.env, "ignored": self.ignored}
        if self.network:
            out["network"] = True
        if self.releases:
            out["releases"] = True
        return out


class Cases:
    def __init__(self) -> None:
        self.items: list[Case] = []
        self.ids: set[str] = set()

    def add(self, section: str, kind: str, key: str, about: str, config: Config | str, *,
            files=None, env=None, ignored=False, line=None, network=False) -> None:
        if isinstance(config, Config):
            text, marked = config.render()
        else:
            text, marked = config, None
        base = re.sub(r"[^a-z0-9]+", "-", f"{section}-{kind}-{key}".lower()).strip("-")
        case_id, n = base, 1
        while case_id in self.ids:
            n += 1
            case_id = f"{base}-{n}"
        self.ids.add(case_id)
        merged_env = dict(BASE_ENV)
        merged_env.update(env or {})
        self.items.append(Case(case_id, section, kind, key, about, text,
                               line if line is not None else marked, dict(files or {}),
                               {k: v for k, v in merged_env.items() if v}, ignored, network))


# --- values of a type, right and wrong ------------------------------------------------------

def kinds_of(schema: dict) -> list[str]:
    kind = schema.get("type")
    if kind is None and "anyOf" in schema:
        return sorted({k for o in schema["anyOf"] for k in kinds_of(o)})
    return [kind] if isinstance(kind, str) else list(kind or [])


def good_value(key: str, schema: dict):
    """A value of the key's declared type that an operator could mean."""
    enum = [v for v in schema.get("enum", []) if v is not None]
    if enum:
        return enum[0]
    kinds = [k for k in kinds_of(schema) if k != "null"]
    if not kinds:
        return None
    kind = kinds[0]
    lowered = key.lower()
    if kind == "boolean":
        return True
    if kind == "integer":
        return 6379 if "port" in lowered else 30 if "time" in lowered or "ttl" in lowered else 5
    if kind == "number":
        return 0.8 if "threshold" in lowered else 30.0 if "time" in lowered else 10.5
    if kind == "string":
        if "url" in lowered or "base" in lowered or "endpoint" in lowered:
            return "http://127.0.0.1:9/v1"
        return "example"
    if kind == "array":
        items = schema.get("items", {})
        inner = [v for v in items.get("enum", []) if v is not None]
        if inner:
            return [inner[0]]
        if kinds_of(items) in (["string"], ["string", "null"]):
            return ["example"]
        return []
    if kind == "object":
        return {}
    return None


def bad_value(key: str, schema: dict):
    """A value of a type the key cannot take (None when every YAML value would do)."""
    kinds = [k for k in kinds_of(schema) if k != "null"]
    if not kinds:
        return None
    if set(kinds) <= {"boolean"}:
        return "maybe"
    if set(kinds) <= {"integer", "number"}:
        return "ten"
    if set(kinds) <= {"integer", "number", "boolean"}:
        return "ten"
    if set(kinds) <= {"string"} and "enum" not in schema:
        return ["a", "b"]
    if set(kinds) <= {"array"}:
        items = schema.get("items", {})
        inner = [v for v in items.get("enum", []) if v is not None]
        return inner[0] if inner else "example"
    if set(kinds) <= {"object"}:
        return ["example"]
    if "string" not in kinds and "array" not in kinds:
        return "ten"
    return None


def typo(key: str, known) -> str | None:
    """A near miss: two letters swapped, else one letter dropped (not of two-letter keys)."""
    if len(key) < 3:
        return None
    for i in range(len(key) - 2, 0, -1):
        if key[i] != key[i + 1] and key[i].isalpha() and key[i + 1].isalpha():
            word = key[:i] + key[i + 1] + key[i] + key[i + 2:]
            if word not in known:
                return word
    for i in range(len(key) - 1, 0, -1):
        word = key[:i] + key[i + 1:]
        if word not in known and key[i].isalpha():
            return word
    return None


# litellm attributes a config can set but that are litellm's own machinery, not settings:
# setting them replaces what the library runs on (instances, price maps, provider lists).
_MACHINERY = re.compile(r"(_models|_list|_instance|_completions?|_transformation|_handler|_api|"
                        r"_embedding|_rerank|_image_\w+|_llm|_emb|model_cost|_registry|"
                        r"^_|_client$|_session$|_cache$|^callbacks$|logging_callback_manager|"
                        r"_callback$|_callbacks$|provider_list|^cache$|^config_path$)")


def settings_keys() -> list[str]:
    keys = []
    for key, schema in TYPES["litellm_settings"].items():
        if _MACHINERY.search(key) or not kinds_of(schema):
            continue
        keys.append(key)
    return keys


# --- families -------------------------------------------------------------------------------

def section_keys(cases: Cases) -> None:
    """Every key of the three settings sections: a right value, a wrong type, a near miss."""
    for section in SECTIONS:
        table = TYPES[section]
        keys = settings_keys() if section == "litellm_settings" else sorted(table)
        known = set(RULES[f"{section}_keys"])
        for key in keys:
            schema = table.get(key, {})
            good = good_value(key, schema)
            if good is not None:
                cases.add(section, "correct", key, f"{section}.{key}: {fmt(good)}",
                          _with(section, key, good))
            bad = bad_value(key, schema)
            if bad is not None:
                cases.add(section, "wrong-type", key, f"{section}.{key}: {fmt(bad)} (a "
                          f"{'/'.join(kinds_of(schema))} is declared)", _with(section, key, bad))
            if good is None and bad is None:
                cases.add(section, "set", key, f"{section}.{key}: example (no declared type)",
                          _with(section, key, "example"))
            if "enum" in schema and kinds_of(schema)[:1] == ["string"]:
                cases.add(section, "bad-enum", key, f"{section}.{key}: a value not among "
                          "the declared ones", _with(section, key, "no-such-choice"))
            near = typo(key, known)
            if near is not None:
                value = good if good is not None else True
                cases.add(section, "typo", key, f"{section}.{near} for {key}",
                          _with(section, near, value), ignored=True)


def _with(section: str, key: str, value) -> Config:
    config = Config()
    config.add(section, Mark(f"{key}: {fmt(value)}"))
    return config


def entry_keys(cases: Cases) -> None:
    """Every litellm_params and model_info key of an entry: right value, wrong type, near miss."""
    params = TYPES["litellm_params"]
    for key in sorted(params):
        if key in ("model",):
            continue
        schema = params[key]
        for kind, value in (("correct", good_value(key, schema)),
                            ("wrong-type", bad_value(key, schema))):
            if value is None:
                continue
            config = Config()
            config.entries[0] = OLLAMA + [Mark(f"  {key}: {fmt(value)}")]
            cases.add("litellm_params", kind, key, f"litellm_params.{key}: {fmt(value)}", config)
        near = typo(key, set(params))
        if near is not None and kind:
            config = Config()
            config.entries[0] = OLLAMA + [Mark(f"  {near}: {fmt(good_value(key, schema) or 1)}")]
            cases.add("litellm_params", "typo", key, f"litellm_params.{near} for {key}", config,
                      ignored=True)
    info = TYPES["model_info"]
    for key in sorted(info) + ["mode"]:
        schema = info.get(key, {"type": "string", "enum": RULES["model_modes"]})
        for kind, value in (("correct", good_value(key, schema)),
                            ("wrong-type", bad_value(key, schema))):
            if value is None:
                continue
            config = Config()
            config.entries[1] = OPENAI + ["model_info:", Mark(f"  {key}: {fmt(value)}")]
            cases.add("model_info", kind, key, f"model_info.{key}: {fmt(value)}", config)
        near = typo(key, set(info) | {"mode"})
        if near is not None:
            config = Config()
            value = good_value(key, schema)
            config.entries[1] = OPENAI + ["model_info:", Mark(f"  {near}: {fmt(value or 1)}")]
            cases.add("model_info", "typo", key, f"model_info.{near} for {key}", config,
                      ignored=True)
    for mode in RULES["model_modes"]:
        config = Config()
        config.entries[1] = OPENAI + ["model_info:", Mark(f"  mode: {mode}")]
        cases.add("model_info", "correct", "mode", f"model_info.mode: {mode}", config)
    for word, means in (("mdoe", "mode"), ("base_modle", "base_model"), ("modes", "mode"),
                        ("input_cost_per_tokens", "input_cost_per_token")):
        config = Config()
        value = "audio_speech" if means.startswith("mode") else "gpt-4o" if means == "base_model" \
            else 0.000001
        config.entries[1] = OPENAI + ["model_info:", Mark(f"  {word}: {fmt(value)}")]
        cases.add("model_info", "typo", means, f"model_info.{word} for {means}", config,
                  ignored=True)


def top_level(cases: Cases) -> None:
    """Top-level keys: near misses, wrong types of every section, misplaced settings."""
    table = TYPES["top_level"]
    known = set(RULES["top_level_keys"])
    for key in sorted(table):
        near = typo(key, known)
        if near is not None and key not in ("model_list", "include"):
            config = Config()
            body = config.sections.pop(key, None) or (["drop_params: true"]
                                                      if key != "general_settings" else [])
            if key in SECTIONS or key in ("environment_variables", "callback_settings"):
                config.tail = [Mark(f"{near}:")] + ["  " + b for b in body or ["x: 1"]]
            else:
                config.tail = [Mark(f"{near}: []")]
            cases.add("top_level", "typo", key, f"top-level {near} for {key}", config,
                      ignored=True)
    for key, values in (
            ("general_settings", [["master_key"], "example", 5]),
            ("litellm_settings", [["drop_params"], "example", True]),
            ("router_settings", [["routing_strategy"], "example", 5,
                                 [{"routing_strategy": "simple-shuffle"}]]),
            ("environment_variables", [["FOO=bar"], "FOO=bar", [{"FOO": "bar"}]]),
            ("callback_settings", [["langfuse"], "example"]),
            ("model_list", [{"model_name": "x"}, "example"]),
            ("include", [{"file": "x.yaml"}, "models.yaml"]),
            ("guardrails", [{"guardrail_name": "g"}, "example"]),
            ("credential_list", [{"credential_name": "c"}, "example"]),
            ("default_vertex_config", [["example"], "example"]),
            ("search_tools", [{"search_tool_name": "s"}, "example"]),
            ("mcp_servers", [["example"], "example"]),
            ("prompts", [{"prompt_id": "p"}, "example"])):
        for value in values:
            config = Config()
            if key == "model_list":
                config.entries = None
                config.head = [Mark(f"model_list: {fmt(value)}")]
            else:
                config.sections.pop(key, None)
                config.tail = [Mark(f"{key}: {fmt(value)}")]
            cases.add("top_level", "wrong-type", key, f"{key}: {fmt(value)}", config)
    for key in ("general_settings", "litellm_settings", "router_settings",
                "environment_variables"):
        for empty in ("", "null", "{}"):
            config = Config()
            config.sections.pop(key, None)
            config.tail = [Mark(f"{key}: {empty}".rstrip())]
            cases.add("top_level", "correct", key, f"{key}: {empty or '(empty)'}", config)
    # Settings written at the top, or in the wrong section.
    for section in SECTIONS:
        keys = sorted(TYPES[section]) if section != "litellm_settings" else settings_keys()
        for key in keys[::3]:
            value = good_value(key, TYPES[section][key])
            if value is None:
                continue
            config = Config()
            config.tail = [Mark(f"{key}: {fmt(value)}")]
            cases.add("top_level", "misplaced", key, f"{section} key {key} at the top level",
                      config, ignored=key not in known)
            for other in SECTIONS:
                if other == section or key in RULES[f"{other}_keys"]:
                    continue
                config = Config()
                config.add(other, Mark(f"{key}: {fmt(value)}"))
                cases.add(other, "misplaced", key, f"{section} key {key} under {other}",
                          config, ignored=True)


def entries(cases: Cases) -> None:
    """model_list entries: shapes, providers, numbers, variables, misplaced keys."""
    # The line each shape's fault is on is marked (index into the entry's lines).
    faults = {"no model": 1, "litellm_params null": 1,
              "litellm_params a string": 1, "litellm_params a list": 1, "model a number": 2, "model a list": 2,
              "model a mapping": 2, "model null": 2, "model empty": 2, "model_info a list": 4,
              "model_info a string": 4, "model_info null": 4,
              "model_info nested in litellm_params": 3, "api_base beside litellm_params": 3,
              "tags beside litellm_params": 3, "litellm_param typo": 1}
    shapes = {
        "no litellm_params": ["model_name: broken"],
        "no model_name": ["litellm_params:", "  model: ollama/llama3",
                          "  api_base: http://127.0.0.1:11434"],
        "no model": ["model_name: broken", "litellm_params:", "  api_base: http://127.0.0.1:11434"],
        "litellm_params null": ["model_name: broken", "litellm_params:"],
        "litellm_params a list": ["model_name: broken", "litellm_params:", "  - model: ollama/x"],
        "litellm_params a string": ["model_name: broken", "litellm_params: ollama/llama3"],
        "model a number": ["model_name: broken", "litellm_params:", "  model: 3"],
        "model a list": ["model_name: broken", "litellm_params:", "  model: [ollama/x]"],
        "model a mapping": ["model_name: broken", "litellm_params:", "  model: {name: x}"],
        "model null": ["model_name: broken", "litellm_params:", "  model: null"],
        "model empty": ["model_name: broken", "litellm_params:", "  model: ''"],
        "model_name a number": ["model_name: 3", "litellm_params:", "  model: ollama/x",
                                "  api_base: http://127.0.0.1:11434"],
        "model_name null": ["model_name:", "litellm_params:", "  model: ollama/x",
                            "  api_base: http://127.0.0.1:11434"],
        "model_name a list": ["model_name: [a]", "litellm_params:", "  model: ollama/x",
                              "  api_base: http://127.0.0.1:11434"],
        "model_name empty": ["model_name: ''", "litellm_params:", "  model: ollama/x",
                             "  api_base: http://127.0.0.1:11434"],
        "model_info a list": ["model_name: broken", "litellm_params:", "  model: ollama/x",
                              "  api_base: http://127.0.0.1:11434", "model_info: [a]"],
        "model_info a string": ["model_name: broken", "litellm_params:", "  model: ollama/x",
                                "  api_base: http://127.0.0.1:11434", "model_info: chat"],
        "model_info null": ["model_name: fine", "litellm_params:", "  model: ollama/x",
                            "  api_base: http://127.0.0.1:11434", "model_info:"],
        "model_info nested in litellm_params": [
            "model_name: nested", "litellm_params:", "  model: openai/gpt-4o-mini",
            "  model_info:", "    mode: audio_speech"],
        "api_base beside litellm_params": [
            "model_name: beside", "litellm_params:", "  model: openai/gpt-4o-mini",
            "api_base: http://127.0.0.1:9/v1"],
        "tags beside litellm_params": [
            "model_name: beside", "litellm_params:", "  model: openai/gpt-4o-mini",
            "tags: [a]"],
        "litellm_param typo": ["model_name: typo", "litellm_param:", "  model: openai/gpt-4o"],
        "model_info mode audio_speech": ["model_name: speech", "litellm_params:",
                                         "  model: openai/tts-1", "model_info:",
                                         "  mode: audio_speech"],
    }
    for about, lines in shapes.items():
        config = Config()
        at = faults.get(about, 0)
        config.entries.append(lines[:at] + [Mark(lines[at])] + lines[at + 1:])
        cases.add("model_list", "shape", about.split()[0], about, config)
    for about, item in (("a string item", "just-a-name"), ("a null item", "null"),
                        ("a list item", "[a, b]")):
        config = Config()
        config.entries = None
        config.head = ["model_list:"] + ["  - " + l if i == 0 else "    " + l
                                         for entry in (OLLAMA, OPENAI)
                                         for i, l in enumerate(entry)] + [Mark(f"  - {item}")]
        cases.add("model_list", "shape", "item", about, config)
    for about, text in (("model_list empty", "model_list: []"), ("model_list null",
                                                                  "model_list:"),
                        ("model_list a mapping", "model_list:\n  llama3:\n    model: ollama/x"),
                        ("model_list a string", "model_list: ollama/llama3")):
        config = Config()
        config.entries = None
        rows = text.split("\n")
        at = 1 if len(rows) > 1 else 0  # a block value starts on the line after the key
        config.head = [Mark(line) if i == at else line for i, line in enumerate(rows)]
        cases.add("model_list", "shape", "model_list", about, config)
    # Providers: every known prefix, near misses, unknown words, no prefix.
    for provider in RULES["providers"]:
        _entry(cases, "provider", provider, f"{provider}/some-model",
               network=provider in ("chatgpt", "github_copilot"))
    for provider in RULES["providers"][::4]:
        near = typo(provider, set(RULES["providers"]))
        if near:
            _entry(cases, "provider-typo", provider, f"{near}/some-model")
    for word in ("zhipu", "mistralai", "meta-llama", "local", "hf", "claude", "gpt", "qwen",
                 "deepseek-ai", "google", "nvidia_nim_typo", "llama.cpp", "lmstudio"):
        _entry(cases, "provider-unknown", word, f"{word}/some-model")
    for name in sorted(RULES["unprefixed_models"])[::60]:
        _entry(cases, "unprefixed-known", name, name)
    for name in ("llama2", "llama3.1:8b", "mistral-7b", "qwen2.5", "gemma", "claude-3-5-sonnet",
                 "o1-preview", "gpt-4o-mini", "text-embedding-3-small", "whisper-1", "tts-1",
                 "dall-e-3", "gpt-image-1", "claude-sonnet-4-5", "gemini-1.5-pro", "phi3",
                 "deepseek-chat", "command-r", "my-model", "*", "gpt-*", "openai/*"):
        _entry(cases, "unprefixed", name, name)
    for endpoint in RULES["compatible_endpoints"][::3]:
        _entry(cases, "compatible-endpoint", endpoint, "some-model",
               [f"  api_base: https://{endpoint.rstrip('/')}"])
    for provider in ("ollama", "openai", "anthropic", "nonsense"):
        _entry(cases, "custom-llm-provider", provider, "some-model",
               [f"  custom_llm_provider: {provider}"])
    # Numbers the router reads.
    every = ("ten", "'12'", "1.5", "-1", "1e3", "''", "[1]", "true", "null", "1_000", "0x10",
             "'1.5'", "' 7 '", "{a: 1}")
    for key, kind in sorted(RULES["numeric_litellm_params"].items()):
        for value in every if key in ("rpm", "tpm", "timeout", "stream_timeout", "max_retries",
                                      "input_cost_per_token", "max_parallel_requests",
                                      "weight", "order") else ("ten", "'12'", "[1]"):
            _entry(cases, "number", key, "ollama/llama3",
                   ["  api_base: http://127.0.0.1:11434", f"  {key}: {value}"], mark_last=True)
    # Variables.
    for key in ("model", "api_key", "api_base", "api_version", "rpm", "timeout",
                "organization", "vertex_credentials", "aws_region_name"):
        for state, env in (("unset", {}), ("set", {"ORACLE_VAR": "value-1"}),
                           ("empty", {"ORACLE_VAR": ""})):
            extra = [f"  {key}: os.environ/ORACLE_VAR"]
            model = "ollama/llama3" if key != "model" else None
            lines = ["  api_base: http://127.0.0.1:11434"] if key != "api_base" else []
            if key == "model":
                env = {"ORACLE_VAR": "ollama/llama3"} if state == "set" else env
            _entry(cases, f"env-{state}", key, model, lines + extra, env=env, mark_last=True)
    # Secrets and names that look like them.
    for key, value in (("api_key", "sk-proj-abcdefghijklmnopqrstuvwx"),
                       ("credential_name", "azure-prod"), ("litellm_credential_name", "prod"),
                       ("vertex_credentials", "/secrets/vertex.json"),
                       ("aws_secret_access_key", "abcdEFGHijklMNOPqrstUVWXyz0123456789abcd"),
                       ("input_cost_per_token", '"$0.0000006"'), ("api_key", "none"),
                       ("api_version", "2024-02-15"), ("api_version", "2024-02-15-preview"),
                       ("api_version", "'2024-02-15'"),
                       ("api_key", "dummy"), ("api_key", "${OPENAI_API_KEY}")):
        _entry(cases, "literal", key, "openai/gpt-4o-mini", [f"  {key}: {value}"],
               mark_last=True)
    # Duplicate names are deployments of one group; duplicate model_list keys are not.
    config = Config()
    config.entries.append(list(OLLAMA))
    cases.add("model_list", "correct", "model_name", "two deployments of one model_name",
              config)
    text = "model_list:\n" + "".join(("  - " if i == 0 else "    ") + l + "\n"
                                     for i, l in enumerate(OLLAMA)) + \
        "general_settings:\n  master_key: os.environ/LITELLM_MASTER_KEY\nmodel_list:\n" + \
        "".join(("  - " if i == 0 else "    ") + l + "\n" for i, l in enumerate(OPENAI))
    cases.add("model_list", "duplicate", "model_list", "model_list written twice: the loader "
              "keeps the second", text, line=1)


def _entry(cases: Cases, kind: str, key: str, model: str | None, extra=None, env=None,
           mark_last=False, network=False) -> None:
    lines = ["model_name: probe", "litellm_params:"]
    if model is not None:
        lines.append(f"  model: {fmt(model)}")
    for i, line in enumerate(extra or []):
        lines.append(Mark(line) if mark_last and i == len(extra) - 1 else line)
    if not mark_last:
        lines[2 if model is not None else 0] = Mark(lines[2 if model is not None else 0])
    config = Config()
    config.entries.append(lines)
    cases.add("litellm_params", kind, key, f"an entry with model {model!r} {extra or ''}",
              config, env=env, network=network)


MODULE = ("from litellm.integrations.custom_logger import CustomLogger\n\n\n"
          "class Handler(CustomLogger):\n    pass\n\n\nhandler = Handler()\n\n\n"
          "def check(*args, **kwargs):\n    return True\n")
PLAIN = "class Handler:\n    pass\n\n\nhandler = Handler()\n"
BROKEN = "def handler(:\n    pass\n"
RAISES = "raise RuntimeError('module fails on import')\n"


def modules(cases: Cases) -> None:
    """Everything the proxy imports from the config's folder: present, missing, broken."""
    hooks = [("litellm_settings", "callbacks"), ("litellm_settings", "success_callback"),
             ("litellm_settings", "failure_callback"), ("litellm_settings", "post_call_rules"),
             ("litellm_settings", "audit_log_callbacks"),
             ("general_settings", "custom_auth"), ("general_settings", "custom_key_generate"),
             ("general_settings", "custom_sso"), ("general_settings", "custom_key_update"),
             ("general_settings", "custom_ui_sso_sign_in_handler")]
    variants = {
        "present": ({"hooks.py": MODULE}, "hooks.handler"),
        "present-in-package": ({"pkg/__init__.py": "", "pkg/hooks.py": MODULE},
                               "pkg.hooks.handler"),
        "module-missing": ({}, "hooks.handler"),
        "attribute-missing": ({"hooks.py": MODULE}, "hooks.nothing_here"),
        "syntax-error": ({"hooks.py": BROKEN}, "hooks.handler"),
        "raises-on-import": ({"hooks.py": RAISES}, "hooks.handler"),
        "installed-module": ({}, "os.path"),
        "no-dot": ({}, "hookshandler"),
        "file-elsewhere": ({"sub/hooks.py": MODULE}, "hooks.handler"),
        "not-a-logger": ({"hooks.py": PLAIN}, "hooks.handler"),
        "a-class": ({"hooks.py": MODULE}, "hooks.Handler"),
        "a-function": ({"hooks.py": MODULE}, "hooks.check"),
        "star-import": ({"hooks.py": "from os.path import *\n"}, "hooks.join"),
    }
    for section, key in hooks:
        listed = key in ("callbacks", "success_callback", "failure_callback",
                         "audit_log_callbacks")
        for variant, (files, value) in variants.items():
            for as_list in ((True, False) if listed else (False,)):
                config = Config()
                config.add(section, Mark(f"{key}: {fmt([value] if as_list else value)}"))
                cases.add(section, f"module-{variant}", key,
                          f"{key}: {value}{' in a list' if as_list else ''}", config, files=files)
    # Built-in callbacks by name, as a list and as a plain string.
    for name in RULES["builtin_callbacks"]:
        for key in ("callbacks", "success_callback"):
            config = Config()
            config.add("litellm_settings", Mark(f"{key}: [{name}]"))
            cases.add("litellm_settings", "builtin-callback", key, f"{key}: [{name}]", config)
    for name in ("langfuse", "prometheus", "otel", "datadog", "s3", "langsmith"):
        for key in ("callbacks", "success_callback", "failure_callback"):
            config = Config()
            config.add("litellm_settings", Mark(f"{key}: {name}"))
            cases.add("litellm_settings", "string-not-list", key, f"{key}: {name} (a string)",
                      config)
    for name in ("langfuze", "prometeus", "no_such_logger", "Langfuse"):
        for key in ("callbacks", "success_callback"):
            config = Config()
            config.add("litellm_settings", Mark(f"{key}: [{name}]"))
            cases.add("litellm_settings", "unknown-callback", key, f"{key}: [{name}]", config)


def guardrails(cases: Cases) -> None:
    """Top-level guardrails (and litellm_settings.guardrails): vendors, modules, shapes."""
    vendors = RULES.get("guardrail_vendors", [])

    def guard(lines: list[str], files=None, env=None, about="", kind="guardrail", key="guardrails"):
        config = Config()
        config.tail = ["guardrails:"] + lines
        cases.add("guardrails", kind, key, about, config, files=files, env=env)

    for vendor in vendors:
        for mode in ("pre_call",):
            guard(["  - guardrail_name: g1", "    litellm_params:",
                   Mark(f"      guardrail: {vendor}"), f"      mode: {mode}"],
                  about=f"guardrail {vendor}", kind="vendor", key=vendor)
    for vendor, env in (("presidio", {"PRESIDIO_ANALYZER_API_BASE": "http://127.0.0.1:9",
                                      "PRESIDIO_ANONYMIZER_API_BASE": "http://127.0.0.1:9"}),
                        ("lakera", {"LAKERA_API_KEY": "k-1"}), ("aporia", {"APORIA_API_KEY": "k"}),
                        ("hide-secrets", {})):
        guard(["  - guardrail_name: g1", "    litellm_params:",
               Mark(f"      guardrail: {vendor}"), "      mode: pre_call"], env=env,
              about=f"guardrail {vendor} with its variables", kind="vendor-env", key=vendor)
    for word in ("presido", "lakera_v3", "no-such-guard", "Presidio"):
        guard(["  - guardrail_name: g1", "    litellm_params:",
               Mark(f"      guardrail: {word}"), "      mode: pre_call"],
              about=f"guardrail {word}", kind="vendor-unknown", key=word)
    module = ("from litellm.integrations.custom_guardrail import CustomGuardrail\n\n"
              "class MyGuard(CustomGuardrail):\n    pass\n")
    for variant, files, value in (
            ("present", {"guard.py": module}, "guard.MyGuard"),
            ("module-missing", {}, "guard.MyGuard"),
            ("class-missing", {"guard.py": module}, "guard.OtherGuard"),
            ("syntax-error", {"guard.py": BROKEN}, "guard.MyGuard"),
            ("not-a-class", {"guard.py": MODULE}, "guard.handler")):
        guard(["  - guardrail_name: g1", "    litellm_params:",
               Mark(f"      guardrail: {value}"), "      mode: pre_call"], files=files,
              about=f"custom guardrail {value} ({variant})", kind=f"module-{variant}",
              key="guardrail")
    for mode in ("pre_call", "post_call", "during_call", "logging_only", "before_call",
                 "[pre_call, post_call]"):
        guard(["  - guardrail_name: g1", "    litellm_params:", "      guardrail: hide-secrets",
               Mark(f"      mode: {mode}")], about=f"mode {mode}", kind="mode", key="mode")
    shapes = {
        "a mapping": [Mark("  g1:"), "    guardrail: hide-secrets", "    mode: pre_call"],
        "no litellm_params": [Mark("  - guardrail_name: g1"), "    guardrail: hide-secrets"],
        "no guardrail_name": [Mark("  - litellm_params:"), "      guardrail: hide-secrets",
                              "      mode: pre_call"],
        "no guardrail": ["  - guardrail_name: g1", Mark("    litellm_params:"),
                         "      mode: pre_call"],
        "no mode": ["  - guardrail_name: g1", "    litellm_params:",
                    Mark("      guardrail: hide-secrets")],
        "a string item": [Mark("  - hide-secrets")],
        "default_on": ["  - guardrail_name: g1", "    litellm_params:",
                       "      guardrail: hide-secrets", "      mode: pre_call",
                       Mark("      default_on: true")],
    }
    for about, lines in shapes.items():
        guard(lines, about=f"guardrails: {about}", kind="shape", key=about.split()[-1])
    config = Config()
    config.tail = [Mark("guardrails: hide-secrets")]
    cases.add("guardrails", "shape", "string", "guardrails: a string", config)
    # litellm_settings.guardrails (the older form)
    for value in ('[{"prompt_injection": {"callbacks": ["lakera_prompt_injection"]}}]',
                  '[{"hide": {"callbacks": ["hide_secrets"], "default_on": true}}]',
                  '{"prompt_injection": {"callbacks": ["x"]}}', '["lakera"]', 'hide'):
        config = Config()
        config.add("litellm_settings", Mark(f"guardrails: {value}"))
        cases.add("litellm_settings", "guardrail-v1", "guardrails",
                  f"litellm_settings.guardrails: {value}", config)


def general(cases: Cases) -> None:
    """Alerting, master key, database, enterprise-only settings, key management."""
    for value, env in ((["slack"], {}), (["slack"], {"SLACK_WEBHOOK_URL": "http://127.0.0.1:9/x"}),
                       ("slack", {}), ("slack", {"SLACK_WEBHOOK_URL": "http://127.0.0.1:9/x"}),
                       (["email"], {}), (["webhook"], {}), (["slak"], {}), ([], {}),
                       (["slack", "email"], {"SLACK_WEBHOOK_URL": "http://127.0.0.1:9/x"})):
        config = Config()
        config.add("general_settings", Mark(f"alerting: {fmt(value)}"))
        cases.add("general_settings", "alerting", "alerting",
                  f"alerting: {fmt(value)}{' with SLACK_WEBHOOK_URL' if env else ''}", config,
                  env=env)
    for extra in ('alerting_threshold: 300', 'alerting_threshold: ten',
                  'alert_types: ["llm_exceptions"]', 'alert_types: ["no_such_alert"]',
                  'alert_to_webhook_url: {"llm_exceptions": "http://127.0.0.1:9/x"}',
                  'alerting_args: {"daily_report_frequency": 3600}'):
        config = Config()
        config.add("general_settings", "alerting: [slack]", Mark(extra))
        cases.add("general_settings", "alerting", extra.split(":")[0], extra, config,
                  env={"SLACK_WEBHOOK_URL": "http://127.0.0.1:9/x"})
    for value, env in (("os.environ/LITELLM_MASTER_KEY", {}),
                       ("os.environ/LITELLM_MASTER_KEY", {"LITELLM_MASTER_KEY": ""}),
                       ("os.environ/OTHER_MASTER", {}),
                       ("os.environ/OTHER_MASTER", {"OTHER_MASTER": "sk-other-1"}),
                       ("sk-1234", {}), ("''", {}), ("null", {"LITELLM_MASTER_KEY": ""}),
                       ("null", {}), ("1234", {}), ("[sk-a]", {}), ("!!int 7", {}),
                       ("${LITELLM_MASTER_KEY}", {})):
        config = Config()
        config.sections["general_settings"] = [Mark(f"master_key: {value}")]
        cases.add("general_settings", "master-key", "master_key", f"master_key: {value} "
                  f"{'(env ' + json.dumps(env) + ')' if env else ''}", config, env=env)
    config = Config()
    config.sections.pop("general_settings")
    cases.add("general_settings", "master-key", "master_key", "no general_settings at all",
              config)
    config = Config()
    config.sections.pop("general_settings")
    cases.add("general_settings", "master-key", "master_key", "no general_settings, no "
              "LITELLM_MASTER_KEY", config, env={"LITELLM_MASTER_KEY": ""})
    for value, env in (("postgresql://u:p@127.0.0.1:9/db", {}), ("os.environ/DATABASE_URL", {}),
                       ("os.environ/DATABASE_URL", {"DATABASE_URL": "postgresql://u@127.0.0.1:9/d"}),
                       ("mysql://127.0.0.1/x", {})):
        config = Config()
        config.add("general_settings", Mark(f"database_url: {fmt(value)}"))
        cases.add("general_settings", "database", "database_url", f"database_url: {value}",
                  config, env=env)
    for line in ("allowed_ips: [127.0.0.1]", "enforced_params: [user]",
                 "key_management_system: no_such_kms", "key_management_system: aws_kms",
                 'key_management_settings: {"hosted_keys": ["k"]}', "use_google_kms: true",
                 "role_permissions: [{role: proxy_admin, models: [a]}]",
                 "role_permissions: [{role: nobody}]", "pass_through_endpoints: [{path: /x, "
                 "target: http://127.0.0.1:9}]", "pass_through_endpoints: {path: /x}",
                 "user_api_key_cache_ttl: ten", "ui_access_mode: nobody",
                 "background_health_checks: true", "health_check_interval: ten",
                 "store_model_in_db: true", "disable_spend_logs: maybe",
                 "coordination_redis: {host: 127.0.0.1}", "coordination_redis: [a]",
                 "coordination_redis: {}", "litellm_jwtauth: {team_id_jwt_field: x}",
                 "enable_jwt_auth: true", "max_parallel_requests: ten",
                 "global_max_parallel_requests: 10", "infer_model_from_keys: true",
                 "use_redis_transaction_buffer: true", "plugins: [x]",
                 "team_metadata_schema: {type: object}", "team_metadata_schema: [a]",
                 "spend_logs_retention_period: ten", "maximum_spend_logs_retention_period: 7d"):
        config = Config()
        config.add("general_settings", Mark(line))
        cases.add("general_settings", "value", line.split(":")[0], line, config)


def _cache_fault_line(about: str, lines: list[str] | None) -> int | None:
    """The cache_params line a case is about: its type, a parameter, or (None) all of them."""
    if lines is None:
        return 0
    if "no host" in about or "host unset" in about:
        return None
    for i, line in enumerate(lines):
        name = line.split(":", 1)[0]
        if name != "type" and name != "host" and name.split("_")[0] in about.replace("-", "_"):
            return i
    if any(w in about for w in ("type", "disk", "semantic", "s3", "gcs", "qdrant", "azure")):
        return 0
    return len(lines) - 1


# Caches whose client connects while the proxy starts: with the service unreachable (as
# here) it refuses; where the service runs, it starts. validate cannot reach the service.
_CONNECTS_AT_START = {"redis startup nodes", "s3", "s3 no bucket", "qdrant", "azure-blob"}


def litellm_settings(cases: Cases) -> None:
    """Caches, teams, budgets, environment, the settings load_config handles itself."""
    cache_params = {
        "redis with host": ["type: redis", "host: 127.0.0.1", "port: 6379"],
        "redis no host": ["type: redis"],
        "redis port a word": ["type: redis", "host: 127.0.0.1", "port: six"],
        "redis port ${VAR}": ["type: redis", "host: 127.0.0.1", "port: ${REDIS_PORT}"],
        "redis port a string": ["type: redis", "host: 127.0.0.1", "port: '6379'"],
        "redis port unset var": ["type: redis", "host: 127.0.0.1",
                                 "port: os.environ/ORACLE_REDIS_PORT"],
        "redis host unset var": ["type: redis", "host: os.environ/ORACLE_REDIS_HOST"],
        "redis url": ["type: redis", "url: redis://127.0.0.1:6379"],
        "redis connection_pool_kwargs": ["type: redis", "host: 127.0.0.1",
                                         "connection_pool_kwargs: {max_connections: 10}"],
        "redis socket_timeout": ["type: redis", "host: 127.0.0.1", "socket_timeout: 5"],
        "redis ssl": ["type: redis", "host: 127.0.0.1", "ssl: true"],
        "redis no_such_arg": ["type: redis", "host: 127.0.0.1", "no_such_arg: 1"],
        "redis password literal": ["type: redis", "host: 127.0.0.1", "password: hunter2-pass"],
        "redis startup nodes": ["type: redis", "redis_startup_nodes: [{host: 127.0.0.1, "
                                "port: 7000}]"],
        "ttl only": ["ttl: 600"],
        "ttl and call types": ["ttl: 600", "supported_call_types: [acompletion, completion]"],
        "ttl a word": ["type: local", "ttl: ten"],
        "local": ["type: local"],
        "local with namespace": ["type: local", "namespace: x"],
        "local unknown key": ["type: local", "no_such_arg: 1"],
        "disk": ["type: disk"],
        "s3": ["type: s3", "s3_bucket_name: b", "s3_region_name: us-east-1"],
        "s3 no bucket": ["type: s3"],
        "gcs": ["type: gcs", "gcs_bucket_name: b"],
        "qdrant": ["type: qdrant-semantic", "qdrant_api_base: http://127.0.0.1:9",
                   "qdrant_collection_name: c", "similarity_threshold: 0.8"],
        "redis-semantic": ["type: redis-semantic", "host: 127.0.0.1",
                           "similarity_threshold: 0.8"],
        "azure-blob": ["type: azure-blob", "azure_account_url: https://x.blob.core.windows.net",
                       "azure_blob_container: c"],
        "type word": ["type: memcached"],
        "type typo": ["type: reddis", "host: 127.0.0.1"],
        "mode default_off": ["type: local", "mode: default_off"],
        "mode word": ["type: local", "mode: sometimes"],
        "call types unknown": ["type: local", "supported_call_types: [no_such_call]"],
        "a list": None,
    }
    for about, lines in cache_params.items():
        for env in ({}, {"REDIS_HOST": "127.0.0.1"}) if "redis" in about or "ttl" in about else ({},):
            config = Config()
            at = _cache_fault_line(about, lines)
            if lines is None:
                config.add("litellm_settings", "cache: true", Mark("cache_params: [redis]"))
            elif at is None:  # the whole cache_params is at fault (no host)
                config.add("litellm_settings", "cache: true", Mark("cache_params:"),
                           *["  " + l for l in lines])
            else:
                config.add("litellm_settings", "cache: true", "cache_params:",
                           *[Mark("  " + l) if i == at else "  " + l
                             for i, l in enumerate(lines)])
            cases.add("litellm_settings", "cache", "cache_params",
                      f"cache: true, {about}{' (REDIS_HOST set)' if env else ''}", config,
                      env=dict(env, REDIS_PORT="6379"), network=about in _CONNECTS_AT_START)
    for value in ("false", "'true'", "yes", "1", "maybe", "null", "!!bool maybe"):
        config = Config()
        config.add("litellm_settings", Mark(f"cache: {value}"), "cache_params:",
                   "  type: local")
        cases.add("litellm_settings", "cache", "cache", f"cache: {value}", config)
    config = Config()
    config.add("litellm_settings", "cache_params:", Mark("  type: redis"))
    cases.add("litellm_settings", "cache", "cache", "cache_params without cache: true", config)
    for value in ('[{team_id: t1, success_callback: [langfuse]}]', '[{team_id: t1}]',
                  '{team_id: t1}', '[{success_callback: [langfuse]}]', '[t1]', 't1', '[]'):
        config = Config()
        config.add("litellm_settings", Mark(f"default_team_settings: {value}"))
        cases.add("litellm_settings", "teams", "default_team_settings",
                  f"default_team_settings: {value}", config)
    for line in ("max_budget: 100", "max_budget: ten", "max_budget: '100'", "max_budget: null",
                 "budget_duration: 30d", "max_internal_user_budget: ten",
                 "default_max_internal_user_budget: ten", "request_timeout: ten",
                 "request_timeout: 600", "num_retries: ten", "drop_params: maybe",
                 "set_verbose: true", "json_logs: true", "upperbound_key_generate_params: "
                 "{max_budget: 100}", "upperbound_key_generate_params: [a]",
                 "upperbound_key_generate_params: {max_budget: ten}",
                 "default_internal_user_params: {max_budget: ten}",
                 "model_group_settings: {forward_client_headers_to_llm_api: [a]}",
                 "model_group_settings: [a]", "priority_reservation_settings: [a]",
                 "max_ui_session_budget: ten", "budget_reset_time: ten",
                 "budget_reset_time: '00:00'", "responses: [a]",
                 "custom_provider_map: [{provider: p, custom_handler: hooks.handler}]",
                 "custom_provider_map: {provider: p}", "global_prompt_directory: ./prompts",
                 "modify_params: true", "enable_preview_features: true",
                 "context_window_fallbacks: [gpt-4o]", "fallbacks: [{llama3: [gpt-4o]}]",
                 "default_fallbacks: [gpt-4o]", "content_policy_fallbacks: [{llama3: [x]}]"):
        config = Config()
        config.add("litellm_settings", Mark(line))
        cases.add("litellm_settings", "value", line.split(":")[0], line, config,
                  files={"hooks.py": MODULE})


def router(cases: Cases) -> None:
    """Fallbacks, aliases, strategies, retry policies and the Router's typed values."""
    fallbacks = {
        "to a model_name": "[{llama3: [gpt-4o]}]",
        "to a missing model_name": "[{llama3: [no-such-model]}]",
        "from a missing model_name": "[{no-such-model: [gpt-4o]}]",
        "strings": "[llama3, gpt-4o]",
        "a mapping": "{llama3: [gpt-4o]}",
        "a string": "gpt-4o",
        "two keys": "[{llama3: [gpt-4o], gpt-4o: [llama3]}]",
        "target a string": "[{llama3: gpt-4o}]",
        "empty": "[]",
        "null": "null",
        "nested lists": "[[llama3, gpt-4o]]",
    }
    _fallback_cases(cases, "fallbacks", fallbacks,
                    ("fallbacks", "context_window_fallbacks", "content_policy_fallbacks"))
    for value in ("[gpt-4o]", "[no-such-model]", "gpt-4o", "[{llama3: [gpt-4o]}]", "[]"):
        config = Config()
        config.add("router_settings", Mark(f"default_fallbacks: {value}"))
        cases.add("router_settings", "fallbacks", "default_fallbacks",
                  f"default_fallbacks: {value}", config)
    for value in ("{gpt: gpt-4o}", "{gpt: no-such-model}", "{gpt: {model: gpt-4o, hidden: true}}",
                  "{gpt: {model: no-such-model}}", "[gpt-4o]", "gpt-4o", "{gpt: [gpt-4o]}",
                  "{llama3: gpt-4o}"):
        for section in ("router_settings", "litellm_settings"):
            config = Config()
            config.add(section, Mark(f"model_group_alias: {value}"))
            cases.add(section, "alias", "model_group_alias", f"{section}.model_group_alias: "
                      f"{value}", config)
    for strategy in RULES["routing_strategies"] + ["round-robin", "usage-based", "least_busy",
                                                   "latency-based", "cost-based", "Simple-Shuffle"]:
        config = Config()
        config.add("router_settings", Mark(f"routing_strategy: {strategy}"))
        cases.add("router_settings", "routing-strategy", strategy,
                  f"routing_strategy: {strategy}", config)
    for line in ("retry_policy: {RateLimitErrorRetries: 3}", "retry_policy: {NoSuchRetries: 3}",
                 "retry_policy: [a]", "retry_policy: {RateLimitErrorRetries: ten}",
                 "allowed_fails_policy: {RateLimitErrorAllowedFails: 3}",
                 "allowed_fails_policy: {NoSuch: 3}", "model_group_retry_policy: {llama3: "
                 "{RateLimitErrorRetries: 1}}", "cooldown_time: true", "cooldown_time: ten",
                 "timeout: ten", "timeout: 30", "timeout: '30'", "stream_timeout: ten",
                 "num_retries: ten", "num_retries: 2.5", "redis_host: 127.0.0.1",
                 "redis_port: ten", "redis_host: os.environ/ORACLE_UNSET",
                 "enable_tag_filtering: maybe", "tag_filtering_match_any: true",
                 "routing_strategy_args: {ttl: 10}", "routing_strategy_args: [a]",
                 "provider_budget_config: {openai: {budget_limit: 10, time_period: 1d}}",
                 "provider_budget_config: {openai: 10}", "optional_pre_call_checks: [nothing]",
                 "health_check_interval: 60", "health_check_concurrency: 3",
                 "alerting_config: {webhook_url: http://127.0.0.1:9}",
                 "default_litellm_params: {temperature: 0}", "set_verbose: true",
                 "debug_level: LOUD", "max_fallbacks: ten", "model_group_alias: {}",
                 "allowed_fails: 3", "retry_after: 5", "plugins: [hooks.handler]",
                 "caching_groups: [[llama3, gpt-4o]]", "caching_groups: [llama3]"):
        config = Config()
        config.add("router_settings", Mark(line))
        cases.add("router_settings", "value", line.split(":")[0], line, config,
                  files={"hooks.py": MODULE})
    for value in ("[{routing_strategy: simple-shuffle}]", "[routing_strategy]"):
        config = Config()
        config.sections["router_settings"] = None
        config.tail = [Mark(f"router_settings: {value}")]
        cases.add("router_settings", "shape", "router_settings", f"router_settings: {value}",
                  config)


def _fallback_cases(cases: Cases, kind: str, values: dict[str, str], names) -> None:
    """Each fallbacks key written each way, under router_settings and litellm_settings."""
    for name in names:
        for about, value in values.items():
            for section in ("router_settings", "litellm_settings"):
                config = Config()
                config.add(section, Mark(f"{name}: {value}"))
                cases.add(section, kind, name, f"{section}.{name} {about}", config)


def environment(cases: Cases) -> None:
    for value in ('{FOO: bar}', '{FOO: 1}', '{FOO: os.environ/ORACLE_UNSET}',
                  '{FOO: os.environ/OPENAI_API_KEY}', '[FOO=bar]', '["FOO: bar"]', 'FOO=bar',
                  '{}', '{FOO: null}', '{FOO: [a]}', '{OPENAI_API_KEY: sk-literal-123456}',
                  '{LITELLM_MASTER_KEY: sk-from-file}', '{REDIS_HOST: 127.0.0.1}'):
        config = Config()
        config.tail = [Mark(f"environment_variables: {value}")]
        cases.add("environment_variables", "value", "environment_variables",
                  f"environment_variables: {value}", config)
    # A variable the config itself sets is there for the rest of the start-up.
    config = Config()
    config.entries[1] = OPENAI[:3] + ["  api_key: os.environ/FROM_FILE"]
    config.tail = [Mark("environment_variables: {FROM_FILE: sk-from-env-block}")]
    cases.add("environment_variables", "value", "environment_variables",
              "environment_variables sets a variable an entry reads", config)


def includes(cases: Cases) -> None:
    models = "model_list:\n  - model_name: extra\n    litellm_params:\n      model: openai/gpt-4o-mini\n"
    variants = {
        "present": ({"models.yaml": models}, "[models.yaml]"),
        "missing": ({}, "[models.yaml]"),
        "only a comment": ({"models.yaml": "# nothing here yet\n"}, "[models.yaml]"),
        "empty": ({"models.yaml": ""}, "[models.yaml]"),
        "not yaml": ({"models.yaml": "model_list: [\n"}, "[models.yaml]"),
        "a list": ({"models.yaml": "- a\n- b\n"}, "[models.yaml]"),
        "a string": ({"models.yaml": models}, "models.yaml"),
        "a mapping": ({"models.yaml": models}, "{file: models.yaml}"),
        "in a folder": ({"conf/models.yaml": models}, "[conf/models.yaml]"),
        "settings": ({"settings.yaml": "litellm_settings:\n  drop_params: true\n"},
                     "[settings.yaml]"),
        "general settings": ({"settings.yaml": "general_settings:\n  master_key: "
                                               "os.environ/LITELLM_MASTER_KEY\n"},
                             "[settings.yaml]"),
        "unknown provider": ({"models.yaml": models.replace("openai/", "zhipu/")},
                             "[models.yaml]"),
        "bad entry": ({"models.yaml": "model_list:\n  - model_name: x\n"}, "[models.yaml]"),
        "a tab": ({"models.yaml": models.replace("      model", "\tmodel")}, "[models.yaml]"),
        "empty list": ({}, "[]"),
        "a folder": ({"conf/models.yaml": models}, "[conf]"),
    }
    for about, (files, value) in variants.items():
        config = Config()
        config.head = [Mark(f"include: {value}")]
        cases.add("include", "include", about.split()[0], f"include {about}", config,
                  files=files)


def yaml_level(cases: Cases) -> None:
    """What the loader builds, or refuses: tags, dates, tabs, anchors, duplicates, documents."""
    lines = {
        "master_key !!int": ("general_settings", "master_key: !!int x"),
        "master_key !!int number": ("general_settings", "master_key: !!int 12345"),
        "cache type !!float": ("litellm_settings", "cache_params: {type: !!float redis}"),
        "cache !!bool maybe": ("litellm_settings", "cache: !!bool maybe"),
        "request_timeout date": ("litellm_settings", "request_timeout: 2024-02-30"),
        "request_timeout valid date": ("litellm_settings", "request_timeout: 2024-02-28"),
        "a timestamp": ("general_settings", "ui_access_mode: 2024-13-01T00:00:00"),
        "!!binary": ("general_settings", "litellm_license: !!binary not-base64!"),
        "!!str over a mapping": ("general_settings", "alerting_args: !!str {a: 1}"),
        "!!map over a list": ("litellm_settings", "success_callback: !!map [a]"),
        "!!seq over a mapping": ("router_settings", "model_group_alias: !!seq {a: b}"),
        "!!set": ("router_settings", "default_fallbacks: !!set {gpt-4o}"),
        "!!omap": ("router_settings", "model_group_alias: !!omap [{a: gpt-4o}]"),
        "!!python/name": ("litellm_settings", "drop_params: !!python/name:os.system"),
        "!custom": ("litellm_settings", "drop_params: !env TRUE"),
        "!!null over text": ("litellm_settings", "drop_params: !!null text"),
        "!!float word": ("router_settings", "timeout: !!float ten"),
        "!!int float": ("router_settings", "num_retries: !!int 2.5"),
        "octal-ish": ("router_settings", "num_retries: 010"),
        "sexagesimal": ("router_settings", "timeout: 1:30"),
        "a plain =": ("litellm_settings", "drop_params: ="),
        "a plain <<": ("litellm_settings", "drop_params: <<"),
        "!!str int": ("general_settings", "master_key: !!str 12345"),
        "a quoted tab": ("general_settings", 'ui_access_mode: "a\tb"'),
    }
    for about, (section, line) in lines.items():
        config = Config()
        config.add(section, Mark(line))
        cases.add(section, "yaml", about, about, config)
    config = Config()
    config.sections["general_settings"] = None
    config.tail = [Mark("general_settings: !!str"), "  master_key: os.environ/LITELLM_MASTER_KEY"]
    cases.add("general_settings", "yaml", "!!str section", "general_settings: !!str over a "
              "mapping", config)
    base = Config().render()[0]
    texts = {
        "a tab indent": base.replace("    litellm_params:\n      model: ollama",
                                     "    litellm_params:\n\t  model: ollama", 1),
        "a tab after a key": base.replace("model: ollama/llama3", "model:\tollama/llama3"),
        "a tab in a comment": base.replace("model_list:", "model_list:  #\tmodels"),
        "two documents": base + "---\nmodel_list: []\n",
        "a document marker": "---\n" + base,
        "an x- anchor": "x-base: &base\n  api_base: http://127.0.0.1:11434\n" + base.replace(
            "      api_base: http://127.0.0.1:11434", "      <<: *base", 1),
        "x- anchors in a list": "x-defaults:\n  - &ollama ollama/llama3\n" + base.replace(
            "model: ollama/llama3", "model: *ollama", 1),
        "a merge key": base.replace("  master_key:", "  <<: {ui_access_mode: all}\n  master_key:"),
        "an undefined alias": base.replace("model: ollama/llama3", "model: *nothing"),
        "a duplicate key": base.replace("  master_key: os.environ/LITELLM_MASTER_KEY",
                                        "  master_key: os.environ/LITELLM_MASTER_KEY\n"
                                        "  master_key: os.environ/LITELLM_MASTER_KEY"),
        "a duplicate section": base + "general_settings:\n  ui_access_mode: all\n",
        "a duplicate entry key": base.replace("      model: ollama/llama3",
                                              "      model: ollama/llama3\n      model: zhipu/x"),
        "windows line ends": base.replace("\n", "\r\n"),
        "a BOM": "\ufeff" + base,
        "deep nesting": base + "general_settings_extra: " + "[" * 120 + "]" * 120 + "\n",
        "an unquoted wildcard alias": base.replace("model_name: gpt-4o", "model_name: *"),
        "a key that is a list": base + "[a]: 1\n",
        "a null key": base + "null: 1\n",
        "a number key": base + "1: 1\n",
        "an empty file": "",
        "only a comment": "# nothing\n",
        "a list at the top": "- model_name: x\n",
        "a string at the top": "model_list\n",
    }
    for about, text in texts.items():
        cases.add("yaml", "yaml", about, about, text, line=_first_diff(base, text))


def _first_diff(a: str, b: str) -> int | None:
    for number, (x, y) in enumerate(zip(a.splitlines(), b.splitlines()), 1):
        if x != y:
            return number
    shorter = min(len(a.splitlines()), len(b.splitlines()))
    return shorter + 1 if a != b and len(b.splitlines()) != len(a.splitlines()) else None


def shapes(cases: Cases) -> None:
    """Correct configs of every shape: the sections together, as deployments write them."""
    module = {"hooks.py": MODULE}
    variants = {
        "minimal": Config(sections={}),
        "every section": Config().add("litellm_settings", "drop_params: true", "num_retries: 2",
                                      "request_timeout: 600", "set_verbose: false")
        .add("router_settings", "routing_strategy: simple-shuffle", "num_retries: 2",
             "timeout: 30", "fallbacks: [{llama3: [gpt-4o]}]", "allowed_fails: 3",
             "cooldown_time: 30", "model_group_alias: {gpt: gpt-4o}")
        .add("general_settings", "alerting: []", "background_health_checks: false",
             "health_check_interval: 300", "ui_access_mode: all"),
        "local cache": Config().add("litellm_settings", "cache: true",
                                    "cache_params: {type: local, ttl: 60}"),
        "callbacks module": Config().add("litellm_settings", "callbacks: [hooks.handler]",
                                         "success_callback: [hooks.check]"),
        "custom auth": Config().add("general_settings", "custom_auth: hooks.check"),
        "teams": Config().add("litellm_settings",
                              "default_team_settings: [{team_id: t1, success_callback: []}]"),
        "environment": Config(tail=["environment_variables: {FOO: bar, NUM: 3}"]),
        "guardrail": Config(tail=["guardrails:", "  - guardrail_name: secrets",
                                  "    litellm_params:", "      guardrail: hide-secrets",
                                  "      mode: pre_call"]),
        "presets": Config(entries=[list(OLLAMA), list(OPENAI), [
            "model_name: tts-1", "litellm_params:", "  model: tts-1",
            "  api_key: os.environ/OPENAI_API_KEY", "  tags: [compat, tts]", "model_info:",
            "  mode: audio_speech", "  input_cost_per_character: 0.000015",
            "  litellm_provider: openai"], [
            "model_name: dall-e-3", "litellm_params:", "  model: dall-e-3", "model_info:",
            "  mode: image_generation", "  output_cost_per_image: 0.04"]]),
        "tag routing": Config(entries=[OLLAMA + ["  tags: [local]"], OPENAI + ["  tags: [cloud]"]])
        .add("router_settings", "enable_tag_filtering: true"),
        "many entries": Config(entries=[[f"model_name: m{i}", "litellm_params:",
                                         f"  model: ollama/m{i}",
                                         "  api_base: http://127.0.0.1:11434"]
                                        for i in range(40)]),
    }
    for about, config in variants.items():
        cases.add("shape", "correct", about.split()[0], about, config, files=module)
    # A Helm chart's values file, checked as if it were the config: nothing at the top.
    nested = "".join("  " + line + "\n" for line in Config().render()[0].splitlines())
    cases.add("shape", "nested", "proxy_config", "a Helm values file (proxy_config:)",
              "image:\n  tag: main-stable\nproxy_config:\n" + nested, line=3)


def _later(name: str):
    """(release, its value of rules[name]) for each release of SPREAD."""
    return [(release, release_data(release)[name]) for release in SPREAD]


def release_differences(cases: Cases) -> None:
    """What tells releases apart: keys, names and checks the base release does not have.

    Appended after every other family, so the cases of the base release keep their ids.
    """
    # Keys a later release reads that the base does not, or reads as another type.
    seen: set = set()
    for release, types in _later("key_types"):
        for section in SECTIONS:
            known = set(release_data(release)[f"{section}_keys"])
            for key, schema in sorted(types[section].items()):
                if TYPES[section].get(key) == schema or (section, key, json.dumps(schema)) in seen:
                    continue
                if section == "litellm_settings" and (_MACHINERY.search(key) or
                                                      not kinds_of(schema)):
                    continue
                seen.add((section, key, json.dumps(schema)))
                good, bad = good_value(key, schema), bad_value(key, schema)
                if good is not None:
                    cases.add(section, "correct", key, f"{section}.{key}: {fmt(good)} ({release})",
                              _with(section, key, good))
                if bad is not None:
                    cases.add(section, "wrong-type", key, f"{section}.{key}: {fmt(bad)} (a "
                              f"{'/'.join(kinds_of(schema))} in {release})",
                              _with(section, key, bad))
                if good is None and bad is None:
                    cases.add(section, "set", key, f"{section}.{key}: example ({release})",
                              _with(section, key, "example"))
                if "enum" in schema and kinds_of(schema)[:1] == ["string"]:
                    cases.add(section, "bad-enum", key, f"{section}.{key}: a value not among "
                              f"those of {release}", _with(section, key, "no-such-choice"))
                near = typo(key, known)
                if near is not None:
                    cases.add(section, "typo", key, f"{section}.{near} for {key} ({release})",
                              _with(section, near, good if good is not None else True),
                              ignored=True)
        for section, at in (("litellm_params", 0), ("model_info", 1)):
            for key, schema in sorted(types[section].items()):
                if key == "model" or TYPES[section].get(key) == schema or \
                        (section, key, json.dumps(schema)) in seen:
                    continue
                seen.add((section, key, json.dumps(schema)))
                for kind, value in (("correct", good_value(key, schema)),
                                    ("wrong-type", bad_value(key, schema))):
                    if value is None:
                        continue
                    config = Config()
                    base = OLLAMA if at == 0 else OPENAI + ["model_info:"]
                    config.entries[at] = base + [Mark(f"  {key}: {fmt(value)}")]
                    cases.add(section, kind, key, f"{section}.{key}: {fmt(value)} ({release})",
                              config)
    # Names a later release has: providers, callbacks, guardrails, modes.
    for name in sorted({p for _r, names in _later("providers") for p in names}
                       - set(RULES["providers"])):
        _entry(cases, "provider", name, f"{name}/some-model")
    for name in sorted({c for _r, names in _later("builtin_callbacks") for c in names}
                       - set(RULES["builtin_callbacks"])):
        for key in ("callbacks", "success_callback"):
            config = Config()
            config.add("litellm_settings", Mark(f"{key}: [{name}]"))
            cases.add("litellm_settings", "builtin-callback", key, f"{key}: [{name}]", config)
    for vendor in sorted({v for _r, names in _later("guardrail_vendors") for v in names}
                         - set(RULES["guardrail_vendors"])):
        config = Config()
        config.tail = ["guardrails:", "  - guardrail_name: g1", "    litellm_params:",
                       Mark(f"      guardrail: {vendor}"), "      mode: pre_call"]
        cases.add("guardrails", "vendor", vendor, f"guardrail {vendor}", config)
    for mode in sorted({m for _r, names in _later("model_modes") for m in names}
                       - set(RULES["model_modes"])):
        config = Config()
        config.entries[1] = OPENAI + ["model_info:", Mark(f"  mode: {mode}")]
        cases.add("model_info", "correct", "mode", f"model_info.mode: {mode}", config)
    master_keys(cases)
    release_fallbacks(cases)
    router_values(cases)


_PERMIT = "dangerously_permit_weak_or_unset_master_key"
_PERMIT_ENV = "LITELLM_DANGEROUSLY_PERMIT_WEAK_OR_UNSET_MASTER_KEY"


def master_keys(cases: Cases) -> None:
    """Unset, empty and publicly known master keys, and the two ways to permit them."""
    unset = {"LITELLM_MASTER_KEY": ""}
    variants = [  # (general_settings lines, env, what it is)
        ([], unset, "no master key anywhere"),
        ([], {"LITELLM_MASTER_KEY": "sk-1234"}, "LITELLM_MASTER_KEY=sk-1234"),
        ([], {"LITELLM_MASTER_KEY": "  "}, "LITELLM_MASTER_KEY blank"),
        ([], {"LITELLM_MASTER_KEY": "sk-12345"}, "LITELLM_MASTER_KEY=sk-12345 (not known)"),
        (["master_key: sk-1234"], {}, "master_key: sk-1234"),
        (["master_key: ' sk-1234 '"], {}, "master_key: ' sk-1234 '"),
        (["master_key: sk-1234"], unset, "master_key: sk-1234, no LITELLM_MASTER_KEY"),
        (["master_key: ''"], unset, "master_key: '' and no LITELLM_MASTER_KEY"),
        (["master_key: ' '"], {}, "master_key: ' '"),
        (["master_key:"], {}, "master_key: (null)"),
        (["master_key: os.environ/LITELLM_MASTER_KEY"], {"LITELLM_MASTER_KEY": "sk-1234"},
         "master_key from LITELLM_MASTER_KEY=sk-1234"),
        (["master_key: os.environ/OTHER_MASTER"], {"OTHER_MASTER": "sk-1234"},
         "master_key from OTHER_MASTER=sk-1234"),
        (["master_key: os.environ/OTHER_MASTER"], unset, "master_key from unset OTHER_MASTER, "
         "no LITELLM_MASTER_KEY"),
        (["master_key: os.environ/OTHER_MASTER"], {"OTHER_MASTER": " "},
         "master_key from blank OTHER_MASTER"),
        (["master_key: sk-a-long-enough-key-1"], unset, "a literal master key"),
    ]
    for lines, env, about in variants:
        for permit in (None, "true", "'true'", "false", "env true", "env 1", "env yes",
                       "env false"):
            config = Config()
            body = [Mark(line) for line in lines]
            extra = dict(env)
            if permit is not None and permit.startswith("env "):
                extra[_PERMIT_ENV] = permit[4:]
            elif permit is not None:
                body.append(f"{_PERMIT}: {permit}")
            config.sections["general_settings"] = body or None
            if not body:
                config.sections.pop("general_settings")
            label = about + ("" if permit is None else f", permit {permit}")
            cases.add("general_settings", "master-key-release", "master_key", label, config,
                      env=extra, line=None if lines else None)
    # An auth other than the master key, without one.
    module = {"hooks.py": MODULE}
    for line in ("custom_auth: hooks.check", "enable_jwt_auth: true"):
        config = Config()
        config.sections["general_settings"] = [Mark(line)]
        cases.add("general_settings", "master-key-release", "master_key",
                  f"{line}, no master key", config, env=unset, files=module)
    # The master key in an included file.
    config = Config()
    config.sections.pop("general_settings")
    config.head = ["include: [settings.yaml]"]
    cases.add("general_settings", "master-key-release", "master_key", "master_key: sk-1234 in "
              "an included file", config,
              files={"settings.yaml": "general_settings:\n  master_key: sk-1234\n"})


def release_fallbacks(cases: Cases) -> None:
    """String fallback targets and the other shapes later releases read differently."""
    values = {
        "a string target": "[{llama3: gpt-4o}]",
        "a string target and a list": "[{llama3: gpt-4o}, {gpt-4o: [llama3]}]",
        "strings": "[llama3, gpt-4o]",
        "a string": "gpt-4o",
        "a mapping": "{llama3: [gpt-4o]}",
        "a mapping to a string": "{llama3: gpt-4o}",
        "a null target": "[{llama3: null}]",
        "a number target": "[{llama3: 3}]",
        "a mapping target": "[{llama3: {model: gpt-4o}}]",
        "an empty target list": "[{llama3: []}]",
        "a target list of a number": "[{llama3: [3]}]",
    }
    _fallback_cases(cases, "fallbacks-release", values,
                    ("fallbacks", "content_policy_fallbacks", "context_window_fallbacks"))
    for value in ("[gpt-4o]", "gpt-4o", "[llama3, gpt-4o]", "{llama3: [gpt-4o]}", "[3]",
                  "[[gpt-4o]]", "[{llama3: gpt-4o}]", "[no-such-model]"):
        for section in ("router_settings", "litellm_settings"):
            config = Config()
            config.add(section, Mark(f"default_fallbacks: {value}"))
            cases.add(section, "fallbacks-release", "default_fallbacks",
                      f"{section}.default_fallbacks: {value}", config)


def router_values(cases: Cases) -> None:
    """The Router's typed values: a boolean, a word, a quoted number, a list, for each."""
    seen: set = set()
    for release, types in _later("key_types"):
        for key, schema in sorted(types["router_settings"].items()):
            kinds = set(kinds_of(schema)) - {"null"}
            if not kinds or "string" in kinds or key in ("model_list",):
                continue
            for value in ("true", "'30'", "[1]", "{a: 1}") if kinds & {"integer", "number"} \
                    else ("'true'", "ten", "3") if kinds == {"boolean"} else ("ten", "3"):
                if (key, value) in seen:
                    continue
                seen.add((key, value))
                config = Config()
                config.add("router_settings", Mark(f"{key}: {value}"))
                cases.add("router_settings", "typed-value", key, f"router_settings.{key}: "
                          f"{value} ({'/'.join(sorted(kinds))} in {release})", config)


def generate() -> list[dict]:
    cases = Cases()
    for family in (shapes, section_keys, entry_keys, top_level, entries, modules, guardrails,
                   general, litellm_settings, router, environment, includes, yaml_level,
                   release_differences):
        before = len(cases.items)
        family(cases)
        for case in cases.items[before:] if family is release_differences else ():
            case.releases = True
    return [c.as_dict() for c in cases.items]


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else None
    rows = generate()
    text = "".join(json.dumps(r, sort_keys=True) + "\n" for r in rows)
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        print(f"wrote {len(rows)} cases to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
