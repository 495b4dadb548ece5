"""Which presets a merge or render uses: the chosen sets, filtered by name or category.

The catalog (catalog.py) says which templates exist; rendering.py turns each into a
checked entry (render_cache.py keeps them between runs). This module applies the
operator's choices: --preset-set, --templates, --only, --exclude, --api-key-env.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

from generator.boundary.errors import UserError
from generator.boundary.settings import MERGE_KEYS
from generator.merge.model import PresetEntry
from generator.presets.catalog import DEFAULT_SET, OWN_SET, chosen_sets, find_presets, names_in
from generator.presets.rendering import render_presets

ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
KEY_LOOKING = re.compile(r"(?i)^(sk|rk|pk)[-_]|^[A-Za-z0-9_\-]{40,}$")


def check_env_name(name: str) -> str:
    """Accept only an environment variable's name, never a key itself."""
    if not ENV_NAME.match(name) or KEY_LOOKING.match(name):
        raise UserError("--api-key-env takes the NAME of an environment variable (for example "
                        "OPENAI_API_KEY), not a key; the config gets os.environ/NAME and the "
                        "proxy reads the key from its environment at start-up")
    return name


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
                     api_key_env: str, health_check_media: bool = False) -> list[PresetEntry]:
    """The presets a merge or render uses: the chosen sets (and own templates), filtered."""
    api_key_env = check_env_name(api_key_env)
    catalog = find_presets(own_dir)
    sets = chosen_sets(catalog, split_names(preset_sets) or [DEFAULT_SET])
    if own_dir is not None:
        sets.append(OWN_SET)
    return select(render_presets(catalog, names_in(catalog, sets), api_key_env,
                                 health_check_media),
                  split_names(only), split_names(exclude))


def catalog_presets(preset_sets: Sequence[str] | None, own_dir: Path | None
                    ) -> list[PresetEntry]:
    """Every preset of the named sets (all sets when none is), for `litellm-gen presets`."""
    catalog = find_presets(own_dir)
    sets = chosen_sets(catalog, split_names(preset_sets))
    return render_presets(catalog, names_in(catalog, sets), "OPENAI_API_KEY")


SETTINGS_KEY = MERGE_KEYS[0]  # acknowledge-deprecated


def acknowledged_deprecations(names: Sequence[str] | None, config: Path,
                              own_dir: Path | None) -> frozenset[str]:
    """Presets whose deprecation the operator has acknowledged: on the command line, or once
    for the repository (`acknowledge-deprecated = [...]`, see `repository_setting`)."""
    chosen = split_names(names)
    if not chosen:
        found = repository_setting(config.parent if config != Path("-") else Path.cwd(),
                                   SETTINGS_KEY)
        if found is not None:
            value, where = found
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise UserError(f"{SETTINGS_KEY} must be a list of preset names, like "
                                '["dall-e-2", "dall-e-3"]', path=where)
            chosen = value
    known = find_presets(own_dir).templates
    unknown = [name for name in chosen if name not in known]
    if unknown:
        raise UserError(f"cannot acknowledge the deprecation of {', '.join(map(repr, unknown))}: "
                        f"no such preset; presets: {', '.join(known)}")
    return frozenset(chosen)


def repository_setting(folder: Path, key: str) -> tuple[object, str] | None:
    """`key` of the nearest `.litellm-gen.toml`, or of `[tool.litellm-gen]` in the nearest
    `pyproject.toml` that has that table, from `folder` up to the repository's root (the
    folder holding `.git`), as ruff and black find their settings. (value, file) or None."""
    import tomllib

    from generator.boundary.files import MAX_SMALL_BYTES, read_text_file

    for place in (folder.resolve(), *folder.resolve().parents):
        for name in (".litellm-gen.toml", "pyproject.toml"):
            path = place / name
            if not path.exists() or path.is_dir():  # a FIFO of that name is refused by the read
                continue
            text = read_text_file(path, what="settings", limit=MAX_SMALL_BYTES).text
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                raise UserError(f"not valid TOML: {exc}", path=str(path)) from None
            table = data if name == ".litellm-gen.toml" else \
                data.get("tool", {}).get("litellm-gen")
            if isinstance(table, dict):
                return (table[key], str(path)) if key in table else None
        if (place / ".git").exists():
            break
    return None
