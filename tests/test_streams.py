"""Standard streams as Unix tools use them, through real processes: `-` for standard input
and output, a reader that closes the pipe, and Ctrl-C at any moment of a run.

Every process here is `python -m generator` (the same entry point as the installed
command), so nothing depends on how the checkout was set up. The Ctrl-C tests stop the
process at a chosen point with an import hook of the test's own (a sitecustomize on
PYTHONPATH): it says "ready" on a pipe and waits; the test then sends a real SIGINT.
"""
from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import OLLAMA_CONFIG, assert_seed_merged
from test_faults import blocked_on_a_lock  # the kernel's lock table: the readiness signal

ROOT = Path(__file__).resolve().parents[1]
CONFIG = OLLAMA_CONFIG.encode()
INTERRUPTED = "litellm-gen: interrupted; no file was changed\n"
EXIT_SIGPIPE = 128 + signal.SIGPIPE
# This checkout's package, also where it is not installed (a plain `pytest` in a clone).
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(
    filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))}


def litellm_gen(*args, input: bytes | None = None, cwd: Path, env: dict | None = None,
                **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *map(str, args)], input=input,
                          capture_output=True, cwd=cwd, env={**ENV, **(env or {})},
                          timeout=120, **kwargs)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "config.yaml").write_bytes(CONFIG)
    return tmp_path


# -- `-` as CONFIG and as OUTPUT ------------------------------------------------------------

def test_merge_dash_reads_standard_input_and_prints_the_result(folder: Path) -> None:
    run = litellm_gen("merge", "-", input=CONFIG, cwd=folder)
    assert run.returncode == 0, run.stderr
    assert_seed_merged(CONFIG, run.stdout)
    report = run.stderr.decode()
    assert "standard input -> standard output" in report and "(5 added)" in report
    assert sorted(p.name for p in folder.iterdir()) == ["config.yaml"]  # nothing written
    # The same bytes as a merge of the file into a file.
    assert litellm_gen("merge", "config.yaml", "-o", "out.yaml", cwd=folder).returncode == 0
    assert (folder / "out.yaml").read_bytes() == run.stdout


def test_dash_output_prints_and_writes_no_file_named_dash(folder: Path) -> None:
    run = litellm_gen("merge", "config.yaml", "-o", "-", "--format", "json", cwd=folder)
    assert run.returncode == 0, run.stderr
    assert_seed_merged(CONFIG, run.stdout)  # standard output holds the merged text only
    assert b'"mode": "stdout"' in run.stderr  # the report went to standard error
    assert not (folder / "-").exists() and not (folder / "output").exists()


def test_dash_input_to_a_file_and_bytes_kept(folder: Path) -> None:
    crlf_bom = b"\xef\xbb\xbf" + CONFIG.replace(b"\n", b"\r\n")
    run = litellm_gen("merge", "-", "-o", "out.yaml", input=crlf_bom, cwd=folder)
    assert run.returncode == 0, run.stderr
    assert_seed_merged(crlf_bom, (folder / "out.yaml").read_bytes())
    printed = litellm_gen("merge", "-", input=crlf_bom, cwd=folder).stdout
    assert printed == (folder / "out.yaml").read_bytes()  # BOM and CRLF on standard output too


def test_diff_of_standard_input(folder: Path) -> None:
    run = litellm_gen("merge", "-", "--diff", "--only", "tts-1", input=CONFIG, cwd=folder)
    assert run.returncode == 0
    assert b"+  - model_name: tts-1\n" in run.stdout and b"tts-1-hd" not in run.stdout


@pytest.mark.parametrize("args, message", [
    (["-", "--in-place"], "standard input (-) cannot be written"),
    (["config.yaml", "-o", "-", "--in-place"], "either -o OUTPUT or --in-place"),
    (["config.yaml", "-o", "-", "--check"], "--check compares the result with an OUTPUT file"),
    (["-", "--check"], "--check compares the result with an OUTPUT file"),
    (["config.yaml", "-o", "-", "--include-file", "p.yaml"], "--include-file writes two files"),
])
def test_what_the_streams_cannot_do_is_refused(folder: Path, args, message) -> None:
    run = litellm_gen("merge", *args, input=CONFIG, cwd=folder)
    assert run.returncode == 2 and message in run.stderr.decode()
    assert run.stdout == b"" and sorted(p.name for p in folder.iterdir()) == ["config.yaml"]


def test_validate_and_list_read_standard_input(folder: Path) -> None:
    broken = CONFIG.replace(b"ollama/llama3", b"llama3")  # no provider: the proxy drops it
    run = litellm_gen("validate", "-", input=broken, cwd=folder)
    assert run.returncode == 1 and b"-:4:" in run.stdout and b"[unknown-provider]" in run.stdout
    assert litellm_gen("validate", "-", input=CONFIG, cwd=folder).returncode == 0
    listed = litellm_gen("list", "-", input=CONFIG, cwd=folder)
    assert listed.returncode == 0 and b"llama3" in listed.stdout


def test_a_bad_config_on_standard_input_is_named_dash(folder: Path) -> None:
    run = litellm_gen("merge", "-", input=b"model_list: [\n", cwd=folder)
    assert run.returncode == 2 and run.stderr.decode().startswith("litellm-gen: error: -:2:1: ")
    assert run.stdout == b""


# -- a reader that has gone -----------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["validate", "config.yaml"], ["presets"], ["presets", "--format", "json"],
    ["list", "config.yaml"], ["render"], ["merge", "config.yaml", "-o", "-"],
    ["merge", "config.yaml", "--diff"], ["--help"], ["merge", "--help"], ["--version"],
])
def test_a_closed_pipe_ends_quietly(folder: Path, args) -> None:
    """`litellm-gen ... | head -1` where head is already gone: no message, exit 0 or 141."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # every write to the pipe fails with EPIPE
    try:
        run = subprocess.run([sys.executable, "-m", "generator", *args], stdout=write_end,
                             stderr=subprocess.PIPE, cwd=folder, timeout=120, env=ENV)
    finally:
        os.close(write_end)
    assert run.returncode in (0, EXIT_SIGPIPE)
    assert run.stderr == b"", run.stderr.decode()  # never "internal error", never a traceback


PRINTING = [["validate", "config.yaml"], ["presets"], ["list", "config.yaml"], ["render"],
            ["merge", "config.yaml", "-o", "-"], ["merge", "config.yaml", "--diff"],
            ["schema"], ["--help"]]


def _run_with_stdout(stdout: int | None, args: list[str], folder: Path):
    """The command with standard output on `stdout`, or with none at all (`>&-`)."""
    close = stdout is None
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=folder, env=ENV,
                          stdout=subprocess.DEVNULL if close else stdout,
                          stderr=subprocess.PIPE, timeout=120,
                          preexec_fn=(lambda: os.close(1)) if close else None)


@pytest.mark.parametrize("args", PRINTING)
def test_a_full_disk_behind_standard_output_is_one_line(folder: Path, args) -> None:
    """`> /dev/full`: the environment's error, named, exit 2; not a traceback."""
    with open("/dev/full", "wb") as full:
        run = _run_with_stdout(full.fileno(), args, folder)
    stderr = run.stderr.decode()
    assert run.returncode == 2, stderr
    assert stderr.splitlines()[-1] == ("litellm-gen: error: cannot write to standard output: "
                                       "No space left on device")
    assert "Traceback" not in stderr and "internal error" not in stderr


def test_merged_text_refused_is_never_reported_as_written(folder: Path) -> None:
    """`merge -o -` reports on standard error: it must not say "wrote" for a refused write."""
    with open("/dev/full", "wb") as full:
        run = _run_with_stdout(full.fileno(), ["merge", "config.yaml", "-o", "-"], folder)
    assert run.returncode == 2
    assert "wrote the result" not in run.stderr.decode() and b"added" not in run.stderr


@pytest.mark.parametrize("args", PRINTING)
def test_standard_output_closed_is_one_line(folder: Path, args) -> None:
    """`>&-`: Python starts with sys.stdout None; what would be printed is refused, named."""
    run = _run_with_stdout(None, args, folder)
    stderr = run.stderr.decode()
    assert run.returncode == 2, stderr
    assert stderr.splitlines()[-1] == ("litellm-gen: error: cannot write to standard output: "
                                       "Bad file descriptor")
    assert "Traceback" not in stderr and "Exception ignored" not in stderr


@pytest.mark.parametrize("stdout", ["closed", "/dev/full"])
def test_a_command_that_prints_nothing_needs_no_standard_output(folder: Path, stdout) -> None:
    with open("/dev/full", "wb") as full:
        run = _run_with_stdout(None if stdout == "closed" else full.fileno(),
                               ["merge", "config.yaml", "--in-place", "-q"], folder)
    assert run.returncode == 0 and run.stderr == b"", run.stderr.decode()
    assert_seed_merged(CONFIG, (folder / "config.yaml").read_bytes())


def test_a_failed_report_after_a_write_names_the_file_written(folder: Path) -> None:
    """The config is written whole before the report fails: the line says so."""
    with open("/dev/full", "wb") as full:
        run = _run_with_stdout(full.fileno(), ["merge", "config.yaml", "--in-place"], folder)
    assert run.returncode == 2
    assert run.stderr.decode().splitlines()[-1] == (
        "litellm-gen: error: cannot write to standard output: No space left on device (after "
        f"writing {folder / 'config.yaml'}, whole)")
    assert_seed_merged(CONFIG, (folder / "config.yaml").read_bytes())


def test_head_of_a_long_listing_in_a_shell_pipeline(folder: Path) -> None:
    """The issue's own command line; whether the writer meets the closed pipe depends on
    timing (the test above makes it certain)."""
    entries = "".join(f"  - model_name: m{i}\n    litellm_params:\n      model: ollama/m{i}\n"
                      for i in range(3000))
    (folder / "big.yaml").write_text("model_list:\n" + entries)
    script = (f"{sys.executable} -m generator list big.yaml | head -1; "
              'echo "status ${PIPESTATUS[0]}" >&2')
    run = subprocess.run(["bash", "-c", script], capture_output=True, text=True, cwd=folder,
                         timeout=120, env=ENV)
    assert run.stdout.startswith("LINE") and run.stdout.count("\n") == 1
    *noise, status = run.stderr.splitlines()
    assert noise == [] and status in ("status 0", f"status {EXIT_SIGPIPE}")


# -- Ctrl-C at any moment ---------------------------------------------------------------------

HOOK = textwrap.dedent('''\
    """The test's stop: when the named module is first imported, say "ready" and wait."""
    import os
    import signal
    import sys

    _MODULE = os.environ.get("STOP_AT_IMPORT")
    if _MODULE:
        class _Stop:
            def find_spec(self, name, path=None, target=None):
                if name != _MODULE:
                    return None
                sys.meta_path.remove(self)
                os.write(int(os.environ["READY_FD"]), b"ready\\n")
                while True:
                    signal.pause()  # Ctrl-C raises KeyboardInterrupt out of this import

        sys.meta_path.insert(0, _Stop())

    # e.g. os.rename onto a file named in STOP_AFTER_ARG: stop at the next open
    _EVENT, _ARG = os.environ.get("STOP_AFTER_EVENT"), os.environ.get("STOP_AFTER_ARG", "")
    if _EVENT:
        _state = []

        def _audit(event, args):
            if event == _EVENT and not _state and _ARG in repr(args):
                _state.append("seen")
            elif event == "open" and _state == ["seen"]:
                _state.append("stopped")
                os.write(int(os.environ["READY_FD"]), b"ready\\n")
                while True:
                    signal.pause()

        sys.addaudithook(_audit)
''')


def as_at_a_terminal() -> None:
    """Ctrl-C as a terminal delivers it: a test run started in the background (`make test &`
    from a script) hands its children SIGINT ignored, and they would never see it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_stopped(folder: Path, module: str, *args: str, env: dict | None = None
                  ) -> subprocess.Popen:
    """A run that stops when it first imports `module` (or, with STOP_AFTER_EVENT in `env`,
    at the first open after that audit event); returns once it says it is there."""
    hooks = folder / "hooks"
    hooks.mkdir(exist_ok=True)
    (hooks / "sitecustomize.py").write_text(HOOK)
    ready_read, ready_write = os.pipe()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", *args], cwd=folder, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, pass_fds=(ready_write,), preexec_fn=as_at_a_terminal,
        env={**ENV, **(env or {}), "PYTHONPATH": f"{hooks}{os.pathsep}{ENV['PYTHONPATH']}",
             "STOP_AT_IMPORT": module, "READY_FD": str(ready_write)})
    os.close(ready_write)
    try:
        ready, _, _ = select.select([ready_read], [], [], 60)
        said = os.read(ready_read, 100) if ready else b""
    finally:
        os.close(ready_read)
    if said != b"ready\n":
        process.kill()
        out, err = process.communicate()
        pytest.fail(f"the run never imported {module}: {said!r}\n{out}\n{err}")
    return process


def interrupt(process: subprocess.Popen) -> tuple[str, str]:
    process.send_signal(signal.SIGINT)
    return process.communicate(timeout=60)


@pytest.mark.parametrize("module, moment", [
    ("typer", "the first imports, before litellm-gen's command line is even read"),
    ("generator.merge.plan", "the command's own imports"),
    ("jinja2", "rendering a template the cache does not hold"),
    ("generator.merge.prove", "proving the merged text, before anything is written"),
])
def test_ctrl_c_prints_one_line_at_any_moment(folder: Path, tmp_path_factory, module: str,
                                              moment: str) -> None:
    empty_cache = tmp_path_factory.mktemp("cache")  # so that Jinja2 is needed
    process = start_stopped(folder, module, "merge", "--in-place",
                            env={"XDG_CACHE_HOME": str(empty_cache)})
    out, err = interrupt(process)
    assert process.returncode == 130, (moment, err)
    assert err == INTERRUPTED, (moment, err)
    assert out == ""
    assert (folder / "config.yaml").read_bytes() == CONFIG
    assert sorted(p.name for p in folder.iterdir()) == ["config.yaml", "hooks"]


def test_ctrl_c_after_the_write_says_what_was_written(folder: Path) -> None:
    """Right after the new config replaced the old one: the line must not say "no file"."""
    process = start_stopped(folder, "", "merge", "--in-place",
                            env={"STOP_AFTER_EVENT": "os.rename",
                                 "STOP_AFTER_ARG": str(folder / "config.yaml")})
    out, err = interrupt(process)
    assert process.returncode == 130
    assert err == (f"litellm-gen: interrupted after writing {folder / 'config.yaml'} (written "
                   "whole); run the command again to finish\n")
    assert_seed_merged(CONFIG, (folder / "config.yaml").read_bytes())  # the whole new file


def test_ctrl_c_while_waiting_for_another_run(folder: Path) -> None:
    """The second of two runs waits on the folder lock; Ctrl-C there ends it in one line."""
    import fcntl

    out = folder / "output"
    out.mkdir()
    lock = os.open(out, os.O_RDONLY)
    fcntl.flock(lock, fcntl.LOCK_EX)  # as a first run holds it while it writes
    try:
        process = subprocess.Popen([sys.executable, "-m", "generator", "merge"], cwd=folder,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env=ENV, preexec_fn=as_at_a_terminal)
        assert blocked_on_a_lock(process.pid), "the second run never waited for the lock"
        stdout, err = interrupt(process)
    finally:
        os.close(lock)
    assert process.returncode == 130 and err == INTERRUPTED and stdout == ""
    assert list(out.iterdir()) == []


def test_ctrl_c_while_verify_waits_for_the_proxy(folder: Path) -> None:
    from generator.validate.with_proxy import free_port

    (folder / "output").mkdir()
    (folder / "output" / "config.yaml").write_bytes(CONFIG)
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "verify", "--url", f"http://127.0.0.1:{free_port()}",
         "--wait", "600"], cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env={**ENV, "LITELLM_MASTER_KEY": "sk-test"}, preexec_fn=as_at_a_terminal)
    said = process.stderr.readline()  # "waiting for the proxy ...": the readiness signal
    assert "waiting for the proxy" in said
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130 and err == INTERRUPTED and out == ""
