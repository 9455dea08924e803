"""One way to say what went wrong and where: paths, places, problems."""

from __future__ import annotations

import pytest

from triggersync.errors import (
    ConfigError,
    JsonPath,
    Location,
    Problem,
    Severity,
    format_path,
)


@pytest.mark.parametrize(
    ("path", "written"),
    [
        (("triggers", 3, "enabled"), "triggers[3].enabled"),
        (("definition", "condition", 1, 2), "definition.condition[1][2]"),
        (("condition", 2, 1), "condition[2][1]"),
        (("actions", 0, "x"), "actions[0].x"),
        ((), ""),
        # A key that is not an identifier is quoted, so the path reads back to one place.
        (("definition", "a b", 0, 'q"x'), 'definition["a b"][0]["q\\"x"]'),
        (("bad-name",), '["bad-name"]'),
        (("a", "1", "b\\c"), 'a["1"]["b\\\\c"]'),
    ],
)
def test_format_path(path: JsonPath, written: str) -> None:
    assert format_path(path) == written


def test_a_placed_problem_reads_file_line_col_path_message() -> None:
    problem = Problem(path=("triggers", 0), message="bad").at(Location("a.yaml", 2, 5))
    assert str(problem) == "a.yaml:2:5: triggers[0]: bad"


def test_a_problem_without_place_or_path_is_its_message() -> None:
    assert str(Problem(message="bad")) == "bad"


def test_a_problem_under_a_prefix_keeps_its_own_path_after_it() -> None:
    problem = Problem(path=("condition", 1), message="m", severity=Severity.WARNING)
    moved = problem.under(("triggers", 2, "definition"))
    assert (moved.where, moved.is_error) == ("triggers[2].definition.condition[1]", False)


def test_config_error_sorts_by_file_then_place() -> None:
    def at(file: str, line: int) -> Problem:
        return Problem(message=f"{file}{line}").at(Location(file, line, 1))

    error = ConfigError([at("b.yaml", 1), at("a.yaml", 9), at("a.yaml", 2)])
    assert str(error).splitlines() == [
        "a.yaml:2:1: a.yaml2",
        "a.yaml:9:1: a.yaml9",
        "b.yaml:1:1: b.yaml1",
    ]
