"""The words text and markdown share: summary lines, change headings, values as people read
them, definitions in plain words and the delete guard's notice.

Everything a plan carries may be untrusted (live names and values, and a saved plan file is any
file): values go through untrusted.shown and free text (field paths, reasons, definitions in
words) through untrusted.clean, never raw. Marks, verbs and drift wording come from the table
of change kinds (engine/kinds.py); definitions in words from the language package
(docs/language.md), which never guesses: what it does not know it shows as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Literal

from triggersync.engine.guard import delete_guard, uncounted
from triggersync.engine.kinds import CHANGE_KINDS, COUNTED, DRIFTED
from triggersync.engine.plan import Change, Plan
from triggersync.language import explain_sentence
from triggersync.untrusted import clean, shown

Side = Literal["before", "after"]

# How a definition in words is introduced: a plan says what the trigger did and what it will
# do; drift what Zendesk has and what the code says (`before` is always the live side).
PLAN_SIDES: Final[dict[Side, str]] = {"before": "did:", "after": "will do:"}
DRIFT_SIDES: Final[dict[Side, str]] = {"before": "Zendesk has:", "after": "code says:"}
NO_DEFINITION: Final = "no definition"


def summary_line(plan: Plan) -> str:
    """`Plan: 1 to create, 1 to update, 1 to delete.`"""
    counts = plan.summary
    return "Plan: " + ", ".join(f"{counts[counted]} to {counted}" for counted in COUNTED) + "."


def drift_summary_line(plan: Plan) -> str:
    """`Drift: 1 changed in Zendesk, 1 missing from Zendesk, 1 not in code.` (a replace once)."""
    counts = dict.fromkeys(DRIFTED, 0)
    for change in plan.changes:
        counts[CHANGE_KINDS[change.action].drifted] += 1
    return "Drift: " + ", ".join(f"{count} {words}" for words, count in counts.items()) + "."


def heading(change: Change) -> str:
    """`update "Name"`, with the rename and the reason in parentheses."""
    notes = [rename_phrase(change)] if change.is_rename else []
    if change.reason:
        notes.append(clean(change.reason))
    return f"{change.action} {shown(change.name)}{_parenthesised(notes)}"


def drift_heading(change: Change) -> str:
    """`"Name" changed in Zendesk`, worded from Zendesk's side."""
    kind = CHANGE_KINDS[change.action]
    notes = [kind.drift_detail] if kind.drift_detail else []
    if change.is_rename:
        notes.append(f"{rename_phrase(change)} in code")
    return f"{shown(change.name)} {kind.drifted}{_parenthesised(notes)}"


def rename_phrase(change: Change) -> str:
    """A rename as people say it: `renamed "Old" to "New"`."""
    return f"renamed {shown(change.name)} to {shown(change.new_name)}"


def value(path: str, raw: Any) -> str:
    """A field's value as the files write it: `enabled` reads true/false (the API's 1/0 stays
    in JSON output); everything else as JSON, strings quoted."""
    if path == "enabled" and type(raw) is not bool and raw in (0, 1):
        return "true" if raw else "false"
    return shown(raw)


def guard_notice(plan: Plan) -> str | None:
    """`apply will refuse this plan without --force: it deletes 50 of 60 owned live triggers
    (more than 30%).`, when the delete guard (engine/guard.py) would refuse the plan; each
    view says it as a warning."""
    refusal = delete_guard(plan)
    return None if refusal is None else f"{refusal.notice}{uncounted(plan)}."


def definition_words(definition: Any, departments: Mapping[int, str] | None = None) -> str:
    """A definition as one sentence on one line, as `explain` prints it; `departments` names
    the department ids it knows (`set department "Sales" (id 123)`)."""
    if definition is None:
        return NO_DEFINITION
    return clean(explain_sentence(definition, departments or {}))


def plan_words(change: Change, plan: Plan) -> list[tuple[Side, str]]:
    """A created trigger's definition in words (`will do: ...`), or a replaced one's before
    and after (`did: ...`, `will do: ...`); nothing for the other changes, nor for a create
    that leaves the definition unmanaged. `plan` names the departments."""
    if change.action == "create" and change.after and change.after.get("definition") is not None:
        return _said(change, ("after",), PLAN_SIDES, plan.department_names)
    if change.action == "replace":
        return _said(change, ("before", "after"), PLAN_SIDES, plan.department_names)
    return []


def drift_words(change: Change, plan: Plan) -> list[tuple[Side, str]]:
    """A changed definition in words: what Zendesk has, what the code says."""
    if change.action == "replace":
        return _said(change, ("before", "after"), DRIFT_SIDES, plan.department_names)
    return []


def _said(
    change: Change,
    sides: tuple[Side, ...],
    labels: dict[Side, str],
    departments: Mapping[int, str],
) -> list[tuple[Side, str]]:
    # Labels padded to one width, so that the two sentences start in one column.
    width = max(len(label) for label in labels.values())
    lines: list[tuple[Side, str]] = []
    for side in sides:
        view = change.before if side == "before" else change.after
        words = definition_words(view.get("definition") if view else None, departments)
        lines.append((side, f"{labels[side]:<{width}} {words}"))
    return lines


def drift_order(plan: Plan) -> list[Change]:
    """Changed triggers first, then missing ones, then those not in code; each by name."""
    return sorted(
        plan.changes,
        key=lambda c: (CHANGE_KINDS[c.action].drift_rank, c.name.casefold(), c.name),
    )


def _parenthesised(notes: list[str]) -> str:
    return f" ({'; '.join(notes)})" if notes else ""
