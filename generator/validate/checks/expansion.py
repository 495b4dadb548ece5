"""Alias bombs: a config whose aliases expand to more values than the proxy's start-up can
walk, judged by counting (for the whole config and for each model_list entry as it is read).
"""
from __future__ import annotations

from generator.boundary import marked
from generator.validate.checks.context import Context, Source

# Values the proxy's start-up walks one by one (resolving os.environ/): measured on litellm
# 1.100.0 at about 1.5 million a second, a billion is over ten minutes of start-up.
WALK_LIMIT = 1_000_000_000
# 9**9 values (387,420,489) in one entry's litellm_params: no answer in 200 s (recorded).
SLOW_WALK_LIMIT = 300_000_000


def check_expansion(source: Source, node, ctx: Context) -> None:
    """An alias bomb: judged by counting, never by expanding (validate answers at once)."""
    limit, found = WALK_LIMIT, marked.expanding_node(node, ctx.walked, WALK_LIMIT)
    if found is None:  # counted apart: a memo's counts stop at the cap they were made with
        limit = SLOW_WALK_LIMIT
        found = marked.expanding_node(node, ctx.walked.setdefault("slow", {}), limit)
    if found is None or ("reported", id(found)) in ctx.walked:
        return  # one finding per bomb, however many entries and sections use it
    ctx.walked[("reported", id(found))] = 0
    ctx.add(source, found, "alias-expansion",
            f"the aliases here expand to more than {limit:,} values; PyYAML builds them "
            "as shared references, but the proxy's start-up walks every value of the expanded "
            "config (resolving os.environ/): it never finishes starting (recorded: no answer "
            f"in {180 if limit == WALK_LIMIT else 200} s); write the values out, or anchor "
            "only small values")
