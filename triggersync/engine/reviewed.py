"""What was reviewed is what is applied: `apply --plan FILE PATH...` checks a saved plan against
a fresh one (docs/plans.md, "Applying what was reviewed").

In CI the saved plan comes from a pull request's run: whoever can edit the pull request can
edit that file. So in this form it is a record of what the reviewers saw and nothing more. The
fresh plan, made now from the configuration and the live account, is what runs, and every
check (the delete guard included) reads the fresh plan; the saved one only has to agree with
it, change for change, before and after, by the one equality the diff uses
(`model.same_json`). An edited file can then refuse an apply, never widen one.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

from triggersync.engine.apply import check_account
from triggersync.engine.diff import field_changes
from triggersync.engine.model import same_json
from triggersync.engine.plan import Change, Plan
from triggersync.errors import StalePlanError
from triggersync.untrusted import shown

How = Literal["only_saved", "only_fresh", "different"]

# A message names this many triggers, then counts the rest: it stays one readable line.
MAX_NAMED: Final = 10


@dataclass(frozen=True)
class Mismatch:
    """One trigger on which the saved and the fresh plan disagree, and how."""

    name: str  # the name the change addresses (the live name, or the new one for a create)
    how: How
    # What the one plan does (`delete`), or, for `different`, which side moved
    # (`changed in Zendesk since: description`).
    detail: str = ""

    def __str__(self) -> str:
        if self.how == "only_saved":
            return f"{shown(self.name)} only in the saved plan ({self.detail})"
        if self.how == "only_fresh":
            return f"{shown(self.name)} only in the fresh plan ({self.detail})"
        return f"{shown(self.name)} differs ({self.detail})"


class PlanMismatchError(StalePlanError):
    """A saved plan is not what a fresh plan of the configuration would do now."""

    def __init__(self, mismatches: Sequence[Mismatch], hint: str = "") -> None:
        self.mismatches = tuple(mismatches)
        named = "; ".join(str(item) for item in self.mismatches[:MAX_NAMED])
        more = len(self.mismatches) - MAX_NAMED
        if more > 0:
            named += f"; and {more} more"
        if hint:
            named += f"; {hint}"
        super().__init__(
            "the saved plan is not what a fresh plan would do now, so nothing was applied: "
            f"{named}; review the fresh plan (triggersync plan) and save it again"
        )


def mismatches(saved: Plan, fresh: Plan) -> tuple[Mismatch, ...]:
    """Where the two plans disagree, by the name each change addresses, in name order."""
    saved_by_name = {change.name: change for change in saved.changes}
    fresh_by_name = {change.name: change for change in fresh.changes}
    found: list[Mismatch] = []
    for name in sorted(saved_by_name.keys() | fresh_by_name.keys()):
        old, new = saved_by_name.get(name), fresh_by_name.get(name)
        if new is None:
            assert old is not None
            found.append(Mismatch(name, "only_saved", old.action))
        elif old is None:
            found.append(Mismatch(name, "only_fresh", new.action))
        else:
            detail = _difference(old, new)
            if detail:
                found.append(Mismatch(name, "different", detail))
    return tuple(found)


def _difference(saved: Change, fresh: Change) -> str:
    """How one trigger's saved change differs from its fresh one, in words; "" when alike."""
    if saved.action != fresh.action:
        return f"{saved.action} in the saved plan, {fresh.action} now"
    parts: list[str] = []
    if not same_json(saved.before, fresh.before):
        parts.append("changed in Zendesk since: " + _paths(saved.before, fresh.before))
    if not same_json(saved.after, fresh.after):
        parts.append("the configuration now says otherwise: " + _paths(saved.after, fresh.after))
    return "; ".join(parts)


def _paths(old: dict[str, object] | None, new: dict[str, object] | None) -> str:
    if old is None or new is None:  # a create's before, a delete's after: never one-sided
        return "the whole trigger"
    return ", ".join(item.path for item in field_changes(old, new)) or "the whole trigger"


def check_reviewed(saved: Plan, fresh: Plan, base_url: str, *, hints: bool = True) -> Plan:
    """The fresh plan, when its changes are exactly the saved plan's and both address the
    account at `base_url` (PlanFileError for another account; PlanMismatchError, naming each
    trigger that differs, otherwise). `hints`: the message also says when the plans' options
    (`--target`, `--no-prune`) differ, for a fresh plan made with the command's options; a
    project's part is planned with its own, and its apply takes none."""
    check_account(saved, base_url)
    found = mismatches(saved, fresh)
    if found:
        raise PlanMismatchError(found, _hint(saved, fresh, found) if hints else "")
    return fresh


def _hint(saved: Plan, fresh: Plan, found: Sequence[Mismatch]) -> str:
    """What the options of the two plans say when they differ: the usual cause of a mismatch
    right after `plan --out`, when the apply forgot the plan's `--target` or `--no-prune`."""
    was = saved.targeting.globs if saved.targeting is not None else ()
    now = fresh.targeting.globs if fresh.targeting is not None else ()
    if tuple(was) != tuple(now):
        return (
            f"the saved plan was made with {_targets(was)}, this apply with {_targets(now)}: "
            "give the same"
        )
    pruned = all(item.how == "only_fresh" and item.detail == "delete" for item in found)
    if pruned and not any(change.action == "delete" for change in saved.changes):
        return (
            "the fresh plan's only differences are deletes the saved plan lacks: if it was "
            "made with --no-prune, give --no-prune here too"
        )
    return ""


def _targets(globs: Sequence[str]) -> str:
    if not globs:
        return "none"
    return " ".join(f"--target {shlex.quote(shown(glob)[1:-1])}" for glob in globs)
