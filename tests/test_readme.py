"""The README's terminal sessions are what a fresh clone prints.

Each ```console block after a `<!-- session -->` comment in README.md is a session: lines
starting with `$ ` are commands, the lines after each one are what it prints (standard
output and error, as a terminal shows them). The sessions run in order in one scratch copy
of the checkout's tracked files, as a new user types them: no OPENAI_API_KEY or
LITELLM_MASTER_KEY set, an 80-column terminal. `.venv/bin/litellm-gen` there is this
checkout's command (`python -m generator` on the copy), so `make` finds it set up and the
scratch copy installs nothing.

The presets' deprecation date (2026-05-12) has passed on the day the samples were
recorded; on a clock before it, the lines about it are left out of the comparison.
UPDATE_README=1 writes what the commands print now into the README (read the diff).
"""
from __future__ import annotations

import datetime as _dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SESSION = re.compile(r"<!-- session -->\n```console\n(.*?)```\n", re.S)
DEPRECATION = _dt.date(2026, 5, 12)


def sessions(text: str) -> list[tuple[re.Match, list[tuple[str, str]]]]:
    """(the block, [(command, what it prints)]) for each session block."""
    found = []
    for block in SESSION.finditer(text):
        steps: list[tuple[str, list[str]]] = []
        for line in block.group(1).splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            else:
                steps[-1][1].append(line)
        found.append((block, [(cmd, "\n".join(out)) for cmd, out in steps]))
    return found


def fresh_clone(where: Path) -> Path:
    """The tracked files of this checkout, and a .venv whose litellm-gen is this code."""
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                             check=True).stdout.decode().split("\0")
    clone = where / "litellm-gen"
    for name in filter(None, tracked):
        if (ROOT / name).is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, clone / name)
    bin_dir = clone / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    command = bin_dir / "litellm-gen"
    command.write_text(f'#!/bin/sh\nPYTHONPATH="{clone}" exec "{sys.executable}" -m generator '
                       '"$@"\n')
    command.chmod(0o755)
    (bin_dir / ".installed").touch()  # newer than pyproject.toml: make installs nothing
    return clone


def run(command: str, clone: Path) -> str:
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENAI_API_KEY", "LITELLM_MASTER_KEY", "MAKEFLAGS", "MAKELEVEL")}
    env.update(COLUMNS="80", PATH=f"{clone / '.venv' / 'bin'}{os.pathsep}{env['PATH']}")
    done = subprocess.run(["bash", "-c", command], cwd=clone, env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
    return done.stdout.rstrip("\n")


def comparable(text: str) -> str:
    if _dt.date.today() >= DEPRECATION:
        return text
    return "\n".join(line for line in text.splitlines() if "deprecat" not in line)


def test_readme_sessions_are_what_a_fresh_clone_prints(tmp_path: Path) -> None:
    text = README.read_text(encoding="utf-8")
    found = sessions(text)
    assert len(found) >= 3, "the README's sessions are marked <!-- session -->"
    clone = fresh_clone(tmp_path)
    updated, mismatches = text, []
    for block, steps in found:
        lines = []
        for command, expected in steps:
            printed = run(command, clone)
            lines += [f"$ {command}", *([printed] if printed else [])]
            if comparable(printed) != comparable(expected):
                mismatches.append(f"$ {command}\n--- README\n{expected}\n--- printed\n{printed}")
        updated = updated.replace(block.group(0), "<!-- session -->\n```console\n"
                                  + "\n".join(lines) + "\n```\n", 1)
    if os.environ.get("UPDATE_README") == "1":
        README.write_text(updated, encoding="utf-8")
    assert not mismatches, "\n\n".join(mismatches)


def test_the_readme_names_the_first_make_tests_cost() -> None:
    text = README.read_text(encoding="utf-8")
    assert re.search(r"first `make test`[^.]*about 10 minutes[^.]*680 MB", text, re.S)
