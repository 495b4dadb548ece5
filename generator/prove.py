"""The proof a merge gives before anything is written, as black proves its output.

For the text a merge produces, it shows that:
- the text loads as the proxy loads it: the full scan (libyaml plus the checks of the
  constructs where the proxy's pure-Python loader differs) accepts it;
- its data is the input's data with the expected model_list items and nothing else:
  the scans' tokens (one per YAML event, marks left out) are compared, skeleton and
  entry by entry;
- no alias changes meaning: no alias refers to an anchor on a mapping the merge grows
  (the root, the key path, model_list, include) or on an entry it removes;
- merging the result again changes nothing: the caller's `replan` runs on it.

Only the tail is read again. Input and output are byte-identical up to the first edit,
so both are cut at the last line before it where a sibling node starts (an entry's
dash, or a key of model_list's mapping): the parser's state there is fully given by
the nesting, which a short header of keys at the same columns rebuilds. Files whose
meaning can reach across the cut (aliases, merge keys, tabs) are proven whole.
Pure: no I/O.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from typing import Callable, Sequence

from .errors import UserError
from .scan import ConfigScan, Entry, scan_config

_PLAIN_KEY = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*\Z")


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
    dropped: frozenset[int]         # positions of input items that are gone
    block_start: int | None         # position of the old block's first item, if any
    new_items: tuple                # token lists of the new block's items
    include_name: str | None = None


def check_aliases(before: ConfigScan, dropped: Sequence[Entry]) -> None:
    """Refuse a merge that would change what an alias of the input refers to."""
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
          newline: str, replan: Replan) -> None:
    """Show that `change.after` is what the merge means, or raise ProofFailed.

    `replan(text, scan, prefix_names)` merges `text` again and returns the result;
    `prefix_names` are (model_name, where) of entries left out of `text` by the cut.
    """
    cut, in_models = _cut(change, scan, key_path)
    header = _header(scan, key_path, in_models, newline) if cut else ""
    tail_in = header + change.before[cut:]
    tail_out = header + change.after[cut:]
    shift = change.before.count("\n", 0, cut) - header.count("\n")
    known = scan.anchors_before(cut) if cut else None
    before = scan_config(tail_in, key_path, markers, record=True, known_anchors=known)
    skipped = _entries_before(scan, cut)
    items = expected_items(before, {p - skipped for p in change.dropped},
                           None if change.block_start is None else change.block_start - skipped,
                           change.new_items)
    after = prove_text(before, tail_out, key_path, items, change.include_name, markers, shift,
                       known)
    if skipped:  # the full output's layout comes from its first entry, which the cut left out
        after = _with_layout_of(after, scan)
    after = replace(after, newline=scan.newline)  # the full text's first line decides
    prefix = tuple((e.model_name, f"line {e.line}") for e in scan.model_list.entries[:skipped]
                   if e.model_name is not None)
    if replan(tail_out, after, prefix) != tail_out:
        raise _refuse("merging the result again would change it again")


def _cut(change: Change, scan: ConfigScan, key_path: Sequence[str]) -> tuple[int, bool]:
    """Where both texts may be cut: (offset, whether it is inside model_list), or (0, False)."""
    text = change.before
    if any(not _PLAIN_KEY.match(k) for k in key_path):
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
        if line_start < change.first_edit and not text[line_start:entry.dash].strip(" ") and \
                entry.position not in change.dropped:
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


def _header(scan: ConfigScan, key_path: Sequence[str], in_models: bool, newline: str) -> str:
    """Keys at the same columns as the text's, opening the mappings above the cut."""
    columns = scan.path_columns
    lines = [" " * columns[i] + key + ":" for i, key in enumerate(key_path)]
    if in_models:
        lines.append(" " * columns[len(key_path)] + "model_list:")
    return "".join(line + newline for line in lines)


def expected_items(before: ConfigScan, dropped_positions: set[int], block_start: int | None,
                   new_items: Sequence[tuple]) -> list[tuple]:
    """The token lists of model_list's items after the merge, in order."""
    items: list[tuple] = []
    placed = False
    for entry in before.model_list.entries:
        if entry.position == block_start:
            items.extend(new_items)
            placed = True
        if entry.position not in dropped_positions:
            items.append(entry.tokens)
    if not placed:
        items.extend(new_items)
    return items


def prove_text(before: ConfigScan, after_text: str, key_path: Sequence[str],
               items: Sequence[tuple], include_name: str | None = None,
               markers: Sequence[str] = (), line_shift: int = 0,
               known_anchors: dict[str, str] | None = None) -> ConfigScan:
    """Scan `after_text` and show its data is `before`'s with `items` as model_list's items.

    `before` must have been scanned with record=True. With `include_name`, the top-level
    include list must also have gained that name. Returns the scan of `after_text`.
    """
    try:
        after = scan_config(after_text, key_path, markers, record=True,
                            known_anchors=known_anchors)
    except UserError as exc:
        raise _refuse(f"the merged text would not load as the proxy loads it ({exc.message})",
                      exc.line + line_shift if exc.line else None) from None
    expected = _expected_skeleton(before, bool(items), include_name)
    actual = _normalized(after.data.skeleton)
    if actual != expected:
        raise _refuse("the merge would change data outside model_list (" +
                      _first_difference(expected, actual) + "); litellm-gen cannot edit this "
                      "construct without changing it")
    got = [e.tokens for e in after.model_list.entries]
    if got != list(items):
        at = next((i for i, (a, b) in enumerate(zip(got, items)) if a != b),
                  min(len(got), len(items)))
        entries = after.model_list.entries
        line = entries[at].line + line_shift if at < len(entries) else None
        raise _refuse(f"an item of model_list would not be what the merge means ({len(got)} "
                      f"items where {len(items)} were meant)", line)
    names = tuple(before.includes) + ((include_name,) if include_name and include_name
                                      not in before.includes else ())
    if tuple(after.includes) != names:
        raise _refuse("the include: list would not be the input's plus the presets file")
    if include_name is None and after.data.include_tokens != before.data.include_tokens:
        raise _refuse("the merge would change the include: list")
    return after


def _normalized(skeleton: Sequence) -> list:
    """Anchors on model_list and include do not count (check_aliases vets them)."""
    return [t[:1] if isinstance(t, tuple) and t and t[0] in ("ML", "INC") else t
            for t in skeleton]


def _expected_skeleton(before: ConfigScan, has_items: bool, include_name: str | None) -> list:
    data = before.data
    expected = _normalized(data.skeleton)
    inserts = []
    if has_items and before.model_list.shape == "missing":
        inserts.append((data.model_list_at, ["model_list", ("ML",)]))
    if include_name is not None and before.include_list is None:
        inserts.append((data.include_at, ["include", ("INC",)]))
    # From the back, so that earlier positions stay valid.
    for at, tokens in sorted(inserts, key=lambda x: x[0], reverse=True):
        expected[at:at] = tokens
    return expected


def _first_difference(expected: Sequence, actual: Sequence) -> str:
    for a, b in zip(expected, actual):
        if a != b:
            hint = ""
            if isinstance(a, tuple) and isinstance(b, tuple) and a[:1] == b[:1] == ("s",) \
                    and b[1] == a[1] + "\n":
                hint = ": the file ends in a block scalar without a final newline; add one"
            return f"{_shown(a)} would become {_shown(b)}{hint}"
    return f"{len(expected)} values would become {len(actual)}"


def _shown(token) -> str:
    if isinstance(token, str):
        return repr(token)
    if isinstance(token, tuple) and token and token[0] == "s":
        return repr(token[1])
    return {"{": "a mapping", "[": "a list", "]": "the end of a mapping or list"}.get(
        token[0] if isinstance(token, tuple) and token else "", repr(token))
