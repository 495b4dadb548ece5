"""The command line's edges, through real processes: Ctrl-C and SIGTERM at any moment from
the package's first line (one line, 130 / 143, never a traceback), -q before the command as
after it, and a reader that goes away (`| head -1`).

Every process is the command as an installer writes it (a script that imports
generator.__main__) or `python -m generator`, with this checkout first on PYTHONPATH.
"""
from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from helpers import OLLAMA_CONFIG, cli
from test_streams import ENV, HOOK, INTERRUPTED, as_at_a_terminal

CONFIG = OLLAMA_CONFIG.encode()
TERMINATED = "litellm-gen: interrupted (SIGTERM); no file was changed\n"
# What pip, uv and setuptools write as the `litellm-gen` console script.
CONSOLE_SCRIPT = textwrap.dedent("""\
    import sys
    from generator.__main__ import main
    if __name__ == "__main__":
        sys.exit(main())
""")
# Says "ready" when the named module is first looked for, and goes on (no pause).
NOTIFY_HOOK = textwrap.dedent('''\
    import os
    import sys

    class _Notify:
        def find_spec(self, name, path=None, target=None):
            if name == os.environ["NOTIFY_AT_IMPORT"]:
                sys.meta_path.remove(self)
                os.write(int(os.environ["READY_FD"]), b"ready\\n")
            return None

    sys.meta_path.insert(0, _Notify())
''')


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "config.yaml").write_bytes(CONFIG)
    script = tmp_path / "bin" / "litellm-gen"
    script.parent.mkdir()
    script.write_text(CONSOLE_SCRIPT)
    return tmp_path


def command(folder: Path, entry: str) -> list[str]:
    return [sys.executable, str(folder / "bin" / "litellm-gen")] if entry == "script" else \
        [sys.executable, "-m", "generator"]


def start(folder: Path, entry: str, hook: str, args: list[str], **env) -> subprocess.Popen:
    """The command with a sitecustomize of the test's own; returns once it says "ready"."""
    hooks = folder / "hooks"
    hooks.mkdir(exist_ok=True)
    (hooks / "sitecustomize.py").write_text(hook)
    ready_read, ready_write = os.pipe()
    process = subprocess.Popen(
        [*command(folder, entry), *args], cwd=folder, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, pass_fds=(ready_write,), preexec_fn=as_at_a_terminal,
        env={**ENV, **env, "PYTHONPATH": f"{hooks}{os.pathsep}{ENV['PYTHONPATH']}",
             "READY_FD": str(ready_write)})
    os.close(ready_write)
    try:
        ready, _, _ = select.select([ready_read], [], [], 60)
        said = os.read(ready_read, 100) if ready else b""
    finally:
        os.close(ready_read)
    if said != b"ready\n":
        process.kill()
        pytest.fail(f"the run never said ready: {said!r} {process.communicate()}")
    return process


def untouched(folder: Path) -> bool:
    return (folder / "config.yaml").read_bytes() == CONFIG and \
        sorted(p.name for p in folder.iterdir()) == ["bin", "config.yaml", "hooks"]


@pytest.mark.parametrize("entry", ["script", "module"])
@pytest.mark.parametrize("sig, line", [(signal.SIGINT, INTERRUPTED),
                                       (signal.SIGTERM, TERMINATED)])
def test_a_signal_before_the_entry_point_runs_is_one_line(folder: Path, entry: str, sig,
                                                          line: str) -> None:
    """Stopped while Python looks for generator.__main__ (the package is loaded, nothing of
    the command yet): the moment a traceback used to come out of the import."""
    process = start(folder, entry, HOOK, ["merge", "--in-place"],
                    STOP_AT_IMPORT="generator.__main__")
    process.send_signal(sig)
    out, err = process.communicate(timeout=60)
    assert (process.returncode, err, out) == (128 + sig, line, "")
    assert untouched(folder)


@pytest.mark.parametrize("module", ["typer", "generator.merge.plan", "generator.merge.prove"])
def test_sigterm_at_any_moment_of_the_run_is_one_line_and_143(folder: Path, module: str
                                                                ) -> None:
    process = start(folder, "script", HOOK, ["merge", "--in-place"], STOP_AT_IMPORT=module)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)
    assert (process.returncode, err, out) == (143, TERMINATED, "")
    assert untouched(folder)


# Delays from the moment the package is loaded: through the imports and into the checks.
DELAYS = (0, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2)


@pytest.mark.parametrize("sig, line", [(signal.SIGINT, INTERRUPTED),
                                       (signal.SIGTERM, TERMINATED)])
def test_a_signal_at_several_early_moments_is_never_a_traceback(folder: Path, sig,
                                                                line: str) -> None:
    """The run is signalled at each delay after its package loaded: whatever it was doing,
    it ends with the one line (or, had it finished first, as it would have)."""
    for delay in DELAYS:
        process = start(folder, "script", NOTIFY_HOOK,
                        ["validate", "config.yaml", "--litellm", "1.100.0"],
                        NOTIFY_AT_IMPORT="generator.__main__")
        time.sleep(delay)
        process.send_signal(sig)
        out, err = process.communicate(timeout=60)
        assert "Traceback" not in err and "Error" not in err, (delay, err)
        # Interrupted, or finished first (then a late signal changes nothing: its status
        # stands, and Python's shutdown is not killed by it).
        assert process.returncode in (128 + sig, 0), (delay, process.returncode, err)
        if process.returncode:
            assert (err, out) == (line, ""), delay


# -- -q before the command, as after it ------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["validate", "config.yaml"],
    ["merge", "config.yaml", "-o", "out.yaml"],
    ["list", "config.yaml"],
    ["init", "new.yaml"],
])
def test_quiet_before_the_command_is_quiet_after_it(tmp_path: Path, monkeypatch, args) -> None:
    monkeypatch.chdir(tmp_path)
    # A config that draws warnings (an unset master key, an include that is not there), so
    # quiet has something to drop.
    (tmp_path / "config.yaml").write_text(
        "include:\n  - missing.yaml\n" + OLLAMA_CONFIG
        + "general_settings:\n  master_key: os.environ/UNSET_MASTER_KEY\n")
    monkeypatch.delenv("UNSET_MASTER_KEY", raising=False)
    loud = cli(*args)
    for path in ("out.yaml", "new.yaml"):
        (tmp_path / path).unlink(missing_ok=True)
    after = cli(*args[:1], "-q", *args[1:])
    for path in ("out.yaml", "new.yaml"):
        (tmp_path / path).unlink(missing_ok=True)
    before = cli("-q", *args)
    assert before.code == after.code == loud.code
    assert (before.stdout, before.stderr) == (after.stdout, after.stderr)
    assert len(before.stdout + before.stderr) < len(loud.stdout + loud.stderr)


def test_quiet_silences_schema_notes(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = cli("-q", "schema", "-o", "schema.json")
    assert run.code == 0 and run.stderr == "" and run.stdout == ""
    assert (tmp_path / "schema.json").read_text().startswith("{")


# -- a reader that has gone ------------------------------------------------------------------

@pytest.mark.parametrize("args", [["validate", "config.yaml"], ["presets"], ["init", "-"],
                                  ["schema"], ["list", "config.yaml"]])
def test_a_reader_gone_before_the_output_ends_is_status_141(folder: Path, args) -> None:
    """The CLI docstring: 141 when the reader of the output went away (a closed pipe)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        run = subprocess.run([*command(folder, "script"), *args], stdout=write_end,
                             stderr=subprocess.PIPE, cwd=folder, timeout=120, env=ENV)
    finally:
        os.close(write_end)
    assert run.returncode == 141
    assert b"Traceback" not in run.stderr and b"Error" not in run.stderr, run.stderr


@pytest.mark.parametrize("args", [["validate", "config.yaml"], ["presets"]])
def test_head_of_the_output_in_a_shell_pipeline(folder: Path, args) -> None:
    """`litellm-gen ... | head -1`: nothing on standard error; 141 when head left first, 0
    when the whole output fit in the pipe before (as for any Unix tool)."""
    line = " ".join(map(str, [*command(folder, "script"), *args]))
    run = subprocess.run(["bash", "-c", f'{line} | head -1; echo "status ${{PIPESTATUS[0]}}" >&2'],
                         capture_output=True, text=True, cwd=folder, timeout=120, env=ENV)
    assert run.stdout.count("\n") == 1
    assert run.stderr in ("status 0\n", "status 141\n"), run.stderr
