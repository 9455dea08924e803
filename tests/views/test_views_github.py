"""GitHub workflow-command escaping: nothing in a value can end or garble an annotation."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from triggersync.errors import Location, Problem
from triggersync.views.github import annotation, escape_data, escape_property


@pytest.mark.parametrize(
    ("escape", "text", "escaped"),
    [
        (escape_data, "50% off\r\nnow: a, b", "50%25 off%0D%0Anow: a, b"),
        (escape_property, "dir:x/a,b%.yaml", "dir%3Ax/a%2Cb%25.yaml"),
    ],
    ids=["data", "property"],
)
def test_escaping(escape: Callable[[str], str], text: str, escaped: str) -> None:
    assert escape(text) == escaped


def test_an_annotation_marks_file_line_and_column_with_the_message_shown_safely() -> None:
    problem = Problem(
        path=("triggers", 0, "name"),
        location=Location("a,b.yaml", 3, 5),
        message="100% wrong\n::error::x",
    )
    assert annotation("warning", problem) == (
        "::warning file=a%2Cb.yaml,line=3,col=5::triggers[0].name: 100%25 wrong\\n::error::x"
    )


def test_a_problem_with_no_place_is_annotated_without_one() -> None:
    assert annotation("error", Problem(message="no such file")) == "::error::no such file"
