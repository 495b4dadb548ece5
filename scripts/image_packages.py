"""The Python packages each litellm release carries, per extra: generator/releases/image-packages.json.

  python scripts/image_packages.py [RELEASE...]   (default: every release validate knows)

validate uses it where a callback or cache "needs the Python package X": the official
images (ghcr.io/berriai/litellm, litellm-database, litellm-non_root; `main-vR`,
`-stable` tags alike) carry what their Dockerfile installs, a pip install what its extras
carry.

Where the data comes from:
- each release's own requirements: the Requires-Dist of litellm==R's wheel on PyPI (its
  `core` dependencies and every extra), read with `pip install --dry-run --no-deps
  --report` (pip fetches the wheel's metadata alone, PEP 658). Markers are evaluated for
  Linux and Python 3.13, the images' interpreter.
- which extras the images install: the Dockerfiles of BerriAI/litellm (Dockerfile,
  docker/Dockerfile.database, docker/Dockerfile.non_root) install the image with
  `uv sync --frozen ... --extra proxy --extra proxy-runtime --extra extra_proxy
  --extra semantic-router` (later ones add saml, bedrock-realtime); the release's own
  pyproject.toml (sdist of 1.100.0) says the same: "images install via uv sync --frozen",
  proxy-runtime being what the images "historically bundled via requirements.txt".
  IMAGE_EXTRAS is the set every one of those Dockerfiles installs.
Packages that arrive only as dependencies of these (uv.lock, which no sdist or wheel
ships) are not listed: validate takes a package as carried only when a requirement names
it, so a package missing here keeps the pip install's verdict.

A development tool: never imported by the package.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from packaging.markers import default_environment  # noqa: E402
from packaging.requirements import Requirement  # noqa: E402

from generator.releases.rules import known_releases  # noqa: E402

OUT = ROOT / "generator" / "releases" / "image-packages.json"
IMAGE_EXTRAS = ["proxy", "proxy-runtime", "extra_proxy", "semantic-router"]
IMAGE_PYTHON = "3.13"


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def metadata(release: str) -> dict:
    """The wheel metadata of litellm==RELEASE, as pip reports it."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--no-deps",
                        "--ignore-installed", "--quiet", "--report", str(report),
                        f"litellm=={release}"], check=True, capture_output=True)
        (item,) = json.loads(report.read_text())["install"]
    found = item["metadata"]
    if found["version"] != release:
        raise SystemExit(f"pip reported litellm {found['version']} for {release}")
    return {"metadata": found, "url": item["download_info"]["url"]}


def packages(found: dict) -> tuple[list[str], dict[str, list[str]]]:
    """(core requirements, requirements of each extra), as normalized names."""
    environment = dict(default_environment(), sys_platform="linux", platform_system="Linux",
                       python_version=IMAGE_PYTHON, python_full_version=IMAGE_PYTHON + ".0")
    extras = {normalized(e): e for e in found.get("provides_extra", [])}
    core: set[str] = set()
    by_extra: dict[str, set[str]] = {name: set() for name in extras.values()}
    for line in found.get("requires_dist", []):
        requirement = Requirement(line)
        marker = requirement.marker
        if marker is None:
            core.add(normalized(requirement.name))
            continue
        for key, name in extras.items():
            if marker.evaluate(dict(environment, extra=key)) and not marker.evaluate(
                    dict(environment, extra="")):
                by_extra[name].add(normalized(requirement.name))
        if marker.evaluate(dict(environment, extra="")):
            core.add(normalized(requirement.name))
    return sorted(core), {k: sorted(v) for k, v in sorted(by_extra.items())}


def main(releases: list[str]) -> None:
    data = json.loads(OUT.read_text()) if OUT.exists() else {}
    stored = data.get("releases", {})
    for release in releases:
        found = metadata(release)
        core, extras = packages(found["metadata"])
        missing = [e for e in IMAGE_EXTRAS if e not in extras]
        if missing:
            print(f"litellm {release} has no extra {', '.join(missing)}", file=sys.stderr)
        stored[release] = {"from": found["url"].rsplit("/", 1)[-1], "core": core,
                           "extras": extras}
        print(f"litellm {release}: {len(core)} core packages, {len(extras)} extras")
    out = {
        "how": ("each release's `core` and `extras`: the Requires-Dist of its own wheel on "
                "PyPI (`from`), markers for Linux and Python 3.13; `image_extras`: the extras "
                "every uv-based Dockerfile of BerriAI/litellm installs (uv sync --extra ...), "
                "as litellm 1.100.0's pyproject.toml says its images do; a release validate "
                "knows but this file lacks takes the nearest earlier one; packages that come "
                "only as dependencies of these are not listed (scripts/image_packages.py)"),
        "image_extras": IMAGE_EXTRAS, "python": IMAGE_PYTHON,
        "releases": dict(sorted(stored.items(), key=lambda kv: [int(p) for p in
                                                                kv[0].split(".")])),
    }
    OUT.write_text(json.dumps(out, indent=1, sort_keys=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:] or known_releases())
