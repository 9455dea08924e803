"""GitHub Actions annotations: a problem marked on its file and line in a pull request.

An annotation is a workflow command, `::error file=PATH,line=N,col=N::MESSAGE`
(docs/ci.md#annotations). The runner ends the command at a line break and reads `%`, and in a
property also `:` and `,`, as syntax: those are percent-escaped. The message is untrusted
text, made safe to show first.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from triggersync.errors import Problem
from triggersync.untrusted import clean


def annotation_lines(
    level: Literal["error", "warning"], problems: Iterable[Problem], prefix: str = ""
) -> str:
    """One annotation a line, for each problem (`plan --format github` marks a plan's
    warnings this way); "" for none."""
    return "".join(f"{annotation(level, problem, prefix)}\n" for problem in problems)


def annotation(level: Literal["error", "warning"], problem: Problem, prefix: str = "") -> str:
    """The workflow command that marks the problem on its file, line and column (a problem
    with no place, e.g. a missing file, is annotated without one). `prefix` goes before the
    message (`account one`, for a project's accounts that share a file)."""
    parts = [prefix] if prefix else []
    if problem.rule is not None:
        parts.append(str(problem.rule))
    if problem.path:
        parts.append(problem.where)
    message = ": ".join([*parts, problem.message])
    place = problem.location
    where = (
        f" file={escape_property(place.file)},line={place.line},col={place.col}" if place else ""
    )
    return f"::{level}{where}::{escape_data(clean(message))}"


def escape_data(text: str) -> str:
    """A command's message: a newline or `%` would otherwise end or garble it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property such as file=: also `:` and `,`, which end the value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
