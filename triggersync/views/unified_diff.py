"""A unified diff, as `diff -u` writes it, from changes already known by line (the opcodes of
`difflib.SequenceMatcher`): adopt knows what it changed, so it never searches for it; fmt,
which rewrites the whole text, has them searched for (`text_diff`)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

from triggersync.untrusted import inert_line

Opcode = tuple[str, int, int, int, int]


class _Known(difflib.SequenceMatcher):  # type: ignore[type-arg]
    """A matcher that is told its opcodes; difflib's grouping into hunks does the rest."""

    def __init__(self, opcodes: Sequence[Opcode]) -> None:
        super().__init__(None, [], [])
        self._known = list(opcodes)

    def get_opcodes(self) -> list[Any]:
        return self._known


def unified_diff(
    before: str, after: str, opcodes: Sequence[Opcode], fromfile: str, tofile: str
) -> str:
    """The hunks of `opcodes`, three lines of context each; "" when nothing changed."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    out: list[str] = []
    for group in _Known(opcodes).get_grouped_opcodes(3):
        if not out:
            out += [f"--- {fromfile}\n", f"+++ {tofile}\n"]
        first, last = group[0], group[-1]
        old_range = _range(first[1], last[2])
        new_range = _range(first[3], last[4])
        out.append(f"@@ -{old_range} +{new_range} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [" " + line for line in old[i1:i2]]
                continue
            out += ["-" + line for line in old[i1:i2]]
            out += ["+" + line for line in new[j1:j2]]
    # File text in a CI log: a line the runner could read as a workflow command is escaped.
    return "".join(
        inert_line(line) if line.endswith("\n") else inert_line(line) + _NO_NEWLINE for line in out
    )


def text_diff(before: str, after: str, fromfile: str, tofile: str) -> str:
    """The unified diff of two texts, the changed lines found by difflib; "" when the same."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    opcodes = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    return unified_diff(before, after, opcodes, fromfile, tofile)


_NO_NEWLINE = "\n\\ No newline at end of file\n"


def _range(start: int, stop: int) -> str:
    """A hunk's line range as `diff -u` writes it (1-based; an empty range names the line
    before it)."""
    length = stop - start
    first = start + 1
    if length == 1:
        return f"{first}"
    if not length:
        first -= 1
    return f"{first},{length}"
