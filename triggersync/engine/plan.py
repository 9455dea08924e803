"""Plans are data: Changes in a stable display order, an execution order that respects names,
and the fingerprints `apply --plan` needs to refuse a stale plan.

Display order: by change kind, in the order of their table (engine/kinds.py), then by
name (case-insensitively, ties broken by the exact name), so a plan reads the same on every
run. Execution order is separate (`Plan.waves`), because Zendesk addresses triggers by name
and names are unique: whatever frees a name must finish before whatever takes it starts.

A replacement runs under a temporary name (`temporary_name`): the new trigger is created
under it, disabled, the old one is deleted, then the new one gets its name and `enabled`.
The name is deterministic, so a later plan recognises what an unfinished replacement left.
"""

from __future__ import annotations

import enum
import fnmatch
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from triggersync.engine.kinds import CHANGE_KINDS, COUNTED, ChangeKind, Counted
from triggersync.engine.model import Trigger, canonical_json
from triggersync.errors import Problem, TriggersyncError
from triggersync.untrusted import shown

REPLACE_REASON: Final = "definition cannot be updated in place"
LEFTOVER_REASON: Final = "left over by an unfinished replacement"

# Appended to a trigger's name while its replacement is being put in place; it says, in
# Zendesk's own list, whose trigger it is and why it is there.
TEMPORARY_SUFFIX: Final = " [triggersync: replacing]"


def temporary_name(name: str) -> str:
    """The name the replacement of trigger `name` is created under, until the old is gone."""
    return name + TEMPORARY_SUFFIX


def ignored_by(name: str, globs: Iterable[str]) -> bool:
    """Whether an `ignore` glob (case-sensitive, shell-style) disowns a live trigger name."""
    return any(fnmatch.fnmatchcase(name, glob) for glob in globs)


class Absent(enum.Enum):
    """A side of a FieldChange where the path does not exist (an added or removed item).

    Distinct from None, which is a JSON null that is really there.
    """

    ABSENT = "absent"

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Final = Absent.ABSENT


@dataclass(frozen=True)
class FieldChange:
    path: str  # "description", "definition.condition[1][2]"
    before: Any  # ABSENT when the path is added
    after: Any  # ABSENT when the path is removed


@dataclass(frozen=True)
class Change:
    action: ChangeKind
    name: str  # the name in the API path: live name, except for a create
    before: dict[str, Any] | None  # managed view of the live trigger; None for create
    after: dict[str, Any] | None  # managed view of the desired trigger; None for delete
    diff: tuple[FieldChange, ...] = ()
    reason: str = ""  # why a replace cannot be an update

    @property
    def new_name(self) -> str:
        """The name the trigger has once the change is applied (differs only for a rename)."""
        return str(self.after["name"]) if self.after is not None else self.name

    @property
    def is_rename(self) -> bool:
        return self.action in ("update", "replace") and self.new_name != self.name

    @property
    def temporary_name(self) -> str:
        """For a replace: the name the new trigger carries until the old one is deleted."""
        return temporary_name(self.new_name)

    def frees(self) -> tuple[str, ...]:
        """The live names this change releases for another change to take."""
        if self.action == "delete" or self.is_rename:
            return (self.name,)
        # A same-name replace frees and re-takes its own name internally: nobody else can use it.
        return ()

    def takes(self) -> tuple[str, ...]:
        """The names this change claims, which must not be live when it runs.

        A replace also claims its temporary name, which it frees again before it ends.
        """
        taken: list[str] = []
        if self.action == "create" or self.is_rename:
            taken.append(self.new_name)
        if self.action == "replace":
            taken.append(self.temporary_name)
        return tuple(taken)

    def update_body(self) -> dict[str, Any]:
        """The PUT body: only the fields that change, `name` only when renaming; never the
        definition, which an update leaves as it is (a change to it is a replace) and which
        Zendesk's Update cannot change."""
        if self.action != "update" or self.before is None or self.after is None:
            raise ValueError(f"update_body() of a {self.action} change")
        body = {
            key: value
            for key, value in self.after.items()
            if key not in ("id", "definition")
            and (key not in self.before or self.before[key] != value)
        }
        if "enabled" in body:
            body["enabled"] = int(body["enabled"])  # the API wants 0/1, never a JSON boolean
        return body

    def create_body(self) -> dict[str, Any]:
        """The POST body of a create."""
        if self.action != "create" or self.after is None:
            raise ValueError(f"create_body() of a {self.action} change")
        return _post_body(self.after)

    def replacement_body(self) -> dict[str, Any]:
        """The POST body of a replace's first step: the new trigger under its temporary name,
        disabled, so it never fires next to the old one."""
        if self.action != "replace" or self.after is None:
            raise ValueError(f"replacement_body() of a {self.action} change")
        return {**_post_body(self.after), "name": self.temporary_name, "enabled": 0}

    def finishing_body(self) -> dict[str, Any]:
        """The PUT body of a replace's last step: the real name, and `enabled` when it is on
        (the temporary trigger was created off)."""
        if self.action != "replace" or self.after is None:
            raise ValueError(f"finishing_body() of a {self.action} change")
        body: dict[str, Any] = {"name": self.new_name}
        if int(self.after["enabled"]):
            body["enabled"] = 1
        return body


def _post_body(after: Mapping[str, Any]) -> dict[str, Any]:
    body = {key: value for key, value in after.items() if key != "id"}
    if "enabled" in body:
        body["enabled"] = int(body["enabled"])  # the API wants 0/1, never a JSON boolean
    return body


def display_key(change: Change) -> tuple[int, str, str]:
    return (CHANGE_KINDS[change.action].rank, change.name.casefold(), change.name)


def fingerprint(trigger: Trigger) -> str:
    """sha256 of the canonical JSON of every managed field, definition included.

    Built from `Trigger.body()`, so fields the tool does not manage never move it, and from
    the text `model.same_json` agrees with, so it moves exactly when the trigger compares unequal.
    A lone surrogate (JSON can carry one in an escape) is hashed as it is, not refused.
    """
    text = canonical_json(trigger.body())
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Targeting:
    """What a plan narrowed by `--target` records (engine/targets.py): its globs, and how many
    triggers they picked out of how many the run saw (declared names and owned live names,
    each counted once)."""

    globs: tuple[str, ...]
    selected: int
    total: int

    @property
    def line(self) -> str:
        """`Targeted: 2 of 40 triggers.`"""
        noun = "trigger" if self.total == 1 else "triggers"
        return f"Targeted: {self.selected} of {self.total} {noun}."


@dataclass(frozen=True)
class Plan:
    changes: tuple[Change, ...]
    fingerprints: Mapping[str, str] = field(default_factory=dict)  # live name -> fingerprint
    live_names: tuple[str, ...] = ()  # every live name at plan time, ignored ones included
    base_url: str | None = None
    ignore: tuple[str, ...] = ()  # the configuration's ignore globs: what it does not own
    # Names of the department ids the changes route to, where the account's list was read:
    # shown next to the ids (`set department "Sales" (id 123)`), never compared.
    department_names: Mapping[int, str] = field(default_factory=dict)
    targeting: Targeting | None = None  # set when --target narrowed the plan
    # The configuration's warnings (docs/rules.md): every report lists them.
    warnings: tuple[Problem, ...] = ()
    # The execution order (`execution_waves`), worked out once, when the plan is made.
    waves: tuple[tuple[Change, ...], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Normalised here so that every Plan, however built, displays and compares the same.
        object.__setattr__(self, "changes", tuple(sorted(self.changes, key=display_key)))
        object.__setattr__(self, "fingerprints", dict(sorted(self.fingerprints.items())))
        object.__setattr__(self, "live_names", tuple(sorted(set(self.live_names))))
        object.__setattr__(self, "ignore", tuple(self.ignore))
        object.__setattr__(self, "warnings", tuple(self.warnings))
        object.__setattr__(self, "department_names", dict(sorted(self.department_names.items())))
        # Ordered here, so a plan whose changes cannot be ordered is never made (nor shown),
        # and apply runs the very waves that were checked.
        object.__setattr__(self, "waves", execution_waves(self.changes))

    @property
    def owned_live(self) -> int:
        """The delete guard's base: live triggers the configuration owns, counted from the
        plan's own live names and globs (never taken from a number a file could inflate).
        Leftovers of unfinished replacements are not counted: they are not triggers anyone
        declared."""
        leftovers = self.leftover_deletes()
        return sum(
            1
            for name in self.live_names
            if not ignored_by(name, self.ignore) and name not in leftovers
        )

    def leftover_deletes(self) -> frozenset[str]:
        """Deletes that only remove the temporary trigger of an unfinished replacement whose
        trigger the plan leaves live under its real name: losing them loses nothing."""
        remaining = set(self.live_names)
        for change in self.changes:
            if change.action != "create":
                remaining.discard(change.name)
            if change.after is not None:
                remaining.add(change.new_name)
        temporary = {temporary_name(name) for name in remaining}
        return frozenset(
            change.name
            for change in self.changes
            if change.action == "delete" and change.name in temporary
        )

    @property
    def summary(self) -> dict[Counted, int]:
        """Counts as Terraform gives them: a replace is one create plus one delete."""
        counts = dict.fromkeys(COUNTED, 0)
        for change in self.changes:
            for counted in CHANGE_KINDS[change.action].counts_as:
                counts[counted] += 1
        return counts

    @property
    def empty(self) -> bool:
        return not self.changes


def execution_waves(changes: Sequence[Change]) -> tuple[tuple[Change, ...], ...]:
    """Group changes into waves: every change in a wave may run in parallel with the others,
    and each wave starts only when the previous one is done.

    A change that takes a name waits for the change that frees it (a delete, or a rename away
    from it). Raises TriggersyncError when names are taken twice or renames form a cycle.
    """
    freer: dict[str, int] = {}
    taker: dict[str, int] = {}
    for index, change in enumerate(changes):
        for freed in change.frees():
            if freed in freer:
                raise TriggersyncError(f"cannot order the plan: two changes free {shown(freed)}")
            freer[freed] = index
        for taken in change.takes():
            if taken in taker:
                raise TriggersyncError(f"cannot order the plan: two changes take {shown(taken)}")
            taker[taken] = index

    # A change waits for the freer of each name it takes (at most two: a renaming replace
    # takes its new name and its temporary one).
    waits_for = [
        sorted({freer[name] for name in change.takes() if name in freer} - {index})
        for index, change in enumerate(changes)
    ]

    # Depth-first, without recursion (plans can be long chains): a change's wave is one
    # after the latest of those it waits for; meeting a change on the current path is a cycle.
    depth: list[int | None] = [None] * len(changes)
    for start in range(len(changes)):
        if depth[start] is not None:
            continue
        path = [start]
        on_path = {start}
        pending = [iter(waits_for[start])]
        while path:
            for before in pending[-1]:
                if depth[before] is not None:
                    continue
                if before in on_path:
                    raise TriggersyncError(_cycle_message(changes, path[path.index(before) :]))
                path.append(before)
                on_path.add(before)
                pending.append(iter(waits_for[before]))
                break
            else:
                node = path.pop()
                on_path.discard(node)
                pending.pop()
                depth[node] = 1 + max((_known(depth[i]) for i in waits_for[node]), default=-1)

    waves: list[list[Change]] = []
    for index, change in enumerate(changes):
        level = _known(depth[index])
        while len(waves) <= level:
            waves.append([])
        waves[level].append(change)
    return tuple(tuple(wave) for wave in waves)


def _known(level: int | None) -> int:
    assert level is not None
    return level


def _cycle_message(changes: Sequence[Change], cycle: list[int]) -> str:
    # Each member waits for the next, which frees a name it takes.
    names = [changes[index].name for index in cycle]
    loop = " -> ".join(shown(name) for name in [*names, names[0]])
    return (
        f"cannot order the plan: renames form a cycle ({loop}); names are unique in Zendesk, "
        "so rename one of these triggers to a temporary name and apply that first"
    )
