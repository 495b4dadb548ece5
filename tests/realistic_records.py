"""The recorded realistic whole configs (scripts/gen_realistic.py), read as replay cases.

tests/oracle/realistic/cases.jsonl holds every case once (config, files, env, the mistakes
it was made with, whether it is held out); litellm-RELEASE.jsonl holds what that release's
own start-up did with each ({"id", "record"} a line, scripts/harness.py's record). Needs no
litellm.
"""
from __future__ import annotations

import json
from pathlib import Path

import oracle_replay

REALISTIC = Path(__file__).resolve().parent / "oracle" / "realistic"
RELEASES = ("1.100.0", "1.106.12", "1.110.2")


def cases(release: str) -> list[oracle_replay.Case]:
    """Every case with its record on `release`; kind is its part: development or held-out."""
    rows = [json.loads(line) for line in
            (REALISTIC / "cases.jsonl").read_text(encoding="utf-8").splitlines()]
    records = {row["id"]: row["record"] for row in map(json.loads, (
        REALISTIC / f"litellm-{release}.jsonl").read_text(encoding="utf-8").splitlines())}
    return [oracle_replay.Case(
        c["id"], "realistic", "held-out" if c["held_out"] else "development", c["config"],
        c["files"], c["env"], None, False, oracle_replay.Outcome.of_harness(records[c["id"]]),
        ", ".join(c["mistakes"]) or "clean", records[c["id"]].get("log", []))
        for c in rows]
