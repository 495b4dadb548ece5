"""The real proxy as validate's oracle: `make oracle` rebuilds the recorded runs.

  python scripts/oracle.py mutate    write the mutation cases (tests/oracle/validate/cases/m-*)
                                     from the real configs in tests/manifests/
  python scripts/oracle.py record    start the pinned proxy on every case, write record.json
  python scripts/oracle.py generated [VENV]
                                     generate the cases (scripts/gen_cases.py), record each with
                                     the fast oracle (scripts/harness.py) in VENV's litellm
                                     (default .venv-proxy), write tests/oracle/generated/
                                     litellm-RELEASE.jsonl
  python scripts/oracle.py calibrate [VENV]
                                     run the fast oracle on every case folder that has a full
                                     start's record.json; write tests/oracle/validate/
                                     harness-RELEASE.jsonl (tests/test_oracle.py compares them)
  python scripts/oracle.py presets VENV [VENV...]
                                     the starter config with every preset merged, recorded with
                                     the fast oracle in each VENV's litellm (tests/oracle/presets/
                                     litellm-RELEASE.json; tests/test_presets_oracle.py)
  python scripts/oracle.py corpus DIR
                                     start it on every *.yaml in DIR and print, beside each,
                                     validate's errors (for a corpus the project does not ship)

A case is a folder: config.yaml (+ any file it includes or imports), case.json (what
it is about, and the line the proxy's failure traces to), an optional `env` file
(VARIABLE=value) and record.json, which says whether the proxy started, which
model_names /model/info served and whether it answered without a key. The proxy
sees only OPENAI_API_KEY, LITELLM_MASTER_KEY and the case's env, as validate does in
tests/test_oracle.py, so `make test` holds validate to these records without
starting a proxy per case.
"""
from __future__ import annotations

import json
import re
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import version as _unused  # noqa: F401
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from generator.merge.manifest import embedded_text  # noqa: E402
from generator.validate.with_proxy import proxy_binary, run_proxy  # noqa: E402

CASES = ROOT / "tests" / "oracle" / "validate" / "cases"
GENERATED = ROOT / "tests" / "oracle" / "generated"
MANIFESTS = ROOT / "tests" / "manifests"
BASE_ENV = {"OPENAI_API_KEY": "sk-oracle-openai", "LITELLM_MASTER_KEY": "sk-oracle-master"}


def case_env(case: Path) -> dict[str, str]:
    env = dict(BASE_ENV)
    path = case / "env"
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                name, _, value = line.partition("=")
                env[name.strip()] = value.strip()
    # `NAME=` in a case's env file unsets NAME (the master key, say).
    return {k: v for k, v in env.items() if v}


def record(case: Path, binary: str) -> dict:
    config = case / "config.yaml"
    result = run_proxy(config, case_env(case), binary=binary, placeholders=False,
                       probe=_answers_without_key, default_master_key=False)
    return {"proxy": f"litellm[proxy]=={proxy_version(binary)}",
            "started": result.started, "served": result.served,
            "open_without_key": result.probe,
            "exit_code": result.exit_code, "last_error": result.last_error}


def _answers_without_key(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/model/info", timeout=5) as response:
            return response.status == 200
    except Exception:  # noqa: BLE001 - 401, refused: not open
        return False


def proxy_version(binary: str) -> str:
    site = list(Path(binary).resolve().parent.parent.glob("lib/python*/site-packages"))
    for folder in site:
        for dist in folder.glob("litellm-*.dist-info"):
            return dist.name.split("-")[1].removesuffix(".dist")
    return "unknown"


def cmd_record(only: list[str]) -> int:
    binary = proxy_binary({})
    cases = sorted(p for p in CASES.iterdir() if (p / "config.yaml").exists()
                   and (not only or p.name in only))

    def one(case: Path) -> str:
        data = record(case, binary)
        (case / "record.json").write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        state = "started" if data["started"] else f"refused (exit {data['exit_code']})"
        return f"{case.name}: {state}, served {len(data['served'])}"

    with ThreadPoolExecutor(max_workers=2) as pool:  # two cores; each start is ~8 s of CPU
        for line in pool.map(one, cases):
            print(line, flush=True)
    return 0


# --- mutations of real configs: each returns (new text, 1-based line it changed) or None ---

def _first_model_line(lines: list[str]) -> int | None:
    for i, line in enumerate(lines):
        if re.match(r"^\s+model:\s*\S+/\S+", line) and "os.environ" not in line:
            return i
    return None


def drop_prefix(text: str):
    """`model: provider/name` -> `model: name`: does the proxy still know the provider?"""
    lines = text.splitlines(keepends=True)
    i = _first_model_line(lines)
    if i is None:
        return None
    lines[i] = re.sub(r"(model:\s*['\"]?)[^/\s'\"]+/", r"\1", lines[i], count=1)
    return "".join(lines), i + 1


def rpm_word(text: str):
    """A word where the first entry's rpm belongs."""
    lines = text.splitlines(keepends=True)
    i = _first_model_line(lines)
    if i is None:
        return None
    indent = re.match(r"^(\s*)", lines[i]).group(1)
    lines.insert(i + 1, f"{indent}rpm: many\n")
    return "".join(lines), i + 2


def section_typo(text: str):
    """`general_settings:` -> `general_setting:` (the first settings section at column 0)."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        match = re.match(r"^(general_settings|litellm_settings|router_settings):", line)
        if match:
            lines[i] = line.replace(match.group(1), match.group(1)[:-1], 1)
            return "".join(lines), i + 1
    return None


MUTATIONS = {"drop-prefix": drop_prefix, "rpm-word": rpm_word, "section-typo": section_typo}


def cmd_mutate() -> int:
    sources = {}
    for row in (MANIFESTS / "SOURCES.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        name, repo, path, commit = row.split("\t")
        sources[name] = f"{repo} {path} @ {commit[:12]}"
    for manifest in sorted(MANIFESTS.glob("*.yaml")):
        text, _shift = embedded_text(manifest.read_text(encoding="utf-8"), None)
        stem = manifest.stem
        variants = {"as-is": (text, None)}
        for kind, mutate in MUTATIONS.items():
            out = mutate(text)
            if out is not None:
                variants[kind] = out
        for kind, (new_text, line) in variants.items():
            case = CASES / f"m-{stem}-{kind}"
            case.mkdir(parents=True, exist_ok=True)
            (case / "config.yaml").write_text(new_text, encoding="utf-8")
            about = (f"the config of tests/manifests/{manifest.name}"
                     + ("" if kind == "as-is" else f", mutated: {MUTATIONS[kind].__doc__}"))
            (case / "case.json").write_text(json.dumps(
                {"about": about, "source": sources.get(manifest.name, ""), "line": line},
                indent=1) + "\n", encoding="utf-8")
            print(case.name)
    return 0


def cmd_corpus(folder: str) -> int:
    """For a corpus the project does not ship: where validate and the proxy disagree."""
    import datetime as _dt

    from generator.boundary import marked
    from generator.validate.per_file import validate_file

    binary = proxy_binary({})
    files = sorted(Path(folder).glob("*.yaml"))

    def one(path: Path) -> str:
        result = run_proxy(path, BASE_ENV, binary=binary, placeholders=False,
                           default_master_key=False)
        findings = validate_file(path, env=BASE_ENV, today=_dt.date.today())
        errors = [f for f in findings if f.severity == "error" and f.path == str(path)]
        names = {}
        try:
            root = marked.parse(path.read_text(encoding="utf-8-sig")).root
            entries = root.get("model_list") if isinstance(root, marked.Mapping) else None
            for item in entries.items if isinstance(entries, marked.Sequence) else []:
                name = item.get("model_name") if isinstance(item, marked.Mapping) else None
                if isinstance(name, marked.Scalar):
                    names.setdefault(str(marked.value_of(name)), marked.where(item)[0])
        except Exception:  # noqa: BLE001 - the proxy's verdict is still printed
            pass
        if not result.started:
            verdict = "agree: refused" if errors else "MISSED: refused, validate no error"
        else:
            # A wildcard route is served expanded (openai/* as openai/gpt-4o ...), not by name.
            dropped = sorted(n for n in set(names) - set(result.served) if "*" not in n)
            silent = [e for e in errors if e.rule != "unknown-section"]
            if dropped and not silent:
                verdict = f"MISSED: dropped {dropped}"
            elif silent and not dropped:
                verdict = "FALSE ERROR: started and served every model"
            else:
                verdict = f"agree: dropped {dropped}" if dropped else "agree: served all"
        state = (f"started, served {len(result.served)}" if result.started
                 else f"refused: {result.last_error[:70]}")
        shown = " ".join(f"{f.line}:{f.rule}" for f in errors) or "-"
        return f"{path.name}\t{verdict}\t{state}\terrors: {shown}"

    with ThreadPoolExecutor(max_workers=2) as pool:
        for line in pool.map(one, files):
            print(line, flush=True)
    return 0


def _harness():
    sys.path.insert(0, str(ROOT / "scripts"))
    import harness

    return harness


def _progress(total: int):
    done = [0]

    def report(_record: dict) -> None:
        done[0] += 1
        if done[0] % 100 == 0 or done[0] == total:
            print(f"{done[0]}/{total}", file=sys.stderr, flush=True)
    return report


def cmd_generated(venv: str, out: Path | None = None, jobs: int = 2,
                  only: list[str] | None = None) -> int:
    """Every generated case (or those of `only`) with its outcome, one JSONL per release."""
    import gen_cases

    harness = _harness()
    cases = gen_cases.generate()
    if only is not None:
        wanted = set(only)
        cases = [c for c in cases if c["id"] in wanted]
    release = _release_of(venv)
    out = out or GENERATED / f"litellm-{release}.jsonl"
    # A case already recorded for this release, with the same config, files and
    # environment, keeps its record (--all records every case again).
    known = {}
    if out.exists() and "--all" not in sys.argv:
        for line in out.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            known[_case_key(row)] = row["record"]
    todo = [c for c in cases if _case_key(c) not in known]
    print(f"{len(cases) - len(todo)} cases already recorded, {len(todo)} to record",
          file=sys.stderr)
    records = harness.run_cases(todo, venv=venv, jobs=jobs, timeout=60, log_path="/dev/null",
                                progress=_progress(len(todo)))
    by_id = {r["id"]: r for r in records}
    for case in cases:
        if case["id"] not in by_id:
            by_id[case["id"]] = dict(known[_case_key(case)], id=case["id"])
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = []
    for case in cases:
        record = dict(by_id[case["id"]])
        record.pop("id")
        record.pop("seconds", None)  # timing is not an outcome; it would churn every diff
        record.setdefault("litellm", release)
        rows.append(json.dumps({**case, "record": record}, sort_keys=True) + "\n")
    out.write_text("".join(rows), encoding="utf-8")
    print(f"wrote {len(rows)} cases to {out}", file=sys.stderr)
    return 0


def _case_key(case: dict) -> str:
    return json.dumps([case["config"], case["files"], case["env"]], sort_keys=True)


def _release_of(venv: str) -> str:
    """The litellm version installed in VENV (read from its metadata, not imported)."""
    release = proxy_version(str(Path(venv) / "bin" / "litellm"))
    if release == "unknown":
        raise SystemExit(f"no litellm installed in {venv}")
    return release


PRESETS = ROOT / "tests" / "oracle" / "presets"


def presets_config() -> str:
    """What `init` then `merge` with every preset set writes: the presets as operators get them."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        config, out = Path(scratch) / "config.yaml", Path(scratch) / "out.yaml"
        tool = [sys.executable, "-m", "generator"]
        subprocess.run(tool + ["init", str(config)], check=True, capture_output=True)
        subprocess.run(tool + ["merge", str(config), "-o", str(out), "--preset-set",
                               "openai-seed", "--preset-set", "openai-current"],
                       check=True, capture_output=True, cwd=ROOT)
        return out.read_text(encoding="utf-8")


def without_provider(config: str) -> str:
    """The presets as they were before they named their provider."""
    return "".join(line for line in config.splitlines(keepends=True)
                   if line.strip() != "custom_llm_provider: openai")


def cmd_presets(venvs: list[str]) -> int:
    """Every preset through each release's own start-up: started, and serving every one?
    And the same presets without custom_llm_provider: what naming the provider changes."""
    import releases

    harness = _harness()
    config = presets_config()
    cases = [{"id": "presets", "config": config, "files": {}, "env": dict(BASE_ENV)},
             {"id": "without-provider", "config": without_provider(config), "files": {},
              "env": dict(BASE_ENV)}]
    PRESETS.mkdir(parents=True, exist_ok=True)
    for venv in venvs:
        release = _release_of(venv)
        records = harness.run_cases(cases, venv=venv, jobs=1, timeout=120,
                                    log_path="/dev/null")
        for record in records:
            record.pop("seconds", None)
            record["log"] = record.get("log", [])[:5]  # why, when it did not start
        record, bare = (dict(r) for r in records)
        record.pop("id"), bare.pop("id")
        out = PRESETS / f"litellm-{release}.json"
        out.write_text(json.dumps({"release": release, "how": releases.how(release),
                                   "config": config, "env": sorted(BASE_ENV),
                                   "record": record, "without_provider": bare},
                                  indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {out}: started {record.get('started')}, served "
              f"{len(record.get('served') or [])}; without custom_llm_provider "
              f"{len(bare.get('served') or [])}", file=sys.stderr)
    return 0


def cmd_calibrate(venv: str) -> int:
    """The fast oracle on the cases a full start recorded: the same outcome?"""
    harness = _harness()
    folders = sorted(p for p in CASES.iterdir() if (p / "record.json").exists())
    cases = [harness.read_folder(p) for p in folders]
    records = harness.run_cases(cases, venv=venv, jobs=1, timeout=60, log_path="/dev/null",
                                progress=_progress(len(cases)))
    release = next(r["litellm"] for r in records if r.get("litellm"))
    out = CASES.parent / f"harness-{release}.jsonl"
    out.write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in records),
                   encoding="utf-8")
    seconds = sorted(r["seconds"] for r in records if r.get("seconds") is not None)
    print(f"wrote {out}: {len(records)} cases, median {seconds[len(seconds) // 2]:.3f}s per "
          f"config in-process", file=sys.stderr)
    return 0


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[1] == "mutate":
        return cmd_mutate()
    if len(argv) >= 2 and argv[1] == "record":
        return cmd_record(argv[2:])
    if len(argv) >= 2 and argv[1] == "generated":
        import argparse

        parser = argparse.ArgumentParser(prog="oracle.py generated")
        parser.add_argument("venv", nargs="?", default=str(ROOT / ".venv-proxy"))
        parser.add_argument("--out", type=Path, help="the records (default: tests/oracle/"
                            "generated/litellm-RELEASE.jsonl)")
        parser.add_argument("--jobs", type=int, default=2)
        parser.add_argument("--all", action="store_true", help="record every case again")
        parser.add_argument("--only", type=Path, help="a file of case ids, one a line: "
                            "record only those")
        args = parser.parse_args(argv[2:])
        only = args.only.read_text(encoding="utf-8").split() if args.only else None
        return cmd_generated(args.venv, args.out, args.jobs, only)
    if len(argv) >= 2 and argv[1] == "calibrate":
        return cmd_calibrate(argv[2] if len(argv) > 2 else str(ROOT / ".venv-proxy"))
    if len(argv) >= 3 and argv[1] == "presets":
        return cmd_presets(argv[2:])
    if len(argv) == 3 and argv[1] == "corpus":
        return cmd_corpus(argv[2])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
