"""What the comparisons of the trigger language mean, value by value (docs/language.md).

Each factory takes the value written in the definition and returns a test of the visitor's value
that answers True, False or None (unknown: the tool cannot say, so it never guesses). The
definition's side is read once, when a trigger is compiled, so a test does little per visitor.

- Numbers compare as numbers. A string in JSON number syntax (`"30"`) counts as a number when the
  other side is a number, and always for `lt gt lte gte`, which compare numbers only.
- Everything else compares as exact strings; `true`/`false` compare as booleans, and a boolean
  equals only a boolean or its own JSON spelling (`"true"`).
- `contains` and friends test substrings of the value's text (a number or boolean as JSON spells
  it); the `i` variants ignore case. `regex`/`iregex` must match the whole text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from triggersync.language.literals import escape, number_text

Truth = bool | None  # None: unknown
Test = Callable[[Any], Truth]
Number = int | float

_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
# Errors re.compile raises for a pattern it cannot build (bad syntax, absurd repeat counts,
# groups nested beyond the parser's recursion).
_PATTERN_ERRORS = (re.error, OverflowError, RecursionError, ValueError)


def _unknown(_actual: Any) -> Truth:
    return None


def read_number(value: Any) -> Number | None:
    """A number, or a string in JSON number syntax read as one; else None (booleans too)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        match = _JSON_NUMBER.fullmatch(value)
        if match is None:
            return None
        if match.group(1) is None and match.group(2) is None:
            try:
                return int(value)
            except ValueError:  # more digits than CPython converts from text at once
                return _long_int(value)
        return float(value)
    return None


def _long_int(digits: str) -> int:
    negative = digits.startswith("-")
    body = digits.lstrip("-")
    number = 0
    for start in range(0, len(body), 4000):
        chunk = body[start : start + 4000]
        number = number * 10 ** len(chunk) + int(chunk)
    return -number if negative else number


def text_of(value: Any) -> str | None:
    """The text a substring or pattern test reads: strings as they are, numbers and booleans as
    JSON spells them; None for anything else (a list, an object, null)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number_text(value)
    return None


def _scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float))  # bool is an int


def equals(actual: Any, expected: Any) -> Truth:
    """`eq`: numbers as numbers, everything else as exact strings, booleans as booleans."""
    if not _scalar(actual) or not _scalar(expected):
        return None
    if isinstance(actual, bool) or isinstance(expected, bool):
        return text_of(actual) == text_of(expected)
    if isinstance(actual, str) and isinstance(expected, str):
        return actual == expected
    left, right = read_number(actual), read_number(expected)
    return left is not None and right is not None and left == right


def equal_to(expected: Any) -> Test:
    if isinstance(expected, str) and read_number(expected) is None:

        def plain_text(actual: Any) -> Truth:  # the common case, kept cheap
            return actual == expected if type(actual) is str else equals(actual, expected)

        return plain_text
    return lambda actual: equals(actual, expected)


def not_equal_to(expected: Any) -> Test:
    equal = equal_to(expected)

    def test(actual: Any) -> Truth:
        result = equal(actual)
        return None if result is None else not result

    return test


def ordered(holds: Callable[[Number, Number], bool]) -> Callable[[Any], Test]:
    """`lt gt lte gte`: both sides must read as numbers, else the answer is unknown."""

    def factory(expected: Any) -> Test:
        bound = read_number(expected)
        if bound is None:
            return _unknown

        def test(actual: Any) -> Truth:
            number = read_number(actual)
            return None if number is None else holds(number, bound)

        return test

    return factory


def containing(*, ignore_case: bool, negate: bool) -> Callable[[Any], Test]:
    """`contains ncontains icontains nicontains`: a substring test of the value's text."""

    def factory(expected: Any) -> Test:
        needle = text_of(expected)
        if needle is None:
            return _unknown
        if ignore_case:
            needle = needle.lower()

        def test(actual: Any) -> Truth:
            text = actual if type(actual) is str else text_of(actual)
            if text is None:
                return None
            found = needle in (text.lower() if ignore_case else text)
            return found != negate

        return test

    return factory


def pattern_error(pattern: Any, *, ignore_case: bool = False) -> str | None:
    """Why `pattern` is not a usable regular expression, or None when it compiles."""
    if not isinstance(pattern, str):
        return "a regular expression is a string"
    try:
        re.compile(pattern, re.IGNORECASE if ignore_case else 0)
    except _PATTERN_ERRORS as error:
        return escape(str(error)) or type(error).__name__
    return None


def matching(*, ignore_case: bool) -> Callable[[Any], Test]:
    """`regex iregex`: the whole text must match (Python `re` syntax)."""

    def factory(expected: Any) -> Test:
        if pattern_error(expected, ignore_case=ignore_case) is not None:
            return _unknown
        compiled = re.compile(expected, re.IGNORECASE if ignore_case else 0)

        def test(actual: Any) -> Truth:
            text = actual if type(actual) is str else text_of(actual)
            return None if text is None else compiled.fullmatch(text) is not None

        return test

    return factory


def at_least(seconds: Any) -> Test:
    """`stillOnPage N`/`stillOnSite N`: the visitor is still there after N seconds. An unset time
    means the visitor stays, so it holds."""
    bound = read_number(seconds)
    if bound is None:
        return _unknown

    def test(actual: Any) -> Truth:
        if actual is None:
            return True
        number = read_number(actual)
        return None if number is None else number >= bound

    return test


def has_tag(tag: Any) -> Test:
    """`hasTag T`: T is among the visitor's tags (a list; a single string is one tag)."""
    wanted = text_of(tag)
    if wanted is None:
        return _unknown

    def test(tags: Any) -> Truth:  # unset tags (None) are unknown
        if isinstance(tags, str):
            return tags == wanted
        if isinstance(tags, (list, tuple)):
            return any(text_of(item) == wanted for item in tags)
        return None

    return test
