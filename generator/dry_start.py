"""`validate --with-proxy`: start the real proxy on the config once, like `nginx -t`.

The proxy runs on a free loopback port with the caller's environment, placeholder
values for the os.environ/ variables that are not set (so a missing secret does
not hide what else would happen), and no database. It is asked for /model/info
once it answers, compared with the file's model_names, and stopped. The oracle
script (scripts/oracle.py) records the same runs as test fixtures.
"""
from __future__ import annotations

import os
import re
import secrets as _secrets
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

import yaml

from .errors import UserError
from .findings import Finding

_ENV_REF = re.compile(r"os\.environ/([A-Za-z_][A-Za-z0-9_]*)")
START_TIMEOUT = 180.0


@dataclass
class DryStart:
    started: bool
    served: list[str]
    exit_code: int | None
    last_error: str
    seconds: float
    probe: object = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def summary(self) -> str:
        if self.started:
            return (f"proxy: started in {self.seconds:.0f}s and served "
                    f"{len(self.served)} model_name(s)")
        return f"proxy: did not start (exit {self.exit_code}): {self.last_error}"

    def as_dict(self) -> dict:
        return {"started": self.started, "served": self.served, "exit_code": self.exit_code,
                "last_error": self.last_error, "seconds": round(self.seconds, 1)}


def proxy_binary(environ: Mapping[str, str]) -> str:
    """LITELLM_PROXY_BIN, else .venv-proxy/bin/litellm here or beside this checkout."""
    if environ.get("LITELLM_PROXY_BIN"):
        return environ["LITELLM_PROXY_BIN"]
    for root in (Path.cwd(), Path(__file__).resolve().parent.parent):
        candidate = root / ".venv-proxy" / "bin" / "litellm"
        if candidate.exists():
            return str(candidate)
    from .validate import shipped_rules

    release = f"litellm[proxy]=={shipped_rules().litellm_version}"
    raise UserError(f"--with-proxy needs the LiteLLM proxy ({release}, the release validate's "
                    "rules come from) in an environment of its own: python3 -m venv "
                    f"~/.litellm-proxy && ~/.litellm-proxy/bin/pip install '{release}', then "
                    "set LITELLM_PROXY_BIN=~/.litellm-proxy/bin/litellm (in a litellm-gen "
                    "checkout, `make .venv-proxy/.installed` makes .venv-proxy instead)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_proxy(config: Path, env: Mapping[str, str], *, binary: str,
              timeout: float = START_TIMEOUT, placeholders: bool = True,
              probe: Callable[[str], object] | None = None, default_master_key: bool = True,
              progress: Callable[[str], None] = lambda _m: None) -> DryStart:
    """Start the proxy on `config` with exactly `env` (+PATH/HOME), wait, ask, stop.

    `placeholders`: give unset os.environ/ variables a placeholder value (a dry start
    checks the rest of the file); the oracle records runs without them. `probe(url)`
    runs while the proxy is up; its answer is kept in `probe`.
    """
    text = config.read_text(encoding="utf-8-sig")
    run_env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    run_env.update(env)
    for name in sorted(set(_ENV_REF.findall(text)) - set(run_env)) if placeholders else ():
        run_env[name] = f"placeholder-{name.lower()}"
    if default_master_key:  # so /model/info can be asked; the oracle records without one
        run_env.setdefault("LITELLM_MASTER_KEY", "sk-" + _secrets.token_hex(16))
    run_env.update({"LITELLM_LOG": "ERROR", "DISABLE_SCHEMA_UPDATE": "true",
                    "LITELLM_LOCAL_MODEL_COST_MAP": "True"})
    run_env.pop("DATABASE_URL", None)
    key = _master_key(text, run_env)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    progress(f"starting the proxy on {url} ({binary})")
    with tempfile.TemporaryFile() as log:
        start = time.monotonic()
        process = subprocess.Popen(
            [binary, "--config", str(config.resolve()), "--host", "127.0.0.1", "--port",
             str(port)], stdout=log, stderr=subprocess.STDOUT, env=run_env,
            cwd=str(config.resolve().parent), start_new_session=True)
        answer = None
        try:
            served = _wait(url, key, process, start + timeout)
            if served is not None and probe is not None:
                answer = probe(url)
        finally:
            _stop(process)
        seconds = time.monotonic() - start
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
    if served is None:
        return DryStart(False, [], process.returncode, _last_error(output), seconds)
    return DryStart(True, served, None, "", seconds, answer)


def _master_key(text: str, env: Mapping[str, str]) -> str | None:
    """The proxy's order: general_settings.master_key, else LITELLM_MASTER_KEY."""
    try:
        data = yaml.safe_load(text)
    except (yaml.YAMLError, RecursionError):  # the proxy will refuse it as well
        data = None
    settings = data.get("general_settings") if isinstance(data, dict) else None
    value = settings.get("master_key") if isinstance(settings, dict) else None
    if isinstance(value, str) and value.startswith("os.environ/"):
        return env.get(value[len("os.environ/"):])
    return str(value) if value is not None else env.get("LITELLM_MASTER_KEY")


def _wait(url: str, key: str | None, process: subprocess.Popen, deadline: float
          ) -> list[str] | None:
    from .verify import fetch_model_info

    while time.monotonic() < deadline:
        if process.poll() is not None:
            return None
        try:
            rows = fetch_model_info(url, key, timeout=5)
        except UserError:
            time.sleep(0.5)
            continue
        return sorted({str(r.get("model_name")) for r in rows if isinstance(r, dict)})
    return None


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _last_error(output: str) -> str:
    """The line of the proxy's output that says why it stopped."""
    lines = [l.strip() for l in output.splitlines() if l.strip()]
    for line in reversed(lines):
        if re.match(r"^[A-Za-z_.]*(Error|Exception)\b", line) and "startup failed" not in line:
            return line[:300]
    return lines[-1][:300] if lines else "no output"


def dry_start(config: Path, env: Mapping[str, str], *,
              progress: Callable[[str], None]) -> DryStart:
    """Start the proxy on CONFIG and turn what it did into findings on the file."""
    from . import marked
    from .marked import Mapping as MNode, Scalar, Sequence as SNode, value_of

    result = run_proxy(config, env, binary=proxy_binary(os.environ), progress=progress)
    shown = str(config)
    if not result.started:
        result.findings.append(Finding.of("proxy-start", shown, 1, 1,
                                          f"the real proxy did not start: {result.last_error}"))
        return result
    try:
        root = marked.parse(config.read_text(encoding="utf-8-sig")).root
    except Exception:  # noqa: BLE001 - the static checks already report it
        return result
    entries = root.get("model_list") if isinstance(root, MNode) else None
    served = set(result.served)
    for entry in entries.items if isinstance(entries, SNode) else []:
        name = entry.get("model_name") if isinstance(entry, MNode) else None
        # A wildcard route (openai/*) is served expanded, never under its own name.
        if isinstance(name, Scalar) and str(value_of(name)) not in served \
                and "*" not in str(value_of(name)):
            line, column = marked.where(entry)
            result.findings.append(Finding.of(
                "proxy-dropped", shown, line, column,
                f"the real proxy started without model {value_of(name)!r}"))
    return result
