"""Every key of every table the release reads: a right value, a wrong type, a near miss.

The three settings sections, and an entry's litellm_params and model_info.
"""
from __future__ import annotations

from case_families.config import (
    OLLAMA,
    OPENAI,
    RULES,
    SECTIONS,
    TYPES,
    Cases,
    Config,
    Mark,
    fmt,
    with_value,
)
from case_families.values import bad_value, good_value, kinds_of, settings_keys, typo


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
                          with_value(section, key, good))
            bad = bad_value(key, schema)
            if bad is not None:
                cases.add(section, "wrong-type", key, f"{section}.{key}: {fmt(bad)} (a "
                          f"{'/'.join(kinds_of(schema))} is declared)",
                          with_value(section, key, bad))
            if good is None and bad is None:
                cases.add(section, "set", key, f"{section}.{key}: example (no declared type)",
                          with_value(section, key, "example"))
            if "enum" in schema and kinds_of(schema)[:1] == ["string"]:
                cases.add(section, "bad-enum", key, f"{section}.{key}: a value not among "
                          "the declared ones", with_value(section, key, "no-such-choice"))
            near = typo(key, known)
            if near is not None:
                value = good if good is not None else True
                cases.add(section, "typo", key, f"{section}.{near} for {key}",
                          with_value(section, near, value), ignored=True)



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
