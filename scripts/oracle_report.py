"""Write the manual's validate agreement tables from the replay of every recorded case.

  python scripts/oracle_report.py          rewrite the blocks in docs/evidence.md
  python scripts/oracle_report.py --check  exit 1 when docs/evidence.md's blocks are not current

The numbers are the ones tests/test_generated_oracle.py computes (tests/oracle_replay.py):
validate run on each recorded case and judged against what the proxy did.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import oracle_replay  # noqa: E402


def _replace(text: str, start_marker: str, end_marker: str, block: str) -> str:
    start = text.index(start_marker)
    end = text.index(end_marker) + len(end_marker)
    return text[:start] + block + text[end:]


def main(argv: list[str]) -> int:
    import oracle_records
    from test_release_oracle import explained

    from generator.releases.rules import known_releases

    base = oracle_replay.replay(oracle_replay.generated_cases())
    verdicts = base + oracle_replay.replay(oracle_replay.folder_cases())
    by_release = {oracle_records.BASE: base}
    for release in oracle_records.recorded_releases()[1:]:
        by_release[release] = oracle_replay.replay(oracle_replay.release_cases(release))
    page = ROOT / "docs" / "evidence.md"
    text = page.read_text(encoding="utf-8")
    new = _replace(text, oracle_replay.README_START, oracle_replay.README_END,
                   oracle_replay.render_agreement(verdicts))
    new = _replace(new, oracle_replay.RELEASES_START, oracle_replay.RELEASES_END,
                   oracle_replay.render_releases(by_release, {r: set(explained(r))
                                                              for r in known_releases()}))
    if "--check" in argv:
        return 0 if new == text else 1
    if new != text:
        page.write_text(new, encoding="utf-8")
        print("docs/evidence.md: agreement tables rewritten", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
