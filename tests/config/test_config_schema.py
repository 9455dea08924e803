"""The JSON Schema: plain-word errors, a fast path that agrees with jsonschema, and definitions
described for editors exactly as the trigger language reads them."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from triggersync import language
from triggersync.config import schema
from triggersync.language.vocabulary import METADATA_KEYS, Shape


def _messages(document: Any) -> list[tuple[str, str, bool]]:
    return [(p.where, p.message, at_key) for p, at_key in schema.config_schema_problems(document)]


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(schema.load_config_schema())


def test_every_property_has_a_title_or_description_for_editors() -> None:
    defs = schema.load_config_schema()["$defs"]
    for kind in ("trigger", "definition"):
        assert all("description" in p or "$ref" in p for p in defs[kind]["properties"].values())


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


def test_ignore_globs_are_non_empty_strings() -> None:
    assert _messages({"ignore": ["ok", ""]}) == [("ignore[1]", "must not be empty", False)]


@pytest.mark.parametrize("enabled", [True, False, 0, 1])
def test_enabled_forms(enabled: Any) -> None:
    assert _messages({"triggers": [{"name": "A", "enabled": enabled}]}) == []


def test_a_definition_is_left_to_the_language() -> None:
    trigger = {"name": "A", "definition": {"condition": "not a list"}}
    assert _messages({"triggers": [trigger]}) == []


# -- the fast path agrees with jsonschema -------------------------------------------------------

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


def _by_jsonschema(document: dict[str, Any]) -> list[schema.ProblemAtKey]:
    """What jsonschema alone says, definitions left out as `check` leaves them."""
    triggers = [schema.without_definition(t) for t in document.get("triggers", [])]
    return [
        (problem, at_key)
        for error in schema.validator().iter_errors({**document, "triggers": triggers})
        for problem, at_key in schema.explain_schema_error(error)
    ]


@given(st.dictionaries(_trigger_keys, _json, max_size=5))
def test_fast_path_never_accepts_what_jsonschema_rejects(trigger: dict[str, Any]) -> None:
    document = {"triggers": [trigger]}
    assert schema.config_schema_problems(document) == _by_jsonschema(document)


_value = st.none() | st.booleans() | st.integers() | st.text(max_size=3)
_top = st.dictionaries(
    st.sampled_from(["ignore", "triggers", "other"]),
    st.lists(_value, max_size=3) | _value,
    max_size=3,
)


@given(_top)
def test_top_level_fast_path_never_accepts_what_jsonschema_rejects(doc: dict[str, Any]) -> None:
    doc = {**doc, "triggers": []}
    assert schema.config_schema_problems(doc) == _by_jsonschema(doc)


def test_a_valid_file_never_imports_jsonschema() -> None:
    script = (
        "import sys\n"
        "from triggersync.config import schema\n"
        "doc = {'ignore': ['Legacy *'], 'triggers': [{'name': 'A', 'enabled': True}]}\n"
        "assert schema.config_schema_problems(doc) == []\n"
        "assert 'jsonschema' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


# -- definitions: the names editors complete are the vocabulary's -----------------------------


def _defs() -> dict[str, Any]:
    defs: dict[str, Any] = schema.load_config_schema()["$defs"]
    return defs


def _named(choices: list[dict[str, Any]]) -> list[str]:
    return [choice["const"] for choice in choices if "const" in choice]


def test_the_schema_offers_exactly_the_known_events() -> None:
    event = _defs()["definition"]["properties"]["event"]
    assert _named(event["anyOf"]) == list(language.EVENTS)
    assert event["examples"] == list(language.EVENTS)


def test_the_schema_offers_exactly_the_known_operators() -> None:
    condition = _defs()["condition"]
    assert _named(condition["prefixItems"][0]["anyOf"]) == list(language.OPERATORS)
    nesting = [name for name, op in language.OPERATORS.items() if op.shape in _NESTING]
    assert condition["if"]["prefixItems"][0]["enum"] == nesting


def test_the_schema_offers_exactly_the_known_actions() -> None:
    action = _defs()["action"]
    assert _named(action["prefixItems"][0]["anyOf"]) == list(language.TRIGGER_ACTIONS)


def test_the_schema_names_the_keys_zendesk_keeps() -> None:
    keys = list(_defs()["definition"]["properties"])
    assert keys == ["event", "condition", "actions", *METADATA_KEYS]


# -- definitions: the schema refuses exactly what the language calls an error ------------------

_NESTING = (Shape.ALL, Shape.ANY, Shape.NOT)
_scalar = st.none() | st.booleans() | st.integers(-1, 40) | st.sampled_from(["", "x", "@a"])
_name = st.sampled_from(["and", "or", "not", "eq", "stillOnPage", "hasTag", "frob"])
_condition = st.recursive(
    _scalar | st.just([]),
    lambda inner: st.tuples(_name | _scalar, st.lists(inner, max_size=3)).map(
        lambda t: [t[0], *t[1]]
    ),
    max_leaves=10,
)
_action = _scalar | st.lists(st.sampled_from(["addTag", "wait", "zap"]) | _scalar, max_size=3)
_actions = _scalar | st.lists(_action, max_size=3)
_others = {
    "event": _scalar | st.sampled_from(["page_enter", "chat_message"]),
    "version": _scalar,
    "other": _scalar,
}
_definition = st.fixed_dictionaries(
    {"condition": _condition, "actions": _actions}, optional=_others
) | st.fixed_dictionaries({}, optional={"condition": _condition, "actions": _actions, **_others})


@settings(max_examples=300)
@given(_definition | _scalar)
def test_the_schema_refuses_a_definition_exactly_when_the_language_errs(definition: Any) -> None:
    validator = Draft202012Validator({"$defs": _defs(), "$ref": "#/$defs/definition"})
    refused = any(True for _ in validator.iter_errors(definition))
    assert refused == any(problem.is_error for problem in language.check_definition(definition))
