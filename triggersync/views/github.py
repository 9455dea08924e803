"""GitHub Actions annotations: a problem marked on its file and line in a pull request.

An annotation is a workflow command, `::error file=PATH,line=N,col=N::MESSAGE`
(docs/ci.md#annotations). The runner ends the command at a line break and reads `%`, and in a
property also `:` and `,`, as syntax: those are percent-escaped. The message is untrusted
text, made safe to show first.
"""

from __future__ import annotations

from typing import Literal

from triggersync.errors import Issue
from triggersync.untrusted import clean


def annotation(level: Literal["error", "warning"], issue: Issue) -> str:
    """The workflow command that marks the issue on its file, line and column."""
    message = f"{issue.path}: {issue.message}" if issue.path else issue.message
    where = f"file={escape_property(issue.file)},line={issue.line},col={issue.col}"
    return f"::{level} {where}::{escape_data(clean(message))}"


def escape_data(text: str) -> str:
    """A command's message: a newline or `%` would otherwise end or garble it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property such as file=: also `:` and `,`, which end the value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
