"""Plan and drift as text for a terminal or a log, Terraform-like (docs/plans.md, "Text" and
"Drift"), and the line each applied change prints.

A field change reads `~ path: old -> new`; `+ path: value` where only the configuration has
the path, `-` where only Zendesk has it. Below the paths, a created trigger's definition in
words (`will do: When a visitor ...`), and a replaced one's before and after (`did:`). Drift
reads the same changes from Zendesk's side (`Zendesk has:`, `code says:`). When apply would
refuse the plan without --force, the notice comes just above the summary line, which stays
last.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Final

from triggersync.engine.kinds import CHANGE_KINDS
from triggersync.engine.plan import ABSENT, Change, FieldChange, Plan
from triggersync.untrusted import clean, shown
from triggersync.views.words import (
    drift_heading,
    drift_order,
    drift_summary_line,
    drift_words,
    guard_notice,
    heading,
    plan_words,
    rename_phrase,
    summary_line,
    value,
)

if TYPE_CHECKING:
    from triggersync.engine.apply import ApplyOutcome, ApplyResult

_GREEN, _YELLOW, _RED, _RESET = "\x1b[32m", "\x1b[33m", "\x1b[31m", "\x1b[0m"
_COLORS: Final = {"+": _GREEN, "~": _YELLOW, "-": _RED}
_INDENT: Final = "      "

Paint = Callable[[str], str]


def warning_line(message: str) -> str:
    """A warning as every command says it on stderr (`warning: file:line:col: TS103 ...`),
    and as `show` says a saved plan's."""
    return f"warning: {clean(message)}"


def render_text(plan: Plan, *, color: bool = False, warnings: bool = False) -> str:
    """The plan as text; with `warnings`, the warnings it lists first, one a line, as `plan`
    said them on stderr when it was made (`show` of a saved plan)."""
    said = [warning_line(str(warning)) for warning in plan.warnings] if warnings else []
    return "".join(f"{line}\n" for line in said) + ("\n" if said else "") + _plan_text(plan, color)


def _plan_text(plan: Plan, color: bool) -> str:
    if plan.empty:
        return _targeted(plan) + "No changes.\n"
    paint = _painter(color)
    lines: list[str] = []
    for change in plan.changes:
        lines.append(f"{_mark(CHANGE_KINDS[change.action].symbol, paint)} {heading(change)}")
        lines.extend(_fields(change, paint))
        lines.extend(f"{_INDENT}{words}" for _, words in plan_words(change, plan))
    notice = guard_notice(plan)
    if notice is not None:
        lines += ["", f"Warning: {notice}"]
    return _targeted(plan) + "\n".join([*lines, "", summary_line(plan)]) + "\n"


def _targeted(plan: Plan) -> str:
    """A narrowed plan says so first, as Terraform warns of resource targeting."""
    return "" if plan.targeting is None else plan.targeting.line + "\n\n"


def render_drift_text(plan: Plan, *, color: bool = False) -> str:
    if plan.empty:
        return _targeted(plan) + "No drift.\n"
    paint = _painter(color)
    lines: list[str] = []
    for change in drift_order(plan):
        lines.append(
            f"{_mark(CHANGE_KINDS[change.action].drift_symbol, paint)} {drift_heading(change)}"
        )
        lines.extend(f"{_INDENT}{_drift_field(item, paint)}" for item in change.diff)
        lines.extend(f"{_INDENT}{words}" for _, words in drift_words(change, plan))
    return _targeted(plan) + "\n".join([*lines, "", drift_summary_line(plan)]) + "\n"


def outcome_line(outcome: ApplyOutcome) -> str:
    """What apply reports as each change finishes: `created "Name"`, `failed create "Name"`."""
    change = outcome.change
    if outcome.status != "ok":
        return f"{outcome.status} {change.action} {shown(change.name)}"
    rename = f" ({rename_phrase(change)})" if change.is_rename else ""
    return f"{CHANGE_KINDS[change.action].past} {shown(change.name)}{rename}"


def applied_summary(result: ApplyResult) -> str:
    """`2 created, 1 updated, 2 deleted.`: what apply did (a whole replace counts as both)."""
    return ", ".join(f"{count} {past}" for past, count in result.counts().items()) + "."


def _fields(change: Change, paint: Paint) -> Iterator[str]:
    for item in change.diff:
        path = clean(item.path)
        if item.before is ABSENT:
            yield f"{_INDENT}{paint('+')} {path}: {value(item.path, item.after)}"
        elif item.after is ABSENT:
            yield f"{_INDENT}{paint('-')} {path}: {value(item.path, item.before)}"
        else:
            old, new = value(item.path, item.before), value(item.path, item.after)
            yield f"{_INDENT}{paint('~')} {path}: {old} -> {new}"


def _drift_field(item: FieldChange, paint: Paint) -> str:
    # FieldChange runs live → code; drift reads it the other way round.
    path = clean(item.path)
    if item.before is ABSENT:
        return f"{paint('-')} {path}: missing in Zendesk, code has {value(item.path, item.after)}"
    if item.after is ABSENT:
        return f"{paint('+')} {path}: Zendesk has {value(item.path, item.before)}, not in code"
    zendesk, code = value(item.path, item.before), value(item.path, item.after)
    return f"{paint('~')} {path}: Zendesk has {zendesk}, code has {code}"


def _mark(symbol: str, paint: Paint) -> str:
    """A change's mark, right-aligned in three columns (`  ~`, `-/+`), each sign painted."""
    return "".join(paint(char) if char in _COLORS else char for char in f"{symbol:>3}")


def _painter(color: bool) -> Paint:
    if not color:
        return lambda symbol: symbol
    return lambda symbol: f"{_COLORS[symbol]}{symbol}{_RESET}"
