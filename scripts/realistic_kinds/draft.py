"""A realistic deployment being drafted: its pieces, the draft, the helpers kinds use.

entry_pool() holds entries of several providers and CREDENTIALS two credentials;
base_draft draws a deployment from them with the case's random generator (several
entries, settings sections drawn together). The helpers add to a draft what a kind of
mistake needs: an entry of it, credentials, an include file, a Python module beside it.
"""
from __future__ import annotations

import json
import random

BASE_ENV = {"OPENAI_API_KEY": "sk-oracle-openai", "LITELLM_MASTER_KEY": "sk-oracle-master"}


def entry_pool() -> dict[str, dict]:
    return {
        "llama3": {"model_name": "llama3", "litellm_params": {
            "model": "ollama/llama3", "api_base": "http://ollama:11434"}},
        "qwen": {"model_name": "qwen2.5-coder", "litellm_params": {
            "model": "ollama_chat/qwen2.5-coder:7b", "api_base": "http://127.0.0.1:11434",
            "keep_alive": "5m"}, "model_info": {"mode": "chat"}},
        "gpt-4o": {"model_name": "gpt-4o", "litellm_params": {
            "model": "openai/gpt-4o", "api_key": "os.environ/OPENAI_API_KEY"}},
        "gpt-4o-mini": {"model_name": "gpt-4o-mini", "litellm_params": {
            "model": "gpt-4o-mini", "api_key": "os.environ/OPENAI_API_KEY", "rpm": 500,
            "tpm": 200000}},
        "azure": {"model_name": "azure-gpt-4o", "litellm_params": {
            "model": "azure/gpt-4o-prod", "api_base": "https://example-eu.openai.azure.com/",
            "api_version": "2024-08-01-preview", "api_key": "os.environ/AZURE_API_KEY"},
            "model_info": {"base_model": "azure/gpt-4o"}},
        "claude": {"model_name": "claude-sonnet", "litellm_params": {
            "model": "anthropic/claude-3-5-sonnet-20241022",
            "api_key": "os.environ/ANTHROPIC_API_KEY"}},
        "bedrock": {"model_name": "bedrock-claude", "litellm_params": {
            "model": "bedrock/anthropic.claude-3-sonnet-20240229-v1:0",
            "aws_region_name": "us-east-1"}},
        "groq": {"model_name": "llama3-70b", "litellm_params": {
            "model": "groq/llama3-70b-8192", "api_key": "os.environ/GROQ_API_KEY"}},
        "embed": {"model_name": "text-embedding-3-small", "litellm_params": {
            "model": "openai/text-embedding-3-small", "api_key": "os.environ/OPENAI_API_KEY"},
            "model_info": {"mode": "embedding"}},
        "tts": {"model_name": "tts-1", "litellm_params": {
            "model": "openai/tts-1", "api_key": "os.environ/OPENAI_API_KEY"},
            "model_info": {"mode": "audio_speech", "input_cost_per_character": 0.000015}},
        "whisper": {"model_name": "whisper-1", "litellm_params": {
            "model": "openai/whisper-1", "api_key": "os.environ/OPENAI_API_KEY"},
            "model_info": {"mode": "audio_transcription"}},
        "wildcard": {"model_name": "openai/*", "litellm_params": {
            "model": "openai/*", "api_key": "os.environ/OPENAI_API_KEY"}},
        "vllm": {"model_name": "mistral-7b", "litellm_params": {
            "model": "hosted_vllm/mistralai/Mistral-7B-Instruct-v0.3",
            "api_base": "http://vllm:8000/v1"}, "model_info": {"id": "vllm-mistral-1"}},
    }


CREDENTIALS = {
    "azure-eu": {"credential_name": "azure-eu", "credential_values": {
        "api_key": "os.environ/AZURE_API_KEY", "api_base": "https://example-eu.openai.azure.com/",
        "api_version": "2024-08-01-preview"}, "credential_info": {"description": "EU tenant"}},
    "openai-team": {"credential_name": "openai-team", "credential_values": {
        "api_key": "os.environ/OPENAI_API_KEY"}, "credential_info": {}},
}


class Draft:
    """A config being built: the main file's sections, the included files, the env."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.main: dict = {}
        self.files: dict[str, dict] = {}
        self.texts: dict[str, str] = {}  # files written as text (Python modules)
        self.env = dict(BASE_ENV)
        self.mistakes: list[str] = []

    def entries(self) -> list:
        """The main file's entries, or an included file's when the main list is empty."""
        value = self.main.setdefault("model_list", [])
        if value is None:
            return next(f["model_list"] for f in self.files.values()
                        if isinstance(f.get("model_list"), list))
        return value

    def section(self, name: str) -> dict:
        value = self.main.get(name)
        if not isinstance(value, dict):
            value = self.main[name] = {}
        return value


def base_draft(rng: random.Random) -> Draft:
    draft = Draft(rng)
    pool = entry_pool()
    names = rng.sample(sorted(pool), rng.randint(2, 6))
    draft.main["model_list"] = [json.loads(json.dumps(pool[n])) for n in names]
    if "azure" in names and rng.random() < 0.6:
        draft.env["AZURE_API_KEY"] = "azure-oracle-key"
    if "claude" in names and rng.random() < 0.7:
        draft.env["ANTHROPIC_API_KEY"] = "sk-ant-oracle"
    if "groq" in names:
        draft.env["GROQ_API_KEY"] = "gsk-oracle"
    if rng.random() < 0.85:
        draft.section("general_settings")["master_key"] = "os.environ/LITELLM_MASTER_KEY"
    if rng.random() < 0.3:
        draft.section("general_settings")["disable_spend_logs"] = True
    if rng.random() < 0.7:
        settings = draft.section("litellm_settings")
        settings["drop_params"] = True
        if rng.random() < 0.5:
            settings["num_retries"] = rng.choice([2, 3])
        if rng.random() < 0.3:
            settings["request_timeout"] = 600
    if rng.random() < 0.6:
        router = draft.section("router_settings")
        router["routing_strategy"] = rng.choice(["simple-shuffle", "least-busy",
                                                 "usage-based-routing-v2", "latency-based-routing"])
        if rng.random() < 0.5:
            router["num_retries"] = 2
            router["timeout"] = 30
        served = [e["model_name"] for e in draft.entries()]
        if len(served) >= 2 and rng.random() < 0.5:
            router["fallbacks"] = [{served[0]: [served[1]]}]
    if rng.random() < 0.2:
        draft.main["environment_variables"] = {"LITELLM_LOG": "ERROR"}
    return draft


def pick_entry(draft: Draft, model: str = "") -> dict:
    """An entry of the draft (one whose model starts with `model`, if there is one)."""
    entries = [e for e in draft.entries() if isinstance(e, dict)
               and isinstance(e.get("litellm_params", {}), dict)
               and str(e.get("litellm_params", {}).get("model", "")).startswith(model)]
    return draft.rng.choice(entries or [e for e in draft.entries() if isinstance(e, dict)
                                        and isinstance(e.get("litellm_params"), dict)])


def add_credentials(draft: Draft, *names: str) -> list:
    listed = draft.main.setdefault("credential_list", [])
    for name in names:
        listed.append(json.loads(json.dumps(CREDENTIALS[name])))
    return listed


def use_credential(draft: Draft, name: str) -> dict:
    entry = {"model_name": f"{name}-gpt-4o", "litellm_params": {
        "model": "azure/gpt-4o-prod" if name.startswith("azure") else "openai/gpt-4o",
        "litellm_credential_name": name}}
    draft.entries().append(entry)
    return entry


def add_include(d: Draft, name: str, content: dict) -> None:
    d.main.setdefault("include", []).append(name)
    d.files[name] = content


def add_module(d: Draft, name: str, text: str) -> None:
    d.texts[name] = text


HANDLER = ("from litellm.integrations.custom_logger import CustomLogger\n{imports}\n\n"
           "class Handler(CustomLogger):\n    pass\n\n\nproxy_handler_instance = Handler()\n")


def add_callback(d: Draft, imports: str, where: str = "callbacks") -> None:
    add_module(d, "custom_callbacks.py", HANDLER.format(imports=imports))
    d.section("litellm_settings")[where] = ["custom_callbacks.proxy_handler_instance"]
