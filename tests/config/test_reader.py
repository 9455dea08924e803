"""Safe YAML reading: plain data, checked as it is built, with its places."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from triggersync.config import reader
from triggersync.errors import ConfigError, Location, Problem

BOMB = "\n".join(
    [
        'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        *(
            f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]"
            for p, n in zip("abcdefgh", "bcdefghi", strict=True)
        ),
    ]
)


def _read(tmp_path: Path, text: str | bytes) -> reader.Document:
    path = tmp_path / "chat.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return reader.read(path)


def _problem(tmp_path: Path, text: str | bytes) -> Problem:
    with pytest.raises(ConfigError) as caught:
        _read(tmp_path, text)
    (problem,) = caught.value.problems
    return problem


def _place(problem: Problem) -> tuple[int, int]:
    assert problem.location is not None
    return problem.location.line, problem.location.col


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("a: &a [*a]\n", "recursive alias"),
        ("x: !!set {a, b}\n", "'!!set' is not allowed"),
        ("a: !custom [1]\n", "'!custom' is not allowed"),
        ("a: !!binary aGk=\n", "'!!binary' is not allowed"),
        ("a: 1\n---\nb: 2\n", "single document"),
        ("[" * 70 + "]" * 70, "nested deeper than 64"),
        ("a: &a 1\nb: {<<: *a}\n", "'<<' merges a mapping"),
        ("a: *nope\n", "undefined alias 'nope'"),
        ("a: &a 1\nb: &a 2\n", "duplicate anchor 'a'"),
        ("? [a]\n: 1\n", "mapping key must be a plain value"),
        ("a: &a [1]\n? *a\n: 2\n", "mapping key must be a plain value"),
    ],
)
def test_what_is_not_plain_data_is_refused(tmp_path: Path, text: str, fragment: str) -> None:
    assert fragment in _problem(tmp_path, text).message


def test_the_problem_names_its_file(tmp_path: Path) -> None:
    problem = _problem(tmp_path, "a: 1\n---\nb: 2\n")
    assert problem.location is not None
    assert problem.location.file == str(tmp_path / "chat.yaml")


def test_object_tag_is_refused_at_its_place(tmp_path: Path) -> None:
    problem = _problem(tmp_path, 'x:\n  - !!python/object/apply:os.system ["echo"]\n')
    assert (_place(problem), problem.where) == ((2, 5), "x[0]")
    assert "'!!python/object/apply:os.system' is not allowed" in problem.message


def test_alias_bomb_is_refused_by_the_expansion_bound(tmp_path: Path) -> None:
    # The bound stops the expansion early: the count reported is just past the limit, far
    # below the billion values the file would expand to (no timing assert needed).
    found = re.search(r"aliases expand to over (\d+) values", _problem(tmp_path, BOMB).message)
    assert found is not None
    assert int(found[1]) < 10 * reader.MAX_ALIAS_EXPANSION


def test_non_utf8_is_reported_at_line_1(tmp_path: Path) -> None:
    problem = _problem(tmp_path, b"a: 1\nb: caf\xe9\n")
    assert _place(problem) == (1, 1)
    assert problem.message.startswith("not valid UTF-8 (byte 0xe9 on line 2)")


def test_syntax_error_has_the_marker_place(tmp_path: Path) -> None:
    problem = _problem(tmp_path, "a: 1\nb: c: d\n")
    assert _place(problem)[0] == 2
    assert problem.message.startswith("YAML syntax error:")


def test_duplicate_key_is_an_error_at_the_second(tmp_path: Path) -> None:
    problem = _problem(tmp_path, "name: A\nname: B\n")
    assert (_place(problem)[0], problem.message) == (2, "duplicate key 'name' in this mapping")


def test_oversized_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "MAX_FILE_BYTES", 10)
    assert "the limit is" in _problem(tmp_path, "name: something longer\n").message


def test_a_missing_file_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the file"):
        reader.read(tmp_path / "nope.yaml")


def test_scalars_keep_json_meaning(tmp_path: Path) -> None:
    doc = _read(tmp_path, "[yes, false, 0x1F, -3, 012, 1.5, ~, 2024-01-01, '1', 10]")
    assert doc.data == [True, False, 31, -3, 10, 1.5, None, "2024-01-01", "1", 10]


def test_explicit_plain_tags_are_fine(tmp_path: Path) -> None:
    doc = _read(tmp_path, "a: !!str 12\nb: !!seq [1]\nc: !!map {d: !!float 2}\n")
    assert doc.data == {"a": "12", "b": [1], "c": {"d": 2.0}}


def test_empty_and_comment_only_files_have_no_data(tmp_path: Path) -> None:
    assert _read(tmp_path, "# nothing here\n").data is None


def test_a_list_document(tmp_path: Path) -> None:
    assert _read(tmp_path, "- 1\n- 2\n").data == [1, 2]


def test_aliases_are_copies(tmp_path: Path) -> None:
    doc = _read(tmp_path, "a: &a {x: [1]}\nb: *a\nc: &s text\nd: *s\n")
    assert doc.data["b"] == {"x": [1]}
    assert doc.data["b"] is not doc.data["a"]
    assert doc.data["d"] == "text"


def test_modest_alias_reuse_is_fine(tmp_path: Path) -> None:
    assert _read(tmp_path, "d: &d [1, 2]\nx: [*d, *d, *d]\n").data["x"] == [[1, 2]] * 3


@pytest.mark.parametrize(
    ("text", "merged"),
    [
        ("a: &a {name: A}\nb:\n  <<: *a\n  enabled: true\n", {"name": "A", "enabled": True}),
        (
            "a: &a {name: A, enabled: false}\nb: {<<: *a, name: B}\n",
            {"name": "B", "enabled": False},
        ),
        ("a: &a {k: 1}\nc: &c {k: 2, j: 3}\nb: {<<: [*a, *c]}\n", {"k": 1, "j": 3}),
    ],
    ids=["merged", "explicit-wins", "first-source-wins"],
)
def test_merge_keys(tmp_path: Path, text: str, merged: dict[str, object]) -> None:
    assert _read(tmp_path, text).data["b"] == merged


def test_top_level_places_are_kept_while_reading(tmp_path: Path) -> None:
    doc = _read(tmp_path, "triggers:\n  - name: A\n  - name: B\n")
    assert doc.places[("triggers", 1)] == (3, 5)
    assert doc.location(("triggers", 1)) == Location(str(tmp_path / "chat.yaml"), 3, 5)


def test_a_key_that_is_not_a_string_is_kept_as_written_and_found_there(tmp_path: Path) -> None:
    doc = _read(tmp_path, "a:\n  0x1: {b: maybe}\n  null: 2\n")
    assert doc.data == {"a": {"0x1": {"b": "maybe"}, "null": 2}}
    assert [(_place(p), p.where) for p in doc.problems] == [
        ((2, 3), 'a["0x1"]'),
        ((3, 3), "a.null"),
    ]


def test_a_number_that_is_not_finite_is_kept_and_reported(tmp_path: Path) -> None:
    doc = _read(tmp_path, "a: [1.5, .inf]\n")
    assert doc.data["a"][0] == 1.5
    assert [(_place(p), p.where) for p in doc.problems] == [((1, 10), "a[1]")]


def test_a_key_that_is_not_finite_is_one_problem_not_two(tmp_path: Path) -> None:
    doc = _read(tmp_path, "{.nan: 1}\n")
    assert [p.message for p in doc.problems] == [
        "key .nan is read as a number, not a string: quote it ('.nan')"
    ]


def test_an_unclosed_quote_is_reported_where_it_opens(tmp_path: Path) -> None:
    text = 'triggers:\n  - name: "Unclosed\n    description: x\n  - name: B\n'
    problem = _problem(tmp_path, text)
    assert _place(problem) == (2, 11)
    assert problem.message == (
        "YAML syntax error: this quoted string is never closed (found unexpected end of "
        "stream at line 5); close it with the same quote"
    )


def test_an_unclosed_bracket_is_reported_where_it_opens(tmp_path: Path) -> None:
    text = (
        "triggers:\n  - name: A\n    definition:\n      event: page_enter\n"
        '      condition: ["and", ["eq", "@visitor_country_code", "US"]\n'
        "      actions: []\n"
    )
    problem = _problem(tmp_path, text)
    assert _place(problem) == (5, 18)
    assert problem.message == (
        "YAML syntax error: this [ is never closed (did not find expected ',' or ']' at "
        "line 6); close it with ]"
    )


def test_an_unclosed_brace_is_reported_where_it_opens(tmp_path: Path) -> None:
    text = "triggers:\n  - name: A\n    definition: {event: page_enter,\n      actions: []\n"
    problem = _problem(tmp_path, text)
    assert _place(problem) == (3, 17)
    assert problem.message.startswith("YAML syntax error: this { is never closed")


def test_a_flow_error_on_its_own_line_stays_where_the_parser_found_it(tmp_path: Path) -> None:
    problem = _problem(tmp_path, "a: [b c: d: e]\n")
    assert problem.message.startswith("YAML syntax error:")
    assert "never closed" not in problem.message


def test_an_unquoted_reference_in_a_flow_list_gets_a_hint_to_quote_it(tmp_path: Path) -> None:
    text = "triggers:\n  - name: A\n    description: [eq, ${COUNTRY}]\n"
    problem = _problem(tmp_path, text)
    assert _place(problem) == (3, 23)
    assert problem.message == (
        "YAML syntax error: a ${COUNTRY} reference inside [...] or {...} must be quoted: "
        'write "${COUNTRY}" (unquoted, its { opens a mapping)'
    )


def _compact(count: int) -> str:
    """Triggers as compact JSON, all on line 1, every condition the same."""
    import json

    item = {"event": "chat_requested", "condition": ["eq", "@visitor_city", "x"]}
    triggers = [{"name": f"T{i}", "definition": {**item, "actions": []}} for i in range(count)]
    return json.dumps({"triggers": triggers})


def test_a_place_far_along_a_long_line_is_found_in_one_walk_not_per_item(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Found per item, each item's text is padded by as many spaces as its column: quadratic
    # on a file of compact JSON (20,000 triggers took minutes).
    text = _compact(200)
    document = _read(tmp_path, text)
    far = [i for i in range(200) if document.places[("triggers", i)][1] > 4096]
    assert far  # the file reaches past the bound
    padded: list[object] = []
    original = reader.Document._find_in_item

    def spy(self: reader.Document, item: object, requests: object) -> object:
        padded.append(item)
        return original(self, item, requests)  # type: ignore[arg-type]

    monkeypatch.setattr(reader.Document, "_find_in_item", spy)
    paths = [(("triggers", i, "definition", "condition"), False) for i in far]
    found = document.locate(paths)
    assert padded == []
    columns = [m.start() + len('"condition": ') + 1 for m in re.finditer('"condition"', text)]
    assert [found[path].col for path in paths] == [columns[i] for i in far]
    assert {found[path].line for path in paths} == {1}


def test_a_place_near_the_start_of_its_line_is_found_in_its_items_text(tmp_path: Path) -> None:
    text = _compact(3)
    document = _read(tmp_path, text)
    found = document.locate([(("triggers", 1, "definition", "condition"), False)])
    start = [m.start() for m in re.finditer('"condition"', text)][1]
    assert found[(("triggers", 1, "definition", "condition"), False)].col == start + 14
