"""`${NAME}` substitution."""

from __future__ import annotations

import pytest

from triggersync.config.variables import expand, substitute

VARS = {"A": "x", "B": "y", "DEPT": "42"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", "plain"),
        ("${A}", "x"),
        ("${A}${B}", "xy"),
        ("pre ${A} post", "pre x post"),
        ("$${A}", "${A}"),
        ("$$${A}", "$${A}"),  # the leftmost "$${" is the escape; the first "$" stays
        ("cost: $5", "cost: $5"),
        ("$", "$"),
        ("{A}", "{A}"),
    ],
)
def test_expand(text: str, expected: str) -> None:
    assert expand(text, VARS) == (expected, [])


def test_replacement_is_not_scanned_again() -> None:
    assert expand("${A}", {"A": "${B}"}) == ("${B}", [])


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("${NOPE}", "undefined variable 'NOPE' (defined: A, B, DEPT)"),
        ("${}", "empty reference"),
        ("${bad-name}", "invalid variable name 'bad-name'"),
        ("${A", "unterminated '${'"),
    ],
)
def test_expand_problems(text: str, fragment: str) -> None:
    out, problems = expand(text, VARS)
    assert out == text
    assert len(problems) == 1
    assert fragment in problems[0]


def test_undefined_without_variables_hints_at_vars() -> None:
    assert "pass --vars FILE" in expand("${A}", {})[1][0]


def test_substitute_walks_values_not_keys() -> None:
    data = {"${A}": ["${A}", {"k": "${DEPT}"}, 3, None]}
    assert substitute(data, VARS) == ({"${A}": ["x", {"k": "42"}, 3, None]}, [])


def test_substitute_reports_paths() -> None:
    _, problems = substitute({"triggers": [{"name": "${X}"}]}, VARS)
    assert [problem.path for problem in problems] == [("triggers", 0, "name")]
