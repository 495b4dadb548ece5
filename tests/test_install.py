"""The installed command (a real wheel, not the checkout) finds its templates anywhere."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build_wheel(tmp_path: Path) -> Path:
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "-w", str(wheels), str(ROOT)], check=True,
                   capture_output=True)
    (wheel,) = wheels.glob("litellm_gen-*.whl")
    return wheel


def test_wheel_install_runs_from_any_folder(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path)
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
                    str(site), str(wheel)], check=True, capture_output=True)
    work = tmp_path / "anywhere"
    work.mkdir()
    # The target folder first on the path: the checkout's editable install is not used.
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run([sys.executable, "-c", "import generator; print(generator.__file__)"],
                           cwd=work, env=env, capture_output=True, text=True, check=True)
    assert where.stdout.strip().startswith(str(site))
    script = site / "bin" / "litellm-gen"
    for args in (["init"], ["merge"], ["presets"]):
        run = subprocess.run([str(script), *args], cwd=work, env=env, capture_output=True,
                             text=True)
        assert run.returncode == 0, run.stderr
    output = (work / "output" / "config.yaml").read_text()
    assert output.count("api_key: os.environ/OPENAI_API_KEY") == 5
    assert "model: ollama/llama3" in output


def test_the_wheel_carries_its_license_and_says_what_it_is(tmp_path: Path) -> None:
    import email
    import zipfile

    with zipfile.ZipFile(build_wheel(tmp_path)) as wheel:
        names = wheel.namelist()
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = email.message_from_bytes(wheel.read(info))
        entry_points = wheel.read(info.replace("METADATA", "entry_points.txt")).decode()
        license_text = wheel.read(next(n for n in names if n.endswith("licenses/LICENSE")))
    assert metadata["License-Expression"] == "MIT" and b"MIT License" in license_text
    assert "Programming Language :: Python :: 3.11" in metadata.get_all("Classifier")
    urls = dict(u.split(", ", 1) for u in metadata.get_all("Project-URL"))
    assert {"Homepage", "Source", "Issues", "Documentation"} <= set(urls)
    assert "litellm-gen = generator.__main__:main" in entry_points
    requires = metadata.get_all("Requires-Dist")
    assert any(r.startswith("typer") and ">=0.16" in r for r in requires)


def test_the_editable_install_make_runs_prints_nothing(tmp_path: Path) -> None:
    """What `make` runs for the checkout (uv, from the locks): an install that says nothing,
    and a litellm-gen that finds the top-level templates/ folder."""
    import shutil

    uv = Path(sys.executable).parent / "uv"
    if not uv.exists():
        import pytest
        pytest.skip("uv is installed into .venv by `make`; this environment has none")
    copy = tmp_path / "checkout"
    copy.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, copy / name)
    for folder in ("generator", "templates"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
    venv = tmp_path / "venv"
    env = {**os.environ, "UV_NO_CONFIG": "1", "UV_PYTHON_DOWNLOADS": "never"}
    subprocess.run([str(uv), "venv", "--quiet", "--python", sys.executable, str(venv)],
                   check=True, env=env)
    # The build backend the lock holds, then the Makefile's own command for the checkout.
    setuptools = [line.split(" ")[0] for line in (ROOT / "requirements" / "dev.txt")
                  .read_text().splitlines() if line.startswith("setuptools==")]
    subprocess.run([str(uv), "--quiet", "pip", "install", "--no-deps", *setuptools,
                    "--python", str(venv / "bin" / "python")], check=True, env=env)
    run = subprocess.run([str(uv), "--quiet", "pip", "install", "--no-deps",
                          "--no-build-isolation", "-e", str(copy), "--python",
                          str(venv / "bin" / "python")], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout == run.stderr == ""
    where = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "from generator.presets.catalog import shipped_templates as s; print(s())"],
                           cwd=tmp_path, capture_output=True, text=True, check=True)
    assert where.stdout.strip() == str(copy / "templates")
