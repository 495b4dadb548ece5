"""What the installed litellm does when set up as the proxy sets it up at start-up.

Each probe sets up a callback, a cache or a guardrail as the proxy's start-up does, and
notes what refuses: a missing package, a missing parameter, a missing variable (set in
turn until it is set up). Imported by extract_rules.py; the callback probes change
litellm's global callback lists, so extract_rules runs them after the rest.
"""
from __future__ import annotations

import contextlib
import inspect
import os
import re

import litellm
from extract_source import PROXY_DIR, compared_literals, function_source
from litellm.caching.caching import LiteLLMCacheType


def callbacks_needing_packages() -> dict[str, str]:
    """Built-in callbacks the proxy cannot start with, because litellm[proxy] lacks a package.

    Each is set up as the proxy does at start-up; only a missing module counts (the
    others may fail later for want of credentials, which is not a start-up failure).
    Runs last: it changes litellm's global callback lists.
    """
    from litellm.proxy.common_utils.callback_utils import initialize_callbacks_on_proxy

    out = {}
    for callback in sorted(set(litellm._known_custom_logger_compatible_callbacks)):
        try:
            initialize_callbacks_on_proxy(value=[callback], premium_user=False,
                                          config_file_path=None, litellm_settings={})
        except ModuleNotFoundError as exc:
            out[callback] = exc.name or str(exc)
        except Exception:  # noqa: BLE001 - not a missing package
            continue
    return out


def callbacks_refusing() -> dict[str, dict]:
    """Built-in `callbacks:` names the proxy will not start with, set up as it does.

    {"error": the refusal's first line, "env": variables that, set, let it start}. Runs
    after callbacks_needing_packages, for the same reason (it changes litellm's lists).
    """
    from litellm.proxy.common_utils.callback_utils import initialize_callbacks_on_proxy

    names = set(litellm._known_custom_logger_compatible_callbacks)
    source = function_source(PROXY_DIR / "common_utils" / "callback_utils.py",
                             "initialize_callbacks_on_proxy")
    names |= compared_literals(source, "callback")

    def attempt(callback: str, env: dict) -> str | None:
        with environment(env):
            try:
                initialize_callbacks_on_proxy(value=[callback], premium_user=False,
                                              config_file_path=None, litellm_settings={})
                return None
            except RuntimeError as exc:
                if "event loop" in str(exc):
                    return None  # it needs the proxy's running loop, which a start-up has
                return f"{type(exc).__name__}: {exc}".split("\n")[0][:160]
            except Exception as exc:  # noqa: BLE001 - what would stop the proxy
                return f"{type(exc).__name__}: {exc}".split("\n")[0][:160]

    out = {}
    for callback in sorted(names):
        error = attempt(callback, {})
        if error is None:
            continue
        entry = {"error": error}
        names: set[str] = set()
        for _round in range(3):  # each refusal names the next variable it lacks
            found = set(re.findall(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9]\b", error or ""))
            if not found - names:
                break
            names |= found
            error = attempt(callback, {n: "http://127.0.0.1:9" for n in names})
            if error is None:
                entry["env"] = sorted(names)
                break
        out[callback] = entry
    return out


def caches_needing_packages() -> dict[str, str]:
    """Cache types the proxy cannot start with from litellm[proxy] alone, and what it says."""
    from litellm.caching.caching import Cache

    out = {}
    for kind in LiteLLMCacheType:
        try:
            Cache(type=kind.value)
        except ModuleNotFoundError as exc:
            named = re.search(r"`([^`]+)`", str(exc))  # "Please install litellm[caching]"
            out[kind.value] = exc.name or (named.group(1) if named else str(exc))
        except Exception:  # noqa: BLE001 - missing parameters, not a missing package
            continue
    return out


def caches_needing_params() -> dict[str, dict]:
    """Cache types litellm refuses to set up without a parameter: which, and what it says.

    Each type is set up as the proxy does (Cache(**cache_params)) with no parameters; a
    parameter the refusal names is required when giving it a value changes the refusal.
    """
    from litellm.caching.caching import Cache

    names = [p for p in inspect.signature(Cache.__init__).parameters
             if p not in ("self", "type", "kwargs")]
    out = {}
    for kind in LiteLLMCacheType:
        message = _cache_refusal(Cache, kind.value, {})
        if message is None:
            continue
        said = re.sub(r"[^a-z_]+", "_", message.lower())
        for name in names:
            # qdrant_collection_name is "collection_name", azure_account_url "Account URL"
            short = name.split("_", 1)[1] if "_" in name else name
            if (name in said or ("_" in short and short in said)) and \
                    _cache_refusal(Cache, kind.value, {name: _placeholder(name)}) != message:
                out.setdefault(kind.value, {"message": message, "params": []})
                out[kind.value]["params"].append(name)
    return out


def _cache_refusal(cache_class, kind: str, params: dict) -> str | None:
    try:
        cache_class(type=kind, **params)
    except ModuleNotFoundError:
        return None  # a missing package: caches_needing_packages
    except Exception as exc:  # noqa: BLE001 - what the proxy's start-up would stop on
        return str(exc)
    return None


def _placeholder(name: str):
    return 0.8 if "threshold" in name else "placeholder"



@contextlib.contextmanager
def environment(env: dict):
    """os.environ with `env` set, put back after (a probe sets a vendor's variables)."""
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value



def guardrail_vendors() -> dict[str, dict]:
    """Each `guardrail:` vendor, set up as the proxy does with only `guardrail` and `mode`.

    "ok": it is set up; "skipped": the proxy logs "invalid configuration" and starts without
    it (it needs more litellm_params); "refuses": the proxy does not start, and `env` names
    the variables whose absence the refusal names (set, the vendor is set up or skipped).
    """
    from litellm.proxy.guardrails.guardrail_registry import IN_MEMORY_GUARDRAIL_HANDLER
    from litellm.types.guardrails import SupportedGuardrailIntegrations

    router = litellm.Router(model_list=[])  # as the proxy passes its own

    def attempt(vendor: str, env: dict) -> tuple[str, str]:
        with environment(env):
            try:
                IN_MEMORY_GUARDRAIL_HANDLER.initialize_guardrail(
                    guardrail={"guardrail_name": f"probe-{vendor}",
                               "litellm_params": {"guardrail": vendor, "mode": "pre_call"}},
                    config_file_path=None, llm_router=router, source="config")
                return "ok", ""
            except (ValueError, TypeError):
                return "skipped", ""
            except Exception as exc:  # noqa: BLE001 - what would stop the proxy
                return "refuses", str(exc)

    out = {}
    for vendor in sorted(v.value for v in SupportedGuardrailIntegrations):
        state, message = attempt(vendor, {})
        entry: dict = {"alone": state}
        if state == "refuses":
            entry["error"] = message.split("\n")[0][:160]
        names: set[str] = set()
        for _round in range(3):  # a refusal names one variable; set, the next may be named
            if state != "refuses":
                break
            found = set(re.findall(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9]\b", message)) - names
            if not found:
                break
            names |= found
            state, message = attempt(vendor, {n: "http://127.0.0.1:9" for n in names})
            if state != "refuses":
                entry["env"] = sorted(names)
        out[vendor] = entry
    return out

