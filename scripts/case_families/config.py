"""What every family of cases is built from: the release's keys, a config, a case.

RULES and TYPES are generator/releases/rules.json and its "key_types" (no litellm here).
Config is a config in the shape of a real deployment (two entries, a master key) that a
family changes in one place, marking the changed line (Mark); Cases collects the cases
and gives each a unique id, in the order they are added.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
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


def with_value(section: str, key: str, value) -> Config:
    """The config with `key: value` added to `section`, that line marked."""
    config = Config()
    config.add(section, Mark(f"{key}: {fmt(value)}"))
    return config


def add_entry(cases: Cases, kind: str, key: str, model: str | None, extra=None, env=None,
              mark_last=False, network=False) -> None:
    """A case adding a third entry `model` (with `extra` lines under litellm_params)."""
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


# The modules a case puts beside its config: a logger, a plain class, broken ones.
MODULE = ("from litellm.integrations.custom_logger import CustomLogger\n\n\n"
          "class Handler(CustomLogger):\n    pass\n\n\nhandler = Handler()\n\n\n"
          "def check(*args, **kwargs):\n    return True\n")
PLAIN = "class Handler:\n    pass\n\n\nhandler = Handler()\n"
BROKEN = "def handler(:\n    pass\n"
RAISES = "raise RuntimeError('module fails on import')\n"
