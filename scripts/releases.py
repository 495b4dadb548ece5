"""Every litellm release validate knows: install it, record the generated cases, extract rules.

  python scripts/releases.py list
  python scripts/releases.py record [RELEASE...]   the generated cases through the release's
        own start-up code (scripts/harness.py), kept compactly as tests/oracle/generated/
        litellm-RELEASE.diff.jsonl (only what differs from the base release's outcome)
  python scripts/releases.py rules [RELEASE...]    extract each release's rules from its own
        code (scripts/extract_rules.py) and write generator/rules.json (the base) and
        generator/rules-releases.json (each later release as a difference)

How a release runs here (HOW): litellm[proxy]==R installs from the registry up to 1.106.x,
each in .venv-proxy-R. From 1.108 on, the proxy extra needs packages the registry lacks:
the release's core wheel is installed with --no-deps over litellm[proxy]==1.106.12's
environment (.venv-proxy-core, one release at a time), plus semver and backports-zstd,
which its code imports. litellm-enterprise and litellm-proxy-extras then stay at
1.106.12's versions: a change that lives only in those packages is not seen.
The base release, 1.100.0, is the one the Makefile pins (.venv-proxy).

Environments are ~680 MB each; RELEASES_KEEP=1 keeps them after use (default: a
.venv-proxy-R made here is removed once its release is recorded and extracted).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "scripts")]

import oracle_records  # noqa: E402

from generator.release_rules import pack, version_key  # noqa: E402

BASE = oracle_records.BASE
# The last patch of every minor line from the base on, every patch of the 1.108 long-term
# support line, and the newest (pip index versions litellm: no 1.107 was ever published).
PROXY_RELEASES = ["1.100.5", "1.101.6", "1.102.4", "1.103.11", "1.104.9", "1.105.7",
                  "1.106.12"]
CORE_RELEASES = [f"1.108.{n}" for n in range(15)] + ["1.109.3", "1.110.2"]
# Recorded on every case; the releases between them on the cases that tell releases apart
# (tests/oracle_records.py telling_ids): ~1,500 cases instead of ~4,700, at ~0.2 s each.
FULL_RELEASES = [BASE, "1.106.12", "1.108.14", "1.110.2"]
CORE_BASE = "1.106.12"
CORE_EXTRA = ["semver", "backports-zstd"]
HOW_PROXY = "recorded: litellm[proxy]=={release} installed from the registry"
HOW_CORE = ("recorded: the litellm {release} core installed --no-deps over "
            "litellm[proxy]==" + CORE_BASE + " (+ semver, backports-zstd); litellm-enterprise "
            "and litellm-proxy-extras at " + CORE_BASE + "'s versions")
HOW_BASE = "recorded: litellm[proxy]==" + BASE + " (the base; full starts of the proxy too)"


def releases() -> list[str]:
    return [BASE] + PROXY_RELEASES + CORE_RELEASES


def how(release: str) -> str:
    if release == BASE:
        return HOW_BASE
    return (HOW_CORE if release in CORE_RELEASES else HOW_PROXY).format(release=release)


def _pip(venv: Path, *args: str) -> None:
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", *args],
                   check=True)


def _installed(venv: Path) -> str | None:
    for dist in (venv / "lib").glob("python*/site-packages/litellm-*.dist-info"):
        return dist.name.split("-")[1].removesuffix(".dist")
    return None


def environment(release: str) -> tuple[Path, bool]:
    """The environment `release` runs in, installed if need be; (venv, made here)."""
    if release == BASE:
        return ROOT / ".venv-proxy", False
    if release in PROXY_RELEASES:
        venv = ROOT / f".venv-proxy-{release}"
        if _installed(venv) != release:
            shutil.rmtree(venv, ignore_errors=True)
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            _pip(venv, f"litellm[proxy]=={release}")
            return venv, True
        return venv, False
    venv = ROOT / ".venv-proxy-core"
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        _pip(venv, f"litellm[proxy]=={CORE_BASE}")
        _pip(venv, *CORE_EXTRA)
    if _installed(venv) != release:
        _pip(venv, "--no-deps", "--force-reinstall", f"litellm=={release}")
    return venv, False


SUBSET = ("the cases whose outcome differs between the fully recorded releases ("
          + ", ".join(FULL_RELEASES) + ") and those made to tell releases apart")


def record(release: str, jobs: int) -> None:
    venv, made = environment(release)
    with tempfile.TemporaryDirectory(prefix="litellm-records-") as scratch:
        full = Path(scratch) / f"litellm-{release}.jsonl"
        out = None if release == BASE else full
        command = [sys.executable, str(ROOT / "scripts" / "oracle.py"), "generated", str(venv),
                   "--jobs", str(jobs)] + (["--out", str(out)] if out else [])
        subset = None
        if release not in FULL_RELEASES:
            missing = [r for r in FULL_RELEASES if r not in oracle_records.recorded_releases()]
            if missing:
                raise SystemExit(f"record {', '.join(missing)} first: {release} is recorded on "
                                 "the cases where they differ")
            ids = Path(scratch) / "ids"
            ids.write_text("\n".join(oracle_records.telling_ids(FULL_RELEASES)) + "\n")
            command += ["--only", str(ids)]
            subset = SUBSET
        subprocess.run(command, check=True)
        if out is not None:
            rows = [json.loads(line) for line in full.read_text(encoding="utf-8").splitlines()]
            oracle_records.diff_path(release).write_text(
                oracle_records.compact(release, how(release), rows, subset), encoding="utf-8")
    _done_with(venv, made)


def extract(release: str) -> dict:
    venv, made = environment(release)
    run = subprocess.run([str(venv / "bin" / "python"), str(ROOT / "scripts" /
                                                           "extract_rules.py"), "-"],
                         check=True, capture_output=True, text=True)
    _done_with(venv, made)
    return json.loads(run.stdout)


def _done_with(venv: Path, made: bool) -> None:
    if made and not os.environ.get("RELEASES_KEEP"):
        shutil.rmtree(venv, ignore_errors=True)


def write_rules(extracted: dict[str, dict]) -> None:
    base = extracted[BASE]
    (ROOT / "generator" / "rules.json").write_text(
        json.dumps(base, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    later = {r: d for r, d in extracted.items() if r != BASE}
    packed = pack(base, later, {r: how(r) if r in oracle_records.recorded_releases() else
                                "extracted from the release's code; no recorded runs"
                                for r in extracted})
    (ROOT / "generator" / "rules-releases.json").write_text(
        json.dumps(packed, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[1] not in ("list", "record", "rules"):
        print(__doc__, file=sys.stderr)
        return 2
    chosen = argv[2:] or releases()
    unknown = sorted(set(chosen) - set(releases()))
    if unknown:
        raise SystemExit(f"not releases this script knows: {unknown} (add them to "
                         "PROXY_RELEASES or CORE_RELEASES)")
    chosen = sorted(chosen, key=version_key)
    if argv[1] == "list":
        for release in chosen:
            print(f"{release}\t{how(release)}")
        return 0
    if argv[1] == "record":
        for release in chosen:
            print(f"== {release}", file=sys.stderr, flush=True)
            record(release, int(os.environ.get("JOBS", "2")))
        return 0
    # The base and the differences are written together: a release not named keeps the
    # rules the package has for it.
    from generator.release_rules import known_releases, release_data

    extracted = {r: release_data(r) for r in known_releases() if r in releases()}
    for release in chosen:
        print(f"== rules of {release}", file=sys.stderr, flush=True)
        extracted[release] = extract(release)
    write_rules(extracted)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
