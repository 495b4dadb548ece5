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


def test_an_editable_install_prints_no_setuptools_banner(tmp_path: Path) -> None:
    """What `make` runs (pip install -e): the build backend's editable step says nothing."""
    import json
    import shutil

    copy = tmp_path / "checkout"
    copy.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, copy / name)
    shutil.copytree(ROOT / "generator", copy / "generator",
                    ignore=shutil.ignore_patterns("__pycache__"))
    # With the settings the Makefile's `pip install -e` passes to the backend, if any.
    import re
    settings = dict(re.findall(r"--config-settings[= ]([\w-]+)=(\S+)",
                               (ROOT / "Makefile").read_text()))
    out = tmp_path / "editable"
    run = subprocess.run([sys.executable, "-W", "default", "-c",
                          "import json, setuptools.build_meta as b, sys; "
                          "print(b.build_editable(sys.argv[1], json.loads(sys.argv[2])))",
                          str(out), json.dumps(settings)],
                         cwd=copy, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert list(out.glob("litellm_gen-*.whl"))
    for banner in ("compat", "!!", "Warning", "warning"):
        assert banner not in run.stderr, run.stderr
