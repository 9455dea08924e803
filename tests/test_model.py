"""The one normalisation both sides go through: representation never makes a difference."""

from __future__ import annotations

import pytest

from triggersync.model import Location, Trigger, normalise


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
