"""`module.attribute` references the proxy imports from the config's folder: callbacks,
hooks, custom providers, router plugins and guardrail classes (what the import finds is
read by pymodules, without running it).
"""
from __future__ import annotations

from typing import Callable

from generator.boundary.marked import value_of
from generator.validate import pymodules
from generator.validate.checks.context import Context, Source, env_name


def check_module_reference(source: Source, name: str, node, ctx: Context, *,
                           as_callback: bool = False) -> pymodules.Reference | None:
    """`module.attribute` the proxy imports from the config's folder (get_instance_fn)."""
    value = value_of(node)
    if not isinstance(value, str) or env_name(value) is not None:
        return None
    if value.startswith(("s3://", "gcs://")):
        return None
    reference = pymodules.resolve(value, ctx.config_folder, ctx.exists, ctx.read,
                                  _importable(ctx))
    if reference.problem:
        callback = name in ("callbacks", "success_callback", "failure_callback",
                            "audit_log_callbacks")
        rule = "module-broken" if reference.path is not None else \
            "callback-module-missing" if callback else "module-missing"
        ctx.add(source, node, rule,
                f"{name}: {value!r}: {reference.problem}; the proxy will not start")
    elif as_callback and pymodules.runs_as_callback(reference) is False:
        ctx.add(source, node, "callback-not-runnable",
                f"{name}: {value!r} is a {reference.kind if reference.kind != 'other' else 'value'}"
                ", neither a CustomLogger instance nor a function: the proxy will not start "
                "(\"resolved to ... which is neither a CustomLogger instance nor a callable\"); "
                "point it at an instance, e.g. proxy_handler_instance = YourLogger()")
    return reference


def _importable(ctx: Context) -> Callable[[str], bool]:
    """What a module beside the config may import besides litellm[proxy]'s environment: what
    the deployment installs; anything at all when PYTHONPATH may put the folder on the path."""
    if ctx.env.get("PYTHONPATH"):
        return lambda _name: True
    return lambda name: not ctx.lacks(name)
