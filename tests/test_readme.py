"""The terminal sessions of the README and the manual are what a fresh clone prints.

Each ```console block after a `<!-- session -->` comment in README.md or a page of docs/ is
a session: lines starting with `$ ` are commands, the lines after each one are what it
prints (standard output and error, as a terminal shows them). A page's sessions run in
order in one scratch copy of the checkout (its tracked files and the new ones git does not
ignore), as a new user types them: no OPENAI_API_KEY or LITELLM_MASTER_KEY set, an
80-column terminal, `.venv/bin` not on the PATH until a session runs
`source .venv/bin/activate` (a `source`, `export` or `cd` carries over to the page's later
commands, as in one shell). `.venv/bin/litellm-gen` there is this checkout's command
(`python -m generator` on the copy), so `make` finds it set up and installs nothing. A page
of docs/ starts where the README's first session ends: `make config` has run and `.venv` is
active.

Every page runs twice, before and after `make test`: once without `.venv-proxy`, once with
one that holds litellm 1.100.0. What a page shows must not depend on it.

The presets' deprecation date (2026-05-12) has passed on the day the samples were
recorded; on a clock before it, the lines about it are left out of the comparison.
UPDATE_README=1 writes what the commands print now into the pages (read the diff).
"""
from __future__ import annotations

import datetime as _dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("**/*.md"))]
SESSION = re.compile(r"<!-- session -->\n```console\n(.*?)```\n", re.S)
DEPRECATION = _dt.date(2026, 5, 12)
# Shell commands whose effect lasts for the rest of a page, as in one terminal.
CARRIED = re.compile(r"^(source|\.|export|cd) ")
DOCS_SETUP = ["make config >/dev/null 2>&1", "source .venv/bin/activate"]


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


def fresh_clone(where: Path, *, proxy_venv: bool) -> Path:
    """This checkout's files, and a .venv whose litellm-gen is this code; with `proxy_venv`,
    the .venv-proxy `make test` installs (litellm 1.100.0), as far as litellm-gen can see."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=ROOT, capture_output=True,
                            check=True).stdout.decode().split("\0")
    clone = where / "litellm-gen"
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, clone / name)
    bin_dir = clone / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    command = bin_dir / "litellm-gen"
    command.write_text(f'#!/bin/sh\nPYTHONPATH="{clone}" exec "{sys.executable}" -m generator '
                       '"$@"\n')
    command.chmod(0o755)
    (bin_dir / "activate").write_text(f'export VIRTUAL_ENV="{clone / ".venv"}"\n'
                                      'export PATH="$VIRTUAL_ENV/bin:$PATH"\n')
    (bin_dir / ".installed").touch()  # newer than its prerequisites: make installs nothing
    if proxy_venv:
        site = clone / ".venv-proxy" / "lib" / "python3.11" / "site-packages"
        (site / "litellm-1.100.0.dist-info").mkdir(parents=True)
        (clone / ".venv-proxy" / ".installed").touch()
    return clone


def run(command: str, clone: Path, carried: list[str]) -> str:
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENAI_API_KEY", "LITELLM_MASTER_KEY", "MAKEFLAGS", "MAKELEVEL",
                        "VIRTUAL_ENV")}
    env.update(COLUMNS="80", PATH=os.pathsep.join(
        p for p in env["PATH"].split(os.pathsep) if not p.startswith(str(ROOT))))
    script = "".join(f"{line}\n" for line in carried) + command
    done = subprocess.run(["bash", "-c", script], cwd=clone, env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
    return done.stdout.rstrip("\n")


def comparable(text: str) -> str:
    if _dt.date.today() >= DEPRECATION:
        return text
    return "\n".join(line for line in text.splitlines() if "deprecat" not in line)


def replay(page: Path, clone: Path) -> tuple[str, list[str]]:
    """The page with what its sessions print now, and the mismatches."""
    text = page.read_text(encoding="utf-8")
    carried = [] if page == README else list(DOCS_SETUP)
    for setup in carried[:1]:
        run(setup, clone, [])
    updated, mismatches = text, []
    for block, steps in sessions(text):
        lines = []
        for command, expected in steps:
            printed = run(command, clone, carried)
            if CARRIED.match(command):
                carried.append(command)
            lines += [f"$ {command}", *([printed] if printed else [])]
            if comparable(printed) != comparable(expected):
                mismatches.append(f"{page.relative_to(ROOT)}: $ {command}\n--- shown\n"
                                  f"{expected}\n--- printed\n{printed}")
        updated = updated.replace(block.group(0), "<!-- session -->\n```console\n"
                                  + "\n".join(lines) + "\n```\n", 1)
    return updated, mismatches


WITH_SESSIONS = [page for page in PAGES if SESSION.search(page.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("proxy_venv", [False, True], ids=["before-make-test", "after-make-test"])
@pytest.mark.parametrize("page", WITH_SESSIONS, ids=[str(p.relative_to(ROOT))
                                                     for p in WITH_SESSIONS])
def test_the_sessions_are_what_a_fresh_clone_prints(tmp_path: Path, page: Path,
                                                    proxy_venv: bool) -> None:
    clone = fresh_clone(tmp_path, proxy_venv=proxy_venv)
    updated, mismatches = replay(page, clone)
    if os.environ.get("UPDATE_README") == "1" and not proxy_venv:
        page.write_text(updated, encoding="utf-8")
    assert not mismatches, "\n\n".join(mismatches)


def test_the_readme_and_the_manual_have_sessions() -> None:
    assert len(sessions(README.read_text(encoding="utf-8"))) >= 3
    assert len(WITH_SESSIONS) >= 4, "the manual's samples are marked <!-- session -->"


def test_the_readme_names_the_first_runs_cost() -> None:
    text = " ".join(README.read_text(encoding="utf-8").split())
    sentence = re.search(r"The first `make test` takes .*?\. [A-Z]", text)
    assert sentence, "the README says what the first `make test` costs"
    for environment in (".venv-proxy", ".venv-proxy-1.106.12", ".venv-lowest", ".venv-npm"):
        assert f"`{environment}`" in sentence.group(0), environment
    assert re.search(r"first `make config` takes [^.]*MB[^.]*`\.venv`", text)
