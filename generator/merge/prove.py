"""The proof every merge gives before anything is written, as black proves its output.

Its oracle is the proxy's own loader (loader.py), and it takes nothing from the plan but
the two texts and what the report tells the operator (which presets are in the block,
which of their entries were replaced). It shows that:
- the input loads as the proxy loads it (if not, it is refused at the loader's line and
  column, with the loader's reason and never the value);
- the output loads as the proxy loads it;
- the output's data is exactly the input's data with one change, computed here from the
  loaded input: model_list (under the key path) holds the operator's items, meaning every
  item outside the tool's fenced block however it reached the list, in order, minus those
  the report says were replaced, with the presets the report lists as one run where the
  old block stood (at the end when there was none); with --include-file, the block moves
  out and `include` gains the presets file; nothing else changes, compared strictly
  (types, key order, aliases and merge keys as loaded);
- merging the result again changes nothing.

A text of up to `WHOLE_LIMIT` characters (64 KiB) is loaded whole. A larger one is proven from a
cut: input and output are byte-identical up to the first edit, so both are cut at a line
before it where a model_list item or a key of model_list's mapping starts, and the two
tails are loaded under a header that reopens the same nesting (plus the top-level sections
that define anchors the tails use). The prefix is then the input's own bytes, which the
scan has read through. Pure: no I/O.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from typing import Callable, Sequence

import yaml

from generator.boundary.errors import UserError
from generator.boundary.loader import (
    ProxyDocument,
    first_difference,
    loaded_model_names,
    node_at,
    scalar_nodes,
)
from generator.merge.scan import ConfigScan, Entry, scan_config

_PLAIN_KEY = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*\Z")
# Texts up to this size are loaded whole by the proof (real configs are 1-20 KB, a
# 250-entry one ~64 KB); beyond it the proof reads the tail after the first edit.
WHOLE_LIMIT = 64 * 1024


class ProofFailed(UserError):
    """The merged text is not what the merge means; nothing may be written."""


def _refuse(detail: str, line: int | None = None) -> ProofFailed:
    return ProofFailed(f"refusing to write: {detail}; nothing was written", line=line)


@dataclass(frozen=True)
class Change:
    """What a merge did to one config text, as the proof needs it."""
    before: str
    after: str
    first_edit: int                 # offset of the first byte that may differ
    include_name: str | None = None  # --include-file: the name `include` must gain


@dataclass(frozen=True)
class Expected:
    """What the operator was told: the data of the block's items, in order, and the
    model_names whose operator entries --on-conflict replace removed."""
    presets: tuple[dict, ...]
    replaced: frozenset[str] = frozenset()


def check_aliases(before: ConfigScan, dropped: Sequence[Entry]) -> None:
    """Refuse, with a precise message, a merge that would change what an alias refers to
    (the proof would refuse it too, in more general words)."""
    aliases = before.data.aliases
    if not aliases:
        return
    for anchor, _ in before.data.changed_anchors:
        if anchor in aliases:
            raise _refuse(f"the anchor &{anchor} is on a mapping or list that the merge adds to, "
                          f"and an alias (*{anchor}) refers to it, so that alias would change "
                          "too; remove the anchor or the alias")
    for entry in dropped:
        for anchor in entry.anchors:
            if anchor in aliases:
                raise _refuse(f"the entry at line {entry.line} defines the anchor &{anchor} that "
                              f"an alias (*{anchor}) uses; removing the entry would break it",
                              entry.line)


Replan = Callable[[str, ConfigScan, tuple], str]


def prove(change: Change, scan: ConfigScan, key_path: Sequence[str], markers: Sequence[str],
          expected: Expected, replan: Replan, whole_limit: int = WHOLE_LIMIT) -> None:
    """Show that `change.after` is what the merge means, or raise ProofFailed.

    `scan` is the input's; `replan(text, scan, prefix_names)` merges `text` again and
    returns the result, `prefix_names` being (model_name, where) of entries a cut left out.
    """
    cut, in_models = (0, False) if len(change.before) <= whole_limit or change.include_name \
        else _cut(change, scan, key_path)
    header = _header(change.before, scan, key_path, cut, in_models) if cut else ""
    if header is None:
        cut, header = 0, ""
    loader = _loader_class(change.before, scan)
    try:
        _prove_from(cut, header, change, scan, key_path, markers, expected, replan, loader)
    except UserError:
        if not cut:
            raise
        # The tail could not stand on its own (an alias of an anchor the header did not
        # bring, say): the whole texts decide, and give the message.
        _prove_from(0, "", change, scan, key_path, markers, expected, replan, loader)


def _prove_from(cut: int, header: str, change: Change, scan: ConfigScan,
                key_path: Sequence[str], markers: Sequence[str], expected: Expected,
                replan: Replan, loader) -> None:
    shift = change.before.count("\n", 0, cut) - header.count("\n")
    tail_in = header + change.before[cut:]
    tail_out = header + change.after[cut:]
    try:
        before = ProxyDocument(tail_in, loader)
        want = expected_data(before, key_path, markers, expected, change.include_name)
    except UserError as exc:
        raise _shifted(exc, shift) from None
    try:
        after = ProxyDocument(tail_out, loader)
        after_data = after.data
    except UserError as exc:
        raise _refuse(f"the merged text would not load as the proxy loads it ({exc.message})",
                      exc.line + shift if exc.line else None) from None
    _compare(want, after_data, key_path, after, shift)
    skipped = _entries_before(scan, cut)
    try:
        again_scan = scan_config(tail_out, key_path, markers)
    except UserError as exc:
        raise _refuse(f"the merged text would not be read again ({exc.message})",
                      exc.line + shift if exc.line else None) from None
    if skipped:  # the full output's layout comes from its first entry, which the cut left out
        again_scan = _with_layout_of(again_scan, scan)
    again_scan = replace(again_scan, newline=scan.newline)  # the full text's first line decides
    entries = scan.model_list.entries[:skipped]
    if any(e.model_name is None for e in entries):  # behind an alias or merge key: as loaded
        names = loaded_model_names(change.before, key_path)
        entries = [e._replace(model_name=names[e.position]) if e.model_name is None
                   and e.position < len(names) else e for e in entries]
    prefix = tuple((e.model_name, f"line {e.line}") for e in entries if e.model_name is not None)
    if replan(tail_out, again_scan, prefix) != tail_out:
        raise _refuse("merging the result again would change it again")


def _shifted(exc: UserError, shift: int) -> UserError:
    if exc.line is not None:
        exc.line += shift
    return exc


def _loader_class(text: str, scan: ConfigScan):
    from generator.boundary.loader import loader_for
    return loader_for(text, scan.literal_spans if "\t" in text and scan.literal_spans
                      else None)


# -- what the output must hold -----------------------------------------------------------

def expected_data(document: ProxyDocument, key_path: Sequence[str], markers: Sequence[str],
                  expected: Expected, include_name: str | None = None):
    """The input's data as it must be after the merge, from the loaded input alone."""
    items_node = _model_list_node(document.node, key_path)
    owned, block_at = _owned_items(document, items_node, markers)
    data = document.data  # constructing flattens merge keys: nodes were read above
    container = data
    for key in key_path:
        container = container.get(key) if isinstance(container, dict) else None
    if not isinstance(data, dict) or not isinstance(container, dict):
        raise _refuse("the config as loaded is not a mapping that holds model_list")
    items = container.get("model_list")
    items = items if isinstance(items, list) else []
    theirs, at = [], None
    for i, item in enumerate(items):
        if i == block_at:
            at = len(theirs)
        if i in owned or (isinstance(item, dict) and item.get("model_name") in
                          expected.replaced):
            continue
        theirs.append(item)
    presets = [] if include_name is not None else list(expected.presets)
    at = len(theirs) if at is None else at
    new_items = theirs[:at] + presets + theirs[at:]
    if "model_list" in container or new_items:
        container = _with(container, "model_list", new_items)
    result = container
    for depth in range(len(key_path) - 1, -1, -1):
        parent = data
        for key in key_path[:depth]:
            parent = parent[key]
        result = _with(parent, key_path[depth], result)
    if include_name is not None:
        names = result.get("include")
        names = list(names) if isinstance(names, list) else []
        if include_name not in names:
            result = _with(result, "include", names + [include_name])
    return result


def _with(mapping: dict, key, value) -> dict:
    """A copy of `mapping` with `key` set (kept in its place, or added at the end)."""
    copy = dict(mapping)
    copy[key] = value
    return copy


def _model_list_node(node, key_path: Sequence[str]):
    for key in (*key_path, "model_list"):
        if not isinstance(node, yaml.MappingNode):
            return None
        node = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode)
                     and k.tag == "tag:yaml.org,2002:str" and k.value == key), None)
    return node if isinstance(node, yaml.SequenceNode) else None


def _owned_items(document: ProxyDocument, items_node, markers: Sequence[str]
                 ) -> tuple[set[int], int | None]:
    """Items between one BEGIN and the next END marker comment: the tool's own.

    A marker counts only as a comment line of its own outside every quoted or block
    scalar. Returns the items' positions and the position of the block's first item (or
    of the item after the block, where the new block goes), None without a block.
    """
    if items_node is None or not markers:
        return set(), None
    text = document.text
    found = sorted((at, kind) for kind, marker in enumerate(markers)
                   for at in _comment_lines(text, marker))
    if not found:
        return set(), None
    spans = _literal_spans(document.node)
    found = [(at, kind) for at, kind in found if not _inside(spans, at)]
    begins = [at for at, kind in found if kind == 0]
    ends = [at for at, kind in found if kind == 1]
    if len(begins) != 1 or len(ends) != 1 or ends[0] < begins[0]:
        return set(), None  # not a fence: every item is the operator's
    owned = set()
    block_at = None
    for i, item in enumerate(items_node.value):
        start = item.start_mark.index
        if begins[0] < start < ends[0]:
            owned.add(i)
        if block_at is None and start > begins[0]:
            block_at = i
    return owned, (len(items_node.value) if block_at is None else block_at)


def _comment_lines(text: str, marker: str) -> list[int]:
    found = []
    at = text.find(marker)
    while at >= 0:
        line_start = text.rfind("\n", 0, at) + 1
        if not text[line_start:at].strip(" \t"):
            found.append(at)
        at = text.find(marker, at + 1)
    return found


def _literal_spans(node) -> list[tuple[int, int]]:
    return sorted((n.start_mark.index, n.end_mark.index) for n in scalar_nodes(node)
                  if n.style in ("'", '"', "|", ">"))


def _inside(spans: list[tuple[int, int]], at: int) -> bool:
    i = bisect.bisect_right(spans, (at, float("inf"))) - 1
    return i >= 0 and spans[i][0] < at < spans[i][1]


def _compare(want, got, key_path: Sequence[str], after: ProxyDocument, shift: int) -> None:
    container = got
    for key in key_path:
        container = container.get(key) if isinstance(container, dict) else None
    wanted = want
    for key in key_path:
        wanted = wanted.get(key) if isinstance(wanted, dict) else None
    # A model_list left with nothing reads `model_list:` (null) where [] was meant: the same.
    if isinstance(container, dict) and isinstance(wanted, dict) and \
            container.get("model_list", 0) is None and wanted.get("model_list") == []:
        want = _replace_path(want, key_path, "model_list", None)
    found = first_difference(want, got)
    if found:
        node = node_at(after.node, found.path)
        line = node.start_mark.line + 1 + shift if node is not None else None
        raise _refuse(f"the merged file would not hold exactly your data plus the presets "
                      f"({found})", line)


def _replace_path(data, key_path, key, value):
    if not key_path:
        return _with(data, key, value)
    return _with(data, key_path[0], _replace_path(data[key_path[0]], key_path[1:], key, value))


# -- where the texts may be cut ----------------------------------------------------------

def _cut(change: Change, scan: ConfigScan, key_path: Sequence[str]) -> tuple[int, bool]:
    """Where both texts may be cut: (offset, whether it is inside model_list), or (0, False)."""
    text = change.before
    if any(not _PLAIN_KEY.match(k) for k in key_path) or scan.needs_whole:
        return 0, False
    best, in_models = 0, False
    for at in scan.container_keys:
        if at < change.first_edit and at > best:
            best, in_models = at, False
    ml = scan.model_list
    # The last entry whose line starts before the first edit and alone on its line: the
    # entries are in text order, so it is found walking back from the first edit (one
    # entry past it too: its line may start before the edit though its dash does not).
    for entry in reversed(ml.entries[:_entries_before(scan, change.first_edit) + 1]):
        line_start = text.rfind("\n", 0, entry.dash) + 1
        if line_start <= best:
            break
        if line_start < change.first_edit and not text[line_start:entry.dash].strip(" "):
            best, in_models = line_start, True
            break
    if in_models and best and not _layout_settled_before(scan, best):
        return 0, False
    if change.after[:best] != text[:best]:  # the cut must lie in the shared prefix
        return 0, False
    if any(e.model_name is None for e in ml.entries[_entries_before(scan, best + 1):]):
        return 0, False  # a name behind an alias is resolved by loading the whole text
    return best, in_models


def _entries_before(scan: ConfigScan, offset: int) -> int:
    """How many of model_list's entries start (at their dash) before `offset`."""
    return bisect.bisect_left(scan.model_list.entries, offset, key=_dash)


def _dash(entry: Entry) -> int:
    return entry.dash


def _layout_settled_before(scan: ConfigScan, cut: int) -> bool:
    """The entries before the cut fix the layout a second merge would use."""
    entries = scan.model_list.entries
    return bool(entries) and entries[0].dash < cut and scan.entry_step_at is not None and \
        entries[scan.entry_step_at].dash < cut


def _with_layout_of(after: ConfigScan, full: ConfigScan) -> ConfigScan:
    ml = replace(after.model_list, dash_column=full.model_list.dash_column,
                 item_column=full.model_list.item_column)
    return replace(after, model_list=ml, indent_step=full.indent_step)


def _header(text: str, scan: ConfigScan, key_path: Sequence[str], cut: int,
            in_models: bool) -> str | None:
    """Keys at the same columns as the text's, opening the mappings above the cut, after
    the top-level sections that define the anchors the tail's aliases use.

    None when the tail's aliases need an anchor the header cannot bring along.
    """
    newline = scan.newline
    sections = _anchor_sections(text, scan, cut, key_path)
    if sections is None:
        return None
    columns = scan.path_columns
    lines = [" " * columns[i] + key + ":" for i, key in enumerate(key_path)]
    if in_models:
        lines.append(" " * columns[len(key_path)] + "model_list:")
    return "".join(sections) + "".join(line + newline for line in lines)


def _anchor_sections(text: str, scan: ConfigScan, cut: int, key_path: Sequence[str]
                     ) -> list[str] | None:
    """The text of each top-level section before the cut that defines an anchor an alias
    after the cut uses; None when such an anchor lies elsewhere (nested, or in model_list)."""
    defined = {name: at for name, at in scan.anchors if at < cut}
    used = {name for name, at in scan.alias_log if at >= cut and name in defined}
    # An anchor defined again after the cut: the alias may use that one; the loader decides.
    if not used:
        return []
    if key_path:
        return None
    starts = sorted(scan.container_keys)  # the root's keys, without a key path
    chosen: dict[int, str] = {}
    for name in used:
        at = defined[name]
        i = bisect.bisect_right(starts, at) - 1
        if i < 0 or i + 1 >= len(starts) or starts[i + 1] > cut:
            return None  # in the section the cut falls in (model_list): not separable
        chosen[starts[i]] = text[starts[i]:starts[i + 1]]
    return [chosen[at] for at in sorted(chosen)]
