"""validate judges the deployment as the operator runs it (issue 28, part 3).

- Packaging: the official image of a release carries the packages its Dockerfile installs
  (generator/releases/image-packages.json, scripts/image_packages.py); a pip install what its extras
  carry; with nothing pinned, validate assumes litellm[proxy] and says so.
- The environment: a Kubernetes manifest's proxy container and LiteLLM's Helm chart declare
  where the proxy runs (env, envFrom, valueFrom.secretKeyRef, masterkeySecretName/Key,
  environmentSecrets, envVars): a variable declared there is set, one it does not declare is
  unset, unless an envFrom source may hold it. The shell validate runs in is not it.
- Secret hygiene knows the chart's keys that name a Secret or a key in one.

The Helm values follow LiteLLM's chart, BerriAI/litellm deploy/charts/litellm-helm/values.yaml
(commit 00eb60c0ceb9f1fd1737523db55bbaf5a65e0856) and templates/deployment.yaml (commit
f77fbefc22e81aff0ae4cd106426482fc0abe482).
"""
from __future__ import annotations

import subprocess
from pathlib import Path

from helpers import cli

ROOT = Path(__file__).resolve().parent.parent
# The shell validate runs in: none of the proxy's variables (a laptop, CI).
SHELL = {"LITELLM_MASTER_KEY": None, "PROXY_MASTER_KEY": None, "LGT_MODEL": None,
         "OPENAI_API_KEY": None, "REDIS_HOST": None, "REDIS_URL": None, "LGT_REDIS_PORT": None}

CONFIG = """\
model_list:
  - model_name: llama3
    litellm_params:
      model: ollama/llama3
      api_base: http://ollama:11434
litellm_settings:
  success_callback: ["prometheus"]
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
"""


def manifest(config: str = CONFIG, image: str = "ghcr.io/berriai/litellm:main-v1.108.14-stable",
             env: str = "LITELLM_MASTER_KEY", env_from: str = "") -> str:
    """A ConfigMap and the Deployment that mounts it, as the README's k8s/litellm.yaml."""
    block = "".join(f"    {line}\n" if line else "\n" for line in config.splitlines())
    envs = "".join(f"""\
            - name: {name}
              valueFrom:
                secretKeyRef:
                  name: litellm-secrets
                  key: {name.lower().replace('_', '-')}
""" for name in env.split(",") if name)
    return f"""\
apiVersion: v1
kind: ConfigMap
metadata:
  name: litellm-config
data:
  config.yaml: |
{block}---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: litellm
spec:
  template:
    spec:
      containers:
        - name: litellm
          image: {image}
          args: ["--config", "/app/config.yaml"]
          env:
{envs}{env_from}          volumeMounts:
            - name: config
              mountPath: /app/config.yaml
              subPath: config.yaml
      volumes:
        - name: config
          configMap:
            name: litellm-config
"""


def validate(*args, env=None):
    return cli("validate", "--isolated", *args, env={**SHELL, **(env or {})})


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# -- packaging -------------------------------------------------------------------------

def test_the_official_image_carries_prometheus_client(tmp_path: Path) -> None:
    """The issue's first case: the most common callback, on the official image, runs."""
    run = validate(write(tmp_path / "k8s.yaml", manifest()))
    assert run.code == 0, run.stdout
    assert "callback-needs-package" not in run.stdout
    for image in ("ghcr.io/berriai/litellm-database:main-v1.108.14-stable",
                  "ghcr.io/berriai/litellm:main-stable", "berriai/litellm-non_root:main-v1.100.0"):
        run = validate(write(tmp_path / "k8s.yaml", manifest(image=image)))
        assert "callback-needs-package" not in run.stdout, (image, run.stdout)


def test_an_image_of_another_publisher_or_nothing_pinned_keeps_the_pip_verdict(
        tmp_path: Path) -> None:
    own = manifest(image="registry.example/me/litellm:1.108.14")
    run = validate(write(tmp_path / "k8s.yaml", own))
    assert run.code == 1 and "callback-needs-package" in run.stdout
    assert "validate assumes a pip install: no official LiteLLM image is pinned here" in run.stdout
    run = validate(write(tmp_path / "config.yaml", CONFIG), "--litellm", "1.108.14")
    assert run.code == 1 and "validate assumes a pip install" in run.stdout


def test_a_pip_install_carries_what_its_extras_carry(tmp_path: Path) -> None:
    config = write(tmp_path / "config.yaml", CONFIG)
    requirements = write(tmp_path / "requirements.txt", "litellm[proxy]==1.100.0\n")
    run = validate(config, requirements)
    assert run.code == 1 and "which litellm[proxy] does not install:" in run.stdout
    assert "validate assumes" not in run.stdout
    # The extra the images install prometheus_client from.
    write(requirements, "litellm[proxy,proxy-runtime]==1.100.0\n")
    run = validate(config, requirements)
    assert "callback-needs-package" not in run.stdout, run.stdout


def test_what_the_same_file_installs_besides_litellm_is_there_too(tmp_path: Path) -> None:
    """A requirements file's other lines, a Dockerfile's `pip install` over the image."""
    config = write(tmp_path / "config.yaml", CONFIG)
    requirements = write(tmp_path / "requirements.txt",
                         "litellm[proxy]==1.100.0\nprometheus_client>=0.20  # metrics\n")
    run = validate(config, requirements)
    assert "callback-needs-package" not in run.stdout, run.stdout
    disk = write(tmp_path / "disk.yaml", CONFIG.replace(
        'success_callback: ["prometheus"]', "cache: true\n  cache_params:\n    type: disk"))
    dockerfile = write(tmp_path / "Dockerfile", "FROM ghcr.io/berriai/litellm:main-v1.100.0\n")
    assert "cache-needs-package" in validate(disk, dockerfile).stdout
    write(dockerfile, "FROM ghcr.io/berriai/litellm:main-v1.100.0\n"
                      "RUN pip install --no-cache-dir \\\n    diskcache==5.6.3\n")
    run = validate(disk, dockerfile)
    assert "cache-needs-package" not in run.stdout, run.stdout


def test_what_the_image_does_not_install_is_still_an_error(tmp_path: Path) -> None:
    """No silence: the disk cache needs litellm[caching], which no image extra names."""
    config = CONFIG.replace('success_callback: ["prometheus"]',
                            "cache: true\n  cache_params:\n    type: disk")
    run = validate(write(tmp_path / "k8s.yaml", manifest(config, image="ghcr.io/berriai/"
                                                         "litellm:main-v1.108.14-stable")))
    assert run.code == 1 and "cache-needs-package" in run.stdout
    assert "which the official image ghcr.io/berriai/litellm does not install" in run.stdout


def test_the_database_image_carries_prisma(tmp_path: Path) -> None:
    config = CONFIG + "  database_url: postgresql://litellm@db/litellm\n"
    run = validate(write(tmp_path / "k8s.yaml", manifest(
        config, image="ghcr.io/berriai/litellm-database:main-v1.108.14-stable")))
    assert "database-needs-package" not in run.stdout, run.stdout
    run = validate(write(tmp_path / "config.yaml", config), "--litellm", "1.108.14")
    assert "database-needs-package" in run.stdout


# -- the declared environment: Kubernetes ----------------------------------------------

def test_a_variable_the_deployment_declares_from_a_secret_is_set_there(tmp_path: Path) -> None:
    """The issue's second case: LITELLM_MASTER_KEY from a Secret, unset in this shell."""
    path = write(tmp_path / "k8s.yaml", manifest())
    for flags in ((), ("--deployment-env",)):
        run = validate(path, *flags)
        assert run.code == 0 and "master-key" not in run.stdout, run.stdout


def test_a_variable_the_deployment_does_not_declare_is_unset_there(tmp_path: Path) -> None:
    """No silence: set in this shell, but the pod does not have it, and 1.108 will not start."""
    path = write(tmp_path / "k8s.yaml", manifest(env="OTHER_KEY"))
    run = validate(path, env={"LITELLM_MASTER_KEY": "sk-set-in-this-shell-only"})
    assert run.code == 1, run.stdout
    (line,) = [x for x in run.stdout.splitlines() if x.endswith("[master-key-refused]")]
    assert ": error: " in line and "the Deployment litellm's container" in line


def test_the_proxy_container_is_the_one_judged_not_a_sidecar(tmp_path: Path) -> None:
    sidecar = "        - name: reloader\n          image: ghcr.io/example/config-reloader:1\n"
    text = manifest().replace("      containers:\n", "      containers:\n" + sidecar)
    run = validate(write(tmp_path / "k8s.yaml", text))
    assert run.code == 0 and "master-key" not in run.stdout, run.stdout


def test_envfrom_may_hold_any_variable_so_what_it_may_hold_is_a_warning(tmp_path: Path) -> None:
    env_from = "          envFrom:\n            - secretRef:\n                name: litellm-env\n"
    run = validate(write(tmp_path / "k8s.yaml", manifest(env="OTHER_KEY", env_from=env_from)))
    assert run.code == 0, run.stdout
    (line,) = [x for x in run.stdout.splitlines() if x.endswith("[master-key-refused]")]
    assert ": warning: " in line and "the Secret litellm-env (envFrom)" in line


def test_a_value_from_a_secret_is_never_judged_as_a_value(tmp_path: Path) -> None:
    """model and a Redis port from a Secret: set, but validate cannot see what they hold."""
    config = CONFIG.replace("model: ollama/llama3", "model: os.environ/LGT_MODEL").replace(
        'success_callback: ["prometheus"]', "cache: true\n  cache_params:\n    type: redis\n"
        "    host: redis\n    port: os.environ/LGT_REDIS_PORT")
    run = validate(write(tmp_path / "k8s.yaml", manifest(
        config, env="LITELLM_MASTER_KEY,LGT_MODEL,LGT_REDIS_PORT")))
    assert run.code == 0 and "warning" not in run.stdout.split("judged by")[0], run.stdout


def make(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    from helpers import make_target

    return make_target(*args, env=env, unset=tuple(SHELL))


def test_make_restart_of_a_manifest_as_the_readme_runs_it(tmp_path: Path) -> None:
    """`make restart CONFIG=k8s/litellm.yaml OUTPUT=k8s/litellm.yaml RESTART='kubectl ...'`."""
    path, marker = tmp_path / "litellm.yaml", tmp_path / "restarted"
    write(path, manifest(env="LITELLM_MASTER_KEY,OPENAI_API_KEY"))
    common = (f"CONFIG={path}", f"OUTPUT={path}", f"RESTART=touch {marker}", "VERIFY_WAIT=0",
              "PROXY_PORT=9", "MERGE_ARGS=--preset-set openai-seed")
    run = make("restart", *common)
    assert marker.exists(), run.stderr
    # A Deployment that does not give the proxy its master key is not rolled out.
    marker.unlink()
    write(path, manifest(env="OPENAI_API_KEY"))
    run = make("restart", *common, env={"LITELLM_MASTER_KEY": "sk-only-on-this-laptop"})
    assert run.returncode != 0 and not marker.exists()
    assert "master-key-refused" in run.stderr and "was not restarted" in run.stderr


# -- the declared environment: LiteLLM's Helm chart ------------------------------------

VALUES = """\
image:
  repository: ghcr.io/berriai/litellm-database
  tag: main-v1.108.14-stable
masterkeySecretName: litellm-master
masterkeySecretKey: master-key
environmentSecrets: []
envVars: {}
proxy_config:
  model_list:
    - model_name: llama3
      litellm_params:
        model: os.environ/LGT_MODEL
  litellm_settings:
    success_callback: ["prometheus"]
  general_settings:
    master_key: os.environ/PROXY_MASTER_KEY
postgresql:
  auth:
    password: NoTaGrEaTpAsSwOrD
"""


def test_helm_values_declare_the_charts_environment(tmp_path: Path) -> None:
    values = tmp_path / "values.yaml"
    # PROXY_MASTER_KEY comes from masterkeySecretName/Key; LGT_MODEL from nowhere.
    run = validate(write(values, VALUES), "--key-path", "proxy_config", "--deployment-env")
    assert run.code == 1 and "master-key" not in run.stdout, run.stdout
    (line,) = [x for x in run.stdout.splitlines() if x.endswith("[model-env-unset]")]
    assert ": error: " in line and "LiteLLM's Helm chart" in line
    assert "callback-needs-package" not in run.stdout  # the chart's image carries it
    # envVars sets it.
    run = validate(write(values, VALUES.replace("envVars: {}", "envVars:\n  LGT_MODEL: "
                                                "ollama/llama3")), "--key-path", "proxy_config")
    assert run.code == 0, run.stdout
    # environmentSecrets (envFrom) may set it: a warning that names the Secret.
    run = validate(write(values, VALUES.replace("environmentSecrets: []",
                                                "environmentSecrets:\n  - litellm-env")),
                   "--key-path", "proxy_config")
    assert run.code == 0 and "the Secret litellm-env (envFrom)" in run.stdout, run.stdout


def test_the_charts_own_masterkey_is_the_key_the_proxy_gets(tmp_path: Path) -> None:
    """No masterkeySecretName: the chart makes the Secret from `masterkey` (else a random
    one), so the docs' example key is refused by 1.108.14, a random one is not."""
    text = VALUES.replace("masterkeySecretName: litellm-master\nmasterkeySecretKey: master-key\n",
                          "").replace("model: os.environ/LGT_MODEL", "model: ollama/llama3")
    run = validate(write(tmp_path / "values.yaml", text), "--key-path", "proxy_config")
    assert run.code == 0, run.stdout
    run = validate(write(tmp_path / "values.yaml", "masterkey: sk-1234\n" + text),
                   "--key-path", "proxy_config")
    assert run.code == 1 and "publicly known" in run.stdout, run.stdout


def test_the_charts_default_image_is_the_packaging_when_values_name_none(tmp_path: Path) -> None:
    text = VALUES.replace("image:\n  repository: ghcr.io/berriai/litellm-database\n"
                          "  tag: main-v1.108.14-stable\n", "")
    run = validate(write(tmp_path / "values.yaml", text), "--key-path", "proxy_config",
                   "--litellm", "1.108.14")
    assert "callback-needs-package" not in run.stdout, run.stdout


def test_names_of_kubernetes_secrets_and_their_keys_are_not_secrets(tmp_path: Path) -> None:
    """The issue's third case: masterkeySecretKey names a key inside a Secret."""
    text = VALUES.replace("envVars: {}", "db:\n  secret:\n    name: postgres\n"
                          "    passwordKey: password\n    usernameKey: username")
    run = validate(write(tmp_path / "values.yaml", text))
    found = [x for x in run.stdout.splitlines() if x.endswith("[literal-secret]")]
    # The chart's own example password is a literal secret, and still said to be one.
    assert len(found) == 1 and "password holds a literal secret" in found[0], run.stdout
    assert found[0].split(":")[1] == str(text.splitlines().index(
        "    password: NoTaGrEaTpAsSwOrD") + 1)
