"""The edge around the pure merge: read, decide (write / diff / check), write.

As in black's `WriteBack`, the decision is made once, here; the diff and the
check go through the very same computation as a write and never touch a file.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

from .errors import UserError
from .files import ConfigText, check_output_target, decode_config, folder_lock, read_bounded, \
    read_config, resolve_target, write_atomically
from .manifest import looks_like_manifest, plan_config_merge
from .merge import MergeOptions, MergePlan, plan_include_merge
from .model import PresetEntry
from .scan import scan_config





class WriteBack(enum.Enum):
    WRITE = "write"
    DIFF = "diff"
    CHECK = "check"


@dataclass
class MergeOutcome:
    config: Path
    output: Path
    plan: MergePlan
    write_back: WriteBack
    output_differs: bool      # the output file is not (yet) what the merge produces
    written: bool
    diff: str = ""
    notes: list[str] = field(default_factory=list)
    include_file: Path | None = None  # where the presets went, with --include-file


def merge_file(config: Path, output: Path, presets: Sequence[PresetEntry],
               options: MergeOptions, write_back: WriteBack,
               include_file: str | None = None) -> MergeOutcome:
    target = resolve_target(output)
    check_output_target(target, str(output))
    if write_back is WriteBack.WRITE:
        with folder_lock(target):
            return _merge(config, output, target, presets, options, write_back, include_file)
    return _merge(config, output, target, presets, options, write_back, include_file)


@dataclass(frozen=True)
class _FileChange:
    """One file the merge produces: what it holds now and what it should hold."""
    shown: Path               # the name in messages and diff headers
    target: Path              # the resolved file that is written
    current: bytes | None
    new: bytes
    before: str               # the text a diff starts from
    before_label: str


def _merge(config: Path, output: Path, target: Path, presets: Sequence[PresetEntry],
           options: MergeOptions, write_back: WriteBack, include_file: str | None
           ) -> MergeOutcome:
    source = read_config(config)
    current = _read_bytes(target)
    changes: list[_FileChange] = []
    include_path = None
    try:
        included, notes = included_model_names(config, source.text, options.key_path,
                                               skip=include_file or "")
        options = dataclasses.replace(options, included_names=tuple(included.items()))
        if include_file is None:
            if current is not None and target != resolve_target(config):
                options = dataclasses.replace(
                    options, previous_output=_decode_for_diff(current, str(output)))
            plan = plan_config_merge(source.text, presets, options)
        else:
            # The proxy resolves include paths against the folder of the config it runs.
            include_path = output.parent / include_file
            include_target = resolve_target(include_path)
            if include_target in (target, resolve_target(config)):
                raise UserError(f"--include-file {include_file} is the output or the config "
                                "itself; name a file of its own for the presets")
            check_output_target(include_target, str(include_path))
            include_current = _read_bytes(include_target)
            include_text = (_decode_for_diff(include_current, str(include_path))
                            if include_current is not None else None)
            plan = plan_include_merge(source.text, include_text, include_file, presets, options)
            # The included file goes first: the config never names a file not there yet.
            changes.append(_FileChange(include_path, include_target, include_current,
                                       plan.include_text.encode("utf-8"), include_text or "",
                                       str(include_path)))
    except UserError as exc:
        raise exc.located(str(config)) from None
    if current is not None:
        before, before_label = _decode_for_diff(current, str(output)), str(output)
    else:
        before, before_label = source.text, str(config)
    changes.append(_FileChange(output, target, current, source.encode(plan.text), before,
                               before_label))

    differs = any(c.current != c.new for c in changes)
    diff = ""
    # A diff of two large equal files is the slowest thing a check could do: skip it.
    if write_back is WriteBack.DIFF or (write_back is WriteBack.CHECK and differs):
        diff = "".join(unified_diff(c.before, c.new.decode("utf-8-sig"), c.before_label,
                                    str(c.shown)) for c in changes)
    written = False
    if write_back is WriteBack.WRITE and differs:
        _write_in_order(changes, resolve_target(config))
        written = True
    return MergeOutcome(config, output, plan, write_back, differs, written, diff, notes,
                        include_path)


def _write_in_order(changes: Sequence[_FileChange], config: Path) -> None:
    """Write each changed file in turn; if a later one fails, say which were written."""
    done: list[str] = []
    for change in changes:
        if change.current == change.new:
            continue
        try:
            write_atomically(change.target, change.new, like=config)
        except UserError as exc:
            if done:
                exc.message = exc.message.replace(
                    "; nothing was changed", f"; {', '.join(done)} was already written, the rest "
                    "was not: run the merge again once the cause is fixed")
            raise
        done.append(str(change.shown))


def _read_bytes(path: Path) -> bytes | None:
    if not path.exists():
        return None
    return read_bounded(path, "output")


def _decode_for_diff(raw: bytes, where: str) -> str:
    try:
        return decode_config(raw, where).text
    except UserError:
        return raw.decode("utf-8", "replace")


def unified_diff(before: str, after: str, before_label: str, after_label: str) -> str:
    """A unified diff with secret-looking values masked, context lines included."""
    import difflib

    from .secrets import mask_lines, mask_value

    # Each side is masked as a whole text, so a secret written over several lines is too.
    lines = difflib.unified_diff(mask_lines(before.splitlines(keepends=True)),
                                 mask_lines(after.splitlines(keepends=True)),
                                 mask_value(before_label), mask_value(after_label))
    out = []
    for line in lines:
        if not line.endswith("\n"):
            line += "\n\\ No newline at end of file\n"
        out.append(line.replace("\r\n", "\n"))
    return "".join(out)


def included_model_names(config: Path, text: str, key_path: Sequence[str], skip: str = ""
                         ) -> tuple[dict[str, str], list[str]]:
    """model_name -> "file:line" for entries of the files the config includes."""
    if key_path or "include" not in text or looks_like_manifest(text):
        return {}, []  # a manifest's includes are paths inside the container, not here
    includes = scan_config(text).includes
    names: dict[str, str] = {}
    unread: dict[str, list[str]] = {}
    for name in includes:
        if name == skip:  # the tool's own included file
            continue
        path = config.parent / name
        try:
            included: ConfigText = read_config(path, what="included")
            for entry in scan_config(included.text).model_list.entries:
                if entry.model_name is not None:
                    names.setdefault(entry.model_name, f"{name}:{entry.line}")
        except UserError as exc:
            unread.setdefault(exc.message, []).append(str(name))
    notes = [f"entries of included {'file' if len(files) == 1 else 'files'} {', '.join(files)} "
             f"were not checked for conflicts ({reason})" for reason, files in unread.items()]
    return names, notes


def merge_warnings(outcome: MergeOutcome, presets: Sequence[PresetEntry], api_key_env: str,
                   today: _dt.date, environ: Mapping[str, str]) -> list[str]:
    """What the operator should hear about, beside the per-preset report."""
    warnings = list(outcome.notes) + [f"{outcome.config}: {w}" for w in outcome.plan.warnings]
    merged = {a.name for a in outcome.plan.actions if a.kind != "skipped"}
    for preset in presets:
        if preset.deprecated_on(today) and preset.name in merged:
            successor = f"; consider {preset.successor}" if preset.successor else ""
            warnings.append(f"{preset.name} is past its deprecation date "
                            f"{preset.deprecation_date}{successor}")
    for action in outcome.plan.actions:
        if action.kind == "skipped":
            warnings.append(f"{action.name} skipped: {outcome.config}: {action.reason}")
    if presets and not environ.get(api_key_env):
        warnings.append(f"{api_key_env} is not set in this environment; the proxy needs it "
                        "at start-up to serve these models")
    return warnings
