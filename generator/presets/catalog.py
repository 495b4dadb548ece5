"""The preset catalog: which templates exist, in which set, and the order presets go in.

Shipped presets live in `templates/presets/<set>/<name>.yaml.j2`; an operator's
own (`--templates DIR`) are `DIR/<name>.yaml.j2` and override shipped ones of
the same name.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from generator.boundary.errors import UserError
from generator.boundary.files import list_folder
from generator.merge.model import PresetEntry

DEFAULT_SET = "openai-seed"
OWN_SET = "own"
TEMPLATE_SUFFIX = ".yaml.j2"
# The seed's order (tts, stt, image generation); other categories follow by name.
CATEGORY_ORDER = ("tts", "stt", "image-gen")


def shipped_templates() -> Path:
    """The templates folder: `generator/templates` in an installed wheel, the checkout's
    top-level `templates/` when run from a clone (an editable install)."""
    here = Path(__file__).resolve().parent.parent  # generator/
    for folder in (here / "templates", here.parent / "templates"):
        if (folder / "presets").is_dir():
            return folder
    raise UserError(f"litellm-gen's templates are missing (looked in {here / 'templates'}); "
                    "reinstall the package")


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
        found = list_folder(own_dir, f"*{TEMPLATE_SUFFIX}", what="--templates")
        if not found:
            raise UserError(f"--templates {own_dir}: no *{TEMPLATE_SUFFIX} files in it")
        for path in found:
            name = path.name[:-len(TEMPLATE_SUFFIX)]
            shipped = templates.get(name)
            # An override keeps the shipped preset's set, so it stays selected where it was.
            templates[name] = (shipped[0] if shipped else OWN_SET, path)
    return Catalog(templates)


def preset_order(catalog: Catalog):
    """Sort key of rendered presets: by set, then the seed's category order, then name."""
    sets = catalog.sets

    def key(p: PresetEntry):
        rank = CATEGORY_ORDER.index(p.category) if p.category in CATEGORY_ORDER else len(
            CATEGORY_ORDER)
        return sets.index(p.set_name), rank, p.category, p.name
    return key


def chosen_sets(catalog: Catalog, preset_sets: Sequence[str]) -> list[str]:
    """The sets named, each checked to exist; all of them when none is named."""
    for name in preset_sets:
        if name not in catalog.sets:
            raise UserError(f"unknown preset set {name!r}; known sets: {', '.join(catalog.sets)}")
    return list(preset_sets) or catalog.sets


def names_in(catalog: Catalog, sets: Sequence[str]) -> list[str]:
    return [n for n, (s, _) in catalog.templates.items() if s in sets]
