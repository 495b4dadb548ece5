"""The package's layout holds its architecture: packages by concern, imports only downward.

Each sub-package's docstring says what it owns and what it may import; LAYERS below is the
same rule as data, and these tests hold the code to it (as the pure core's own test holds
the merge to no I/O). Imports inside functions count: a lazy import is still an arrow.
"""
from __future__ import annotations

import ast
import importlib
import importlib.metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "generator"

# package -> the packages its modules may import (besides its own). Lower layers first.
LAYERS = {
    "boundary": set(),
    "merge": {"boundary"},
    "presets": {"boundary", "merge"},
    "releases": {"boundary"},
    "validate": {"boundary", "merge", "releases"},
    "inventory": {"boundary", "merge", "validate"},
    "cli": {"boundary", "merge", "presets", "releases", "validate", "inventory"},
}
# The package's two entry modules: the version and signals first, then the command.
TOP = {"__init__": set(), "__main__": {"boundary", "cli"}}
FUNCTION_LINES = 60
MODULE_LINES = 600


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name under generator ("merge.scan")."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 1 else parts)] = path
    return found


def _imports(path: Path) -> set[str]:
    """The modules of generator that `path` imports anywhere in it, by dotted name."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}: relative import; the package imports absolutely")
        if isinstance(node, ast.ImportFrom) and node.module and (
                node.module == "generator" or node.module.startswith("generator.")):
            base = node.module.removeprefix("generator").lstrip(".")
            for alias in node.names:
                full = f"{base}.{alias.name}".lstrip(".")
                names.add(full if full in MODULES or alias.name == "*" else base or full)
        elif isinstance(node, ast.Import):
            names |= {a.name.removeprefix("generator.") for a in node.names
                      if a.name.startswith("generator.")}
    return {name for name in names if name}


MODULES = _modules()
GRAPH = {name: _imports(path) for name, path in MODULES.items()}


def _package(module: str) -> str:
    return module.split(".")[0]


def test_every_module_lives_in_a_package_by_concern() -> None:
    loose = sorted(m for m in MODULES if "." not in m and m not in LAYERS and m not in TOP)
    assert loose == [], "modules outside the packages by concern (see LAYERS)"


def test_every_package_travels_in_the_wheel() -> None:
    """pyproject.toml lists the packages: a sub-package left out is missing from the wheel."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"])
    folders = {".".join(p.parent.relative_to(ROOT).parts) for p in PACKAGE.rglob("__init__.py")}
    assert folders - listed == set()


def test_each_package_says_what_it_owns_and_may_import() -> None:
    for package in LAYERS:
        doc = ast.get_docstring(ast.parse((PACKAGE / package / "__init__.py").read_text()))
        assert doc and "May import" in doc, package


def test_imports_go_only_to_the_layers_a_package_may_use() -> None:
    wrong = []
    for module, imported in GRAPH.items():
        home = _package(module)
        allowed = TOP[module] if module in TOP else LAYERS[home] | {home}
        for target in imported:
            if target == "__version__" or _package(target) in allowed:
                continue
            wrong.append(f"{module} -> {target}")
    assert wrong == []


def test_no_module_imports_itself_back_through_others() -> None:
    """No circle of imports, lazy ones included (the CLI once imported __main__ back)."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    circles = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(GRAPH.get(module, ())):
            if target not in GRAPH:
                continue
            if state.get(target) == 1:
                circles.append(" -> ".join(path[path.index(target):] + [target]))
            elif target not in state:
                visit(target, path + [target])
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])
    assert circles == []


def test_a_leading_underscore_stays_inside_its_module() -> None:
    """A name another module imports is part of its module's interface: it has no `_`."""
    private = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("generator"):
                private += [f"{module} imports {node.module}.{a.name}" for a in node.names
                            if a.name.startswith("_") and not a.name.startswith("__")]
    assert private == []


# Every name a module of scripts/ or tests/ can be imported by (both are put on the path).
_DEVELOPMENT_MODULES = {"scripts", "tests"} | {
    p.stem for folder in ("scripts", "tests") for p in (ROOT / folder).iterdir()
    if p.suffix == ".py" or (p / "__init__.py").exists() or (
        p.is_dir() and any(p.glob("*.py")))}


def test_the_package_never_imports_the_development_tools() -> None:
    """scripts/ and tests/ are for this repository only: the wheel carries neither."""
    for path in MODULES.values():
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert name.split(".")[0] not in _DEVELOPMENT_MODULES, (path, name)


def _long_functions(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lines = node.end_lineno - node.lineno + 1
            if lines > FUNCTION_LINES:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({lines} lines)")
    return found


@pytest.mark.parametrize("folder", ["generator", "scripts"])
def test_no_function_is_longer_than_a_screen(folder: str) -> None:
    long = [f for path in sorted((ROOT / folder).rglob("*.py")) for f in _long_functions(path)]
    assert long == []


@pytest.mark.parametrize("folder", ["generator", "scripts"])
def test_no_module_is_longer_than_a_sitting(folder: str) -> None:
    sizes = {str(p.relative_to(ROOT)): len(p.read_text().splitlines())
             for p in sorted((ROOT / folder).rglob("*.py"))}
    assert {name: n for name, n in sizes.items() if n > MODULE_LINES} == {}


def test_no_other_installed_distribution_ships_a_top_level_generator() -> None:
    """`generator` is a common word: in this environment only litellm-gen provides it, and
    litellm-gen provides no other top-level name that another package could own."""
    import sysconfig

    site = {sysconfig.get_paths()[key] for key in ("purelib", "platlib")}
    owners: dict[str, set[str]] = {}
    for dist in importlib.metadata.distributions(path=sorted(site)):
        for file in dist.files or ():
            top = file.parts[0] if file.parts else ""
            if top.endswith((".dist-info", ".data", ".pth")) or top in ("..", "__pycache__"):
                continue
            owners.setdefault(top.removesuffix(".py"), set()).add(dist.metadata["Name"])
    assert owners.get("generator", {"litellm-gen"}) == {"litellm-gen"}
    ours = {top for top, names in owners.items() if "litellm-gen" in names}
    finders = {top for top in ours if top.startswith("__editable__")}
    assert ours - finders <= {"generator"}, ours
    for finder in finders:  # an editable install: what its finder maps is generator alone
        mapping = importlib.import_module(finder).MAPPING
        assert {name.split(".")[0] for name in mapping} == {"generator"}, mapping
