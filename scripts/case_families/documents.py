"""The file as a whole: what the YAML loader builds or refuses, and correct configs.

Tags, dates, tabs, anchors, duplicate keys, several documents, encodings; then correct
configs of every shape, the sections together as deployments write them.
"""
from __future__ import annotations

from case_families.config import MODULE, OLLAMA, OPENAI, Cases, Config, Mark

# A settings line the loader reads in its own way, by what it is: (section, line).
TAGGED = {
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


def yaml_level(cases: Cases) -> None:
    """What the loader builds, or refuses: tags, dates, tabs, anchors, duplicates, documents."""
    for about, (section, line) in TAGGED.items():
        config = Config()
        config.add(section, Mark(line))
        cases.add(section, "yaml", about, about, config)
    config = Config()
    config.sections["general_settings"] = None
    config.tail = [Mark("general_settings: !!str"), "  master_key: os.environ/LITELLM_MASTER_KEY"]
    cases.add("general_settings", "yaml", "!!str section", "general_settings: !!str over a "
              "mapping", config)
    base = Config().render()[0]
    for about, text in _texts(base).items():
        cases.add("yaml", "yaml", about, about, text, line=_first_diff(base, text))


def _texts(base: str) -> dict[str, str]:
    """The base config's text changed where YAML is subtle, by what the change is."""
    return {
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


def _first_diff(a: str, b: str) -> int | None:
    """The number of the first line where b differs from a (None when their lines are equal)."""
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
