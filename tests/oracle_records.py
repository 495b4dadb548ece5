"""The recorded runs of the generated cases, for every release: stored compactly, read whole.

tests/oracle/generated/litellm-BASE.jsonl holds every case with the base release's record
(scripts/oracle.py generated). Another release R is stored as litellm-R.diff.jsonl: a
first line that says how R was run and on which cases, then only the cases whose outcome
on R differs from the base's ({"id", "record"}). A case not listed there had the same
outcome on R: whether it started, where it stopped, the type of the error, what it
served, whether it was open.

A release between two fully recorded ones may be recorded on a subset: the cases whose
outcome differs between the fully recorded releases (where behaviour changes), and the
cases that tell releases apart (gen_cases.release_differences). Its header lists them
("recorded_ids"); a case outside the subset is taken to have the base's outcome, as
every fully recorded release around it does.

Only json: scripts/extract_rules.py (inside a release's environment) and the tests read
it alike.
"""
from __future__ import annotations

import json
from pathlib import Path

GENERATED = Path(__file__).resolve().parent / "oracle" / "generated"
BASE = "1.100.0"
# What an outcome is: a record of another release that agrees on these is not stored.
OUTCOME = ("started", "stage", "served", "open")
LOG = 5  # log lines kept in a differing record


def error_type(record: dict) -> str:
    return (record.get("error") or "").split(":", 1)[0]


def same_outcome(a: dict, b: dict) -> bool:
    return all(a.get(k) == b.get(k) for k in OUTCOME) and error_type(a) == error_type(b)


def base_rows() -> list[dict]:
    path = GENERATED / f"litellm-{BASE}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def diff_path(release: str) -> Path:
    return GENERATED / f"litellm-{release}.diff.jsonl"


def recorded_releases() -> list[str]:
    """The base and every release with a diff file, oldest first."""
    found = [p.name[len("litellm-"):-len(".diff.jsonl")] for p in GENERATED.glob("*.diff.jsonl")]
    return [BASE] + sorted(found, key=lambda r: tuple(int(x) for x in r.split(".")))


def header(release: str) -> dict:
    with diff_path(release).open(encoding="utf-8") as handle:
        return json.loads(handle.readline())


def release_rows(release: str, *, recorded_only: bool = False) -> list[dict]:
    """Every case with its record on `release` (the base's outcome where none is stored);
    `recorded_only`: only the cases the release was recorded on."""
    rows = base_rows()
    if release == BASE:
        return rows
    lines = diff_path(release).read_text(encoding="utf-8").splitlines()
    info = json.loads(lines[0])
    differing = {row["id"]: row["record"] for row in map(json.loads, lines[1:])}
    if info.get("cases") != len(rows):
        raise ValueError(f"{diff_path(release).name} was made against {info.get('cases')} "
                         f"cases, the base file has {len(rows)}: record the release again")
    subset = set(info["recorded_ids"]) if info.get("recorded_ids") is not None else None
    out = []
    for row in rows:
        if recorded_only and subset is not None and row["id"] not in subset:
            continue
        record = differing.get(row["id"])
        if record is None:
            record = dict(row["record"], litellm=release)
        out.append(dict(row, record=record))
    return out


def compact(release: str, how: str, rows: list[dict], subset: str | None = None) -> str:
    """The text of litellm-R.diff.jsonl from R's records (rows in the base's order): of
    every case, or of the subset `subset` says (in words) it is."""
    base = {row["id"]: row["record"] for row in base_rows()}
    ids = [r["id"] for r in rows]
    if (subset is None and ids != list(base)) or not set(ids) <= set(base):
        raise ValueError("the release was recorded on other cases than the base")
    differing = [row for row in rows if not same_outcome(row["record"], base[row["id"]])]
    head = {"release": release, "base": BASE, "how": how, "cases": len(base),
            "recorded": len(rows), "differ": len(differing)}
    if subset is not None:
        head.update(subset=subset, recorded_ids=ids)
    lines = [json.dumps(head, sort_keys=True)]
    # The first lines of the log say why; the rest would only make the file large.
    lines += [json.dumps({"id": row["id"], "record": dict(row["record"],
                                                           log=row["record"].get("log", [])[:LOG]
                                                           )}, sort_keys=True)
              for row in differing]
    return "\n".join(lines) + "\n"


# Where releases change what they read: the settings sections' values and the shapes of
# model_list entries. Typos and misplaced keys are judged from the extracted key lists.
VALUE_SECTIONS = ("general_settings", "litellm_settings", "router_settings", "top_level")
VALUE_BLIND_KINDS = ("typo", "misplaced", "builtin-callback")
ENTRY_KINDS = ("shape", "value", "wrong-type", "typed-value", "yaml")


def release_sensitive(row: dict) -> bool:
    """A case whose outcome a later release is likely to change: a value in a settings
    section (its type, its shape, a fallback), or the shape or a typed value of an entry."""
    if row["section"] in VALUE_SECTIONS:
        return row["kind"] not in VALUE_BLIND_KINDS
    return row["section"] in ("model_list", "litellm_params") and row["kind"] in ENTRY_KINDS


def disagreeing_ids(releases: list[str]) -> list[str]:
    """The cases on which the recorded `releases` do not all have the same outcome, and
    those made to tell releases apart: what a release between them is recorded on."""
    tables = [release_rows(r) for r in releases]
    out = []
    for rows in zip(*tables):
        first = rows[0]
        if first.get("releases") or not all(same_outcome(first["record"], r["record"])
                                            for r in rows[1:]):
            out.append(first["id"])
    return out


def telling_ids(releases: list[str], *, sensitive: bool = True) -> list[str]:
    """The cases a release not recorded on every case is recorded on: those whose outcome
    differs between `releases` (recorded), those made to tell releases apart, and with
    `sensitive` the release-sensitive ones (oracle_records.release_sensitive)."""
    ids = set()
    for release in releases:
        if release != BASE:
            ids |= {json.loads(l)["id"] for l in
                    diff_path(release).read_text(encoding="utf-8").splitlines()[1:]}
    rows = base_rows()
    ids |= {row["id"] for row in rows
            if row.get("releases") or (sensitive and release_sensitive(row))}
    return [row["id"] for row in rows if row["id"] in ids]
