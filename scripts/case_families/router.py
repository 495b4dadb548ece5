"""router_settings: fallbacks, aliases, routing strategies and the Router's settings.

Fallbacks of every shape under router_settings and litellm_settings, model_group_alias
to served and missing names, every routing strategy and words that are not one, retry
policies and the Router's typed settings of the wrong type.
"""
from __future__ import annotations

from case_families.config import MODULE, RULES, Cases, Config, Mark

# The fallbacks keys written each way, by what the way is.
FALLBACKS = {
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
# router_settings lines of every kind: policies, typed settings, settings of the wrong type.
VALUES = ("retry_policy: {RateLimitErrorRetries: 3}", "retry_policy: {NoSuchRetries: 3}",
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
          "caching_groups: [[llama3, gpt-4o]]", "caching_groups: [llama3]")


def router(cases: Cases) -> None:
    """Fallbacks, aliases, strategies, retry policies and the Router's typed values."""
    fallback_cases(cases, "fallbacks", FALLBACKS,
                   ("fallbacks", "context_window_fallbacks", "content_policy_fallbacks"))
    for value in ("[gpt-4o]", "[no-such-model]", "gpt-4o", "[{llama3: [gpt-4o]}]", "[]"):
        config = Config()
        config.add("router_settings", Mark(f"default_fallbacks: {value}"))
        cases.add("router_settings", "fallbacks", "default_fallbacks",
                  f"default_fallbacks: {value}", config)
    _aliases(cases)
    _strategies_and_values(cases)


def _aliases(cases: Cases) -> None:
    """model_group_alias to served and missing names, of other shapes, in both sections."""
    for value in ("{gpt: gpt-4o}", "{gpt: no-such-model}", "{gpt: {model: gpt-4o, hidden: true}}",
                  "{gpt: {model: no-such-model}}", "[gpt-4o]", "gpt-4o", "{gpt: [gpt-4o]}",
                  "{llama3: gpt-4o}"):
        for section in ("router_settings", "litellm_settings"):
            config = Config()
            config.add(section, Mark(f"model_group_alias: {value}"))
            cases.add(section, "alias", "model_group_alias", f"{section}.model_group_alias: "
                      f"{value}", config)


def _strategies_and_values(cases: Cases) -> None:
    """Every routing strategy and near words, the Router's settings, router_settings a list."""
    for strategy in RULES["routing_strategies"] + ["round-robin", "usage-based", "least_busy",
                                                   "latency-based", "cost-based", "Simple-Shuffle"]:
        config = Config()
        config.add("router_settings", Mark(f"routing_strategy: {strategy}"))
        cases.add("router_settings", "routing-strategy", strategy,
                  f"routing_strategy: {strategy}", config)
    for line in VALUES:
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


def fallback_cases(cases: Cases, kind: str, values: dict[str, str], names) -> None:
    """Each fallbacks key written each way, under router_settings and litellm_settings."""
    for name in names:
        for about, value in values.items():
            for section in ("router_settings", "litellm_settings"):
                config = Config()
                config.add(section, Mark(f"{name}: {value}"))
                cases.add(section, kind, name, f"{section}.{name} {about}", config)
