"""The top-level guardrails list, as the proxy sets each guardrail up (init_guardrails_v2):
its shape, its vendor, and what the vendor needs to start.
"""
from __future__ import annotations

from generator.boundary.marked import Mapping, Scalar, Sequence, key_of, value_of
from generator.validate.checks.context import Context, Source, did_you_mean, is_null
from generator.validate.checks.module_references import check_module_reference


def check_guardrails(source: Source, value, ctx: Context) -> None:
    """The top-level guardrails list, as init_guardrails_v2 sets each one up."""
    if is_null(value):
        return
    if not isinstance(value, Sequence):
        ctx.add(source, value, "guardrail-shape",
                "guardrails must be a list (- guardrail_name: ..., litellm_params: ...): the "
                "proxy will not start")
        return
    vendors = ctx.rules.guardrail_vendors
    for item in value.items:
        if not isinstance(item, Mapping):
            ctx.add(source, item, "guardrail-shape",
                    "each guardrails item must be a mapping with guardrail_name and "
                    "litellm_params: the proxy will not start")
            continue
        params = item.get("litellm_params")
        for needed in ("guardrail_name", "litellm_params"):
            if needed not in item:
                ctx.add(source, item, "guardrail-shape",
                        f"this guardrail has no {needed}: the proxy will not start "
                        f"(KeyError: '{needed}')")
                break
        else:
            if not isinstance(params, Mapping):
                ctx.add(source, item.key("litellm_params"), "guardrail-shape",
                        "the guardrail's litellm_params must be a mapping: the proxy will not "
                        "start")
                continue
            _check_guardrail(source, item, params, vendors, ctx)


def _check_guardrail(source: Source, item: Mapping, params: Mapping, vendors: dict,
                     ctx: Context) -> None:
    name = item.get("guardrail_name")
    label = f"guardrail {value_of(name)!r}" if isinstance(name, Scalar) else "this guardrail"
    vendor_node = params.get("guardrail")
    missing = [k for k in ("guardrail", "mode") if params.get(k) is None]
    if missing:
        ctx.add(source, item.key("litellm_params"), "guardrail-skipped",
                f"{label} has no litellm_params.{missing[0]}: the proxy skips it (\"invalid "
                f"configuration, proxy is starting WITHOUT this guardrail\"); add {missing[0]}")
        return
    vendor = value_of(vendor_node) if isinstance(vendor_node, Scalar) else None
    if not isinstance(vendor, str):
        return
    given = {key_of(k) for k, _v in params.items()}
    if vendor in vendors:
        probe = vendors[vendor]
        needs = probe.get("env", [])
        bare = not given - {"guardrail", "mode", "default_on", "guardrail_name"}
        if probe["alone"] == "refuses" and needs and bare \
                and not all(ctx.env.get(n) for n in needs):
            unset = [n for n in needs if not ctx.env.get(n)]
            which = (("which is" if len(needs) == 1 else "which are") if unset == needs else
                     f"and {', '.join(unset)} {'is' if len(unset) == 1 else 'are'}")
            ctx.add(source, vendor_node, "guardrail-needs-env",
                    f"{label}: the {vendor} guardrail needs {' and '.join(needs)}, {which} "
                    "not set here: the proxy will not start; set them where the proxy runs (or "
                    "give the settings in litellm_params)")
        elif probe["alone"] == "refuses" and not needs and bare:
            ctx.add(source, vendor_node, "guardrail-needs-env",
                    f"{label}: the {vendor} guardrail needs more than guardrail and mode: the "
                    f"proxy will not start ({probe.get('error', 'recorded')})")
        elif probe["alone"] == "skipped" and not given - {"guardrail", "mode", "default_on"}:
            ctx.add(source, vendor_node, "guardrail-skipped",
                    f"{label}: the {vendor} guardrail needs more litellm_params than guardrail"
                    " and mode: the proxy skips it (\"invalid configuration, proxy is starting "
                    "WITHOUT this guardrail\"); add its settings (api_base, api_key, ...)")
        return
    if "." in vendor:
        reference = check_module_reference(source, "guardrail", vendor_node, ctx)
        if reference is not None and reference.problem is None and \
                reference.kind in ("instance", "function", "other"):
            ctx.add(source, vendor_node, "guardrail-skipped",
                    f"{label}: {vendor!r} is not a class: the proxy skips the guardrail; "
                    "point guardrail at a CustomGuardrail subclass (module.ClassName)")
        return
    guess = did_you_mean(vendor, frozenset(vendors))
    ctx.add(source, vendor_node, "unknown-guardrail",
            f"{label}: {vendor!r} is not a guardrail LiteLLM has: the proxy skips it and starts "
            "WITHOUT this guardrail" + (f"; did you mean {guess}?" if guess else
                                        "; use a LiteLLM guardrail or module.ClassName"))
