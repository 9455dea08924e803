"""Desired × live → Changes.

Both sides are already `Trigger`s (one normalisation, model.normalise), so comparing their
`managed_view()` dicts with `model.same_json` is exact, and blind to what the configuration does
not manage (fields it leaves out, server metadata in a definition). The work is linear: dicts
by name, one cheap equality per pair, and deepdiff (slow to import, slower to run) only for the
pairs that differ, to name the paths.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from triggersync.engine.departments import Departments, names_for, routed_ids
from triggersync.engine.model import (
    FIELD_ORDER,
    MAX_LIVE_DEPTH,
    Trigger,
    canonical_value,
    deeper_than,
    same_definition,
    same_json,
)
from triggersync.engine.plan import (
    ABSENT,
    LEFTOVER_REASON,
    REPLACE_REASON,
    Change,
    FieldChange,
    Plan,
    fingerprint,
    ignored_by,
    temporary_name,
)
from triggersync.engine.targets import narrow
from triggersync.errors import ApiError, TriggersyncError, format_path
from triggersync.untrusted import shown


def diff(
    desired: Sequence[Trigger],
    live: Sequence[Trigger],
    *,
    is_ignored: Callable[[str], bool],
    prune: bool = True,
) -> list[Change]:
    """The changes that make the owned live triggers match the desired ones.

    Live triggers the config ignores are invisible: never matched, renamed, updated or deleted.
    `renamed_from: X` renames X only when the desired name is not live yet, X is live and
    owned, and no desired trigger is itself named X (it would otherwise be taken from under
    that trigger); in every other case the desired trigger is matched or created as usual.

    A live trigger under the temporary name of a declared one was left by an unfinished
    replacement. When the trigger it was to replace is gone, and it carries the declared
    definition, it is renamed into place (one PUT); otherwise it is deleted, with or without
    prune, so the next replacement can use the name.
    """
    visible = {trigger.name: trigger for trigger in live if not is_ignored(trigger.name)}
    declared = {trigger.name for trigger in desired}
    claimed: set[str] = set()
    changes: list[Change] = []
    for want in desired:
        have = visible.get(want.name)
        old = want.renamed_from
        if have is None and old is not None and old not in declared and old not in claimed:
            have = visible.get(old)
        leftover = visible.get(temporary_name(want.name))
        if leftover is not None and leftover.name not in declared:
            claimed.add(leftover.name)
            if have is None and _finishes(want, leftover):
                have = leftover
            else:
                changes.append(
                    Change("delete", leftover.name, leftover.body(), None, reason=LEFTOVER_REASON)
                )
        if have is None:
            changes.append(Change("create", want.name, None, want.body()))
            continue
        claimed.add(have.name)
        change = _compare(want, have)
        if change is not None:
            if change.action == "replace" and is_ignored(change.temporary_name):
                raise TriggersyncError(
                    f"cannot replace {shown(want.name)}: an ignore glob matches "
                    f"{shown(change.temporary_name)}, the temporary name its replacement needs"
                )
            changes.append(change)
    if prune:
        changes.extend(
            Change("delete", name, trigger.body(), None)
            for name, trigger in visible.items()
            if name not in claimed
        )
    return changes


def _finishes(want: Trigger, leftover: Trigger) -> bool:
    """Can the leftover of a replacement become `want` without another replacement?"""
    return same_definition(leftover, want)


def make_plan(
    desired: Sequence[Trigger],
    live: Sequence[Trigger],
    *,
    ignore: Sequence[str] = (),
    prune: bool = True,
    base_url: str | None = None,
    departments: Departments | None = None,
    targets: Sequence[str] = (),
) -> Plan:
    """A Plan with the fingerprints `apply --plan` checks; raises TriggersyncError when the
    changes cannot be ordered (renames in a cycle).

    `ignore` holds the configuration's globs of live names it does not own; `departments`,
    when the account's were read, names the department ids the changes route to; `targets`
    the `--target` globs that narrow both sides (engine/targets.py). The plan keeps every
    live name all the same: the stale check and the delete guard look at the whole account.
    """

    def is_ignored(name: str) -> bool:
        return ignored_by(name, ignore)

    for trigger in live:
        if deeper_than(trigger.definition, MAX_LIVE_DEPTH) and not is_ignored(trigger.name):
            raise ApiError(
                f"the live trigger {shown(trigger.name)} nests deeper than {MAX_LIVE_DEPTH} "
                "levels, more than any configuration can declare; fix it in Zendesk"
            )
    owned = (trigger.name for trigger in live if not is_ignored(trigger.name))
    scoped = narrow(desired, live, targets, owned=owned)
    changes = diff(scoped.desired, scoped.live, is_ignored=is_ignored, prune=prune)
    live_by_name = {trigger.name: trigger for trigger in live}
    fingerprints = {
        change.name: fingerprint(live_by_name[change.name])
        for change in changes
        if change.action != "create"
    }
    names = names_for(routed_ids(changes), departments) if departments is not None else {}
    return Plan(
        tuple(changes),
        fingerprints,
        tuple(live_by_name),
        base_url,
        tuple(ignore),
        names,
        targeting=scoped.targeting,
    )


def _compare(want: Trigger, have: Trigger) -> Change | None:
    # An undeclared definition is not managed: it stays out of both views, so it never differs;
    # nor do the keys of a declared one that the file leaves out (model.as_declared).
    before = have.managed_view(want)
    after = want.managed_view(want)
    if same_json(before, after):
        return None
    fields = tuple(field_changes(before, after))
    if not same_definition(have, want):
        # Zendesk's Update cannot change a definition: the trigger is replaced (apply.py).
        return Change("replace", have.name, before, after, fields, REPLACE_REASON)
    return Change("update", have.name, before, after, fields)


def field_changes(before: dict[str, Any], after: dict[str, Any]) -> list[FieldChange]:
    """Field-level differences with readable paths (`definition.condition[1][2]`).

    A top-level field whose two sides are scalars of one type is compared here, as deepdiff
    would report it (its value changed, at its own name); deepdiff gets only the rest, so the
    common updates (a description, `enabled`) never pay for it, nor for an unchanged
    definition walked again.
    """
    found: list[tuple[list[Any], FieldChange]] = []
    deep_before: dict[str, Any] = {}
    deep_after: dict[str, Any] = {}
    for key in (*before, *(k for k in after if k not in before)):
        old, new = before.get(key, ABSENT), after.get(key, ABSENT)
        if type(old) is type(new) and isinstance(old, _SCALARS):
            if old != new:
                found.append(([key], FieldChange(format_path([key]), old, new)))
            continue
        if same_json(old, new):
            continue
        if old is not ABSENT:
            deep_before[key] = old
        if new is not ABSENT:
            deep_after[key] = new
    if deep_before or deep_after:
        found.extend(_deep_changes(deep_before, deep_after))
    found.sort(key=lambda item: _path_key(item[0]))
    return [change for _, change in found]


_SCALARS = (str, int, float)


def _deep_changes(
    before: dict[str, Any], after: dict[str, Any]
) -> list[tuple[list[Any], FieldChange]]:
    from deepdiff import DeepDiff
    from deepdiff.helper import notpresent

    # threshold_to_diff_deeper=0: always name the innermost path, even when two nested
    # objects share few keys, so a reviewer sees exactly what moved.
    tree = DeepDiff(
        _for_deepdiff(before), _for_deepdiff(after), view="tree", threshold_to_diff_deeper=0
    )
    found: list[tuple[list[Any], FieldChange]] = []
    for levels in tree.values():
        for level in levels:
            parts = list(level.path(output_format="list"))
            old = ABSENT if level.t1 is notpresent else _from_deepdiff(level.t1)
            new = ABSENT if level.t2 is notpresent else _from_deepdiff(level.t2)
            found.append((parts, FieldChange(format_path(parts), old, new)))
    return found


class _Boolean(str):
    """A JSON boolean as deepdiff must be shown it. Its list diff matches items by hash and
    ==, and Python takes True for 1, so `[true]` against `[1]` would be no change at all; this
    equals only itself."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return type(other) is _Boolean and str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((_Boolean, str(self)))


_TRUE, _FALSE = _Boolean("true"), _Boolean("false")


def _for_deepdiff(value: Any) -> Any:
    """Canonical numbers (1.0 against 1 is no change) and booleans apart from numbers."""
    kind = type(value)
    if kind is bool:
        return _TRUE if value else _FALSE
    if kind is list:
        return [_for_deepdiff(item) for item in value]
    if kind is dict:
        return {key: _for_deepdiff(item) for key, item in value.items()}
    return canonical_value(value)


def _from_deepdiff(value: Any) -> Any:
    kind = type(value)
    if kind is _Boolean:
        return str.__eq__(value, "true")
    if kind is list:
        return [_from_deepdiff(item) for item in value]
    if kind is dict:
        return {key: _from_deepdiff(item) for key, item in value.items()}
    return value


# Field differences read in the order a trigger is written: the API's field order, and a
# definition's event before its conditions before its actions.
_KEY_ORDER = {key: rank for rank, key in enumerate((*FIELD_ORDER, "event", "condition", "actions"))}


def _path_key(parts: list[Any]) -> tuple[tuple[int, int, str], ...]:
    return tuple(
        (0, part, "") if isinstance(part, int) else (1, _KEY_ORDER.get(part, 99), str(part))
        for part in parts
    )
