"""The whole class: secrets in every place YAML allows, through every command and format.

Hypothesis writes configs with a secret (a token that reads as no name) in keys, values,
anchors, aliases, tags, comments, flow and block collections, quoted and plain scalars,
multi-line scalars, inside other keys' strings, and in files that do not parse; each
config is merged (--diff, --diff --format json, --check: the whole file is diffed against
an output holding it), listed, and validated in every format. No secret may be printed.
"""
from __future__ import annotations

from pathlib import Path

from helpers import cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ENTRY = "model_list:\n  - model_name: llama3\n    litellm_params:\n      model: ollama/llama3\n"
# Keys a secret may stand under: secret-named ones and others the policy does not know.
KEYS = ["master_key", "REDIS_PASSWORD", "LANGFUSE_SECRET_KEY", "description", "x_note",
        "database_url", "url", "OTEL_HEADERS", "vertex_credentials", "password", "region"]
# Each place: a snippet of YAML (under a top-level key of its own) holding {s}.
PLACES = [
    "{k}: {s}", "{k}: '{s}'", '{k}: "{s}"', "{s}: 1", "'{s}': x", "{k}: &{s} v",
    "{k}: &a1 {s}\n  other: *a1", "x-names: [&kk {k}]\n  *kk : {s}", "{k}: !{s} v",
    "{k}: *{s}", "{k}: v  # {s}", "# {s}\n  {k}: v", "{k}: {{a: {s}, b: [{s}]}}",
    "{k}: [{s}, x]", "{k}: |\n    line {s}\n", "{k}: >-\n    {s}\n", "{k}: first\n    {s}",
    '{k}: "one\n    {s}"', '{k}: "Authorization=Bearer%20{s}"', "{k}: api-key={s},x=1",
    "{k}: https://ops:{s}@host/x", "api_base: http://h/v1?token={s}", "tags: [a, {{api_key: {s}}}]",
    "{k}: 7{n}", "{k}: Correct.{s}.X", "? {k}\n  : {s}", "{k}:\n    - {s}",
    "{k}:\n    {s}",
]
# Places inside a model_list entry's litellm_params, where validate reads every value.
ENTRY_PLACES = ["rpm: {s}", "tpm: '{s}'", "api_key: {s}", "timeout: {s}", "max_tokens: {s}",
                "api_base: ops:{s}@gpu:11434/v1", "api_base: http://h/v1?key={s}",
                "extra_headers: {{Authorization: Bearer {s}}}", "model_info: {{mode: x, k: {s}}}"]
BROKEN = ["", "", "oops: [\n", "<<<<<<< HEAD\n=======\n>>>>>>> other\n", "\tbad: tab\n"]

secrets_ = st.builds(lambda body: "Qz9" + body + "7Wv",
                     st.text("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789",
                             min_size=8, max_size=14))
placed = st.tuples(st.sampled_from(PLACES), st.sampled_from(KEYS), secrets_,
                   st.integers(100000, 999999))


def config_text(places, entry_places, broken: str) -> tuple[str, list[str]]:
    lines, secrets = [ENTRY], []
    for i, (place, secret) in enumerate(entry_places):
        lines.append(f"  - model_name: m{i}\n    litellm_params:\n      model: ollama/m\n"
                     f"      {place.format(s=secret)}\n")
        secrets.append(secret)
    for i, (place, key, secret, number) in enumerate(places):
        body = place.format(k=key, s=secret, n=number)
        lines.append(f"x-place{i}:\n  {body}\n")
        secrets.append(secret if "{s}" in place else f"7{number}")
    at = len(lines) // 2
    lines.insert(at, broken)
    return "".join(lines), secrets


COMMANDS = [
    ["merge", "config.yaml", "-o", "out.yaml", "--diff"],
    ["merge", "config.yaml", "-o", "out.yaml", "--diff", "--format", "json"],
    ["merge", "config.yaml", "-o", "out.yaml", "--check"],
    ["merge", "base.yaml", "-o", "out.yaml", "--diff"],
    ["merge", "base.yaml", "-o", "out.yaml", "--check", "--format", "json"],
    ["list", "config.yaml"], ["list", "config.yaml", "--format", "json"],
    ["validate", "config.yaml"], ["validate", "config.yaml", "--format", "json"],
    ["validate", "config.yaml", "--format", "github"],
    ["validate", "config.yaml", "--format", "sarif"],
]


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(places=st.lists(placed, min_size=1, max_size=4),
       entry_places=st.lists(st.tuples(st.sampled_from(ENTRY_PLACES), secrets_), max_size=2),
       broken=st.sampled_from(BROKEN))
def test_no_generated_secret_is_ever_printed(tmp_path: Path, monkeypatch, places, entry_places,
                                            broken: str) -> None:
    monkeypatch.chdir(tmp_path)
    text, secrets = config_text(places, entry_places, broken)
    Path("config.yaml").write_text(text)
    Path("base.yaml").write_text(ENTRY)
    for args in COMMANDS:
        # The output holds the config: a merge of base.yaml diffs every line of it.
        Path("out.yaml").write_text(text)
        run = cli(*args)
        assert run.code in (0, 1, 2), (args, run.stderr)
        printed = run.stdout + run.stderr
        for secret in secrets:
            assert secret not in printed, (args, secret, text, printed)
