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
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

import yaml

from generator.boundary.errors import UserError
from generator.boundary.files import read_config, scratch_file
from generator.boundary.secrets import is_name, is_secret_key, masked_keys, masked_values, scrub
from generator.validate.registry import Finding

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
    notes: list[str] = field(default_factory=list)  # the release run, --validate_config

    @property
    def summary(self) -> str:
        notes = "".join(f"proxy: {note}\n" for note in self.notes)
        if self.started:
            return (f"{notes}proxy: started in {self.seconds:.0f}s and served "
                    f"{len(self.served)} model_name(s)")
        return f"{notes}proxy: did not start (exit {self.exit_code}): {self.last_error}"

    def as_dict(self) -> dict:
        return {"started": self.started, "served": self.served, "exit_code": self.exit_code,
                "last_error": self.last_error, "seconds": round(self.seconds, 1),
                "notes": self.notes}


def proxy_binary(environ: Mapping[str, str]) -> str:
    """LITELLM_PROXY_BIN, else .venv-proxy/bin/litellm here or beside this checkout."""
    if environ.get("LITELLM_PROXY_BIN"):
        binary = environ["LITELLM_PROXY_BIN"]
        if shutil.which(binary) is None:  # a path or a name on PATH, as Popen will look it up
            raise UserError(f"LITELLM_PROXY_BIN={binary}: no program by that name that this "
                            "user may run; set it to the litellm program of a litellm[proxy] "
                            "environment")
        return binary
    for root in (Path.cwd(), Path(__file__).resolve().parents[2]):
        candidate = root / ".venv-proxy" / "bin" / "litellm"
        if candidate.exists():
            return str(candidate)
    from generator.validate.checks import shipped_rules

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
    text = read_config(config).text
    run_env = _start_env(text, env, placeholders=placeholders,
                         default_master_key=default_master_key)
    key = _master_key(text, run_env)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    progress(f"starting the proxy on {url} ({binary})")
    with scratch_file() as log:
        start = time.monotonic()
        try:
            process = subprocess.Popen(
                [binary, "--config", str(config.resolve()), "--host", "127.0.0.1", "--port",
                 str(port)], stdout=log, stderr=subprocess.STDOUT, env=run_env,
                stdin=subprocess.DEVNULL, cwd=str(config.resolve().parent),
                start_new_session=True)
        except OSError as exc:  # LITELLM_PROXY_BIN names no program, or one we may not run
            raise UserError(f"cannot start the proxy {binary}: {exc.strerror or exc}; set "
                            "LITELLM_PROXY_BIN to the litellm program of a litellm[proxy] "
                            "environment") from None
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


def _start_env(text: str, env: Mapping[str, str], *, placeholders: bool,
               default_master_key: bool = True) -> dict[str, str]:
    """The proxy's environment: `env`, placeholders for unset os.environ/ names, no database."""
    run_env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    run_env.update(env)
    for name in sorted(set(_ENV_REF.findall(text)) - set(run_env)) if placeholders else ():
        run_env[name] = f"placeholder-{name.lower()}"
    if default_master_key:  # so /model/info can be asked; the oracle records without one
        run_env.setdefault("LITELLM_MASTER_KEY", "sk-" + _secrets.token_hex(16))
    run_env.update({"LITELLM_LOG": "ERROR", "DISABLE_SCHEMA_UPDATE": "true",
                    "LITELLM_LOCAL_MODEL_COST_MAP": "True"})
    run_env.pop("DATABASE_URL", None)
    return run_env


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
    from generator.boundary.proxy_api import fetch_model_info

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


def _hidden(text: str, env: Mapping[str, str]) -> frozenset[str]:
    """What the proxy's own words may quote that the masking hides: the file's masked keys
    and values, and the secret values of the variables it reads."""
    found = set(masked_keys(text)).union(*(masked_values(line) for line in text.splitlines()))
    for name in set(_ENV_REF.findall(text)):
        value = env.get(name) or ""
        if len(value) >= 4 and (is_secret_key(name) or not is_name(value)):
            found.add(value)
    return frozenset(found)


def _last_error(output: str) -> str:
    """The line of the proxy's output that says why it stopped."""
    lines = [l.strip() for l in output.splitlines() if l.strip()]
    for line in reversed(lines):
        if re.match(r"^[A-Za-z_.]*(Error|Exception)\b", line) and "startup failed" not in line:
            return line[:300]
    return lines[-1][:300] if lines else "no output"


def binary_release(binary: str) -> str | None:
    """The litellm release installed beside a `litellm` command (its dist-info), if any."""
    folder = Path(binary).resolve().parent.parent
    for dist in sorted(folder.glob("lib/python*/site-packages/litellm-*.dist-info")):
        return dist.name.split("-")[1].removesuffix(".dist")
    return None


def has_validate_config(release: str | None) -> bool:
    """Whether that release's `litellm` has --validate_config (its extracted rules say)."""
    from generator.releases.rules import nearest_known
    from generator.validate.checks import rules_for

    if release is None:
        return False
    return bool(rules_for(nearest_known(release)).data.get("cli_validate_config"))


def validate_config(config: Path, env: Mapping[str, str], *, binary: str,
                    timeout: float = START_TIMEOUT) -> tuple[bool | None, str]:
    """`litellm --config CONFIG --validate_config`: (passed, what it printed last); passed
    is None when it gave no answer in time (no verdict: not a refusal)."""
    run_env = _start_env(read_config(config).text, env, placeholders=True)
    try:
        # Never the operator's terminal: the command must not read or wait on it.
        done = subprocess.run([binary, "--config", str(config.resolve()), "--validate_config"],
                              capture_output=True, text=True, env=run_env, timeout=timeout,
                              stdin=subprocess.DEVNULL, cwd=str(config.resolve().parent))
    except subprocess.TimeoutExpired:
        return None, f"litellm --validate_config gave no answer within {timeout:.0f}s"
    output = (done.stdout + "\n" + done.stderr).strip()
    said = [line.strip() for line in output.splitlines() if line.strip().startswith("LiteLLM:")]
    return done.returncode == 0, (said[-1] if said else _last_error(output))


def dry_start(config: Path, env: Mapping[str, str], *, release: str | None = None,
              progress: Callable[[str], None]) -> DryStart:
    """Start the proxy on CONFIG and turn what it did into findings on the file.

    Where the installed release has `litellm --validate_config` (it loads the config and
    builds the router, then exits), that runs first: a config it refuses is reported
    without a full start. A config it passes is then started, for what only a start shows
    (the master key check, callbacks, which entries the router holds).
    """
    from generator.boundary import marked
    from generator.boundary.marked import Mapping as MNode
    from generator.boundary.marked import Scalar, value_of
    from generator.boundary.marked import Sequence as SNode

    binary = proxy_binary(os.environ)
    installed = binary_release(binary)
    shown = str(config)
    notes = []
    if release is not None and installed is not None and installed != release:
        notes.append(f"the proxy at {binary} is litellm {installed}, not {release}, the "
                     "release the file is judged by")
    hidden = _hidden(read_config(config).text, env)
    if has_validate_config(installed):
        progress(f"litellm --validate_config ({binary})")
        passed, said = validate_config(config, env, binary=binary)
        said = scrub(said, hidden)
        notes.append(f"litellm --validate_config: {said}")
        if passed is False:
            result = DryStart(False, [], 1, said, 0.0, notes=notes)
            result.findings.append(Finding.of("proxy-start", shown, 1, 1,
                                              f"the real proxy refuses the config: {said}"))
            return result
    result = run_proxy(config, env, binary=binary, progress=progress)
    result.notes = notes
    result.last_error = scrub(result.last_error, hidden)
    if not result.started:
        result.findings.append(Finding.of("proxy-start", shown, 1, 1,
                                          f"the real proxy did not start: {result.last_error}"))
        return result
    try:
        root = marked.parse(read_config(config).text).root
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
