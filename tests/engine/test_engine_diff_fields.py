"""field_changes: its own scalar comparison agrees with deepdiff's view of the same pair."""

from __future__ import annotations

from typing import Any

import pytest

from triggersync.engine.diff import field_changes
from triggersync.engine.plan import ABSENT, FieldChange

DEF = {"event": "chat_requested", "condition": ["and", ["eq", "@x", 1]], "actions": [["addTag"]]}


def _deepdiff_only(before: dict[str, Any], after: dict[str, Any]) -> list[FieldChange]:
    """The same pair one level down, where every value is inside an object: deepdiff
    compares it all, the scalar shortcut nothing."""
    nested = field_changes({"x": before}, {"x": after})
    unnested = [FieldChange(c.path.removeprefix("x."), c.before, c.after) for c in nested]
    return sorted(unnested, key=lambda c: c.path)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            {"name": "A", "description": "a", "enabled": 1},
            {"name": "B", "description": "b", "enabled": 0},
        ),
        ({"name": "A", "definition": DEF}, {"name": "A", "definition": {**DEF, "event": "x"}}),
        ({"name": "A", "definition": None}, {"name": "A", "definition": DEF}),
        ({"name": "A", "enabled": 1}, {"name": "A", "enabled": True}),
        ({"name": "A", "old": 1}, {"name": "A", "new": 2}),
        (
            {"name": "A", "definition": DEF},
            {"name": "A", "definition": {**DEF, "condition": ["and", ["eq", "@x", True]]}},
        ),
    ],
)
def test_same_changes_as_deepdiff_alone(before: dict[str, Any], after: dict[str, Any]) -> None:
    ours = sorted(field_changes(before, after), key=lambda c: c.path)
    assert ours == _deepdiff_only(before, after)


def test_an_equal_definition_is_not_walked() -> None:
    before = {"description": "a", "definition": DEF}
    after = {"description": "b", "definition": {**DEF}}
    assert field_changes(before, after) == [FieldChange("description", "a", "b")]


def test_absent_sides() -> None:
    assert field_changes({"a": 1}, {}) == [FieldChange("a", 1, ABSENT)]
