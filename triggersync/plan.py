"""Plans are data: Changes in a stable display order, an execution order that respects names,
and the fingerprints `apply --plan` needs to refuse a stale plan.

Display order (SPEC §4's example shows update, create, delete): update, create, replace, delete,
then by name (case-insensitively, ties broken by the exact name), so a plan reads the same on
every run. Execution order is separate (`Plan.waves`), because Zendesk addresses triggers by
name and names are unique: whatever frees a name must finish before whatever takes it starts.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from triggersync.errors import TriggersyncError
from triggersync.model import Trigger, canonical_json
from triggersync.text import shown

Action = Literal["create", "update", "delete", "replace"]
ACTIONS: Final[tuple[Action, ...]] = ("update", "create", "replace", "delete")
_ACTION_RANK: Final = {action: rank for rank, action in enumerate(ACTIONS)}

REPLACE_REASON: Final = "definition cannot be updated in place"


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
    action: Action
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

    def frees(self) -> str | None:
        """The live name this change releases for another change to take."""
        if self.action == "delete" or self.is_rename:
            return self.name
        # A same-name replace frees and re-takes its own name internally: nobody else can use it.
        return None

    def takes(self) -> str | None:
        """The name this change claims, which must not be live when it runs."""
        if self.action == "create" or self.is_rename:
            return self.new_name
        return None

    def update_body(self) -> dict[str, Any]:
        """The PUT body: only the fields that change (SPEC §1), `name` only when renaming."""
        if self.action != "update" or self.before is None or self.after is None:
            raise ValueError(f"update_body() of a {self.action} change")
        body = {
            key: value
            for key, value in self.after.items()
            if key != "id" and (key not in self.before or self.before[key] != value)
        }
        if "enabled" in body:
            body["enabled"] = int(body["enabled"])  # the API wants 0/1, never a JSON boolean
        return body

    def create_body(self) -> dict[str, Any]:
        """The POST body of a create, or of the create half of a replace."""
        if self.action not in ("create", "replace") or self.after is None:
            raise ValueError(f"create_body() of a {self.action} change")
        body = {key: value for key, value in self.after.items() if key != "id"}
        if "enabled" in body:
            body["enabled"] = int(body["enabled"])
        return body


def display_key(change: Change) -> tuple[int, str, str]:
    return (_ACTION_RANK[change.action], change.name.casefold(), change.name)


def fingerprint(trigger: Trigger) -> str:
    """sha256 of the canonical JSON of every managed field, definition included.

    Built from `Trigger.body()`, so fields the tool does not manage never move it, and from
    the text `model.same` agrees with, so it moves exactly when the trigger compares unequal.
    A lone surrogate (JSON can carry one in an escape) is hashed as it is, not refused.
    """
    text = canonical_json(trigger.body())
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Plan:
    changes: tuple[Change, ...]
    fingerprints: Mapping[str, str] = field(default_factory=dict)  # live name -> fingerprint
    live_names: tuple[str, ...] = ()  # every live name at plan time, ignored ones included
    base_url: str | None = None
    owned_live: int = 0  # live triggers the config owned at plan time: the delete guard's base

    def __post_init__(self) -> None:
        # Normalised here so that every Plan, however built, displays and compares the same.
        object.__setattr__(self, "changes", tuple(sorted(self.changes, key=display_key)))
        object.__setattr__(self, "fingerprints", dict(sorted(self.fingerprints.items())))
        object.__setattr__(self, "live_names", tuple(sorted(set(self.live_names))))

    @property
    def summary(self) -> dict[str, int]:
        """Counts as Terraform gives them: a replace is one create plus one delete."""
        counts = {"create": 0, "update": 0, "delete": 0}
        for change in self.changes:
            if change.action == "replace":
                counts["create"] += 1
                counts["delete"] += 1
            else:
                counts[change.action] += 1
        return counts

    @property
    def empty(self) -> bool:
        return not self.changes

    def waves(self) -> list[list[Change]]:
        return execution_waves(self.changes)

    def to_dict(self) -> dict[str, Any]:
        from triggersync.plan_json import plan_to_dict

        return plan_to_dict(self)

    @classmethod
    def from_dict(cls, data: Any) -> Plan:
        from triggersync.plan_json import plan_from_dict

        return plan_from_dict(data)


def execution_waves(changes: Sequence[Change]) -> list[list[Change]]:
    """Group changes into waves: every change in a wave may run in parallel with the others,
    and each wave starts only when the previous one is done.

    A change that takes a name waits for the change that frees it (a delete, or a rename away
    from it). Raises TriggersyncError when names are taken twice or renames form a cycle.
    """
    freer: dict[str, int] = {}
    taker: dict[str, int] = {}
    for index, change in enumerate(changes):
        freed, taken = change.frees(), change.takes()
        if freed is not None:
            if freed in freer:
                raise TriggersyncError(f"cannot order the plan: two changes free {shown(freed)}")
            freer[freed] = index
        if taken is not None:
            if taken in taker:
                raise TriggersyncError(f"cannot order the plan: two changes take {shown(taken)}")
            taker[taken] = index

    # Each change waits for at most one other (the freer of the one name it takes), so the
    # dependencies form chains; a chain that loops back is a cycle.
    waits_for: list[int | None] = []
    for index, change in enumerate(changes):
        taken = change.takes()
        before = freer.get(taken) if taken is not None else None
        waits_for.append(before if before != index else None)

    depth: list[int | None] = [None] * len(changes)
    for start in range(len(changes)):
        chain: list[int] = []
        on_chain: set[int] = set()
        node: int | None = start
        while node is not None and depth[node] is None:
            if node in on_chain:
                raise TriggersyncError(_cycle_message(changes, chain[chain.index(node) :]))
            chain.append(node)
            on_chain.add(node)
            node = waits_for[node]
        level = -1 if node is None else _known(depth[node])
        for member in reversed(chain):
            level += 1
            depth[member] = level

    waves: list[list[Change]] = []
    for index, change in enumerate(changes):
        level = _known(depth[index])
        while len(waves) <= level:
            waves.append([])
        waves[level].append(change)
    return waves


def _known(level: int | None) -> int:
    assert level is not None
    return level


def _cycle_message(changes: Sequence[Change], cycle: list[int]) -> str:
    # Each member waits for the next, whose name it renames to.
    names = [changes[index].name for index in cycle]
    loop = " -> ".join(shown(name) for name in [*names, names[0]])
    return (
        f"cannot order the plan: renames form a cycle ({loop}); names are unique in Zendesk, "
        "so rename one of these triggers to a temporary name and apply that first"
    )
