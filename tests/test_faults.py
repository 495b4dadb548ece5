"""Faults: whatever fails, the original survives; writes keep mode, owner and links."""
from __future__ import annotations

import errno
import fcntl
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


def start_merge(config: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "generator", "merge", str(config), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_second_run_waits_for_the_first(config: Path) -> None:
    """While one run holds the folder, another waits, then works on the finished file."""
    fd = os.open(config.parent, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as a first run in the middle of its write
    try:
        waiting = start_merge(config, "--in-place")
        time.sleep(1.0)
        assert waiting.poll() is None  # still blocked on the lock, not written
        assert config.read_bytes() == CONFIG
    finally:
        os.close(fd)
    out, err = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, err
    assert_seed_merged(CONFIG, config.read_bytes())


def test_parallel_runs_never_mix(config: Path) -> None:
    """Runs with different selections in parallel: the file is always one whole result."""
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
    fd = os.open(config.parent, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        run = start_merge(config, "--in-place")
        time.sleep(1.0)
        run.send_signal(signal.SIGTERM)
        run.communicate(timeout=30)
        assert run.returncode != 0
    finally:
        os.close(fd)
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
    assert f"{config}: cannot write the output: Permission denied; nothing was changed" in run.stderr
    assert config.read_bytes() == CONFIG


def test_read_only_file_system(config: Path) -> None:
    """sysfs refuses new files even to root: a real read-only place."""
    run = cli("merge", config, "-o", "/sys/litellm-gen-test.yaml")
    assert run.code == 2 and "cannot write the output" in run.stderr
    assert not Path("/sys/litellm-gen-test.yaml").exists()
