"""What the pinned LiteLLM proxy will do with a config, said before it restarts.

The pure core of `litellm-gen validate`: parsed documents in, findings out, no I/O
(the edge passes what it read, the environment and a file-exists test). Each rule
is named, and each is backed by a recorded run of the real proxy
(tests/oracle/validate/): severity "error" means the proxy will not start or will
start without something the file asks for (a model dropped, a section ignored);
"warning" means it runs as written but a request will fail or the file probably
does not mean what it says. The data the rules use (providers, settings fields,
routing strategies...) is extracted from the pinned litellm into rules.json.

This module owns the whole config (check_sources): the top level, includes and the merged
view the proxy reads through them, and whether it serves a model at all. One module per
section holds the rest: model_list.py, litellm_settings.py, general_settings.py (with the
master key), router_settings.py (with every fallbacks list), credentials.py, guardrails.py;
and what several sections share: context.py (Rules, Source, Context, syntax_finding, the
small helpers), sections.py (settings keys and types), module_references.py (module.attribute
references), expansion.py (alias bombs), literal_secrets.py. The entry points are importable
from here (__all__); the modules import one another downward from context.py and never this
package, so there is no circle.

May import: generator.boundary, generator.merge, generator.releases, and the other modules
of generator.validate.
"""
from __future__ import annotations

import posixpath

from generator.boundary.marked import Mapping, Sequence, data_of, key_of, value_of, where
from generator.releases import rules as release_rules
from generator.validate import health_checks, lax
from generator.validate.checks.context import (
    Context,
    Rules,
    Source,
    did_you_mean,
    is_null,
    rules_for,
    shipped_rules,
    syntax_finding,
    truthy,
)
from generator.validate.checks.credentials import check_credentials
from generator.validate.checks.expansion import check_expansion
from generator.validate.checks.general_settings import (
    check_general_settings,
    check_master_key,
    master_key_note,
)
from generator.validate.checks.guardrails import check_guardrails
from generator.validate.checks.litellm_settings import check_litellm_settings
from generator.validate.checks.literal_secrets import check_literal_secrets
from generator.validate.checks.model_list import check_entry
from generator.validate.checks.router_settings import check_router_settings, router_fallbacks
from generator.validate.checks.sections import check_section_type, home_of
from generator.validate.registry import RULES, Finding

__all__ = ["Context", "Rules", "Source", "check_sources", "rules_for", "shipped_rules",
           "syntax_finding"]

# Sections whose near-miss spelling silently drops a whole part of the config.
_SECTIONS = ("model_list", "litellm_settings", "general_settings", "router_settings",
             "environment_variables", "include", "callback_settings")


def check_sources(sources: list[Source], ctx: Context) -> list[Finding]:
    """Every finding for a config (sources[0]) and the includes read beside it."""
    main = sources[0]
    for source in sources:
        for dup in source.document.duplicates:
            if dup.key.value == "model_list" and source.document.root is not None \
                    and dup.key.start_mark.column == 0:
                _check_replaced_model_list(source, dup, ctx)
                continue
            ctx.add(source, dup.key, "duplicate-key",
                    f"{dup.key.value!r} is also set on line {dup.first_line + source.line_shift}"
                    ": the proxy keeps only this one")
    if main.document.root is None or is_null(main.document.root):
        ctx.add(main, None, "empty-config",
                "the config is empty: the proxy refuses it (\"Config cannot be None or Empty\")")
        return sorted(ctx.findings)
    # An included file that loads to nothing (only comments) adds nothing: the proxy reads
    # it as {}.
    sources = [main] + [s for s in sources[1:] if not (s.document.root is None
                                                          or is_null(s.document.root))]
    roots = [(s, s.document.root) for s in sources]
    for source, root in roots:
        if not isinstance(root, Mapping):
            ctx.add(source, root, "config-not-mapping",
                    "the config must be a mapping of sections (model_list:, ...): the proxy "
                    "will not start")
            return sorted(ctx.findings)
    for source, root in roots:
        check_expansion(source, root, ctx)
    merged = _merged_view(roots, ctx)
    if "model_list" not in merged:
        _hint_nested_config(main, main.document.root, ctx)
    _check_serves_a_model(main, sources, merged, ctx)
    for source, root in roots:
        _check_top_level(source, root, ctx)
    # Entries are usually checked while they are read (check_entry as parse's on_entry);
    # those still in the tree were parsed without it.
    for source, entry in merged.get("model_list", []):
        check_entry(source, entry, ctx)
    ctx.redis_configured = _redis_configured(merged, ctx)
    ctx.router_fallbacks = router_fallbacks(merged)
    for key in ("litellm_settings", "general_settings", "router_settings"):
        for source, section in merged.get(key, []):
            if isinstance(section, Mapping):
                {"litellm_settings": check_litellm_settings,
                 "general_settings": check_general_settings,
                 "router_settings": check_router_settings}[key](source, section, ctx)
    for source, value in merged.get("guardrails", []):
        check_guardrails(source, value, ctx)
    check_credentials(merged, ctx)
    check_master_key(main, merged, ctx)
    for source, root in roots:
        rest = Mapping(root.start_mark)  # entries were checked with the entry
        rest.pairs = [(k, v) for k, v in root.items() if key_of(k) != "model_list"]
        check_literal_secrets(source, rest, ctx)
    health_checks.add_findings(merged, ctx)
    _report_unset_reads(ctx)
    return sorted(ctx.findings)


def _report_unset_reads(ctx: Context) -> None:
    """One env-unset finding per variable, at its first read, naming the other readers."""
    for env, reads in ctx.unset_reads.items():
        source, node, label, name = reads[0]
        others = [f"line {where(n)[0] + s.line_shift}" for s, n, _l, _n in reads[1:]]
        also = (f"; also read on {', '.join(others[:8])}" + (" and more" if len(others) > 8
                                                             else "")) if others else ""
        models = "this model" if not others else f"these {len(reads)} models"
        ctx.add(source, node, "env-unset",
                f"{label}: {name} reads {env}, which is not set here: requests to {models} "
                f"will fail until it is{also}")
    ctx.unset_reads.clear()


def _redis_configured(merged: dict, ctx: Context) -> bool:
    if ctx.env.get("REDIS_HOST") or ctx.env.get("REDIS_URL"):
        return True
    for _source, section in merged.get("litellm_settings", []):
        if isinstance(section, Mapping) and truthy(section.get("cache")):
            params = section.get("cache_params")
            kind = params.get("type") if isinstance(params, Mapping) else None
            if kind is None or value_of(kind) in ("redis", "redis-semantic"):
                return True
    for _source, section in merged.get("general_settings", []):
        if isinstance(section, Mapping) and isinstance(section.get("coordination_redis"),
                                                       Mapping):
            return True
    return False


def _merged_view(roots, ctx: Context) -> dict[str, list]:
    """Sections as the proxy sees them after `include:` (_process_includes, one file after
    another): an included list extends the value already there, any other included value
    replaces it whole (recorded on 1.100.0, 1.106.12, 1.110.2: tests/oracle/realistic/)."""
    view: dict[str, list] = {}
    there: dict[str, tuple] = {}  # name -> (source, key, value) the proxy holds so far
    joined: dict[str, list] = {}  # name -> the sources whose lists the proxy holds joined
    main = roots[0][0]
    for source, root in roots:
        for key, value in root.items():
            name = key_of(key)
            if name == "include":  # read by the edge, which lists the included files in roots
                continue
            held = there.get(name) if source is not main else None
            if held is not None and isinstance(value, Sequence):
                if isinstance(held[2], Sequence):
                    view[name] += _parts(source, name, value)
                    joined[name].append(source)
                    continue
                if not _includes_replace_non_lists(ctx):
                    _include_into_non_list(source, key, name, held, ctx)
                    continue
            if held is not None:
                _replaced_by_include(source, name, held, joined[name], ctx)
            there[name], joined[name] = (source, key, value), [source]
            view[name] = _parts(source, name, value)
    return view


# The first recorded release whose includes replace a value that is not a list with an
# included list (config_includes.py); 1.100.0 calls .extend on it. A release between them is
# taken as the newest recorded before it (scripts/releases.py), 1.100.0.
_INCLUDES_REPLACE_FROM = "1.106.12"


def _includes_replace_non_lists(ctx: Context) -> bool:
    return release_rules.version_key(ctx.rules.litellm_version) >= \
        release_rules.version_key(_INCLUDES_REPLACE_FROM)


def _parts(source: Source, name: str, value) -> list:
    """What the view holds of a section: each entry of a model_list, else the value."""
    if name == "model_list":
        return [(source, item) for item in value.items] if isinstance(value, Sequence) else []
    return [(source, value)]


def _include_into_non_list(source: Source, key, name: str, held: tuple, ctx: Context) -> None:
    """An included list where the proxy holds something else: it calls .extend on it."""
    kind = "empty" if is_null(held[2]) else lax.kind_of(data_of(held[2]))
    ctx.add(source, key, "include-extends-non-list",
            f"{name} here is a list, and the {name} it is joined to ({_place(held)}) is "
            f"{kind}, not a list: the proxy will not start (\"object has no attribute "
            f"'extend'\"); write {name} there as a list, or remove it")


def _replaced_by_include(source: Source, name: str, held: tuple, joined: list,
                         ctx: Context) -> None:
    """An included value that is not a list replaces the section the proxy held."""
    if name == "model_list":
        message = (f"the model_list of {posixpath.basename(source.path)} is not a list, and an "
                   "included file's model_list replaces the one before it unless it is a list "
                   "(only lists are joined): the proxy starts without this entry")
        for dropped in joined:
            for line, column in _entry_places(dropped):
                ctx.findings.append(Finding.of("include-replaces-model-list", dropped.path,
                                               line + dropped.line_shift, column, message))
        return
    if is_null(held[2]) or (isinstance(held[2], Mapping) and not held[2].pairs):
        return
    ctx.add(held[0], held[1], "include-replaces-section",
            f"{name} here is replaced whole by {name} of {posixpath.basename(source.path)} "
            "(an included file's section replaces the one before it; only lists are "
            f"joined): the proxy reads none of the keys written here; move them into the "
            "included file's section")


def _entry_places(source: Source) -> list[tuple[int, int]]:
    """(line, column) of each entry of the model_list the source's root holds: streamed to
    the entry check while parsed, or still in the tree."""
    if source.document.streamed:
        return list(source.document.streamed[-1])
    root = source.document.root
    listed = root.get("model_list") if isinstance(root, Mapping) else None
    return [where(e) for e in listed.items] if isinstance(listed, Sequence) else []


def _place(held: tuple) -> str:
    line = where(held[1])[0] + held[0].line_shift
    return f"{posixpath.basename(held[0].path)} line {line}"


def _check_serves_a_model(main: Source, sources: list[Source], merged: dict,
                          ctx: Context) -> None:
    """No entry at all, in the file or its includes: the proxy starts and serves nothing."""
    streamed = sum(len(s.document.streamed[-1]) for s in sources if s.document.streamed)
    if streamed or merged.get("model_list") or \
            any(f.rule == "nested-config" for f in ctx.findings):
        return
    root = main.document.root
    include = root.get("include") if isinstance(root, Mapping) else None
    if isinstance(include, Sequence) and len(include.items) >= len(sources):
        return  # an included file was not read: the proxy will not start (said there)
    listed = root.get("model_list") if isinstance(root, Mapping) else None
    ctx.add(main, listed if listed is not None else root, "no-model",
            "the config has no model_list entry: the proxy starts and serves no model from "
            "it (add model_list entries; only models kept in a database would be served)")


def _hint_nested_config(source: Source, root: Mapping, ctx: Context) -> None:
    """A Helm values file holds the config under a key: say which, before a wall of warnings."""
    for key, value in root.items():
        if isinstance(value, Mapping) and "model_list" in value:
            ctx.add(source, key, "nested-config",
                    f"there is no model_list at the top, but {key_of(key)}.model_list exists: "
                    f"the proxy serves no model from this file as it is; to check the config "
                    f"there, run validate --key-path {key_of(key)}")
            return


def _check_top_level(source: Source, root: Mapping, ctx: Context) -> None:
    known = ctx.rules.top_level_keys
    for key, value in root.items():
        name = key_of(key)
        if isinstance(name, str) and name.startswith("x-"):
            continue  # an extension key holding anchors, as docker compose files do
        if name in known:
            if name == "model_list":
                _check_model_list_shape(source, value, ctx)
            elif name == "include":
                _check_include_shape(source, value, ctx)
            elif name != "guardrails":
                check_section_type(source, name, value, ctx)
            continue
        guess = did_you_mean(name, known)
        if guess in _SECTIONS and _edits(name, guess) <= 2:
            ctx.add(source, key, "unknown-section",
                    f"{name!r} is not a section the proxy reads; did you mean {guess}? The "
                    f"proxy ignores the whole section" + (
                        master_key_note(root, value, ctx) if guess == "general_settings"
                        else ""))
        elif guess:
            ctx.add(source, key, "unknown-key",
                    f"the proxy ignores top-level {name!r}; did you mean {guess}?")
        else:
            home = home_of(name, ctx.rules)
            ctx.add(source, key, "unknown-key",
                    f"the proxy ignores top-level {name!r}"
                    + (f"; it belongs under {home}" if home else ""))


def _edits(a: str, b: str) -> int:
    """Levenshtein distance: a near-miss section name is a typo or two away, no more."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def _check_model_list_shape(source: Source, value, ctx: Context) -> None:
    if isinstance(value, Sequence) or is_null(value):
        return
    ctx.add(source, value, "model-list-not-list",
            "model_list must be a list of entries (- model_name: ...): the proxy will not start")


def _check_include_shape(source: Source, value, ctx: Context) -> None:
    if not isinstance(value, Sequence):
        ctx.add(source, value, "include-not-list",
                "include must be a list of file names: the proxy will not start "
                "(\"'include' must be a list of file paths\")")


def _check_replaced_model_list(source: Source, dup, ctx: Context) -> None:
    """model_list written twice at the top: the loader keeps the last list, drops the rest."""
    root = source.document.root
    lists = [v for k, v in root.pairs if key_of(k) == "model_list"] \
        if isinstance(root, Mapping) else []
    streamed = list(source.document.streamed)
    later = dup.key.start_mark.line + 1 + source.line_shift
    dropped: list = []
    if len(streamed) >= 2:
        dropped = [pos for positions in streamed[:-1] for pos in positions]
    else:
        dropped = [where(e) for v in lists[:-1] if isinstance(v, Sequence) for e in v.items]
    message = (f"model_list is written again on line {later} and the proxy's loader keeps only "
               "that one: it starts without this entry; merge the two model_list lists")
    for line, column in dropped:
        ctx.findings.append(Finding(source.path, line + source.line_shift, column,
                                    RULES["duplicate-model-list"].severity, message,
                                    "duplicate-model-list"))
    if not dropped:
        ctx.add(source, dup.key, "duplicate-key",
                f"'model_list' is also set on line {dup.first_line + source.line_shift}: the "
                "proxy keeps only this one")
