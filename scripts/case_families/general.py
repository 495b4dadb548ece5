"""general_settings: alerting, the master key, the database, the settings of its own.

The master key as a literal, a variable set, unset or empty, of other types, and absent;
alerting with and without its webhook; database URLs; enterprise-only and typed settings.
"""
from __future__ import annotations

import json

from case_families.config import Cases, Config, Mark, fmt

# general_settings lines of every kind: enterprise-only, typed, of the wrong type.
VALUES = ("allowed_ips: [127.0.0.1]", "enforced_params: [user]",
          "key_management_system: no_such_kms", "key_management_system: aws_kms",
          'key_management_settings: {"hosted_keys": ["k"]}', "use_google_kms: true",
          "role_permissions: [{role: proxy_admin, models: [a]}]",
          "role_permissions: [{role: nobody}]", "pass_through_endpoints: [{path: /x, "
          "target: http://127.0.0.1:9}]", "pass_through_endpoints: {path: /x}",
          "user_api_key_cache_ttl: ten", "ui_access_mode: nobody",
          "background_health_checks: true", "health_check_interval: ten",
          "store_model_in_db: true", "disable_spend_logs: maybe",
          "coordination_redis: {host: 127.0.0.1}", "coordination_redis: [a]",
          "coordination_redis: {}", "litellm_jwtauth: {team_id_jwt_field: x}",
          "enable_jwt_auth: true", "max_parallel_requests: ten",
          "global_max_parallel_requests: 10", "infer_model_from_keys: true",
          "use_redis_transaction_buffer: true", "plugins: [x]",
          "team_metadata_schema: {type: object}", "team_metadata_schema: [a]",
          "spend_logs_retention_period: ten", "maximum_spend_logs_retention_period: 7d")


def general(cases: Cases) -> None:
    """Alerting, master key, database, enterprise-only settings, key management."""
    _alerting(cases)
    _master_key(cases)
    _database_and_values(cases)


def _alerting(cases: Cases) -> None:
    """alerting with and without SLACK_WEBHOOK_URL, and the settings beside it."""
    for value, env in ((["slack"], {}), (["slack"], {"SLACK_WEBHOOK_URL": "http://127.0.0.1:9/x"}),
                       ("slack", {}), ("slack", {"SLACK_WEBHOOK_URL": "http://127.0.0.1:9/x"}),
                       (["email"], {}), (["webhook"], {}), (["slak"], {}), ([], {}),
                       (["slack", "email"], {"SLACK_WEBHOOK_URL": "http://127.0.0.1:9/x"})):
        config = Config()
        config.add("general_settings", Mark(f"alerting: {fmt(value)}"))
        cases.add("general_settings", "alerting", "alerting",
                  f"alerting: {fmt(value)}{' with SLACK_WEBHOOK_URL' if env else ''}", config,
                  env=env)
    for extra in ('alerting_threshold: 300', 'alerting_threshold: ten',
                  'alert_types: ["llm_exceptions"]', 'alert_types: ["no_such_alert"]',
                  'alert_to_webhook_url: {"llm_exceptions": "http://127.0.0.1:9/x"}',
                  'alerting_args: {"daily_report_frequency": 3600}'):
        config = Config()
        config.add("general_settings", "alerting: [slack]", Mark(extra))
        cases.add("general_settings", "alerting", extra.split(":")[0], extra, config,
                  env={"SLACK_WEBHOOK_URL": "http://127.0.0.1:9/x"})


def _master_key(cases: Cases) -> None:
    """master_key of every kind, and no general_settings at all."""
    for value, env in (("os.environ/LITELLM_MASTER_KEY", {}),
                       ("os.environ/LITELLM_MASTER_KEY", {"LITELLM_MASTER_KEY": ""}),
                       ("os.environ/OTHER_MASTER", {}),
                       ("os.environ/OTHER_MASTER", {"OTHER_MASTER": "sk-other-1"}),
                       ("sk-1234", {}), ("''", {}), ("null", {"LITELLM_MASTER_KEY": ""}),
                       ("null", {}), ("1234", {}), ("[sk-a]", {}), ("!!int 7", {}),
                       ("${LITELLM_MASTER_KEY}", {})):
        config = Config()
        config.sections["general_settings"] = [Mark(f"master_key: {value}")]
        cases.add("general_settings", "master-key", "master_key", f"master_key: {value} "
                  f"{'(env ' + json.dumps(env) + ')' if env else ''}", config, env=env)
    config = Config()
    config.sections.pop("general_settings")
    cases.add("general_settings", "master-key", "master_key", "no general_settings at all",
              config)
    config = Config()
    config.sections.pop("general_settings")
    cases.add("general_settings", "master-key", "master_key", "no general_settings, no "
              "LITELLM_MASTER_KEY", config, env={"LITELLM_MASTER_KEY": ""})


def _database_and_values(cases: Cases) -> None:
    """database_url of every kind, then general_settings' other settings."""
    for value, env in (("postgresql://u:p@127.0.0.1:9/db", {}), ("os.environ/DATABASE_URL", {}),
                       ("os.environ/DATABASE_URL", {"DATABASE_URL": "postgresql://u@127.0.0.1:9/d"}),
                       ("mysql://127.0.0.1/x", {})):
        config = Config()
        config.add("general_settings", Mark(f"database_url: {fmt(value)}"))
        cases.add("general_settings", "database", "database_url", f"database_url: {value}",
                  config, env=env)
    for line in VALUES:
        config = Config()
        config.add("general_settings", Mark(line))
        cases.add("general_settings", "value", line.split(":")[0], line, config)
