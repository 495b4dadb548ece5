"""Every litellm release validate knows: install it, record the generated cases, extract rules.

  python scripts/releases.py list
  python scripts/releases.py record [RELEASE...]   the generated cases through the release's
        own start-up code (scripts/harness.py), kept compactly as tests/oracle/generated/
        litellm-RELEASE.diff.jsonl (only what differs from the base release's outcome)
  python scripts/releases.py presets [RELEASE...] every preset through the release's own
        start-up (scripts/oracle.py presets; default: the base, 1.106.12 and the newest)
  python scripts/releases.py extract [RELEASE...] only extract, into RELEASES_EXTRACTED=FOLDER
        (which `rules` then reads instead of extracting again)
  python scripts/releases.py rules [RELEASE...]    extract each release's rules from its own
        code (scripts/extract_rules.py) and write generator/releases/rules.json (the base) and
        generator/releases/rules-releases.json (each later release as a difference)

How a release runs here (HOW): litellm[proxy]==R installs from the registry up to 1.106.x,
each in .venv-proxy-R, but for 1.103.11 and 1.104.9. From 1.108 on (and for those two),
the proxy extra needs packages the registry lacks:
the release's core wheel is installed with --no-deps over litellm[proxy]==1.106.12's
environment (.venv-proxy-core, one release at a time), plus semver and backports-zstd,
which its code imports. litellm-enterprise and litellm-proxy-extras then stay at
1.106.12's versions: a change that lives only in those packages is not seen.
The base release, 1.100.0, is the one the Makefile pins (.venv-proxy).

Which cases (record): the base and 1.106.12 on every case; the newest on the cases that
tell releases apart and every release-sensitive one (tests/oracle_records.py); a release
between recorded ones on the cases where they differ. A release extracted but not recorded
takes what its start-up does with values and shapes from a recorded patch of its own minor
line, else the newest recorded release before it, and rules-releases.json's `how` says so.

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

import lock  # noqa: E402
import oracle_records  # noqa: E402

from generator.releases.rules import pack, version_key  # noqa: E402

BASE = oracle_records.BASE
# The last patch of every minor line from the base on, every patch of the 1.108 long-term
# support line, and the newest (pip index versions litellm: no 1.107 was ever published).
PROXY_RELEASES = ["1.100.5", "1.101.6", "1.102.4", "1.105.7", "1.106.12"]
# litellm[proxy]==1.103.11 and ==1.104.9 pin litellm-proxy-extras releases the registry
# lacks (0.4.102.post2, ...): they run as the later ones do.
CORE_RELEASES = ["1.103.11", "1.104.9"] + [f"1.108.{n}" for n in range(15)] + [
    "1.109.3", "1.110.2"]
# Recorded on every case; the newest on the cases that tell releases apart and those whose
# outcome a release is likely to change (~2,600, tests/oracle_records.py telling_ids), a
# release between recorded ones on the cases where they differ (~1,100, disagreeing_ids).
FULL_RELEASES = [BASE, "1.106.12"]
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


def _uv(*args: str) -> None:
    uv = ROOT / ".venv" / "bin" / "uv"
    env = dict(os.environ, UV_NO_CONFIG="1", UV_PYTHON_DOWNLOADS="never")
    subprocess.run([str(uv), "--quiet", *args], check=True, env=env)


def _install_locked(venv: Path, lock: Path, *extra: str) -> None:
    """Exactly the lock's packages (hash-checked, nothing resolved) into `venv`."""
    if not (venv / "bin" / "python").exists():
        _uv("venv", "--python", sys.executable, str(venv))
    _uv("pip", "install", "--require-hashes", "--no-deps", "--no-build", *extra, "-r",
        str(lock), "--python", str(venv / "bin" / "python"))


def _installed(venv: Path) -> str | None:
    for dist in (venv / "lib").glob("python*/site-packages/litellm-*.dist-info"):
        return dist.name.split("-")[1].removesuffix(".dist")
    return None


def locks_of(release: str) -> list[Path]:
    """The lock files `release`'s environment is installed from (compiled if missing)."""
    if release in CORE_RELEASES:
        return [lock.release_lock(CORE_BASE), lock.release_lock(release, core_of=CORE_BASE)]
    return [lock.release_lock(release)]


def environment(release: str) -> tuple[Path, bool]:
    """The environment `release` runs in, installed from its locks if need be; (venv, made
    here). The base's (.venv-proxy) is the Makefile's, from the same lock."""
    if release == BASE:
        return ROOT / ".venv-proxy", False
    if release in PROXY_RELEASES:
        venv = ROOT / f".venv-proxy-{release}"
        if _installed(venv) != release:
            shutil.rmtree(venv, ignore_errors=True)
            _install_locked(venv, *locks_of(release))
            return venv, True
        return venv, False
    own = ROOT / f".venv-proxy-{release}"
    if _installed(own) == release:  # a core-over-1.106.12 environment kept for this release
        return own, False
    # RELEASES_CORE_VENV: a second core environment, so one release is extracted while
    # another is recorded.
    venv = ROOT / os.environ.get("RELEASES_CORE_VENV", ".venv-proxy-core")
    base_lock, core_lock = locks_of(release)
    if not (venv / "bin" / "python").exists():
        _install_locked(venv, base_lock)
    if _installed(venv) != release:
        _install_locked(venv, core_lock, "--reinstall-package", "litellm")
    return venv, False


NEWEST = CORE_RELEASES[-1]  # recorded on the release-sensitive cases too
BETWEEN = ("the cases on which the recorded releases ({releases}) do not all have the same "
           "outcome, and those made to tell releases apart")
SUBSET = ("the cases whose outcome differs between the fully recorded releases ("
          + ", ".join(FULL_RELEASES) + "), those made to tell releases apart, and every value "
          "of a settings section and shape of an entry (oracle_records.release_sensitive)")


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
            if release == NEWEST:
                chosen, subset = oracle_records.telling_ids(FULL_RELEASES), SUBSET
            else:  # between recorded releases: where they differ (what changed, and when)
                around = [r for r in oracle_records.recorded_releases() if r != release]
                chosen = oracle_records.disagreeing_ids(around)
                subset = BETWEEN.format(releases=", ".join(around))
            ids.write_text("\n".join(chosen) + "\n")
            command += ["--only", str(ids)]
        subprocess.run(command, check=True)
        if out is not None:
            rows = [json.loads(line) for line in full.read_text(encoding="utf-8").splitlines()]
            oracle_records.diff_path(release).write_text(
                oracle_records.compact(release, how(release), rows, subset), encoding="utf-8")
    _done_with(venv, made)


def presets(release: str) -> None:
    venv, made = environment(release)
    subprocess.run([sys.executable, str(ROOT / "scripts" / "oracle.py"), "presets", str(venv)],
                   check=True)
    _done_with(venv, made)


def extract(release: str) -> dict:
    # RELEASES_EXTRACTED: a folder that keeps each extraction (RELEASE.json), so `rules`
    # can write every release at once after they were extracted one by one (`extract`).
    # A kept file is never refreshed: delete it when its release is recorded again.
    kept = os.environ.get("RELEASES_EXTRACTED")
    path = Path(kept) / f"{release}.json" if kept else None
    if path is not None and path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    venv, made = environment(release)
    run = subprocess.run([str(venv / "bin" / "python"), str(ROOT / "scripts" /
                                                           "extract_rules.py"), "-"],
                         check=True, capture_output=True, text=True)
    _done_with(venv, made)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(run.stdout, encoding="utf-8")
    return json.loads(run.stdout)


def _done_with(venv: Path, made: bool) -> None:
    if made and not os.environ.get("RELEASES_KEEP"):
        shutil.rmtree(venv, ignore_errors=True)


# What extract_rules.py reads from a release's recorded runs (the rest is read from its code).
RECORDED_KEYS = ("recorded", "refused_kinds", "accepted_kinds", "fallback_shapes",
                 "entry_shapes", "section_refused_kinds", "recorded_flags",
                 "wrong_type_refuses", "lenient_params")
HOW_EXTRACTED = ("extracted from the release's code; not recorded: what its start-up does "
                 "with values and shapes is taken from the recorded runs of {source}")


def recorded_stand_in(release: str, recorded: list[str]) -> str:
    """The recorded release whose start-up behaviour stands in for an unrecorded one: a
    recorded patch of its own minor line (the closest), else the newest recorded before it."""
    key = version_key(release)
    line = [r for r in recorded if version_key(r)[:2] == key[:2]]
    if line:
        return min(line, key=lambda r: abs(version_key(r)[2] - key[2]))
    return [r for r in recorded if version_key(r) <= key][-1]


def with_recorded_behaviour(extracted: dict[str, dict]) -> tuple[dict[str, dict], dict]:
    """A release without recorded runs takes what its start-up does with values and shapes
    from a recorded one (recorded_stand_in: the code it is closest to); its keys, names,
    caches and checks stay its own. Returns the rules and, per release, how they are backed.
    """
    recorded = [r for r in sorted(extracted, key=version_key)
                if r in oracle_records.recorded_releases()]
    out, backing = {}, {}
    for release, data in extracted.items():
        if release in recorded:
            # Rules extracted before the release was recorded hold another's behaviour.
            if not data.get("recorded"):
                raise SystemExit(f"{release} was recorded after its rules were extracted: "
                                 f"name it too (scripts/releases.py rules {release} ...)")
            out[release], backing[release] = data, how(release)
            continue
        source = recorded_stand_in(release, recorded)
        out[release] = {**data, **{k: extracted[source][k] for k in RECORDED_KEYS},
                        "recorded": False}
        backing[release] = HOW_EXTRACTED.format(source=source)
    return out, backing


def write_rules(extracted: dict[str, dict], locks: dict[str, dict | None]) -> None:
    extracted, backing = with_recorded_behaviour(extracted)
    base = extracted[BASE]
    (ROOT / "generator" / "releases" / "rules.json").write_text(
        json.dumps(base, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    later = {r: d for r, d in extracted.items() if r != BASE}
    packed = pack(base, later, backing, locks)
    (ROOT / "generator" / "releases" / "rules-releases.json").write_text(
        json.dumps(packed, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[1] not in ("list", "record", "presets", "extract", "rules"):
        print(__doc__, file=sys.stderr)
        return 2
    chosen = argv[2:] or ([BASE, CORE_BASE, NEWEST] if argv[1] == "presets" else releases())
    unknown = sorted(set(chosen) - set(releases()))
    if unknown:
        raise SystemExit(f"not releases this script knows: {unknown} (add them to "
                         "PROXY_RELEASES or CORE_RELEASES)")
    chosen = sorted(chosen, key=version_key)
    if argv[1] == "list":
        for release in chosen:
            print(f"{release}\t{how(release)}")
        return 0
    if argv[1] == "extract":
        if not os.environ.get("RELEASES_EXTRACTED"):
            raise SystemExit("extract keeps what it reads in RELEASES_EXTRACTED=FOLDER")
        for release in chosen:
            print(f"== extract {release}", file=sys.stderr, flush=True)
            extract(release)
        return 0
    if argv[1] == "presets":
        for release in chosen:
            presets(release)
        return 0
    if argv[1] == "record":
        for release in chosen:
            print(f"== {release}", file=sys.stderr, flush=True)
            record(release, int(os.environ.get("JOBS", "2")))
        return 0
    # The base and the differences are written together: a release not named keeps the
    # rules the package has for it.
    from generator.releases.rules import environment_locks, known_releases, release_data

    extracted = {r: release_data(r) for r in known_releases() if r in releases()}
    # Which lock files each release's rules were extracted in (None: not recorded).
    locks = {r: environment_locks(r) for r in extracted}
    for release in chosen:
        print(f"== rules of {release}", file=sys.stderr, flush=True)
        extracted[release] = extract(release)
        locks[release] = lock.lock_record(*locks_of(release))
    write_rules(extracted, locks)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
