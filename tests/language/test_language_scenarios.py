"""Scenarios against triggers: which fire, why one broke an expectation, and visitor values."""

from __future__ import annotations

from typing import Any

import pytest

from triggersync.language import EvaluationOutcome, Rulebook
from triggersync.language.scenarios import (
    Scenario,
    Suite,
    TriggerSpec,
    kind_mismatch,
    known_keys,
    read_value,
    two_messages,
    visitor_from,
)

GREET = ["sendMessageToVisitor", "Sales", "Hi!"]


def _spec(name: str, condition: Any, event: str = "page_enter", **extra: Any) -> TriggerSpec:
    actions = extra.pop("actions", [GREET])
    enabled = extra.pop("enabled", True)
    definition = {"event": event, "condition": condition, "actions": actions}
    return TriggerSpec(name, enabled, definition)


PRICING = _spec("Pricing greeting", ["and", ["icontains", "@visitor_page_url", "/pricing"]])
DACH = _spec(
    "Route DACH",
    ["eq", "@visitor_country_code", "DE"],
    event="chat_requested",
    actions=[["addTag", "dach"]],
)


def _run(specs: list[TriggerSpec], **scenario: Any) -> Any:
    scenario.setdefault("name", "s")
    scenario.setdefault("event", "page_enter")
    return Suite(specs).run(Scenario(**scenario))


# Expectations


def test_a_scenario_passes_when_exactly_the_expected_triggers_fire() -> None:
    result = _run([PRICING], visitor={"visitor_page_url": "/pricing"}, fires=("Pricing greeting",))
    assert (result.passed, result.fired) == (True, ("Pricing greeting",))


def test_an_unexpected_trigger_that_fires_fails_fires_with_the_condition_that_held() -> None:
    result = _run([PRICING], visitor={"visitor_page_url": "/pricing"}, fires=())
    assert (
        result.why == '"Pricing greeting" fired, expected not to: page URL contains "/pricing" held'
    )


def test_a_trigger_in_does_not_fire_that_fires_fails() -> None:
    result = _run(
        [PRICING], visitor={"visitor_page_url": "/pricing"}, does_not_fire=("Pricing greeting",)
    )
    assert result.failures == (
        '"Pricing greeting" fired, expected not to: page URL contains "/pricing" held',
    )


def test_does_not_fire_alone_ignores_the_other_triggers() -> None:
    other = _spec("Other", ["and"])
    result = _run([PRICING, other], visitor={}, does_not_fire=("Pricing greeting",))
    assert (result.passed, result.fired) == (True, ("Other",))


def test_an_expected_trigger_that_does_not_fire_names_the_condition_and_the_value() -> None:
    result = _run(
        [DACH],
        event="chat_requested",
        visitor={"visitor_country_code": "AT"},
        fires=("Route DACH",),
    )
    assert result.why == (
        '"Route DACH" did not fire: country code is "DE" did not hold '
        '(visitor_country_code is "AT")'
    )


def test_a_false_or_names_the_values_of_the_variables_it_reads() -> None:
    spec = _spec("Route", ["or", ["eq", "@visitor_country_code", "DE"], ["hasTag", "de"]])
    result = _run(
        [spec], visitor={"visitor_country_code": "FR", "visitor_tags": []}, fires=("Route",)
    )
    assert result.why.endswith('did not hold (visitor_country_code is "FR"; visitor_tags is [])')


def test_a_trigger_stopped_by_not_fired_before_says_it_is_in_fired_before() -> None:
    spec = _spec("Once", ["and", ["not", ["firedBefore"]]])
    result = _run([spec], visitor={}, fired_before=("Once",), fires=("Once",))
    assert result.why == (
        '"Once" did not fire: this trigger has not fired for the visitor yet did not hold '
        '("Once" is in fired_before)'
    )


def test_an_undecided_trigger_names_what_was_unknown() -> None:
    result = _run([DACH], event="chat_requested", visitor={}, fires=("Route DACH",))
    assert result.why == (
        '"Route DACH" did not fire: country code is "DE" is unknown '
        "(visitor_country_code is not set)"
    )


def test_unknowns_with_one_cause_are_named_together() -> None:
    condition = ["or", ["eq", "@visitor_country_code", "DE"], ["eq", "@visitor_country_code", "AT"]]
    result = _run([_spec("Route", condition)], visitor={}, fires=("Route",))
    assert result.why == (
        '"Route" did not fire: country code is "DE" and country code is "AT" are unknown '
        "(visitor_country_code is not set)"
    )


def test_an_expected_trigger_that_is_disabled_says_so() -> None:
    spec = _spec("Off", ["and"], enabled=False)
    assert _run([spec], visitor={}, fires=("Off",)).why == '"Off" did not fire: it is disabled'


def test_an_expected_trigger_of_another_event_says_which() -> None:
    result = _run([DACH], visitor={}, fires=("Route DACH",))
    assert result.why == '"Route DACH" did not fire: it runs on "chat_requested", not "page_enter"'


def test_an_expected_trigger_without_a_definition_cannot_fire() -> None:
    result = _run([TriggerSpec("Bare", True, None)], visitor={}, fires=("Bare",))
    assert result.why == (
        '"Bare" did not fire: it has no definition here, so the tool cannot tell when it fires'
    )


def test_a_fired_trigger_without_conditions_says_so() -> None:
    result = _run([_spec("Always", ["and"])], visitor={}, fires=())
    assert result.why == '"Always" fired, expected not to: it has no conditions'


def test_under_or_only_the_first_condition_that_holds_is_named() -> None:
    condition = ["or", ["eq", "@visitor_city", "Bonn"], ["eq", "@visitor_city", "Köln"]]
    result = _run([_spec("City", condition)], visitor={"visitor_city": "Köln"}, fires=())
    assert result.why == '"City" fired, expected not to: city is "Köln" held'


def test_every_condition_of_an_and_that_held_is_named() -> None:
    condition = ["and", ["eq", "@visitor_city", "Bonn"], ["stillOnPage", 30]]
    result = _run([_spec("City", condition)], visitor={"visitor_city": "Bonn"}, fires=())
    assert result.why == (
        '"City" fired, expected not to: city is "Bonn" held and '
        "after 30 seconds, still on the page held"
    )


def test_several_failures_are_all_reported() -> None:
    result = _run(
        [PRICING, DACH],
        visitor={"visitor_page_url": "/pricing"},
        fires=("Route DACH",),
    )
    assert len(result.failures) == 2


def test_only_enabled_triggers_of_the_scenarios_event_fire() -> None:
    specs = [PRICING, _spec("Off", ["and"], enabled=False), DACH]
    result = _run(specs, visitor={"visitor_page_url": "/pricing", "visitor_country_code": "DE"})
    assert result.fired == ("Pricing greeting",)


# Simulation


def test_a_simulation_decides_every_enabled_trigger_of_the_event_in_order() -> None:
    specs = [_spec("B", ["and"]), PRICING, _spec("Off", ["and"], enabled=False), DACH]
    simulation = Suite(specs).simulate("page_enter", {"visitor_page_url": "/docs"})
    assert [(d.name, d.outcome) for d in simulation.decided] == [
        ("B", EvaluationOutcome.FIRES),
        ("Pricing greeting", EvaluationOutcome.DOES_NOT_FIRE),
    ]


def test_a_simulation_gives_the_actions_of_a_trigger_in_words() -> None:
    simulation = Suite([PRICING]).simulate("page_enter", {"visitor_page_url": "/pricing"})
    assert simulation.fired[0].actions == ('send "Hi!" as "Sales"',)


def test_a_simulation_counts_the_undecided() -> None:
    simulation = Suite([PRICING]).simulate("page_enter", {})
    assert [d.name for d in simulation.undecided] == ["Pricing greeting"]


# Two messages at once


def test_two_fired_triggers_that_send_messages_are_named_in_a_warning() -> None:
    result = _run([PRICING, _spec("Hello", ["and"])], visitor={"visitor_page_url": "/pricing"})
    assert two_messages(result) == (
        '"Pricing greeting" and "Hello" both fire and send the visitor a message: '
        "the visitor gets 2 messages at once"
    )


def test_one_message_and_a_tag_are_no_warning() -> None:
    tagger = _spec("Tagger", ["and"], actions=[["addTag", "x"]])
    result = _run([PRICING, tagger], visitor={"visitor_page_url": "/pricing"})
    assert two_messages(result) is None


def test_many_messages_name_a_few_and_count_the_rest() -> None:
    specs = [_spec(f"T{index}", ["and"]) for index in range(6)]
    warning = two_messages(_run(specs, visitor={}))
    assert warning is not None
    assert warning.startswith('"T0", "T1", "T2", "T3" and 2 more all fire')
    assert warning.endswith("the visitor gets 6 messages at once")


# Values from the command line


@pytest.mark.parametrize(
    ("text", "value"),
    [
        *[("45", 45), ("-1.5", -1.5), ("1e3", 1000.0), ("true", True), ("false", False)],
        *[("DE", "DE"), ("007", "007"), ("True", "True"), ("", ""), ("null", "null")],
    ],
)
def test_a_value_is_a_json_number_a_boolean_or_text(text: str, value: Any) -> None:
    read = read_value(text)
    assert (read, type(read)) == (value, type(value))


def test_settings_become_a_visitor_without_at() -> None:
    assert visitor_from(["@visitor_country_code=DE", "visitor_time_on_page=30"]) == {
        "visitor_country_code": "DE",
        "visitor_time_on_page": 30,
    }


def test_a_value_may_hold_an_equals_sign() -> None:
    assert visitor_from(["visitor_page_url=https://x/?a=b"]) == {
        "visitor_page_url": "https://x/?a=b"
    }


def test_repeated_tags_build_a_list() -> None:
    assert visitor_from(["visitor_tags=vip", "visitor_tags=42"]) == {"visitor_tags": ["vip", "42"]}


def test_a_variable_set_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="visitor_city is set twice"):
        visitor_from(["visitor_city=Bonn", "visitor_city=Köln"])


@pytest.mark.parametrize("setting", ["visitor_city", "=Bonn", "@=x"])
def test_a_setting_without_a_name_and_value_is_refused(setting: str) -> None:
    with pytest.raises(ValueError, match="expected NAME=VALUE"):
        visitor_from([setting])


def test_a_boolean_for_a_text_variable_hints_at_quoting() -> None:
    assert "quote the value" in kind_mismatch("visitor_country_code", False)


def test_text_for_a_number_variable_is_a_mismatch() -> None:
    assert kind_mismatch("visitor_time_on_page", "soon") == (
        'visitor_time_on_page is a number, got "soon"'
    )


def test_a_fitting_value_is_no_mismatch() -> None:
    assert kind_mismatch("visitor_time_on_page", 30) == ""


def test_known_keys_add_the_variables_the_triggers_read() -> None:
    custom = _spec("Custom", ["and", ["eq", "@visitor_plan", "team"], ["stillOnSite", 5]])
    keys = known_keys([custom.definition])
    assert {"visitor_plan", "visitor_time_on_site", "visitor_country_code"} <= keys


# The evaluator's shortcuts for many scenarios


def test_firing_names_the_triggers_that_fire_as_run_does() -> None:
    book = Rulebook([("A", PRICING.definition), ("B", {"event": "page_enter", "condition": []})])
    visitor = {"visitor_page_url": "/docs"}
    assert book.firing("page_enter", visitor) == [
        v.trigger for v in book.run("page_enter", visitor) if v.fired
    ]


def test_decide_is_none_for_a_trigger_of_another_event() -> None:
    book = Rulebook([("A", PRICING.definition)])
    assert book.decide("A", "chat_requested", {}) is None


def test_decide_gives_the_verdict_of_one_trigger() -> None:
    book = Rulebook([("A", PRICING.definition)])
    verdict = book.decide("A", "page_enter", {"visitor_page_url": "/pricing"})
    assert verdict is not None
    assert verdict.fired


def test_a_trigger_no_suite_knows_did_not_fire_because_it_does_not_exist() -> None:
    result = _run([PRICING], visitor={}, fires=("Ghost",))
    assert result.why == '"Ghost" did not fire: no trigger has that name'


def test_an_empty_or_that_held_names_no_condition() -> None:
    result = _run([_spec("Empty", ["and", ["or"]])], visitor={}, fires=())
    assert result.why == '"Empty" fired, expected not to: it has no conditions'


def test_a_false_not_reads_out_only_the_variables_it_can_name() -> None:
    condition = ["not", ["or", ["eq", "@visitor_city", "Ulm"], ["fooBar", 1], ["firedBefore"]]]
    result = _run([_spec("City", condition)], visitor={"visitor_city": "Ulm"}, fires=("City",))
    assert result.why.endswith(
        'did not hold (visitor_city is "Ulm"; "City" is not in fired_before)'
    )
