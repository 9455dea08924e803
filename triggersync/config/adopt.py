"""The live account → the configuration files: what `adopt` changes, as new file texts.

A declared trigger that differs from its live one is edited in the file that declares it, field
by field (a definition key by key); a live owned trigger that no file declares is added; a
declared trigger that is gone from Zendesk is removed from its file. Nothing else in any file
changes (config/edit.py splices at the parser's offsets). Afterwards, planning the same files
against the same live triggers finds no changes. docs/commands.md#adopt has the rules; in short:

- Ignored live triggers, and with targets those no target matches, are never looked at.
- A trigger renamed in the dashboard looks like one trigger gone and one new: when exactly one
  new live trigger does exactly what exactly one gone declaration says (same definition,
  description and `enabled`), it is taken for the same trigger, and only its name is edited, so
  its comments and its place in the file stay.
- A field written with `${NAME}` is kept as written when it still gives the live value;
  otherwise the trigger is not adopted and a problem says why.
- `renamed_from` goes where it would now contradict the file: on a trigger whose name adopt
  edits, and where it names a trigger adopt adds.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from triggersync.config import variables as refs
from triggersync.config.edit import FileEdits
from triggersync.config.files import EXTENSIONS, Config
from triggersync.config.spans import Node, read_spans
from triggersync.engine import export
from triggersync.engine.model import Trigger, as_declared, same_json
from triggersync.engine.plan import TEMPORARY_SUFFIX
from triggersync.engine.targets import matches
from triggersync.errors import TriggersyncError, format_path
from triggersync.language.vocabulary import DEFINITION_KEYS
from triggersync.untrusted import shown

_TRIGGER_ORDER = ("name", "description", "enabled", "definition", "renamed_from")
_DEFINITION_ORDER = tuple(DEFINITION_KEYS)


@dataclass(frozen=True)
class FileChange:
    path: str
    before: str | None  # None: a new file
    after: str
    opcodes: tuple[tuple[str, int, int, int, int], ...]  # by line (views/unified_diff.py)


@dataclass(frozen=True)
class Adoption:
    """What adopting the live triggers changes, and what it could not adopt."""

    files: tuple[FileChange, ...]  # the files changed or made, in the order of their paths
    updated: tuple[str, ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]
    problems: tuple[str, ...]  # each names a trigger that was not adopted, and why

    @property
    def empty(self) -> bool:
        return not self.files


@dataclass
class _Declared:
    trigger: Trigger
    file: str
    index: int


@dataclass
class _FileWork:
    """One file's part: field edits by trigger index, items to remove, triggers to add."""

    fields: dict[int, tuple[Trigger, Trigger]] = field(default_factory=dict)
    removed: set[int] = field(default_factory=set)
    added: list[Trigger] = field(default_factory=list)


def adopt(
    cfg: Config,
    live: Sequence[Trigger],
    *,
    paths: Sequence[str],
    targets: Sequence[str] = (),
    new_file: str | None = None,
) -> Adoption:
    """The files of `cfg` (loaded from `paths`) rewritten to match `live`."""
    scoped = _Scope(targets)
    names = {t.name for t in cfg.triggers}
    problems: list[str] = []
    visible: dict[str, Trigger] = {}
    for trigger in live:
        if cfg.is_ignored(trigger.name):
            continue
        base = trigger.name.removesuffix(TEMPORARY_SUFFIX)
        if base != trigger.name and base in names:
            if scoped.targeted(trigger.name):
                problems.append(
                    f"{shown(trigger.name)}: not adopted: left by an unfinished replacement of "
                    f"{shown(base)}; run apply to finish it"
                )
            continue
        visible[trigger.name] = trigger
    # Paired over every owned trigger, then narrowed to the targets: a target must not make a
    # live trigger outside it look gone (or a declaration outside it look missing).
    pairs, gone, new = _pair(cfg.triggers, visible, names)
    pairs = [
        (want, have)
        for want, have in pairs
        if (scoped.declared(want) or scoped.targeted(have.name)) and _differs(want, have)
    ]
    gone = [want for want in gone if scoped.declared(want)]
    new = [trigger for trigger in new if scoped.targeted(trigger.name)]
    writable, refused = export.exportable([have for _, have in pairs] + new)
    problems.extend(refused)
    ok = {id(t) for t in writable}
    pairs = [(want, have) for want, have in pairs if id(have) in ok]
    new = sorted((t for t in new if id(t) in ok), key=lambda t: t.name)
    adding = {t.name for t in new}
    work: dict[str, _FileWork] = {}
    for want, _ in pairs:
        work.setdefault(_file_of(want), _FileWork())
    for want in gone:
        work.setdefault(_file_of(want), _FileWork())
    # A renamed_from naming a trigger about to be declared would contradict it.
    contradicted = [t for t in cfg.triggers if t.renamed_from in adding]
    for trigger in contradicted:
        work.setdefault(_file_of(trigger), _FileWork())
    new_files: dict[str, list[Trigger]] = {}
    if new:
        target = _new_home(paths, cfg.files, new_file)
        if target is None:
            for trigger in new:
                new_files[_free_name(paths, new_files, trigger)] = [trigger]
        else:
            existing = [f for f in cfg.files if os.path.realpath(f) == os.path.realpath(target)]
            if existing:
                work.setdefault(existing[0], _FileWork()).added.extend(new)
            else:
                new_files[target] = list(new)

    changes: list[FileChange] = []
    updated: list[str] = []
    removed: list[str] = []
    for file in sorted(work, key=lambda f: Path(f).parts):
        bom, text = _read(file)
        top = read_spans(text)
        edits = FileEdits(text)
        items = _items(top)
        index_at = _item_places(text, items)

        def index_of(trigger: Trigger, index_at: dict[tuple[int, int], int] = index_at) -> int:
            assert trigger.location is not None
            return index_at[(trigger.location.line, trigger.location.col)]

        file_work = work[file]
        renamed_away: set[int] = set()  # items whose renamed_from adopt already removes
        for want, have in pairs:
            if _file_of(want) != file:
                continue
            index = index_of(want)
            why = _edit_trigger(edits, items[index], want, have)
            if why is None:
                updated.append(have.name)
                if have.name != want.name:
                    renamed_away.add(index)
            elif why:
                problems.append(f"{shown(want.name)}: not adopted: {why}")
        for want in gone:
            if _file_of(want) != file:
                continue
            index = index_of(want)
            if items[index].indirect:
                problems.append(
                    f"{shown(want.name)}: not removed (gone from Zendesk): its declaration uses "
                    "YAML anchors, aliases, merge keys or tags; remove it by hand"
                )
                continue
            file_work.removed.add(index)
            removed.append(want.name)
        for trigger in contradicted:
            if _file_of(trigger) != file:
                continue
            index = index_of(trigger)
            skip = index in file_work.removed or index in renamed_away
            if not skip and "renamed_from" in items[index].entries:
                edits.remove_entry(items[index], "renamed_from")
        if top is not None and (file_work.removed or file_work.added):
            if file_work.removed:
                edits.remove_items(top, file_work.removed, file_work.added)
            else:
                edits.add_items(top, file_work.added)
        after = edits.result()
        if after != text:
            changes.append(FileChange(file, bom + text, bom + after, tuple(edits.opcodes())))
    for path, triggers in new_files.items():
        written = export.to_yaml(triggers, Path(path).parent)
        lines = len(written.splitlines())
        changes.append(FileChange(path, None, written, (("insert", 0, 0, 0, lines),)))
    changes.sort(key=lambda change: Path(change.path).parts)
    return Adoption(
        tuple(changes),
        tuple(updated),
        tuple(t.name for t in new),
        tuple(removed),
        tuple(problems),
    )


class _Scope:
    """Which triggers `--target` globs pick (all, without targets)."""

    def __init__(self, targets: Sequence[str]) -> None:
        self._targets = tuple(targets)

    def targeted(self, name: str) -> bool:
        return matches(name, self._targets)

    def declared(self, trigger: Trigger) -> bool:
        """A declaration is picked by its name or by the name it renames."""
        old = trigger.renamed_from
        return self.targeted(trigger.name) or (old is not None and self.targeted(old))


def _pair(
    declared: Sequence[Trigger], visible: Mapping[str, Trigger], names: set[str]
) -> tuple[list[tuple[Trigger, Trigger]], list[Trigger], list[Trigger]]:
    """Declared triggers with their live ones (as the plan pairs them: by name, else by a
    pending `renamed_from`, else a dashboard rename), those gone, and the live ones new."""
    pairs: list[tuple[Trigger, Trigger]] = []
    gone: list[Trigger] = []
    claimed: set[str] = set()
    for want in declared:
        have = visible.get(want.name)
        old = want.renamed_from
        if have is None and old is not None and old not in names and old not in claimed:
            have = visible.get(old)
        if have is None:
            gone.append(want)
        else:
            claimed.add(have.name)
            pairs.append((want, have))
    new = [t for name, t in visible.items() if name not in claimed]
    renamed = _renamed(gone, new)
    for want, have in renamed:
        pairs.append((want, have))
    gone = [t for t in gone if all(t is not want for want, _ in renamed)]
    new = [t for t in new if all(t is not have for _, have in renamed)]
    return pairs, gone, new


def _renamed(gone: Sequence[Trigger], new: Sequence[Trigger]) -> list[tuple[Trigger, Trigger]]:
    """Gone declarations and new live triggers that are one trigger renamed in the dashboard:
    the same in all but the name, and each the other's only match. A declaration that says
    nothing but its name (no definition, no description) matches nothing: too little to tell."""
    matches: dict[int, list[Trigger]] = {}
    matched_by: dict[int, int] = {}
    for want in gone:
        if want.definition is None and not want.description:
            continue
        found = [have for have in new if _same_but_name(want, have)]
        matches[id(want)] = found
        for have in found:
            matched_by[id(have)] = matched_by.get(id(have), 0) + 1
    return [
        (want, matches[id(want)][0])
        for want in gone
        if len(matches.get(id(want), [])) == 1 and matched_by[id(matches[id(want)][0])] == 1
    ]


def _same_but_name(want: Trigger, have: Trigger) -> bool:
    before = {**have.managed_view(want), "name": ""}
    after = {**want.managed_view(want), "name": ""}
    return same_json(before, after)


def _file_of(trigger: Trigger) -> str:
    assert trigger.location is not None  # every declared trigger has its place
    return trigger.location.file


def _items(top: Node | None) -> list[Node]:
    if top is None or top.kind != "map" or "triggers" not in top.entries:
        return []
    seq = top.entries["triggers"].value
    return seq.items if seq.kind == "seq" else []


def _differs(want: Trigger, have: Trigger) -> bool:
    return have.name != want.name or not same_json(have.managed_view(want), want.managed_view(want))


def _edit_trigger(edits: FileEdits, item: Node, want: Trigger, have: Trigger) -> str | None:
    """Edit one declaration to say what `have` is: None when edited, "" when nothing differs,
    else why it cannot be adopted."""
    fields: list[tuple[tuple[str, ...], Any]] = []  # (path, new value)
    removals: list[tuple[str, ...]] = []
    if have.name != want.name:
        fields.append((("name",), have.name))
    if have.description != want.description:
        fields.append((("description",), have.description))
    if have.enabled != want.enabled:
        fields.append((("enabled",), have.enabled))
    if want.definition is not None:
        live = as_declared(have.definition, want.definition)
        written = item.entries.get("definition")
        if have.definition is None:
            removals.append(("definition",))
        elif not same_json(live, want.definition):
            if written is not None and written.value.kind == "map" and isinstance(live, dict):
                for key in want.definition:
                    if key not in live:
                        removals.append(("definition", key))
                for key, value in live.items():
                    if key not in want.definition or not same_json(value, want.definition[key]):
                        fields.append((("definition", key), value))
            else:
                fields.append((("definition",), have.definition))
    if not fields and not removals:
        return ""
    if item.indirect:
        return "its declaration uses YAML anchors, aliases, merge keys or tags; edit it by hand"
    for path in [*(p for p, _ in fields), *removals]:
        held = refs.variable_references(_written(edits.text, item, path))
        if held:
            variable = ", ".join(f"${{{name}}}" for name in held)
            return (
                f"its {format_path(path)} is written with {variable}, which does not give the "
                "live value; edit the file or the variable by hand"
            )
    for path, value in fields:
        if len(path) == 1:
            edits.set_entry(item, path[0], value, order=_TRIGGER_ORDER, in_definition=False)
        else:
            definition = item.entries["definition"].value
            edits.set_entry(definition, path[1], value, order=_DEFINITION_ORDER, in_definition=True)
    for path in removals:
        if len(path) == 1:
            edits.remove_entry(item, path[0])
        else:
            edits.remove_entry(item.entries["definition"].value, path[1])
    if have.name != want.name and "renamed_from" in item.entries:
        edits.remove_entry(item, "renamed_from")
    return None


def _written(text: str, item: Node, path: tuple[str, ...]) -> str:
    """The text of the value at `path` in a trigger as written ("" when it is not): where
    `${NAME}` references are found, before any substitution."""
    node: Node | None = item
    for part in path:
        entry = node.entries.get(part) if node is not None else None
        node = entry.value if entry is not None else None
    return "" if node is None else text[node.start : node.end]


def _read(file: str) -> tuple[str, str]:
    """The file's byte order mark ("" when none) and its text, as the reader decoded it."""
    with open(file, "rb") as handle:
        raw = handle.read()
    bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    return bom, raw.decode("utf-8-sig")


def _item_places(text: str, items: Sequence[Node]) -> dict[tuple[int, int], int]:
    """Each list item's index by its 1-based line and column, as a Trigger's place gives it."""
    found: dict[tuple[int, int], int] = {}
    line, offset = 1, 0
    for index, item in enumerate(items):
        line += text.count("\n", offset, item.start)
        offset = item.start
        found[(line, item.column + 1)] = index
    return found


def _new_home(paths: Sequence[str], files: Sequence[str], new_file: str | None) -> str | None:
    """The file new triggers are appended to; None: one new file each, in the first folder."""
    if new_file is not None:
        if not _inside(new_file, paths):
            raise TriggersyncError(
                f"--new-file {new_file} is not part of the configuration given "
                f"({', '.join(paths)}): plan would not read it"
            )
        if not new_file.endswith(EXTENSIONS):
            raise TriggersyncError(f"--new-file {new_file} must end with .yaml or .yml")
        return new_file
    if any(os.path.isdir(p) for p in paths):
        return None
    return files[0] if files else paths[0]


def _inside(file: str, paths: Sequence[str]) -> bool:
    real = os.path.realpath(file)
    for path in paths:
        root = os.path.realpath(path)
        if real == root or (os.path.isdir(root) and real.startswith(root.rstrip(os.sep) + os.sep)):
            return True
    return False


def _free_name(paths: Sequence[str], taken: Mapping[str, object], trigger: Trigger) -> str:
    """A new file for `trigger` in the first folder given, named as export names it, and
    never one that exists or that another new trigger takes."""
    folder = next(p for p in paths if os.path.isdir(p))
    stem = export.file_stem(trigger.name)
    candidate, n = stem, 2
    while True:
        path = os.path.join(folder, f"{candidate}.yaml")
        if path not in taken and not os.path.lexists(path):
            return path
        candidate, n = f"{stem}-{n}", n + 1
