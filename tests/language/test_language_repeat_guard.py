"""A page_enter trigger that sends a message must guard against sending it on every page."""

from __future__ import annotations

from typing import Any

from triggersync.language import check_definition

SEND = ["sendMessageToVisitor", "Sales", "Hi!"]
HINT = 'add ["not", ["firedBefore"]] to the condition'


def _definition(condition: Any, actions: Any = None, event: str = "page_enter") -> Any:
    return {
        "event": event,
        "condition": condition,
        "actions": [SEND] if actions is None else actions,
    }


def _repeat_warnings(definition: Any) -> list[tuple[str, str]]:
    return [(p.where, p.message) for p in check_definition(definition) if "every page" in p.message]


def test_a_greeting_on_every_page_warns_at_its_action_with_the_hint() -> None:
    condition = ["and", ["icontains", "@visitor_page_url", "/pricing"]]
    ((where, message),) = _repeat_warnings(_definition(condition))
    assert where == "actions[0]"
    assert "sends a message on every page the visitor enters" in message
    assert HINT in message


def test_the_warning_is_a_warning_not_an_error() -> None:
    assert not any(p.is_error for p in check_definition(_definition(["and"])))


def test_the_warning_carries_its_rule() -> None:
    (warning,) = [p for p in check_definition(_definition(["and"])) if "every page" in p.message]
    assert str(warning.rule) == "TS201 unguarded-page-message"


def test_still_on_page_guards_the_greeting() -> None:
    assert _repeat_warnings(_definition(["and", ["stillOnPage", 30]])) == []


def test_not_fired_before_guards_the_greeting() -> None:
    assert _repeat_warnings(_definition(["and", ["not", ["firedBefore"]]])) == []


def test_visitor_triggered_guards_the_greeting() -> None:
    condition = ["and", ["eq", "@visitor_triggered", False], ["stillOnPage", 5]]
    assert _repeat_warnings(_definition(condition)) == []


def test_a_guard_nested_under_or_still_counts() -> None:
    condition = ["or", ["eq", "@visitor_country_code", "US"], ["not", ["firedBefore"]]]
    assert _repeat_warnings(_definition(condition)) == []


def test_a_greeting_on_chat_requested_does_not_warn() -> None:
    assert _repeat_warnings(_definition(["and"], event="chat_requested")) == []


def test_a_page_enter_trigger_that_sends_no_message_does_not_warn() -> None:
    assert _repeat_warnings(_definition(["and"], [["addTag", "seen"]])) == []


def test_the_warning_points_at_the_first_message() -> None:
    ((where, _),) = _repeat_warnings(_definition(["and"], [["addTag", "seen"], SEND, SEND]))
    assert where == "actions[1]"


def test_a_missing_condition_has_no_guard() -> None:
    definition = {"event": "page_enter", "actions": [SEND]}
    assert [where for where, _ in _repeat_warnings(definition)] == ["actions[0]"]
