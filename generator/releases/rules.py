"""validate's rules for every litellm release it knows, stored as a base and differences.

generator/releases/rules.json holds the rules of the base release (1.100.0) in full;
generator/releases/rules-releases.json holds, for each later release in version order, only what
changed from the release before it (`make rules` writes both, scripts/release_rules.py).
A release's rules are the base with every difference up to it applied, built once per
process. Pure functions and one cached read of the package's own data.

A difference of a mapping is {"+": {key: new value}, "-": [removed keys], "~": {key:
difference of a mapping value}}; of a sorted list of names, {"+": [added], "-":
[removed]}; anything else is replaced whole ({"=": value}).
"""
from __future__ import annotations

import json
from functools import lru_cache

BASE_FILE = "releases/rules.json"
RELEASES_FILE = "releases/rules-releases.json"
BASE = "1.100.0"  # the release of rules.json, pinned by the Makefile's PROXY_SPEC


def version_key(release: str) -> tuple[int, ...]:
    """1.108.14 -> (1, 108, 14); anything after the numbers is ignored (1.77.2.post1)."""
    parts = []
    for part in release.split("."):
        digits = "".join(c for c in part if c.isdigit()) if part[:1].isdigit() else ""
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def _is_name_list(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value) \
        and value == sorted(set(value))


def difference(old, new):
    """What turns `old` into `new` (None: nothing)."""
    if old == new:
        return None
    if isinstance(old, dict) and isinstance(new, dict):
        added = {k: v for k, v in new.items() if k not in old}
        removed = sorted(k for k in old if k not in new)
        changed = {}
        for key in old.keys() & new.keys():
            inner = difference(old[key], new[key])
            if inner is not None:
                changed[key] = inner
        out: dict = {}
        if added:
            out["+"] = added
        if removed:
            out["-"] = removed
        if changed:
            out["~"] = changed
        return out
    if _is_name_list(old) and _is_name_list(new):
        return {"+": sorted(set(new) - set(old)), "-": sorted(set(old) - set(new))}
    return {"=": new}


def applied(old, diff):
    """`old` with the difference applied (a new value; `old` is not changed)."""
    if diff is None:
        return old
    if "=" in diff:
        return diff["="]
    if isinstance(old, list):
        removed = set(diff.get("-", ()))
        return sorted({v for v in old if v not in removed} | set(diff.get("+", ())))
    out = {k: v for k, v in old.items() if k not in set(diff.get("-", ()))}
    for key, inner in diff.get("~", {}).items():
        out[key] = applied(old[key], inner)
    out.update(diff.get("+", {}))
    return out


def pack(base: dict, releases: dict[str, dict], how: dict[str, str],
         locks: dict[str, dict | None] | None = None) -> dict:
    """rules-releases.json from each release's full rules: each one against the one before.

    `how`: for each release (the base too), how its rules are backed, in words. `locks`: the
    lock files (path -> sha256) of the environment each release's rules were extracted in.
    """
    order = sorted(releases, key=version_key)
    out: dict = {"base": base["litellm_version"], "releases": {}, "how": dict(how),
                 "locks": dict(locks or {})}
    previous = base
    for release in order:
        if release == base["litellm_version"]:
            continue
        out["releases"][release] = difference(previous, releases[release]) or {}
        previous = releases[release]
    return out


@lru_cache(maxsize=1)
def _stored() -> tuple[dict, dict]:
    from generator.boundary.errors import UserError
    from generator.boundary.files import read_package_data

    base = json.loads(read_package_data(BASE_FILE))
    try:
        later = json.loads(read_package_data(RELEASES_FILE))
    except UserError:  # not shipped: the base release only
        later = {"base": base["litellm_version"], "releases": {}}
    return base, later


def recorded_how(release: str) -> str:
    """How the rules of a known release are backed (recorded runs, or extraction alone)."""
    return _stored()[1].get("how", {}).get(release, "extracted from the release's code")


def environment_locks(release: str) -> dict[str, str] | None:
    """The lock files (path -> sha256) of the environment `release`'s rules were extracted
    in; None where the extraction did not record them."""
    return _stored()[1].get("locks", {}).get(release)


def known_releases() -> list[str]:
    """Every release whose rules are shipped, oldest first."""
    base, later = _stored()
    return sorted([base["litellm_version"], *later["releases"]], key=version_key)


@lru_cache(maxsize=None)
def release_data(release: str) -> dict:
    """The full rules of a known release (KeyError for another)."""
    base, later = _stored()
    if release == base["litellm_version"]:
        return base
    if release not in later["releases"]:
        raise KeyError(release)
    data = base
    for name in sorted(later["releases"], key=version_key):
        data = applied(data, later["releases"][name])
        if name == release:
            return data
    raise KeyError(release)  # pragma: no cover - the loop returns for a known release


def nearest_known(release: str) -> str:
    """The known release whose rules stand in for `release`.

    In a minor line the tool knows, its closest patch (1.106.5 -> 1.106.12); else the
    newest release before it (1.107.0 -> 1.106.12), or the oldest for an older one.
    """
    releases = known_releases()
    key = version_key(release)
    line = [r for r in releases if version_key(r)[:2] == key[:2]]
    if line:
        return min(line, key=lambda r: (abs(version_key(r)[2:3][0] - key[2:3][0])
                                        if len(key) > 2 and len(version_key(r)) > 2 else 0,
                                        version_key(r)))
    earlier = [r for r in releases if version_key(r) <= key]
    return earlier[-1] if earlier else releases[0]
