"""The event-built loader: what it checks as events arrive, and where places come from."""

from __future__ import annotations

from pathlib import Path

import pytest

from triggersync.config import yamlload


def _load(tmp_path: Path, text: str) -> yamlload.Document:
    path = tmp_path / "chat.yaml"
    path.write_text(text, encoding="utf-8")
    return yamlload.load(path)


def _message(tmp_path: Path, text: str) -> str:
    with pytest.raises(yamlload.LoadError) as caught:
        _load(tmp_path, text)
    return caught.value.problem.message


def test_top_level_places_are_kept_without_composing(tmp_path: Path) -> None:
    doc = _load(tmp_path, "triggers:\n  - name: A\n  - name: B\n")
    assert doc.places[("triggers", 1)] == (3, 5)
    assert doc.locate(("triggers", 1)) == (3, 5)
    assert "root" not in doc.__dict__  # no node graph was built


def test_deeper_places_and_keys_come_from_the_graph(tmp_path: Path) -> None:
    doc = _load(tmp_path, "triggers:\n  - name: A\n    enabled: maybe\n")
    assert doc.locate(("triggers", 0, "enabled")) == (3, 14)
    assert doc.locate(("triggers", 0, "enabled"), key=True) == (3, 5)


def test_aliases_are_copies(tmp_path: Path) -> None:
    doc = _load(tmp_path, "a: &a {x: [1]}\nb: *a\nc: &s text\nd: *s\n")
    assert doc.data["b"] == {"x": [1]}
    assert doc.data["b"] is not doc.data["a"]
    assert doc.data["d"] == "text"


def test_merge_of_a_list_of_mappings_first_wins(tmp_path: Path) -> None:
    doc = _load(tmp_path, "a: &a {k: 1}\nb: &b {k: 2, j: 3}\nc: {<<: [*a, *b]}\n")
    assert doc.data["c"] == {"k": 1, "j": 3}


def test_merge_of_a_scalar_is_refused(tmp_path: Path) -> None:
    assert "'<<' merges a mapping" in _message(tmp_path, "a: &a 1\nb: {<<: *a}\n")


def test_undefined_alias(tmp_path: Path) -> None:
    assert "undefined alias 'nope'" in _message(tmp_path, "a: *nope\n")


def test_duplicate_anchor(tmp_path: Path) -> None:
    assert "duplicate anchor 'a'" in _message(tmp_path, "a: &a 1\nb: &a 2\n")


def test_a_list_as_key_is_refused(tmp_path: Path) -> None:
    assert "mapping key must be a plain value" in _message(tmp_path, "? [a]\n: 1\n")


def test_an_aliased_list_as_key_is_refused(tmp_path: Path) -> None:
    assert "mapping key must be a plain value" in _message(tmp_path, "a: &a [1]\n? *a\n: 2\n")


def test_explicit_plain_tags_are_fine_and_others_are_not(tmp_path: Path) -> None:
    doc = _load(tmp_path, "a: !!str 12\nb: !!seq [1]\nc: !!map {d: !!float 2}\n")
    assert doc.data == {"a": "12", "b": [1], "c": {"d": 2.0}}
    assert "'!custom' is not allowed" in _message(tmp_path, "a: !custom [1]\n")
    assert "'!!binary' is not allowed" in _message(tmp_path, "a: !!binary aGk=\n")


def test_a_list_document(tmp_path: Path) -> None:
    assert _load(tmp_path, "- 1\n- 2\n").data == [1, 2]


def test_a_key_that_is_not_a_string_is_kept_as_written_and_found_there(tmp_path: Path) -> None:
    doc = _load(tmp_path, "a:\n  0x1: {b: maybe}\n  null: 2\n")
    assert doc.data == {"a": {"0x1": {"b": "maybe"}, "null": 2}}
    assert doc.locate(("a", "0x1", "b")) == (2, 12)
    assert doc.locate(("a", "null"), key=True) == (3, 3)
    assert [(p.line, p.col, p.path) for p in doc.problems] == [(2, 3, "a.0x1"), (3, 3, "a.null")]


def test_a_number_that_is_not_finite_is_kept_and_reported(tmp_path: Path) -> None:
    doc = _load(tmp_path, "a: [1.5, .inf]\n")
    assert doc.data["a"][0] == 1.5
    assert [(p.line, p.col, p.path) for p in doc.problems] == [(1, 10, "a[1]")]


def test_a_key_that_is_not_finite_is_one_problem_not_two(tmp_path: Path) -> None:
    doc = _load(tmp_path, "{.nan: 1}\n")
    assert [p.message for p in doc.problems] == [
        "key .nan is read as a number, not a string: quote it ('.nan')"
    ]
