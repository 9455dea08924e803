"""The unified diff of known line changes (views/unified_diff.py) reads as `diff -u` writes it."""

from __future__ import annotations

import difflib

import pytest

from triggersync.views.unified_diff import unified_diff


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("a\nb\nc\n", "a\nB\nc\n"),
        ("a\n", ""),
        ("", "x\ny\n"),
        ("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "1\n2\n3\n4\n5\n6\n7\n8\n9\nten\n"),
        ("a\nb", "a\nc"),
    ],
)
def test_the_same_diff_as_difflib_when_told_difflibs_opcodes(before: str, after: str) -> None:
    old, new = before.splitlines(True), after.splitlines(True)
    opcodes = difflib.SequenceMatcher(None, old, new).get_opcodes()
    expected = "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
        for line in difflib.unified_diff(old, new, "f", "f")
    )
    assert unified_diff(before, after, opcodes, "f", "f") == expected


def test_nothing_changed_is_no_diff() -> None:
    assert unified_diff("a\n", "a\n", [("equal", 0, 1, 0, 1)], "f", "f") == ""
