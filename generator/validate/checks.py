"""What the pinned LiteLLM proxy will do with a config, said before it restarts.

The pure core of `litellm-gen validate`: parsed documents in, findings out, no I/O
(the edge passes what it read, the environment and a file-exists test). Each rule
is named, and each is backed by a recorded run of the real proxy
(tests/oracle/validate/): severity "error" means the proxy will not start or will
start without something the file asks for (a model dropped, a section ignored);
"warning" means it runs as written but a request will fail or the file probably
does not mean what it says. The data the rules use (providers, settings fields,
routing strategies...) is extracted from the pinned litellm into rules.json.
"""
from __future__ import annotations

import datetime as _dt
import difflib
import posixpath
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable
from typing import Mapping as MappingType

from generator.boundary import marked
from generator.boundary.marked import Mapping, Scalar, Sequence, data_of, key_of, value_of, where
from generator.boundary.secrets import is_reference, is_secret_key, shown_tag, shown_url
from generator.releases import pins as release_pin
from generator.releases import rules as release_rules
from generator.validate import health_checks, lax, pymodules
from generator.validate.deployment_env import unknown
from generator.validate.registry import RULES, Finding
from generator.validate.shapes import fallback_shape

ENV_PREFIX = "os.environ/"
_DOLLAR_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-=?][^}]*)?\}|\$([A-Z_][A-Z0-9_]*)\b")
# Sections whose near-miss spelling silently drops a whole part of the config.
_SECTIONS = ("model_list", "litellm_settings", "general_settings", "router_settings",
             "environment_variables", "include", "callback_settings")


@dataclass(frozen=True, eq=False)  # hashed by identity: lookups derived from it are cached
class Rules:
    data: dict

    def __getattr__(self, name: str):
        try:
            return self.data[name]
        except KeyError:
            raise AttributeError(name) from None


@lru_cache(maxsize=None)
def rules_for(release: str) -> Rules:
    """The rules of a release the tool knows (release_rules.known_releases())."""
    data = dict(release_rules.release_data(release))
    for name in ("top_level_keys", "general_settings_keys", "litellm_settings_keys",
                 "router_settings_keys", "providers", "builtin_callbacks", "cache_types",
                 "routing_strategies", "model_modes", "model_info_tiers", "model_info_keys",
                 "request_params", "redis_client_args", "lenient_params"):
        data[name] = frozenset(data.get(name, ()))
    return Rules(data)


def shipped_rules() -> Rules:
    """The rules of the base release (generator/releases/rules.json, the one .venv-proxy pins)."""
    return rules_for(release_rules.BASE)


@dataclass(frozen=True)
class Source:
    """One file the proxy reads: the config or one of its includes."""
    path: str
    document: marked.Document
    line_shift: int = 0  # lines above the config in its file (a manifest's block)


@dataclass
class Context:
    rules: Rules
    env: MappingType[str, str]
    exists: Callable[[str], bool]
    config_folder: str
    today: _dt.date
    findings: list[Finding] = field(default_factory=list)
    model_names: set = field(default_factory=set)
    # Values the proxy's start-up walks below each node (marked.walked_values), by id.
    walked: dict = field(default_factory=dict)
    # The text of a file beside the config (a module the proxy imports), None if unreadable.
    read: Callable[[str], str | None] = lambda _path: None
    # Whether the config gives the proxy a Redis (use_redis_transaction_buffer needs one).
    redis_configured: bool = False
    # Per-request os.environ/NAME reads of unset variables: one finding per variable.
    unset_reads: dict = field(default_factory=dict)
    # How the proxy's environment is made (release_pin.Packaging): what packages it has.
    packaging: object = release_pin.ASSUMED
    # The fallbacks router_settings sets (non-empty): the router never reads litellm_settings'.
    router_fallbacks: frozenset = frozenset()
    # Entries that name a credential (litellm_credential_name), judged after credential_list.
    credential_refs: list = field(default_factory=list)
    # What add has said: a node reached again through an alias is judged once, not per use.
    said: set = field(default_factory=set)

    def lacks(self, needed: str) -> bool:
        """The proxy's environment lacks a package the rules say a feature needs."""
        return not pymodules.carried(needed, self.packaging, self.rules.litellm_version)

    def add(self, source: Source, node, rule: str, message: str) -> None:
        """A finding of the registered rule `rule` at `node` (None: the file's start)."""
        line, column = where(node) if node is not None else (1, 1)
        finding = Finding(source.path, line + source.line_shift, column,
                          RULES[rule].severity, marked.printable(message), rule)
        if finding not in self.said:
            self.said.add(finding)
            self.findings.append(finding)


def syntax_finding(path: str, exc: Exception, line_shift: int = 0) -> Finding:
    """A config the proxy's loader refuses: it will not start."""
    if isinstance(exc, marked.TagError):
        return Finding.of("yaml-tag", path, exc.line + line_shift, exc.column,
                          f"the tag {shown_tag(exc.tag)} cannot be loaded by yaml.safe_load: "
                          "the proxy will not start; remove the tag (a value that starts with "
                          "! is a tag to YAML: quote it)")
    if isinstance(exc, marked.BuildError):
        return Finding.of("yaml-syntax", path, exc.line + line_shift, exc.column,
                          f"{exc}: the proxy will not start")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if "'\\t'" in problem:  # merge's words for it (scan.py): one message for a tab
        from generator.boundary.loader import TAB_MESSAGE
        return Finding.of("yaml-syntax", path, line + line_shift, column, TAB_MESSAGE)
    return Finding.of("yaml-syntax", path, line + line_shift, column,
                      f"not valid YAML ({problem}): the proxy will not start")


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
    if main.document.root is None or _is_null(main.document.root):
        ctx.add(main, None, "empty-config",
                "the config is empty: the proxy refuses it (\"Config cannot be None or Empty\")")
        return sorted(ctx.findings)
    # An included file that loads to nothing (only comments) adds nothing: the proxy reads
    # it as {}.
    sources = [main] + [s for s in sources[1:] if not (s.document.root is None
                                                          or _is_null(s.document.root))]
    roots = [(s, s.document.root) for s in sources]
    for source, root in roots:
        if not isinstance(root, Mapping):
            ctx.add(source, root, "config-not-mapping",
                    "the config must be a mapping of sections (model_list:, ...): the proxy "
                    "will not start")
            return sorted(ctx.findings)
    for source, root in roots:
        _check_expansion(source, root, ctx)
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
    ctx.router_fallbacks = _router_fallbacks(merged)
    for key in ("litellm_settings", "general_settings", "router_settings"):
        for source, section in merged.get(key, []):
            if isinstance(section, Mapping):
                {"litellm_settings": _check_litellm_settings,
                 "general_settings": _check_general_settings,
                 "router_settings": _check_router_settings}[key](source, section, ctx)
    for source, value in merged.get("guardrails", []):
        _check_guardrails(source, value, ctx)
    _check_credentials(merged, ctx)
    _check_master_key(main, merged, ctx)
    for source, root in roots:
        rest = Mapping(root.start_mark)  # entries were checked with the entry
        rest.pairs = [(k, v) for k, v in root.items() if key_of(k) != "model_list"]
        _check_literal_secrets(source, rest, ctx)
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
        if isinstance(section, Mapping) and _truthy(section.get("cache")):
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
    kind = "empty" if _is_null(held[2]) else lax.kind_of(data_of(held[2]))
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
    if _is_null(held[2]) or (isinstance(held[2], Mapping) and not held[2].pairs):
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


# Values the proxy's start-up walks one by one (resolving os.environ/): measured on litellm
# 1.100.0 at about 1.5 million a second, a billion is over ten minutes of start-up.
WALK_LIMIT = 1_000_000_000
# 9**9 values (387,420,489) in one entry's litellm_params: no answer in 200 s (recorded).
SLOW_WALK_LIMIT = 300_000_000


def _check_expansion(source: Source, node, ctx: Context) -> None:
    """An alias bomb: judged by counting, never by expanding (validate answers at once)."""
    limit, found = WALK_LIMIT, marked.expanding_node(node, ctx.walked, WALK_LIMIT)
    if found is None:  # counted apart: a memo's counts stop at the cap they were made with
        limit = SLOW_WALK_LIMIT
        found = marked.expanding_node(node, ctx.walked.setdefault("slow", {}), limit)
    if found is None or ("reported", id(found)) in ctx.walked:
        return  # one finding per bomb, however many entries and sections use it
    ctx.walked[("reported", id(found))] = 0
    ctx.add(source, found, "alias-expansion",
            f"the aliases here expand to more than {limit:,} values; PyYAML builds them "
            "as shared references, but the proxy's start-up walks every value of the expanded "
            "config (resolving os.environ/): it never finishes starting (recorded: no answer "
            f"in {180 if limit == WALK_LIMIT else 200} s); write the values out, or anchor "
            "only small values")


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


def _is_null(node) -> bool:
    return isinstance(node, Scalar) and value_of(node) is None


@lru_cache(maxsize=4096)
def _did_you_mean(name, known) -> str | None:
    if not isinstance(name, str):
        return None
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.8)
    return close[0] if close else None


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
                _check_section_type(source, name, value, ctx)
            continue
        guess = _did_you_mean(name, known)
        if guess in _SECTIONS and _edits(name, guess) <= 2:
            ctx.add(source, key, "unknown-section",
                    f"{name!r} is not a section the proxy reads; did you mean {guess}? The "
                    f"proxy ignores the whole section" + (
                        _master_key_note(root, value, ctx) if guess == "general_settings"
                        else ""))
        elif guess:
            ctx.add(source, key, "unknown-key",
                    f"the proxy ignores top-level {name!r}; did you mean {guess}?")
        else:
            home = _home_of(name, ctx.rules)
            ctx.add(source, key, "unknown-key",
                    f"the proxy ignores top-level {name!r}"
                    + (f"; it belongs under {home}" if home else ""))


def _master_key_note(root: Mapping, misspelled, ctx: Context) -> str:
    has_key = isinstance(misspelled, Mapping) and "master_key" in misspelled
    if "general_settings" in root or not has_key:
        return ""
    if ctx.env.get("LITELLM_MASTER_KEY"):
        return " and the master_key in it: only LITELLM_MASTER_KEY opens the proxy"
    return " and starts without a master key, open to anyone who reaches it"


def _home_of(name, rules: Rules) -> str | None:
    for section, keys in (("general_settings", rules.general_settings_keys),
                          ("litellm_settings", rules.litellm_settings_keys),
                          ("router_settings", rules.router_settings_keys)):
        if name in keys:
            return section
    return None


def _edits(a: str, b: str) -> int:
    """Levenshtein distance: a near-miss section name is a typo or two away, no more."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def _check_model_list_shape(source: Source, value, ctx: Context) -> None:
    if isinstance(value, Sequence) or _is_null(value):
        return
    ctx.add(source, value, "model-list-not-list",
            "model_list must be a list of entries (- model_name: ...): the proxy will not start")


def _check_include_shape(source: Source, value, ctx: Context) -> None:
    if not isinstance(value, Sequence):
        ctx.add(source, value, "include-not-list",
                "include must be a list of file names: the proxy will not start "
                "(\"'include' must be a list of file paths\")")


def check_entry(source: Source, entry, ctx: Context) -> None:
    """One model_list item: what the proxy does with it, and its model_name for fallbacks."""
    if isinstance(entry, Mapping):
        name = entry.get("model_name")
        if isinstance(name, Scalar):
            ctx.model_names.add(value_of(name))
            _check_surrogates(source, name, ctx)
        params = entry.get("litellm_params")
        if isinstance(params, Mapping) and "litellm_credential_name" in params:
            ctx.credential_refs.append((source, entry))  # judged once credentials are read
    _check_entry(source, entry, ctx)
    _check_expansion(source, entry, ctx)
    health_checks.note_entry(source, entry, ctx)
    if isinstance(entry, Mapping):
        _check_literal_secrets(source, entry, ctx)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_surrogates(source: Source, name: Scalar, ctx: Context) -> None:
    """A surrogate escape only the proxy's pure-Python loader reads: it builds the two
    halves, which start-up cannot print (recorded: UnicodeEncodeError, no start)."""
    value = value_of(name)
    if isinstance(value, str) and not value.isascii() and _SURROGATE.search(value):
        ctx.add(source, name, "surrogate-escape",
                "this model_name holds a UTF-16 surrogate escape (as json.dumps writes an "
                "emoji, \\ud83d\\ude80): PyYAML loads it as two halves of a character, and "
                "the proxy, printing each model_name at start-up, stops with "
                "UnicodeEncodeError; write the character itself (json.dumps(..., "
                "ensure_ascii=False))")


def _env_name(value) -> str | None:
    if isinstance(value, str) and value.startswith(ENV_PREFIX):
        return value[len(ENV_PREFIX):]
    return None


def _check_entry(source: Source, entry, ctx: Context) -> None:
    if not isinstance(entry, Mapping):
        ctx.add(source, entry, "entry-not-mapping",
                "a model_list entry must be a mapping (model_name:, litellm_params:): "
                "the proxy will not start")
        return
    params = entry.get("litellm_params")
    if params is None:
        near = next((k for k, _v in entry.items() if isinstance(key_of(k), str)
                     and _near(key_of(k), frozenset({"litellm_params"}))), None)
        ctx.add(source, near if near is not None else entry, "missing-litellm-params",
                "this entry has no litellm_params: the proxy will not start "
                "(KeyError: 'litellm_params')"
                + (f"; {key_of(near)!r} is a near miss: write litellm_params" if near is not None
                   else ""))
        return
    if not isinstance(params, Mapping):
        ctx.add(source, entry.key("litellm_params"), "litellm-params-not-mapping",
                "litellm_params must be a mapping holding model:: the proxy will not start")
        return
    name_node = entry.get("model_name")
    label = _entry_label(name_node)
    model = params.get("model")
    if model is None:
        ctx.add(source, entry.key("litellm_params"), "missing-model",
                f"{label} has no litellm_params.model: the proxy will not start "
                "(KeyError: 'model')")
        return
    if not isinstance(model, Scalar) or not isinstance(value_of(model), str):
        _entry_field_fault(source, model, "model", label, "model-not-string",
                           f"{label}: litellm_params.model must be a string: the proxy will "
                           "not start", "write the model as provider/model", ctx)
        return
    if name_node is None:
        ctx.add(source, entry, "model-name",
                "this entry has no model_name: the proxy will not start")
    elif not isinstance(name_node, Scalar) or not isinstance(value_of(name_node), str):
        _entry_field_fault(source, name_node, "model_name", label, "model-name",
                           "model_name must be a string (quote it): the proxy will not start",
                           "quote it", ctx)
    model_text = value_of(model)
    env = _env_name(model_text)
    if env is not None:
        if not ctx.env.get(env):
            ctx.add(source, model, "model-env-unset",
                    f"{label}: model reads {env} from the environment, which is not set "
                    f"here: the proxy will not start; set {env} or pass --env-file")
            return
        model_text = ctx.env[env]
    if not unknown(model_text):  # from a Secret where it runs: its provider cannot be judged
        _check_provider(source, entry, params, model, model_text, label, ctx)
    _check_params(source, params, label, ctx)
    info = entry.get("model_info")
    if isinstance(info, Mapping):
        _check_model_info(source, info, label, ctx)
    elif "model_info" in entry and _entry_outcome(
            ctx, "model_info", value_of(info) if isinstance(info, Scalar) else data_of(info)
    ) != "serves":  # a release whose recorded runs served it (1.110.2) starts without it
        ctx.add(source, entry.key("model_info"), "model-info-not-mapping",
                f"{label}: model_info must be a mapping (mode:, ...): the proxy will not start "
                "(it calls model_info.get); remove it or write keys under it")
    for key, _value in entry.items():
        name = key_of(key)
        if name not in _ENTRY_KEYS:
            home = "litellm_params" if name in ctx.rules.key_types["litellm_params"] or \
                name in ctx.rules.request_params else "model_info" \
                if name in ctx.rules.model_info_keys else None
            ctx.add(source, key, "entry-key",
                    f"{label}: the proxy ignores {name!r} beside model_name and "
                    "litellm_params" + (f"; move it under {home}" if home else
                                        "; an entry holds model_name, litellm_params and "
                                        "model_info"))


def _entry_field_fault(source: Source, node, field_name: str, label: str, refusal: str,
                       refused: str, fix: str, ctx: Context) -> None:
    """model or model_name of another type than a string: what this release does with it
    (recorded: refuses to start, drops the entry, or serves it), else `refusal`."""
    loaded = value_of(node) if isinstance(node, Scalar) else data_of(node)
    outcome = _entry_outcome(ctx, field_name, loaded)
    if outcome == "drops":
        ctx.add(source, node, "entry-dropped",
                f"{label}: {field_name} is {lax.kind_of(loaded)}, not a string: litellm "
                f"{ctx.rules.litellm_version} starts without this entry (recorded); {fix}")
    elif outcome != "serves":
        ctx.add(source, node, refusal, refused)


_SHAPE_WORDS = {int: "a number", float: "a number", list: "a list", dict: "a mapping",
                type(None): "null", str: "a string"}


def _entry_outcome(ctx: Context, field: str, loaded) -> str | None:
    """What this release's recorded runs did with an entry whose `field` is like `loaded`:
    "refuses", "drops", "serves", or None (not recorded)."""
    word = "empty" if loaded == "" else _SHAPE_WORDS.get(type(loaded))
    if word is None:
        return None
    return ctx.rules.data.get("entry_shapes", {}).get(f"{field} {word}")


def _entry_label(name_node) -> str:
    if isinstance(name_node, Scalar):
        return f"model {value_of(name_node)!r}"
    return "this entry"


def resolve_provider(model: str, params: dict, rules: Rules) -> str | None:
    """The provider litellm's get_llm_provider picks for an entry, or None (entry dropped)."""
    custom = params.get("custom_llm_provider")
    if isinstance(custom, str) and custom:
        return custom
    prefix = model.split("/", 1)[0]
    if "/" in model and prefix in rules.providers:
        return prefix
    api_base = params.get("api_base")
    if isinstance(api_base, str) and api_base:
        for endpoint in rules.compatible_endpoints:
            if _endpoint_matches(endpoint, api_base):
                return endpoint
    known = rules.unprefixed_models.get(model)
    if known:
        return known
    if model == "*":
        return "openai"
    for pattern, provider in rules.routing_rules:
        if re.search(pattern, model, re.IGNORECASE):
            return provider
    return None


def _endpoint_matches(endpoint: str, api_base: str) -> bool:
    """litellm's _endpoint_matches_api_base: host and path prefix, scheme ignored."""
    def parts(value: str) -> tuple[str, str]:
        value = value.split("://", 1)[-1]
        host, _, path = value.partition("/")
        return host.lower(), "/" + path.strip("/")
    e_host, e_path = parts(endpoint)
    b_host, b_path = parts(api_base)
    return e_host == b_host and (b_path + "/").startswith(e_path.rstrip("/") + "/")


def _check_provider(source: Source, entry: Mapping, params: Mapping, model, model_text: str,
                    label: str, ctx: Context) -> None:
    plain = {key_of(k): value_of(v) for k, v in params.items()
             if isinstance(v, Scalar) and key_of(k) in ("custom_llm_provider", "api_base")}
    for key in ("custom_llm_provider", "api_base"):
        env = _env_name(plain.get(key))
        if env is not None:
            plain[key] = ctx.env.get(env)
    if any(unknown(value) for value in plain.values()):
        return  # set from a Secret where it runs: nothing to judge the provider by
    custom = plain.get("custom_llm_provider")
    if isinstance(custom, str) and custom and custom not in ctx.rules.providers:
        guess = _did_you_mean(custom, ctx.rules.providers)
        ctx.add(source, params.get("custom_llm_provider"), "unknown-provider",
                f"{label}: custom_llm_provider {custom!r} is not a LiteLLM provider "
                "(\"Unsupported provider\"): the proxy starts without this model"
                + (f"; did you mean {guess}?" if guess else ""))
        return
    if model_text.split("/", 1)[0] == "auto_router" and not (
            "auto_router_config_path" in params or "auto_router_config" in params):
        ctx.add(source, model, "unknown-provider",
                f"{label}: an auto_router model needs auto_router_config_path or "
                "auto_router_config in litellm_params: the proxy starts without this model")
        return
    provider = resolve_provider(model_text, plain, ctx.rules)
    if provider is None:
        ctx.add(source, model, "unknown-provider",
                f"{label}: LiteLLM cannot tell the provider of {model_text!r} (\"LLM Provider "
                f"NOT provided\"): the proxy starts without this model; {_provider_hint(model_text, plain, ctx.rules)}")
        return
    deprecated = ctx.rules.deprecations.get(model_text) or ctx.rules.deprecations.get(
        model_text.split("/", 1)[-1] if "/" in model_text else "")
    if deprecated and deprecated <= ctx.today.isoformat():
        ctx.add(source, model, "deprecated-model",
                f"{label}: {model_text!r} was deprecated on {deprecated} (LiteLLM's model "
                "map); requests may fail")


def _provider_hint(model: str, params: dict, rules: Rules) -> str:
    prefix = model.split("/", 1)[0]
    if "/" in model:
        guess = _did_you_mean(prefix, rules.providers)
        if guess:
            return f"did you mean {guess}/{model.split('/', 1)[1]}?"
        return (f"{prefix!r} is not a LiteLLM provider; write provider/model, e.g. "
                f"openrouter/{model}")
    base = params.get("api_base")
    if isinstance(base, str) and ("11434" in base or "ollama" in base.lower()):
        return f"for Ollama, write ollama/{model}"
    if base:
        return f"write the provider in front, e.g. openai/{model} for an OpenAI-compatible server"
    return f"write the provider in front, e.g. openai/{model}"


_ENTRY_KEYS = frozenset({"model_name", "litellm_params", "model_info"})


def _check_params(source: Source, params: Mapping, label: str, ctx: Context) -> None:
    numeric = ctx.rules.numeric_litellm_params
    types = ctx.rules.key_types["litellm_params"]
    for key, value in params.items():
        name = key_of(key)
        if name not in types and name not in ctx.rules.request_params:
            _check_param_name(source, key, name, label, ctx)
        if value.__class__ is not Scalar:
            if name in numeric:
                ctx.add(source, value, "not-a-number",
                        f"{label}: {name} must be a number: the proxy drops this entry")
            elif name == "model_info" and not isinstance(value, Mapping):
                _check_param_type(source, value, name, data_of(value), types[name], label, ctx)
            elif name == "model_info":
                ctx.add(source, key, "model-info-misplaced",
                        f"{label}: model_info inside litellm_params is not read as model_info "
                        "(mode, costs...): the proxy ignores it there; move it one level up, "
                        "beside litellm_params")
            elif name in types and name != "model" and name not in ctx.rules.lenient_params:
                _check_param_type(source, value, name, data_of(value), types[name], label, ctx)
            continue
        if name in types and name not in numeric and name != "model" and \
                _env_name(value_of(value)) is None and name not in ctx.rules.lenient_params:
            _check_param_type(source, value, name, value_of(value), types[name], label, ctx)
        loaded = value_of(value)
        env_value = _env_name(loaded)
        if name in numeric and env_value is not None and ctx.env.get(env_value) \
                and not unknown(ctx.env[env_value]):
            loaded = ctx.env[env_value]  # the proxy resolves it before building the entry
        if name in numeric and _env_name(loaded) is None \
                and not _is_number(loaded, numeric[name]):
            whole = " whole" if numeric[name] == "int" else ""
            # The value itself is not quoted (the masking policy): its kind is.
            shown = f"{name} is {lax.kind_of(loaded)}, not" if env_value is None else \
                f"{name}: {env_value} (from the environment) is not"
            ctx.add(source, value, "not-a-number",
                    f"{label}: {shown} a{whole} number: the proxy drops this entry")
        if loaded.__class__ is not str:
            continue
        env = _env_name(loaded)
        if env is not None:
            if not ctx.env.get(env) and name != "model":
                ctx.unset_reads.setdefault(env, []).append((source, value, label, name))
        elif name == "api_base" and "://" not in loaded:
            ctx.add(source, value, "api-base-scheme",
                    f"{label}: api_base {shown_url(loaded)!r} has no scheme; write "
                    f"http://{shown_url(loaded)} "
                    "(or https://)")
        if "$" in loaded:
            _check_dollar(source, value, loaded, ctx)


def _check_param_type(source: Source, node, name: str, value, schema: dict, label: str,
                      ctx: Context) -> None:
    if not lax.fits(value, schema):
        ctx.add(source, node, "param-type",
                f"{label}: litellm_params.{name} is {lax.kind_of(value)} where LiteLLM needs "
                f"{lax.describe(schema)}: the proxy drops this entry (\"Error creating "
                "deployment\"); write " + lax.describe(schema))


@lru_cache(maxsize=4)
def _param_names(rules: Rules) -> frozenset:
    return frozenset(rules.key_types["litellm_params"]) | rules.request_params


def _check_param_name(source: Source, key, name, label: str, ctx: Context) -> None:
    guess = _near(name, _param_names(ctx.rules))
    if guess:
        ctx.add(source, key, "unknown-param",
                f"{label}: LiteLLM has no litellm_params.{name}; did you mean {guess}? As "
                "written it is not used as that setting (it is passed on with each request)")


@lru_cache(maxsize=4096)
def _near(name, known: frozenset) -> str | None:
    """A known name one or two typing mistakes away (a swap, a dropped or added letter)."""
    if not isinstance(name, str) or len(name) < 3:
        return None
    limit = 1 if len(name) <= 5 else 2
    best = None
    for candidate in known:
        if not isinstance(candidate, str) or abs(len(candidate) - len(name)) > limit \
                or candidate[:1] != name[:1] and candidate[-1:] != name[-1:]:
            continue
        distance = _typing_distance(name, candidate)
        if distance <= limit and (best is None or distance < best[0]):
            best = (distance, candidate)
    return best[1] if best else None


def _typing_distance(a: str, b: str) -> int:
    """Edits between two words, a swap of neighbours counting as one (Damerau)."""
    previous = None
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (ca != cb))
            if previous is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous[j - 2] + 1)
        previous, row = row, current
    return row[-1]


def _is_number(value, kind: str) -> bool:
    """What pydantic's lax mode accepts for an int / float field (None: not set)."""
    if value is None or isinstance(value, bool):
        return True
    if isinstance(value, str):
        try:
            value = int(value.strip()) if kind == "int" else float(value.strip())
        except ValueError:
            return False
    if not isinstance(value, (int, float)):
        return False
    return kind == "float" or float(value).is_integer()


def _check_dollar(source: Source, node, loaded, ctx: Context) -> None:
    if not isinstance(loaded, str) or "$" not in loaded:
        return
    match = _DOLLAR_VAR.search(loaded)
    if match:
        var = match.group(1) or match.group(2)
        ctx.add(source, node, "dollar-variable",
                f"LiteLLM does not expand {match.group(0)}; write os.environ/{var} (the "
                "value is used as written)")


def _check_model_info(source: Source, info: Mapping, label: str, ctx: Context) -> None:
    mode = info.get("mode")
    if isinstance(mode, Scalar) and value_of(mode) not in ctx.rules.model_modes \
            and value_of(mode) is not None:
        guess = _did_you_mean(value_of(mode), ctx.rules.model_modes)
        ctx.add(source, mode, "model-info-mode",
                f"{label}: model_info.mode {value_of(mode)!r} is not one LiteLLM knows"
                + (f"; did you mean {guess}?" if guess else
                   f" ({', '.join(sorted(ctx.rules.model_modes))})"))
    tier = info.get("tier")
    if isinstance(tier, Scalar) and value_of(tier) is not None \
            and value_of(tier) not in ctx.rules.model_info_tiers:
        ctx.add(source, tier, "model-info-tier",
                f"{label}: model_info.tier must be one of "
                f"{', '.join(sorted(ctx.rules.model_info_tiers))}: the proxy drops this entry")
    types = ctx.rules.key_types["model_info"]
    for key, value in info.items():
        name = key_of(key)
        if name in types and name != "tier":
            loaded = value_of(value) if isinstance(value, Scalar) else data_of(value)
            if not lax.fits(loaded, types[name]):
                ctx.add(source, value, "model-info-type",
                        f"{label}: model_info.{name} is {lax.kind_of(loaded)} where LiteLLM "
                        f"needs {lax.describe(types[name])}: the proxy drops this entry "
                        "(\"Error creating deployment\")")
        elif name in _params_not_info(ctx.rules):
            ctx.add(source, key, "model-info-param",
                    f"{label}: {name} is a litellm_params setting; under model_info the proxy "
                    "does not read it (/model/info only shows it): move it under litellm_params")
        elif name not in ctx.rules.model_info_keys:
            guess = _near(name, ctx.rules.model_info_keys)
            if guess:
                what = {"mode": "health checks then treat it as chat",
                        "base_model": "costs are then looked up under the model's own name"}
                ctx.add(source, key, "model-info-key",
                        f"{label}: LiteLLM does not read model_info.{name}; did you mean "
                        f"{guess}? As written the proxy ignores it"
                        + (f" ({what[guess]})" if guess in what else ""))


@lru_cache(maxsize=4)
def _params_not_info(rules: Rules) -> frozenset:
    """litellm_params settings that are no model_info field (tags is both: /model/info
    returns model_info.tags, and the presets write it there)."""
    return frozenset(rules.key_types["litellm_params"]) - rules.model_info_keys - \
        frozenset(rules.key_types["model_info"]) - {"tags", "model", "model_info"}


# Keys whose values other checks read closely (modules, caches, fallbacks, enums...).
_OWN_CHECKS = frozenset({
    "cache", "cache_params", "callbacks", "success_callback", "failure_callback",
    "audit_log_callbacks", "fallbacks", "context_window_fallbacks", "default_fallbacks",
    "content_policy_fallbacks", "default_team_settings", "routing_strategy", "master_key",
    "custom_auth", "custom_key_generate", "custom_key_update", "custom_sso",
    "custom_ui_sso_sign_in_handler", "custom_team_metadata_validate", "alerting",
    "coordination_redis", "use_redis_transaction_buffer"})


def _check_section_keys(source: Source, section: Mapping, known, name: str,
                        ctx: Context) -> None:
    types = ctx.rules.key_types.get(name, {})
    refuses = set(ctx.rules.wrong_type_refuses["wrong_type"].get(name, ()))
    refuses_when_set = ctx.rules.wrong_type_refuses["when_set"].get(name, {})
    not_json = ctx.rules.data.get("section_refused_kinds", {}).get(name, ())
    for key, value in section.items():
        key_name = key_of(key)
        if not_json and isinstance(value, Scalar) and lax.kind_of(value_of(value)) in not_json:
            ctx.add(source, value, "setting-type",
                    f"{name}.{key_name} is {lax.kind_of(value_of(value))}, which litellm "
                    f"{ctx.rules.litellm_version} does not take in {name} (it reads the section "
                    "as JSON values; recorded): it will not start; quote it")
            continue
        if key_name in refuses_when_set and not _is_null(value):
            ctx.add(source, key, "setting-refused",
                    f"{name}.{key_name}: the proxy will not start with it set here "
                    f"({refuses_when_set[key_name]}); remove it, or meet what the message asks")
            continue
        if key_name in types and key_name not in _OWN_CHECKS:
            _check_setting_type(source, name, key_name, value, types[key_name],
                                key_name in refuses, ctx)
        if key_name in known:
            continue
        guess = _did_you_mean(key_name, known)
        home = _home_of(key_name, ctx.rules)
        where_to = f"; it belongs under {home}" if home and home != name else ""
        ctx.add(source, key, "unknown-key",
                f"the proxy ignores {name}.{key_name}"
                + (f"; did you mean {guess}?" if guess else where_to))


def _check_setting_type(source: Source, section: str, name: str, node, schema: dict,
                        refuses: bool, ctx: Context) -> None:
    """A setting whose value is not of the type the release reads it as."""
    value = value_of(node) if isinstance(node, Scalar) else data_of(node)
    if _env_name(value) is not None:
        return
    # What this release's recorded runs did with a value of this kind for this key.
    kind = lax.kind_of(value)
    refused = kind in ctx.rules.data.get("refused_kinds", {}).get(section, {}).get(name, ())
    accepted = kind in ctx.rules.data.get("accepted_kinds", {}).get(section, {}).get(name, ())
    if refused and not accepted:
        ctx.add(source, node, "setting-type",
                f"{section}.{name} is {kind} where the proxy needs {lax.describe(schema)}: "
                f"litellm {ctx.rules.litellm_version} will not start with it (recorded); "
                f"write {lax.describe(schema)}")
        return
    if accepted and not refused:
        refuses = False  # it started with a value of this kind (recorded)
    if lax.fits(value, schema) or (value is None and not refuses):
        return
    if refuses and isinstance(value, dict) and "properties" not in schema and \
            lax.fits(value, {"type": schema.get("type")}):
        refuses = False  # the mapping itself is what the proxy needed (recorded): values it
        # does not understand are not read as meant, but it starts
    if refuses:
        ctx.add(source, node, "setting-type",
                f"{section}.{name} is {lax.kind_of(value)} where the proxy needs "
                f"{lax.describe(schema)}: it will not start (recorded); write "
                f"{lax.describe(schema)}")
    else:
        ctx.add(source, node, "setting-type-ignored",
                f"{section}.{name} is {lax.kind_of(value)} where LiteLLM expects "
                f"{lax.describe(schema)}: the proxy starts but does not use it as meant; "
                f"write {lax.describe(schema)}")


def _check_section_type(source: Source, name: str, value, ctx: Context) -> None:
    """A top-level section or list of the wrong shape: refused, or skipped without a word."""
    schema = ctx.rules.key_types["top_level"].get(name)
    loaded = value_of(value) if isinstance(value, Scalar) else data_of(value)
    kind = lax.kind_of(loaded)
    if loaded is not None and kind in _recorded_kinds(ctx, "refused_kinds", "top_level", name) \
            and kind not in _recorded_kinds(ctx, "accepted_kinds", "top_level", name):
        ctx.add(source, value, "section-not-mapping",
                f"{name} is {kind}: litellm {ctx.rules.litellm_version} will not start with it "
                f"(recorded)" + (f"; write {name} as {lax.describe(schema)}" if schema else ""))
        return
    if not schema or lax.fits(loaded, schema) or loaded is None:
        return
    if name in ctx.rules.wrong_type_refuses["wrong_type"].get("top_level", ()):
        ctx.add(source, value, "section-not-mapping",
                f"{name} is {lax.kind_of(loaded)} where the proxy needs "
                f"{lax.describe(schema)}: it will not start; write {name} as "
                f"{lax.describe(schema)}")
    else:
        ctx.add(source, value, "section-ignored",
                f"{name} is {lax.kind_of(loaded)} where the proxy reads {lax.describe(schema)}: "
                f"it starts and ignores the whole {name}; write it as {lax.describe(schema)}")


def _recorded_kinds(ctx: Context, table: str, section: str, name: str):
    return ctx.rules.data.get(table, {}).get(section, {}).get(name, ())


def _check_litellm_settings(source: Source, section: Mapping, ctx: Context) -> None:
    _check_section_keys(source, section, ctx.rules.litellm_settings_keys, "litellm_settings",
                        ctx)
    cache = section.get("cache")
    if isinstance(cache, Scalar) and value_of(cache) is True:
        _check_cache(source, section, ctx)
    elif isinstance(cache, Scalar) and value_of(cache) not in (False, None):
        ctx.add(source, cache, "cache-not-boolean",
                "cache is not written as true: the proxy turns the cache on only for the YAML "
                "boolean true, so it runs without one; write cache: true (unquoted)")
    for name in ("callbacks", "success_callback", "failure_callback", "audit_log_callbacks"):
        value = section.get(name)
        if value is not None and not _is_null(value):
            _check_callbacks(source, name, value, ctx)
    rules = section.get("post_call_rules")
    if isinstance(rules, Scalar) and isinstance(value_of(rules), str):
        _check_module_reference(source, "post_call_rules", rules, ctx)
    _check_team_settings(source, section.get("default_team_settings"), ctx)
    reset = section.get("budget_reset_time")
    if isinstance(reset, Scalar) and value_of(reset) is not None and \
            not re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", str(value_of(reset))):
        ctx.add(source, reset, "setting-type",
                "litellm_settings.budget_reset_time must be a 24-hour 'HH:MM' time: the proxy "
                "will not start (\"Invalid budget_reset_time\"); write for example '00:00'")
    _check_guardrails_v1(source, section.get("guardrails"), ctx)
    _check_custom_providers(source, section.get("custom_provider_map"), ctx)
    _check_all_fallbacks(source, section, ctx, "litellm_settings")  # set on litellm


def _check_cache(source: Source, section: Mapping, ctx: Context) -> None:
    params = section.get("cache_params")
    cache_key = section.key("cache")
    values: dict = {}
    if isinstance(params, Mapping):
        for key, value in params.items():
            if isinstance(value, Scalar):
                loaded = value_of(value)
                _check_dollar(source, value, loaded, ctx)
                env = _env_name(loaded)
                if env is not None:
                    loaded = ctx.env.get(env) or None  # what get_secret gives the proxy
                    if loaded is None:
                        ctx.add(source, value, "cache-env-unset",
                                f"cache_params.{key_of(key)} reads {env}, which is not set "
                                "here: the proxy gets no value for it")
                values[key_of(key)] = loaded
    # load_config fills a redis cache from REDIS_HOST/REDIS_PORT only when cache_params is
    # empty; otherwise Cache(**cache_params) runs, whose own default type is local.
    empty = not isinstance(params, Mapping) or not list(params.items())
    kind = values.get("type") or ("redis" if empty else "local")
    if not isinstance(params, Mapping) and params is not None and not _is_null(params):
        ctx.add(source, params, "cache-params-shape",
                "cache_params must be a mapping (type:, host:, ...): the proxy will not start")
        return
    if unknown(kind):
        return  # the type comes from a Secret where it runs
    missing = ctx.rules.caches_needing_packages.get(kind)
    if missing and ctx.lacks(missing):
        ctx.add(source, params.get("type") if isinstance(params, Mapping) else cache_key,
                "cache-needs-package",
                f"a {kind} cache needs {missing}, which {ctx.packaging.described} does not "
                f"install{ctx.packaging.assumption}: the proxy will not start; install it "
                "where the proxy runs")
        return
    if kind not in ctx.rules.cache_types:
        guess = _did_you_mean(kind, ctx.rules.cache_types)
        ctx.add(source, params.get("type") if isinstance(params, Mapping) else cache_key,
                "cache-type",
                f"cache type {kind!r} is not one LiteLLM has: the proxy will not start"
                + (f"; did you mean {guess}?" if guess else
                   f" ({', '.join(sorted(ctx.rules.cache_types))})"))
        return
    needs = ctx.rules.caches_needing_params.get(kind)
    missing_params = [p for p in needs["params"] if values.get(p) is None] if needs else []
    if missing_params and kind != "redis":  # redis: cache-no-host, which knows REDIS_HOST
        ctx.add(source, params.get("type") if isinstance(params, Mapping) else cache_key,
                "cache-missing-param",
                f"a cache of type {kind} needs cache_params.{missing_params[0]}: LiteLLM "
                f"refuses to set it up ({needs['message']!r}) and the proxy will not start")
    if kind in ("redis", "redis-semantic"):
        has_host = values.get("host") or values.get("url") or values.get("redis_startup_nodes") \
            or isinstance(params, Mapping) and isinstance(params.get("redis_startup_nodes"),
                                                          Sequence)
        # The base release reads REDIS_HOST only when cache_params is empty; later ones
        # whatever cache_params holds (recorded).
        reads_env = empty or ctx.rules.data.get("recorded_flags", {}).get(
            "redis_host_env_with_params", False)
        env_host = reads_env and (ctx.env.get("REDIS_HOST") or ctx.env.get("REDIS_URL"))
        if not has_host and not env_host:
            ctx.add(source, section.key("cache_params") or cache_key, "cache-no-host",
                    "a Redis cache with no host: cache_params has no host or url"
                    + ("" if not empty else " and REDIS_HOST / REDIS_URL are not set here")
                    + ": the proxy will not start"
                    + ("; the proxy reads REDIS_HOST only when cache_params is empty"
                       if not empty and (ctx.env.get("REDIS_HOST") or ctx.env.get("REDIS_URL"))
                       else "; write cache_params.host (or url)"))
    if kind == "redis-semantic" and not (values.get("password") or values.get("url")
                                         or values.get("redis_url")
                                         or ctx.env.get("REDIS_PASSWORD")
                                         or ctx.env.get("REDIS_URL")):
        ctx.add(source, params.get("type") if isinstance(params, Mapping) else cache_key,
                "cache-missing-param",
                "a redis-semantic cache needs a password (cache_params.password or "
                "REDIS_PASSWORD) or a url: the proxy will not start (\"Missing required Redis "
                "configuration: REDIS_PASSWORD\")")
    if kind == "redis" and isinstance(params, Mapping):
        for key, value in params.items():
            name = key_of(key)
            if name not in ctx.rules.redis_client_args and name != "type":
                guess = _near(name, ctx.rules.redis_client_args)
                ctx.add(source, key, "cache-param-unknown",
                        f"cache_params.{name} is not an argument of LiteLLM's cache or of the "
                        "Redis client it passes the rest to: the proxy will not start "
                        "(\"unexpected keyword argument\")"
                        + (f"; did you mean {guess}?" if guess else
                           "; remove it (the client's own arguments, such as max_connections "
                           "or socket_timeout, go directly under cache_params)"))
            elif name == "port" and isinstance(value, Scalar) and \
                    values.get("port") is not None and not unknown(values["port"]) and \
                    not lax.fits(values["port"], {"type": "integer"}):
                ctx.add(source, value, "cache-port",
                        "cache_params.port is not a number: the proxy starts, but its Redis "
                        "client cannot connect, so nothing is cached; write the port number "
                        "(or os.environ/REDIS_PORT)")


def _check_callbacks(source: Source, name: str, value, ctx: Context) -> None:
    if isinstance(value, Scalar) and isinstance(value_of(value), str):
        text = value_of(value)
        if name == "callbacks" and "." not in text:
            ctx.add(source, value, "callbacks-string",
                    f"callbacks is a string, which the proxy reads as one module.attribute "
                    f"path, and {text!r} has no module part: it will not start (\"Empty module "
                    f"name\"); write a list: callbacks: [{text}]")
            return
        if name == "callbacks":  # one module.attr
            items = [value]
        elif "." in text:
            ctx.add(source, value, "callbacks-string",
                    f"{name} is a string, which the proxy reads letter by letter: the '.' "
                    "becomes a module name and it will not start (\"Empty module name\"); "
                    f"write a list: {name}: [{text}]")
            return
        else:
            ctx.add(source, value, "callbacks-not-list",
                    f"{name} is a string, which the proxy reads letter by letter (callbacks "
                    f"named {text[:1]!r}, {text[1:2]!r}, ...): it starts without this callback;"
                    f" write a list: {name}: [{text}]")
            return
    elif isinstance(value, Sequence):
        items = value.items
    else:
        return
    for item in items:
        if not isinstance(item, Scalar) or not isinstance(value_of(item), str):
            continue
        callback = value_of(item)
        missing = ctx.rules.callbacks_needing_packages.get(callback)
        missing = missing if missing and ctx.lacks(missing) else None
        refusal = ctx.rules.callbacks_refusing.get(callback) if name == "callbacks" else None
        if refusal and not missing:
            needs = refusal.get("env", [])
            if not needs or not all(ctx.env.get(n) for n in needs):
                ctx.add(source, item, "callback-refused",
                        f"{name}: the built-in callback {callback!r} stops the start-up here "
                        f"({refusal['error']})" + (f"; set {', '.join(needs)} where the proxy "
                                                   "runs" if needs else "; remove it"))
            continue
        if missing:
            ctx.add(source, item, "callback-needs-package",
                    f"{name}: the built-in callback {callback!r} needs the Python package "
                    f"{missing}, which {ctx.packaging.described} does not install"
                    f"{ctx.packaging.assumption}: the proxy will not start; install {missing} "
                    "where the proxy runs")
            continue
        if _logger_refuses_without(callback, name, ctx):
            _add_logger_package(source, name, item, callback, ctx)
            continue
        if callback in ctx.rules.builtin_callbacks:
            continue
        if callback.startswith(("s3://", "gcs://")):
            continue
        if "." not in callback:
            guess = _did_you_mean(callback, ctx.rules.builtin_callbacks)
            if name == "callbacks":
                ctx.add(source, item, "unknown-callback",
                        f"{name}: {callback!r} is neither a LiteLLM callback nor "
                        "module.attribute: the proxy will not start (\"Empty module name\")"
                        + (f"; did you mean {guess}?" if guess else ""))
            elif name != "audit_log_callbacks":
                ctx.add(source, item, "unknown-callback-name",
                        f"{name}: {callback!r} is not a callback LiteLLM has: the proxy "
                        "starts and never calls it"
                        + (f"; did you mean {guess}?" if guess else ""))
            continue
        _check_module_reference(source, name, item, ctx, as_callback=name == "callbacks")


# Built-in loggers that need a package litellm[proxy] lacks, and the first recorded release
# whose start-up stops when one is named in callbacks, success_callback or failure_callback
# without it (earlier ones log the error and start: tests/oracle/realistic/, 1.106.12 and
# 1.110.2).
_LOGGER_PACKAGES = {"langfuse": ("langfuse", "1.110.2"),
                    "otel": ("opentelemetry-sdk", "1.110.2")}


def _add_logger_package(source: Source, name: str, item, callback: str, ctx: Context) -> None:
    needed = _LOGGER_PACKAGES[callback][0]
    ctx.add(source, item, "callback-needs-package",
            f"{name}: the built-in callback {callback!r} needs the Python package {needed}, "
            f"which {ctx.packaging.described} does not install{ctx.packaging.assumption}: "
            f"litellm {ctx.rules.litellm_version} will not start (\"Could not build the "
            f"'{callback}' callback\", recorded); install {needed} where the proxy runs")


def _logger_refuses_without(callback: str, name: str, ctx: Context) -> bool:
    known = _LOGGER_PACKAGES.get(callback)
    return known is not None and name in ("callbacks", "success_callback", "failure_callback") \
        and release_rules.version_key(ctx.rules.litellm_version) >= \
        release_rules.version_key(known[1]) and ctx.lacks(known[0])


def _check_module_reference(source: Source, name: str, node, ctx: Context, *,
                            as_callback: bool = False) -> pymodules.Reference | None:
    """`module.attribute` the proxy imports from the config's folder (get_instance_fn)."""
    value = value_of(node)
    if not isinstance(value, str) or _env_name(value) is not None:
        return None
    if value.startswith(("s3://", "gcs://")):
        return None
    reference = pymodules.resolve(value, ctx.config_folder, ctx.exists, ctx.read,
                                  _importable(ctx))
    if reference.problem:
        callback = name in ("callbacks", "success_callback", "failure_callback",
                            "audit_log_callbacks")
        rule = "module-broken" if reference.path is not None else \
            "callback-module-missing" if callback else "module-missing"
        ctx.add(source, node, rule,
                f"{name}: {value!r}: {reference.problem}; the proxy will not start")
    elif as_callback and pymodules.runs_as_callback(reference) is False:
        ctx.add(source, node, "callback-not-runnable",
                f"{name}: {value!r} is a {reference.kind if reference.kind != 'other' else 'value'}"
                ", neither a CustomLogger instance nor a function: the proxy will not start "
                "(\"resolved to ... which is neither a CustomLogger instance nor a callable\"); "
                "point it at an instance, e.g. proxy_handler_instance = YourLogger()")
    return reference


def _importable(ctx: Context) -> Callable[[str], bool]:
    """What a module beside the config may import besides litellm[proxy]'s environment: what
    the deployment installs; anything at all when PYTHONPATH may put the folder on the path."""
    if ctx.env.get("PYTHONPATH"):
        return lambda _name: True
    return lambda name: not ctx.lacks(name)


def _check_guardrails_v1(source: Source, value, ctx: Context) -> None:
    """litellm_settings.guardrails: [{name: {callbacks: [...]}}], each callback set up."""
    if not isinstance(value, Sequence):
        return
    for item in value.items:
        for _name, spec in item.items() if isinstance(item, Mapping) else ():
            callbacks = spec.get("callbacks") if isinstance(spec, Mapping) else None
            for callback in callbacks.items if isinstance(callbacks, Sequence) else ():
                refusal = ctx.rules.callbacks_refusing.get(value_of(callback)) \
                    if isinstance(callback, Scalar) else None
                if refusal and not all(ctx.env.get(n) for n in refusal.get("env", ["-"])):
                    ctx.add(source, callback, "callback-refused",
                            f"guardrails: the callback {value_of(callback)!r} stops the "
                            f"start-up here ({refusal['error']})")


def _check_team_settings(source: Source, value, ctx: Context) -> None:
    if value is None or _is_null(value):
        return
    items = value.items if isinstance(value, Sequence) else None
    if items is None:
        ctx.add(source, value, "team-settings",
                "default_team_settings must be a list of teams (- team_id: ...): the proxy "
                "will not start (\"team_id missing from default_team_settings\")")
        return
    for item in items:
        if not isinstance(item, Mapping) or not isinstance(item.get("team_id"), Scalar):
            ctx.add(source, item, "team-settings",
                    "each default_team_settings item needs a team_id: the proxy will not start"
                    " (\"team_id missing from default_team_settings\")")


def _check_custom_providers(source: Source, value, ctx: Context) -> None:
    if not isinstance(value, Sequence):
        return
    for item in value.items:
        handler = item.get("custom_handler") if isinstance(item, Mapping) else None
        if isinstance(handler, Scalar):
            _check_module_reference(source, "custom_provider_map", handler, ctx)


def _check_general_settings(source: Source, section: Mapping, ctx: Context) -> None:
    _check_section_keys(source, section, ctx.rules.general_settings_keys, "general_settings",
                        ctx)
    url = section.get("database_url")
    url_text = value_of(url) if isinstance(url, Scalar) else None
    env = _env_name(url_text)
    if env is not None:
        url_text = ctx.env.get(env)
    if url_text and ctx.rules.database_package_missing and ctx.lacks("prisma"):
        ctx.add(source, url, "database-needs-package",
                "with a database_url the proxy needs the prisma package (and its generated "
                f"client), which {ctx.packaging.described} does not install"
                f"{ctx.packaging.assumption}: the proxy will not start; run it from the "
                "litellm-database image or install prisma there")
    key = section.get("master_key")
    env = _env_name(value_of(key)) if isinstance(key, Scalar) else None
    if env is not None and not ctx.env.get(env) and ctx.rules.data.get("master_key_check"):
        pass  # the release refuses to start without it: _check_master_key says so
    elif env is not None and not ctx.env.get(env):
        ctx.add(source, key, "master-key-unset",
                f"master_key reads {env}, which is not set here: the proxy starts without a "
                f"master key, open to anyone who reaches it; set {env} or pass --env-file")
    elif key is not None and not _is_null(key) and not (
            isinstance(key, Scalar) and isinstance(value_of(key), str)):
        loaded = value_of(key) if isinstance(key, Scalar) else data_of(key)
        ctx.add(source, key, "setting-type",
                f"general_settings.master_key is {lax.kind_of(loaded)}, not a string: the "
                "proxy will not start (it calls master_key.startswith); quote it, or better "
                "write os.environ/LITELLM_MASTER_KEY")
    for hook in _HOOKS:
        node = section.get(hook)
        if isinstance(node, Scalar) and isinstance(value_of(node), str):
            _check_module_reference(source, hook, node, ctx)
        elif node is not None and not _is_null(node):
            ctx.add(source, node, "setting-type",
                    f"general_settings.{hook} must be a module.attribute string: the proxy "
                    "will not start")
    _check_alerting(source, section, ctx)
    coordination = section.get("coordination_redis")
    if coordination is not None and not _is_null(coordination):
        if not isinstance(coordination, Mapping):
            ctx.add(source, section.key("coordination_redis"), "setting-type",
                    "general_settings.coordination_redis must be a mapping of Redis connection "
                    "settings: the proxy will not start")
        elif not any(k in coordination for k in ("host", "url", "startup_nodes",
                                                  "sentinel_nodes")):
            ctx.add(source, section.key("coordination_redis"), "setting-type",
                    "general_settings.coordination_redis needs host, url, startup_nodes or "
                    "sentinel_nodes: the proxy will not start")
    buffer = section.get("use_redis_transaction_buffer")
    if isinstance(buffer, Scalar) and value_of(buffer) is True and not ctx.redis_configured:
        ctx.add(source, buffer, "setting-refused",
                "use_redis_transaction_buffer is on but no Redis is configured (a redis cache "
                "in litellm_settings, coordination_redis, or REDIS_HOST): the proxy will not "
                "start; configure Redis or remove the setting")


_HOOKS = ("custom_auth", "custom_key_generate", "custom_key_update", "custom_sso",
          "custom_ui_sso_sign_in_handler", "custom_team_metadata_validate")


def _check_alerting(source: Source, section: Mapping, ctx: Context) -> None:
    alerting = section.get("alerting")
    if alerting is None or _is_null(alerting):
        return
    loaded = value_of(alerting) if isinstance(alerting, Scalar) else data_of(alerting)
    items = loaded if isinstance(loaded, list) else [loaded]
    if "slack" in items and not ctx.env.get("SLACK_WEBHOOK_URL"):
        ctx.add(source, alerting, "slack-webhook-unset",
                "alerting names slack, but SLACK_WEBHOOK_URL is not set here: the proxy starts "
                "and sends no alert; set SLACK_WEBHOOK_URL where the proxy runs")
    if isinstance(loaded, str):
        ctx.add(source, alerting, "setting-type-ignored",
                f"general_settings.alerting is a string: write a list, alerting: [{loaded}]")


def _check_master_key(main: Source, merged: dict, ctx: Context) -> None:
    """No master key at all: the proxy starts open, every request is let in (recorded).

    The proxy takes general_settings.master_key when the key is there (even empty), else
    LITELLM_MASTER_KEY; custom_auth or JWT auth still guard it.
    """
    sections = merged.get("general_settings", [])
    source, settings = sections[-1] if sections else (main, None)
    settings = settings if isinstance(settings, Mapping) else None
    check = ctx.rules.data.get("master_key_check")
    if check:
        _check_master_key_at_start(main, source, settings, check, ctx)
        return
    _check_public_master_key(main, source, settings, ctx)
    if settings is not None and (settings.get("custom_auth") is not None
                                 or _truthy(settings.get("enable_jwt_auth"))):
        return
    if settings is not None and "master_key" in settings:
        if not _is_null(settings.get("master_key")):
            return  # set in the file; master-key-unset covers an unset variable
        ctx.add(source, settings.key("master_key"), "no-master-key",
                "master_key is empty: the proxy starts without a master key (it does not fall "
                "back to LITELLM_MASTER_KEY), open to anyone who reaches it; write master_key: "
                "os.environ/LITELLM_MASTER_KEY")
        return
    if ctx.env.get("LITELLM_MASTER_KEY"):
        return
    ctx.add(main, None, "no-master-key",
            "there is no general_settings.master_key and LITELLM_MASTER_KEY is not set here: the"
            " proxy starts without a master key, open to anyone who reaches it; write "
            "master_key: os.environ/LITELLM_MASTER_KEY under general_settings and set it")


def _master_key_in_use(main: Source, source: Source, settings: Mapping | None,
                       ctx: Context) -> tuple[object, str | None, Source, object, str] | None:
    """(the key the proxy takes, the variable it came from, where, node, what) or None when
    the file's master_key is not a string (setting-type says so).

    general_settings.master_key when the key is there (even empty; os.environ/NAME resolved,
    unset NAME giving none), else LITELLM_MASTER_KEY.
    """
    if settings is not None and "master_key" in settings:
        node = settings.get("master_key")
        loaded = value_of(node) if isinstance(node, Scalar) else data_of(node)
        if loaded is not None and not isinstance(loaded, str):
            return None
        env = _env_name(loaded)
        if env is not None:
            return ctx.env.get(env), env, source, node, f"master_key reads {env}, which"
        return loaded, None, source, node if loaded is not None else settings.key(
            "master_key"), "general_settings.master_key"
    at = settings.start_mark if settings is not None else None
    return ctx.env.get("LITELLM_MASTER_KEY"), "LITELLM_MASTER_KEY", source if at else main, \
        _At(at) if at else None, "there is no general_settings.master_key and " \
        "LITELLM_MASTER_KEY, which"


@dataclass(frozen=True)
class _At:
    """A place to point a finding at that is not a node of its own (a section's start)."""
    start_mark: object


def _weakness(key, known: frozenset) -> str | None:
    import hashlib

    if key is None:
        return "is not set here"
    if not str(key).strip():
        return "is empty"
    if hashlib.sha256(str(key).strip().encode()).hexdigest() in known:
        return "is a publicly known key (the example key of LiteLLM's docs)"
    return None


_PUBLIC_KEYS = frozenset({"88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b"})


def _check_public_master_key(main: Source, source: Source, settings: Mapping | None,
                             ctx: Context) -> None:
    """A release without the start-up check runs with an empty or publicly known key."""
    found = _master_key_in_use(main, source, settings, ctx)
    if found is None or found[0] is None:
        return  # none at all: no-master-key / master-key-unset say it starts open
    key, _env, where_source, node, what = found
    weak = _weakness(key, _PUBLIC_KEYS)
    if weak:
        ctx.add(where_source, node, "master-key-insecure",
                f"{what} {weak}: the proxy starts with it, and it guards nothing; set a "
                "generated key (openssl rand -hex 32)")


def _check_master_key_at_start(main: Source, source: Source, settings: Mapping | None,
                               check: dict, ctx: Context) -> None:
    """A release that refuses an unset, empty or publicly known master key at start-up
    (litellm/proxy/auth/master_key_boot_check.py), unless its setting or variable permits."""
    found = _master_key_in_use(main, source, settings, ctx)
    if found is None:
        return
    key, env, where_source, node, what = found
    weak = _weakness(key, frozenset(check["known_sha256"]))
    if weak is None:
        return
    permit = settings.get(check["setting"]) if settings is not None else None
    permitted = (isinstance(permit, Scalar) and value_of(permit) is True) or \
        str(ctx.env.get(check["env"], "")).strip().lower() == "true"
    release = ctx.rules.litellm_version
    if permitted:
        if key is not None:
            ctx.add(where_source, node, "master-key-insecure",
                    f"{what} {weak}, which {check['setting']} lets litellm {release} start "
                    "with: it guards nothing; set a generated key (openssl rand -hex 32)")
        else:
            ctx.add(where_source, node, "no-master-key",
                    f"{what} {weak}; {check['setting']} lets litellm {release} start without "
                    "a master key, open to anyone who reaches it; set it to a generated key")
        return
    fix = (f"set {env} where the proxy runs to a generated key (openssl rand -hex 32)"
           if env else "write master_key: os.environ/LITELLM_MASTER_KEY and set that variable"
           " to a generated key")
    # From a variable, the verdict depends on where validate runs; a literal does not.
    rule = "master-key-refused" if env is not None else "master-key-weak"
    ctx.add(where_source, node, rule,
            f"{what} {weak}: litellm {release} refuses to start with no, an empty or a "
            f"publicly known master key; {fix} (for local development only, "
            f"general_settings.{check['setting']}: true or {check['env']}=true starts it "
            "anyway)")


def _truthy(node) -> bool:
    return isinstance(node, Scalar) and bool(value_of(node))


def _check_router_settings(source: Source, section: Mapping, ctx: Context) -> None:
    known = ctx.rules.router_settings_keys
    for key, _value in section.items():
        name = key_of(key)
        if name in ctx.rules.router_settings_raising:
            ctx.add(source, key, "router-setting-misplaced",
                    f"router_settings.{name} makes the proxy refuse to start; move it to "
                    f"{ctx.rules.router_settings_raising[name]}")
    _check_section_keys(source, _without(section, ctx.rules.router_settings_raising), known,
                        "router_settings", ctx)
    strategy = section.get("routing_strategy")
    if isinstance(strategy, Scalar) and value_of(strategy) not in ctx.rules.routing_strategies:
        guess = _did_you_mean(value_of(strategy), ctx.rules.routing_strategies)
        ctx.add(source, strategy, "routing-strategy",
                f"routing_strategy {value_of(strategy)!r} is not one LiteLLM has: the proxy "
                "will not start" + (f"; did you mean {guess}?" if guess else
                                    f" ({', '.join(sorted(ctx.rules.routing_strategies))})"))
    _check_all_fallbacks(source, section, ctx, "router_settings")
    _check_aliases(source, section.get("model_group_alias"), ctx)
    url = section.get("redis_url")
    if isinstance(url, Scalar) and isinstance(value_of(url), str) and \
            _env_name(value_of(url)) is None and \
            not value_of(url).startswith(("redis://", "rediss://", "unix://")):
        ctx.add(source, url, "setting-type",
                "router_settings.redis_url must start with redis://, rediss:// or unix://: "
                "the proxy will not start (\"Redis URL must specify one of the following "
                "schemes\")")
    plugins = section.get("plugins")
    if isinstance(plugins, Sequence):
        for item in plugins.items:
            if isinstance(item, Scalar) and isinstance(value_of(item), str):
                _check_module_reference(source, "router_settings.plugins", item, ctx)


def _check_aliases(source: Source, aliases, ctx: Context) -> None:
    """model_group_alias: each alias names a model_name; a mapping value needs `hidden`."""
    if not isinstance(aliases, Mapping):
        return
    for key, target in aliases.items():
        name = target
        if isinstance(target, Mapping):
            if "hidden" not in target:
                ctx.add(source, target, "alias-shape",
                        f"model_group_alias.{key_of(key)} is a mapping without hidden: the "
                        "proxy will not start (KeyError: 'hidden'); add hidden: false, or "
                        "write the model_name alone")
                continue
            name = target.get("model")
        if isinstance(name, Scalar) and ctx.model_names and \
                value_of(name) not in ctx.model_names:
            ctx.add(source, name, "alias-unknown-model",
                    f"model_group_alias.{key_of(key)} points at {value_of(name)!r}, which no "
                    "model_list entry has: requests to the alias will fail; name a model_name "
                    "of model_list")


_FALLBACK_NAMES = ("fallbacks", "context_window_fallbacks", "content_policy_fallbacks",
                   "default_fallbacks")


# The router takes these from router_settings when set there, else from litellm_settings
# (`fallbacks or litellm.fallbacks`, 1.100.0 to 1.110.2; recorded on 1.110.2, which refuses
# a string target in litellm_settings only when the router reads it: tests/oracle/realistic/).
_ROUTER_FIRST = ("fallbacks", "context_window_fallbacks", "content_policy_fallbacks")


def _router_fallbacks(merged: dict) -> frozenset:
    return frozenset(name for _source, section in merged.get("router_settings", [])
                     if isinstance(section, Mapping) for name in _ROUTER_FIRST
                     if isinstance(section.get(name), Sequence) and section.get(name).items)


def _check_all_fallbacks(source: Source, section: Mapping, ctx: Context, where: str) -> None:
    for name in _FALLBACK_NAMES:
        value = section.get(name)
        if value is not None and not _is_null(value) and where == "litellm_settings" \
                and name in ctx.router_fallbacks:
            ctx.add(source, section.key(name), "fallbacks-ignored",
                    f"litellm_settings.{name} is not used: router_settings.{name} is set, and "
                    f"the router then takes its {name} from there alone; move these into "
                    f"router_settings.{name}")
        elif value is not None and not _is_null(value):
            if _check_recorded_fallbacks(source, where, name, value, ctx):
                continue
            if name == "default_fallbacks":
                _check_default_fallbacks(source, value, ctx)
            else:
                _check_fallbacks(source, name, value, ctx, where)


def _fallback_fault(value):
    """The node a fallbacks value goes wrong at: the first item or target not in the form
    every release reads, else the value itself."""
    if not isinstance(value, Sequence):
        return value
    for item in value.items:
        if not isinstance(item, Mapping) or len(list(item.items())) != 1:
            return item
        for _key, targets in item.items():
            if fallback_shape(data_of(targets) if not isinstance(targets, Scalar)
                              else [value_of(targets)]) not in ("lists", "strings"):
                return targets
    return value


def _check_recorded_fallbacks(source: Source, where: str, name: str, value,
                              ctx: Context) -> bool:
    """What this release's recorded runs did with fallbacks of this shape (True: said).

    The form every release reads is a list of one-key mappings to lists (default_fallbacks:
    a list of model_names); other shapes start on some releases and stop others.
    """
    loaded = value_of(value) if isinstance(value, Scalar) else data_of(value)
    shape = fallback_shape(loaded)
    canonical = "strings" if name == "default_fallbacks" else "lists"
    outcome = ctx.rules.data.get("fallback_shapes", {}).get(where, {}).get(name, {}).get(shape)
    if outcome is None or shape in (canonical, "empty", "null"):
        return False
    release = ctx.rules.litellm_version
    form = ("a list of model_names (- gpt-4o)" if name == "default_fallbacks"
            else "- model: [fallback, ...]")
    if outcome == "refuses":
        ctx.add(source, _fallback_fault(value), "fallbacks-shape",
                f"{where}.{name} written as {shape}: litellm {release} will not start with it "
                f"(recorded); write {form}")
    elif shape == "a string target" and name != "default_fallbacks":
        ctx.add(source, _fallback_fault(value), "fallbacks-ignored",
                f"{where}.{name}: a fallback target is a string, not a list: litellm "
                f"{release} starts but that fallback never routes ("
                + _later_refusal(where, name, shape) + f"); write {form}")
    else:
        ctx.add(source, _fallback_fault(value), "fallbacks-form",
                f"{where}.{name} written as {shape}: litellm {release} starts with it "
                f"(recorded), but other releases refuse it or never route it; write {form}")
    return True


@lru_cache(maxsize=None)
def _first_refusing(where: str, name: str, shape: str) -> str | None:
    """The oldest release litellm-gen knows whose recorded runs refuse fallbacks of `shape`."""
    from generator.releases.rules import known_releases, release_data

    for release in known_releases():
        shapes = release_data(release).get("fallback_shapes", {})
        if shapes.get(where, {}).get(name, {}).get(shape) == "refuses":
            return release
    return None


def _later_refusal(where: str, name: str, shape: str) -> str:
    first = _first_refusing(where, name, shape)
    return (f"litellm {first} and later refuse to start with it" if first
            else "later releases refuse it")


def _check_default_fallbacks(source: Source, value, ctx: Context) -> None:
    """default_fallbacks: model_names tried for any group that fails."""
    if not isinstance(value, Sequence):
        return
    for item in value.items:
        if isinstance(item, Scalar) and ctx.model_names and \
                value_of(item) not in ctx.model_names:
            ctx.add(source, item, "fallback-unknown-model",
                    f"default_fallbacks names {value_of(item)!r}, which no model_list entry "
                    "has: that fallback will fail")


def _without(section: Mapping, names) -> Mapping:
    copy = Mapping(section.start_mark)
    copy.pairs = [(k, v) for k, v in section.items() if key_of(k) not in names]
    return copy


def _check_fallbacks(source: Source, name: str, value, ctx: Context, where: str) -> None:
    if name == "context_window_fallbacks":
        # The release keeps context_window_fallbacks as written, whatever its shape
        # (recorded): a wrong shape starts, and the fallback never happens.
        if not isinstance(value, Sequence) or not all(
                isinstance(i, Mapping) and len(list(i.items())) == 1 for i in value.items):
            ctx.add(source, value, "fallbacks-ignored",
                    f"{name} is not a list of one-key mappings: the proxy starts, but never "
                    "falls back; write - model: [fallback, ...]")
            return
    if not isinstance(value, Sequence):
        ctx.add(source, value, "fallbacks-shape",
                f"{name} must be a list of one-key mappings (- model: [fallback, ...]): "
                "the proxy will not start")
        return
    judged: set[int] = set()  # target lists met again through an alias: judged once
    for item in value.items:
        if id(item) in judged:
            continue
        judged.add(id(item))
        if not isinstance(item, Mapping) or len(list(item.items())) != 1:
            ctx.add(source, item, "fallbacks-shape",
                    f"each {name} item must be a mapping with exactly one key "
                    "(- model: [fallback, ...]): the proxy will not start")
            continue
        for key, targets in item.items():
            names = [(key, key_of(key))]
            if isinstance(targets, Sequence) and id(targets) not in judged:
                judged.add(id(targets))
                names += [(t, value_of(t)) for t in targets.items if isinstance(t, Scalar)]
            elif isinstance(targets, Scalar) and not _is_null(targets):
                names.append((targets, value_of(targets)))
                ctx.add(source, targets, "fallbacks-ignored",
                        f"{name}: the fallback of {key_of(key)!r} is a string, not a list: "
                        "this release starts but the fallback never routes ("
                        + _later_refusal(where, name, "a string target")
                        + f"); write [{value_of(targets)}]")
            for node, model_name in names:
                if model_name not in ctx.model_names and ctx.model_names:
                    ctx.add(source, node, "fallback-unknown-model",
                            f"{name} names {model_name!r}, which no model_list entry has: "
                            "that fallback will fail")


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


# What CredentialItem (pydantic) needs of each credential_list item, on every recorded
# release (tests/oracle/realistic/): field -> (is it right, what it must be).
_CREDENTIAL_FIELDS = {
    "credential_name": (lambda n: isinstance(n, Scalar) and isinstance(value_of(n), str),
                        "a string"),
    "credential_values": (lambda n: isinstance(n, Mapping), "a mapping (api_key: ..., ...)"),
    "credential_info": (lambda n: isinstance(n, Mapping), "a mapping ({} when there is "
                                                          "nothing to say)"),
}


def _check_credentials(merged: dict, ctx: Context) -> None:
    """credential_list as the proxy builds it after the router (CredentialItem for each item),
    and the entries that name a credential with litellm_params.litellm_credential_name."""
    names: set[str] = set()
    for source, value in merged.get("credential_list", []):
        if isinstance(value, Sequence):
            for item in value.items:
                names.update(_check_credential(source, item, ctx))
        elif not _is_null(value) and data_of(value):
            ctx.add(source, value, "credential-shape",
                    f"credential_list is {lax.kind_of(data_of(value))}, not a list of "
                    "credentials (- credential_name:, credential_values:, credential_info:): "
                    "the proxy will not start")
    for source, entry in ctx.credential_refs:
        _check_credential_reference(source, entry, names, ctx)
    ctx.credential_refs.clear()


def _check_credential(source: Source, item, ctx: Context) -> list[str]:
    """The faults of one credential_list item; its name when it has one."""
    if not isinstance(item, Mapping):
        ctx.add(source, item, "credential-shape",
                "each credential_list item must be a mapping (credential_name:, "
                "credential_values:, credential_info:): the proxy will not start")
        return []
    for field_name, (right, wanted) in _CREDENTIAL_FIELDS.items():
        node = item.get(field_name)
        if node is None and field_name not in item:
            ctx.add(source, item, "credential-shape",
                    f"this credential has no {field_name}: the proxy will not start "
                    f"(CredentialItem: Field required); write {field_name}: as {wanted}")
        elif not right(node):
            ctx.add(source, node, "credential-shape",
                    f"credential {field_name} must be {wanted}: the proxy will not start "
                    "(CredentialItem validation error)")
    name = item.get("credential_name")
    return [value_of(name)] if isinstance(name, Scalar) and isinstance(value_of(name), str) \
        else []


def _check_credential_reference(source: Source, entry, names: set[str], ctx: Context) -> None:
    params = entry.get("litellm_params") if isinstance(entry, Mapping) else None
    node = params.get("litellm_credential_name") if isinstance(params, Mapping) else None
    if not isinstance(node, Scalar) or not isinstance(value_of(node), str) \
            or value_of(node) in names or _env_name(value_of(node)) is not None:
        return
    ctx.add(source, node, "credential-unknown",
            f"{_entry_label(entry.get('model_name'))}: litellm_credential_name "
            f"{value_of(node)!r} is no credential_list item's credential_name: the proxy starts, "
            "and requests to this model go without its values (\"Credential ... not found in "
            "credential_list\") unless the proxy's database holds it")


def _check_guardrails(source: Source, value, ctx: Context) -> None:
    """The top-level guardrails list, as init_guardrails_v2 sets each one up."""
    if _is_null(value):
        return
    if not isinstance(value, Sequence):
        ctx.add(source, value, "guardrail-shape",
                "guardrails must be a list (- guardrail_name: ..., litellm_params: ...): the "
                "proxy will not start")
        return
    vendors = ctx.rules.guardrail_vendors
    for item in value.items:
        if not isinstance(item, Mapping):
            ctx.add(source, item, "guardrail-shape",
                    "each guardrails item must be a mapping with guardrail_name and "
                    "litellm_params: the proxy will not start")
            continue
        params = item.get("litellm_params")
        for needed in ("guardrail_name", "litellm_params"):
            if needed not in item:
                ctx.add(source, item, "guardrail-shape",
                        f"this guardrail has no {needed}: the proxy will not start "
                        f"(KeyError: '{needed}')")
                break
        else:
            if not isinstance(params, Mapping):
                ctx.add(source, item.key("litellm_params"), "guardrail-shape",
                        "the guardrail's litellm_params must be a mapping: the proxy will not "
                        "start")
                continue
            _check_guardrail(source, item, params, vendors, ctx)


def _check_guardrail(source: Source, item: Mapping, params: Mapping, vendors: dict,
                     ctx: Context) -> None:
    name = item.get("guardrail_name")
    label = f"guardrail {value_of(name)!r}" if isinstance(name, Scalar) else "this guardrail"
    vendor_node = params.get("guardrail")
    missing = [k for k in ("guardrail", "mode") if params.get(k) is None]
    if missing:
        ctx.add(source, item.key("litellm_params"), "guardrail-skipped",
                f"{label} has no litellm_params.{missing[0]}: the proxy skips it (\"invalid "
                f"configuration, proxy is starting WITHOUT this guardrail\"); add {missing[0]}")
        return
    vendor = value_of(vendor_node) if isinstance(vendor_node, Scalar) else None
    if not isinstance(vendor, str):
        return
    given = {key_of(k) for k, _v in params.items()}
    if vendor in vendors:
        probe = vendors[vendor]
        needs = probe.get("env", [])
        bare = not given - {"guardrail", "mode", "default_on", "guardrail_name"}
        if probe["alone"] == "refuses" and needs and bare \
                and not all(ctx.env.get(n) for n in needs):
            unset = [n for n in needs if not ctx.env.get(n)]
            which = (("which is" if len(needs) == 1 else "which are") if unset == needs else
                     f"and {', '.join(unset)} {'is' if len(unset) == 1 else 'are'}")
            ctx.add(source, vendor_node, "guardrail-needs-env",
                    f"{label}: the {vendor} guardrail needs {' and '.join(needs)}, {which} "
                    "not set here: the proxy will not start; set them where the proxy runs (or "
                    "give the settings in litellm_params)")
        elif probe["alone"] == "refuses" and not needs and bare:
            ctx.add(source, vendor_node, "guardrail-needs-env",
                    f"{label}: the {vendor} guardrail needs more than guardrail and mode: the "
                    f"proxy will not start ({probe.get('error', 'recorded')})")
        elif probe["alone"] == "skipped" and not given - {"guardrail", "mode", "default_on"}:
            ctx.add(source, vendor_node, "guardrail-skipped",
                    f"{label}: the {vendor} guardrail needs more litellm_params than guardrail"
                    " and mode: the proxy skips it (\"invalid configuration, proxy is starting "
                    "WITHOUT this guardrail\"); add its settings (api_base, api_key, ...)")
        return
    if "." in vendor:
        reference = _check_module_reference(source, "guardrail", vendor_node, ctx)
        if reference is not None and reference.problem is None and \
                reference.kind in ("instance", "function", "other"):
            ctx.add(source, vendor_node, "guardrail-skipped",
                    f"{label}: {vendor!r} is not a class: the proxy skips the guardrail; "
                    "point guardrail at a CustomGuardrail subclass (module.ClassName)")
        return
    guess = _did_you_mean(vendor, frozenset(vendors))
    ctx.add(source, vendor_node, "unknown-guardrail",
            f"{label}: {vendor!r} is not a guardrail LiteLLM has: the proxy skips it and starts "
            "WITHOUT this guardrail" + (f"; did you mean {guess}?" if guess else
                                        "; use a LiteLLM guardrail or module.ClassName"))


@lru_cache(maxsize=4096)
def _secret_key(name: str) -> bool:
    return is_secret_key(name)  # the same few key names repeat in every entry


# Keys whose names look like secrets but hold names, module paths or file paths.
_NOT_SECRET_KEYS = frozenset({"credential_name", "litellm_credential_name", "custom_auth",
                              "custom_auth_settings", "custom_key_generate", "key_management_system",
                              "litellm_jwtauth", "enable_jwt_auth", "custom_sso"})
_NOT_SECRET_VALUE = re.compile(r"^(?:[$€£]?\s*[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?|"
                               r"(?:\.{0,2}/|~/|[A-Za-z]:\\)[^\s]*|[^\s/]+\.json|"
                               r"[A-Za-z_][A-Za-z0-9_]{0,30}(?:\.[A-Za-z_][A-Za-z0-9_]{0,30})+)$")


# Helm charts (LiteLLM's deploy/charts/litellm-helm, the Bitnami postgresql and redis it
# uses) name a Kubernetes Secret and the key inside it: masterkeySecretKey, passwordKey, ...
_SECRET_REFERENCE_KEY = re.compile(
    r"existingSecret|secretKeys|[a-z]*(?:[A-Z][a-z0-9]*)*(?:SecretKey|SecretName|Secrets)|"
    r"[a-z]*(?:[A-Z][a-z0-9]*)*(?:[Pp]assword|[Uu]sername|[Uu]ser|[Ee]ndpoint)Key")
# What such a key holds: a Secret's or a key's name, one case throughout (not a random key).
_SECRET_REFERENCE = re.compile(r"[a-z0-9]+(?:[-._][a-z0-9]+)*|[A-Z0-9]+(?:[-._][A-Z0-9]+)*")


def looks_like_secret(key: str, value: str) -> bool:
    """A literal under a secret-looking key that is a secret: not a name, path, module or price."""
    if key in _NOT_SECRET_KEYS or key.endswith(("_name", "_path", "_file")):
        return False
    if _SECRET_REFERENCE_KEY.fullmatch(key) and _SECRET_REFERENCE.fullmatch(value.strip()):
        return False
    return value.startswith("eyJ") or not _NOT_SECRET_VALUE.match(value.strip())


def _check_literal_secrets(source: Source, root: Mapping, ctx: Context) -> None:
    for value, key in marked.all_scalars(root):
        if key is None or value.tag is not None or not value.value:
            continue
        if _secret_key(key.value) and isinstance(value_of(value), str) \
                and not is_reference(value.value) and looks_like_secret(key.value, value.value):
            ctx.add(source, value, "literal-secret",
                    f"{key.value} holds a literal secret (not shown): it is in the file and in git; "
                    f"write os.environ/NAME and set NAME where the proxy runs")
