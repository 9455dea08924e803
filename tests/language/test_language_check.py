"""Definition checks: errors only for what cannot be a definition, warnings for the rest."""

from __future__ import annotations

from typing import Any

import pytest

from triggersync.language import Problem, Severity, check_definition

SEND = ["sendMessageToVisitor", "Sales", "Hi!"]


def _definition(condition: Any, actions: Any = None, event: Any = "chat_requested") -> Any:
    return {
        "event": event,
        "condition": condition,
        "actions": [SEND] if actions is None else actions,
    }


def _found(definition: Any) -> list[tuple[str, str, str]]:
    return [(p.severity.value, p.where, p.message) for p in check_definition(definition)]


def _errors(definition: Any) -> list[Problem]:
    return [problem for problem in check_definition(definition) if problem.is_error]


def _warnings_at(definition: Any) -> list[str]:
    return [p.where for p in check_definition(definition) if p.severity is Severity.WARNING]


def test_a_clean_definition_has_no_problem() -> None:
    definition = _definition(
        [
            "and",
            ["eq", "@visitor_country_code", "US"],
            ["or", ["icontains", "@visitor_page_url", "/pricing"], ["gte", "@hour_of_day", 9]],
            ["not", ["firedBefore"]],
            ["stillOnPage", 30],
        ],
        [SEND, ["addTag", "vip"], ["setDepartment", 123]],
    )
    assert check_definition(definition) == ()


# Errors: shapes that cannot be a definition at all.


def test_a_definition_that_is_not_an_object_is_an_error() -> None:
    assert _found(["eq", "@x", 1]) == [
        (
            "error",
            "",
            "a definition is an object with event, condition and actions, got a list",
        )
    ]


def test_a_condition_that_is_not_a_list_is_an_error() -> None:
    assert _found(_definition("eq")) == [
        ("error", "condition", 'a condition is a list (an operator, then its operands), got "eq"')
    ]


def test_a_sub_condition_that_is_not_a_list_is_an_error() -> None:
    assert [p.where for p in _errors(_definition(["and", "eq"]))] == ["condition[1]"]


def test_an_operator_that_is_not_a_string_is_an_error() -> None:
    assert _found(_definition([["eq", "@x", 1]])) == [
        ("error", "condition[0]", "an operator name comes first (e.g. 'and', 'eq'), got a list")
    ]


def test_actions_that_are_not_a_list_are_an_error() -> None:
    assert [(p.where, p.is_error) for p in check_definition(_definition(["and"], "addTag"))] == [
        ("actions", True)
    ]


@pytest.mark.parametrize("action", ["addTag", [], [5, "vip"], {"addTag": "vip"}])
def test_an_action_that_is_not_a_list_starting_with_a_name_is_an_error(action: Any) -> None:
    assert [p.where for p in _errors(_definition(["and"], [SEND, action]))] == ["actions[1]"]


# Never errors: whatever a live trigger can hold.


@pytest.mark.parametrize(
    "definition",
    [
        _definition(["and"]),
        _definition(["or"]),
        _definition([]),
        {"event": "page_enter", "condition": ["and"]},
        {"event": "page_enter", "condition": ["and"], "actions": None},
        _definition(["eq", "@visitor_country_code", ["US", "DE"]]),
        _definition(["fooBar", 1, [2]]),
        _definition(["eq", "@visitor_country_code"]),
        _definition(["not"]),
        _definition(["and", []]),
        _definition(["and"], [["fooBar"], ["addTag"], ["setDepartment", "Sales"]]),
        {"event": 5, "condition": ["and"], "actions": [SEND], "version": 1, "editor": "x"},
        _definition(["regex", "@visitor_page_url", "("]),
        _definition(["eq", "@visitor_name", None]),
    ],
)
def test_what_a_live_trigger_can_hold_is_never_an_error(definition: Any) -> None:
    assert _errors(definition) == []


def test_an_empty_top_level_condition_is_not_even_a_warning() -> None:
    assert check_definition(_definition([])) == ()


def test_version_and_editor_are_known_keys() -> None:
    definition = {**_definition(["and"]), "version": 1, "editor": "developer"}
    assert check_definition(definition) == ()


# Warnings, with a did-you-mean where a known name is close.


def test_an_unknown_variable_suggests_the_close_one() -> None:
    assert _found(_definition(["eq", "@visitor_contry_code", "US"])) == [
        (
            "warning",
            "condition[1]",
            "unknown variable '@visitor_contry_code' (did you mean '@visitor_country_code'?);"
            " kept as written",
        )
    ]


def test_a_variable_without_at_suggests_the_spelling_with_it() -> None:
    (problem,) = check_definition(_definition(["eq", "visitor_country_code", "US"]))
    assert "(did you mean '@visitor_country_code'?)" in problem.message


def test_an_unknown_action_suggests_the_close_one() -> None:
    (problem,) = check_definition(_definition(["and"], [["sendMesageToVisitor", "Sales", "Hi"]]))
    assert (problem.where, problem.message) == (
        "actions[0]",
        "unknown action 'sendMesageToVisitor' (did you mean 'sendMessageToVisitor'?);"
        " kept as written",
    )


def test_an_unknown_event_suggests_the_close_one() -> None:
    (problem,) = check_definition(_definition(["and"], event="chat_requsted"))
    assert "(did you mean 'chat_requested'?)" in problem.message


def test_an_unknown_operator_suggests_one_that_differs_in_case() -> None:
    (problem,) = check_definition(_definition(["EQ", "@visitor_country_code", "US"]))
    assert (problem.where, "(did you mean 'eq'?)" in problem.message) == ("condition", True)


def test_an_unknown_name_with_nothing_close_gets_no_suggestion() -> None:
    (problem,) = check_definition(_definition(["and"], [["launchRocket"]]))
    assert problem.message == "unknown action 'launchRocket'; kept as written"


def test_a_misspelt_key_suggests_actions() -> None:
    definition = {"event": "page_enter", "condition": ["and"], "action": [SEND]}
    assert (
        "warning",
        "action",
        "unknown key 'action' in a definition (did you mean 'actions'?)",
    ) in (_found(definition))


def test_missing_actions_warn_that_nothing_happens() -> None:
    assert _found({"event": "page_enter", "condition": ["and"]}) == [
        ("warning", "actions", "no actions: the trigger does nothing when it fires")
    ]


def test_a_missing_condition_warns_that_it_always_runs() -> None:
    assert _warnings_at({"event": "chat_requested", "actions": [SEND]}) == ["condition"]


def test_a_missing_event_warns() -> None:
    assert _warnings_at({"condition": ["and"], "actions": [SEND]}) == ["event"]


def test_an_empty_nested_condition_warns() -> None:
    assert _warnings_at(_definition(["and", []])) == ["condition[1]"]


@pytest.mark.parametrize(
    ("condition", "where"),
    [
        (["not", ["firedBefore"], ["firedBefore"]], "condition"),
        (["not"], "condition"),
        (["eq", "@visitor_country_code"], "condition"),
        (["firedBefore", "Other trigger"], "condition"),
        (["stillOnPage"], "condition"),
    ],
)
def test_the_wrong_number_of_operands_warns(condition: Any, where: str) -> None:
    assert _warnings_at(_definition(condition)) == [where]


def test_the_arity_warning_says_what_the_operator_takes() -> None:
    (problem,) = check_definition(_definition(["eq", "@visitor_country_code"]))
    assert problem.message == "'eq' takes a variable and any value, got 1 operand"


def test_an_action_with_the_wrong_number_of_operands_warns() -> None:
    (problem,) = check_definition(_definition(["and"], [["sendMessageToVisitor", "Sales"]]))
    assert (problem.where, problem.message) == (
        "actions[0]",
        "'sendMessageToVisitor' takes text, text, optionally text, got 1 operand",
    )


def test_quick_replies_are_a_fourth_operand_that_fits() -> None:
    assert check_definition(_definition(["and"], [[*SEND, "Yes/No"]])) == ()


@pytest.mark.parametrize(
    ("condition", "where"),
    [
        (["gt", "@visitor_previous_visits", "many"], "condition[2]"),
        (["hasTag", 5], "condition[1]"),
        (["stillOnPage", "soon"], "condition[1]"),
        (["stillOnSite", -5], "condition[1]"),
        (["icontains", "@visitor_page_url", 5], "condition[2]"),
        (["gt", "@visitor_country_code", 3], "condition[2]"),
        (["eq", "@visitor_served", "maybe"], "condition[2]"),
        (["eq", "@visitor_previous_visits", "many"], "condition[2]"),
        (["eq", "@visitor_country_code", True], "condition[2]"),
        (["icontains", "@visitor_tags", "vip"], "condition[2]"),
        (["contains", "@visitor_served", "t"], "condition[2]"),
        (["eq", 5, "US"], "condition[1]"),
        (["eq", "@visitor_country_code", ["US"]], "condition[2]"),
        (["lt", "@visitor_previous_visits", None], "condition[2]"),
    ],
)
def test_an_odd_operand_warns_at_the_operand(condition: Any, where: str) -> None:
    assert _warnings_at(_definition(condition)) == [where]


@pytest.mark.parametrize(
    "condition",
    [
        ["gt", "@visitor_previous_visits", "3"],
        ["eq", "@visitor_served", "true"],
        ["eq", "@visitor_served", False],
        ["eq", "@visitor_previous_visits", 0],
        ["stillOnPage", "30"],
    ],
)
def test_values_the_evaluator_reads_do_not_warn(condition: Any) -> None:
    assert check_definition(_definition(condition)) == ()


def test_an_action_operand_of_the_wrong_kind_warns_at_the_operand() -> None:
    (problem,) = check_definition(_definition(["and"], [["setTriggered", "yes"]]))
    assert (problem.where, problem.message) == (
        "actions[0][1]",
        "'setTriggered' takes true or false here, got \"yes\"",
    )


def test_an_invalid_regular_expression_warns() -> None:
    (problem,) = check_definition(_definition(["regex", "@visitor_page_url", "/pricing(["]))
    assert (
        problem.where,
        problem.message.startswith("the regular expression does not compile"),
    ) == (
        "condition[2]",
        True,
    )


def test_an_invalid_pattern_for_iregex_warns_too() -> None:
    assert _warnings_at(_definition(["iregex", "@visitor_page_url", "*"])) == ["condition[2]"]


def test_a_valid_regular_expression_does_not_warn() -> None:
    assert (
        check_definition(_definition(["regex", "@visitor_page_url", r"https://[^/]+/pricing/?"]))
        == ()
    )


# Contradictions under one `and`.


def test_two_different_values_for_one_variable_under_and_contradict() -> None:
    condition = [
        "and",
        ["eq", "@visitor_country_code", "US"],
        ["eq", "@visitor_country_code", "DE"],
    ]
    assert _found(_definition(condition)) == [
        (
            "warning",
            "condition[2]",
            "can never hold together with country code is \"US\" (both under one 'and')",
        )
    ]


def test_eq_and_neq_of_the_same_value_contradict() -> None:
    condition = [
        "and",
        ["neq", "@visitor_country_code", "US"],
        ["eq", "@visitor_country_code", "US"],
    ]
    assert _warnings_at(_definition(condition)) == ["condition[2]"]


def test_an_empty_range_contradicts() -> None:
    condition = ["and", ["gt", "@visitor_time_on_site", 60], ["lt", "@visitor_time_on_site", 30]]
    assert _warnings_at(_definition(condition)) == ["condition[2]"]


def test_a_range_closed_on_both_ends_at_one_value_holds() -> None:
    condition = ["and", ["gte", "@visitor_time_on_site", 30], ["lte", "@visitor_time_on_site", 30]]
    assert check_definition(_definition(condition)) == ()


def test_an_open_end_at_the_same_value_contradicts() -> None:
    condition = ["and", ["gte", "@visitor_time_on_site", 30], ["lt", "@visitor_time_on_site", 30]]
    assert _warnings_at(_definition(condition)) == ["condition[2]"]


def test_an_eq_outside_a_range_contradicts() -> None:
    condition = [
        "and",
        ["eq", "@visitor_previous_visits", 2],
        ["gt", "@visitor_previous_visits", 5],
    ]
    assert _warnings_at(_definition(condition)) == ["condition[2]"]


def test_the_same_value_twice_does_not_contradict() -> None:
    condition = [
        "and",
        ["eq", "@visitor_country_code", "US"],
        ["eq", "@visitor_country_code", "US"],
    ]
    assert check_definition(_definition(condition)) == ()


def test_different_values_under_or_do_not_contradict() -> None:
    condition = ["or", ["eq", "@visitor_country_code", "US"], ["eq", "@visitor_country_code", "DE"]]
    assert check_definition(_definition(condition)) == ()


def test_different_variables_do_not_contradict() -> None:
    condition = ["and", ["eq", "@visitor_country_code", "US"], ["eq", "@visitor_city", "Berlin"]]
    assert check_definition(_definition(condition)) == ()


def test_a_contradiction_is_reported_in_document_order() -> None:
    condition = [
        "and",
        ["eq", "@visitor_country_code", "US"],
        ["eq", "@visitor_country_code", "DE"],
        ["eq", "@visitor_contry_code", "FR"],
    ]
    assert _warnings_at(_definition(condition)) == ["condition[2]", "condition[3][1]"]


# The problem itself.


def test_a_problem_reads_its_path_then_its_message() -> None:
    (problem,) = check_definition(_definition(["and"], [["addTag"]]))
    assert str(problem) == "TS106 wrong-arity: actions[0]: 'addTag' takes text, got 0 operands"


def test_a_problem_about_the_whole_definition_reads_just_its_message() -> None:
    (problem,) = check_definition("nope")
    assert str(problem) == 'a definition is an object with event, condition and actions, got "nope"'


def test_two_lower_bounds_do_not_contradict() -> None:
    condition = ["and", ["gt", "@visitor_time_on_site", 60], ["gte", "@visitor_time_on_site", 90]]
    assert check_definition(_definition(condition)) == ()


def test_a_bound_that_is_not_a_number_does_not_contradict() -> None:
    condition = ["and", ["gt", "@visitor_time_on_site", "many"], ["lt", "@visitor_time_on_site", 3]]
    assert _warnings_at(_definition(condition)) == ["condition[1][2]"]


def test_a_long_value_is_cut_short_in_a_message() -> None:
    (problem,) = check_definition(_definition("x" * 100))
    assert problem.message.endswith('got "' + "x" * 57 + '..."')
