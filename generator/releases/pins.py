"""Which litellm release a deployment runs, read where operators write it down.

A container image (`ghcr.io/berriai/litellm:main-v1.106.12`, `-stable` / `-lts` tags,
the `litellm-database` and `litellm-non_root` images, digests) in a Kubernetes manifest,
a compose file or a Dockerfile's FROM; a Helm values file's `image.repository` +
`image.tag`; a requirements pin (`litellm[proxy]==1.106.12`) in requirements*.txt,
pyproject.toml or a Dockerfile's `pip install`. Each is found with its line, so a report
can say where the release it judged by came from, and the supply-chain checks can point at
a pin to a withdrawn release or a tag that floats. A pin also says how the proxy's Python
environment is made (Packaging): LiteLLM's official image, or a pip install and its extras.

Pure: text in, pins out; no I/O.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RELEASE = re.compile(r"(?<![\d.])v?(\d+\.\d+\.\d+(?:\.post\d+)?)(?![\d])")
# The proxy's images: ghcr.io/berriai/litellm, litellm-database, litellm-non_root, ...
_PROXY_IMAGE = re.compile(r"(^|/)litellm([-_][a-z_]+)?$")
_PIN = re.compile(r"""(?<![\w-])litellm(?:\[[^\]]*\])?\s*(===?|~=)\s*["']?v?"""
                  r"""(\d+\.\d+(?:\.\d+)?(?:\.post\d+)?)""", re.IGNORECASE)
_POETRY_PIN = re.compile(r"""^\s*litellm\s*=\s*(?:\{[^}]*version\s*=\s*)?["'](?:==)?"""
                         r"""(\d+\.\d+\.\d+)["']""", re.IGNORECASE)
_FROM = re.compile(r"^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)", re.IGNORECASE)


@dataclass(frozen=True)
class Pin:
    """A place that says which litellm runs."""
    line: int
    column: int
    kind: str                # "image", "helm", "requirement"
    text: str                # what is written: the image reference, or the pin
    release: str | None      # the release it names, None when it names none
    floating: bool = False   # an image tag that moves (latest, main-stable, none)
    digest: bool = False     # pinned by digest
    installs: tuple[str, ...] = ()  # what else the same file pip-installs (normalized names)

    def described(self, path: str) -> str:
        """Where the release came from, for the report."""
        what = {"image": "the image tag", "helm": "the Helm values image.tag",
                "requirement": "the requirement pin"}[self.kind]
        return f"{what} on line {self.line} of {path}"


def split_image(reference: str) -> tuple[str, str | None, str | None]:
    """(repository, tag, digest) of an image reference."""
    rest, _, digest = reference.partition("@")
    last = rest.rsplit("/", 1)[-1]
    if ":" in last:
        repository, tag = rest.rsplit(":", 1)
    else:
        repository, tag = rest, None
    return repository, tag or None, digest or None


def is_proxy_image(repository: str) -> bool:
    return bool(_PROXY_IMAGE.search(repository.lower())) and "litellm-gen" not in repository


def release_in_tag(tag: str | None) -> str | None:
    match = _RELEASE.search(tag or "")
    return match.group(1) if match else None


def image_pin(reference: str, line: int, column: int, kind: str = "image") -> Pin | None:
    repository, tag, digest = split_image(reference.strip())
    if not is_proxy_image(repository):
        return None
    release = release_in_tag(tag)
    return Pin(line, column, kind, reference.strip(), release,
               floating=release is None and digest is None, digest=digest is not None)


def yaml_pins(text: str) -> list[Pin]:
    """Proxy images in a manifest, compose file or Helm values file (every document)."""
    try:
        documents = list(yaml.compose_all(text, Loader=_Loader))
    except (yaml.YAMLError, RecursionError):
        return []
    pins: list[Pin] = []
    seen: set[int] = set()
    for document in documents:
        if document is not None:
            _walk(document, pins, 0, seen)
    return pins


def _walk(node, pins: list[Pin], depth: int, seen: set[int]) -> None:
    # Each node once: an alias bomb in a manifest's annotations is ~100 nodes, 9**10 uses.
    if depth > 60 or id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _walk(item, pins, depth + 1, seen)
        return
    if not isinstance(node, yaml.MappingNode):
        return
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "image":
            if isinstance(value, yaml.ScalarNode) and value.tag.endswith(":str"):
                pin = image_pin(value.value, value.start_mark.line + 1,
                                value.start_mark.column + 1)
                if pin is not None:
                    pins.append(pin)
                continue
            if isinstance(value, yaml.MappingNode):
                pin = _helm_image(value)
                if pin is not None:
                    pins.append(pin)
                    continue
        _walk(value, pins, depth + 1, seen)


def _helm_image(node: yaml.MappingNode) -> Pin | None:
    """image: {repository: ..., tag: ..., digest: ...} as Helm charts write it."""
    fields = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    repository = fields.get("repository")
    if not isinstance(repository, yaml.ScalarNode) or not is_proxy_image(str(repository.value)):
        return None
    tag, digest = fields.get("tag"), fields.get("digest")
    tag_text = str(tag.value) if isinstance(tag, yaml.ScalarNode) and tag.value else None
    has_digest = isinstance(digest, yaml.ScalarNode) and bool(digest.value)
    at = tag if tag_text else repository
    text = repository.value + (f":{tag_text}" if tag_text else "")
    release = release_in_tag(tag_text)
    # No tag: the chart runs its own appVersion, which the values file does not say.
    return Pin(at.start_mark.line + 1, at.start_mark.column + 1, "helm", text, release,
               floating=tag_text is not None and release is None and not has_digest,
               digest=has_digest)


def text_pins(text: str) -> list[Pin]:
    """Requirement pins and FROM images in requirements, pyproject or Dockerfile text; each
    knows what else the file installs."""
    installs = installed_names(text)
    return [dataclasses.replace(p, installs=installs) for p in _text_pins(text)]


_REQUIREMENT_LINE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*"
                               r"(?:[=<>!~;@]|$)")
_TOML_TABLE = re.compile(r"^\s*\[[\w.\"-]+\]\s*$")
_PIP_INSTALL = re.compile(r"\bpip3?\s+install\s+(.*)$")


def installed_names(text: str) -> tuple[str, ...]:
    """The distributions a requirements file lists, or a Dockerfile's `pip install`s name."""
    names = set()
    # A requirements file is a list; a Dockerfile or pyproject.toml installs only with pip.
    listed = not any(_FROM.match(line) or _TOML_TABLE.match(line) for line in text.splitlines())
    for line in text.replace("\\\n", " ").splitlines():
        code = line.split("#", 1)[0]
        install = _PIP_INSTALL.search(code)
        words = install.group(1).replace('"', " ").replace("'", " ").split() if install \
            else [code] if listed else []
        for word in words:
            match = _REQUIREMENT_LINE.match(word)
            if match and not word.startswith("-"):
                names.add(re.sub(r"[-_.]+", "-", match.group(1)).lower())
    return tuple(sorted(names))


def _text_pins(text: str) -> list[Pin]:
    pins: list[Pin] = []
    for number, line in enumerate(text.splitlines(), 1):
        code = line.split("#", 1)[0] if not line.lstrip().startswith("FROM") else line
        for match in _PIN.finditer(code):
            pins.append(Pin(number, match.start() + 1, "requirement", match.group(0).strip(),
                            _full(match.group(2)) if match.group(1) != "~=" else None))
        poetry = _POETRY_PIN.match(code)
        if poetry and not _PIN.search(code):
            pins.append(Pin(number, 1, "requirement", code.strip(), poetry.group(1)))
        image = _FROM.match(line)
        if image:
            pin = image_pin(image.group(1), number, image.start(1) + 1)
            if pin is not None:
                pins.append(pin)
    return pins


def _full(release: str) -> str:
    return release if release.count(".") >= 2 else release + ".0"


PIN_FILE = re.compile(r"^(requirements.*\.(txt|in)|constraints.*\.txt|pyproject\.toml|"
                      r"(Docker|Container)file(\..*)?|.*\.(Docker|Container)file)$",
                      re.IGNORECASE)


def is_pin_file(name: str) -> bool:
    """Files validate reads for pins alone: requirements, pyproject.toml, Dockerfiles."""
    return bool(PIN_FILE.match(name))


def release_pin(pins: list[Pin]) -> Pin | None:
    """The pin that says which release runs: the first that names one."""
    return next((p for p in pins if p.release is not None), None)


# LiteLLM's own images (ghcr.io, and Docker Hub's and docker.litellm.ai's copies): every
# tag of them (main-vR, main-vR-stable, main-stable, ...) is built by the same Dockerfiles.
_OFFICIAL_IMAGE = re.compile(r"^(?:(?:ghcr\.io|docker\.io|index\.docker\.io|"
                             r"docker\.litellm\.ai)/)?berriai/litellm(?:-database|-non_root)?$")
_EXTRAS = re.compile(r"litellm\s*\[([^\]]*)\]", re.IGNORECASE)


@dataclass(frozen=True)
class Packaging:
    """How the proxy's Python environment is made, which says which packages it has."""
    kind: str                         # "image": an official image; "pip": a pip install
    extras: tuple[str, ...] = ("proxy",)  # a pip install's extras
    image: str | None = None          # the official image's repository
    assumed: bool = False             # nothing says: validate assumes litellm[proxy]
    also: tuple[str, ...] = ()        # what the same requirements or Dockerfile installs

    @property
    def described(self) -> str:
        if self.kind == "image":
            return f"the official image {self.image}"
        return f"litellm[{','.join(self.extras)}]" if self.extras else "litellm"

    @property
    def assumption(self) -> str:
        """Said after what it lacks, when nothing says how the proxy is installed."""
        return (" (validate assumes a pip install: no official LiteLLM image is pinned here)"
                if self.assumed else "")


ASSUMED = Packaging("pip", assumed=True)


def packaging_of(pin: Pin) -> Packaging | None:
    """What a pin says of the packaging: an official image, a pip install with its extras;
    None for an image of another publisher (what it installs is its own)."""
    if pin.kind in ("image", "helm"):
        repository = split_image(pin.text)[0]
        return Packaging("image", (), repository, also=pin.installs) \
            if _OFFICIAL_IMAGE.match(repository.lower()) else None
    extras = _EXTRAS.search(pin.text)
    return Packaging("pip", tuple(sorted({e.strip().lower() for e in extras.group(1).split(",")
                                          if e.strip()})) if extras else (), also=pin.installs)


def deployment_packaging(pins: list[Pin]) -> Packaging | None:
    """The packaging of the first pin that says one (a floating tag says it too)."""
    return next((p for p in map(packaging_of, pins) if p is not None), None)
