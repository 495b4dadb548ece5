"""The lock files every environment of the Makefile installs from (`make lock`).

  python scripts/lock.py            compile each lock that is missing or whose input changed,
                                    keeping every pin that still fits
  python scripts/lock.py --upgrade  take the newest version of everything the inputs allow
  python scripts/lock.py --check    exit 1 when a lock no longer fits its input (writes nothing)

Each lock is exact (`name==version`, every file's sha256): the Makefile installs it with
`uv pip install --require-hashes --no-deps`, so an environment made in a year holds what was
tested today. What changed is printed package by package ("redis 8.1.0 -> 8.2.0"); review it,
run `make test`, and after a proxy lock changed, `make rules` (rules.json records the lock it
was extracted from, and a test holds them together).

The inputs: pyproject.toml's extras for .venv, requirements/*.in for the others, with
requirements/constraints.txt applied to the proxy environments.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQ = ROOT / "requirements"
PYTHON_VERSION = "3.11"
COMPILE_COMMAND = "make lock"


def _lowest_pins() -> list[str]:
    """Each `>=X` lower bound of [project] dependencies as `==X` (what test-lowest runs)."""
    sys.path.insert(0, str(ROOT / "tests"))
    import lowest_deps

    return lowest_deps.pins(str(ROOT / "pyproject.toml"))


def _dev_pins(names: list[str]) -> list[str]:
    """The versions dev.txt holds for `names`: the lowest environment tests with the same tools."""
    held = pins_of(REQ / "dev.txt")
    return [f"{name}=={held[name]}" for name in names]


# lock file -> (how its input is made, extra arguments to `uv pip compile`)
def locks() -> dict[str, tuple[list[str] | Path, list[str]]]:
    project = ROOT / "pyproject.toml"
    extras = sorted(tomllib.loads(project.read_text())["project"]["optional-dependencies"])
    extra_args = [a for extra in extras for a in ("--extra", extra)]
    tools = ["pytest", "hypothesis", "setuptools", "wheel"]
    return {
        "uv.txt": (REQ / "uv.in", []),
        "dev.txt": (project, extra_args),
        "proxy-1.100.0.txt": (REQ / "proxy-1.100.0.in", ["-c", str(REQ / "constraints.txt")]),
        "proxy-1.106.12.txt": (REQ / "proxy-1.106.12.in", ["-c", str(REQ / "constraints.txt")]),
        # The declared lower bounds, and the lowest click the lowest typer allows (a direct
        # requirement resolved to its lowest version); the tools at dev.txt's versions.
        "lowest.txt": (lambda: _lowest_pins() + ["click"] + _dev_pins(tools),
                       ["--resolution", "lowest-direct"]),
        "lowest-newest-click.txt": (["click"], []),
    }


def pins_of(lock: Path) -> dict[str, str]:
    """`name==version` lines of a lock file, by normalised name."""
    if not lock.exists():
        return {}
    found = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s\\;]+)",
                       lock.read_text(), re.M)
    return {re.sub(r"[-_.]+", "-", name).lower(): version for name, version in found}


def _uv() -> str:
    found = shutil.which("uv", path=str(ROOT / ".venv" / "bin")) or shutil.which("uv")
    if not found:
        raise SystemExit("uv not found: run `make .venv/bin/.installed` first")
    return found


def compile_lock(name: str, source, args: list[str], *, upgrade: bool, out: Path) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        if callable(source) or isinstance(source, list):
            lines = source() if callable(source) else source
            source = Path(scratch) / (Path(name).stem + ".in")
            source.write_text("\n".join(lines) + "\n")
        current = REQ / name
        if current.exists() and not upgrade:
            shutil.copy(current, out)  # uv keeps the pins of an existing output that still fit
        command = [_uv(), "pip", "compile", "--quiet", "--python-version", PYTHON_VERSION,
                   "--generate-hashes", "--no-build", "--custom-compile-command",
                   COMPILE_COMMAND, "--no-strip-extras", *args, str(source), "-o", str(out)]
        if upgrade:
            command.append("--upgrade")
        env = dict(os.environ, UV_NO_CONFIG="1", UV_PYTHON_DOWNLOADS="never")
        subprocess.run(command, check=True, cwd=ROOT, env=env)
        text = out.read_text()
        # The input's path as written in the annotations: relative, the same on every machine.
        text = text.replace(str(source), source.name if scratch in str(source)
                            else str(source.relative_to(ROOT)))
        out.write_text(text)


def release_lock(release: str, *, core_of: str | None = None) -> Path:
    """The lock of a litellm release's environment for `make rules`, compiled if missing.

    requirements/proxy-R.txt: litellm[proxy]==R and everything it needs. With `core_of`
    (a release whose proxy extra does not install here), requirements/core-R.txt: the core
    wheel alone (--no-deps) plus the packages its code imports that core_of's environment
    lacks, installed over core_of's own lock.
    """
    if core_of is None:
        name, lines, args = f"proxy-{release}.txt", [f"litellm[proxy]=={release}"], [
            "-c", str(REQ / "constraints.txt")]
    else:
        name, lines, args = f"core-{release}.txt", [
            f"litellm=={release}", "semver", "backports-zstd"], ["--no-deps"]
    target = REQ / name
    if not target.exists():
        compile_lock(name, lines, args, upgrade=False, out=target)
    return target


def lock_record(*locks: Path) -> dict[str, str]:
    """What rules-releases.json keeps of the locks an extraction ran in: path -> sha256."""
    import hashlib

    return {str(lock.relative_to(ROOT)): hashlib.sha256(lock.read_bytes()).hexdigest()
            for lock in locks}


def changes(old: dict[str, str], new: dict[str, str]) -> list[str]:
    lines = []
    for name in sorted(old.keys() | new.keys()):
        if old.get(name) != new.get(name):
            lines.append(f"  {name} {old.get(name, '(none)')} -> {new.get(name, '(removed)')}")
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--upgrade", action="store_true")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("only", nargs="*", help="lock files to compile (default: all)")
    args = parser.parse_args(argv)
    stale = 0
    for name, (source, extra) in locks().items():
        if args.only and name not in args.only:
            continue
        with tempfile.TemporaryDirectory() as scratch:
            out = Path(scratch) / name
            compile_lock(name, source, extra, upgrade=args.upgrade, out=out)
            target = REQ / name
            diff = changes(pins_of(target), pins_of(out))
            same = target.exists() and target.read_text() == out.read_text()
            if same:
                print(f"requirements/{name}: unchanged")
                continue
            stale += 1
            print(f"requirements/{name}: " + ("would change" if args.check else "changed"))
            print("\n".join(diff) if diff else "  (hashes or annotations only)")
            if not args.check:
                shutil.copy(out, target)
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
