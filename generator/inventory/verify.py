"""Does the running proxy serve what the config lists? `GET /model/info` against CONFIG.

Pure: `compare` matches the config's entries to what the proxy answered, `master_key` finds
the key to ask with. The asking itself is boundary/proxy_api.py's.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from generator.boundary.errors import UserError
from generator.inventory.listing import EntryRow


@dataclass(frozen=True)
class ServedCheck:
    row: EntryRow
    status: str           # served | missing | wrong mode
    detail: str = ""


def _field(mapping, key):
    value = mapping.get(key) if isinstance(mapping, dict) else None
    return value


def compare(rows: Sequence[EntryRow], served: Sequence[dict]) -> list[ServedCheck]:
    """Match each config entry to one deployment the proxy reports, by name and model.

    A deployment of the same model_name with another model does not count: the proxy
    would be serving something else under that name.
    """
    pool = [(_field(d, "model_name"), _field(_field(d, "litellm_params"), "model"),
             _field(_field(d, "model_info"), "mode")) for d in served]
    used = [False] * len(pool)
    checks = []
    for row in rows:
        named = [i for i, (name, _, _) in enumerate(pool) if not used[i] and name == row.model_name]
        exact = [i for i in named if pool[i][1] == row.model]
        if not exact:
            detail = ("the proxy does not serve this model_name" if not named else
                      f"the proxy serves {row.model_name} with model {pool[named[0]][1]}, "
                      f"not {row.model}")
            checks.append(ServedCheck(row, "missing", detail))
            continue
        i = exact[0]
        used[i] = True
        mode = pool[i][2]
        if row.mode and mode != row.mode:
            checks.append(ServedCheck(row, "wrong mode", f"config says {row.mode}, proxy has "
                                                          f"{mode}"))
        else:
            checks.append(ServedCheck(row, "served", mode or ""))
    return checks


def master_key(data: object, env_name: str, key_path: Sequence[str],
               environ: Mapping[str, str], where: str = "") -> str | None:
    """The key for /model/info: $env_name, else the config's general_settings.master_key."""
    if environ.get(env_name):
        return environ[env_name]
    for part in key_path:
        data = data.get(part) if isinstance(data, dict) else None
    settings = data.get("general_settings") if isinstance(data, dict) else None
    value = settings.get("master_key") if isinstance(settings, dict) else None
    if value is None:
        return None
    value = str(value)
    if value.startswith("os.environ/"):
        name = value[len("os.environ/"):]
        if not environ.get(name):
            raise UserError(f"the config's master_key is os.environ/{name}, and {name} is not set "
                            "here; export it, or name the variable with --master-key-env",
                            path=where or None)
        return environ[name]
    return value
