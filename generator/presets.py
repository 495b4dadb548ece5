"""Which presets a merge or render uses: the chosen sets, filtered by name or category.

The catalog (catalog.py) says which templates exist; rendering.py turns each into a
checked entry (render_cache.py keeps them between runs). This module applies the
operator's choices: --preset-set, --templates, --only, --exclude, --api-key-env.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

from .catalog import DEFAULT_SET, OWN_SET, chosen_sets, find_presets, names_in
from .errors import UserError
from .model import PresetEntry
from .rendering import render_presets

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
                     api_key_env: str) -> list[PresetEntry]:
    """The presets a merge or render uses: the chosen sets (and own templates), filtered."""
    api_key_env = check_env_name(api_key_env)
    catalog = find_presets(own_dir)
    sets = chosen_sets(catalog, split_names(preset_sets) or [DEFAULT_SET])
    if own_dir is not None:
        sets.append(OWN_SET)
    return select(render_presets(catalog, names_in(catalog, sets), api_key_env),
                  split_names(only), split_names(exclude))


def catalog_presets(preset_sets: Sequence[str] | None, own_dir: Path | None
                    ) -> list[PresetEntry]:
    """Every preset of the named sets (all sets when none is), for `litellm-gen presets`."""
    catalog = find_presets(own_dir)
    sets = chosen_sets(catalog, split_names(preset_sets))
    return render_presets(catalog, names_in(catalog, sets), "OPENAI_API_KEY")
