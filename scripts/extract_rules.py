"""Extract validate's rules from the pinned litellm: `make rules` runs this in .venv-proxy.

litellm is 680 MB and takes seconds to import, so it is never a runtime dependency:
this script reads what `litellm-gen validate` needs out of the installed litellm
(its provider list, cost map, Router signature, settings fields, and the keys the
proxy's own source reads) and writes `generator/releases/rules.json`. tests/test_rules.py
runs it again against .venv-proxy and fails when the shipped file differs, so
moving to a newer proxy means rerunning `make rules` and reviewing the diff.

The readers are modules beside it: extract_source.py (the proxy's own source and the keys
it reads), extract_names.py (names and values litellm holds), extract_probes.py (callbacks,
caches and guardrails set up as the proxy does), extract_records.py (the recorded runs of
the release), extract_keys.py with extract_types.py (the type of every key). They import
litellm, so only this script imports them, after telling litellm to use its own cost map.

Usage: .venv-proxy/bin/python scripts/extract_rules.py [OUT]   (OUT "-" writes stdout)
"""
from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

# The proxy fetches the cost map from the network unless told otherwise; the rules must
# come from the pinned package, not from whatever main holds today.
os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"

import litellm  # noqa: E402
from litellm.caching.caching import LiteLLMCacheType  # noqa: E402
from litellm.types.router import GenericLiteLLMParams, LiteLLM_Params, ModelInfo  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(Path(__file__).resolve().parent), str(ROOT / "tests"), str(ROOT)]
from extract_keys import key_types  # noqa: E402
from extract_names import (  # noqa: E402
    cli_validate_config,
    compatible_endpoints,
    deprecations,
    literal_values,
    master_key_check,
    model_info_keys,
    numeric_fields,
    redis_client_args,
    request_params,
    routing_rules,
    unprefixed_models,
)
from extract_probes import (  # noqa: E402
    caches_needing_packages,
    caches_needing_params,
    callbacks_needing_packages,
    callbacks_refusing,
    guardrail_vendors,
)
from extract_records import recorded_behaviour, recorded_refusals  # noqa: E402
from extract_source import compared_literals, litellm_version, read_keys  # noqa: E402


def extract() -> dict:
    """Every rule, in the order the probes must run: the callback ones change litellm."""
    keys = read_keys()
    return {
        "litellm_version": litellm_version(),
        "top_level_keys": sorted(keys.top),
        "general_settings_keys": sorted(keys.general),
        "litellm_settings_keys": sorted(keys.settings),
        "router_settings_keys": sorted(keys.router),
        "router_settings_raising": keys.misplaced,
        "routing_strategies": literal_values(keys.strategy.annotation),
        "cache_types": sorted(t.value for t in LiteLLMCacheType),
        "builtin_callbacks": sorted(set(litellm._known_custom_logger_compatible_callbacks)
                                    | compared_literals(keys.callbacks, "callback")),
        "providers": sorted(keys.providers),
        "compatible_endpoints": compatible_endpoints(),
        "routing_rules": routing_rules(),
        "unprefixed_models": unprefixed_models(keys.providers),
        "model_modes": sorted({v["mode"] for v in litellm.model_cost.values()
                               if isinstance(v, dict) and isinstance(v.get("mode"), str)
                               and v["mode"].isidentifier()}),
        "model_info_tiers": literal_values(ModelInfo.model_fields["tier"].annotation),
        "numeric_litellm_params": numeric_fields(GenericLiteLLMParams, LiteLLM_Params),
        "deprecations": deprecations(),
        "caches_needing_packages": caches_needing_packages(),
        "caches_needing_params": caches_needing_params(),
        # With a database_url the proxy imports prisma, which litellm[proxy] does not install.
        "database_package_missing": importlib.util.find_spec("prisma") is None,
        "guardrail_vendors": guardrail_vendors(),
        "redis_client_args": redis_client_args(),
        "model_info_keys": model_info_keys(),
        "request_params": request_params(),
        "wrong_type_refuses": (refusals := recorded_refusals()),
        "lenient_params": refusals.pop("lenient_params"),
        "key_types": key_types(keys.top, keys.general, keys.settings, keys.router),
        "callbacks_needing_packages": callbacks_needing_packages(),
        "callbacks_refusing": callbacks_refusing(),
        "master_key_check": master_key_check(),
        "cli_validate_config": cli_validate_config(),
        **recorded_behaviour(),
    }


def main(argv: list[str]) -> int:
    out = argv[1] if len(argv) > 1 else str(ROOT / "generator" / "releases" / "rules.json")
    text = json.dumps(extract(), indent=1, sort_keys=True) + "\n"
    if out == "-":
        sys.stdout.write(text)
    else:
        Path(out).write_text(text, encoding="utf-8")
        print(f"wrote {out} from litellm {litellm_version()}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
