"""One reader for a config and the files it includes: merge, list and verify use it.

An included file that cannot be read is not fatal to any of them: the proxy would
refuse it at start-up (validate says so), but merging or listing the config itself
still makes sense. Each caller says in its own words what it left out.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import yaml

from generator.boundary.errors import UserError
from generator.boundary.files import read_config
from generator.merge.block import MARKERS
from generator.merge.plan import nested_config_key
from generator.merge.scan import ConfigScan, scan_config


@dataclass(frozen=True)
class LoadedConfig:
    """A config read once: its text, where things are, and its data as the proxy sees it."""
    path: Path
    text: str
    scan: ConfigScan
    data: object
    line_offset: int = 0    # lines of the file before the config's line 1 (in a manifest)
    embedded: bool = False  # the config is a ConfigMap's value in a Kubernetes manifest


def load_config(path: Path, key_path: Sequence[str] = (), configmap: str | None = None, *,
                what: str = "config") -> LoadedConfig:
    """A config, or the config embedded in a Kubernetes manifest's ConfigMap."""
    from generator.merge.manifest import embedded_text

    text = read_config(path, what=what).text
    try:
        embedded = embedded_text(text, configmap)
        offset = 0
        if embedded is not None:
            text, offset = embedded
        scan = scan_config(text, key_path, MARKERS)  # refuses what the proxy would misread
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        if not key_path and scan.model_list.shape == "missing":
            nested = nested_config_key(data)
            if nested is not None:
                raise UserError(f"there is no model_list at the top of this file, but {nested}"
                                f".model_list exists: the proxy config is nested under "
                                f"{nested} (a Helm values file?); give --key-path {nested}")
    except UserError as exc:
        raise exc.located(str(path)) from None
    except yaml.YAMLError as exc:
        raise UserError(f"cannot load: {exc}", path=str(path)) from None
    return LoadedConfig(path, text, scan, data, offset, embedded is not None)


@dataclass(frozen=True)
class Included:
    """One file of the config's `include:` list: loaded, or why it could not be."""
    name: str                     # as the config lists it
    loaded: LoadedConfig | None
    problem: str = ""


def read_includes(config: Path, names: Sequence[str], skip: str = "") -> list[Included]:
    """The files `names` (relative to the config's folder, as the proxy resolves them)."""
    found = []
    for name in names:
        if name == skip:  # the tool's own included file
            continue
        try:
            found.append(Included(name, load_config(config.parent / name, what="included")))
        except UserError as exc:
            found.append(Included(name, None, str(exc)))
    return found


def unread_notes(included: Sequence[Included], consequence: str) -> list[str]:
    """One note per reason, naming the files it kept out ("were not listed", ...)."""
    unread: dict[str, list[str]] = {}
    for item in included:
        if item.loaded is None:
            unread.setdefault(item.problem, []).append(item.name)
    return [f"entries of included {'file' if len(files) == 1 else 'files'} {', '.join(files)} "
            f"{consequence} ({reason})" for reason, files in unread.items()]
