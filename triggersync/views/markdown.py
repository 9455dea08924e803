"""Plan and drift as markdown for a pull-request comment or a job summary (docs/plans.md,
"Markdown"), and cutting one down to the size GitHub accepts.

The changes sit in a ```diff block, where GitHub colours a line by its first character: `+`
green, `-` red, `!` orange. So there an update is `!` where the text has `~`, and a field
change is a `-` line with the old value followed by a `+` line with the new.

Below the changes, each created or replaced trigger's definition in words gets a folded
<details> of its own (a definition can make a long sentence): a ```diff block with what the
trigger did on a `-` line and what it will do on a `+` line. In a code block the phrases stay
verbatim and on one line; the fold's summary is HTML, so the name in it is HTML-escaped.
When apply would refuse the plan without --force, the delete guard's notice follows the
summary line and the warning, near the top, where no truncation can cut it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Final

from triggersync.engine.kinds import CHANGE_KINDS
from triggersync.engine.plan import ABSENT, Change, Plan
from triggersync.errors import Problem
from triggersync.untrusted import clean, inert_line, shown
from triggersync.views.words import (
    drift_heading,
    drift_order,
    drift_summary_line,
    drift_words,
    guard_notice,
    heading,
    plan_words,
    summary_line,
    value,
)

# Last line of the markdown, so the summary line comes first; finds the sticky PR comment.
PLAN_MARKER: Final = "<!-- triggersync-plan -->"
DRIFT_MARKER: Final = "<!-- triggersync-drift -->"
FOLD_THRESHOLD: Final = 20  # more changes than this and markdown folds them in <details>
WARNING: Final = "> **Warning:** this plan deletes or replaces triggers."
COMMENT_LIMIT: Final = 65_000  # GitHub refuses a comment or issue body over 65,536 characters


def render_markdown(plan: Plan) -> str:
    if plan.empty:
        warned = "".join(f"{line}\n" for line in _warnings(plan.warnings))
        return f"**No changes.**\n\n{_targeted(plan)}{warned}{PLAN_MARKER}\n"
    parts = [f"**{summary_line(plan)}**", "", *_targeted_lines(plan)]
    if any("delete" in CHANGE_KINDS[change.action].counts_as for change in plan.changes):
        parts += [WARNING, ""]
    notice = guard_notice(plan)
    if notice is not None:
        parts += [f"> **Warning:** {notice}", ""]
    parts += _warnings(plan.warnings)
    body: list[str] = []
    for change in plan.changes:
        body.append(f"{_diff_mark(CHANGE_KINDS[change.action].symbol)} {heading(change)}")
        body.extend(_fields(change))
    words = _in_words(plan.changes, lambda change: _plan_words(change, plan), _plan_title)
    changes = _diff_block(body, len(plan.changes))
    return "\n".join([*parts, *changes, "", *words, PLAN_MARKER]) + "\n"


def _warnings(warnings: Sequence[Problem]) -> list[str]:
    """The configuration's warnings, each on one line of a code block (file:line:col, rule,
    message as the command printed it), so a reviewer sees what validate said
    (docs/rules.md); nothing when there are none."""
    if not warnings:
        return []
    count = len(warnings)
    rules = sorted({str(w.rule.id) for w in warnings if w.rule is not None})
    named = f" ({', '.join(f'`{rule}`' for rule in rules)})" if rules else ""
    title = f"**{count} warning{'' if count == 1 else 's'}**{named}: used as written, but "
    # Each line as a CI log would read it: a file named `::error::x.yaml` must start no command.
    lines = [inert_line(clean(str(warning))) for warning in warnings]
    fence = _fence(lines)
    return [f"{title}probably not what was meant.", "", f"{fence}text", *lines, fence, ""]


def render_drift_markdown(plan: Plan) -> str:
    if plan.empty:
        return f"**No drift.**\n\n{_targeted(plan)}{DRIFT_MARKER}\n"
    ordered = drift_order(plan)
    body: list[str] = []
    for change in ordered:
        body.append(
            f"{_diff_mark(CHANGE_KINDS[change.action].drift_symbol)} {drift_heading(change)}"
        )
        for item in change.diff:
            if item.after is not ABSENT:
                body.append(f"-    {clean(item.path)}: {value(item.path, item.after)} (code)")
            if item.before is not ABSENT:
                body.append(f"+    {clean(item.path)}: {value(item.path, item.before)} (Zendesk)")
    parts = [f"**{drift_summary_line(plan)}**", "", *_targeted_lines(plan)]
    words = _in_words(ordered, lambda change: _drift_words(change, plan), _drift_title)
    changes = _diff_block(body, len(plan.changes))
    return "\n".join([*parts, *changes, "", *words, DRIFT_MARKER]) + "\n"


def _targeted_lines(plan: Plan) -> list[str]:
    """Under the summary line, that the plan was narrowed by --target (a reviewer must not
    take it for the whole account)."""
    return [] if plan.targeting is None else [f"> {plan.targeting.line}", ""]


def _targeted(plan: Plan) -> str:
    return "\n".join(_targeted_lines(plan)) + "\n" if plan.targeting is not None else ""


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


def _fields(change: Change) -> Iterator[str]:
    for item in change.diff:
        if item.before is not ABSENT:
            yield f"-    {clean(item.path)}: {value(item.path, item.before)}"
        if item.after is not ABSENT:
            yield f"+    {clean(item.path)}: {value(item.path, item.after)}"


def _plan_words(change: Change, plan: Plan) -> list[str]:
    said = plan_words(change, plan)
    return [f"{'-' if side == 'before' else '+'} {words}" for side, words in said]


def _drift_words(change: Change, plan: Plan) -> list[str]:
    # As drift's field lines: the code's side first, on `-`; Zendesk's then, on `+`.
    said = reversed(drift_words(change, plan))
    return [f"{'+' if side == 'before' else '-'} {words}" for side, words in said]


def _plan_title(change: Change) -> str:
    return f"{change.action} {shown(change.name)}"


def _drift_title(change: Change) -> str:
    return shown(change.name)


def _in_words(
    changes: Iterable[Change],
    lines: Callable[[Change], list[str]],
    title: Callable[[Change], str],
) -> list[str]:
    """A folded <details> for each change that has a definition in words, each followed by a
    blank line. The summary is HTML (a <details> line is an HTML block, where markdown is
    not read), so the title is HTML-escaped; the words sit in a code block, verbatim."""
    out: list[str] = []
    for change in changes:
        body = lines(change)
        if body:
            summary = html.escape(f"{title(change)} in words", quote=False)
            fence = _fence(body)
            out += [f"<details><summary>{summary}</summary>", "", f"{fence}diff", *body, fence]
            out += ["", "</details>", ""]
    return out


def _diff_mark(symbol: str) -> str:
    # GitHub's diff colouring knows no `~`; `!` is its orange.
    return "!" if symbol == "~" else symbol


def _fence(body: list[str]) -> str:
    # A value may itself contain ```: the fence must be longer than any backtick run.
    longest = max((len(run) for line in body for run in re.findall(r"`+", line)), default=0)
    return "`" * max(3, longest + 1)


def _diff_block(body: list[str], count: int) -> list[str]:
    fence = _fence(body)
    block = [f"{fence}diff", *body, fence]
    if count <= FOLD_THRESHOLD:
        return block
    return [f"<details><summary>Show {count} changes</summary>", "", *block, "", "</details>"]


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
