"""Presets: Jinja2 templates that render one model_list entry each.

A preset template is YAML for one entry, written with two-space indentation,
preceded by `{% set %}` lines that describe it (see the README):

    {%- set category = "tts" -%}
    {%- set source = "seed (openai-api-models.md, 2025-11-29)" -%}
    {%- set deprecation_date = "" -%}
    {%- set successor = "" -%}
    model_name: tts-1
    ...

Shipped presets live in `templates/presets/<set>/<name>.yaml.j2`; an operator's
own (`--templates DIR`) are `DIR/<name>.yaml.j2` and override shipped ones of
the same name.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import re
import stat
import traceback
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import yaml

from . import __version__
from .errors import UserError
from .model import PresetEntry

DEFAULT_SET = "openai-seed"
OWN_SET = "own"
TEMPLATE_SUFFIX = ".yaml.j2"
# The seed's order (tts, stt, image generation); other categories follow by name.
CATEGORY_ORDER = ("tts", "stt", "image-gen")
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
KEY_LOOKING = re.compile(r"(?i)^(sk|rk|pk)[-_]|^[A-Za-z0-9_\-]{40,}$")


def shipped_templates() -> Path:
    """The templates folder: inside the installed package, or beside it in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / "presets").is_dir():
            return candidate
    raise UserError(f"litellm-gen's templates are missing (looked in {here / 'templates'}); "
                    "reinstall the package")


def check_env_name(name: str) -> str:
    """Accept only an environment variable's name, never a key itself."""
    if not ENV_NAME.match(name) or KEY_LOOKING.match(name):
        raise UserError("--api-key-env takes the NAME of an environment variable (for example "
                        "OPENAI_API_KEY), not a key; the config gets os.environ/NAME and the "
                        "proxy reads the key from its environment at start-up")
    return name


@dataclass(frozen=True)
class Catalog:
    """Where every known preset's template is, by name."""
    templates: dict[str, tuple[str, Path]]  # name -> (set, template file)

    @property
    def sets(self) -> list[str]:
        return sorted({s for s, _ in self.templates.values()},
                      key=lambda s: (s != DEFAULT_SET, s == OWN_SET, s))


def find_presets(own_dir: Path | None = None) -> Catalog:
    root = shipped_templates()
    templates: dict[str, tuple[str, Path]] = {}
    for path in sorted((root / "presets").glob(f"*/*{TEMPLATE_SUFFIX}")):
        templates[path.name[:-len(TEMPLATE_SUFFIX)]] = (path.parent.name, path)
    if own_dir is not None:
        if not own_dir.is_dir():
            raise UserError(f"--templates {own_dir}: no such folder")
        found = sorted(own_dir.glob(f"*{TEMPLATE_SUFFIX}"))
        if not found:
            raise UserError(f"--templates {own_dir}: no *{TEMPLATE_SUFFIX} files in it")
        for path in found:
            name = path.name[:-len(TEMPLATE_SUFFIX)]
            shipped = templates.get(name)
            # An override keeps the shipped preset's set, so it stays selected where it was.
            templates[name] = (shipped[0] if shipped else OWN_SET, path)
    return Catalog(templates)


def render_presets(catalog: Catalog, names: Iterable[str], api_key_env: str) -> list[PresetEntry]:
    cache = RenderCache.open()
    env = None  # Jinja2 is imported only when a template is not in the cache
    out = []
    for name in names:
        set_name, path = catalog.templates[name]
        where = str(path)
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"cannot read the template: {exc}", path=where) from None
        pulled = _OTHER_TEMPLATES.search(source)
        if pulled:
            raise UserError(f"a preset template may not use {{% {pulled.group(1)} %}}: each "
                            "preset is one self-contained file", path=where,
                            line=source.count("\n", 0, pulled.start()) + 1)
        rendered = cache.get(where, source, api_key_env) if cache else None
        if rendered is None:
            env = env or _environment()
            rendered = _render_with_jinja(env, where, api_key_env)
            if cache:
                cache.put(where, source, api_key_env, rendered)
        out.append(_preset_entry(name, set_name, where, source, *rendered))
    return sorted(out, key=_preset_order(catalog))


def _environment():
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    # Template names are file paths, so Jinja's errors and tracebacks name the file.
    loader = jinja2.FunctionLoader(lambda name: (Path(name).read_text(encoding="utf-8"), name,
                                                 lambda: True))
    # Sandboxed: a template cannot reach Python internals (cycler.__init__.__globals__.os).
    return SandboxedEnvironment(loader=loader, undefined=jinja2.StrictUndefined,
                                keep_trailing_newline=True, autoescape=False)


# The cache is keyed by one template's text; a template that pulls in others is refused.
_OTHER_TEMPLATES = re.compile(r"{%-?\s*(include|import|from|extends)\b")


class RenderCache:
    """Rendered presets, keyed by the template's path, exact source and variables.

    Importing Jinja2 and compiling five templates costs more than the rest of a
    small merge. A hit needs the stored source to equal the template's current
    text, so an edited template is always rendered again. The folder is private
    to the user (0700, checked), as Jinja's own bytecode cache is; any problem
    with it only means rendering without a cache.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def open(cls) -> "RenderCache | None":
        import tempfile

        folder = Path(tempfile.gettempdir()) / f"litellm-gen-{os.getuid()}"
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
            info = folder.lstat()
        except OSError:
            return None
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() \
                or info.st_mode & 0o077:
            return None  # not ours alone: another user could plant entries
        return cls(folder)

    def _file(self, key: list) -> Path:
        digest = zlib.crc32(json.dumps(key).encode("utf-8"))
        return self.folder / f"{digest:08x}.json"

    def get(self, where: str, source: str, api_key_env: str) -> tuple[str, dict] | None:
        key = [__version__, where, source, api_key_env]
        try:
            stored = json.loads(self._file(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(stored, dict) or stored.get("key") != key:
            return None
        return stored["text"], stored["meta"]

    def put(self, where: str, source: str, api_key_env: str, rendered: tuple[str, dict]) -> None:
        key = [__version__, where, source, api_key_env]
        target = self._file(key)
        tmp = target.with_name(f".{target.name}.{os.getpid()}")
        try:
            tmp.write_text(json.dumps({"key": key, "text": rendered[0], "meta": rendered[1]}),
                           encoding="utf-8")
            os.replace(tmp, target)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()


def _preset_order(catalog: Catalog):
    sets = catalog.sets

    def key(p: PresetEntry):
        rank = CATEGORY_ORDER.index(p.category) if p.category in CATEGORY_ORDER else len(
            CATEGORY_ORDER)
        return sets.index(p.set_name), rank, p.category, p.name
    return key


def _render_with_jinja(env, where: str, api_key_env: str) -> tuple[str, dict]:
    """The rendered entry and the template's describing variables."""
    import jinja2

    template = None
    try:
        template = env.get_template(where)
        module = template.make_module({"api_key_env": api_key_env})
        text = str(module)
    except jinja2.TemplateSyntaxError as exc:
        raise UserError(f"template error: {exc.message}", path=where, line=exc.lineno) from None
    except jinja2.UndefinedError as exc:
        raise UserError(f"template uses an undefined variable: {exc.message} (the variable "
                        "a preset may use is api_key_env)", path=where,
                        line=_template_line(exc, template)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read the template: {exc}", path=where) from None
    except jinja2.exceptions.SecurityError as exc:
        raise UserError(f"template tried something the sandbox forbids: {exc}", path=where,
                        line=_template_line(exc, template)) from None
    except Exception as exc:  # a template's own runtime failure (a filter, a division)
        raise UserError(f"template failed: {exc}", path=where,
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
    from .merge import MARKERS
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
                       source=meta["source"], deprecation_date=deprecation,
                       successor=meta["successor"], text=text.replace("\r\n", "\n"), data=data)


def _literal_secret(data, path: str = "") -> str:
    """The path of the first secret-named field whose value is not os.environ/NAME, or ""."""
    from .secrets import is_reference, is_secret_key, mask_value

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
        from .secrets import mask_line
        raise UserError(f"template renders invalid YAML: {getattr(exc, 'problem', exc)} in the "
                        f"rendered line {mask_line(shown.strip())!r}", path=where,
                        line=line + lead if line else None) from None
    if not isinstance(data, dict) or not isinstance(data.get("model_name"), str):
        raise UserError("template must render one mapping with a model_name", path=where)
    if not isinstance(data.get("litellm_params"), dict) or "model" not in data["litellm_params"]:
        raise UserError("template must render litellm_params with a model", path=where)
    if "model_info" in data and not isinstance(data["model_info"], dict):
        raise UserError("template's model_info must be a mapping", path=where)
    return data


def split_names(values: Sequence[str] | None) -> list[str]:
    """`--only a,b --only c` -> [a, b, c]."""
    return [v.strip() for value in values or () for v in value.split(",") if v.strip()]


def select(presets: list[PresetEntry], only: Sequence[str], exclude: Sequence[str]
           ) -> list[PresetEntry]:
    """Filter by preset names or categories; an unknown word is an error listing valid ones."""
    names = {p.name for p in presets}
    categories = {p.category for p in presets}
    for word in [*only, *exclude]:
        if word not in names and word not in categories:
            raise UserError(f"unknown preset or category {word!r}; valid presets: "
                            f"{', '.join(p.name for p in presets)}; categories: "
                            f"{', '.join(sorted(categories))}")
    chosen = [p for p in presets if not only or p.name in only or p.category in only]
    chosen = [p for p in chosen if p.name not in exclude and p.category not in exclude]
    seen: dict[str, str] = {}
    for p in chosen:
        if p.model_name in seen:
            raise UserError(f"presets {seen[p.model_name]} and {p.name} both define model_name "
                            f"{p.model_name!r}; select one of them")
        seen[p.model_name] = p.name
    return chosen


def selected_presets(preset_sets: Sequence[str] | None, own_dir: Path | None,
                     only: Sequence[str] | None, exclude: Sequence[str] | None,
                     api_key_env: str) -> list[PresetEntry]:
    """The presets a merge or render uses: the chosen sets (and own templates), filtered."""
    api_key_env = check_env_name(api_key_env)
    catalog = find_presets(own_dir)
    sets = split_names(preset_sets) or [DEFAULT_SET]
    for name in sets:
        if name not in catalog.sets:
            raise UserError(f"unknown preset set {name!r}; known sets: {', '.join(catalog.sets)}")
    if own_dir is not None:
        sets.append(OWN_SET)
    names = [n for n, (s, _) in catalog.templates.items() if s in sets]
    return select(render_presets(catalog, names, api_key_env), split_names(only),
                  split_names(exclude))
