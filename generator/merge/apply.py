"""The edge around the pure merge: read, plan, then apply the plan (write / diff / check).

As in black's `WriteBack`, the decision is made once, from the flags; the diff and the
check go through the very same plan as a write and never touch a file.
"""
from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Sequence

from generator.boundary.errors import UserError
from generator.boundary.files import (
    check_output_target,
    decode_config,
    folder_lock,
    is_standard_stream,
    read_config,
    read_if_there,
    resolve_target,
    write_atomically,
)
from generator.merge.manifest import looks_like_manifest, plan_config_merge
from generator.merge.model import FileChange, Plan, PresetEntry
from generator.merge.plan import MergeOptions, include_path, plan_include_merge
from generator.merge.scan import scan_config


class WriteBack(enum.Enum):
    WRITE = "write"
    DIFF = "diff"
    CHECK = "check"
    STDOUT = "stdout"  # `-o -`: the result is printed, nothing is written

    @classmethod
    def from_flags(cls, *, check: bool, diff: bool) -> "WriteBack":
        if check and diff:
            raise UserError("give either --diff or --check, not both")
        return cls.CHECK if check else cls.DIFF if diff else cls.WRITE


@dataclass(frozen=True)
class OnDisk:
    """A file a plan names, as found before the plan was made."""
    shown: Path                       # the name in messages and diff headers
    target: Path                      # the resolved file that is written
    current: bytes | None             # None: not there yet
    encode: Callable[[str], bytes]    # a text as this file's bytes (the config keeps its BOM)
    diff_from: tuple[str, str] = ("", "")  # (text, label) a diff starts from when absent


@dataclass
class MergeOutcome:
    config: Path
    output: Path
    plan: Plan
    write_back: WriteBack
    differs: tuple[Path, ...]   # files whose bytes are not (yet) what the plan holds
    written: tuple[Path, ...]   # files written, in order
    diff: str = ""
    notes: list[str] = field(default_factory=list)
    output_bytes: bytes = b""   # the output's new bytes (what `-o -` prints)

    @property
    def output_differs(self) -> bool:
        return bool(self.differs)

    @property
    def include_file(self) -> Path | None:
        """Where the presets went, with --include-file."""
        return Path(self.plan.files[0].path) if len(self.plan.files) > 1 else None


def merge_file(config: Path, output: Path, presets: Sequence[PresetEntry],
               options: MergeOptions, write_back: WriteBack,
               include_file: str | None = None, *, output_named: bool = True) -> MergeOutcome:
    """Merge CONFIG into OUTPUT as `write_back` says. `output_named`: the operator chose
    OUTPUT (-o or --in-place) rather than taking the default output/config.yaml."""
    if include_file is not None and options.key_path:
        raise UserError("--include-file and --key-path do not go together: the Helm chart "
                        "renders proxy_config into one file")
    if include_file is not None and options.configmap:
        raise UserError("--include-file and --configmap do not go together: a ConfigMap "
                        "mounts one file")
    if is_standard_stream(output):  # nothing on disk to check, lock or compare with
        return _merge(config, output, presets, options, write_back, include_file, output_named)
    target = resolve_target(output)
    check_output_target(target, str(output), writing=write_back is WriteBack.WRITE)
    if write_back is not WriteBack.WRITE:
        return _merge(config, output, presets, options, write_back, include_file, output_named)
    with folder_lock(target):
        return _merge(config, output, presets, options, write_back, include_file, output_named)


def _merge(config: Path, output: Path, presets: Sequence[PresetEntry], options: MergeOptions,
           write_back: WriteBack, include_file: str | None, output_named: bool) -> MergeOutcome:
    source = read_config(config)
    manifest_notes = _manifest_output(config, output, source.text, options, output_named)
    current = None if is_standard_stream(output) else _read_bytes(resolve_target(output))
    out = OnDisk(output, resolve_target(output), current, source.encode,
                 (source.text, str(config)))
    options = dataclasses.replace(options, output=str(output))
    try:
        included, notes = included_model_names(config, source.text, options.key_path,
                                               skip=include_file or "", output=output)
        options = dataclasses.replace(options, included_names=tuple(included.items()))
        if out.current is not None and out.target != resolve_target(config):
            options = dataclasses.replace(options,
                                          previous_output=_text_for_diff(out.current, output))
        files = {str(output): out}
        if include_file is None:
            plan = plan_config_merge(source.text, presets, options)
        else:
            name = include_path(options, include_file)
            files[name] = _include_on_disk(config, output, Path(name), include_file,
                                           write_back is WriteBack.WRITE)
            plan = plan_include_merge(source.text, _text_or_none(files[name]), include_file,
                                      presets, options)
    except UserError as exc:
        raise exc.located(str(config)) from None
    return apply(plan, write_back, files, config, manifest_notes + notes)


def _manifest_output(config: Path, output: Path, text: str, options: MergeOptions,
                     output_named: bool) -> list[str]:
    """A Kubernetes manifest merged to a file of its own is a manifest, not a config the
    proxy reads: never by default, and said when asked for."""
    if options.key_path or not (options.configmap or looks_like_manifest(text)):
        return []
    if not output_named:
        raise UserError("this is a Kubernetes manifest: merging it into the default output "
                        f"({output}) would leave a whole manifest where `make proxy` expects a "
                        "config; give --in-place to merge into its ConfigMap, or -o FILE for a "
                        "merged copy of the manifest", path=str(config))
    if resolve_target(output) == resolve_target(config):
        return []
    return [f"{output} is the whole manifest with its ConfigMap's config merged (apply it with "
            "kubectl), not a config the proxy reads directly"]


def recorded_selection_in(paths: Sequence[Path]):
    """The preset choice recorded in the block of the first of `paths` that has one (the
    output, then the config), and that file: what a merge given no choice of its own
    reproduces (a relative --templates in it is relative to that file's folder)."""
    from generator.merge.selection import recorded_selection

    for path in paths:
        try:
            found = recorded_selection(read_config(path).text)
        except UserError:
            continue  # not there yet, or unreadable: the merge itself will say so
        if found is not None:
            return found, path
    return None


def _include_on_disk(config: Path, output: Path, path: Path, include_file: str,
                     writing: bool) -> OnDisk:
    target = resolve_target(path)
    if target in (resolve_target(output), resolve_target(config)):
        raise UserError(f"--include-file {include_file} is the output or the config itself; "
                        "name a file of its own for the presets")
    check_output_target(target, str(path), writing=writing)
    return OnDisk(path, target, _read_bytes(target), lambda text: text.encode("utf-8"))


def apply(plan: Plan, write_back: WriteBack, files: Mapping[str, OnDisk], config: Path,
          notes: Sequence[str] = ()) -> MergeOutcome:
    """Check, diff or write the plan's files, in its order; say what was done."""
    changes = [(change, files[change.path]) for change in plan.files]
    new_bytes = [disk.encode(change.after) for change, disk in changes]
    stale = [(disk, data) for (_, disk), data in zip(changes, new_bytes) if disk.current != data]
    differs = tuple(disk.shown for disk, _ in stale)
    diff = ""
    # A diff of two large equal files is the slowest thing a check could do: skip it.
    if write_back is WriteBack.DIFF or (write_back is WriteBack.CHECK and differs):
        diff = "".join(_file_diff(change, disk) for change, disk in changes)
    written: tuple[Path, ...] = ()
    if write_back is WriteBack.WRITE and differs:
        written = _write_in_order(stale, resolve_target(config))
    output = files[plan.files[-1].path].shown
    return MergeOutcome(config, output, plan, write_back, differs, written, diff, list(notes),
                        new_bytes[-1])


def _file_diff(change: FileChange, disk: OnDisk) -> str:
    if disk.current is not None:
        before, label = _text_for_diff(disk.current, disk.shown), str(disk.shown)
    else:
        before, label = disk.diff_from
        label = label or str(disk.shown)
    # As git names them: a/ the text now, b/ the text the merge makes (also when one file).
    return unified_diff(before, change.after, "a/" + label.lstrip("/"),
                        "b/" + str(disk.shown).lstrip("/"))


def _write_in_order(writes: Sequence[tuple[OnDisk, bytes]], config: Path) -> tuple[Path, ...]:
    """Write each file in turn; if a later one fails, say which were written."""
    done: list[Path] = []
    for disk, data in writes:
        try:
            write_atomically(disk.target, data, like=config, shown=str(disk.shown))
        except UserError as exc:
            if done:
                exc.message = exc.message.replace(
                    "; nothing was changed", f"; {', '.join(map(str, done))} was already "
                    "written, the rest was not: run the merge again once the cause is fixed")
            raise
        done.append(disk.shown)
    return tuple(done)


def _read_bytes(path: Path) -> bytes | None:
    return read_if_there(path, "output")


def _text_for_diff(raw: bytes, where: Path) -> str:
    try:
        return decode_config(raw, str(where)).text
    except UserError:
        return raw.decode("utf-8", "replace")


def _text_or_none(disk: OnDisk) -> str | None:
    return _text_for_diff(disk.current, disk.shown) if disk.current is not None else None


def unified_diff(before: str, after: str, before_label: str, after_label: str) -> str:
    """A unified diff of the two texts as the masking policy shows them (context lines
    included): every value that is not known to be safe is masked."""
    import difflib

    from generator.boundary.masked_text import mask_config_text

    # Each side is masked as a whole text, its keys read as the proxy reads them, so a secret
    # is masked however its key is spelled and over however many lines it is written.
    lines = difflib.unified_diff(mask_config_text(before).splitlines(keepends=True),
                                 mask_config_text(after).splitlines(keepends=True),
                                 before_label, after_label)  # file names: never masked
    out = []
    for line in lines:
        if not line.endswith("\n"):
            line += "\n\\ No newline at end of file\n"
        out.append(line.replace("\r\n", "\n"))
    return "".join(out)


def included_model_names(config: Path, text: str, key_path: Sequence[str], skip: str = "",
                         output: Path | None = None) -> tuple[dict[str, str], list[str]]:
    """model_name -> "file:line" for entries of the files the config includes.

    A file that is the config itself or the output is not read: its entries are the ones
    this merge writes, and counting them as the operator's would undo the merge next run.
    """
    if key_path or "include" not in text or looks_like_manifest(text):
        return {}, []  # a manifest's includes are paths inside the container, not here
    from generator.merge.reading import read_includes, unread_notes  # most configs include nothing

    listed = scan_config(text).includes
    own = {resolve_target(config)} | ({resolve_target(output)} if output else set())
    selves = [n for n in listed if resolve_target(config.parent / n) in own]
    included = read_includes(config, [n for n in listed if n not in selves], skip)
    names: dict[str, str] = {}
    for item in included:
        for entry in item.loaded.scan.model_list.entries if item.loaded else ():
            if entry.model_name is not None:
                names.setdefault(entry.model_name, f"{item.name}:{entry.line}")
    notes = unread_notes(included, "were not checked for conflicts")
    notes += [f"include: names {n}, the file this merge writes; it is not read for conflicts"
              for n in selves]
    return names, notes
