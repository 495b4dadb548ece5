"""Faults: whatever fails, the original survives; writes keep mode, owner and links."""
from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import assert_seed_merged, cli

CONFIG = b"model_list:\n  - model_name: llama3\n    litellm_params:\n      model: ollama/llama3\n"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_bytes(CONFIG)
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("failing", ["write", "fsync", "replace"])
def test_failed_write_leaves_original_and_no_temporary_file(config: Path, monkeypatch,
                                                             failing: str) -> None:
    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")
    if failing == "write":
        import tempfile
        real = tempfile.mkstemp

        def mkstemp(*a, **k):
            fd, name = real(*a, **k)
            os.close(fd)
            return os.open(os.devnull, os.O_RDONLY), name  # writes to it fail
        monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    else:
        monkeypatch.setattr(os, failing, disk_full)
    run = cli("merge", config, "--in-place")
    assert run.code == 2
    assert "nothing was changed" in run.stderr and "Traceback" not in run.stderr
    assert config.read_bytes() == CONFIG
    assert leftovers(config.parent) == []


def test_interrupted_write_leaves_original(config: Path, monkeypatch) -> None:
    def interrupted(fd):
        raise KeyboardInterrupt
    monkeypatch.setattr(os, "fsync", interrupted)
    run = cli("merge", config, "--in-place")
    assert run.code == 130 and "no file was changed" in run.stderr
    assert config.read_bytes() == CONFIG
    assert leftovers(config.parent) == []


def test_permission_bits_and_owner_are_kept(config: Path) -> None:
    os.chmod(config, 0o600)
    if os.geteuid() == 0:
        os.chown(config, 1234, 2345)
    assert cli("merge", config, "--in-place").code == 0
    info = config.stat()
    assert stat.S_IMODE(info.st_mode) == 0o600
    if os.geteuid() == 0:
        assert (info.st_uid, info.st_gid) == (1234, 2345)
    assert_seed_merged(CONFIG, config.read_bytes())


def test_new_output_takes_the_config_mode(config: Path, tmp_path: Path) -> None:
    os.chmod(config, 0o640)
    out = tmp_path / "out" / "config.yaml"
    assert cli("merge", config, "-o", out).code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_symbolic_link_stays_a_link_and_its_target_is_updated(config: Path, tmp_path: Path) -> None:
    mounted = tmp_path / "mounted"
    mounted.mkdir()
    link = mounted / "config.yaml"
    link.symlink_to(config)
    os.chmod(config, 0o600)
    assert cli("merge", link, "--in-place").code == 0
    assert link.is_symlink() and os.readlink(link) == str(config)
    assert_seed_merged(CONFIG, config.read_bytes())
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert leftovers(mounted) == [] and leftovers(tmp_path) == []


def test_output_through_a_symbolic_link(config: Path, tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text("old\n")
    link = tmp_path / "out.yaml"
    link.symlink_to(real)
    assert cli("merge", config, "-o", link).code == 0
    assert link.is_symlink()
    assert_seed_merged(CONFIG, real.read_bytes())


def start_merge(config: Path, *args: str, pause_in_write: bool = False) -> subprocess.Popen:
    """A merge in a process of its own. With pause_in_write, it stops inside its write, after
    the temporary file is written and synced and before it replaces the target, says
    "writing" on stdout (the readiness signal), and goes on when a line comes on stdin."""
    code = "from generator.__main__ import main; main()"
    if pause_in_write:
        code = ("import os, sys\nimport generator.boundary.files as files\nreal = files.os.replace\n"
                "def paused(src, dst):\n    print('writing', flush=True)\n"
                "    sys.stdin.readline()\n    return real(src, dst)\n"
                "files.os.replace = paused\n" + code)
    return subprocess.Popen([sys.executable, "-c", code, "merge", str(config), *args],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def blocked_on_a_lock(pid: int, timeout: float = 30.0) -> bool:
    """Wait until the kernel lists `pid` as waiting for a lock (/proc/locks, "->")."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in Path("/proc/locks").read_text().splitlines():
            fields = line.split()
            if "->" in fields and str(pid) in fields:
                return True
        time.sleep(0.02)
    return False


def test_a_second_run_waits_for_the_first(config: Path) -> None:
    """While one run is writing, another waits on the folder lock, then reads the result."""
    first = start_merge(config, "--in-place", "--only", "tts", pause_in_write=True)
    assert first.stdout.readline() == "writing\n"  # first holds the lock, mid-write
    second = start_merge(config, "--in-place", "--only", "stt")
    try:
        assert blocked_on_a_lock(second.pid), "the second run did not wait for the lock"
        assert second.poll() is None and config.read_bytes() == CONFIG
    finally:
        first.communicate("go\n", timeout=60)
    out, err = second.communicate(timeout=60)
    assert first.returncode == 0 and second.returncode == 0, err
    # The second run read the first one's result: it reports the tts presets as removed.
    assert "removed   tts-1" in out + err and "added     whisper-1" in out + err
    assert_seed_merged(CONFIG, config.read_bytes(), names=("whisper-1",))


def test_a_reader_sees_the_old_file_or_the_new_one_never_a_part(config: Path) -> None:
    """Atomic replace: mid-write, the target still holds its old bytes, whole."""
    out = config.parent / "out.yaml"
    out.write_bytes(b"# the previous output\n")
    run = start_merge(config, "-o", str(out), pause_in_write=True)
    assert run.stdout.readline() == "writing\n"
    assert out.read_bytes() == b"# the previous output\n"
    run.communicate("go\n", timeout=60)
    assert run.returncode == 0
    assert_seed_merged(CONFIG, out.read_bytes())


def test_parallel_runs_each_leave_a_whole_file(config: Path) -> None:
    """Runs with different selections at once: the file is always one run's whole result."""
    wanted = {}
    for only in ("tts", "stt", "image-gen"):
        probe = config.parent / f"probe-{only}.yaml"
        assert cli("merge", config, "-o", probe, "--only", only).code == 0
        wanted[only] = probe.read_bytes()
    for _ in range(3):
        runs = [start_merge(config, "-o", str(config.parent / "shared.yaml"), "--only", only)
                for only in ("tts", "stt", "image-gen")]
        for run in runs:
            run.communicate(timeout=60)
            assert run.returncode == 0
        assert (config.parent / "shared.yaml").read_bytes() in wanted.values()
    assert leftovers(config.parent) == []


def test_terminated_run_leaves_original(config: Path) -> None:
    """SIGTERM in the middle of a real write: the temporary file is gone, the config intact."""
    run = start_merge(config, "--in-place", pause_in_write=True)
    assert run.stdout.readline() == "writing\n"  # the temporary file exists now
    assert len(leftovers(config.parent)) == 1
    run.send_signal(signal.SIGTERM)
    _, err = run.communicate(timeout=30)
    assert run.returncode == 143 and "no file was changed" in err
    assert config.read_bytes() == CONFIG
    assert leftovers(config.parent) == []


def test_folder_that_refuses_writes(config: Path, monkeypatch) -> None:
    """A read-only folder (root ignores mode bits, so the refusal is simulated)."""
    import tempfile

    def refused(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")
    monkeypatch.setattr(tempfile, "mkstemp", refused)
    run = cli("merge", config, "--in-place")
    assert run.code == 2
    assert f"{config}: cannot write the output: its folder " in run.stderr
    assert ("does not let this user create files (litellm-gen writes the new file there first, "
            "then moves it into place); make the folder writable, or write elsewhere with "
            "-o OUTPUT; nothing was changed") in run.stderr
    assert config.read_bytes() == CONFIG


def test_read_only_file_system(config: Path) -> None:
    """sysfs refuses new files even to root: a real read-only place."""
    run = cli("merge", config, "-o", "/sys/litellm-gen-test.yaml")
    assert run.code == 2 and "cannot write the output" in run.stderr
    assert not Path("/sys/litellm-gen-test.yaml").exists()
