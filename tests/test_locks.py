"""Every environment the Makefile makes installs exactly what a lock file in the repository says.

A fresh clone in a year must install what was tested today: nothing here asks a registry
what is newest. The locks are requirements/*.txt (uv pip compile --generate-hashes, via
`make lock` = scripts/lock.py) and requirements/npm/package-lock.json.
"""
from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
REQ = ROOT / "requirements"
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s\\;]+)")


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements_of(lock: Path) -> list[tuple[str, str, list[str]]]:
    """(name, version, hashes) for each requirement of a lock file."""
    found, current = [], None
    for line in lock.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("--hash="):
            assert current is not None, f"{lock.name}: a hash before any requirement"
            current[2].append(stripped.removeprefix("--hash=").rstrip(" \\"))
            continue
        match = PIN.match(stripped)
        assert match, f"{lock.name}: {stripped!r} is not an exact pin (name==version)"
        current = (normal(match.group(1)), match.group(3), [])
        found.append(current)
    return found


def locks() -> list[Path]:
    return sorted(REQ.glob("*.txt"))


def test_every_lock_pins_exact_versions_each_with_its_hashes() -> None:
    assert {p.name for p in locks()} >= {"uv.txt", "dev.txt", "lowest.txt",
                                          "lowest-newest-click.txt", "proxy-1.100.0.txt",
                                          "proxy-1.106.12.txt", "constraints.txt"}
    for lock in locks():
        if lock.name == "constraints.txt":
            continue
        pins = requirements_of(lock)
        assert pins, lock.name
        for name, version, hashes in pins:
            assert hashes and all(h.startswith("sha256:") for h in hashes), (lock.name, name)


def test_the_makefile_installs_only_from_locks() -> None:
    """No install command resolves anything: pip and uv take a lock with --require-hashes
    and --no-deps (the project itself alone, --no-deps), npm runs `npm ci`."""
    commands = [line.strip() for line in MAKEFILE.splitlines()
                if re.search(r"\b(pip|npm)\b.*\binstall\b|\bnpm ci\b|\$\(LOCKED\)", line)]
    assert commands, "the Makefile installs nothing?"
    locked = re.search(r"^LOCKED := (.*)$", MAKEFILE, re.M).group(1)
    assert "--require-hashes" in locked and "--no-deps" in locked
    for command in commands:
        if "npm" in command:
            assert "npm ci" in command and "npm install" not in command, command
        elif "$(LOCKED)" in command:
            assert re.search(r"\$\(LOCKED\) (requirements/\S+\.txt|\$<|\$\(2\))", command), command
        elif "-e ." in command:
            assert "--no-deps" in command and "--no-build-isolation" in command, command
        else:
            assert "--require-hashes" in command and "-r requirements/" in command, command


def test_the_dev_lock_holds_every_declared_dependency_in_its_range() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        declared += extra
    pinned = {name: version for name, version, _ in requirements_of(REQ / "dev.txt")}
    for text in declared:
        requirement = Requirement(text)
        name = normal(requirement.name)
        assert name in pinned, f"{name} is declared in pyproject.toml but not in dev.txt"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (text, pinned[name])


def test_the_lowest_lock_holds_the_declared_lower_bounds() -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    import lowest_deps

    pinned = {name: version for name, version, _ in requirements_of(REQ / "lowest.txt")}
    for pin in lowest_deps.pins(str(ROOT / "pyproject.toml")):
        name, version = pin.split("==")
        assert Version(pinned[normal(name)]) == Version(version), (name, pinned.get(normal(name)))


def test_each_proxy_lock_is_the_release_the_makefile_names() -> None:
    for variable in ("BASE_RELEASE", "NEWER_RELEASE"):
        release = re.search(rf"^{variable} := (\S+)", MAKEFILE, re.M).group(1)
        pinned = dict((n, v) for n, v, _ in requirements_of(REQ / f"proxy-{release}.txt"))
        assert pinned["litellm"] == release, (variable, pinned["litellm"])
        # The constraints every proxy environment shares are in force in the lock.
        assert pinned["redis"].split(".")[:2] < ["8", "2"], pinned["redis"]


def test_the_shipped_rules_name_the_lock_they_were_extracted_in() -> None:
    """rules.json is what the base release does in the environment of its lock: a lock that
    changed without `make rules` fails here (and test_rules re-extracts to prove it)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import lock as lock_script

    from generator.releases.rules import BASE, environment_locks

    assert environment_locks(BASE) == lock_script.lock_record(REQ / f"proxy-{BASE}.txt")
    newer = re.search(r"^NEWER_RELEASE := (\S+)", MAKEFILE, re.M).group(1)
    assert environment_locks(newer) == lock_script.lock_record(REQ / f"proxy-{newer}.txt")


def test_npm_tools_come_from_their_lock() -> None:
    package = json.loads((REQ / "npm" / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((REQ / "npm" / "package-lock.json").read_text(encoding="utf-8"))
    for name, version in package["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), (name, version)  # exact, no range
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
    for path, entry in lock["packages"].items():
        if path:
            assert entry.get("integrity", "").startswith("sha512-"), path
