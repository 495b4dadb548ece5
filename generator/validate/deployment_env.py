"""The environment a deployment declares for the proxy: a Kubernetes manifest, Helm values.

A Deployment's proxy container sets its variables with `env` (a literal `value`, or
`valueFrom` a Secret, a ConfigMap, a field) and `envFrom` (every key of a Secret or
ConfigMap). LiteLLM's Helm chart (deploy/charts/litellm-helm: templates/deployment.yaml,
values.yaml) renders its own list from the values: HOST, PORT, PROXY_MASTER_KEY from the
Secret `masterkeySecretName`/`masterkeySecretKey` (or the one it generates), the
database's and Redis's variables, `envVars`, `extraEnvVars`, and `environmentSecrets` /
`environmentConfigMaps` as envFrom. That is where the proxy runs, not the shell validate
runs in: a variable declared there is set (its value known only when written literally),
one it does not declare is unset, unless an envFrom source may hold it.

Pure: YAML nodes in, a DeclaredEnv out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, NamedTuple

import yaml

from generator.releases.pins import Packaging, is_proxy_image, split_image

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_WORKLOADS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "Pod", "Job", "CronJob",
                        "ReplicaSet", "Rollout"})


class UnknownValue(str):
    """A variable that is set where the proxy runs, from a Secret, ConfigMap or field whose
    value validate cannot see: not empty, and never judged as a value."""


@dataclass(frozen=True)
class DeclaredEnv:
    where: str                                   # "the Deployment litellm (line 20)"
    values: dict[str, str] = field(default_factory=dict)  # literal, or an UnknownValue
    open_sources: tuple[str, ...] = ()           # envFrom: "Secret litellm-env", ...
    packaging: Packaging | None = None           # the image it runs when no pin says one

    def environment(self) -> dict[str, str]:
        return dict(self.values)

    def note(self) -> str:
        """Said of a finding about a variable it lacks."""
        if self.open_sources:
            return (f" (judged by the environment {self.where} declares: it does not declare "
                    f"this variable by name, but also sets every key of "
                    f"{_joined(self.open_sources)} (envFrom), which validate cannot see, so it "
                    "is a warning here)")
        return f" (judged by the environment {self.where} declares)"


def _joined(items: tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _node(mapping, key: str):
    if not isinstance(mapping, yaml.MappingNode):
        return None
    return next((v for k, v in mapping.value if isinstance(k, yaml.ScalarNode)
                 and k.value == key), None)


def _text(node) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _items(node) -> list:
    return node.value if isinstance(node, yaml.SequenceNode) else []


def manifest_env(text: str, configmap: str | None = None) -> DeclaredEnv | None:
    """The environment of the manifest's proxy container: one whose pod mounts the config's
    ConfigMap and runs a proxy image, else either; None when the file declares none."""
    try:
        documents = list(yaml.compose_all(text, Loader=_Loader))
    except (yaml.YAMLError, RecursionError):
        return None
    holding = {configmap.partition("/")[0]} if configmap else _config_maps(text)
    ranked = sorted((c for document in documents for c in _containers(document)),
                    key=lambda c: (not c.mounts & holding, not c.proxy))  # stable: file order
    if not ranked or not (ranked[0].mounts & holding or ranked[0].proxy):
        return None
    chosen = ranked[0]
    values, sources = container_env(chosen.node)
    return DeclaredEnv(f"the {chosen.kind} {chosen.name}'s container (line "
                       f"{chosen.node.start_mark.line + 1})", values, sources)


def _config_maps(text: str) -> set[str]:
    """The ConfigMaps of the manifest that hold a LiteLLM config."""
    from generator.boundary.errors import UserError
    from generator.merge.manifest import find_configs
    try:
        return {c.configmap for c in find_configs(text)}
    except UserError:
        return set()


class _Container(NamedTuple):
    kind: str           # of the workload: Deployment, StatefulSet, ...
    name: str           # the workload's metadata.name
    node: object        # the container's mapping
    mounts: set         # the ConfigMaps its pod mounts as volumes
    proxy: bool         # it runs a LiteLLM proxy image


def _containers(document) -> Iterator[_Container]:
    objects = [document]
    kind = _text(_node(document, "kind")) or ""
    if kind.endswith("List"):
        objects = _items(_node(document, "items"))
    for obj in objects:
        kind = _text(_node(obj, "kind")) or ""
        if kind not in _WORKLOADS:
            continue
        name = _text(_node(_node(obj, "metadata"), "name")) or "?"
        pod = _pod_spec(obj, kind)
        maps = _volume_config_maps(pod)
        for container in _items(_node(pod, "containers")):
            image = split_image(_text(_node(container, "image")) or "")[0]
            # The ConfigMaps this container mounts, not its pod's: a sidecar listed first
            # (a database proxy) does not read the config, and its env is not the proxy's.
            mounted = {maps.get(_text(_node(m, "name"))) for m in
                       _items(_node(container, "volumeMounts"))} - {None}
            yield _Container(kind, name, container, mounted, is_proxy_image(image))


def _volume_config_maps(pod) -> dict:
    """volume name -> the ConfigMap it holds (a configMap volume, or a projected one's)."""
    maps = {}
    for volume in _items(_node(pod, "volumes")):
        held = [_node(volume, "configMap")] + [
            _node(source, "configMap")
            for source in _items(_node(_node(volume, "projected"), "sources"))]
        names = [_text(_node(node, "name")) for node in held if node is not None]
        if names and names[0] and _text(_node(volume, "name")):
            maps[_text(_node(volume, "name"))] = names[0]
    return maps


def _pod_spec(obj, kind: str):
    spec = _node(obj, "spec")
    if kind == "Pod":
        return spec
    if kind == "CronJob":
        spec = _node(_node(spec, "jobTemplate"), "spec")
    return _node(_node(spec, "template"), "spec")


def container_env(container) -> tuple[dict[str, str], tuple[str, ...]]:
    """A container's `env` (name -> value) and its `envFrom` sources."""
    return env_list(_node(container, "env")), env_from(_node(container, "envFrom"))


def env_list(node) -> dict[str, str]:
    """Kubernetes `env:` entries: a literal value is known; valueFrom is set, value unknown."""
    values: dict[str, str] = {}
    for item in _items(node):
        name = _text(_node(item, "name"))
        if not name:
            continue
        literal = _node(item, "value")
        source = _node(item, "valueFrom")
        if isinstance(literal, yaml.ScalarNode):
            values[name] = "" if literal.tag.endswith(":null") else literal.value
        elif source is not None:
            values[name] = UnknownValue(f"from {_value_from(source)}")
        else:
            values[name] = ""  # `- name: X` alone: Kubernetes sets X to the empty string
    return values


def _value_from(source) -> str:
    for kind, label in (("secretKeyRef", "Secret"), ("configMapKeyRef", "ConfigMap")):
        ref = _node(source, kind)
        if ref is not None:
            return f"the {label} {_text(_node(ref, 'name'))}, key {_text(_node(ref, 'key'))}"
    return "a field of the pod"


def env_from(node) -> tuple[str, ...]:
    sources = []
    for item in _items(node):
        for kind, label in (("secretRef", "Secret"), ("configMapRef", "ConfigMap")):
            ref = _node(item, kind)
            if ref is not None:
                sources.append(f"the {label} {_text(_node(ref, 'name')) or '?'}")
    return tuple(sources)


def helm_env(values, line: int) -> DeclaredEnv:
    """What LiteLLM's chart (deploy/charts/litellm-helm, templates/deployment.yaml) sets in
    the proxy container for these values; chart defaults where the values say nothing."""
    env: dict[str, str] = {"HOST": "0.0.0.0", "PORT": _text(_node(_node(values, "service"),
                                                                   "port")) or "4000"}
    secret = _text(_node(values, "masterkeySecretName"))
    key = _text(_node(values, "masterkeySecretKey")) or "masterkey"
    env["PROXY_MASTER_KEY"] = UnknownValue(f"from the Secret {secret}, key {key}") if secret \
        else _text(_node(values, "masterkey")) or UnknownValue("generated by the chart")
    db = _node(values, "db")
    if _flag(_node(db, "deployStandalone"), True) or _flag(_node(db, "useExisting"), False):
        for name in ("DATABASE_USERNAME", "DATABASE_PASSWORD", "DATABASE_HOST", "DATABASE_NAME"):
            env[name] = UnknownValue("from the chart's database settings")
        if not _flag(_node(db, "deployStandalone"), True):
            env["DATABASE_URL"] = UnknownValue("db.url")
    if _flag(_node(_node(values, "redis"), "enabled"), False):
        for name in ("REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD"):
            env[name] = UnknownValue("from the chart's Redis")
    level = _node(values, "logLevel")
    if level is None or _text(level):
        env["LITELLM_LOG"] = _text(level) or "INFO"
    for key_node, value in _node(values, "envVars").value if isinstance(
            _node(values, "envVars"), yaml.MappingNode) else []:
        env[str(key_node.value)] = _text(value) if _text(value) is not None \
            else UnknownValue("envVars")
    if _flag(_node(values, "separateHealthApp"), False):
        env.update(SEPARATE_HEALTH_APP="1", SEPARATE_HEALTH_PORT="8081")
    env.update(env_list(_node(values, "extraEnvVars")))
    sources = tuple(f"the Secret {_text(n)}" for n in _items(_node(values, "environmentSecrets"))) \
        + tuple(f"the ConfigMap {_text(n)}" for n in _items(_node(values,
                                                                  "environmentConfigMaps")))
    # The chart's default image.repository (values.yaml); a pin in the file comes first.
    return DeclaredEnv(f"LiteLLM's Helm chart renders from these values (line {line})", env,
                       sources, Packaging("image", (), "ghcr.io/berriai/litellm-database"))


def _flag(node, default: bool) -> bool:
    if not isinstance(node, yaml.ScalarNode) or node.tag.endswith(":null"):
        return default
    return node.value.lower() in ("true", "yes", "on", "1")


def values_env(text: str, key_path: tuple[str, ...]) -> DeclaredEnv | None:
    """For --key-path ...proxy_config: the chart values that hold it declare the env."""
    if not key_path or key_path[-1] != "proxy_config":
        return None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except (yaml.YAMLError, RecursionError, yaml.composer.ComposerError):
        return None
    for name in key_path[:-1]:
        node = _node(node, name)
    if not isinstance(node, yaml.MappingNode):
        return None
    return helm_env(node, node.start_mark.line + 1)


def declared_env(text: str, key_path: tuple[str, ...], configmap: str | None
                 ) -> DeclaredEnv | None:
    """The environment the file itself declares for the proxy, or None."""
    if key_path:
        return values_env(text, key_path)
    from generator.merge.manifest import looks_like_manifest
    if configmap or looks_like_manifest(text):
        return manifest_env(text, configmap)
    return None


def unknown(value) -> bool:
    return isinstance(value, UnknownValue)
