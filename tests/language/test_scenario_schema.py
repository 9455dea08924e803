"""schemas/scenarios.schema.json: a valid draft 2020-12 schema that documents itself, and the
loader's shortcut past it that never vouches for what the schema refuses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from triggersync.config.scenarios import load_scenarios_schema, plainly_valid

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "schemas" / "scenarios.schema.json").read_text(encoding="utf-8"))
SCENARIO = Draft202012Validator({"$defs": SCHEMA["$defs"], "$ref": "#/$defs/scenario"})


def _properties(node: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    found = []
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            found.append((f"{path}.{name}", sub))
        for key, value in node.items():
            found.extend(_properties(value, f"{path}.{key}"))
    return found


def test_the_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_loader_reads_the_repositorys_schema() -> None:
    assert load_scenarios_schema() == SCHEMA


@pytest.mark.parametrize(("where", "node"), _properties(SCHEMA))
def test_every_property_has_a_description_and_valid_examples(
    where: str, node: dict[str, Any]
) -> None:
    assert node.get("description") or node.get("$ref"), where
    resolved = {"$defs": SCHEMA["$defs"], **node}
    for example in node.get("examples", []):
        assert list(Draft202012Validator(resolved).iter_errors(example)) == [], where


def test_the_spec_example_is_a_valid_scenario() -> None:
    example = {
        "name": "German visitor on the pricing page",
        "event": "page_enter",
        "visitor": {
            "visitor_country_code": "DE",
            "visitor_page_url": "https://example.com/pricing",
            "visitor_tags": ["returning"],
            "visitor_time_on_page": 45,
        },
        "fired_before": [],
        "expect": {
            "fires": ["Route DACH to German support"],
            "does_not_fire": ["Pricing page greeting"],
        },
    }
    assert plainly_valid(example)
    assert list(SCENARIO.iter_errors(example)) == []


_ODD = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=2)
)
_ANY = st.recursive(
    _ODD,
    lambda inner: (
        st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=2), inner, max_size=2)
    ),
    max_leaves=4,
)
_NAME = st.text(min_size=1, max_size=3)
_NAMES = st.lists(_NAME, max_size=2)
_PLAIN = st.one_of(st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=2))
_VALUE = st.one_of(st.none(), _PLAIN, st.lists(_PLAIN, max_size=2), _ANY)
_EXPECT = st.fixed_dictionaries({}, optional={"fires": _NAMES, "does_not_fire": _NAMES}).filter(
    bool
)


def _part(good: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly a well-formed part, sometimes anything at all."""
    return st.one_of(good, good, good, good, _ANY)


# Scenarios that are often well formed and often slightly off: the two sides must agree.
_SCENARIOS = st.fixed_dictionaries(
    {"name": _part(_NAME), "event": _part(_NAME), "expect": _part(_EXPECT)},
    optional={
        "visitor": _part(st.none() | st.dictionaries(st.text(max_size=3), _VALUE, max_size=3)),
        "fired_before": _part(st.none() | _NAMES),
    },
)


@settings(max_examples=400, deadline=None)
@given(_SCENARIOS)
def test_the_shortcut_never_vouches_for_a_scenario_the_schema_refuses(item: Any) -> None:
    if plainly_valid(item):
        assert list(SCENARIO.iter_errors(item)) == []


@pytest.mark.parametrize(
    "item",
    [
        {"name": "x", "event": "page_enter", "expect": {}},
        {"name": "", "event": "page_enter", "expect": {"fires": []}},
        {"name": "x", "event": "page_enter", "expect": {"fires": [""]}},
        {"name": "x", "event": "page_enter", "visitor": {"a": {}}, "expect": {"fires": []}},
        {"name": "x", "event": "page_enter", "visitor": {"a": [[]]}, "expect": {"fires": []}},
        {"name": "x", "event": "page_enter", "fired_before": "A", "expect": {"fires": []}},
        {"name": "x", "event": "page_enter", "expect": {"fires": [], "extra": 1}},
        {"name": "x", "expect": {"fires": []}},
        {"name": "x", "event": "page_enter", "expect": {"fires": []}, "id": 1},
    ],
)
def test_the_shortcut_leaves_every_refused_shape_to_the_schema(item: Any) -> None:
    assert not plainly_valid(item)
    assert list(SCENARIO.iter_errors(item)) != []
