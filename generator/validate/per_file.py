"""The edge of `validate`: reads the config, its includes and the env file, then checks.

Everything here is I/O (files, the environment, the clock); the checks themselves
are `validate.check_sources`, which sees only parsed documents.
"""
from __future__ import annotations

import datetime as _dt
import os
import re
from pathlib import Path
from typing import Mapping as MappingType
from typing import Sequence

import yaml

from generator.boundary import marked
from generator.boundary.errors import UserError
from generator.boundary.files import MAX_SMALL_BYTES, read_config, read_quietly
from generator.boundary.marked import Mapping, Scalar, value_of
from generator.boundary.marked import Sequence as SeqNode
from generator.merge.manifest import embedded_text
from generator.releases import rules as release_rules
from generator.validate.checks import Context, Source, check_sources, rules_for, syntax_finding
from generator.validate.checks.model_list import check_entry
from generator.validate.registry import Finding

_ENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*?)\s*$")


def read_env_file(path: Path) -> dict[str, str]:
    """Variables from a `.env` file in the format docker compose reads (KEY=VALUE)."""
    text = read_config(path, what="env", limit=MAX_SMALL_BYTES).text
    env: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _ENV_LINE.match(line)
        if not match:
            raise UserError("not a VARIABLE=value line", path=str(path), line=number, column=1)
        name, value = match.groups()
        if value[:1] in ("'", '"') and len(value) > 1 and value.endswith(value[0]):
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        env[name] = value
    return env


def validate_file(path: Path, *, key_path: Sequence[str] = (), configmap: str | None = None,
                  env: MappingType[str, str], today: _dt.date,
                  release: str = release_rules.BASE, packaging=None) -> list[Finding]:
    """All findings for the config at `path` (and the files it includes), judged by the
    rules of `release` (a release the tool knows) in the environment `packaging`
    (release_pin.Packaging) makes; None: litellm[proxy], assumed."""
    text = read_config(path).text
    shift = 0
    embedded = embedded_text(text, configmap) if not key_path else None
    if embedded is not None:
        text, shift = embedded
    shown = str(path)
    folder = os.path.dirname(os.path.abspath(path))
    ctx = Context(rules_for(release), env, os.path.isfile, folder, today, read=_read_module)
    if packaging is not None:
        ctx.packaging = packaging
    # Under --key-path the config's model_list is not the root's: read it whole.
    source, finding = _parse(shown, text, shift, None if key_path else ctx)
    if finding is not None:
        return [finding]
    if key_path:
        source = _descend(source, key_path)
    sources, findings = _read_includes(source, folder, shift, ctx)
    return sorted(findings + check_sources(sources, ctx))


# From this release on, an included file's own include: names files next to it (falling
# back to the config's folder); before it, every name is read from the config's folder, the
# included file's list joined to the config's (recorded on 1.100.0 and 1.106.12).
_NESTED_BESIDE_FROM = (1, 106, 12)


def _read_includes(main: Source, folder: str, shift: int, ctx: Context
                   ) -> tuple[list[Source], list[Finding]]:
    """The config and every file it includes, in the order the proxy merges them: the
    config's include: list, then what each included file includes in turn (once each)."""
    sources, findings = [main], []
    pending = [(main, node, name) for node, name in _include_names(main)]
    seen = {os.path.abspath(main.path)}
    beside = release_rules.version_key(ctx.rules.litellm_version) >= _NESTED_BESIDE_FROM
    while pending:
        declared_in, node, name = pending.pop(0)
        include_path = _include_location(declared_in, name, folder, beside)
        if os.path.abspath(include_path) in seen:
            continue
        seen.add(os.path.abspath(include_path))
        shown = os.path.join(os.path.dirname(declared_in.path), name) \
            if declared_in is main or beside else os.path.join(os.path.dirname(main.path), name)
        included, finding = _read_include(declared_in, node, name, Path(include_path), shown,
                                          shift if declared_in is main else 0, ctx)
        if finding is not None:
            findings.append(finding)
        if included is not None:
            sources.append(included)
            pending += [(included, n, v) for n, v in _include_names(included)]
    return sources, findings


def _include_location(declared_in: Source, name: str, folder: str, beside: bool) -> str:
    """Where the proxy reads an include: entry (resolve_include_file_path from 1.106.12)."""
    root_relative = os.path.join(folder, name)
    if not beside:
        return root_relative
    declared = os.path.join(os.path.dirname(os.path.abspath(declared_in.path)), name)
    if os.path.abspath(declared) == os.path.abspath(root_relative) \
            or not os.path.exists(root_relative) or os.path.exists(declared):
        return declared
    return root_relative


def _read_include(declared_in: Source, node, name: str, include_path: Path, shown: str,
                  shift: int, ctx: Context) -> tuple[Source | None, Finding | None]:
    """One included file, parsed; or the finding that says why the proxy cannot read it."""
    line, column = marked.where(node)
    where_ = (declared_in.path, line + shift, column)
    if include_path.exists() and not include_path.is_file():
        return None, Finding.of("include-unreadable", *where_,
                                f"included {name!r} is not a file ({shown}): the proxy will "
                                "not start (it opens it to read it)")
    if not include_path.is_file():
        return None, Finding.of("include-missing", *where_,
                                f"included file {name!r} is not there ({shown}): the proxy "
                                "will not start")
    try:
        include_text = read_config(include_path, what="included").text
    except UserError as exc:
        return None, Finding.of("include-unreadable", *where_,
                                f"included file {name!r} cannot be read ({exc.message}): the "
                                "proxy will not start")
    included, finding = _parse(shown, include_text, 0, ctx)
    return (None, finding) if finding is not None else (included, None)


def _read_module(path: str) -> str | None:
    """A Python module beside the config, for validate to read (never to run)."""
    raw = read_quietly(path, MAX_SMALL_BYTES)
    try:
        return raw.decode("utf-8") if raw is not None else None
    except UnicodeDecodeError:
        return None


def _parse(shown: str, text: str, shift: int, ctx: Context | None
           ) -> tuple[Source, Finding | None]:
    """The parsed source; with `ctx`, its model_list entries are checked as they are read."""
    empty = Source(shown, marked.Document(None, []), shift)
    on_entry = (lambda entry: check_entry(empty, entry, ctx)) if ctx is not None else None
    before = len(ctx.findings) if ctx is not None else 0
    try:
        document = marked.parse(text, on_entry)
    except (yaml.YAMLError, marked.TagError, marked.BuildError) as exc:
        if ctx is not None:
            del ctx.findings[before:]  # a file the proxy cannot load has no entries to judge
        return empty, syntax_finding(shown, exc, shift)
    return Source(shown, document, shift), None


def _descend(source: Source, key_path: Sequence[str]) -> Source:
    node = source.document.root
    for name in key_path:
        child = node.get(name) if isinstance(node, Mapping) else None
        if child is None:
            raise UserError(f"--key-path {'.'.join(key_path)}: there is no {name!r} here",
                            path=source.path)
        node = child
    return Source(source.path, marked.Document(node, source.document.duplicates),
                  source.line_shift)


def _include_names(source: Source) -> list[tuple[Scalar, str]]:
    root = source.document.root
    if not isinstance(root, Mapping):
        return []
    include = root.get("include")
    if not isinstance(include, SeqNode):
        return []
    return [(item, value_of(item)) for item in include.items
            if isinstance(item, Scalar) and isinstance(value_of(item), str)]
