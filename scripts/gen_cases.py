"""Generated cases over the whole config surface, for the fast oracle (scripts/harness.py).

  python scripts/gen_cases.py OUT.jsonl

Deterministic, and needs no litellm: it reads the keys and their types from
generator/releases/rules.json ("key_types", which `make rules` extracts from the release) and
writes one case per line: a config in the shape of a real deployment with one change, or a
correct config of some shape. A case says which section and key it is about, what kind of
change it is (`kind`), the line the change is on (`line`), and `ignored`: true when by
construction the change is something the release does not read (a key it does not know in
that place). What the proxy then does is not guessed here: the harness records it. The
families of cases are the modules of scripts/case_families/.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from case_families.config import Cases  # noqa: E402
from case_families.documents import shapes, yaml_level  # noqa: E402
from case_families.general import general  # noqa: E402
from case_families.keys import entry_keys, section_keys  # noqa: E402
from case_families.litellm_settings import litellm_settings  # noqa: E402
from case_families.model_list import entries  # noqa: E402
from case_families.modules import guardrails, modules  # noqa: E402
from case_families.releases import release_differences  # noqa: E402
from case_families.router import router  # noqa: E402
from case_families.top_level import environment, includes, top_level  # noqa: E402

# The families in the order their cases are written: a case's id depends on it.
FAMILIES = (shapes, section_keys, entry_keys, top_level, entries, modules, guardrails, general,
            litellm_settings, router, environment, includes, yaml_level, release_differences)


def generate() -> list[dict]:
    """Every case, as the rows gen_cases writes (release_differences' marked `releases`)."""
    cases = Cases()
    for family in FAMILIES:
        before = len(cases.items)
        family(cases)
        for case in cases.items[before:] if family is release_differences else ():
            case.releases = True
    return [c.as_dict() for c in cases.items]


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else None
    rows = generate()
    text = "".join(json.dumps(r, sort_keys=True) + "\n" for r in rows)
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        print(f"wrote {len(rows)} cases to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
