"""Rendering a preset template into a checked model_list entry.

A preset template is YAML for one entry, written with two-space indentation,
preceded by `{% set %}` lines that describe it (see the README):

    {%- set category = "tts" -%}
    {%- set source = "seed (openai-api-models.md, 2025-11-29)" -%}
    {%- set deprecation_date = "" -%}
    {%- set successor = "" -%}
    model_name: tts-1
    ...

Templates render in Jinja2's sandbox; the result must load as one entry, name
no literal secret and carry none of the merge's marker text.
"""
from __future__ import annotations

import datetime as _dt
import re
import traceback
from pathlib import Path
from typing import Iterable

import yaml

from generator.boundary.errors import UserError
from generator.boundary.files import MAX_SMALL_BYTES, read_text_file
from generator.boundary.secrets import mask_value
from generator.merge.model import PresetEntry
from generator.presets.cache import RenderCache
from generator.presets.catalog import TEMPLATE_SUFFIX, Catalog, preset_order


def render_presets(catalog: Catalog, names: Iterable[str], api_key_env: str,
                   health_check_media: bool = False) -> list[PresetEntry]:
    """`health_check_media`: leave out the shipped presets' switch that keeps them out of the
    proxy's background health checks (each check is a paid image or speech request)."""
    variables = {"api_key_env": api_key_env, "health_check_media": health_check_media}
    cache = RenderCache.at_home()
    env = None  # Jinja2 is imported only when a template is not in the cache
    out = []
    for name in names:
        set_name, path = catalog.templates[name]
        where = str(path)
        source = read_template(path)
        pulled = _OTHER_TEMPLATES.search(source)
        if pulled:
            raise UserError(f"a preset template may not use {{% {pulled.group(1)} %}}: each "
                            "preset is one self-contained file", path=where,
                            line=source.count("\n", 0, pulled.start()) + 1)
        rendered = cache.get(where, source, variables) if cache else None
        if rendered is None:
            env = env or _environment()
            rendered = _render_with_jinja(env, where, variables)
            if cache:
                cache.put(where, source, variables, rendered)
        out.append(_preset_entry(name, set_name, where, source, *rendered))
    return sorted(out, key=preset_order(catalog))


def read_template(path: Path) -> str:
    """A template's text, through the one door for reads (a FIFO or a device among an
    operator's templates is refused, not waited on)."""
    return read_text_file(path, what="template", limit=MAX_SMALL_BYTES).text


def _environment():
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    # Template names are file paths, so Jinja's errors and tracebacks name the file.
    loader = jinja2.FunctionLoader(lambda name: (read_template(Path(name)), name, lambda: True))
    # Sandboxed: a template cannot reach Python internals (cycler.__init__.__globals__.os).
    return SandboxedEnvironment(loader=loader, undefined=jinja2.StrictUndefined,
                                keep_trailing_newline=True, autoescape=False)


# The cache is keyed by one template's text; a template that pulls in others is refused.
_OTHER_TEMPLATES = re.compile(r"{%-?\s*(include|import|from|extends)\b")


def _render_with_jinja(env, where: str, variables: dict) -> tuple[str, dict]:
    """The rendered entry and the template's describing variables."""
    import jinja2

    from generator.boundary.secrets import (
        mask_quoted,  # Jinja quotes the template's text it stopped at
    )

    template = None
    try:
        template = env.get_template(where)
        module = template.make_module(variables)
        text = str(module)
    except jinja2.TemplateSyntaxError as exc:
        raise UserError(f"template error: {mask_quoted(str(exc.message))}", path=where,
                        line=exc.lineno) from None
    except jinja2.UndefinedError as exc:
        raise UserError(f"template uses an undefined variable: {mask_quoted(str(exc.message))} "
                        "(the variables a preset may use are api_key_env and health_check_media)",
                        path=where,
                        line=_template_line(exc, template)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read the template: {exc}", path=where) from None
    except jinja2.exceptions.SecurityError as exc:
        raise UserError(f"template tried something the sandbox forbids: {mask_quoted(str(exc))}",
                        path=where, line=_template_line(exc, template)) from None
    except Exception as exc:  # a template's own runtime failure (a filter, a division)
        raise UserError(f"template failed: {mask_quoted(str(exc))}", path=where,
                        line=_template_line(exc, template)) from None
    meta = {k: str(getattr(module, k, "")) for k in ("category", "source", "deprecation_date",
                                                       "successor")}
    return text, meta


def _preset_entry(name: str, set_name: str, where: str, source: str, text: str, meta: dict
                  ) -> PresetEntry:
    # The describing `{% set %}` lines render to nothing: rendered line 1 is the first other one.
    lead = next((i for i, ln in enumerate(source.splitlines())
                 if not ln.lstrip().startswith(("{%", "{#"))), 0)
    data = _entry_data(text, where, lead)
    literal = _literal_secret(data)
    if literal:
        raise UserError(f"template writes a literal {literal}; use os.environ/NAME (for the "
                        "OpenAI key, os.environ/{{ api_key_env }}) so no secret is ever written "
                        "into a config", path=where)
    from generator.merge.block import MARKERS
    for marker in MARKERS:
        if marker in text:
            raise UserError(f"template renders litellm-gen's own marker text {marker!r}; "
                            "it would break the fenced block", path=where)
    if not meta["category"]:
        raise UserError('template sets no category ({%- set category = "tts" -%})', path=where,
                        line=1)
    deprecation = None
    if meta["deprecation_date"]:
        try:
            deprecation = _dt.date.fromisoformat(meta["deprecation_date"])
        except ValueError:
            raise UserError(f"deprecation_date {meta['deprecation_date']!r} is not a date "
                            "(YYYY-MM-DD)", path=where) from None
    return PresetEntry(name=name, set_name=set_name, template=where, category=meta["category"],
                       source=mask_value(meta["source"]), deprecation_date=deprecation,
                       successor=meta["successor"], text=text.replace("\r\n", "\n"), data=data)


def _literal_secret(data, path: str = "") -> str:
    """The path of the first secret-named field whose value is not os.environ/NAME, or ""."""
    from generator.boundary.secrets import is_reference, is_secret_key, mask_value

    if isinstance(data, dict):
        for key, value in data.items():
            where = f"{path}.{key}" if path else str(key)
            if isinstance(value, str) and is_secret_key(str(key)) and not is_reference(value):
                return where
            found = _literal_secret(value, where)
            if found:
                return found
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found = _literal_secret(value, f"{path}[{i}]")
            if found:
                return found
    elif isinstance(data, str) and mask_value(data) != data:
        return f"{path} (a key or a password in a URL)"
    return ""


def _template_line(exc: BaseException, template) -> int | None:
    """The template line that failed, mapped back from Jinja's compiled code."""
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith(TEMPLATE_SUFFIX) and frame.lineno is not None:
            line = frame.lineno
            if template is not None and frame.filename == template.filename:
                line = template.get_corresponding_lineno(frame.lineno)
    return line


def _entry_data(text: str, where: str, lead: int) -> dict:
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        shown = text.splitlines()[line - 1] if line and line <= len(text.splitlines()) else ""
        from generator.boundary.masked_text import mask_line
        raise UserError(f"template renders invalid YAML: {getattr(exc, 'problem', exc)} in the "
                        f"rendered line {mask_line(shown.strip())!r}", path=where,
                        line=line + lead if line else None) from None
    if ("&" in text or "*" in text) and any(
            getattr(ev, "anchor", None) for ev in yaml.parse(
                text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))):
        raise UserError("a preset template may not use anchors or aliases (&name, *name): they "
                        "would interact with the config's own", path=where)
    if not isinstance(data, dict) or not isinstance(data.get("model_name"), str):
        raise UserError("template must render one mapping with a model_name", path=where)
    if not isinstance(data.get("litellm_params"), dict) or "model" not in data["litellm_params"]:
        raise UserError("template must render litellm_params with a model", path=where)
    if "model_info" in data and not isinstance(data["model_info"], dict):
        raise UserError("template's model_info must be a mapping", path=where)
    return data
