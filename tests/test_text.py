"""Untrusted names and values reach the terminal quoted, with no raw control characters."""

from __future__ import annotations

import pytest

from triggersync.text import shown


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain", '"plain"'),
        ("é and 🚀", '"é and 🚀"'),
        ("a\x1b[2Jb", '"a\\u001b[2Jb"'),  # ESC: json escapes C0
        ("a\x9b2Jb", '"a\\u009b2Jb"'),  # CSI: a C1 control, escaped here
        ('say "hi"', '"say \\"hi\\""'),
    ],
)
def test_shown_quotes_and_escapes(raw: str, expected: str) -> None:
    assert shown(raw) == expected


def test_shown_escapes_controls_inside_structures() -> None:
    assert shown(["\x85", {"k": "\x9b"}]) == '["\\u0085", {"k": "\\u009b"}]'
