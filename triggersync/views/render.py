"""Text, markdown and JSON views of a Plan, and the drift wording of the same Plan.

Renderers only read a Plan. Values are shown JSON-encoded (strings quoted, definitions as
JSON), so what a reviewer reads is what the API receives. Everything a plan carries may be
untrusted (live names and values, and a saved plan file is any file): values go through
text.shown and free text (field paths, reasons) through text.clean, never raw.

Plan text is Terraform-like (docs/plans.md). Markdown puts the changes in a ```diff block,
where GitHub colours a line by its first character: `+` green, `-` red, `!` orange; so there
an update is `!` and a field change is a `-` old line followed by a `+` new line.

Drift words the same changes from the live side: an update is "changed in Zendesk", a create
"missing from Zendesk", a delete "not in code", a replace "changed in Zendesk (definition)".
Its symbols are the live side's too: `+` is in Zendesk only, `-` is missing from Zendesk.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Final

from triggersync.engine.plan import ABSENT, Change, FieldChange, Plan
from triggersync.untrusted import clean, json_document, shown

# Last line of the markdown, so the summary line comes first; finds the sticky PR comment.
PLAN_MARKER: Final = "<!-- triggersync-plan -->"
DRIFT_MARKER: Final = "<!-- triggersync-drift -->"
FOLD_THRESHOLD: Final = 20  # more changes than this and markdown folds them in <details>
WARNING: Final = "> **Warning:** this plan deletes or replaces triggers."
COMMENT_LIMIT: Final = 65_000  # GitHub refuses a comment or issue body over 65,536 characters

_GREEN, _YELLOW, _RED, _RESET = "\x1b[32m", "\x1b[33m", "\x1b[31m", "\x1b[0m"
_COLORS: Final = {"+": _GREEN, "~": _YELLOW, "-": _RED}
_INDENT: Final = "      "

Paint = Callable[[str], str]


def render_text(plan: Plan, *, color: bool = False) -> str:
    if plan.empty:
        return "No changes.\n"
    paint = _painter(color)
    lines: list[str] = []
    for change in plan.changes:
        lines.append(_text_header(change, paint))
        lines.extend(_text_fields(change, paint))
    return "\n".join([*lines, "", summary_line(plan)]) + "\n"


def render_markdown(plan: Plan) -> str:
    if plan.empty:
        return f"**No changes.**\n\n{PLAN_MARKER}\n"
    parts = [f"**{summary_line(plan)}**", ""]
    if any(change.action in ("delete", "replace") for change in plan.changes):
        parts += [WARNING, ""]
    body: list[str] = []
    for change in plan.changes:
        body.append(_markdown_header(change))
        body.extend(_markdown_fields(change))
    return "\n".join([*parts, *_diff_block(body, len(plan.changes)), "", PLAN_MARKER]) + "\n"


def render_json(plan: Plan) -> str:
    return json_document(plan.to_dict()) + "\n"


def render_drift_text(plan: Plan, *, color: bool = False) -> str:
    if plan.empty:
        return "No drift.\n"
    paint = _painter(color)
    lines: list[str] = []
    for change in _drift_order(plan):
        symbol, wording = _drift_words(change)
        lines.append(f"  {paint(symbol)} {shown(change.name)} {wording}")
        lines.extend(f"{_INDENT}{_drift_field_text(item, paint)}" for item in change.diff)
    return "\n".join([*lines, "", drift_summary_line(plan)]) + "\n"


def render_drift_markdown(plan: Plan) -> str:
    if plan.empty:
        return f"**No drift.**\n\n{DRIFT_MARKER}\n"
    body: list[str] = []
    for change in _drift_order(plan):
        symbol, wording = _drift_words(change)
        body.append(f"{'!' if symbol == '~' else symbol} {shown(change.name)} {wording}")
        for item in change.diff:
            if item.after is not ABSENT:
                body.append(f"-    {clean(item.path)}: {shown(item.after)} (code)")
            if item.before is not ABSENT:
                body.append(f"+    {clean(item.path)}: {shown(item.before)} (Zendesk)")
    parts = [f"**{drift_summary_line(plan)}**", ""]
    return "\n".join([*parts, *_diff_block(body, len(plan.changes)), "", DRIFT_MARKER]) + "\n"


def summary_line(plan: Plan) -> str:
    counts = plan.summary
    return (
        f"Plan: {counts['create']} to create, {counts['update']} to update, "
        f"{counts['delete']} to delete."
    )


def drift_summary_line(plan: Plan) -> str:
    changed = sum(change.action in ("update", "replace") for change in plan.changes)
    missing = sum(change.action == "create" for change in plan.changes)
    extra = sum(change.action == "delete" for change in plan.changes)
    return (
        f"Drift: {changed} changed in Zendesk, {missing} missing from Zendesk, {extra} not in code."
    )


def truncate_markdown(text: str, limit: int = COMMENT_LIMIT, *, what: str = "plan") -> str:
    """Cut markdown to at most `limit` characters at a line boundary, for a PR comment.

    The last line (the marker that finds the sticky comment) is always kept; an open code
    fence or <details> is closed, and a note says how much was left out and where it is.
    """
    if len(text) <= limit:
        return text
    # Split at "\n" only: str.splitlines also splits at U+2028, U+0085, \x1c... which are
    # no line breaks in markdown, so a cut there would leave half a line.
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    marker = lines.pop() if lines and lines[-1] in (PLAN_MARKER, DRIFT_MARKER) else None
    tail = ["", marker] if marker else []
    note_room = len(_truncation_note(what, len(text))) + sum(len(line) + 1 for line in tail)
    kept: list[str] = []
    fence: str | None = None
    details = False
    size = 0
    for line in lines:
        next_fence, next_details = _markdown_state(line, fence, details)
        closers = _closers(next_fence, next_details)
        needed = size + len(line) + 1 + sum(len(c) + 1 for c in closers) + note_room + 1
        if kept and needed > limit:
            break
        kept.append(line)
        size += len(line) + 1
        fence, details = next_fence, next_details
    note = _truncation_note(what, len(text) - size)
    return "\n".join([*kept, *_closers(fence, details), "", note, *tail]) + "\n"


def _markdown_state(line: str, fence: str | None, details: bool) -> tuple[str | None, bool]:
    if fence is not None:
        return (None if line.strip() == fence else fence), details
    if line.startswith("```"):
        return line[: len(line) - len(line.lstrip("`"))], details
    if line.startswith("<details"):
        return None, True
    if line.startswith("</details>"):
        return None, False
    return None, details


def _closers(fence: str | None, details: bool) -> list[str]:
    return ([fence] if fence else []) + (["", "</details>"] if details else [])


def _truncation_note(what: str, count: int) -> str:
    return (
        f"> **Note:** {what} truncated: {count:,} more characters; "
        f"see the workflow run's job summary and artifacts for the full {what}."
    )


def _text_header(change: Change, paint: Paint) -> str:
    if change.action == "replace":
        symbol = f"{paint('-')}/{paint('+')}"
    else:
        symbol = "  " + paint({"create": "+", "update": "~", "delete": "-"}[change.action])
    return f"{symbol} {change.action} {shown(change.name)}{_header_note(change)}"


def _markdown_header(change: Change) -> str:
    symbol = {"create": "+", "update": "!", "delete": "-", "replace": "-/+"}[change.action]
    return f"{symbol} {change.action} {shown(change.name)}{_header_note(change)}"


def _header_note(change: Change) -> str:
    notes = [f"rename to {shown(change.new_name)}"] if change.is_rename else []
    if change.reason:
        notes.append(clean(change.reason))
    return f" ({'; '.join(notes)})" if notes else ""


def _text_fields(change: Change, paint: Paint) -> Iterator[str]:
    for item in change.diff:
        path = clean(item.path)
        if item.before is ABSENT:
            yield f"{_INDENT}{paint('+')} {path}: {shown(item.after)}"
        elif item.after is ABSENT:
            yield f"{_INDENT}{paint('-')} {path}: {shown(item.before)}"
        else:
            yield f"{_INDENT}{paint('~')} {path}: {shown(item.before)} -> {shown(item.after)}"


def _markdown_fields(change: Change) -> Iterator[str]:
    for item in change.diff:
        if item.before is not ABSENT:
            yield f"-    {clean(item.path)}: {shown(item.before)}"
        if item.after is not ABSENT:
            yield f"+    {clean(item.path)}: {shown(item.after)}"


def _diff_block(body: list[str], count: int) -> list[str]:
    # A description may itself contain ```: the fence must be longer than any backtick run.
    longest = max((len(run) for line in body for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    block = [f"{fence}diff", *body, fence]
    if count <= FOLD_THRESHOLD:
        return block
    return [f"<details><summary>Show {count} changes</summary>", "", *block, "", "</details>"]


def _drift_order(plan: Plan) -> list[Change]:
    group = {"update": 0, "replace": 0, "create": 1, "delete": 2}
    return sorted(plan.changes, key=lambda c: (group[c.action], c.name.casefold(), c.name))


def _drift_words(change: Change) -> tuple[str, str]:
    return {
        "update": ("~", "changed in Zendesk"),
        "replace": ("~", "changed in Zendesk (definition)"),
        "create": ("-", "missing from Zendesk"),
        "delete": ("+", "not in code"),
    }[change.action]


def _drift_field_text(item: FieldChange, paint: Paint) -> str:
    # FieldChange runs live → code; drift reads it the other way round.
    path = clean(item.path)
    if item.before is ABSENT:
        return f"{paint('-')} {path}: missing in Zendesk, code has {shown(item.after)}"
    if item.after is ABSENT:
        return f"{paint('+')} {path}: Zendesk has {shown(item.before)}, not in code"
    return f"{paint('~')} {path}: Zendesk has {shown(item.before)}, code has {shown(item.after)}"


def _painter(color: bool) -> Paint:
    if not color:
        return lambda symbol: symbol
    return lambda symbol: f"{_COLORS[symbol]}{symbol}{_RESET}"
