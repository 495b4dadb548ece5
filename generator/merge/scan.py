"""Where things are in a config's text: one pass over libyaml's event stream.

The merge never re-emits the operator's YAML. It needs only offsets: where
`model_list` is, where each entry starts and ends, and how the file indents.
libyaml (the proxy's own parser, through PyYAML) reports those as marks on its
events, and one event pass is the cheapest complete read of a file. The same
pass refuses what the proxy's `yaml.safe_load` would refuse or silently
misread: several documents, custom tags, undefined aliases, unhashable keys,
values that cannot be built, and duplicate keys where they matter. It only
locates and refuses: what the file means is the proxy's loader's to say (loader.py),
and the proof (prove.py) asks it.

The pass is split by what each part owns: scan_state.py holds the frames of the nodes the merge
looks into, scan_skim.py reads every other collection in one tight loop, scan_checks.py holds
what each event must pass, scan_result.py the types returned here.
"""
from __future__ import annotations

from typing import Sequence

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from generator.boundary.errors import UserError
from generator.merge.scan_checks import Checks, Parser, line_col, scan_error
from generator.merge.scan_result import (  # noqa: F401 - the scan's result, imported from here
    AliasUse,
    ConfigScan,
    Entry,
    IncludeList,
    ModelList,
)
from generator.merge.scan_state import MODELS, Frame, ScanState

# Line breaks YAML knows besides LF and CRLF: the splice and every line number here assume LF.
_OTHER_BREAKS = ("\x85", "\u2028", "\u2029")


def translate_yaml_error(exc: yaml.YAMLError, text: str) -> UserError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    if context and mark is not None and getattr(exc, "context_mark", None) is not None \
            and exc.context_mark is not mark:
        context = f"{context} that starts on line {exc.context_mark.line + 1}"
    if isinstance(exc, yaml.reader.ReaderError):
        line, column = line_col(text, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character[:1] or "?")
        return UserError(f"invalid YAML: control character U+{code:04X} is not allowed in YAML "
                         "(is this a binary file?)", line=line, column=column)
    if mark is not None:
        if text[mark.index:mark.index + 1] == "\t" or "'\\t'" in problem or "\\t" in problem:
            from generator.boundary.loader import TAB_MESSAGE
            return UserError(TAB_MESSAGE, line=mark.line + 1, column=mark.column + 1)
        if context:
            problem = f"{problem} ({context})"
        return UserError(f"invalid YAML: {problem}", line=mark.line + 1, column=mark.column + 1)
    return UserError(f"invalid YAML: {problem}")


def scan_config(text: str, key_path: Sequence[str] = (), markers: Sequence[str] = ()
                ) -> ConfigScan:
    """Locate model_list (under `key_path`) and its entries; raise UserError on bad input.

    `markers`: texts whose occurrences inside quoted or block scalars the caller needs to
    tell apart from comments (the merge's fence markers).
    """
    _refuse_odd_characters(text)
    try:
        try:
            scan = _scan(text, tuple(key_path), Parser, markers)
        except yaml.YAMLError:
            # libyaml refuses a tab opening a block scalar's line; the proxy's loader does not.
            if "\t" not in text or Parser is yaml.SafeLoader:
                raise
            scan = _scan(text, tuple(key_path), yaml.SafeLoader, markers)
        if "\t" in text:
            _check_tabs(text, scan)
        return scan
    except yaml.YAMLError as exc:
        raise translate_yaml_error(exc, text) from None
    except RecursionError:
        raise UserError("the config nests too deep for the proxy's pure-Python loader "
                        "(RecursionError)") from None
    except (ValueError, TypeError, OverflowError, KeyError):  # safe_load cannot build
        from generator.boundary.loader import ProxyDocument
        ProxyDocument(text).data  # the proxy's loader names the value and its place
        raise UserError("the proxy's yaml.safe_load cannot load this config") from None


def _refuse_odd_characters(text: str) -> None:
    stray_bom = text.find("\ufeff")
    if stray_bom >= 0:  # libyaml reads past it, the proxy's loader stops
        raise scan_error("a byte-order mark (U+FEFF) inside the file; the proxy's loader refuses "
                         "it: delete that invisible character", text, stray_bom)
    odd = _odd_line_break(text)
    if odd >= 0:
        name = {"\r": "a lone carriage return (old Mac line ending)", "\x85": "a NEL (U+0085)",
                "\u2028": "a LINE SEPARATOR (U+2028)", "\u2029": "a PARAGRAPH SEPARATOR (U+2029)"}
        raise scan_error(f"{name[text[odd]]}, which YAML reads as a line break; litellm-gen edits "
                         "files with LF or CRLF line endings only: convert the file (dos2unix, or "
                         "your editor's line-ending setting)", text, odd)


def _odd_line_break(text: str) -> int:
    """Offset of the first line break other than LF or CRLF, or -1."""
    found = [at for at in (text.find(c) for c in _OTHER_BREAKS) if at >= 0]
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        at = text.find("\r")
        while text[at + 1:at + 2] == "\n":
            at = text.find("\r", at + 1)
        found.append(at)
    return min(found, default=-1)


def _check_tabs(text: str, scan: ConfigScan) -> None:
    """libyaml allows tabs between tokens and in plain scalars; the proxy's loader does not.
    One linear pass over the tabs (loader.py) says whether they all stand where the two
    agree; only the proxy's own loader can judge the others, and it runs on those files."""
    from generator.boundary.loader import ProxyLoader, tabs_where_parsers_agree

    if not tabs_where_parsers_agree(text, list(scan.literal_spans)):
        yaml.load(text, Loader=ProxyLoader)


def _scan(text: str, key_path: tuple[str, ...], parser, markers: Sequence[str]) -> ConfigScan:
    checks = Checks(text, markers)
    get_event = parser(text).get_event
    state = ScanState(text, key_path, checks)
    stack: list[Frame] = [Frame.root()]
    while True:
        ev = get_event()
        cls = ev.__class__
        if cls is ScalarEvent or cls is AliasEvent:
            state.on_value(stack[-1], ev, cls)
        elif cls is MappingStartEvent and stack[-1].role == MODELS and \
                ev.anchor is None and ev.tag is None:
            state.read_entry(get_event, ev, stack[-1].flow)  # the hot path: one per item
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            frame = state.on_start(stack[-1], ev, cls is MappingStartEvent, get_event)
            if frame is not None:
                stack.append(frame)
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            state.on_end(stack, ev)
        elif cls is DocumentStartEvent:
            state.documents += 1
            if state.documents > 1:
                raise scan_error("the file holds more than one YAML document (---); the proxy "
                                 "reads a config of exactly one", text, ev.start_mark.index)
        elif cls is StreamEndEvent:
            break
    return state.result(checks)
