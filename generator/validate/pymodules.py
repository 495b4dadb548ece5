"""What the proxy will find when it imports `module.attribute` from the config's folder.

The proxy resolves callbacks, custom_auth and the other hooks with `get_instance_fn`:
`a.b.name` is the file a/b.py beside the config, run fresh, then `getattr(module, name)`;
without such a file, `importlib.import_module("a.b")` from its own environment. A missing
file, a syntax error, a module that raises at import or lacks the name stops the start-up.
This reads the module's text (given by the caller) without running it: the statements at
its top level say which names it defines. Pure: text in, a verdict out.

What the proxy's environment has depends on how it is made (release_pin.Packaging):
`carried` answers from generator/releases/image-packages.json (scripts/image_packages.py), the
requirements of each release and of each of its extras, and the extras the official
images install.
"""
from __future__ import annotations

import ast
import json
import posixpath
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

# Top-level packages the proxy's environment has whatever the config's folder holds.
_INSTALLED = frozenset(sys.stdlib_module_names) | {"litellm", "litellm_enterprise",
                                                   "enterprise", "pydantic", "fastapi",
                                                   "httpx", "openai", "yaml"}
# What a module the proxy imports may import in turn: the top-level modules of the locked
# litellm[proxy]==1.100.0 and ==1.106.12 environments (requirements/proxy-*.txt, read from
# their site-packages), dependencies of dependencies included.
_PROXY_ENVIRONMENT = _INSTALLED | frozenset((
    "InquirerPy RestrictedPython aiohappyeyeballs aiohttp aiosignal annotated_doc "
    "annotated_types anyio apscheduler async_timeout attr attrs azure backoff boto3 botocore "
    "certifi cffi charset_normalizer click croniter cryptography dateutil distro dns dotenv "
    "email_validator expression fastapi_sso fastuuid filelock frozenlist fsspec granian "
    "gunicorn h11 h2 hf_xet hiredis hpack httpcore httpcore2 httpx2 httpx_sse huggingface_hub "
    "hyperframe idna importlib_metadata isodate jinja2 jiter jmespath jsonschema "
    "jsonschema_specifications jwt licensing litellm_proxy_extras markdown_it markupsafe mcp "
    "mcp_types mdurl msal msal_extensions multidict multipart nacl numpy oauthlib "
    "opentelemetry orjson packaging pfzy polars prompt_toolkit propcache psycopg "
    "psycopg_binary pycparser pydantic_core pydantic_settings pygments pyroscope pyroscope_io "
    "python_multipart redis referencing regex requests rich rpds rq s3transfer six sniffio "
    "soundfile sse_starlette starlette tiktoken tiktoken_ext tokenizers tomlkit tqdm "
    "truststore typing_extensions typing_inspection tzlocal urllib3 uvicorn uvloop wcwidth "
    "websockets yarl zipp").split())


@dataclass(frozen=True)
class Reference:
    """Where `module.attribute` leads, and what is wrong with it (None: nothing found)."""
    module: str
    attribute: str
    path: str | None          # the file beside the config, when it is there
    problem: str | None       # a sentence: what stops the proxy
    kind: str = "unknown"     # of the attribute: class, function, instance, other, unknown
    bases: tuple = ()         # a class's (or an instance's class's) base names


def resolve(value: str, folder: str, exists: Callable[[str], bool],
            read: Callable[[str], str | None],
            installed: Callable[[str], bool] = lambda _name: False) -> Reference:
    """`installed(name)`: the proxy's environment is known to have the top-level module
    `name` (besides the standard library and what litellm[proxy] installs)."""
    module, _, attribute = value.rpartition(".")
    if not module:
        return Reference("", value, None, f"{value!r} has no module part (module.attribute): "
                         "the proxy fails with \"Empty module name\"")
    path = posixpath.join(folder, *module.split(".")) + ".py"
    if not exists(path):
        if module.split(".")[0] in _INSTALLED:
            return Reference(module, attribute, None, None)
        return Reference(module, attribute, None,
                         f"module {module} is not installed and there is no "
                         f"{posixpath.relpath(path, folder)} beside the config: the proxy "
                         "cannot import it")
    text = read(path)
    if text is None:
        return Reference(module, attribute, path, None)
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", None)
        return Reference(module, attribute, path,
                         f"{posixpath.relpath(path, folder)} has a syntax error"
                         + (f" (line {line})" if line else "") + ": the proxy cannot import it")
    failing = _failing_import(tree, folder, exists, installed)
    if failing:
        return Reference(module, attribute, path,
                         f"{posixpath.relpath(path, folder)} {failing}: the proxy cannot "
                         "import it")
    return _look_up(tree, module, attribute, path, folder)


def _failing_import(tree: ast.Module, folder: str, exists: Callable[[str], bool],
                    installed: Callable[[str], bool]) -> str | None:
    """The first import the module runs at its top level that fails in the proxy, in words.

    The proxy runs the module from its file (spec_from_file_location) and never puts the
    config's folder on sys.path (`litellm` is a console script: sys.path[0] is its bin
    folder), so a module beside the config cannot be imported by name from it, and a
    relative import has no parent package (recorded on 1.100.0, 1.106.12 and 1.110.2:
    tests/oracle/realistic/). Imports inside try:, if: or functions may be guarded: skipped.
    """
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level:
            return (f"imports {'.' * node.level}{node.module or ''} relatively (line "
                    f"{node.lineno}), and the proxy loads it without a parent package")
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
        for name in names:
            top = name.split(".")[0]
            if top in _PROXY_ENVIRONMENT or installed(top):
                continue
            if exists(posixpath.join(folder, top + ".py")) or \
                    exists(posixpath.join(folder, top, "__init__.py")):
                return (f"imports {name} (line {node.lineno}), which is beside the config, but "
                        "the proxy does not put the config's folder on its import path (set "
                        "PYTHONPATH to it where the proxy runs)")
            return (f"imports {name} (line {node.lineno}), which is neither beside the config "
                    "nor installed with litellm[proxy]")
    return None


def _look_up(tree: ast.Module, module: str, attribute: str, path: str, folder: str
             ) -> Reference:
    shown = posixpath.relpath(path, folder)
    names: dict[str, tuple[str, tuple]] = {}
    classes: dict[str, tuple] = {}
    open_ended = False  # `from x import *` or a module __getattr__: any name may exist
    for node in tree.body:
        if isinstance(node, ast.Raise):
            return Reference(module, attribute, path,
                             f"{shown} raises at import (line {node.lineno}): the proxy "
                             "cannot import it")
        if isinstance(node, ast.ClassDef):
            bases = tuple(_name(b) for b in node.bases)
            has_call = any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                           and n.name == "__call__" for n in node.body)
            classes[node.name] = bases + (("__call__",) if has_call else ())
            names[node.name] = ("class", classes[node.name])
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names[node.name] = ("function", ())
            if node.name == "__getattr__":
                open_ended = True
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            kind = _value_kind(node.value, classes)
            for target in targets:
                for name in _target_names(target):
                    names[name] = kind
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name == "*":
                    open_ended = True
                else:
                    names[alias.asname or alias.name.split(".")[0]] = ("unknown", ())
        elif isinstance(node, (ast.If, ast.Try, ast.With, ast.For, ast.While)):
            open_ended = True  # names bound conditionally: do not claim one is missing
    if attribute in names:
        kind, bases = names[attribute]
        return Reference(module, attribute, path, None, kind, bases)
    if open_ended:
        return Reference(module, attribute, path, None)
    return Reference(module, attribute, path,
                     f"{shown} defines no {attribute!r}: the proxy fails with \"module "
                     f"'{module}' has no attribute '{attribute}'\"")


def _value_kind(value, classes: dict) -> tuple[str, tuple]:
    if isinstance(value, ast.Call):
        callee = _name(value.func)
        if callee in classes:
            return "instance", classes[callee]
        return "unknown", ()
    if isinstance(value, ast.Lambda):
        return "function", ()
    if isinstance(value, ast.Name) and value.id in classes:
        return "class", classes[value.id]
    if isinstance(value, (ast.Constant, ast.List, ast.Dict, ast.Tuple, ast.Set)):
        return "other", ()
    return "unknown", ()


def _target_names(target) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for t in target.elts for n in _target_names(t)]
    return []


def _name(node) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return _name(node.func)
    return ""


def runs_as_callback(reference: Reference) -> bool | None:
    """Can a `callbacks:` entry run it: a CustomLogger instance or a function? None: unknown.

    The release refuses a class ("resolved to the class") and an instance of a class that
    is neither a logger nor callable.
    """
    if reference.kind == "function":
        return True
    if reference.kind == "class":
        return False
    if reference.kind == "other":
        return False
    if reference.kind == "instance":
        if "__call__" in reference.bases:
            return True
        if not reference.bases:
            return False
        return None if any(b for b in reference.bases) else False
    return None


@lru_cache(maxsize=1)
def _packages_data() -> dict:
    from generator.boundary.files import read_package_data

    return json.loads(read_package_data("releases/image-packages.json"))


def _recorded(release: str) -> dict | None:
    """The requirements recorded for `release`, or for the nearest earlier release."""
    from generator.releases.rules import version_key

    releases = _packages_data()["releases"]
    known = [r for r in releases if version_key(r) <= version_key(release)]
    return releases[max(known, key=version_key)] if known else None


def distributions(packaging, release: str) -> frozenset[str] | None:
    """The packages (normalized names) that `packaging` installs for `release`: the release's
    own requirements and its extras' (the official images: the extras their Dockerfiles
    install). None when nothing is known."""
    recorded = _recorded(release)
    if packaging is None or recorded is None:
        return None
    extras = _packages_data()["image_extras"] if packaging.kind == "image" \
        else packaging.extras
    by_name = {_normalized(name): names for name, names in recorded["extras"].items()}
    carried_names = set(recorded["core"]) | set(packaging.also)
    for extra in extras:
        carried_names.update(by_name.get(_normalized(extra), ()))
    return frozenset(carried_names)


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def carried(needed: str, packaging, release: str) -> bool:
    """Does the environment have what the rules say a feature needs: a module (its top-level
    name as the distribution's) or `litellm[extra]` (every package of that extra)?

    A dotted module (a part of a package, whose version decides) is never taken as carried.
    """
    names = distributions(packaging, release)
    if names is None:
        return False
    extra = re.fullmatch(r"litellm\[([\w-]+)\]", needed)
    if extra:
        wanted = {_normalized(name): names for name, names in
                  _recorded(release)["extras"].items()}.get(_normalized(extra.group(1)))
        return bool(wanted) and set(wanted) <= names
    return "." not in needed and _normalized(needed) in names
