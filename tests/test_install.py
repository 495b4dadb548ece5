"""The installed command (a real wheel, not the checkout) finds its templates anywhere."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_install_runs_from_any_folder(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "-w", str(wheels), str(ROOT)], check=True,
                   capture_output=True)
    (wheel,) = wheels.glob("litellm_gen-*.whl")
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
