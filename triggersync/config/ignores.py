"""`# triggersync: ignore[TS201]` comments: the rules each trigger switches off, and the
comments that switch nothing off (docs/rules.md#settings).

A comment is read on a trigger's `name` line only (the line of its key, or of its value).
One anywhere else, one that names no rule (`TS21`, `ts201`), or one that is not of the form
`ignore[...]` would silently leave every warning in place while its author believes it
silenced: each is a warning itself (TS110), as ruff warns of a `# noqa` code it does not know.
Text that only looks like a comment, inside a quoted name or message, is not one.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from triggersync.config.reader import Document
from triggersync.errors import JsonPath, Location, Problem, Severity
from triggersync.language.rules import IGNORE_COMMENT, RULES, UNREAD_IGNORE_COMMENT

# Any comment addressed to the tool, well formed or not.
_ADDRESSED: Final = re.compile(r"#\s*triggersync\s*:")
# A quote opens a quoted scalar only where a scalar can start.
_SCALAR_STARTS: Final = " \t[{,:-?"
_EXAMPLE: Final = "# triggersync: ignore[TS201]"


@dataclass(frozen=True)
class Ignores:
    """One file's ignore comments: the rule ids each trigger (by index) switches off, and the
    warnings of the comments that switch nothing off."""

    by_trigger: dict[int, frozenset[str]] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()


def comment_start(line: str) -> int | None:
    """Where the comment of one YAML line starts (its `#`), or None: a `#` at the start or
    after a space or tab, outside the quoted scalars the line holds."""
    index = 0
    quote: str | None = None
    previous = " "
    while index < len(line):
        char = line[index]
        if quote is not None:
            if quote == '"' and char == "\\":
                index += 2
                continue
            if char == quote:
                if quote == "'" and line[index + 1 : index + 2] == "'":
                    index += 2
                    continue
                quote = None
        elif char in "\"'" and previous in _SCALAR_STARTS:
            quote = char
        elif char == "#" and previous in " \t":
            return index
        previous = char
        index += 1
    return None


def read_ignores(document: Document, indexes: Iterable[int]) -> Ignores:
    """The ignore comments of the triggers at `indexes` in this file (those declared), and a
    warning for each comment addressed to the tool that switches nothing off."""
    if "triggersync" not in document.text:
        return Ignores()
    comments = _comments(document.file, document.text)
    if not comments:
        return Ignores()
    owners = _owners(document, indexes)
    starts = [start for start, _, _ in owners]
    name_lines: dict[int, set[int]] = {}
    by_trigger: dict[int, set[str]] = {}
    problems: list[Problem] = []
    for offset, location, text in comments:
        at = bisect.bisect_right(starts, offset) - 1
        index = owners[at][2] if at >= 0 and offset < owners[at][1] else None
        if index is not None and index not in name_lines:
            name_lines[index] = _name_lines(document, index)
        if index is None or location.line not in name_lines[index]:
            message = (
                "an ignore comment is read only on the line of a trigger's name; "
                "this one switches nothing off"
            )
            problems.append(
                _warning(() if index is None else ("triggers", index), location, message)
            )
            continue
        path: JsonPath = ("triggers", index, "name")
        ids = _ids(text)
        if ids is None:
            message = f"not read as an ignore comment; write {_EXAMPLE!r} (ids separated by commas)"
            problems.append(_warning(path, location, message))
            continue
        by_trigger.setdefault(index, set()).update(ids)
        problems.extend(_warning(path, location, _unknown(i)) for i in ids if i not in RULES)
    return Ignores({i: frozenset(ids) for i, ids in by_trigger.items()}, tuple(problems))


def _comments(file: str, text: str) -> list[tuple[int, Location, str]]:
    """Each comment addressed to the tool: its offset in the text, its place, its text."""
    found: list[tuple[int, Location, str]] = []
    offset = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if "triggersync" in line and "#" in line:
            start = comment_start(line)
            if start is not None and _ADDRESSED.match(line, start):
                found.append((offset + start, Location(file, number, start + 1), line[start:]))
        offset += len(line) + 1
    return found


def _owners(document: Document, indexes: Iterable[int]) -> list[tuple[int, int, int]]:
    """The declared triggers' spans in the text, (start, end, index), in text order."""
    spans = (
        (*document.spans[("triggers", index)], index)
        for index in indexes
        if ("triggers", index) in document.spans
    )
    return sorted(spans)


def _name_lines(document: Document, index: int) -> set[int]:
    name: JsonPath = ("triggers", index, "name")
    found = document.locate([(name, True), (name, False)])
    return {location.line for location in found.values()}


def _ids(comment: str) -> frozenset[str] | None:
    found = IGNORE_COMMENT.match(comment)
    if found is None:
        return None
    return frozenset(part.strip() for part in found.group(1).split(",") if part.strip())


def _unknown(rule_id: str) -> str:
    if rule_id.upper() in RULES:
        close: str | None = rule_id.upper()
    else:
        matches = difflib.get_close_matches(rule_id, RULES, n=1)
        close = matches[0] if matches else None
    hint = f" (did you mean {close!r}?)" if close else ""
    return f"ignore comment: unknown rule id {rule_id!r}{hint}; see docs/rules.md"


def _warning(path: JsonPath, location: Location, message: str) -> Problem:
    return Problem(
        path=path,
        location=location,
        message=message,
        severity=Severity.WARNING,
        rule=UNREAD_IGNORE_COMMENT,
    )
