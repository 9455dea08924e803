"""Value semantics at their edges: numbers written as text, huge numbers, odd values."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from triggersync.language import literal
from triggersync.language.values import containing, equals, has_tag, read_number


@pytest.mark.parametrize(
    ("text", "number"),
    [("30", 30), ("-2", -2), ("1.5", 1.5), ("1e3", 1000.0), ("0", 0)],
)
def test_json_number_syntax_reads_as_a_number(text: str, number: float) -> None:
    assert read_number(text) == number


@pytest.mark.parametrize("text", ["030", "+3", "1.", ".5", "0x10", " 3", "3 ", "NaN", "", "1_000"])
def test_other_text_is_not_a_number(text: str) -> None:
    assert read_number(text) is None


def test_a_number_with_more_digits_than_int_reads_keeps_every_digit() -> None:
    digits = "9" * 5000
    assert read_number("-" + digits) == -(10**5000 - 1)


def test_a_boolean_is_never_a_number() -> None:
    assert read_number(True) is None


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (float("nan"), "NaN"),
        (float("inf"), "Infinity"),
        (float("-inf"), "-Infinity"),
        ({"a": [1, None]}, '{"a": [1, null]}'),
    ],
)
def test_literals_of_unusual_values(value: Any, shown: str) -> None:
    assert literal(value) == shown


def test_a_negative_int_longer_than_str_allows_keeps_every_digit() -> None:
    assert literal(-(10**5000)) == "-1" + "0" * 5000


def test_a_value_of_another_type_is_shown_as_its_text() -> None:
    assert literal(datetime.date(2024, 5, 1)) == "2024-05-01"


def test_a_literal_nested_too_deep_is_cut() -> None:
    value: Any = 1
    for _ in range(100):
        value = [value]
    assert literal(value) == "[" * 64 + "[…]" + "]" * 64


def test_equality_never_compares_lists() -> None:
    assert equals([1], [1]) is None


def test_a_substring_test_with_a_list_in_the_definition_is_unknown() -> None:
    assert containing(ignore_case=True, negate=False)(["a"])("abc") is None


def test_a_substring_test_reads_true_as_its_json_spelling() -> None:
    assert containing(ignore_case=False, negate=False)("ru")(True) is True


def test_tags_of_another_type_are_unknown() -> None:
    assert has_tag("vip")(5) is None


def test_a_tag_that_is_not_text_is_unknown() -> None:
    assert has_tag(["vip"])(["vip"]) is None


def test_a_numeric_tag_matches_its_digits() -> None:
    assert has_tag("2024")([2024]) is True
