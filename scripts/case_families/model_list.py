"""model_list: the shapes of an entry and of the list, and what an entry's params hold.

Entries of every shape, right or wrong; every provider prefix the release knows, near
misses, unknown words and names without a prefix; the numbers the router reads; values
from variables set, unset and empty; literal secrets and names that look like them.
"""
from __future__ import annotations

from case_families.config import OLLAMA, OPENAI, RULES, Cases, Config, Mark, add_entry
from case_families.values import typo

# The line each shape's fault is on is marked (index into the entry's lines; 0 if absent).
FAULTS = {"no model": 1, "litellm_params null": 1,
          "litellm_params a string": 1, "litellm_params a list": 1, "model a number": 2,
          "model a list": 2, "model a mapping": 2, "model null": 2, "model empty": 2,
          "model_info a list": 4, "model_info a string": 4, "model_info null": 4,
          "model_info nested in litellm_params": 3, "api_base beside litellm_params": 3,
          "tags beside litellm_params": 3, "litellm_param typo": 1}
# A third entry in each shape an operator may write it, right or wrong.
SHAPES = {
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
# Values for the numbers the router reads: every kind for the common keys, a few for others.
EVERY_NUMBER = ("ten", "'12'", "1.5", "-1", "1e3", "''", "[1]", "true", "null", "1_000", "0x10",
                "'1.5'", "' 7 '", "{a: 1}")
COMMON_NUMBERS = ("rpm", "tpm", "timeout", "stream_timeout", "max_retries",
                  "input_cost_per_token", "max_parallel_requests", "weight", "order")


def entries(cases: Cases) -> None:
    """model_list entries: shapes, providers, numbers, variables, misplaced keys."""
    _entry_shapes(cases)
    _list_shapes(cases)
    _providers(cases)
    _numbers(cases)
    _variables(cases)
    _literals(cases)
    _duplicates(cases)


def _entry_shapes(cases: Cases) -> None:
    for about, lines in SHAPES.items():
        config = Config()
        at = FAULTS.get(about, 0)
        config.entries.append(lines[:at] + [Mark(lines[at])] + lines[at + 1:])
        cases.add("model_list", "shape", about.split()[0], about, config)


def _list_shapes(cases: Cases) -> None:
    """An item of the list that is not an entry, and the list itself of other types."""
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


def _providers(cases: Cases) -> None:
    """Every known prefix, near misses, unknown words, no prefix."""
    for provider in RULES["providers"]:
        add_entry(cases, "provider", provider, f"{provider}/some-model",
                  network=provider in ("chatgpt", "github_copilot"))
    for provider in RULES["providers"][::4]:
        near = typo(provider, set(RULES["providers"]))
        if near:
            add_entry(cases, "provider-typo", provider, f"{near}/some-model")
    for word in ("zhipu", "mistralai", "meta-llama", "local", "hf", "claude", "gpt", "qwen",
                 "deepseek-ai", "google", "nvidia_nim_typo", "llama.cpp", "lmstudio"):
        add_entry(cases, "provider-unknown", word, f"{word}/some-model")
    for name in sorted(RULES["unprefixed_models"])[::60]:
        add_entry(cases, "unprefixed-known", name, name)
    for name in ("llama2", "llama3.1:8b", "mistral-7b", "qwen2.5", "gemma", "claude-3-5-sonnet",
                 "o1-preview", "gpt-4o-mini", "text-embedding-3-small", "whisper-1", "tts-1",
                 "dall-e-3", "gpt-image-1", "claude-sonnet-4-5", "gemini-1.5-pro", "phi3",
                 "deepseek-chat", "command-r", "my-model", "*", "gpt-*", "openai/*"):
        add_entry(cases, "unprefixed", name, name)
    for endpoint in RULES["compatible_endpoints"][::3]:
        add_entry(cases, "compatible-endpoint", endpoint, "some-model",
                  [f"  api_base: https://{endpoint.rstrip('/')}"])
    for provider in ("ollama", "openai", "anthropic", "nonsense"):
        add_entry(cases, "custom-llm-provider", provider, "some-model",
                  [f"  custom_llm_provider: {provider}"])


def _numbers(cases: Cases) -> None:
    """The numbers the router reads, written as words, strings, lists and other numbers."""
    for key, kind in sorted(RULES["numeric_litellm_params"].items()):
        for value in EVERY_NUMBER if key in COMMON_NUMBERS else ("ten", "'12'", "[1]"):
            add_entry(cases, "number", key, "ollama/llama3",
                      ["  api_base: http://127.0.0.1:11434", f"  {key}: {value}"], mark_last=True)


def _variables(cases: Cases) -> None:
    """Values from os.environ/NAME with NAME unset, set and empty."""
    for key in ("model", "api_key", "api_base", "api_version", "rpm", "timeout",
                "organization", "vertex_credentials", "aws_region_name"):
        for state, env in (("unset", {}), ("set", {"ORACLE_VAR": "value-1"}),
                           ("empty", {"ORACLE_VAR": ""})):
            extra = [f"  {key}: os.environ/ORACLE_VAR"]
            model = "ollama/llama3" if key != "model" else None
            lines = ["  api_base: http://127.0.0.1:11434"] if key != "api_base" else []
            if key == "model":
                env = {"ORACLE_VAR": "ollama/llama3"} if state == "set" else env
            add_entry(cases, f"env-{state}", key, model, lines + extra, env=env, mark_last=True)


def _literals(cases: Cases) -> None:
    """Secrets written out, and values and names that look like them."""
    for key, value in (("api_key", "sk-proj-abcdefghijklmnopqrstuvwx"),
                       ("credential_name", "azure-prod"), ("litellm_credential_name", "prod"),
                       ("vertex_credentials", "/secrets/vertex.json"),
                       ("aws_secret_access_key", "abcdEFGHijklMNOPqrstUVWXyz0123456789abcd"),
                       ("input_cost_per_token", '"$0.0000006"'), ("api_key", "none"),
                       ("api_version", "2024-02-15"), ("api_version", "2024-02-15-preview"),
                       ("api_version", "'2024-02-15'"),
                       ("api_key", "dummy"), ("api_key", "${OPENAI_API_KEY}")):
        add_entry(cases, "literal", key, "openai/gpt-4o-mini", [f"  {key}: {value}"],
                  mark_last=True)


def _duplicates(cases: Cases) -> None:
    """Duplicate names are deployments of one group; duplicate model_list keys are not."""
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
