"""The lowest versions litellm-gen declares, for `make test-lowest`.

    python tests/lowest_deps.py pins pyproject.toml   # typer==0.16 jinja2==3.1 pyyaml==6.0
    python tests/lowest_deps.py click                 # click==8.0.0: the lowest the installed
                                                      # typer allows (run in that environment)

Each `>=X` lower bound of [project] dependencies becomes `==X`, so the tests run against
exactly what the project claims to work with.
"""
from __future__ import annotations

import re
import sys


def pins(pyproject: str) -> list[str]:
    import tomllib

    with open(pyproject, "rb") as f:
        requirements = tomllib.load(f)["project"]["dependencies"]
    out = []
    for requirement in requirements:
        match = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(?:\[[^\]]*\])?\s*[^;]*?>=\s*([^,;\s]+)",
                         requirement)
        if not match:
            raise SystemExit(f"{pyproject}: {requirement!r} declares no lower bound (>=)")
        out.append(f"{match.group(1)}=={match.group(2)}")
    return out


def lowest_click() -> str:
    """click's lower bound in the installed typer's metadata ("" when typer carries its own
    copy of click); typer 0.12 to 0.15 take click through typer-slim."""
    from importlib.metadata import PackageNotFoundError, requires

    for distribution in ("typer", "typer-slim"):
        try:
            requirements = requires(distribution) or []
        except PackageNotFoundError:
            continue
        for requirement in requirements:
            match = re.match(r"click\s*[^;]*?>=\s*([^,;\s]+)", requirement)
            if match and "extra ==" not in requirement:
                return f"click=={match.group(1)}"
    return ""


if __name__ == "__main__":
    if sys.argv[1:2] == ["pins"]:
        print(" ".join(pins(sys.argv[2])))
    elif sys.argv[1:2] == ["click"]:
        print(lowest_click())
    else:
        raise SystemExit(__doc__)
