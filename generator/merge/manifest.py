"""Kubernetes manifests: the LiteLLM config embedded in a ConfigMap as a literal block.

A fleet's proxy config usually lives in a ConfigMap (`data: config.yaml: |`), in the
same file as the Deployment that mounts it, with `---` between the documents. The
merge works on the embedded text exactly as Kubernetes mounts it (the block's value),
with every guarantee of a plain file, and the result goes back into the block line by
line: lines the merge kept are the manifest's own lines, byte for byte; new lines get
the block's indentation. Every byte outside the block scalar stays as it was.
Pure: no I/O.
"""
from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass
from typing import Sequence

import yaml

from generator.boundary.errors import UserError
from generator.merge.model import FileChange, Plan
from generator.merge.plan import MergeOptions, plan_merge

_K8S_OBJECT = (r"^apiVersion:[ \t]*\S.*^kind:[ \t]*\S|^kind:[ \t]*\S.*^apiVersion:[ \t]*\S")
# What makes a data value a LiteLLM config rather than some other file.
_LITELLM_SECTION = re.compile(
    r"^(model_list|general_settings|litellm_settings|router_settings)[ \t]*:", re.MULTILINE)
_STYLES = {"|": "a literal block (|)", ">": "a folded block (>)", '"': "a double-quoted string",
           "'": "a single-quoted string", None: "a plain string"}


@dataclass(frozen=True)
class EmbeddedConfig:
    """One LiteLLM config inside a ConfigMap's data."""
    document: int          # 0-based, among the file's documents
    configmap: str         # metadata.name
    key: str               # the data key, config.yaml as a rule
    style: str | None      # the scalar's style: "|" is the one litellm-gen edits
    line: int              # 1-based line of the data key
    content_start: int     # offset of the block's first content line
    content_end: int       # offset just past its last content line (line break included)
    indent: str            # the block's indentation
    value: str             # the config as Kubernetes mounts it
    item: int | None = None  # its ConfigMap's place among a List's items, if it is one

    @property
    def name(self) -> str:
        return f"{self.configmap}/{self.key}"

    @property
    def first_line(self) -> int:
        """The manifest line of the embedded text's line 1."""
        return self.line + 1


def looks_like_manifest(text: str) -> bool:
    """A Kubernetes object at the top level: `apiVersion:` and `kind:` at column 0."""
    return "apiVersion" in text and "kind" in text and re.search(
        _K8S_OBJECT, text, re.MULTILINE | re.DOTALL) is not None


def find_configs(text: str) -> list[EmbeddedConfig]:
    """Every ConfigMap data value that holds a LiteLLM config, in file order."""
    from generator.merge.scan import translate_yaml_error

    try:
        documents = list(yaml.compose_all(text, Loader=getattr(yaml, "CSafeLoader",
                                                                yaml.SafeLoader)))
    except yaml.YAMLError as exc:
        raise translate_yaml_error(exc, text) from None
    found = []
    for index, document in enumerate(documents):
        for item, node in _objects(document):
            if _get(node, "kind") != "ConfigMap":
                continue
            metadata = _node(node, "metadata")
            name = _get(metadata, "name") if metadata is not None else None
            data = _node(node, "data")
            if not isinstance(data, yaml.MappingNode):
                continue
            for key, value in data.value:
                if isinstance(value, yaml.ScalarNode) and _LITELLM_SECTION.search(value.value):
                    found.append(_embedded(text, index, str(name or "?"), key, value, item))
    return found


def _objects(document) -> list[tuple[int | None, object]]:
    """The Kubernetes objects of a document: itself, or the items of a List (what
    `kubectl get -o yaml` prints for several objects)."""
    if not isinstance(document, yaml.MappingNode):
        return []
    kind = _get(document, "kind")
    items = _node(document, "items")
    if isinstance(kind, str) and kind.endswith("List") and isinstance(items, yaml.SequenceNode):
        return [(i, node) for i, node in enumerate(items.value)
                if isinstance(node, yaml.MappingNode)]
    return [(None, document)]


def _node(mapping, key: str):
    if not isinstance(mapping, yaml.MappingNode):
        return None
    return next((v for k, v in mapping.value if isinstance(k, yaml.ScalarNode)
                 and k.value == key), None)


def _get(mapping, key: str):
    node = _node(mapping, key)
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _embedded(text: str, document: int, name: str, key, value, item: int | None
              ) -> EmbeddedConfig:
    style = value.style if value.style in ("|", ">", '"', "'") else None
    content_start = text.find("\n", value.start_mark.index)
    content_start = len(text) if content_start < 0 else content_start + 1
    # A literal block's value has one line per line of the block, blank ones included
    # (trailing blank lines only with |+): so many lines of the file are the block.
    content_end = content_start
    for _ in _value_lines(value.value) if style == "|" else ():
        at = text.find("\n", content_end)
        content_end = len(text) if at < 0 else at + 1
    return EmbeddedConfig(document, name, str(key.value), style, key.start_mark.line + 1,
                          content_start, content_end, "", value.value, item)


def select(configs: Sequence[EmbeddedConfig], wanted: str | None) -> EmbeddedConfig:
    """The one config to edit: the only one, or the one `--configmap NAME[/KEY]` names."""
    listed = ", ".join(f"{c.name} (line {c.line})" for c in configs)
    chosen = list(configs)
    if wanted:
        name, _, key = wanted.partition("/")
        chosen = [c for c in configs if c.configmap == name and (not key or c.key == key)]
        if not chosen:
            raise UserError(f"--configmap {wanted}: no ConfigMap data key of that name holds a "
                            f"LiteLLM config; found: {listed or 'none'}")
    if not chosen:
        raise UserError("this is a Kubernetes manifest, and no ConfigMap in it holds a LiteLLM "
                        "config (a data value with model_list, general_settings, "
                        "litellm_settings or router_settings)")
    if len(chosen) > 1:
        raise UserError("the manifest holds several LiteLLM configs; name one with --configmap "
                        f"NAME[/KEY]: {', '.join(f'{c.name} (line {c.line})' for c in chosen)}")
    return chosen[0]


def check_editable(text: str, config: EmbeddedConfig) -> EmbeddedConfig:
    """Refuse what cannot be edited line for line; return it with its indentation found."""
    where = dict(line=config.line)
    if config.style != "|":
        raise UserError(f"{config.name} is written as {_STYLES[config.style]}; litellm-gen edits "
                        "an embedded config written as a literal block (`config.yaml: |`), "
                        "where each line of the config is a line of the file", **where)
    if "{{" in config.value or "{%" in config.value:
        raise UserError(f"{config.name} holds template syntax ({{{{ ... }}}}): it is rendered "
                        "by Helm or another tool before Kubernetes sees it, so its text is not "
                        "the proxy's config; edit the values it is rendered from", **where)
    lines = _value_lines(config.value)
    region = text[config.content_start:config.content_end].splitlines(keepends=True)
    indent = _indentation(region, lines)
    if indent is None or len(region) != len(lines) or not all(
            _same_line(m, v, indent) for m, v in zip(region, lines)):
        raise UserError(f"{config.name}: the block's lines do not map one to one onto the "
                        "config's lines (a tab or an odd indentation?); litellm-gen will not "
                        "guess", **where)
    return dataclasses.replace(config, indent=indent)


def _value_lines(value: str) -> list[str]:
    lines = value.split("\n")
    return lines[:-1] if value.endswith("\n") else lines


def _indentation(region: list[str], lines: list[str]) -> str | None:
    for manifest_line, value_line in zip(region, lines):
        if value_line.strip():
            body = manifest_line.rstrip("\r\n")
            pad = len(body) - len(value_line)
            return body[:pad] if pad >= 0 and not body[:pad].strip(" ") else None
    return None


def _same_line(manifest_line: str, value_line: str, indent: str) -> bool:
    body = manifest_line.rstrip("\r\n")
    if value_line:
        return body == indent + value_line
    return not body.strip(" ") and len(body) <= len(indent)


def plan_config_merge(text: str, presets, options: MergeOptions) -> Plan:
    """plan_merge for a plain config; for a Kubernetes manifest, on its embedded config."""
    # --key-path names the place itself (an Argo CD Application's values, say).
    if options.configmap or (looks_like_manifest(text) and not options.key_path):
        return plan_manifest_merge(text, presets, options)
    return plan_merge(text, presets, options)


def embedded_text(text: str, configmap: str | None) -> tuple[str, int] | None:
    """For a manifest: the embedded config's text and the manifest line before its line 1."""
    if not configmap and not looks_like_manifest(text):
        return None
    config = select(find_configs(text), configmap)
    return config.value, config.first_line - 1


def plan_manifest_merge(text: str, presets, options: MergeOptions) -> Plan:
    """Merge the presets into the manifest's embedded config; the rest stays byte for byte.

    Proven as plan_merge is: the embedded config by plan_merge itself; the manifest by
    loading both versions (the other documents and keys must be equal, the edited value
    must be the merged config) and by merging the result again.
    """
    if options.key_path:
        raise UserError("--key-path and a Kubernetes manifest do not go together: the "
                        "config is found in the ConfigMap (--configmap NAME[/KEY] picks one)")
    config = check_editable(text, select(find_configs(text), options.configmap))
    plan, merged_config = _merge_embedded(text, config, presets, options)
    if plan.changed:
        _prove(text, plan, config, merged_config, presets, options)
    return plan


def _merge_embedded(text: str, config: EmbeddedConfig, presets, options: MergeOptions
                    ) -> tuple[Plan, str]:
    inner_options = dataclasses.replace(options, previous_output=_embedded_previous(
        options.previous_output, config))
    shift = config.first_line - 1
    try:
        inner = plan_merge(config.value, presets, inner_options)
    except UserError as exc:
        if exc.line is not None:
            exc.line += shift
            exc.column = exc.column + len(config.indent) if exc.column else None
        exc.message = shift_lines(exc.message, shift)
        raise
    new_text = _splice(text, config, inner.files[-1].edits)
    actions = tuple(dataclasses.replace(a, line=a.line + shift if a.line else None,
                                        reason=shift_lines(a.reason, shift))
                    for a in inner.actions)
    warnings = tuple(shift_lines(w, shift) for w in inner.warnings)
    return Plan((FileChange(options.output, text, new_text),), actions, warnings), inner.text


_LINE_NUMBER = re.compile(r"\b(lines? )(\d+)\b")


def shift_lines(message: str, shift: int) -> str:
    """Line numbers in a message about the embedded config, as lines of the manifest."""
    return _LINE_NUMBER.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + shift}", message)


def _embedded_previous(previous: str | None, config: EmbeddedConfig) -> str | None:
    """The embedded config of the output as it stands, for telling actions apart."""
    if previous is None or not looks_like_manifest(previous):
        return previous
    try:
        return select(find_configs(previous), config.name).value
    except UserError:
        return None


def _splice(text: str, config: EmbeddedConfig, edits: Sequence[tuple[int, int, str]]) -> str:
    """The manifest with the merge's edits made in the block: every line the merge kept is
    the manifest's own line, byte for byte; new lines get the block's indentation.

    Line i of the embedded config is line i of the block (check_editable made sure), so an
    offset in the config maps to one in the manifest in constant time: linear in all.
    """
    region = text[config.content_start:config.content_end]
    newline = "\r\n" if "\r\n" in region[:region.find("\n") + 1] else "\n"
    value_starts = _line_starts(config.value, 0)
    file_starts = _line_starts(region, config.content_start)
    pad = len(config.indent)

    def where(offset: int) -> tuple[int, bool]:
        """The manifest offset of a config offset, and whether it starts a line."""
        line = bisect.bisect_right(value_starts, offset) - 1
        if line >= len(file_starts) or value_starts[line] == len(config.value) != offset:
            return config.content_end, True
        column = offset - value_starts[line]
        return file_starts[line] + (pad + column if column else 0), not column

    out, pos = [], config.content_start
    for start, end, new in edits:
        at, line_start = where(start)
        out.append(text[pos:at])
        out.append(_reindented(new, config.indent, newline, line_start))
        pos = max(pos, where(end)[0])
    out.append(text[pos:config.content_end])
    return text[:config.content_start] + "".join(out) + text[config.content_end:]


def _line_starts(text: str, base: int) -> list[int]:
    starts, at = [base], text.find("\n")
    while at >= 0:
        starts.append(base + at + 1)
        at = text.find("\n", at + 1)
    return starts


def _reindented(new: str, indent: str, newline: str, line_start: bool) -> str:
    """Text the merge writes into the config, as it stands in the block: each line that
    starts a line gets the block's indentation (blank ones none), in the block's newline."""
    lines = new.split("\n")
    out = []
    for i, line in enumerate(lines):
        starts_line = i > 0 or line_start
        out.append((indent + line) if starts_line and line.strip() else line)
    return newline.join(out)


def _prove(text: str, plan: Plan, config: EmbeddedConfig, merged_config: str, presets,
           options: MergeOptions) -> None:
    """The new manifest loads, differs from the old only in the edited value, which is the
    merged config, and a second merge changes nothing."""
    from generator.merge.prove import ProofFailed

    def refuse(detail: str) -> ProofFailed:
        return ProofFailed(f"refusing to write: {detail}; nothing was written")
    try:
        after = select(find_configs(plan.text), config.name)
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        before_docs = list(yaml.load_all(text, Loader=loader))
        after_docs = list(yaml.load_all(plan.text, Loader=loader))
    except (UserError, yaml.YAMLError, ValueError, TypeError) as exc:
        raise refuse(f"the merged manifest would not load ({exc})") from None
    if after.value != merged_config or (after.document, after.item) != (config.document,
                                                                         config.item):
        raise refuse(f"the block of {config.name} would not hold the merged config")
    target = before_docs[config.document]
    if config.item is not None:
        target = target["items"][config.item]
    target["data"][config.key] = after.value
    if before_docs != after_docs:
        raise refuse("the merge would change the manifest outside the config's block")
    again = plan_manifest_merge(plan.text, presets, dataclasses.replace(
        options, previous_output=None))
    if again.changed:
        raise refuse("merging the result again would change it again")

