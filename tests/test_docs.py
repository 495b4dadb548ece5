"""The manual (docs/, built by mkdocs) and the README, as a reader meets them.

- the build is strict: a broken link or a page left out of the navigation fails it;
- the rule and release tables are built from the data (scripts/docs_tables.py, a mkdocs
  hook): the built pages hold every registered rule and every known release;
- the README is a first read: short, no line over 100 characters outside code blocks;
- user documentation tells what the tool does, never the history of its making;
- every `litellm-gen` command the README or the manual shows names a real command and
  real options (the sessions' output is compared by tests/test_readme.py).
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
import typer

from generator.cli.app import app
from generator.releases.rules import known_releases
from generator.validate.registry import RULES

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = Path(sys.executable).parent / "mkdocs"
README = ROOT / "README.md"
PAGES = sorted((ROOT / "docs").glob("**/*.md"))
CODE = re.compile(r"^```.*?^```", re.S | re.M)


def build(tmp_path: Path, docs: Path | None = None) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of this project's mkdocs.yml (on a copy of docs/ if given)."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("docs_dir: docs", f"docs_dir: {docs or ROOT / 'docs'}")
    config = config.replace("site_dir: build/site", f"site_dir: {tmp_path / 'site'}")
    hook = ROOT / "scripts" / "docs_tables.py"
    config = config.replace("  - scripts/docs_tables.py", f"  - {hook}")
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(config, encoding="utf-8")
    return subprocess.run([str(MKDOCS), "build", "--strict", "-f", str(config_file)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"})


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    where = tmp_path_factory.mktemp("docs")
    done = build(where)
    assert done.returncode == 0, done.stdout + done.stderr
    return where / "site"


def text_of(html: Path) -> str:
    return re.sub(r"<[^>]+>", "", html.read_text(encoding="utf-8"))


def test_the_rules_page_holds_every_registered_rule(site: Path) -> None:
    html = (site / "rules" / "index.html").read_text(encoding="utf-8")
    rows = dict(re.findall(r"<tr>\s*<td><code>([a-z0-9-]+)</code></td>\s*<td>(error|warning)",
                           html))
    assert rows == {name: rule.severity for name, rule in RULES.items()}


def test_the_releases_page_holds_every_known_release(site: Path) -> None:
    page = text_of(site / "releases" / "index.html")
    for release in known_releases():
        assert re.search(rf"(^|\s){re.escape(release)}(\s|$)", page), release


def _docs_copy(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    return docs


def test_a_broken_link_fails_the_build(tmp_path: Path) -> None:
    docs = _docs_copy(tmp_path)
    with (docs / "merge.md").open("a", encoding="utf-8") as page:
        page.write("\nSee [the missing page](missing.md).\n")
    done = build(tmp_path, docs)
    assert done.returncode != 0 and "missing.md" in done.stdout + done.stderr


def test_a_page_missing_from_the_navigation_fails_the_build(tmp_path: Path) -> None:
    docs = _docs_copy(tmp_path)
    (docs / "orphan.md").write_text("# Orphan\n", encoding="utf-8")
    done = build(tmp_path, docs)
    assert done.returncode != 0 and "orphan.md" in done.stdout + done.stderr


def test_a_table_marker_with_no_table_fails_the_build(tmp_path: Path) -> None:
    docs = _docs_copy(tmp_path)
    with (docs / "rules.md").open("a", encoding="utf-8") as page:
        page.write("\n<!-- table: rulez -->\n")
    done = build(tmp_path, docs)
    assert done.returncode != 0 and "rulez" in done.stdout + done.stderr


def prose(text: str) -> list[str]:
    return CODE.sub("", text).splitlines()


def test_the_readme_is_a_first_read() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 300
    long = [line for line in prose(text) if len(line) > 100 and not line.startswith("|")]
    assert not long, long
    first = text.split("\n## ")[0]
    assert "make config" in first and "make test" in first
    for how in (".venv/bin/litellm-gen", "source .venv/bin/activate", "pip install .",
                "pip install litellm_gen-*.whl"):
        assert how in text, how


# Words of a changelog; an issue of another project (LiteLLM's) is a reference, not history.
HISTORY = re.compile(r"(?<!LiteLLM )\bissue \d+|'s review\b|\bthe review\b|\bearlier\b|"
                     r"\bnow also\b|\bused to\b|\bas before\b", re.I)


@pytest.mark.parametrize("page", [README, *PAGES], ids=lambda p: str(p.relative_to(ROOT)))
def test_user_documentation_tells_no_history(page: Path) -> None:
    found = [line for line in prose(page.read_text(encoding="utf-8")) if HISTORY.search(line)]
    assert not found, found


def _commands() -> dict[str, click.Command]:
    group = typer.main.get_command(app)
    return dict(group.commands)


def _shown_invocations() -> list[tuple[str, list[str]]]:
    """(where, argv after `litellm-gen`) for every litellm-gen command in a code block."""
    found = []
    for page in [README, *PAGES]:
        for block in CODE.findall(page.read_text(encoding="utf-8")):
            for line in block.splitlines()[1:-1]:
                line = line.removeprefix("$ ").split("  #")[0]
                for part in re.split(r"\||;|&&", line):
                    words = part.split()
                    if words and words[0] in ("litellm-gen", ".venv/bin/litellm-gen"):
                        found.append((f"{page.name}: {part.strip()}", words[1:]))
    return found


def test_every_command_shown_names_real_options() -> None:
    commands = _commands()
    shown = _shown_invocations()
    assert len(shown) > 20
    wrong = []
    for where, argv in shown:
        argv = [a for a in argv if a not in ("-q", "--quiet")] if argv[:1] == ["-q"] else argv
        if not argv or argv[0].startswith("-"):
            continue  # litellm-gen --help, --version, --install-completion
        command = commands.get(argv[0])
        if command is None:
            wrong.append(f"{where}: no command {argv[0]}")
            continue
        options = {name for param in command.params for name in
                   getattr(param, "opts", []) + getattr(param, "secondary_opts", [])}
        options |= {"--help", "-h"}
        for word in argv[1:]:
            name = word.split("=")[0]
            if name.startswith("-") and name != "-" and name not in options:
                wrong.append(f"{where}: {argv[0]} has no option {name}")
    assert not wrong, "\n".join(wrong)
