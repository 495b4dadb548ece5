"""Realistic whole configs, for holding validate to files no rule was written from.

  python scripts/gen_realistic.py OUT.jsonl        the cases, one a line
  python scripts/gen_realistic.py --split          which case ids are held out
  python scripts/gen_realistic.py record VENV...   write tests/oracle/realistic/cases.jsonl and
        record every case with the fast oracle (scripts/harness.py, one worker) in each VENV's
        litellm: tests/oracle/realistic/litellm-RELEASE.jsonl ({"id", "record"} a line)

Deterministic (seeded) and needs no litellm. Where scripts/gen_cases.py changes one key
of a fixed config, each case here is a whole deployment: several entries of several
providers, settings sections drawn together, sometimes split over `include:` files,
written as YAML or as JSON, with none to three mistakes of the kinds operators make
(credentials, includes, keys under the wrong parent, callback modules and what they
import, values whose meaning changed between releases, common slips) placed at once so
that they interact. What the proxy does with each is not guessed: `record` above runs
each case through the proxy's own code on every release (tests/oracle/realistic/).

The held-out part is fixed by the case id alone, before any record is read: a case whose
id's sha256 is 0 mod 5 (HELD_OUT) was never looked at while writing a rule.
"""
from __future__ import annotations

import hashlib
import json
import random
import sys
from pathlib import Path

import yaml
from realistic_kinds.draft import base_draft
from realistic_kinds.first import CLASSES
from realistic_kinds.second import SECOND
from realistic_kinds.third import THIRD

SEED = 28
COUNT = 300


def held_out(case_id: str) -> bool:
    """The fixed held-out part: about a fifth of the cases, chosen by the id's hash."""
    return int(hashlib.sha256(case_id.encode()).hexdigest(), 16) % 5 == 0


# --- writing the files ---------------------------------------------------------------------

HEADER = ["# LiteLLM proxy config", "# managed by the platform team; restart the proxy after "
          "editing"]


def render_yaml(data: dict, rng: random.Random, header: bool = True) -> str:
    style = rng.choice([dict(indent=2), dict(indent=4)])
    body = yaml.safe_dump(data, sort_keys=False, default_flow_style=False, width=100, **style)
    if rng.random() < 0.5:  # an operator's blank line between sections
        body = "\n".join(("\n" + line) if line and not line[0].isspace() and i else line
                         for i, line in enumerate(body.split("\n")))
    return ("\n".join(HEADER) + "\n" if header else "") + body


def render(data: dict, rng: random.Random, as_json: bool) -> str:
    if as_json:
        return json.dumps(data, indent=rng.choice([2, 4])) + "\n"
    return render_yaml(data, rng)


def case(number: int, rng: random.Random, kinds: dict = CLASSES) -> dict:
    draft = base_draft(rng)
    count = rng.choices([0, 1, 2, 3], weights=[3, 3, 3, 2])[0]
    classes = rng.sample(sorted(kinds), count)
    for name in classes:
        mistake = rng.choice(kinds[name])
        mistake(draft)
        draft.mistakes.append(mistake.__name__)
    as_json = rng.random() < 0.2
    files = {name: render(content, rng, rng.random() < 0.3)
             for name, content in draft.files.items()}
    files.update(draft.texts)
    slug = "-".join(m.split("_", 1)[0] for m in draft.mistakes) or "clean"
    case_id = f"r{number:03d}-{slug}"
    return {"id": case_id, "config": render(draft.main, rng, as_json), "files": files,
            "env": draft.env, "format": "json" if as_json else "yaml",
            "mistakes": draft.mistakes, "held_out": held_out(case_id)}


def generate(count: int = COUNT, seed: int = SEED) -> list[dict]:
    """The first batch (the first kinds), a second of as many cases drawing on every kind,
    a third of half as many that adds more; each from its own seed, so adding a batch
    changes none of the ones before."""
    rng = random.Random(seed)
    first = [case(n, rng) for n in range(count)]
    every = {name: kinds + SECOND.get(name, []) for name, kinds in CLASSES.items()}
    rng = random.Random(seed + 1)
    second = [case(count + n, rng, every) for n in range(count)]
    # The third: every kind, the third batch's new ones twice as likely.
    every = {name: kinds + 2 * THIRD.get(name, []) for name, kinds in every.items()}
    rng = random.Random(seed + 2)
    return first + second + [case(2 * count + n, rng, every) for n in range(count // 2)]


ROOT = Path(__file__).resolve().parent.parent
REALISTIC = ROOT / "tests" / "oracle" / "realistic"
LOG = 3  # log lines kept of a start-up that stopped: the first say why


def _kept(record: dict) -> dict:
    """A record as stored: without its timing, and with a log only where it stopped."""
    record = {k: v for k, v in record.items() if k != "seconds"}
    record["log"] = [line[:200] for line in record.get("log", [])[:LOG]] \
        if record.get("started") is False else []
    return record


def record(venvs: list[str]) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    import harness
    from oracle import _release_of

    cases = generate()
    REALISTIC.mkdir(parents=True, exist_ok=True)
    asked = [{k: c[k] for k in ("id", "config", "files", "env")} for c in cases]
    before = {}  # a case recorded before with the same files and env keeps its record
    if (REALISTIC / "cases.jsonl").exists():
        before = {c["id"]: c for c in map(json.loads, (REALISTIC / "cases.jsonl").read_text(
            encoding="utf-8").splitlines())}
    (REALISTIC / "cases.jsonl").write_text(
        "".join(json.dumps(c, sort_keys=True) + "\n" for c in cases), encoding="utf-8")
    for venv in venvs:
        release = _release_of(venv)
        out = REALISTIC / f"litellm-{release}.jsonl"
        known = {r["id"]: r["record"] for r in map(json.loads, out.read_text(
            encoding="utf-8").splitlines())} if out.exists() else {}
        todo = [c for c in asked if c["id"] not in known or _changed(c, before.get(c["id"]))]
        records = {r["id"]: r for r in harness.run_cases(
            todo, venv=venv, jobs=1, timeout=60, log_path="/dev/null")}
        rows = []
        for case in asked:
            row = _kept(records.get(case["id"]) or known[case["id"]])
            row.pop("id", None)
            rows.append(json.dumps({"id": case["id"], "record": row}, sort_keys=True))
        (REALISTIC / f"litellm-{release}.jsonl").write_text("\n".join(rows) + "\n",
                                                           encoding="utf-8")
        print(f"{release}: {len(rows)} cases", file=sys.stderr)


def _changed(case: dict, before: dict | None) -> bool:
    return before is None or any(case[k] != before[k] for k in ("config", "files", "env"))


def main(argv: list[str]) -> int:
    if argv[1:2] == ["record"]:
        record(argv[2:])
        return 0
    cases = generate()
    if argv[1:2] == ["--split"]:
        for c in cases:
            print(c["id"], "held-out" if c["held_out"] else "development")
        return 0
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    Path(argv[1]).write_text("".join(json.dumps(c, sort_keys=True) + "\n" for c in cases),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
