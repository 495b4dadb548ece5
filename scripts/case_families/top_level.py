"""The top level of the file: its keys, environment_variables and include.

Near misses of the top-level keys, a wrong type for every section, sections left empty,
settings written at the top or under the wrong section; the variables the config sets;
files it includes, present or not.
"""
from __future__ import annotations

from case_families.config import OPENAI, RULES, SECTIONS, TYPES, Cases, Config, Mark, fmt
from case_families.values import good_value, settings_keys, typo

# Each top-level key with values of types it cannot take.
WRONG_TYPES = (
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
    ("prompts", [{"prompt_id": "p"}, "example"]))


def top_level(cases: Cases) -> None:
    """Top-level keys: near misses, wrong types of every section, misplaced settings."""
    known = set(RULES["top_level_keys"])
    _typos(cases, known)
    _wrong_types(cases)
    _empty_sections(cases)
    _misplaced(cases, known)


def _typos(cases: Cases, known: set) -> None:
    table = TYPES["top_level"]
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


def _wrong_types(cases: Cases) -> None:
    for key, values in WRONG_TYPES:
        for value in values:
            config = Config()
            if key == "model_list":
                config.entries = None
                config.head = [Mark(f"model_list: {fmt(value)}")]
            else:
                config.sections.pop(key, None)
                config.tail = [Mark(f"{key}: {fmt(value)}")]
            cases.add("top_level", "wrong-type", key, f"{key}: {fmt(value)}", config)


def _empty_sections(cases: Cases) -> None:
    for key in ("general_settings", "litellm_settings", "router_settings",
                "environment_variables"):
        for empty in ("", "null", "{}"):
            config = Config()
            config.sections.pop(key, None)
            config.tail = [Mark(f"{key}: {empty}".rstrip())]
            cases.add("top_level", "correct", key, f"{key}: {empty or '(empty)'}", config)


def _misplaced(cases: Cases, known: set) -> None:
    """Settings written at the top, or in the wrong section."""
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


def environment(cases: Cases) -> None:
    """environment_variables of every shape, and one an entry then reads."""
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
    """`include:` of files present, missing, empty, broken, in a folder, of each section."""
    models = ("model_list:\n  - model_name: extra\n    litellm_params:\n"
              "      model: openai/gpt-4o-mini\n")
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
