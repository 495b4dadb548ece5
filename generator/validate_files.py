"""The edge of `validate`: reads the config, its includes and the env file, then checks.

Everything here is I/O (files, the environment, the clock); the checks themselves
are `validate.check_sources`, which sees only parsed documents.
"""
from __future__ import annotations

import datetime as _dt
import os
import re
from pathlib import Path
from typing import Mapping as MappingType, Sequence

import yaml

from . import marked, release_rules
from .errors import UserError
from .files import MAX_SMALL_BYTES, read_config, read_quietly
from .manifest import embedded_text
from .marked import Mapping, Scalar, Sequence as SeqNode, value_of
from .validate import (Context, Finding, Source, check_entry, check_sources, rules_for,
                       syntax_finding)

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
    sources = [source]
    findings: list[Finding] = []
    for node, name in _include_names(source):
        include_path = Path(folder) / name
        shown_include = os.path.join(os.path.dirname(shown), name)
        if include_path.exists() and not include_path.is_file():
            line, column = marked.where(node)
            findings.append(Finding.of("include-unreadable", shown, line + shift, column,
                                       f"included {name!r} is not a file ({shown_include}): "
                                       "the proxy will not start (it opens it to read it)"))
            continue
        if not include_path.is_file():
            line, column = marked.where(node)
            findings.append(Finding.of("include-missing", shown, line + shift, column,
                                       f"included file {name!r} is not there ({shown_include}): "
                                       "the proxy will not start"))
            continue
        try:
            include_text = read_config(include_path, what="included").text
        except UserError as exc:
            line, column = marked.where(node)
            findings.append(Finding.of("include-unreadable", shown, line + shift, column,
                                       f"included file {name!r} cannot be read ({exc.message}): "
                                       "the proxy will not start"))
            continue
        included, finding = _parse(shown_include, include_text, 0, ctx)
        if finding is not None:
            findings.append(finding)
        else:
            sources.append(included)
    return sorted(findings + check_sources(sources, ctx))


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
