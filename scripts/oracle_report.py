"""Write the README's validate agreement table from the replay of every recorded case.

  python scripts/oracle_report.py          rewrite the block in README.md
  python scripts/oracle_report.py --check  exit 1 when README.md's block is not current

The numbers are the ones tests/test_generated_oracle.py computes (tests/oracle_replay.py):
validate run on each recorded case and judged against what the proxy did.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import oracle_replay  # noqa: E402


def main(argv: list[str]) -> int:
    verdicts = oracle_replay.replay(oracle_replay.generated_cases()
                                    + oracle_replay.folder_cases())
    block = oracle_replay.render_agreement(verdicts)
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    start = text.index(oracle_replay.README_START)
    end = text.index(oracle_replay.README_END) + len(oracle_replay.README_END)
    new = text[:start] + block + text[end:]
    if "--check" in argv:
        return 0 if new == text else 1
    if new != text:
        readme.write_text(new, encoding="utf-8")
        print("README.md: agreement table rewritten", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
