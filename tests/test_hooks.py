"""The pre-commit hooks, run by a real pre-commit in a scratch git repository.

pre-commit installs this checkout as a hook repository would be installed (a
snapshot of the working tree, committed, used with `repo: <path>` and its rev), so
.pre-commit-hooks.yaml, the entry points and the file patterns are all exercised;
only the package registry is reached (to install the hook's environment). The
snippets of the manual's pre-commit page (and the README's) are taken from the page as
shown and run by a real `git commit` with pre-commit installed.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from helpers import OLLAMA_CONFIG

ROOT = Path(__file__).resolve().parent.parent
HOOKS = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml")
                                                     .read_text(encoding="utf-8"))}
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
CONFIG = OLLAMA_CONFIG + "general_settings:\n  master_key: os.environ/LITELLM_MASTER_KEY\n"
OTHER_APP = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nginx\ndata:\n"
             "  nginx.conf: |\n    server { listen 80; }\n")


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True,
                          text=True, env={**os.environ, **GIT_ENV}).stdout


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> tuple[Path, str]:
    """This working tree as a hook repository: its files committed in a fresh repo."""
    snapshot = tmp_path_factory.mktemp("hook-repo")
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / name)
    git(snapshot, "init", "-q")
    git(snapshot, "add", "-A")
    git(snapshot, "commit", "-q", "-m", "snapshot")
    return snapshot, git(snapshot, "rev-parse", "HEAD").strip()


def locked_constraints(folder: Path) -> Path:
    """requirements/dev.txt as a pip constraints file (name==version, without hashes)."""
    lock = (ROOT / "requirements" / "dev.txt").read_text(encoding="utf-8")
    pins = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*==[^\s\\;]+)", lock, re.M)
    path = folder / "constraints.txt"
    path.write_text("\n".join(pins) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def scratch_repo(tmp_path: Path, hook_repo, hooks: list[dict]) -> Path:
    repo = tmp_path / "scratch"
    repo.mkdir()
    git(repo, "init", "-q")
    path, rev = hook_repo
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(
        {"repos": [{"repo": str(path), "rev": rev, "hooks": hooks}]}), encoding="utf-8")
    return repo


def pre_commit(repo: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "LITELLM_MASTER_KEY"}
    env.update(GIT_ENV, PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never")
    # The hook's environment (pip, inside pre-commit) takes the versions of the dev lock.
    env["PIP_CONSTRAINT"] = str(locked_constraints(home))
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=repo,
                          capture_output=True, text=True, timeout=600, env=env)


MERGE_ARGS = ["config.yaml", "-o", "output/config.yaml", "--preset-set", "openai-seed"]


def test_the_merge_hook_writes_and_fails_when_it_changed_something(
        tmp_path, hook_repo, pre_commit_home) -> None:
    repo = scratch_repo(tmp_path, hook_repo, [
        {"id": "litellm-gen-merge", "args": MERGE_ARGS},
        {"id": "litellm-gen-check", "args": MERGE_ARGS}])
    (repo / "config.yaml").write_text(CONFIG, encoding="utf-8")
    (repo / "output").mkdir()
    (repo / "output" / "config.yaml").write_text(CONFIG, encoding="utf-8")  # stale
    git(repo, "add", "-A")
    run = pre_commit(repo, pre_commit_home, "run", "--all-files")
    assert run.returncode == 1, run.stdout + run.stderr
    assert re.search(r"litellm-gen merge\.+Failed", run.stdout), run.stdout
    assert "files were modified by this hook" in run.stdout
    merged = (repo / "output" / "config.yaml").read_text(encoding="utf-8")
    assert "model_name: dall-e-3" in merged and merged.startswith(OLLAMA_CONFIG)
    # The check hook ran after the merge wrote the file: it passes.
    assert re.search(r"litellm-gen merge --check\.+Passed", run.stdout), run.stdout
    git(repo, "add", "-A")
    run = pre_commit(repo, pre_commit_home, "run", "--all-files")
    assert run.returncode == 0, run.stdout + run.stderr
    assert re.search(r"litellm-gen merge\.+Passed", run.stdout)


def test_the_merge_hook_fails_when_it_writes_a_file_git_does_not_track_yet(
        tmp_path, hook_repo, pre_commit_home) -> None:
    """A first run writes the output: untracked, so pre-commit sees no modification; the
    hook's own exit status (--exit-non-zero-on-write) fails it all the same."""
    repo = scratch_repo(tmp_path, hook_repo, [{"id": "litellm-gen-merge", "args": MERGE_ARGS}])
    (repo / "config.yaml").write_text(CONFIG, encoding="utf-8")
    git(repo, "add", "-A")
    run = pre_commit(repo, pre_commit_home, "run", "--all-files")
    assert run.returncode == 1, run.stdout + run.stderr
    assert re.search(r"litellm-gen merge\.+Failed", run.stdout), run.stdout
    assert "model_name: dall-e-3" in (repo / "output" / "config.yaml").read_text()
    git(repo, "add", "-A")
    assert pre_commit(repo, pre_commit_home, "run", "--all-files").returncode == 0


def test_the_check_hook_fails_on_a_stale_output_and_writes_nothing(
        tmp_path, hook_repo, pre_commit_home) -> None:
    repo = scratch_repo(tmp_path, hook_repo, [{"id": "litellm-gen-check", "args": MERGE_ARGS}])
    (repo / "config.yaml").write_text(CONFIG, encoding="utf-8")
    (repo / "output").mkdir()
    (repo / "output" / "config.yaml").write_text(CONFIG, encoding="utf-8")
    git(repo, "add", "-A")
    run = pre_commit(repo, pre_commit_home, "run", "--all-files")
    assert run.returncode == 1 and "files were modified" not in run.stdout
    assert "output/config.yaml is not what merging config.yaml produces" in run.stdout
    assert (repo / "output" / "config.yaml").read_text(encoding="utf-8") == CONFIG


def test_the_validate_hook_checks_configs_and_passes_other_apps_manifests(
        tmp_path, hook_repo, pre_commit_home) -> None:
    repo = scratch_repo(tmp_path, hook_repo, [{"id": "litellm-gen-validate",
                                               "verbose": True}])
    (repo / "config.yaml").write_text(CONFIG, encoding="utf-8")
    (repo / "k8s").mkdir()
    (repo / "k8s" / "configmap.yaml").write_text(OTHER_APP, encoding="utf-8")
    (repo / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")  # not matched
    git(repo, "add", "-A")
    run = pre_commit(repo, pre_commit_home, "run", "--all-files")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "k8s/configmap.yaml: holds no LiteLLM config" in run.stdout
    # The master key's variable is unset here: a warning that says why, not an error.
    assert "config.yaml:" in run.stdout and "not the deployment's environment" in run.stdout
    assert "mkdocs.yml" not in run.stdout


def test_the_validate_hook_checks_every_file_and_names_each(
        tmp_path, hook_repo, pre_commit_home) -> None:
    repo = scratch_repo(tmp_path, hook_repo, [{"id": "litellm-gen-validate"}])
    (repo / "litellm-broken.yaml").write_bytes(b"model_list:\n  - model_name: \xff\n")
    (repo / "config.yaml").write_text(CONFIG.replace("ollama/llama3", "llama3"),
                                      encoding="utf-8")
    (repo / "proxy_config.yaml").write_text(CONFIG, encoding="utf-8")
    git(repo, "add", "-A")
    run = pre_commit(repo, pre_commit_home, "run", "--all-files")
    assert run.returncode == 1
    assert "litellm-broken.yaml" in run.stdout and "UTF-8" in run.stdout
    assert re.search(r"config\.yaml:\d+:\d+: error: .*\[unknown-provider\]", run.stdout)
    assert "proxy_config.yaml: 0 errors" in run.stdout


PAGES = [ROOT / "docs" / "pre-commit.md", ROOT / "README.md"]
SHA = re.compile(r"[0-9a-f]{40}")


def shown_configs() -> list[tuple[str, dict]]:
    """(page, .pre-commit-config.yaml) for every snippet the pages show."""
    found = []
    for page in PAGES:
        for block in re.findall(r"```yaml\n(.*?)```", page.read_text(encoding="utf-8"), re.S):
            if "repos:" not in block:
                continue  # a config.yaml excerpt
            doc = yaml.safe_load(block)
            if isinstance(doc, dict) and "repos" in doc:
                found.append((page.name, doc))
    return found


def snippet(kind: str) -> dict:
    """The pre-commit page's snippet of this repository (`remote`) or its `local` variant."""
    docs = [doc for page, doc in shown_configs() if page == "pre-commit.md"
            and (doc["repos"][0]["repo"] == "local") == (kind == "local")]
    assert len(docs) == 1, f"the pre-commit page shows one {kind} snippet"
    return docs[0]


def commit(repo: Path, home: Path, env_path: str | None = None) -> subprocess.CompletedProcess:
    """`git commit` of what is staged, with the repository's pre-commit hook installed."""
    env = {k: v for k, v in os.environ.items() if k != "LITELLM_MASTER_KEY"}
    env.update(GIT_ENV, PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never",
               PIP_CONSTRAINT=str(locked_constraints(home)))  # as pre_commit() installs
    if env_path is not None:
        env["PATH"] = env_path
    return subprocess.run(["git", "commit", "-m", "change"], cwd=repo, capture_output=True,
                          text=True, timeout=600, env=env)


def first_commit_fails_then_passes(repo: Path, home: Path, env_path: str | None = None) -> None:
    """A commit whose merge hook writes output/config.yaml (new to git) fails; staged, it
    passes."""
    (repo / "config.yaml").write_text(CONFIG, encoding="utf-8")
    git(repo, "add", "-A")
    run = commit(repo, home, env_path)
    assert run.returncode != 0, run.stdout + run.stderr
    assert "model_name: dall-e-3" in (repo / "output" / "config.yaml").read_text()
    assert git(repo, "rev-list", "--all") == "", "the commit went through"
    git(repo, "add", "-A")
    run = commit(repo, home, env_path)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_shown_snippets_name_hooks_this_repository_has() -> None:
    homepage = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"][
        "Homepage"]
    remote = [repo for _page, doc in shown_configs() for repo in doc["repos"]
              if repo["repo"] != "local"]
    assert len(remote) >= 2, "the README and the pre-commit page show the snippet"
    for repo in remote:
        # No release tags yet: a rev a user can resolve is a full commit id.
        assert repo["repo"] == homepage and SHA.fullmatch(repo["rev"]), repo
        assert {hook["id"] for hook in repo["hooks"]} <= set(HOOKS)


def test_the_shown_remote_snippet_fails_a_commit_that_makes_it_write(
        tmp_path, hook_repo, pre_commit_home) -> None:
    """The page's snippet as shown, with its repository and commit id replaced by this
    checkout's snapshot and its commit."""
    config = snippet("remote")
    path, rev = hook_repo
    config["repos"][0].update(repo=str(path), rev=rev)
    repo = tmp_path / "scratch"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    installed = pre_commit(repo, pre_commit_home, "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    first_commit_fails_then_passes(repo, pre_commit_home)


def test_the_shown_local_variant_is_the_shipped_hooks() -> None:
    for hook in snippet("local")["repos"][0]["hooks"]:
        shipped = HOOKS[hook["id"]]
        assert hook["entry"] == shipped["entry"], hook["id"]
        for key in ("files", "exclude", "pass_filenames", "name"):
            assert hook.get(key) == shipped.get(key), (hook["id"], key)


def test_the_shown_local_variant_fails_a_commit_that_makes_it_write(
        tmp_path, pre_commit_home) -> None:
    repo = tmp_path / "scratch"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(snippet("local")),
                                                  encoding="utf-8")
    env_path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    installed = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo,
                               capture_output=True, text=True, timeout=600,
                               env={**os.environ, **GIT_ENV, "PATH": env_path,
                                    "PRE_COMMIT_HOME": str(pre_commit_home)})
    assert installed.returncode == 0, installed.stdout + installed.stderr
    first_commit_fails_then_passes(repo, pre_commit_home, env_path)


@pytest.mark.parametrize("path, matched", [
    ("config.yaml", True), ("output/config.yaml", True), ("deploy/config-prod.yml", True),
    ("proxy_config.yaml", True), ("litellm.yaml", True), ("k8s/litellm-configmap.yaml", True),
    ("k8s/configmap.yaml", True), ("deploy/litellm/values.yaml", True), ("Config.YAML", True),
    ("values.yaml", False), ("docker-compose.yaml", False), (".pre-commit-config.yaml", False),
    ("charts/app/templates/configmap.yaml", False), ("mkdocs.yml", False),
    (".github/workflows/config.json", False), ("my-config.yaml", False)])
def test_the_validate_hooks_file_pattern(path: str, matched: bool) -> None:
    """pre-commit matches `files` and `exclude` with re.search."""
    hook = HOOKS["litellm-gen-validate"]
    found = re.search(hook["files"], path) and not re.search(hook["exclude"], path)
    assert bool(found) == matched


def test_the_hook_environment_installs_the_versions_of_the_lock(
        tmp_path, hook_repo, pre_commit_home) -> None:
    """pre-commit installs the hook with pip; the dev lock's versions, not the registry's newest."""
    repo = scratch_repo(tmp_path, hook_repo, [{"id": "litellm-gen-check", "args": MERGE_ARGS}])
    run = pre_commit(repo, pre_commit_home, "install-hooks")
    assert run.returncode == 0, run.stdout + run.stderr
    locked = dict(line.split("==") for line in
                  locked_constraints(tmp_path).read_text(encoding="utf-8").split())
    installed = {}
    for info in pre_commit_home.glob("repo*/py_env-*/lib/python*/site-packages/*.dist-info"):
        name, version = info.name.removesuffix(".dist-info").rsplit("-", 1)
        installed[re.sub(r"[-_.]+", "-", name).lower()] = version
    for name in ("typer", "jinja2", "pyyaml"):
        assert installed.get(name) == locked[name], (name, installed.get(name), locked[name])
