"""litellm_settings: caches, team settings, budgets and the settings load_config handles.

cache_params of every cache type, right and wrong, with and without REDIS_HOST; `cache:`
of other types; default_team_settings of every shape; typed settings of the wrong type.
"""
from __future__ import annotations

from case_families.config import MODULE, Cases, Config, Mark


def _cache_fault_line(about: str, lines: list[str] | None) -> int | None:
    """The cache_params line a case is about: its type, a parameter, or (None) all of them."""
    if lines is None:
        return 0
    if "no host" in about or "host unset" in about:
        return None
    for i, line in enumerate(lines):
        name = line.split(":", 1)[0]
        if name != "type" and name != "host" and name.split("_")[0] in about.replace("-", "_"):
            return i
    if any(w in about for w in ("type", "disk", "semantic", "s3", "gcs", "qdrant", "azure")):
        return 0
    return len(lines) - 1


# Caches whose client connects while the proxy starts: with the service unreachable (as
# here) it refuses; where the service runs, it starts. validate cannot reach the service.
_CONNECTS_AT_START = {"redis startup nodes", "s3", "s3 no bucket", "qdrant", "azure-blob"}


# cache_params by what they are about (None: cache_params a list).
CACHE_PARAMS = {
    "redis with host": ["type: redis", "host: 127.0.0.1", "port: 6379"],
    "redis no host": ["type: redis"],
    "redis port a word": ["type: redis", "host: 127.0.0.1", "port: six"],
    "redis port ${VAR}": ["type: redis", "host: 127.0.0.1", "port: ${REDIS_PORT}"],
    "redis port a string": ["type: redis", "host: 127.0.0.1", "port: '6379'"],
    "redis port unset var": ["type: redis", "host: 127.0.0.1",
                             "port: os.environ/ORACLE_REDIS_PORT"],
    "redis host unset var": ["type: redis", "host: os.environ/ORACLE_REDIS_HOST"],
    "redis url": ["type: redis", "url: redis://127.0.0.1:6379"],
    "redis connection_pool_kwargs": ["type: redis", "host: 127.0.0.1",
                                     "connection_pool_kwargs: {max_connections: 10}"],
    "redis socket_timeout": ["type: redis", "host: 127.0.0.1", "socket_timeout: 5"],
    "redis ssl": ["type: redis", "host: 127.0.0.1", "ssl: true"],
    "redis no_such_arg": ["type: redis", "host: 127.0.0.1", "no_such_arg: 1"],
    "redis password literal": ["type: redis", "host: 127.0.0.1", "password: hunter2-pass"],
    "redis startup nodes": ["type: redis", "redis_startup_nodes: [{host: 127.0.0.1, "
                            "port: 7000}]"],
    "ttl only": ["ttl: 600"],
    "ttl and call types": ["ttl: 600", "supported_call_types: [acompletion, completion]"],
    "ttl a word": ["type: local", "ttl: ten"],
    "local": ["type: local"],
    "local with namespace": ["type: local", "namespace: x"],
    "local unknown key": ["type: local", "no_such_arg: 1"],
    "disk": ["type: disk"],
    "s3": ["type: s3", "s3_bucket_name: b", "s3_region_name: us-east-1"],
    "s3 no bucket": ["type: s3"],
    "gcs": ["type: gcs", "gcs_bucket_name: b"],
    "qdrant": ["type: qdrant-semantic", "qdrant_api_base: http://127.0.0.1:9",
               "qdrant_collection_name: c", "similarity_threshold: 0.8"],
    "redis-semantic": ["type: redis-semantic", "host: 127.0.0.1",
                       "similarity_threshold: 0.8"],
    "azure-blob": ["type: azure-blob", "azure_account_url: https://x.blob.core.windows.net",
                   "azure_blob_container: c"],
    "type word": ["type: memcached"],
    "type typo": ["type: reddis", "host: 127.0.0.1"],
    "mode default_off": ["type: local", "mode: default_off"],
    "mode word": ["type: local", "mode: sometimes"],
    "call types unknown": ["type: local", "supported_call_types: [no_such_call]"],
    "a list": None,
}
# litellm_settings lines of every kind: budgets, typed settings, fallbacks, a custom provider.
VALUES = ("max_budget: 100", "max_budget: ten", "max_budget: '100'", "max_budget: null",
          "budget_duration: 30d", "max_internal_user_budget: ten",
          "default_max_internal_user_budget: ten", "request_timeout: ten",
          "request_timeout: 600", "num_retries: ten", "drop_params: maybe",
          "set_verbose: true", "json_logs: true", "upperbound_key_generate_params: "
          "{max_budget: 100}", "upperbound_key_generate_params: [a]",
          "upperbound_key_generate_params: {max_budget: ten}",
          "default_internal_user_params: {max_budget: ten}",
          "model_group_settings: {forward_client_headers_to_llm_api: [a]}",
          "model_group_settings: [a]", "priority_reservation_settings: [a]",
          "max_ui_session_budget: ten", "budget_reset_time: ten",
          "budget_reset_time: '00:00'", "responses: [a]",
          "custom_provider_map: [{provider: p, custom_handler: hooks.handler}]",
          "custom_provider_map: {provider: p}", "global_prompt_directory: ./prompts",
          "modify_params: true", "enable_preview_features: true",
          "context_window_fallbacks: [gpt-4o]", "fallbacks: [{llama3: [gpt-4o]}]",
          "default_fallbacks: [gpt-4o]", "content_policy_fallbacks: [{llama3: [x]}]")


def litellm_settings(cases: Cases) -> None:
    """Caches, teams, budgets, environment, the settings load_config handles itself."""
    _caches(cases)
    _cache_switch(cases)
    _teams_and_values(cases)


def _caches(cases: Cases) -> None:
    """cache: true with each cache_params, the line at fault marked."""
    for about, lines in CACHE_PARAMS.items():
        redis = "redis" in about or "ttl" in about
        for env in ({}, {"REDIS_HOST": "127.0.0.1"}) if redis else ({},):
            config = Config()
            at = _cache_fault_line(about, lines)
            if lines is None:
                config.add("litellm_settings", "cache: true", Mark("cache_params: [redis]"))
            elif at is None:  # the whole cache_params is at fault (no host)
                config.add("litellm_settings", "cache: true", Mark("cache_params:"),
                           *["  " + l for l in lines])
            else:
                config.add("litellm_settings", "cache: true", "cache_params:",
                           *[Mark("  " + l) if i == at else "  " + l
                             for i, l in enumerate(lines)])
            cases.add("litellm_settings", "cache", "cache_params",
                      f"cache: true, {about}{' (REDIS_HOST set)' if env else ''}", config,
                      env=dict(env, REDIS_PORT="6379"), network=about in _CONNECTS_AT_START)


def _cache_switch(cases: Cases) -> None:
    """`cache:` of values other than true, and cache_params without it."""
    for value in ("false", "'true'", "yes", "1", "maybe", "null", "!!bool maybe"):
        config = Config()
        config.add("litellm_settings", Mark(f"cache: {value}"), "cache_params:",
                   "  type: local")
        cases.add("litellm_settings", "cache", "cache", f"cache: {value}", config)
    config = Config()
    config.add("litellm_settings", "cache_params:", Mark("  type: redis"))
    cases.add("litellm_settings", "cache", "cache", "cache_params without cache: true", config)


def _teams_and_values(cases: Cases) -> None:
    """default_team_settings of every shape, then the other settings."""
    for value in ('[{team_id: t1, success_callback: [langfuse]}]', '[{team_id: t1}]',
                  '{team_id: t1}', '[{success_callback: [langfuse]}]', '[t1]', 't1', '[]'):
        config = Config()
        config.add("litellm_settings", Mark(f"default_team_settings: {value}"))
        cases.add("litellm_settings", "teams", "default_team_settings",
                  f"default_team_settings: {value}", config)
    for line in VALUES:
        config = Config()
        config.add("litellm_settings", Mark(line))
        cases.add("litellm_settings", "value", line.split(":")[0], line, config,
                  files={"hooks.py": MODULE})
