"""verify's pure parts: matching config entries to /model/info, the key, the wait."""
from __future__ import annotations

import socket

import pytest

from generator.boundary.errors import UserError
from generator.boundary.proxy_api import ProxyUnreachable, wait_for_model_info
from generator.inventory.listing import EntryRow
from generator.inventory.verify import compare, master_key


def row(name, model, mode=None, owner="operator", line=1):
    return EntryRow(line, name, model, mode, None, (), owner)


def served(name, model, mode):
    return {"model_name": name, "litellm_params": {"model": model}, "model_info": {"mode": mode}}


def test_compare_served_missing_wrong_mode_and_deployments() -> None:
    rows = [row("tts-1", "tts-1", "audio_speech", "litellm-gen"),
            row("whisper-1", "whisper-1", "audio_transcription", "litellm-gen"),
            row("llama3", "ollama/llama3"), row("llama3", "ollama/llama3:70b"),
            row("gone", "ollama/gone")]
    data = [served("tts-1", "tts-1", "audio_speech"),
            served("whisper-1", "whisper-1", "chat"),
            served("llama3", "ollama/llama3:70b", "chat"), served("llama3", "ollama/llama3", "chat")]
    checks = compare(rows, data)
    assert [c.status for c in checks] == ["served", "wrong mode", "served", "served", "missing"]
    assert "config says audio_transcription, proxy has chat" in checks[1].detail


def test_same_name_with_another_model_is_not_served() -> None:
    """The proxy serving llama3 with another model does not count as serving this entry."""
    checks = compare([row("llama3", "ollama/llama3")], [served("llama3", "ollama/mistral", "chat")])
    assert [c.status for c in checks] == ["missing"]
    assert "with model ollama/mistral, not ollama/llama3" in checks[0].detail


def test_two_entries_need_two_deployments() -> None:
    rows = [row("llama3", "ollama/llama3"), row("llama3", "ollama/llama3")]
    assert [c.status for c in compare(rows, [served("llama3", "ollama/llama3", "chat")])] == [
        "served", "missing"]


def test_master_key_sources() -> None:
    data = {"model_list": [], "general_settings": {"master_key": "os.environ/MK"}}
    assert master_key(data, "LITELLM_MASTER_KEY", (), {"LITELLM_MASTER_KEY": "a"}) == "a"
    assert master_key(data, "LITELLM_MASTER_KEY", (), {"MK": "b"}) == "b"
    with pytest.raises(UserError, match="MK is not set"):
        master_key(data, "LITELLM_MASTER_KEY", (), {}, "c.yaml")
    assert master_key({"general_settings": {"master_key": "sk-literal"}}, "X", (), {}) == \
        "sk-literal"
    nested = {"proxy_config": {"general_settings": {"master_key": "sk-nested"}}}
    assert master_key(nested, "X", ("proxy_config",), {}) == "sk-nested"
    assert master_key({"model_list": []}, "X", (), {}) is None


def test_wait_polls_with_progress_then_gives_up() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    seen = []
    with pytest.raises(ProxyUnreachable, match=f"127.0.0.1:{port}"):
        wait_for_model_info(f"http://127.0.0.1:{port}", None, 1.5, seen.append)
    assert len(seen) >= 2 and seen == sorted(seen)
