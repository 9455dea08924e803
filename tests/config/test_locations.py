"""Places deeper than the top levels, found again from the text in one walk."""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from triggersync.config import locations, reader
from triggersync.errors import JsonPath, Problem


def _places(text: str, *paths: JsonPath, key: bool = False) -> list[tuple[int, int]]:
    found = locations.locate(text, [(path, key) for path in paths])
    return [found[(path, key)] for path in paths]


def test_a_value_and_its_key() -> None:
    text = "triggers:\n  - name: A\n    enabled: maybe\n"
    assert _places(text, ("triggers", 0, "enabled")) == [(3, 14)]
    assert _places(text, ("triggers", 0, "enabled"), key=True) == [(3, 5)]


def test_many_places_in_one_walk() -> None:
    text = "a: [x, {b: [1, 2]}]\nc: {d: e}\n"
    assert _places(text, ("a", 1, "b", 1), ("c", "d"), ("a", 0)) == [(1, 16), (2, 8), (1, 5)]


def test_a_missing_key_is_placed_at_the_mapping_that_lacks_it() -> None:
    assert _places("triggers:\n  - description: x\n", ("triggers", 0, "name")) == [(2, 5)]


def test_a_key_not_written_as_a_string_is_found_by_its_text() -> None:
    text = "a:\n  0x1: {b: maybe}\n  null: 2\n"
    assert _places(text, ("a", "0x1", "b"), ("a", "null")) == [(2, 12), (3, 9)]
    assert _places(text, ("a", "null"), key=True) == [(3, 3)]


def test_an_aliased_key_is_found_by_its_anchor_text() -> None:
    assert _places("a: &k name\nb: {*k : v}\n", ("b", "name"), key=True) == [(2, 5)]


def test_data_from_an_alias_is_placed_at_the_alias() -> None:
    text = "base: &d {event: x, actions: [[a]]}\ntriggers:\n  - definition: *d\n"
    assert _places(text, ("triggers", 0, "definition", "actions", 0)) == [(3, 17)]


def test_a_merged_key_is_placed_at_the_merge() -> None:
    text = "a: &a {name: A}\nb:\n  enabled: true\n  <<: *a\n"
    assert _places(text, ("b", "name"), ("b", "enabled")) == [(4, 3), (3, 12)]


def test_an_empty_document_is_placed_at_its_start() -> None:
    assert _places("# nothing\n", ("a",)) == [(1, 1)]


def test_a_document_places_its_problems_at_once(tmp_path: Path) -> None:
    path = tmp_path / "chat.yaml"
    path.write_text("triggers:\n  - name: A\n    enabled: maybe\n", encoding="utf-8")
    document = reader.read(path)
    problems = [Problem(path=("triggers", 0, "enabled"), message=m) for m in ("v", "k")]
    placed = document.place([(problems[0], False), (problems[1], True)])
    assert [str(p) for p in placed] == [
        f"{path}:3:14: triggers[0].enabled: v",
        f"{path}:3:5: triggers[0].enabled: k",
    ]


# -- one truth: the walk agrees with PyYAML's node graph, for every path of the data ----------


def _reference(node: yaml.Node, path: JsonPath, key: bool) -> tuple[int, int]:
    """PyYAML's composed graph, walked down the path: an independent reading."""
    for index, part in enumerate(path):
        last = index == len(path) - 1
        if isinstance(node, yaml.SequenceNode):
            node = node.value[part]
        else:
            pairs = [(k, v) for k, v in node.value if k.value == str(part)]
            (pair,) = pairs
            node = pair[0] if key and last else pair[1]
    return node.start_mark.line + 1, node.start_mark.column + 1


def _paths(value: Any, path: JsonPath = ()) -> Iterator[JsonPath]:
    yield path
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from _paths(item, (*path, name))


def _assert_places_agree_with_pyyaml(text: str) -> None:
    """Every path of the data the reader builds from `text` (and each mapping key) is placed
    where PyYAML's graph has it: by the walk over the whole text, and by the document (from
    its top-level places and the text of each item)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.yaml"
        path.write_text(text, encoding="utf-8")
        document = reader.read(path)
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    assert root is not None
    paths = list(_paths(document.data))
    requests = [(p, False) for p in paths] + [
        (p, True) for p in paths if p and isinstance(p[-1], str)
    ]
    expected = {(p, k): _reference(root, p, k) for p, k in requests}
    assert locations.locate(text, requests) == expected
    located = document.locate(requests)
    assert {r: (place.line, place.col) for r, place in located.items()} == expected


_KEYS = st.sampled_from(["a", "b c", "1", "null", "0x1", "x"])
_data = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=3),
    max_leaves=10,
)


@settings(max_examples=150, deadline=None)
@given(_data, st.booleans())
def test_every_path_is_where_pyyaml_composes_it(data: Any, flow: bool) -> None:
    text = yaml.safe_dump({"top": data}, default_flow_style=flow, allow_unicode=True, width=30)
    _assert_places_agree_with_pyyaml(text)


_WRITTEN_KEYS = ["a", "' a '", "'b c'", "1", "0x1", "null", "~", "true", "'q'", "2001-12-14"]
_written = st.recursive(
    st.sampled_from(["x", "1", "1.5", "null", "'t'"]),
    lambda inner: (
        st.lists(inner, max_size=3).map(lambda items: f"[{', '.join(items)}]")
        | st.lists(
            st.tuples(st.sampled_from(_WRITTEN_KEYS), inner),
            max_size=3,
            unique_by=lambda pair: pair[0].strip("'"),
        ).map(lambda pairs: "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}")
    ),
    max_leaves=10,
)


@settings(max_examples=150, deadline=None)
@given(_written)
def test_keys_written_as_other_types_are_where_pyyaml_composes_them(written: str) -> None:
    _assert_places_agree_with_pyyaml(f"top: {written}\n")


def test_an_item_whose_text_does_not_stand_alone_is_found_in_the_whole(tmp_path: Path) -> None:
    path = tmp_path / "chat.yaml"
    path.write_text("a: [x, {b: [1, 2]}]\n", encoding="utf-8")
    document = reader.read(path)
    start, _ = document.spans[("a", 1)]
    broken = dataclasses.replace(document, spans={("a", 1): (start, start + 6)})  # "{b: [1"
    assert broken.location(("a", 1, "b", 1)) == document.location(("a", 1, "b", 1))
    assert (document.location(("a", 1, "b", 1)).line, document.location(("a", 1, "b", 1)).col) == (
        1,
        16,
    )
