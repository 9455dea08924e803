"""The one normalisation both sides go through: representation never makes a difference."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triggersync.engine.model import (
    Location,
    Trigger,
    as_declared,
    canonical_json,
    holds,
    normalise,
    same_json,
)


@pytest.mark.parametrize(("raw", "expected"), [(True, 1), (False, 0), (1, 1), (0, 0), ("1", 1)])
def test_enabled_forms_normalise_to_integers(raw: object, expected: int) -> None:
    assert normalise({"name": "T", "enabled": raw}).enabled == expected


@pytest.mark.parametrize("raw", [2, "maybe", None, 1.5])
def test_enabled_without_a_normal_form_is_refused(raw: object) -> None:
    with pytest.raises(ValueError, match="true/false or 0/1"):
        normalise({"name": "T", "enabled": raw})


def test_missing_enabled_means_enabled() -> None:
    assert normalise({"name": "T"}).enabled == 1


def test_null_description_equals_empty() -> None:
    assert normalise({"name": "T", "description": None}) == normalise({"name": "T"})


def test_unmanaged_fields_are_dropped() -> None:
    live = normalise({"id": 4, "name": "T", "description": "", "enabled": 1, "owner": "x"})
    assert live == Trigger(name="T")


def test_location_does_not_take_part_in_equality() -> None:
    here = normalise({"name": "T"}, Location("a.yaml", 3, 5))
    assert here == normalise({"name": "T"})
    assert str(here.location) == "a.yaml:3:5"


@pytest.mark.parametrize("name", [None, "", 7])
def test_a_name_must_be_a_non_empty_string(name: object) -> None:
    with pytest.raises(ValueError, match="name"):
        normalise({"name": name})


def test_a_description_must_be_a_string() -> None:
    with pytest.raises(ValueError, match="description"):
        normalise({"name": "T", "description": 3})


def test_a_definition_must_be_an_object() -> None:
    with pytest.raises(ValueError, match="definition object"):
        normalise({"name": "T", "definition": 3})


def test_view_includes_the_definition_only_when_asked() -> None:
    trigger = normalise({"name": "T", "definition": {"event": "page_enter"}})
    assert "definition" not in trigger.view(with_definition=False)
    assert trigger.view(with_definition=True)["definition"] == {"event": "page_enter"}


def test_body_omits_an_absent_definition() -> None:
    assert normalise({"name": "T"}).body() == {"name": "T", "description": "", "enabled": 1}


# --- one equality: JSON's, not Python's ----------------------------------------------------


def test_enabled_1_0_is_1() -> None:
    assert normalise({"name": "T", "enabled": 1.0}).enabled == 1


@pytest.mark.parametrize(
    ("a", "b"),
    [({"x": True}, {"x": 1}), ([False], [0]), ({"x": [1, True]}, {"x": [1, 1]}), (1, True)],
)
def test_a_boolean_is_never_the_same_as_a_number(a: object, b: object) -> None:
    assert not same_json(a, b)
    assert not same_json(b, a)
    assert canonical_json(a) != canonical_json(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [(1, 1.0), ({"x": [0, 2]}, {"x": [0.0, 2.0]}), ({"a": 1, "b": True}, {"b": True, "a": 1})],
)
def test_numbers_compare_by_value_and_keys_in_any_order(a: object, b: object) -> None:
    assert same_json(a, b)
    assert canonical_json(a) == canonical_json(b)


@pytest.mark.parametrize(
    ("one", "other", "equal"), [(True, 1, False), (1.0, 1, True)], ids=["true-is-not-1", "1.0-is-1"]
)
def test_triggers_compare_their_definitions_as_json(one: Any, other: Any, equal: bool) -> None:
    assert (Trigger("T", definition={"x": one}) == Trigger("T", definition={"x": other})) is equal


_json = st.recursive(
    st.none() | st.booleans() | st.sampled_from([0, 1, 2, 0.0, 1.0, 2.0, 0.5, "1", "true"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from("ab"), inner),
    max_leaves=6,
)


def _respelt(value: Any) -> Any:
    """The same JSON written otherwise: integers as floats, keys in the reverse order."""
    if type(value) is int:
        return float(value)
    if isinstance(value, list):
        return [_respelt(item) for item in value]
    if isinstance(value, dict):
        return {key: _respelt(value[key]) for key in reversed(value)}
    return value


@settings(max_examples=300, deadline=None)
@given(_json, _json)
def test_same_and_the_canonical_text_agree(a: Any, b: Any) -> None:
    assert same_json(a, b) == (canonical_json(a) == canonical_json(b))


@settings(max_examples=100, deadline=None)
@given(_json)
def test_a_value_is_the_same_as_itself_respelt(value: Any) -> None:
    assert same_json(value, _respelt(value))
    assert canonical_json(value) == canonical_json(_respelt(value))


# -- a write's body against what is live ------------------------------------------------------

GEO = {"event": "chat_requested", "condition": ["eq", "@visitor_country_code", "US"]}


def test_a_live_trigger_holds_a_body_whatever_metadata_the_server_added() -> None:
    stamped = Trigger("A", definition={**GEO, "version": 1, "editor": "developer"})
    assert holds(stamped, {"name": "A", "enabled": 1, "definition": GEO})


def test_a_live_trigger_without_declared_metadata_does_not_hold_the_body() -> None:
    assert not holds(
        Trigger("A", definition=GEO), {"name": "A", "definition": {**GEO, "version": 2}}
    )


def test_a_body_without_a_definition_holds_whatever_definition_is_live() -> None:
    assert holds(Trigger("A", "d", definition=GEO), {"name": "A", "description": "d"})


def test_a_body_with_another_description_is_not_held() -> None:
    assert not holds(Trigger("A", "d"), {"description": "e"})


def test_as_declared_keeps_the_three_keys_and_the_declared_ones() -> None:
    live = {"event": "e", "condition": [], "actions": [], "version": 1, "editor": "x"}
    assert as_declared(live, {"event": "f", "editor": "y"}) == {
        "event": "e",
        "condition": [],
        "actions": [],
        "editor": "x",
    }


@pytest.mark.parametrize(("live", "declared"), [(None, {"event": "e"}), ({"version": 1}, None)])
def test_as_declared_leaves_what_is_not_an_object_pair_alone(live: Any, declared: Any) -> None:
    assert as_declared(live, declared) == live
