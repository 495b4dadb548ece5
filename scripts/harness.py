"""validate's fast oracle: the release's own start-up code, in-process, config after config.

A full start of the proxy (`litellm --config FILE`) takes ~10-20 s, most of it importing
litellm. This harness imports `litellm.proxy.proxy_server` once per worker, then for each
case runs what `litellm --config` runs before it serves: the CLI's own pre-start steps
(`proxy_cli.run_server`, with uvicorn's `run` replaced by a no-op) and the app's lifespan
start-up (`proxy_startup_event`: config load, environment, router, callbacks, guardrails,
caches, custom auth, alerting, team settings). Network and database are unreachable (no
DATABASE_URL, proxies pointed at a closed port). Between cases it puts back what a start-up
changes: every litellm module's globals, os.environ, the working folder, sys.path,
sys.modules, the loggers.

  python scripts/harness.py run CASES.jsonl -o RECORDS.jsonl [--venv .venv-proxy] [--jobs 2]
      the driver (any Python 3.11): starts `VENV/bin/python scripts/harness.py worker`
      processes, hands them the cases, restarts one that hangs past --timeout
  python scripts/harness.py folders DIR... -o RECORDS.jsonl [...]
      the same for case folders (config.yaml + the files beside it + an optional `env`)

A case is {"id", "config": text of config.yaml, "files": {relative path: text}, "env":
{NAME: value}}; it runs from a folder holding exactly those files, as the proxy runs from
the config's folder. A record is {"id", "litellm": version, "started", "stage" ("cli" or
"startup" where it stopped), "error" ("Type: message", secrets masked), "served" (the
model_names the router holds), "open" (no master key and no other auth), "log" (the
warnings and errors it logged, masked), "seconds"}. The release is the venv's: records
say which one made them, so the same cases can be run against another release.
"""
from __future__ import annotations

import argparse
import json
import os
import queue
import re
import select
import subprocess
import sys
import tempfile
import threading
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What every case sees besides its own env; the full-start records (scripts/oracle.py)
# were made with the same variables.
FIXED_ENV = {"LITELLM_LOG": "WARNING", "DISABLE_SCHEMA_UPDATE": "true",
             "LITELLM_LOCAL_MODEL_COST_MAP": "True", "LITELLM_DONT_SHOW_FEEDBACK_BOX": "true",
             # Nothing leaves the machine: HTTP clients that honour proxies hit a closed port.
             "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",
             "NO_PROXY": ""}
# The variables of the full-start records (scripts/oracle.py); a folder's `env` adds to them.
BASE_ENV = {"OPENAI_API_KEY": "sk-oracle-openai", "LITELLM_MASTER_KEY": "sk-oracle-master"}
KEPT_ENV = ("PATH", "HOME", "LANG", "TMPDIR")
SECRETISH = re.compile(r"(key|secret|token|password|passwd|credential|auth|dsn|url)", re.I)
LOG_LIMIT = 30


# --- the driver ---------------------------------------------------------------------------

def read_folder(folder: Path) -> dict:
    """A case folder as a case: config.yaml, every other file beside it, and `env`."""
    skip = {"config.yaml", "case.json", "record.json", "env"}
    files = {str(p.relative_to(folder)): p.read_text(encoding="utf-8")
             for p in sorted(folder.rglob("*")) if p.is_file() and p.name not in skip
             and "__pycache__" not in p.parts}
    env = dict(BASE_ENV)
    if (folder / "env").exists():
        for line in (folder / "env").read_text(encoding="utf-8").splitlines():
            name, _, value = line.partition("=")
            if name.strip() and not name.startswith("#"):
                env[name.strip()] = value.strip()
    env = {k: v for k, v in env.items() if v}  # `NAME=` in the env file unsets NAME
    return {"id": folder.name, "config": (folder / "config.yaml").read_text(encoding="utf-8"),
            "files": files, "env": env}


class Worker:
    """One `harness.py worker` process in the release's environment."""

    def __init__(self, python: str, log):
        self.process = subprocess.Popen(
            [python, str(Path(__file__).resolve()), "worker"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=log, cwd=str(ROOT), start_new_session=True)

    def ask(self, case: dict, timeout: float) -> dict | None:
        self.process.stdin.write((json.dumps(case) + "\n").encode())
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        line = self.process.stdout.readline() if ready else b""
        return json.loads(line) if line else None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


def run_cases(cases: list[dict], *, venv: str, jobs: int, timeout: float, log_path: str,
              progress=lambda _r: None) -> list[dict]:
    """Every case through workers of `venv`'s litellm; records in the cases' order."""
    python = str(Path(venv) / "bin" / "python")
    if not Path(python).exists():
        raise SystemExit(f"no Python at {python}: give --venv the release's environment")
    todo: queue.Queue = queue.Queue()
    for index, case in enumerate(cases):
        todo.put((index, case))
    records: list[dict | None] = [None] * len(cases)
    with open(log_path, "ab") as log:
        def serve() -> None:
            worker = Worker(python, log)
            try:
                while True:
                    try:
                        index, case = todo.get_nowait()
                    except queue.Empty:
                        return
                    # The first case waits for the import as well.
                    record = worker.ask(case, timeout + 120)
                    if record is None:  # hung or crashed: record it, start afresh
                        worker.stop()
                        record = {"id": case["id"], "started": None, "stage": "harness",
                                  "error": f"no answer within {timeout:.0f}s", "served": [],
                                  "open": None, "log": []}
                        worker = Worker(python, log)
                    records[index] = record
                    progress(record)
            finally:
                worker.stop()

        threads = [threading.Thread(target=serve) for _ in range(max(1, jobs))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return [r for r in records if r is not None]


def driver(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="harness.py")
    parser.add_argument("mode", choices=("run", "folders"))
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("-o", "--out", required=True)
    parser.add_argument("--venv", default=str(ROOT / ".venv-proxy"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--log", default=os.devnull, help="where the workers' output goes")
    args = parser.parse_args(argv)
    if args.mode == "folders":
        cases = [read_folder(Path(p)) for p in args.inputs]
    else:
        cases = [json.loads(line) for p in args.inputs
                 for line in Path(p).read_text(encoding="utf-8").splitlines() if line.strip()]
    done = [0]
    start = time.monotonic()

    def progress(record: dict) -> None:
        done[0] += 1
        if done[0] % 50 == 0 or done[0] == len(cases):
            print(f"{done[0]}/{len(cases)} cases, {time.monotonic() - start:.0f}s",
                  file=sys.stderr, flush=True)

    records = run_cases(cases, venv=args.venv, jobs=args.jobs, timeout=args.timeout,
                        log_path=args.log, progress=progress)
    Path(args.out).write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in records),
                              encoding="utf-8")
    return 0


# --- the worker (inside the release's environment) -----------------------------------------

class ModuleState:
    """The globals of every litellm module, to put back after a start-up changed them.

    Containers are restored in place as well as rebound: other modules hold references to
    the same list or dict (`from litellm import callbacks`).
    """

    PREFIXES = ("litellm", "enterprise")

    def __init__(self) -> None:
        self.saved: dict[str, tuple[object, dict, dict]] = {}
        # Attributes of litellm's module-level objects (the licence check, the proxy's
        # config object, caches...): a start-up sets them too.
        self.objects: dict[int, tuple[object, dict]] = {}
        for name, module in list(sys.modules.items()):
            if module is None or not name.startswith(self.PREFIXES):
                continue
            values = dict(vars(module))
            contents = {k: self._copy(v) for k, v in values.items()
                        if type(v) in (list, dict, set)}
            self.saved[name] = (module, values, contents)
            for value in values.values():
                if self._owned_instance(value) and id(value) not in self.objects:
                    self.objects[id(value)] = (value, dict(vars(value)))

    def _owned_instance(self, value) -> bool:
        kind = type(value)
        return not isinstance(value, (type, types.ModuleType, types.FunctionType)) \
            and kind.__module__.startswith(self.PREFIXES) and hasattr(value, "__dict__") \
            and isinstance(getattr(value, "__dict__", None), dict)

    @staticmethod
    def _copy(value):
        return value.copy()

    def restore(self) -> None:
        for name, (module, values, contents) in self.saved.items():
            current = vars(module)
            for key in [k for k in current if k not in values]:
                del current[key]
            for key, value in values.items():
                if key in contents:
                    saved = contents[key]
                    if type(value) is list:
                        value[:] = saved
                    else:
                        value.clear()
                        value.update(saved)
                if current.get(key, _MISSING) is not value:
                    current[key] = value
        for value, attributes in self.objects.values():
            current = vars(value)
            if current != attributes:
                current.clear()
                current.update(attributes)
        # Modules first imported during a case are dropped: the next case imports them anew.
        for name in [n for n in sys.modules if n.startswith(self.PREFIXES)
                     and n not in self.saved]:
            del sys.modules[name]


_MISSING = object()


def _mask(text: str, secrets: list[str], folder: str) -> str:
    text = text.replace(folder, "<case>")
    for secret in secrets:
        text = text.replace(secret, "***")
    return re.sub(r"\bsk-[A-Za-z0-9_-]{4,}", "sk-***", text)


def _secrets_of(case: dict) -> list[str]:
    """Values that may be secrets: the env's, and the config's under secret-like keys."""
    found = {v for v in case.get("env", {}).values() if len(v) >= 4}
    for match in re.finditer(r"^\s*-?\s*([\w.-]+)\s*:\s*['\"]?([^'\"#\n]{4,}?)['\"]?\s*$",
                             case["config"], re.M):
        if SECRETISH.search(match.group(1)) and not match.group(2).startswith("os.environ/"):
            found.add(match.group(2).strip())
    return sorted(found, key=len, reverse=True)


class LogCapture:
    def __init__(self) -> None:
        import logging

        class Handler(logging.Handler):
            def __init__(inner):
                super().__init__(level=logging.WARNING)
                inner.lines: list[str] = []

            def emit(inner, record):
                try:
                    inner.lines.append(f"{record.levelname}: {record.getMessage()}")
                except Exception:  # noqa: BLE001 - a message that cannot format
                    inner.lines.append(f"{record.levelname}: {record.msg}")

        self.handler = Handler()
        self.loggers = [logging.getLogger(n) for n in
                        ("LiteLLM", "LiteLLM Proxy", "LiteLLM Router", "")]

    def __enter__(self):
        self.handler.lines = []
        for logger in self.loggers:
            logger.addHandler(self.handler)
        return self

    def __exit__(self, *exc):
        for logger in self.loggers:
            logger.removeHandler(self.handler)


def worker() -> int:
    records = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # whatever the proxy prints goes to the log, not into the records
    kept = {k: os.environ[k] for k in KEPT_ENV if k in os.environ}
    os.environ.clear()
    os.environ.update(kept | FIXED_ENV)
    # `litellm --config` runs with its own bin folder first on sys.path, not this script's.
    sys.path[0] = str(Path(sys.executable).parent)
    import logging
    from importlib.metadata import version

    import litellm.proxy.proxy_cli as proxy_cli
    import litellm.proxy.proxy_server as proxy_server
    import uvicorn

    release = version("litellm")
    served_calls: list = []
    uvicorn.run = lambda *a, **k: served_calls.append(k)  # the server itself is not started
    base = _Baseline(logging)
    capture = LogCapture()
    scratch = Path(tempfile.mkdtemp(prefix="litellm-harness-"))
    for number, line in enumerate(sys.stdin):
        case = json.loads(line)
        folder = _case_folder(scratch, number, case)
        os.environ.update({k: v for k, v in case.get("env", {}).items() if v})
        os.chdir(folder)
        started = time.monotonic()
        with capture:
            stage, error = _start_up(proxy_cli, proxy_server, folder, served_calls)
        record = _record(case, release, proxy_server, stage, error, capture.handler.lines,
                         folder)
        record["seconds"] = round(time.monotonic() - started, 3)
        # Put back what the start-up changed, for the next case.
        os.chdir(scratch)
        base.restore(scratch)
        records.write(json.dumps(record) + "\n")
    return 0


class _Baseline:
    """What the worker holds before any case: the environment, sys.path, modules, loggers."""

    LOGGERS = ("LiteLLM", "LiteLLM Proxy", "LiteLLM Router")

    def __init__(self, logging) -> None:
        self.logging = logging
        self.env = dict(os.environ)
        self.path = list(sys.path)
        self.modules = set(sys.modules)
        self.levels = {n: logging.getLogger(n).level for n in self.LOGGERS}
        self.state = ModuleState()

    def restore(self, scratch: Path) -> None:
        os.environ.clear()
        os.environ.update(self.env)
        sys.path[:] = self.path
        for name in [n for n in sys.modules if n not in self.modules]:
            if (getattr(sys.modules[name], "__file__", None) or "").startswith(str(scratch)):
                del sys.modules[name]  # the case's own modules: the next case has others
        self.state.restore()
        for name, level in self.levels.items():
            self.logging.getLogger(name).setLevel(level)


def _case_folder(scratch: Path, number: int, case: dict) -> Path:
    """The case's config.yaml and files, in a folder of their own."""
    folder = scratch / f"case-{number}"
    folder.mkdir()
    (folder / "config.yaml").write_text(case["config"], encoding="utf-8")
    for relative, text in case.get("files", {}).items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def _start_up(proxy_cli, proxy_server, folder: Path, served_calls: list):
    """(stage, error): where `litellm --config` stopped and why; (None, None) it started."""
    import asyncio

    stage, error = "cli", None
    try:
        served_calls.clear()
        proxy_cli.run_server.main(["--config", str(folder / "config.yaml"),
                                   "--host", "127.0.0.1", "--port", "4000"],
                                  standalone_mode=False)
        if not served_calls:
            raise RuntimeError("the CLI stopped before starting the server")
        stage = "startup"
        asyncio.run(_start(proxy_server))
        stage = None
    except BaseException as exc:  # noqa: BLE001 - any failure is the proxy refusing
        if isinstance(exc, KeyboardInterrupt):
            raise
        error = f"{type(exc).__name__}: {str(exc).strip()}"
    return stage, error


def _record(case: dict, release: str, proxy_server, stage, error, logged: list[str],
            folder: Path) -> dict:
    """The case's record, secrets and the case's folder masked (its seconds added after)."""
    router = proxy_server.llm_router
    served = sorted({str(d.get("model_name")) for d in (router.model_list if router else [])
                     if isinstance(d, dict)}) if stage is None else []
    is_open = (proxy_server.master_key is None and proxy_server.user_custom_auth is None
               and not (proxy_server.general_settings or {}).get("enable_jwt_auth")
               ) if stage is None else None
    secrets = _secrets_of(case)
    lines = list(dict.fromkeys(_mask(line, secrets, str(folder))[:300]
                               for line in logged))[:LOG_LIMIT]
    return {"id": case["id"], "litellm": release, "started": stage is None,
            "stage": stage, "error": _mask(error, secrets, str(folder))[:400]
            if error else None, "served": served, "open": is_open, "log": lines}


async def _start(proxy_server) -> None:
    """The app's lifespan up to the point where it serves; shutdown is not run."""
    context = proxy_server.app.router.lifespan_context(proxy_server.app)
    await context.__aenter__()


if __name__ == "__main__":
    if sys.argv[1:2] == ["worker"]:
        sys.exit(worker())
    sys.exit(driver(sys.argv[1:]))
