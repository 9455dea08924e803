"""The JSON Schema and its plain-word errors."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from triggersync.config import schema


def _messages(document: Any) -> list[tuple[str, str, bool]]:
    from triggersync.config.yamlload import format_path

    return [(format_path(p.path), p.message, p.at_key) for p in schema.check(document)]


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(schema.load_schema())


def test_every_property_has_a_title_or_description_for_editors() -> None:
    trigger = schema.load_schema()["$defs"]["trigger"]["properties"]
    assert all("description" in p or "$ref" in p for p in trigger.values())


def test_wrong_type_names_what_was_expected() -> None:
    assert _messages({"triggers": [{"name": 42}]}) == [
        ("triggers[0].name", "expected a string, got 42", False)
    ]


def test_unknown_key_suggests_and_points_at_the_key() -> None:
    assert _messages({"triggers": [{"name": "A", "enabeld": True}]}) == [
        ("triggers[0].enabeld", "unknown key 'enabeld' (did you mean 'enabled'?)", True)
    ]


def test_unknown_top_level_key() -> None:
    assert _messages({"trigers": []})[0][1] == "unknown key 'trigers' (did you mean 'triggers'?)"


def test_definition_allows_further_keys() -> None:
    definition = {"event": "page_enter", "condition": ["eq", "@a", 1], "actions": [], "x": 1}
    assert _messages({"triggers": [{"name": "A", "definition": definition}]}) == []


def test_definition_requires_its_three_keys() -> None:
    messages = _messages({"triggers": [{"name": "A", "definition": {"event": "page_enter"}}]})
    assert ("triggers[0].definition", "missing required key 'condition'", False) in messages


def test_action_must_start_with_a_name() -> None:
    definition = {"event": "page_enter", "condition": ["eq", "@a", 1], "actions": [[]]}
    messages = _messages({"triggers": [{"name": "A", "definition": definition}]})
    assert messages == [("triggers[0].definition.actions[0]", "expected at least 1 item", False)]


def test_ignore_globs_are_non_empty_strings() -> None:
    assert _messages({"ignore": ["ok", ""]}) == [("ignore[1]", "must not be empty", False)]


@pytest.mark.parametrize("enabled", [True, False, 0, 1])
def test_enabled_forms(enabled: Any) -> None:
    assert _messages({"triggers": [{"name": "A", "enabled": enabled}]}) == []


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-2, 2) | st.sampled_from(["", "a", "page_enter"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["name", "event", "condition", "actions", "enabled", "x"]), children
        )
    ),
    max_leaves=8,
)
_trigger_keys = st.sampled_from(
    ["name", "description", "enabled", "definition", "renamed_from", "id"]
)
_definition_like = st.fixed_dictionaries(
    {},
    optional={
        "event": st.sampled_from(["page_enter", "chat_message", "nope", 3]),
        "condition": _json,
        "actions": st.lists(st.lists(_json, max_size=2), max_size=2) | _json,
    },
)


@given(st.dictionaries(_trigger_keys, _json | _definition_like, max_size=5))
def test_fast_path_never_accepts_what_jsonschema_rejects(trigger: dict[str, Any]) -> None:
    assert schema.check({"triggers": [trigger]}) == schema._problems(
        schema.validator(), {"triggers": [trigger]}, ()
    )
