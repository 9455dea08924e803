"""Definition checks beyond the schema."""

from __future__ import annotations

from typing import Any

import pytest

from triggersync.config.conditions import check_definition


def _definition(condition: Any, actions: Any = None) -> dict[str, Any]:
    return {
        "event": "chat_requested",
        "condition": condition,
        "actions": actions if actions is not None else [["sendMessageToVisitor", "S", "Hi"]],
    }


@pytest.mark.parametrize(
    "condition",
    [
        ["eq", "@visitor_country_code", "US"],
        ["and", ["eq", "@visitor_country_code", "US"], ["stillOnSite", 30]],
        ["or", ["not", ["icontains", "@visitor_page_url", "/pricing"]], ["gte", "@hour", 9]],
        ["and", ["eq", "@visitor_served", False], ["neq", "@visitor_name", None]],
    ],
)
def test_well_formed_conditions_pass(condition: Any) -> None:
    findings = check_definition(_definition(condition))
    assert (findings.errors, findings.warnings) == ([], [])


@pytest.mark.parametrize(
    ("condition", "path", "fragment"),
    [
        (["and"], ("condition",), "'and' needs at least one sub-expression"),
        (["not", ["eq", "@a", 1], ["eq", "@b", 2]], ("condition",), "exactly one"),
        (["and", ["eq", "@a"]], ("condition", 1), "takes a variable and a value, got 1"),
        (["and", "eq"], ("condition", 1), "expected a sub-expression (a list), got 'eq'"),
        (["and", []], ("condition", 1), "empty expression"),
        ([["eq", "@a", 1]], ("condition", 0), "expected an operator name first"),
        (["eq", "@a", ["x"]], ("condition", 2), "operands are plain values, got a list"),
        (["stillOnSite"], ("condition",), "takes one value"),
    ],
)
def test_structural_problems_are_errors(condition: Any, path: Any, fragment: str) -> None:
    findings = check_definition(_definition(condition))
    assert len(findings.errors) == 1
    assert findings.errors[0][0] == path
    assert fragment in findings.errors[0][1]


def test_unknown_operator_is_a_warning_with_a_suggestion() -> None:
    findings = check_definition(_definition(["and", ["icontain", "@a", "b"]]))
    assert findings.errors == []
    assert findings.warnings == [
        (("condition", 1, 0), "unknown condition operator 'icontain' (did you mean 'icontains'?)")
    ]


def test_unknown_action_is_a_warning() -> None:
    findings = check_definition(_definition(["eq", "@a", 1], [["addTag", "x"], ["teleport"]]))
    assert findings.errors == []
    assert findings.warnings == [(("actions", 1, 0), "unknown action 'teleport' (sent as written)")]


def test_paths_are_prefixed() -> None:
    findings = check_definition(_definition(["and"]), ("triggers", 2, "definition"))
    assert findings.errors[0][0] == ("triggers", 2, "definition", "condition")
