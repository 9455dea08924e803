"""Untrusted names and values reach the terminal quoted and escaped: no control, bidi,
zero-width or line-separator character raw, no lone surrogate to crash a UTF-8 write, and
nothing a GitHub Actions runner would read as a workflow command."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from triggersync.untrusted import (
    HIDDEN_CATEGORIES,
    clean,
    inert_line,
    is_clean,
    json_document,
    shown,
    yaml_double_quoted,
)


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


# -- hidden characters: escaped, never shown raw ------------------------------------------------

NAMED_HIDDEN = [
    "\u200b",  # zero-width space
    "\u200c",  # zero-width non-joiner
    "\u200d",  # zero-width joiner
    "\u2060",  # word joiner
    "\ufeff",  # byte-order mark
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u061c",  # Arabic letter mark
    "\u202a",  # left-to-right embedding ...
    "\u202e",  # ... right-to-left override
    "\u2066",  # left-to-right isolate ...
    "\u2069",  # ... pop directional isolate
    "\u2028",  # line separator
    "\u2029",  # paragraph separator
    "\u0085",  # next line
    "\ud800",  # a lone surrogate, as json.loads gives it for "\ud800"
]


@pytest.mark.parametrize("char", NAMED_HIDDEN, ids=lambda c: f"U+{ord(c):04X}")
def test_shown_escapes_a_hidden_character(char: str) -> None:
    assert shown(f"A{char}") == f'"A\\u{ord(char):04x}"'


def test_shown_escapes_an_astral_hidden_character_as_a_json_surrogate_pair() -> None:
    assert shown("\U000e0041") == '"\\udb40\\udc41"'  # an invisible tag character


def test_yaml_escapes_an_astral_hidden_character_as_one_code_point() -> None:
    # YAML reads \U; a JSON-style surrogate pair would read back as two lone surrogates.
    assert yaml_double_quoted("\U000e0041") == "\\U000e0041"
    assert yaml.safe_load('"\\U000e0041"') == "\U000e0041"


def test_every_character_of_a_hidden_category_is_escaped() -> None:
    chars = [chr(code) for code in range(0x110000)]
    hidden = "".join(c for c in chars if unicodedata.category(c) in HIDDEN_CATEGORIES)
    assert {"\u200b", "\u202e", "\u2028", "\ud800"} <= set(hidden)
    assert not set(clean(hidden)) & set(hidden)


def test_no_other_character_is_escaped() -> None:
    # Letters, marks, symbols and spaces of every script stay as they are: "é", "日本", "🚀".
    chars = [chr(code) for code in range(0x110000)]
    # One at a time: all of them at once is not composed text (below); and but for four
    # marks that compose to another (U+0340 is U+0300), each alone is.
    shown_as_is = [
        c
        for c in chars
        if unicodedata.category(c) not in HIDDEN_CATEGORIES and unicodedata.is_normalized("NFC", c)
    ]
    assert len(chars) - len(shown_as_is) < 5000
    assert [clean(c) for c in shown_as_is] == shown_as_is


def test_a_combining_mark_is_escaped_only_in_text_that_is_not_composed() -> None:
    assert clean("Caf\u00e9 and \u0915\u094d") == "Caf\u00e9 and \u0915\u094d"
    assert clean("Cafe\u0301") == "Cafe\\u0301"


def test_clean_escapes_line_breaks_and_keeps_everything_else() -> None:
    assert clean('say "hi"\n::error::x\r\tend') == 'say "hi"\\n::error::x\\r\\tend'


# -- the runner's older workflow-command form ---------------------------------------------------


def test_shown_escapes_the_runners_old_command_form() -> None:
    assert shown("##[add-mask]secret") == '"##\\u005badd-mask]secret"'


def test_clean_escapes_the_runners_old_command_form() -> None:
    assert clean("x ##[error]y") == "x ##\\u005berror]y"


def test_json_document_is_ascii_and_escapes_the_old_command_form() -> None:
    text = json_document({"name": "é ##[error]x \ud800"}, indent=None)
    assert text == '{"name": "\\u00e9 ##\\u005berror]x \\ud800"}'


# -- escaping never changes the value ----------------------------------------------------------

SURROGATE = re.compile("[\ud800-\udfff]")
LIBYAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()))
ANY_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
    max_leaves=12,
)


@given(ANY_VALUE)
def test_shown_reads_back_as_the_value(value: object) -> None:
    assert json.loads(shown(value)) == value


@given(ANY_TEXT)
def test_shown_is_one_line_with_nothing_hidden(text: str) -> None:
    out = shown(text)
    assert is_clean(out)
    assert "\n" not in out


@given(ANY_TEXT)
def test_yaml_double_quoted_reads_back_as_the_text(text: str) -> None:
    body = yaml_double_quoted(text)
    assert is_clean(body)
    assert yaml.safe_load(f'"{body}"') == text


@given(ANY_TEXT.filter(lambda text: not SURROGATE.search(text)))
def test_yaml_double_quoted_reads_back_with_libyaml(text: str) -> None:
    # libyaml loads configuration; it refuses raw characters outside YAML's printable set.
    assert yaml.load(f'"{yaml_double_quoted(text)}"', Loader=LIBYAML) == text


def test_yaml_escapes_the_two_non_characters_yaml_cannot_hold_raw() -> None:
    assert yaml_double_quoted("\ufffe\uffff") == "\\ufffe\\uffff"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (" ::error::x\n", " \\u003a:error::x\n"),  # a diff's context line, after its indent
        ("   ::add-mask::secret", "   \\u003a:add-mask::secret"),
        ("+ # ##[error]x\r\n", "+ # ##\\u005berror]x\r\n"),  # the old form, anywhere
    ],
)
def test_inert_line_escapes_a_line_the_runner_would_read_as_a_command(
    line: str, expected: str
) -> None:
    assert inert_line(line) == expected


@pytest.mark.parametrize(
    "line",
    ["+::error::x\n", " ::one colon pair\n", " # ##[ unclosed\n", "    name: Café\t x\n"],
)
def test_inert_line_leaves_any_other_line_as_it_is(line: str) -> None:
    assert inert_line(line) == line
