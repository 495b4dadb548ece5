"""The merge: config text + rendered presets -> new text + the actions taken.

Pure: no files, no printing, no clock. The operator's bytes never pass through
a YAML emitter; the tool's entries live in one block fenced by marker comments
(as Ansible's blockinfile does) and the new block is spliced into the original
text at offsets found by `scan_config`. A later run finds the block by its
markers and replaces it whole, so the tool updates only what it wrote.
"""
from __future__ import annotations

import dataclasses
import posixpath
import re
from dataclasses import dataclass
from typing import Sequence

import yaml

from generator.boundary.errors import UserError
from generator.boundary.loader import ProxyDocument, first_difference, loaded_model_names
from generator.merge.block import (
    BEGIN_MARKER,
    END_MARKER,
    MARKERS,
    Block,
    begin_line,
    block_items,
    find_block,
    line_end,
    marker_lines,
)
from generator.merge.model import CONFLICT_POLICIES, Action, FileChange, Plan, PresetEntry
from generator.merge.prove import WHOLE_LIMIT, Change, Expected, ProofFailed, check_aliases, prove
from generator.merge.scan import ConfigScan, Entry, scan_config


@dataclass(frozen=True)
class MergeOptions:
    on_conflict: str = "skip"
    key_path: tuple[str, ...] = ()
    # model_name -> "file:line" of entries the config pulls in through `include:`
    included_names: tuple[tuple[str, str], ...] = ()
    # The output as it stands, when it is another file: actions are told against it.
    previous_output: str | None = None
    # In a Kubernetes manifest: the ConfigMap (NAME or NAME/KEY) whose config to edit.
    configmap: str | None = None
    # The merged config's path as the operator named it: the plan's name for that file.
    output: str = "config.yaml"
    # Texts up to this many characters are proven whole (see prove.py); tests vary it.
    whole_proof_limit: int = WHOLE_LIMIT
    # The options that chose the presets, as the BEGIN line records them (" --only tts").
    selection: str = ""


@dataclass(frozen=True)
class Layout:
    """How the file indents model_list items, so new entries look like the operator's."""
    dash_column: int
    item_column: int
    step: int
    newline: str


# For files litellm-gen writes whole (render, --include-file): the common two-space style.
STANDALONE_LAYOUT = Layout(dash_column=2, item_column=4, step=2, newline="\n")


def plan_merge(text: str, presets: Sequence[PresetEntry],
               options: MergeOptions = MergeOptions()) -> Plan:
    """Merge `presets` into the model_list of `text` (a decoded config without BOM).

    The result is proven before it is returned (see prove.py): it loads as the proxy
    loads it, holds the input's data plus exactly what was asked, and merging it again
    changes nothing.
    """
    scan = scan_config(text, options.key_path, MARKERS)
    refuse_inherited(text, scan, options.key_path)
    refuse_nested(text, scan, options.key_path)
    plan, change = _draft_inline(text, scan, presets, options)
    if change is not None:
        prove_merge(change, scan, plan, presets, options)
    return plan


def prove_merge(change: Change, scan: ConfigScan, plan: Plan, presets: Sequence[PresetEntry],
                options: MergeOptions) -> None:
    """The proof plan_merge gives `change.after` (see prove.py); ProofFailed if it fails."""
    prove(change, scan, options.key_path, MARKERS, expected_of(plan, presets),
          _replanner(presets, options), options.whole_proof_limit)


def refuse_nested(text: str, scan: ConfigScan, key_path: Sequence[str]) -> None:
    """A Helm values file (or another file that nests the proxy config) taken for a config:
    a model_list added at the top would be one the chart never reads."""
    if key_path or scan.model_list.shape != "missing":
        return
    key = nested_config_key(ProxyDocument(text).data)
    if key is not None:
        raise UserError(f"there is no model_list at the top of this file, but {key}.model_list "
                        f"exists: the proxy config is nested under {key} (as in the LiteLLM "
                        f"Helm chart's values.yaml); run again with --key-path {key}")


def nested_config_key(data) -> str | None:
    """The top-level key whose mapping holds model_list, in a file without one at the top."""
    if not isinstance(data, dict) or "model_list" in data:
        return None
    return next((str(k) for k, v in data.items() if isinstance(v, dict) and "model_list" in v),
                None)


def refuse_inherited(text: str, scan: ConfigScan, key_path: Sequence[str],
                     include: bool = False) -> None:
    """Refuse to write an explicit model_list (or include) that would hide the one a merge
    key (`<<: *base`) gives the mapping: the proxy would then see only the presets."""
    checks = [("model_list", scan.model_list.shape == "missing", scan.container_merge_at,
               key_path)]
    if include:
        checks.append(("include", scan.include_list is None, scan.root_merge_at, ()))
    for key, absent, merge_at, path in checks:
        if not absent or merge_at is None:
            continue
        data = ProxyDocument(text).data
        for step in path:
            data = data.get(step) if isinstance(data, dict) else None
        if isinstance(data, dict) and key in data:
            line = text.count("\n", 0, merge_at) + 1
            raise UserError(f"{key} comes from the merge key (<<) on line {line}: an explicit "
                            f"{key} written here would hide the one it brings, and the proxy "
                            f"would see only what litellm-gen adds; write {key} in this mapping "
                            "yourself (copy it from the mapping the merge key names), then run "
                            "again", line=line)


def expected_of(plan: Plan, presets: Sequence[PresetEntry]) -> Expected:
    """What the report tells the operator, as the proof checks it: the presets in the block,
    in order, and the model_names whose entries --on-conflict replace removed."""
    by_name = {p.name: p for p in presets}
    kept = [by_name[a.name].data for a in plan.actions
            if a.kind in ("added", "updated", "unchanged", "replaced") and a.name in by_name]
    return Expected(tuple(kept), frozenset(a.model_name for a in plan.actions
                                           if a.kind == "replaced"))


def _replanner(presets: Sequence[PresetEntry], options: MergeOptions):
    """The second run, on a text the proof cut: entries left out still count as conflicts."""
    second = dataclasses.replace(options, previous_output=None)

    def replan(text: str, scan: ConfigScan, prefix_names: tuple) -> str:
        opts = dataclasses.replace(second, included_names=second.included_names + prefix_names)
        return _draft_inline(text, scan, presets, opts)[0].text
    return replan


def _draft_inline(text: str, scan: ConfigScan, presets: Sequence[PresetEntry],
                  options: MergeOptions) -> tuple[Plan, Change | None]:
    block, theirs = _split(text, scan, options)
    resolved = _resolve_conflicts(theirs, presets, options)
    layout = detect_layout(text, scan)
    items = [render_entry(p, layout) for p in resolved.keep]
    new_block = _fence(items, layout, options.selection)
    dropped = list(resolved.removals) + list(block.entries if block else ())
    check_aliases(scan, dropped)
    edits = _removal_edits(text, resolved.removals)
    if block is not None:
        edits.append((block.start, block.end, new_block))
    elif items:
        edits.extend(_insertion(text, scan, new_block, layout))
    edits = _settled(text, edits)
    new_text = _apply(text, edits)

    first_line = new_text.count("\n", 0, _block_offset(edits)) + 2 if items else 0
    before = (block_items(options.previous_output) if options.previous_output is not None
              else block_items(text, block))
    actions = resolved.actions + _describe(before, resolved, items, first_line)
    plan = Plan((FileChange(options.output, text, new_text, tuple(edits)),),
                _in_order(actions, presets), scan.warnings)
    if new_text == text:
        return plan, None
    return plan, Change(text, new_text, min(e[0] for e in edits))


INCLUDE_HEADER = ("# Generated by litellm-gen (`litellm-gen merge --include-file`): OpenAI-only "
                  "model presets.\n# Do not edit: the next merge rewrites this file. The proxy "
                  "reads it through the\n# `include:` list of its config.\n")


def plan_include_merge(text: str, include_text: str | None, include_name: str,
                       presets: Sequence[PresetEntry], options: MergeOptions = MergeOptions()
                       ) -> Plan:
    """Write the presets into the file `include_name` and make `text` include it.

    The plan's first file is the included one (its path relative to the output's folder,
    where the proxy looks for it), the config second.

    Proven as plan_merge is: both texts load, the config holds its data plus the include
    line (minus a block that moved out), the included file holds the presets, and a
    second run changes neither.
    """
    if include_text is not None and not include_text.startswith(INCLUDE_HEADER.split("\n")[0]):
        raise UserError(f"{include_name} exists and was not written by litellm-gen; refusing to "
                        "overwrite it (choose another --include-file)",
                        path=include_path(options, include_name))
    if include_text is not None and not _only_the_tools(include_text):
        raise UserError(f"{include_name} was changed outside litellm-gen's block (it is written "
                        "whole by every merge, so those lines would be lost); move them into "
                        "the config, or delete the file to have it written anew",
                        path=include_path(options, include_name))
    scan = scan_config(text, options.key_path, MARKERS)
    refuse_inherited(text, scan, options.key_path, include=True)
    refuse_nested(text, scan, options.key_path)
    plan, change = _draft_include(text, scan, include_text, include_name, presets, options)
    expected = expected_of(plan, presets)
    if change is not None:
        second = dataclasses.replace(options, previous_output=None)

        def replan(config: str, config_scan: ConfigScan, prefix_names: tuple) -> str:
            opts = dataclasses.replace(second,
                                       included_names=second.included_names + prefix_names)
            return _draft_include(config, config_scan, plan.files[0].after, include_name,
                                  presets, opts)[0].text
        prove(change, scan, options.key_path, MARKERS, expected, replan,
              options.whole_proof_limit)
    new_include = plan.files[0].after
    if new_include != include_text:  # a whole file of the tool's own: proven whole
        _prove_included(new_include, expected, plan.files[0].path)
    return plan


def _only_the_tools(include_text: str) -> bool:
    """The presets file holds what the tool writes and nothing else, block aside."""
    if include_text in (INCLUDE_HEADER + "model_list: []\n",):
        return True
    markers = marker_lines(include_text)
    if [kind for kind, _, _ in markers] != ["begin", "end"]:
        return False
    start, end = markers[0][1], line_end(include_text, markers[1][2])
    return include_text[:start] + include_text[end:] == INCLUDE_HEADER + "model_list:\n"


def _prove_included(text: str, expected: Expected, path: str) -> None:
    """The presets file loads, as the proxy loads it, to exactly the presets."""
    try:
        data = ProxyDocument(text).data
    except UserError as exc:
        raise ProofFailed(f"refusing to write: the presets file would not load as the proxy "
                          f"loads it ({exc.message}); nothing was written", path=path) from None
    found = first_difference({"model_list": list(expected.presets)}, data)
    if found:
        raise ProofFailed(f"refusing to write: the presets file would not hold exactly the "
                          f"presets ({found}); nothing was written", path=path)


def _draft_include(text: str, scan: ConfigScan, include_text: str | None, include_name: str,
                   presets: Sequence[PresetEntry], options: MergeOptions
                   ) -> tuple[Plan, Change | None]:
    block, theirs = _split(text, scan, options)
    resolved = _resolve_conflicts(theirs, presets, options)
    newline = detect_layout(text, scan).newline
    dropped = list(resolved.removals) + list(block.entries if block else ())
    check_aliases(scan, dropped)
    edits = _removal_edits(text, resolved.removals)
    if block is not None:  # the presets move from the config to the included file
        edits.append((block.start, block.end, ""))
    if include_name not in scan.includes:
        edits.extend(_include_edits(text, scan, include_name, newline))
    edits = _settled(text, edits)
    new_text = _apply(text, edits)

    layout = STANDALONE_LAYOUT
    items = [render_entry(p, layout) for p in resolved.keep]
    new_include = INCLUDE_HEADER + ("model_list:\n" + _fence(items, layout, options.selection)
                                    if items
                                    else "model_list: []\n")
    first_line = INCLUDE_HEADER.count("\n") + 3
    actions = resolved.actions + _describe(block_items(include_text or ""), resolved, items,
                                           first_line)
    plan = Plan((FileChange(include_path(options, include_name), include_text, new_include),
                 FileChange(options.output, text, new_text)), _in_order(actions, presets),
                scan.warnings)
    change = None if new_text == text else Change(text, new_text, min(e[0] for e in edits),
                                                  include_name)
    return plan, change


def include_path(options: MergeOptions, include_name: str) -> str:
    """The included file's path: the proxy resolves it against the config's folder."""
    return posixpath.join(posixpath.dirname(options.output), include_name)


def _include_edits(text: str, scan: ConfigScan, name: str, newline: str
                   ) -> list[tuple[int, int, str]]:
    import json  # quoting an odd file name is rare; most runs never need the module

    # Plain only where YAML reads it back as this string (not `null`, `true`, `1.5`, `-`).
    plain = re.fullmatch(r"[A-Za-z0-9_./-]+", name) and yaml.safe_load(name) == name
    shown = name if plain else json.dumps(name)
    found = scan.include_list
    pad = " " * scan.indent_step
    if found is None:
        at = len(text)
        return [(at, at, f"include:{newline}{pad}- {shown}{newline}")]
    if found.shape == "block":
        at = line_end(text, found.value_end)
        return [(at, at, " " * found.dash_column + f"- {shown}{newline}")]
    if found.shape == "flow":
        raise UserError("the config's include: is a flow list ([...]); write it as a block list "
                        "(one '- file' per line) so litellm-gen can add its file without "
                        "reformatting yours", line=text.count("\n", 0, found.key_end) + 1)
    return _below_empty_value(text, found.key_end, found.value_start, found.value_end,
                              f"{pad}- {shown}{newline}")


def _split(text: str, scan: ConfigScan, options: MergeOptions
           ) -> tuple["Block | None", list[Entry]]:
    """The tool's block, and the operator's entries with every model_name resolved."""
    block = find_block(text, scan)
    owned = set(block.entries) if block else set()
    theirs = [e for e in scan.model_list.entries if e not in owned]
    if any(e.model_name is None for e in theirs):
        names = loaded_model_names(text, options.key_path)
        theirs = [e if e.model_name is not None else e._replace(
            model_name=names[e.position] if e.position < len(names) else None)
            for e in theirs]
    return block, theirs


@dataclass
class _Resolution:
    keep: list[PresetEntry]
    actions: list[Action]
    removals: list[Entry]       # the operator's entries that --on-conflict replace removes
    shared: set[str]            # model groups the presets join (--on-conflict add)


def _resolve_conflicts(theirs: Sequence[Entry], presets: Sequence[PresetEntry],
                       options: MergeOptions) -> _Resolution:
    """Which presets go in, given the operator's entries of the same model_name."""
    if options.on_conflict not in CONFLICT_POLICIES:
        raise UserError(f"--on-conflict must be one of {', '.join(CONFLICT_POLICIES)}")
    result = _Resolution([], [], [], set())
    by_name: dict[str, list[Entry]] = {}
    for entry in theirs:
        if entry.model_name is not None:
            by_name.setdefault(entry.model_name, []).append(entry)
    included = dict(options.included_names)
    conflicts = []
    first_line = None
    for preset in presets:
        mine = by_name.get(preset.model_name, [])
        where = [f"line {e.line}" for e in mine]
        if preset.model_name in included:
            where.append(included[preset.model_name])
        if not where:
            result.keep.append(preset)
            continue
        policy = options.on_conflict
        if policy == "skip":
            result.actions.append(Action(
                "skipped", preset.name, None, f"your entry for model_name {preset.model_name!r} "
                f"at {', '.join(where)} is kept (--on-conflict replace|add to change that)",
                preset.model_name))
        elif policy == "error":
            conflicts.append(f"{preset.model_name!r} at {', '.join(where)}")
            first_line = first_line or (mine[0].line if mine else None)
        elif policy == "add":
            result.keep.append(preset)
            result.shared.add(preset.model_name)
        elif not mine:  # replace, but only an included file defines it: not ours to edit
            result.actions.append(Action(
                "skipped", preset.name, None, f"model_name {preset.model_name!r} is defined in "
                f"{', '.join(where)}, which litellm-gen does not edit", preset.model_name))
        else:
            result.keep.append(preset)
            result.removals.extend(mine)
    if conflicts:
        raise UserError("the config already defines " + "; ".join(conflicts) +
                        " (--on-conflict skip|replace|add decides what to do)", line=first_line)
    return result


def _removal_edits(text: str, removals: Sequence[Entry]) -> list[tuple[int, int, str]]:
    """Whole lines of each removed entry, with the comment lines right above it."""
    return [(_comment_start(text, e), line_end(text, e.end), "") for e in removals]


def _comment_start(text: str, entry: Entry) -> int:
    """Start of the entry's line, or of the comment lines that sit right above its dash.

    Comments at the dash's column with no blank line between describe the entry
    ("# speech-to-text served locally"); they go with it. The fence markers never do.
    """
    start = text.rfind("\n", 0, entry.dash) + 1
    column = entry.dash - start
    while start > 0:
        above = text.rfind("\n", 0, start - 1) + 1
        line = text[above:start].rstrip("\r\n")
        if not line.startswith(" " * column + "#") or any(m in line for m in MARKERS):
            break
        start = above
    return start


def _in_order(actions: list[Action], presets: Sequence[PresetEntry]) -> tuple[Action, ...]:
    order = {p.name: i for i, p in enumerate(presets)}
    return tuple(sorted(actions, key=lambda a: (a.kind == "removed",
                                                order.get(a.name, len(order)), a.shown)))


def detect_layout(text: str, scan: ConfigScan) -> Layout:
    ml = scan.model_list
    newline = scan.newline
    if ml.dash_column is not None and ml.item_column is not None:
        return Layout(ml.dash_column, ml.item_column, scan.indent_step, newline)
    dash = ml.container_column + scan.indent_step
    return Layout(dash, dash + 2, scan.indent_step, newline)


def render_entry(preset: PresetEntry, layout: Layout) -> str:
    """The preset's two-space YAML re-indented as one item of the file's model_list."""
    lines = []
    for i, line in enumerate(preset.text.rstrip("\n").split("\n")):
        stripped = line.lstrip(" ")
        level, odd = divmod(len(line) - len(stripped), 2)
        pad = " " * (layout.item_column + level * layout.step + odd)
        if i == 0:
            pad = " " * layout.dash_column + "-" + " " * (layout.item_column - layout.dash_column
                                                          - 1)
        lines.append((pad + stripped).rstrip() if stripped else "")
    item = layout.newline.join(lines) + layout.newline
    # A template whose layout cannot be re-indented must not produce a different entry.
    if yaml.load(item.replace("\r\n", "\n"), Loader=getattr(yaml, "CSafeLoader",
                                                           yaml.SafeLoader)) != [preset.data]:
        raise UserError("template cannot be re-indented to the config's layout without "
                        "changing it; write it with two-space indentation and flow lists",
                        path=preset.template)
    return item


def render_block(presets: Sequence[PresetEntry], layout: Layout) -> str:
    """The fenced block of `presets` as it would stand in the file ("" for none)."""
    return _fence([render_entry(p, layout) for p in presets], layout)


def _fence(items: Sequence[str], layout: Layout, selection: str = "") -> str:
    if not items:
        return ""
    pad = " " * layout.dash_column
    return pad + begin_line(selection) + layout.newline + "".join(items) + pad + END_MARKER + layout.newline


def _insertion(text: str, scan: ConfigScan, block: str, layout: Layout
               ) -> list[tuple[int, int, str]]:
    ml = scan.model_list
    if ml.shape == "block":
        return [(line_end(text, ml.content_end), line_end(text, ml.content_end), block)]
    if ml.shape in ("null", "empty-flow"):
        _refuse_rewriting_empty_value(text, ml)
        return _below_empty_value(text, ml.key_end, ml.value_start, ml.value_end, block)
    # No model_list yet: append the key after the mapping's last content.
    at = line_end(text, ml.content_end)
    if not scan.model_list.container_column and "\n..." not in text[at - 1:]:
        at = len(text)  # at the root: at the very end, after any trailing comments
    head = " " * ml.container_column + "model_list:" + layout.newline
    return [(at, at, head + block)]


def _refuse_rewriting_empty_value(text: str, ml) -> None:
    """Only `model_list: []` may lose its value (the one line a first merge changes, and
    documented as such); any other empty value would be a second kind of change to a line
    of yours: say how to write it so that the merge only adds lines."""
    written = text[ml.key_end:ml.value_end].lstrip(" \t").removeprefix(":")
    if ml.value_end == ml.value_start or "".join(written.split(" ")).strip("\t") == "[]":
        return
    line = text.count("\n", 0, ml.key_end) + 1
    shown = " ".join(written.split()) + (" (on the line below)" if "\n" in written else "")
    raise UserError(f"model_list: {shown} would have to be rewritten to add the presets, a "
                    "change to a line of yours; write `model_list: []` or `model_list:` with "
                    "nothing after it (an anchor or a tag may stay: `model_list: &models`), "
                    "then run again", line=line)


def _below_empty_value(text: str, key_end: int, value_start: int, value_end: int, lines: str
                       ) -> list[tuple[int, int, str]]:
    """`key: []` (or `~`, `null`, or nothing) gives way to `lines` below it.

    Only the empty value's own token goes: an anchor or a tag before it and a comment after
    it stay (`model_list: &models []` becomes `model_list: &models` over the block), and a
    token alone on its line takes that line with it.
    """
    at = line_end(text, value_end)
    edits = [(at, at, lines)]
    if value_end > value_start:
        if text[value_end - 1] == "]":
            token = text.rfind("[", value_start, value_end)
        else:
            token = value_end
            while token > value_start and text[token - 1] not in " \t\n":
                token -= 1
        line_start = text.rfind("\n", 0, token) + 1
        rest_of_line = text[value_end:at]
        if line_start > key_end and not text[line_start:token].strip(" \t") and \
                not rest_of_line.strip():
            edits.insert(0, (line_start, at, ""))  # the token's own line: gone whole
        else:
            start = token
            while start > key_end and text[start - 1] in " \t":
                start -= 1
            edits.insert(0, (start, value_end, ""))
    return edits


def _settled(text: str, edits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The edits in order, as they apply: a file that lacked a final newline keeps lacking
    one."""
    settled = []
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1])):
        if end == len(text) and text and not text.endswith("\n"):
            nl = "\r\n" if "\r\n" in text else "\n"
            if not new and text[:start].endswith(nl):
                start -= len(nl)
            elif new.endswith(nl):
                new = (nl if start == len(text) else "") + new[:-len(nl)]
        settled.append((start, end, new))
    return settled


def _apply(text: str, edits: Sequence[tuple[int, int, str]]) -> str:
    """`text` with settled edits applied."""
    out = []
    pos = 0
    for start, end, new in edits:
        out.append(text[pos:start])
        out.append(new)
        pos = max(pos, end)
    out.append(text[pos:])
    return "".join(out)


def _block_offset(edits: Sequence[tuple[int, int, str]]) -> int:
    """Where the new block's BEGIN line stands in the merged text (the edit that writes it)."""
    shift = 0
    for start, end, new in edits:
        at = new.find(BEGIN_MARKER + ": generated by")
        if at >= 0:
            return start + shift + at
        shift += len(new) - (end - start)
    return -1


def _describe(old_items: dict[str, str], resolved: _Resolution, items: Sequence[str],
              first_line: int) -> list[Action]:
    """Compare the old block's entries with the new one's, preset by preset."""
    actions = []
    line = first_line
    replaced = {e.model_name for e in resolved.removals}
    for preset, item in zip(resolved.keep, items):
        before = old_items.pop(preset.model_name, None)
        if preset.model_name in replaced:
            kind, reason = "replaced", "your entry was removed (--on-conflict replace)"
        elif before is None:
            kind, reason = "added", ("beside your deployments of this model group "
                                     "(--on-conflict add)" if preset.model_name in resolved.shared
                                     else "")
        else:
            kind, reason = ("unchanged" if before == item else "updated"), ""
        actions.append(Action(kind, preset.name, line, reason, preset.model_name))
        line += item.count("\n")
    for model_name in old_items:
        actions.append(Action("removed", "", None, "no longer selected", model_name))
    return actions
