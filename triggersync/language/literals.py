"""Values of a definition written for people: exact, quoted, always on one line.

A literal keeps its exact value (`"US"`, `3`, `1.5`, `true`, `null`), a string in double quotes.
Anything that could break a line or hide text (newlines, control characters, bidi and zero-width
marks, lone surrogates) is escaped, so one phrase is always one line and shows what it holds.
"""

from __future__ import annotations

import re
from typing import Any

# Deeper nesting than this is not walked: no real definition comes close, and a hostile one must
# not turn into a RecursionError.
MAX_WALK_DEPTH = 64

_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
# A name shown without quotes (an operator or variable nobody knows) must read as one token.
_BARE = re.compile(r"[A-Za-z_@$][A-Za-z0-9_.:@$-]*")
# CPython refuses str() of an int with more digits than this (sys.int_info.default_max_str_digits).
_DIGITS_PER_CHUNK = 4000


def escape(text: str) -> str:
    """`text` with quotes, backslashes and every non-printable character escaped."""
    if text.isprintable() and '"' not in text and "\\" not in text:
        return text
    return "".join(_escape_char(char) for char in text)


def _escape_char(char: str) -> str:
    short = _SHORT_ESCAPES.get(char)
    if short is not None:
        return short
    if char.isprintable():
        return char
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def quote(text: str) -> str:
    """A string literal: `"Hi!"`."""
    return f'"{escape(text)}"'


def bare(name: str) -> str:
    """A name as written: plain when it is one token (`fooBar`, `@visitor_x`), else quoted."""
    return name if _BARE.fullmatch(name) else quote(name)


def integer_text(number: int) -> str:
    """Every digit of an int, even past the interpreter's limit on str()."""
    try:
        return str(number)
    except ValueError:  # more digits than CPython converts at once
        pass
    sign, rest = ("-", -number) if number < 0 else ("", number)
    chunk = 10**_DIGITS_PER_CHUNK
    parts: list[str] = []
    while rest >= chunk:
        rest, low = divmod(rest, chunk)
        parts.append(str(low).rjust(_DIGITS_PER_CHUNK, "0"))
    parts.append(str(rest))
    return sign + "".join(reversed(parts))


def number_text(number: int | float) -> str:
    """A number as JSON spells it (`3`, `1.5`, `1e+100`)."""
    if isinstance(number, int):
        return integer_text(number)
    if number != number:
        return "NaN"
    if number in (float("inf"), float("-inf")):
        return "Infinity" if number > 0 else "-Infinity"
    return repr(number)


def literal(value: Any, depth: int = 0) -> str:
    """Any JSON-like value, exactly, on one line."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number_text(value)
    if isinstance(value, str):
        return quote(value)
    if depth >= MAX_WALK_DEPTH:
        return "[…]" if isinstance(value, list) else "{…}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(item, depth + 1) for item in value) + "]"
    if isinstance(value, dict):
        pairs = (
            f"{literal(key, depth + 1)}: {literal(item, depth + 1)}" for key, item in value.items()
        )
        return "{" + ", ".join(pairs) + "}"
    return escape(str(value))  # e.g. a date YAML read: shown as YAML wrote it


def as_written(node: Any, depth: int = 0) -> str:
    """A condition or action nobody can read for sure: `[fooBar, 1]`, name first, as written."""
    if not isinstance(node, list) or not node:
        return literal(node, depth)
    head, operands = node[0], node[1:]
    first = bare(head) if isinstance(head, str) else literal(head, depth + 1)
    return "[" + ", ".join([first, *(literal(item, depth + 1) for item in operands)]) + "]"


def describe_literal(value: Any) -> str:
    """A value in an error message, short."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, str) and len(value) > 60:
        return quote(value[:57] + "...")
    return literal(value)
