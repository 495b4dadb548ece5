"""What tells releases apart: the cases drawn from later releases' keys and names.

Keys a later release of SPREAD reads that the base does not (or reads as another type),
providers, callbacks, guardrails and modes only a later release has, master keys that a
later release refuses, fallbacks and Router values that later releases read otherwise.
Written after every other family (gen_cases.generate), so the base's cases keep their ids.
"""
from __future__ import annotations

import json

from case_families.config import (
    MODULE,
    OLLAMA,
    OPENAI,
    RULES,
    SECTIONS,
    SPREAD,
    TYPES,
    Cases,
    Config,
    Mark,
    add_entry,
    fmt,
    with_value,
)
from case_families.router import fallback_cases
from case_families.values import MACHINERY, bad_value, good_value, kinds_of, typo
from generator.releases.rules import release_data


def _later(name: str):
    """(release, its value of rules[name]) for each release of SPREAD."""
    return [(release, release_data(release)[name]) for release in SPREAD]


def release_differences(cases: Cases) -> None:
    """What tells releases apart: keys, names and checks the base release does not have.

    Appended after every other family, so the cases of the base release keep their ids.
    """
    seen: set = set()  # (section, key, schema) written already, for an earlier release
    for release, types in _later("key_types"):
        _later_settings(cases, release, types, seen)
        _later_entry_keys(cases, release, types, seen)
    _later_names(cases)
    master_keys(cases)
    release_fallbacks(cases)
    router_values(cases)


def _later_settings(cases: Cases, release: str, types: dict, seen: set) -> None:
    """Settings keys `release` reads that the base does not, or reads as another type."""
    for section in SECTIONS:
        known = set(release_data(release)[f"{section}_keys"])
        for key, schema in sorted(types[section].items()):
            if TYPES[section].get(key) == schema or (section, key, json.dumps(schema)) in seen:
                continue
            if section == "litellm_settings" and (MACHINERY.search(key) or
                                                  not kinds_of(schema)):
                continue
            seen.add((section, key, json.dumps(schema)))
            good, bad = good_value(key, schema), bad_value(key, schema)
            if good is not None:
                cases.add(section, "correct", key, f"{section}.{key}: {fmt(good)} ({release})",
                          with_value(section, key, good))
            if bad is not None:
                cases.add(section, "wrong-type", key, f"{section}.{key}: {fmt(bad)} (a "
                          f"{'/'.join(kinds_of(schema))} in {release})",
                          with_value(section, key, bad))
            if good is None and bad is None:
                cases.add(section, "set", key, f"{section}.{key}: example ({release})",
                          with_value(section, key, "example"))
            if "enum" in schema and kinds_of(schema)[:1] == ["string"]:
                cases.add(section, "bad-enum", key, f"{section}.{key}: a value not among "
                          f"those of {release}", with_value(section, key, "no-such-choice"))
            near = typo(key, known)
            if near is not None:
                cases.add(section, "typo", key, f"{section}.{near} for {key} ({release})",
                          with_value(section, near, good if good is not None else True),
                          ignored=True)


def _later_entry_keys(cases: Cases, release: str, types: dict, seen: set) -> None:
    """Entry keys (litellm_params, model_info) `release` has and the base lacks or types
    otherwise.
    """
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


def _later_names(cases: Cases) -> None:
    """Names a later release has: providers, callbacks, guardrails, modes."""
    for name in sorted({p for _r, names in _later("providers") for p in names}
                       - set(RULES["providers"])):
        add_entry(cases, "provider", name, f"{name}/some-model")
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
    fallback_cases(cases, "fallbacks-release", values,
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
