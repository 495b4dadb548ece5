"""The scan's skim mode (`Skim`): most of a config's events, read in one tight loop.

The scan (scan_state.py) gives a frame only to the few nodes the merge looks into; every
other collection, and each plain model_list item, is read here to its end with the checks of
scan_checks.py and no frame per level.
"""
from __future__ import annotations

from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from generator.boundary.errors import UserError
from generator.merge.scan_checks import (
    DIGITS,
    LOADED_KEY_SPELLINGS,
    MAX_DEPTH,
    NUMERIC_FIRST,
    Checks,
    build_scalar,
    check_block_header,
    check_node,
    check_params_value,
    checked_scalar,
    key_of,
    loaded_key,
    merge_item,
    merge_value,
    note_span,
    scan_error,
)


class Skim:
    """Skim mode of the scan: a role-less collection, or a model_list item, read to its end
    in one tight loop with the checks and no frame per level.

    Most events of a large config are inside model_list entries; `read` does for them the
    least the checks need, with the common plain scalar inline. One per scan, reused.
    """
    __slots__ = ("text", "checks", "strict", "outer", "merging_at",
                 "entry", "entry_flow", "model_name", "step", "key_column")

    def __init__(self, text: str, checks: Checks):
        self.text, self.checks = text, checks
        self.outer: list = []  # (keys, expect, flow, start) of each level above read's
        self.entry = False     # reading a model_list item: note its own keys too
        self.merging_at = -1

    def read_entry(self, get_event, start, in_flow: bool, want_step: bool) -> tuple:
        """A model_list item without anchor or tag: (last event, keys, model_name, step).

        `step`: the indentation of its first nested block mapping, when `want_step`, else 0.
        """
        self.entry, self.entry_flow = True, bool(start.flow_style) or in_flow
        self.model_name, self.step = None, None if want_step else 0
        self.key_column = start.start_mark.column  # a block mapping starts at its first key
        keys: list = []
        try:
            last = self.read(get_event, start, True, keys)
        finally:
            self.entry = False
        return last, keys, self.model_name, self.step

    def read(self, get_event, start, strict: bool, keys=None) -> object:
        """Read what `start` opens to its end; return the last event ending content."""
        keys = self.begin(start, strict, keys)
        expect, flow, here = keys is not None, bool(start.flow_style), start.start_mark.index
        outer, entry, text = self.outer, self.entry, self.text
        bare, watch = self.checks.bare, self.checks.spans  # no "!"/"&"; a tab or a marker
        pending, last = False, None  # pending: a `<<` key was read, its value is next
        while True:
            ev = get_event()
            cls = ev.__class__
            if cls is ScalarEvent and (bare or ev.anchor is None and ev.tag is None):
                last = ev
                value = ev.value
                if ev.implicit[0]:
                    if expect:
                        keys.append(loaded_key(ev) if value in LOADED_KEY_SPELLINGS or
                                    value[:1] in NUMERIC_FIRST else value)
                        expect, pending = False, value == "<<"
                        continue
                    if value[4:5] == "-" and value[:1] in DIGITS:
                        build_scalar(ev, text)  # dddd-...: an implicit date must be valid
                    elif value == "=" or value == "<<":
                        build_scalar(ev, text)  # resolved as !!value / !!merge: no builder
                else:
                    self.quoted(ev, watch)
                    if expect:
                        keys.append(value)
                        expect = False
                        continue
                if keys is not None:
                    expect = True
                    if pending or not outer and entry:
                        pending = self.mapping_value(ev, cls, keys, pending)
                elif self.merging_at >= 0:
                    self.sequence_item(ev, cls)
            elif cls is ScalarEvent or cls is AliasEvent:  # with an anchor or tag, or an alias
                last = ev
                expect, pending = self.odd_scalar(ev, cls, keys, expect, pending)
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                if expect or pending or self.merging_at >= 0 or not bare and (
                        ev.anchor is not None or ev.tag is not None) or \
                        entry and not outer and (self.step is None or
                                                 cls is SequenceStartEvent):
                    self.open(ev, cls, keys, expect, pending)
                    pending = False
                outer.append((keys, keys is not None, flow, here))  # expects a key once done
                if len(outer) > MAX_DEPTH:
                    raise self.too_deep(ev)
                keys = [] if cls is MappingStartEvent else None
                expect, flow, here = keys is not None, flow or ev.flow_style, ev.start_mark.index
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                if flow:
                    last = ev
                if keys is not None and len(keys) > 1 and len(set(keys)) != len(keys):
                    self.checks.duplicates.append((here, strict))
                if not outer:
                    return last
                if self.merging_at == len(outer):
                    self.merging_at = -1
                keys, expect, flow, here = outer.pop()

    def begin(self, start, strict: bool, keys: list | None):
        """Set up a read of the collection `start` opens: its keys list (None: a list)."""
        self.strict = strict
        # The depth whose items must be mappings (the list of a `<<: [...]`), or -1.
        self.merging_at = 0 if self.checks.merge_list else -1
        self.checks.merge_list = False
        if keys is None and start.__class__ is MappingStartEvent:
            keys = []
        return keys

    def quoted(self, ev, watch: bool) -> None:
        """A quoted or block scalar without anchor or tag."""
        if watch and ev.end_mark.index > self.checks.next_interest:
            note_span(ev, self.checks)
        if ev.style in "|>":
            check_block_header(ev, self.text)

    def odd_scalar(self, ev, cls, keys, expect: bool, pending: bool) -> tuple[bool, bool]:
        """A scalar with an anchor or a tag, or an alias: (expect, pending) after it."""
        if expect:
            checked_scalar(ev, cls, self.text, self.checks)
            keys.append(key_of(ev, cls))
            return False, cls is ScalarEvent and ev.value == "<<" and ev.implicit[0]
        if keys is not None:
            pending = self.mapping_value(ev, cls, keys, pending)
        elif self.merging_at >= 0:
            self.sequence_item(ev, cls)
        checked_scalar(ev, cls, self.text, self.checks)
        return keys is not None, pending

    def mapping_value(self, ev, cls, keys: list, pending: bool) -> bool:
        """A value (scalar, alias or collection) of a mapping: merge keys, entry keys."""
        if pending:
            merge_value(ev, cls, self.text, self.checks)
        if self.entry and not self.outer:
            key = keys[-1]
            if cls is ScalarEvent and key == "model_name":
                self.model_name = ev.value
            if key == "litellm_params":
                check_params_value(ev, cls, self.text, self.checks)
            if cls is MappingStartEvent and self.step is None and not ev.flow_style \
                    and not self.entry_flow and ev.anchor is None and ev.tag is None:
                self.step = ev.start_mark.column - self.key_column
        return False

    def sequence_item(self, ev, cls) -> None:
        if self.merging_at == len(self.outer):
            merge_item(ev, cls, self.text, self.checks)

    def open(self, ev, cls, keys, expect: bool, pending: bool) -> None:
        """The checks of a collection that starts: as a key, a merge, a tag or anchor."""
        text, checks = self.text, self.checks
        if expect:
            raise scan_error("a mapping or list used as a key: yaml.safe_load cannot load it",
                             text, ev.start_mark.index)
        if keys is not None:
            self.mapping_value(ev, cls, keys, pending)
        elif self.merging_at >= 0:
            self.sequence_item(ev, cls)
        if ev.anchor is not None or ev.tag is not None:
            check_node(ev, text, checks)
        if checks.merge_list:  # this list is the value of a `<<`
            checks.merge_list = False
            if self.merging_at >= 0:
                checks.build_collections = True  # lists to merge inside one: built whole
            else:
                self.merging_at = len(self.outer) + 1

    def too_deep(self, ev) -> UserError:
        return scan_error(f"the config nests deeper than {MAX_DEPTH} levels; litellm-gen stops "
                          "there because the proxy's pure-Python loader recurses per level "
                          "(measured: RecursionError near 500 levels)", self.text,
                          ev.start_mark.index)
