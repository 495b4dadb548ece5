"""One door in, one door out: every file litellm-gen reads or writes goes through
generator/boundary/files.py, with one policy (regular files only, opened without blocking, a size
limit, UTF-8; writes atomic, never onto a device, a FIFO, a folder or a read-only file;
`-` for the standard streams). Through the real CLI, with files made here.
"""
from __future__ import annotations

import ast
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml
from helpers import OLLAMA_CONFIG, cli

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "generator"
DOOR = "boundary/files.py"
TEMPLATE = ('{%- set category = "tts" -%}\nmodel_name: mine\nlitellm_params:\n  model: tts-1\n'
            "  api_key: os.environ/{{ api_key_env }}\nmodel_info:\n  mode: audio_speech\n")

# -- the scan: no module but the door touches a file -----------------------------------------

# Calls that open, read, write, create, move or delete a file or folder.
_MODULE_CALLS = {
    "os": {"open", "fdopen", "replace", "rename", "renames", "remove", "unlink", "rmdir",
           "mkdir", "makedirs", "link", "symlink", "chmod", "chown", "lchown", "truncate",
           "mkfifo", "mknod", "dup2"},
    "io": {"open", "FileIO"},
    "codecs": {"open"},
    "tempfile": {"mkstemp", "mkdtemp", "NamedTemporaryFile", "TemporaryFile",
                 "TemporaryDirectory", "SpooledTemporaryFile"},
    "shutil": {"copy", "copy2", "copyfile", "copytree", "move", "rmtree"},
}
# Methods that only a path (pathlib) or a file has under these names.
_PATH_METHODS = {"read_text", "read_bytes", "write_text", "write_bytes", "touch", "mkdir",
                 "unlink", "rmdir", "symlink_to", "hardlink_to", "open"}
# `.open(` of something that is not a file, each with the reason it is not.
_NOT_FILES = {
    ("boundary/proxy_api.py", "opener.open"): "urllib's OpenerDirector: the proxy's HTTP API",
    ("merge/scan_skim.py", "self.open"): "the scanner's own method, which opens a YAML collection",
}


def _in_package(path: Path) -> str:
    """A module's path inside the package ("merge/scan.py"); a file elsewhere by its name."""
    return path.relative_to(PACKAGE).as_posix() if path.is_relative_to(PACKAGE) else path.name


def file_calls(path: Path) -> list[str]:
    """Every call in `path` that reaches a file without the door, as "line: call"."""
    tree = ast.parse(path.read_text(), str(path))
    imported = {}  # a name bound by `from os import open` etc.: its module
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in _MODULE_CALLS:
            for alias in node.names:
                if alias.name in _MODULE_CALLS[node.module]:
                    imported[alias.asname or alias.name] = node.module
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func, shown = node.func, ast.unparse(node.func)
        if isinstance(func, ast.Name) and (func.id == "open" or func.id in imported):
            found.append(f"{node.lineno}: {shown}")
        elif isinstance(func, ast.Attribute):
            owner = func.value.id if isinstance(func.value, ast.Name) else None
            if func.attr in _MODULE_CALLS.get(owner, ()):
                found.append(f"{node.lineno}: {shown}")
            elif func.attr in _PATH_METHODS and (_in_package(path), shown) not in _NOT_FILES:
                found.append(f"{node.lineno}: {shown}")
    return found


def test_no_module_but_the_door_opens_reads_or_writes_a_file() -> None:
    outside = {_in_package(p): file_calls(p) for p in sorted(PACKAGE.rglob("*.py"))
               if _in_package(p) != DOOR}
    assert {name: calls for name, calls in outside.items() if calls} == {}


def test_the_scan_finds_each_way_to_a_file(tmp_path: Path) -> None:
    """The scan itself: each of these would be a read or write that bypasses the door."""
    sample = tmp_path / "sample.py"
    sample.write_text("import os, tempfile\nfrom os import replace as mv\nopen('x')\n"
                      "Path('x').read_text()\np.write_bytes(b'')\nos.open('x', 0)\n"
                      "tempfile.mkstemp()\nmv('a', 'b')\nPath('x').open()\n"
                      "'a'.replace('b', 'c')\n")
    assert [c.split(": ")[1] for c in file_calls(sample)] == [
        "open", "Path('x').read_text", "p.write_bytes", "os.open", "tempfile.mkstemp", "mv",
        "Path('x').open"]


# -- reads -------------------------------------------------------------------------------------

@pytest.fixture
def here(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "config.yaml").write_text(OLLAMA_CONFIG)
    return tmp_path


def without_hanging(*args) -> object:
    """The CLI in a thread: a read that blocks fails the test instead of hanging the run."""
    result = {}
    worker = threading.Thread(target=lambda: result.update(run=cli(*args)), daemon=True)
    worker.start()
    worker.join(60)
    assert not worker.is_alive(), f"litellm-gen {' '.join(map(str, args))} blocked"
    return result["run"]


@pytest.mark.parametrize("command", [["merge", "config.yaml", "-o", "out.yaml"], ["presets"],
                                     ["render", "--only", "pipe"]])
def test_a_named_pipe_among_the_templates_is_refused_without_blocking(here: Path,
                                                                       command) -> None:
    (here / "tpl").mkdir()
    (here / "tpl" / "mine.yaml.j2").write_text(TEMPLATE)
    os.mkfifo(here / "tpl" / "pipe.yaml.j2")
    run = without_hanging(*command, "--templates", "tpl")
    assert run.code == 2
    assert ("litellm-gen: error: tpl/pipe.yaml.j2: is a named pipe (FIFO), not a regular "
            "template file") in run.stderr
    assert not (here / "out.yaml").exists()


def test_templates_that_name_a_file_are_refused_by_the_door(here: Path) -> None:
    run = cli("merge", "config.yaml", "-o", "out.yaml", "--templates", "config.yaml")
    assert run.code == 2 and "--templates config.yaml: not a folder" in run.stderr


@pytest.mark.parametrize("name", [".litellm-gen.toml", "pyproject.toml"])
def test_a_named_pipe_as_the_settings_file_is_refused_without_blocking(here: Path,
                                                                        name: str) -> None:
    os.mkfifo(here / name)
    run = without_hanging("validate", "config.yaml")
    assert run.code == 2 and f"{name}: is a named pipe (FIFO), not a regular settings file" \
        in run.stderr


def test_a_named_pipe_as_the_env_file_is_refused_without_blocking(here: Path) -> None:
    os.mkfifo(here / "proxy.env")
    run = without_hanging("validate", "config.yaml", "--env-file", "proxy.env")
    assert run.code == 2
    assert "proxy.env: is a named pipe (FIFO), not a regular env file" in run.stderr


def unreadable(path: Path) -> list[str]:
    """Make `path` unreadable; the command prefix that runs a process that cannot read it
    (root reads anything: without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH it cannot)."""
    path.chmod(0)
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    assert setpriv, "run as root, this test needs setpriv (util-linux) to drop the capability"
    caps = "-dac_override,-dac_read_search"
    return [setpriv, "--bounding-set", caps, "--inh-caps", caps]


def test_validate_names_each_file_it_cannot_read_and_checks_the_others(here: Path) -> None:
    (here / "secret.yaml").write_text(OLLAMA_CONFIG)
    prefix = unreadable(here / "secret.yaml")
    run = subprocess.run([*prefix, sys.executable, "-m", "generator", "validate", "config.yaml",
                          "secret.yaml", "missing.yaml", "--litellm", "1.100.0"],
                         capture_output=True, text=True, cwd=here, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 2, run.stderr  # the CLI docstring: 2 when a file cannot be read
    assert "Invalid value" not in run.stderr and "Usage:" not in run.stderr
    assert ("litellm-gen: error: secret.yaml: cannot read the config: permission denied "
            "(make it readable to this user: chmod u+r secret.yaml") in run.stderr
    assert "litellm-gen: error: missing.yaml: no such config file" in run.stderr
    assert "config.yaml: 0 errors" in run.stdout  # the readable file was still checked


# -- writes ------------------------------------------------------------------------------------

@pytest.fixture
def devices(here: Path) -> dict[str, Path]:
    """A null device of the test's own (never the real /dev/null), a FIFO and a folder."""
    made = {"fifo": here / "fifo", "folder": here / "folder"}
    os.mkfifo(made["fifo"])
    made["folder"].mkdir()
    try:
        os.mknod(here / "null", stat.S_IFCHR | 0o666, os.makedev(1, 3))
        made["device"] = here / "null"
    except PermissionError:
        pass  # making a device node needs root; the FIFO and the folder still count
    return made


def test_schema_never_replaces_a_device_a_fifo_or_a_folder(here: Path, devices) -> None:
    for kind, target in devices.items():
        run = without_hanging("schema", "-o", target)
        assert run.code == 2, (kind, run.stderr)
        assert "wrote" not in run.stderr and "not a regular file" in run.stderr or \
            "is a folder" in run.stderr, (kind, run.stderr)
    assert stat.S_ISFIFO(os.lstat(devices["fifo"]).st_mode)
    if "device" in devices:
        assert stat.S_ISCHR(os.lstat(devices["device"]).st_mode)


def test_schema_through_a_link_writes_its_target_and_dash_prints(here: Path) -> None:
    (here / "real.json").write_text("{}\n")
    (here / "link.json").symlink_to("real.json")
    assert cli("schema", "-o", "link.json").code == 0
    assert (here / "link.json").is_symlink() and os.readlink(here / "link.json") == "real.json"
    assert '"$schema"' in (here / "real.json").read_text()
    printed = cli("schema", "-o", "-")
    assert printed.code == 0 and printed.stdout == (here / "real.json").read_text()
    assert not (here / "-").exists()


def test_init_dash_prints_the_starter_and_writes_no_file(here: Path) -> None:
    run = cli("init", "-")
    assert run.code == 0 and "wrote" not in run.stdout + run.stderr
    assert yaml.safe_load(run.stdout)["model_list"][0]["model_name"]
    assert not (here / "-").exists()
    assert cli("init", "new.yaml").code == 0
    assert (here / "new.yaml").read_text() == run.stdout


def test_in_place_refuses_a_read_only_file_even_as_root(here: Path) -> None:
    """A file nobody may write (0444) in a folder anyone may write: root could rename over
    it, and the owner would change; litellm-gen leaves it and says how to go on."""
    here.chmod(0o777)
    config = here / "config.yaml"
    config.chmod(0o444)
    before = config.stat()
    run = cli("merge", "config.yaml", "--in-place")
    assert run.code == 2
    assert ("litellm-gen: error: config.yaml: is read-only (no write permission for anyone), "
            "so litellm-gen leaves it as it is: chmod u+w config.yaml to let it be written, or "
            "write elsewhere with -o OUTPUT") in run.stderr
    after = config.stat()
    assert (after.st_ino, after.st_mode, after.st_uid) == (before.st_ino, before.st_mode,
                                                           before.st_uid)
    assert config.read_text() == OLLAMA_CONFIG
    # What does not write is still allowed: --check and --diff compare with it.
    assert cli("merge", "config.yaml", "--in-place", "--check").code == 1
    # And a read-only output: the same refusal, before anything is written.
    (here / "out.yaml").write_text("x: 1\n")
    (here / "out.yaml").chmod(0o444)
    run = cli("merge", "config.yaml", "-o", "out.yaml")
    assert run.code == 2 and "out.yaml: is read-only" in run.stderr
    assert (here / "out.yaml").read_text() == "x: 1\n"


def test_schema_refuses_a_read_only_file(here: Path) -> None:
    (here / "schema.json").write_text("{}\n")
    (here / "schema.json").chmod(0o444)
    run = cli("schema", "-o", "schema.json")
    assert run.code == 2 and "schema.json: is read-only" in run.stderr
    assert (here / "schema.json").read_text() == "{}\n"


# -- a recorded --templates is relative to the file that records it ---------------------------

def test_recorded_templates_are_found_from_any_working_folder(tmp_path: Path,
                                                               monkeypatch) -> None:
    """Merged in proj/ with --templates tpl; checked from the repository's root (CI, a
    pre-commit hook), the recorded folder is proj/tpl, not ./tpl."""
    project = tmp_path / "proj"
    (project / "tpl").mkdir(parents=True)
    (project / "tpl" / "mine.yaml.j2").write_text(TEMPLATE)
    (project / "config.yaml").write_text(OLLAMA_CONFIG)
    monkeypatch.chdir(project)
    assert cli("merge", "config.yaml", "-o", "out.yaml", "--templates", "tpl",
               "--only", "mine").code == 0
    merged = (project / "out.yaml").read_text()
    assert "generated by `litellm-gen merge --only mine --templates tpl`" in merged
    monkeypatch.chdir(tmp_path)
    run = cli("merge", "proj/config.yaml", "-o", "proj/out.yaml", "--check")
    assert run.code == 0, run.stderr
    assert cli("merge", "proj/config.yaml", "-o", "proj/out.yaml").code == 0
    assert (project / "out.yaml").read_text() == merged  # recorded as it was
    # In place, from the root: the folder is recorded relative to the config.
    assert cli("merge", "proj/config.yaml", "--in-place", "--templates", "proj/tpl",
               "--only", "mine").code == 0
    assert "--templates tpl`" in (project / "config.yaml").read_text()
    monkeypatch.chdir(project / "tpl")
    assert cli("merge", "../config.yaml", "--in-place", "--check").code == 0
    # Into another folder: the path from there.
    monkeypatch.chdir(tmp_path)
    assert cli("merge", "proj/config.yaml", "-o", "deploy/config.yaml").code == 0
    assert "--templates ../proj/tpl`" in (tmp_path / "deploy" / "config.yaml").read_text()


def test_in_place_refuses_another_users_file_in_a_folder_anyone_may_write(here: Path) -> None:
    """Renaming over it would work (the folder allows it) and make the file ours: refused.
    Run as root, the run drops the capability that lets root write anyone's file."""
    if os.geteuid() != 0:
        pytest.skip("giving a file to another user needs root (the read-only case above "
                    "covers this refusal for every user)")
    here.chmod(0o777)
    config = here / "config.yaml"
    os.chown(config, 1234, 1234)
    config.chmod(0o644)
    caps = "-dac_override,-dac_read_search,-fowner"
    run = subprocess.run([shutil.which("setpriv") or "setpriv", "--bounding-set", caps,
                          "--inh-caps", caps, sys.executable, "-m", "generator", "merge",
                          "config.yaml", "--in-place"], capture_output=True, text=True,
                         cwd=here, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 2, run.stderr
    assert ("config.yaml: cannot write the output: permission denied (it belongs to another "
            "user, who may let you write it); write elsewhere with -o OUTPUT") in run.stderr
    assert config.stat().st_uid == 1234 and config.read_text() == OLLAMA_CONFIG


def test_a_recorded_templates_folder_that_is_gone_says_where_it_was_recorded(
        here: Path) -> None:
    (here / "tpl").mkdir()
    (here / "tpl" / "mine.yaml.j2").write_text(TEMPLATE)
    assert cli("merge", "config.yaml", "--in-place", "--templates", "tpl").code == 0
    (here / "tpl" / "mine.yaml.j2").rename(here / "mine.yaml.j2")
    (here / "tpl").rmdir()
    run = cli("merge", "config.yaml", "--in-place")
    assert run.code == 2
    assert ("litellm-gen: error: --templates tpl: no such folder (the folder the block's BEGIN "
            "line records, relative to the file that records it; give --templates DIR to "
            "choose again)") in run.stderr
