"""The words text and markdown share: summary lines, change headings, values as people read them.

Everything a plan carries may be untrusted (live names and values, and a saved plan file is any
file): values go through untrusted.shown and free text (field paths, reasons) through
untrusted.clean, never raw. Marks, verbs and drift wording come from the action table
(engine/actions.py).
"""

from __future__ import annotations

from typing import Any

from triggersync.engine.actions import ACTIONS, COUNTED, DRIFTED
from triggersync.engine.plan import Change, Plan
from triggersync.untrusted import clean, shown


def summary_line(plan: Plan) -> str:
    """`Plan: 1 to create, 1 to update, 1 to delete.`"""
    counts = plan.summary
    return "Plan: " + ", ".join(f"{counts[counted]} to {counted}" for counted in COUNTED) + "."


def drift_summary_line(plan: Plan) -> str:
    """`Drift: 1 changed in Zendesk, 1 missing from Zendesk, 1 not in code.` (a replace once)."""
    counts = dict.fromkeys(DRIFTED, 0)
    for change in plan.changes:
        counts[ACTIONS[change.action].drifted] += 1
    return "Drift: " + ", ".join(f"{count} {words}" for words, count in counts.items()) + "."


def heading(change: Change) -> str:
    """`update "Name"`, with the rename and the reason in parentheses."""
    notes = [renamed(change)] if change.is_rename else []
    if change.reason:
        notes.append(clean(change.reason))
    return f"{change.action} {shown(change.name)}{_parenthesised(notes)}"


def drift_heading(change: Change) -> str:
    """`"Name" changed in Zendesk`, worded from Zendesk's side."""
    kind = ACTIONS[change.action]
    notes = [kind.drift_detail] if kind.drift_detail else []
    if change.is_rename:
        notes.append(f"{renamed(change)} in code")
    return f"{shown(change.name)} {kind.drifted}{_parenthesised(notes)}"


def renamed(change: Change) -> str:
    """A rename as people say it: `renamed "Old" to "New"`."""
    return f"renamed {shown(change.name)} to {shown(change.new_name)}"


def value(path: str, raw: Any) -> str:
    """A field's value as the files write it: `enabled` reads true/false (the API's 1/0 stays
    in JSON output); everything else as JSON, strings quoted."""
    if path == "enabled" and type(raw) is not bool and raw in (0, 1):
        return "true" if raw else "false"
    return shown(raw)


def drift_order(plan: Plan) -> list[Change]:
    """Changed triggers first, then missing ones, then those not in code; each by name."""
    return sorted(
        plan.changes,
        key=lambda c: (ACTIONS[c.action].drift_rank, c.name.casefold(), c.name),
    )


def _parenthesised(notes: list[str]) -> str:
    return f" ({'; '.join(notes)})" if notes else ""
