"""What the recorded runs of this release show, read as tables validate uses.

The release's own start-up code was run on every generated case (tests/oracle/generated/,
scripts/oracle.py generated); these read which values of which kind it refused or
started with, per section and key. Imported by extract_rules.py; no records, no entries.
"""
from __future__ import annotations

import re

import oracle_records
from extract_source import litellm_version

from generator.validate.shapes import fallback_shape, value_kind


def _marked_value(case: dict):
    """The value on the case's changed line (`key: value`), loaded as the proxy loads it."""
    import yaml

    line = case["config"].splitlines()[case["line"] - 1] if case.get("line") else ""
    key, _, text = line.strip().partition(":")
    try:
        return key.strip(), yaml.safe_load(text.strip() or "null")
    except Exception:  # noqa: BLE001 - a value the loader cannot build (!!bool maybe)
        return key.strip(), _UNLOADABLE


_UNLOADABLE = object()
# YAML values that are not JSON: a release that validates a section as JSON values refuses
# them there whatever the key.
_NOT_JSON = frozenset({"a date", "bytes", "set", "datetime"})


_FALLBACK_KEYS = ("fallbacks", "context_window_fallbacks", "content_policy_fallbacks",
                  "default_fallbacks")


def recorded_behaviour() -> dict:
    """What this release's recorded runs show, as tables validate reads by shape and kind.

    "refused_kinds": {section: {key: [kinds of value that stopped the start-up]}} and
    "accepted_kinds" the same for values it started with (generator/shapes.value_kind);
    "fallback_shapes": {section: {key: {shape: "refuses" | "starts"}}};
    "entry_shapes": {about: "refuses" | "drops" | "serves"} for the model_list shape cases;
    "recorded": whether there are records of this release at all.
    """
    release = litellm_version()
    if release not in oracle_records.recorded_releases():
        return {"recorded": False, "refused_kinds": {}, "accepted_kinds": {},
                "fallback_shapes": {}, "entry_shapes": {}, "section_refused_kinds": {},
                "recorded_flags": {}}
    rows = oracle_records.release_rows(release)
    # Keys the start-up refuses whatever their value (a licence, a package): not a kind.
    blind = {(c["section"], c["key"]) for c in rows if c["kind"] in ("correct", "set")
             and c["record"]["started"] is False
             and _VALUE_BLIND.search(c["record"]["error"] or "")}
    found = _Behaviour(blind)
    for case in rows:
        found.read(case)
    return found.tables()


class _Behaviour:
    """The tables recorded_behaviour builds, filled case by case."""

    def __init__(self, blind: set) -> None:
        self.blind = blind
        self.refused: dict = {}
        self.accepted: dict = {}
        self.shapes: dict = {}
        self.entries: dict = {}
        self.sections: dict = {}  # kinds refused in a whole section (not JSON values)
        self.flags: dict = {}

    def read(self, case: dict) -> None:
        record, section = case["record"], case["section"]
        if record["started"] is None or case.get("network"):
            return
        if case["about"] == "cache: true, redis no host (REDIS_HOST set)":
            # Whether REDIS_HOST is read when cache_params is not empty.
            self.flags["redis_host_env_with_params"] = bool(record["started"])
        if section in ("general_settings", "litellm_settings", "router_settings",
                       "top_level") and case.get("line") and \
                case["kind"] not in ("typo", "misplaced"):
            self._setting(case)
        if section == "model_list" and case["kind"] == "shape":
            # Every shape case adds one entry (or item) to llama3 and gpt-4o.
            if record["started"] is False:
                self.entries[case["about"]] = "refuses"
            else:
                self.entries[case["about"]] = "serves" if len(record["served"]) > 2 else "drops"

    def _setting(self, case: dict) -> None:
        """A settings case: the kind of its value, refused or started with, by key."""
        record, section = case["record"], case["section"]
        key, value = _marked_value(case)
        if value is _UNLOADABLE:
            return
        if case["kind"] == "yaml" and value_kind(value) in _NOT_JSON and \
                record["started"] is False:
            self.sections.setdefault(section, set()).add(value_kind(value))
            return
        if key in _FALLBACK_KEYS and case["kind"] in ("fallbacks", "fallbacks-release",
                                                      "value", "typed-value", "wrong-type"):
            table = self.shapes.setdefault(section, {}).setdefault(key, {})
            shape = fallback_shape(value)
            if record["started"] is False or table.get(shape) != "refuses":
                table[shape] = "starts" if record["started"] else "refuses"
            return
        if key != case["key"] or (section, key) in self.blind:
            return
        kind = value_kind(value)
        target = self.accepted if record["started"] else self.refused
        target.setdefault(section, {}).setdefault(key, set()).add(kind)

    def tables(self) -> dict:
        def table(found: dict) -> dict:
            return {s: {k: sorted(v) for k, v in sorted(keys.items())}
                    for s, keys in sorted(found.items())}
        return {"recorded": True, "refused_kinds": table(self.refused),
                "accepted_kinds": table(self.accepted), "fallback_shapes": self.shapes,
                "entry_shapes": dict(sorted(self.entries.items())),
                "section_refused_kinds": {k: sorted(v) for k, v in sorted(self.sections.items())},
                "recorded_flags": self.flags}


_VALUE_BLIND = re.compile(r"Enterprise|premium|LITELLM_LICENSE|No module named|got multiple "
                          r"values for keyword argument|'dict' object has no attribute")


def recorded_refusals() -> dict[str, dict]:
    """Settings whose value stopped the start-up in the recorded runs of this release.

    From tests/oracle/generated/litellm-VERSION.jsonl (scripts/oracle.py generated): the
    release's own start-up code run on a right and a wrong value of every key.
    "wrong_type": keys that started with the right value and refused the wrong one;
    "when_set": keys that refused even a right value (enterprise features, settings that
    need a service), with the error the proxy gave. No file: no entries.
    """
    if litellm_version() not in oracle_records.recorded_releases():
        return {"wrong_type": {}, "when_set": {}, "lenient_params": []}
    outcome: dict[tuple, dict] = {}
    lenient: set[str] = set()
    for case in oracle_records.release_rows(litellm_version()):
        if case["section"] in ("general_settings", "litellm_settings", "router_settings",
                               "top_level") and case["kind"] in ("correct", "wrong-type",
                                                                 "bad-enum", "set",
                                                                 "typed-value"):
            kind = "correct" if case["kind"] in ("correct", "set") else "wrong-type"
            runs = outcome.setdefault((case["section"], case["key"]), {})
            if kind not in runs or case["record"]["started"] is False:
                runs[kind] = case["record"]
        if case["section"] in ("litellm_params", "model_info") and case["kind"] == "wrong-type" \
                and case["record"]["started"] and "llama3" in case["record"]["served"] \
                and "gpt-4o" in case["record"]["served"]:
            lenient.add(case["key"])
    wrong: dict[str, set] = {}
    when_set: dict[str, dict] = {}
    for (section, key), runs in sorted(outcome.items()):
        right, bad = runs.get("correct"), runs.get("wrong-type")
        if right is not None and right["started"] is False:
            error = (right["error"] or "").split("\n")[0][:160]
            # Only refusals whatever the value: a license, a package, a Router argument the
            # proxy sets itself, a mapping where litellm wants its own object.
            if _VALUE_BLIND.search(error):
                when_set.setdefault(section, {})[key] = error
        if bad is not None and bad["started"] is False and (
                right is None or right["started"] or _error_type(right) != _error_type(bad)):
            wrong.setdefault(section, set()).add(key)
    return {"wrong_type": {k: sorted(v) for k, v in wrong.items()}, "when_set": when_set,
            "lenient_params": sorted(lenient)}


def _error_type(record: dict) -> str:
    return (record.get("error") or "").split(":", 1)[0]

