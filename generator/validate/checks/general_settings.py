"""general_settings: its keys, the database, the hooks (custom_auth, ...), alerting, the
coordination Redis, and the master key the proxy starts with (or refuses to start without).
"""
from __future__ import annotations

from dataclasses import dataclass

from generator.boundary.marked import Mapping, Scalar, data_of, value_of
from generator.validate import lax
from generator.validate.checks.context import Context, Source, env_name, is_null, truthy
from generator.validate.checks.module_references import check_module_reference
from generator.validate.checks.sections import check_section_keys


def check_general_settings(source: Source, section: Mapping, ctx: Context) -> None:
    """One general_settings section; the master key the proxy ends up with is check_master_key's."""
    check_section_keys(source, section, ctx.rules.general_settings_keys, "general_settings",
                       ctx)
    url = section.get("database_url")
    url_text = value_of(url) if isinstance(url, Scalar) else None
    env = env_name(url_text)
    if env is not None:
        url_text = ctx.env.get(env)
    if url_text and ctx.rules.database_package_missing and ctx.lacks("prisma"):
        ctx.add(source, url, "database-needs-package",
                "with a database_url the proxy needs the prisma package (and its generated "
                f"client), which {ctx.packaging.described} does not install"
                f"{ctx.packaging.assumption}: the proxy will not start; run it from the "
                "litellm-database image or install prisma there")
    key = section.get("master_key")
    env = env_name(value_of(key)) if isinstance(key, Scalar) else None
    if env is not None and not ctx.env.get(env) and ctx.rules.data.get("master_key_check"):
        pass  # the release refuses to start without it: check_master_key says so
    elif env is not None and not ctx.env.get(env):
        ctx.add(source, key, "master-key-unset",
                f"master_key reads {env}, which is not set here: the proxy starts without a "
                f"master key, open to anyone who reaches it; set {env} or pass --env-file")
    elif key is not None and not is_null(key) and not (
            isinstance(key, Scalar) and isinstance(value_of(key), str)):
        loaded = value_of(key) if isinstance(key, Scalar) else data_of(key)
        ctx.add(source, key, "setting-type",
                f"general_settings.master_key is {lax.kind_of(loaded)}, not a string: the "
                "proxy will not start (it calls master_key.startswith); quote it, or better "
                "write os.environ/LITELLM_MASTER_KEY")
    for hook in _HOOKS:
        node = section.get(hook)
        if isinstance(node, Scalar) and isinstance(value_of(node), str):
            check_module_reference(source, hook, node, ctx)
        elif node is not None and not is_null(node):
            ctx.add(source, node, "setting-type",
                    f"general_settings.{hook} must be a module.attribute string: the proxy "
                    "will not start")
    _check_alerting(source, section, ctx)
    coordination = section.get("coordination_redis")
    if coordination is not None and not is_null(coordination):
        if not isinstance(coordination, Mapping):
            ctx.add(source, section.key("coordination_redis"), "setting-type",
                    "general_settings.coordination_redis must be a mapping of Redis connection "
                    "settings: the proxy will not start")
        elif not any(k in coordination for k in ("host", "url", "startup_nodes",
                                                  "sentinel_nodes")):
            ctx.add(source, section.key("coordination_redis"), "setting-type",
                    "general_settings.coordination_redis needs host, url, startup_nodes or "
                    "sentinel_nodes: the proxy will not start")
    buffer = section.get("use_redis_transaction_buffer")
    if isinstance(buffer, Scalar) and value_of(buffer) is True and not ctx.redis_configured:
        ctx.add(source, buffer, "setting-refused",
                "use_redis_transaction_buffer is on but no Redis is configured (a redis cache "
                "in litellm_settings, coordination_redis, or REDIS_HOST): the proxy will not "
                "start; configure Redis or remove the setting")


_HOOKS = ("custom_auth", "custom_key_generate", "custom_key_update", "custom_sso",
          "custom_ui_sso_sign_in_handler", "custom_team_metadata_validate")


def _check_alerting(source: Source, section: Mapping, ctx: Context) -> None:
    alerting = section.get("alerting")
    if alerting is None or is_null(alerting):
        return
    loaded = value_of(alerting) if isinstance(alerting, Scalar) else data_of(alerting)
    items = loaded if isinstance(loaded, list) else [loaded]
    if "slack" in items and not ctx.env.get("SLACK_WEBHOOK_URL"):
        ctx.add(source, alerting, "slack-webhook-unset",
                "alerting names slack, but SLACK_WEBHOOK_URL is not set here: the proxy starts "
                "and sends no alert; set SLACK_WEBHOOK_URL where the proxy runs")
    if isinstance(loaded, str):
        ctx.add(source, alerting, "setting-type-ignored",
                f"general_settings.alerting is a string: write a list, alerting: [{loaded}]")


def master_key_note(root: Mapping, misspelled, ctx: Context) -> str:
    """What a misspelled general_settings costs when it holds the master_key."""
    has_key = isinstance(misspelled, Mapping) and "master_key" in misspelled
    if "general_settings" in root or not has_key:
        return ""
    if ctx.env.get("LITELLM_MASTER_KEY"):
        return " and the master_key in it: only LITELLM_MASTER_KEY opens the proxy"
    return " and starts without a master key, open to anyone who reaches it"


def check_master_key(main: Source, merged: dict, ctx: Context) -> None:
    """No master key at all: the proxy starts open, every request is let in (recorded).

    The proxy takes general_settings.master_key when the key is there (even empty), else
    LITELLM_MASTER_KEY; custom_auth or JWT auth still guard it.
    """
    sections = merged.get("general_settings", [])
    source, settings = sections[-1] if sections else (main, None)
    settings = settings if isinstance(settings, Mapping) else None
    check = ctx.rules.data.get("master_key_check")
    if check:
        _check_master_key_at_start(main, source, settings, check, ctx)
        return
    _check_public_master_key(main, source, settings, ctx)
    if settings is not None and (settings.get("custom_auth") is not None
                                 or truthy(settings.get("enable_jwt_auth"))):
        return
    if settings is not None and "master_key" in settings:
        if not is_null(settings.get("master_key")):
            return  # set in the file; master-key-unset covers an unset variable
        ctx.add(source, settings.key("master_key"), "no-master-key",
                "master_key is empty: the proxy starts without a master key (it does not fall "
                "back to LITELLM_MASTER_KEY), open to anyone who reaches it; write master_key: "
                "os.environ/LITELLM_MASTER_KEY")
        return
    if ctx.env.get("LITELLM_MASTER_KEY"):
        return
    ctx.add(main, None, "no-master-key",
            "there is no general_settings.master_key and LITELLM_MASTER_KEY is not set here: the"
            " proxy starts without a master key, open to anyone who reaches it; write "
            "master_key: os.environ/LITELLM_MASTER_KEY under general_settings and set it")


def _master_key_in_use(main: Source, source: Source, settings: Mapping | None,
                       ctx: Context) -> tuple[object, str | None, Source, object, str] | None:
    """(the key the proxy takes, the variable it came from, where, node, what) or None when
    the file's master_key is not a string (setting-type says so).

    general_settings.master_key when the key is there (even empty; os.environ/NAME resolved,
    unset NAME giving none), else LITELLM_MASTER_KEY.
    """
    if settings is not None and "master_key" in settings:
        node = settings.get("master_key")
        loaded = value_of(node) if isinstance(node, Scalar) else data_of(node)
        if loaded is not None and not isinstance(loaded, str):
            return None
        env = env_name(loaded)
        if env is not None:
            return ctx.env.get(env), env, source, node, f"master_key reads {env}, which"
        return loaded, None, source, node if loaded is not None else settings.key(
            "master_key"), "general_settings.master_key"
    at = settings.start_mark if settings is not None else None
    return ctx.env.get("LITELLM_MASTER_KEY"), "LITELLM_MASTER_KEY", source if at else main, \
        _At(at) if at else None, "there is no general_settings.master_key and " \
        "LITELLM_MASTER_KEY, which"


@dataclass(frozen=True)
class _At:
    """A place to point a finding at that is not a node of its own (a section's start)."""
    start_mark: object


def _weakness(key, known: frozenset) -> str | None:
    import hashlib

    if key is None:
        return "is not set here"
    if not str(key).strip():
        return "is empty"
    if hashlib.sha256(str(key).strip().encode()).hexdigest() in known:
        return "is a publicly known key (the example key of LiteLLM's docs)"
    return None


_PUBLIC_KEYS = frozenset({"88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b"})


def _check_public_master_key(main: Source, source: Source, settings: Mapping | None,
                             ctx: Context) -> None:
    """A release without the start-up check runs with an empty or publicly known key."""
    found = _master_key_in_use(main, source, settings, ctx)
    if found is None or found[0] is None:
        return  # none at all: no-master-key / master-key-unset say it starts open
    key, _env, where_source, node, what = found
    weak = _weakness(key, _PUBLIC_KEYS)
    if weak:
        ctx.add(where_source, node, "master-key-insecure",
                f"{what} {weak}: the proxy starts with it, and it guards nothing; set a "
                "generated key (openssl rand -hex 32)")


def _check_master_key_at_start(main: Source, source: Source, settings: Mapping | None,
                               check: dict, ctx: Context) -> None:
    """A release that refuses an unset, empty or publicly known master key at start-up
    (litellm/proxy/auth/master_key_boot_check.py), unless its setting or variable permits."""
    found = _master_key_in_use(main, source, settings, ctx)
    if found is None:
        return
    key, env, where_source, node, what = found
    weak = _weakness(key, frozenset(check["known_sha256"]))
    if weak is None:
        return
    permit = settings.get(check["setting"]) if settings is not None else None
    permitted = (isinstance(permit, Scalar) and value_of(permit) is True) or \
        str(ctx.env.get(check["env"], "")).strip().lower() == "true"
    release = ctx.rules.litellm_version
    if permitted:
        if key is not None:
            ctx.add(where_source, node, "master-key-insecure",
                    f"{what} {weak}, which {check['setting']} lets litellm {release} start "
                    "with: it guards nothing; set a generated key (openssl rand -hex 32)")
        else:
            ctx.add(where_source, node, "no-master-key",
                    f"{what} {weak}; {check['setting']} lets litellm {release} start without "
                    "a master key, open to anyone who reaches it; set it to a generated key")
        return
    fix = (f"set {env} where the proxy runs to a generated key (openssl rand -hex 32)"
           if env else "write master_key: os.environ/LITELLM_MASTER_KEY and set that variable"
           " to a generated key")
    # From a variable, the verdict depends on where validate runs; a literal does not.
    rule = "master-key-refused" if env is not None else "master-key-weak"
    ctx.add(where_source, node, rule,
            f"{what} {weak}: litellm {release} refuses to start with no, an empty or a "
            f"publicly known master key; {fix} (for local development only, "
            f"general_settings.{check['setting']}: true or {check['env']}=true starts it "
            "anyway)")
