"""Local evaluation: each rule on its own, three-valued logic, and the reasons a verdict gives."""

from __future__ import annotations

from typing import Any

import pytest

from triggersync.language import EvaluationOutcome, Rulebook, fires

EVENT = "page_enter"


def _outcome(condition: Any, visitor: dict[str, Any], fired_before: Any = ()) -> EvaluationOutcome:
    definition = {"event": EVENT, "condition": condition, "actions": []}
    return fires("Greeting", definition, EVENT, visitor, fired_before).outcome


FIRES, NOT, UNKNOWN = (
    EvaluationOutcome.FIRES,
    EvaluationOutcome.DOES_NOT_FIRE,
    EvaluationOutcome.UNKNOWN,
)


# eq / neq


@pytest.mark.parametrize(
    ("expected", "actual", "outcome"),
    [
        ("US", "US", FIRES),
        ("US", "us", NOT),
        ("US", "US ", NOT),
        (3, 3, FIRES),
        (3, 3.0, FIRES),
        (3, "3", FIRES),  # a number given as a string counts as the number
        ("3", 3, FIRES),
        (3, "3.0", FIRES),
        (3, "three", NOT),
        ("007", "7", NOT),  # two strings compare as exact strings
        (True, True, FIRES),
        (True, False, NOT),
        (True, "true", FIRES),
        (True, 1, NOT),  # a boolean is not a number
        (False, 0, NOT),
    ],
)
def test_eq_compares_numbers_as_numbers_and_the_rest_exactly(
    expected: Any, actual: Any, outcome: EvaluationOutcome
) -> None:
    assert _outcome(["eq", "@visitor_x", expected], {"visitor_x": actual}) is outcome


def test_neq_holds_for_another_value() -> None:
    assert _outcome(["neq", "@visitor_country_code", "US"], {"visitor_country_code": "DE"}) is FIRES


def test_neq_does_not_hold_for_the_same_value() -> None:
    assert _outcome(["neq", "@visitor_country_code", "US"], {"visitor_country_code": "US"}) is NOT


def test_neq_of_an_unset_variable_is_unknown() -> None:
    assert _outcome(["neq", "@visitor_country_code", "US"], {}) is UNKNOWN


def test_eq_with_a_list_as_the_visitor_value_is_unknown() -> None:
    assert _outcome(["eq", "@visitor_tags", "vip"], {"visitor_tags": ["vip"]}) is UNKNOWN


def test_eq_with_null_in_the_definition_is_unknown() -> None:
    assert _outcome(["eq", "@visitor_name", None], {"visitor_name": "Ada"}) is UNKNOWN


# lt gt lte gte


@pytest.mark.parametrize(
    ("operator", "actual", "outcome"),
    [
        ("lt", 2, FIRES),
        ("lt", 3, NOT),
        ("lte", 3, FIRES),
        ("lte", 4, NOT),
        ("gt", 4, FIRES),
        ("gt", 3, NOT),
        ("gte", 3, FIRES),
        ("gte", 2.5, NOT),
        ("gt", "10", FIRES),  # numbers given as strings compare as numbers
        ("gt", "abc", UNKNOWN),
        ("gt", True, UNKNOWN),
        ("gt", ["4"], UNKNOWN),
    ],
)
def test_order_comparisons_compare_numbers(
    operator: str, actual: Any, outcome: EvaluationOutcome
) -> None:
    condition = [operator, "@visitor_previous_visits", 3]
    assert _outcome(condition, {"visitor_previous_visits": actual}) is outcome


def test_an_order_comparison_with_a_number_written_as_a_string_reads_it() -> None:
    condition = ["gt", "@visitor_previous_visits", "3"]
    assert _outcome(condition, {"visitor_previous_visits": 4}) is FIRES


def test_an_order_comparison_with_text_in_the_definition_is_unknown() -> None:
    condition = ["gt", "@visitor_previous_visits", "many"]
    assert _outcome(condition, {"visitor_previous_visits": 4}) is UNKNOWN


def test_large_integers_compare_exactly() -> None:
    condition = ["gt", "@visitor_x", 2**64]
    assert _outcome(condition, {"visitor_x": str(2**64 + 1)}) is FIRES


# contains and friends


@pytest.mark.parametrize(
    ("operator", "actual", "outcome"),
    [
        ("contains", "https://example.com/Pricing", FIRES),
        ("contains", "https://example.com/pricing", NOT),
        ("ncontains", "https://example.com/pricing", FIRES),
        ("ncontains", "https://example.com/Pricing", NOT),
        ("icontains", "https://example.com/PRICING", FIRES),
        ("icontains", "https://example.com/plans", NOT),
        ("nicontains", "https://example.com/PRICING", NOT),
        ("nicontains", "https://example.com/plans", FIRES),
    ],
)
def test_substring_tests_respect_case_only_without_i(
    operator: str, actual: str, outcome: EvaluationOutcome
) -> None:
    condition = [operator, "@visitor_page_url", "Pricing"]
    assert _outcome(condition, {"visitor_page_url": actual}) is outcome


def test_a_substring_test_reads_a_number_as_its_digits() -> None:
    condition = ["contains", "@visitor_page_title", "202"]
    assert _outcome(condition, {"visitor_page_title": 2024}) is FIRES


def test_a_substring_test_of_a_list_is_unknown() -> None:
    condition = ["icontains", "@visitor_tags", "vip"]
    assert _outcome(condition, {"visitor_tags": ["vip"]}) is UNKNOWN


def test_ncontains_of_an_unset_variable_is_unknown() -> None:
    assert _outcome(["ncontains", "@visitor_page_url", "x"], {}) is UNKNOWN


# regex / iregex


def test_regex_must_match_the_whole_value() -> None:
    condition = ["regex", "@visitor_page_url", "/pricing"]
    assert _outcome(condition, {"visitor_page_url": "https://example.com/pricing"}) is NOT


def test_regex_matching_the_whole_value_holds() -> None:
    condition = ["regex", "@visitor_page_url", r"https://[^/]+/pricing/?"]
    assert _outcome(condition, {"visitor_page_url": "https://example.com/pricing/"}) is FIRES


def test_regex_respects_case() -> None:
    condition = ["regex", "@visitor_country_code", "us"]
    assert _outcome(condition, {"visitor_country_code": "US"}) is NOT


def test_iregex_ignores_case() -> None:
    condition = ["iregex", "@visitor_country_code", "us|de"]
    assert _outcome(condition, {"visitor_country_code": "DE"}) is FIRES


def test_a_regex_that_does_not_compile_is_unknown() -> None:
    condition = ["regex", "@visitor_page_url", "/pricing(["]
    assert _outcome(condition, {"visitor_page_url": "/pricing(["}) is UNKNOWN


def test_a_regex_that_is_not_text_is_unknown() -> None:
    assert _outcome(["regex", "@visitor_page_url", 5], {"visitor_page_url": "5"}) is UNKNOWN


# hasTag, firedBefore, delays


def test_has_tag_holds_when_the_tag_is_there() -> None:
    assert _outcome(["hasTag", "vip"], {"visitor_tags": ["returning", "vip"]}) is FIRES


def test_has_tag_does_not_hold_without_the_tag() -> None:
    assert _outcome(["hasTag", "vip"], {"visitor_tags": ["returning"]}) is NOT


def test_has_tag_compares_tags_exactly() -> None:
    assert _outcome(["hasTag", "vip"], {"visitor_tags": ["VIP"]}) is NOT


def test_has_tag_reads_a_single_string_as_one_tag() -> None:
    assert _outcome(["hasTag", "vip"], {"visitor_tags": "vip"}) is FIRES


def test_has_tag_without_tags_set_is_unknown() -> None:
    assert _outcome(["hasTag", "vip"], {}) is UNKNOWN


def test_fired_before_holds_when_the_trigger_itself_fired() -> None:
    assert _outcome(["firedBefore"], {}, ["Greeting"]) is FIRES


def test_fired_before_does_not_hold_when_only_another_trigger_fired() -> None:
    assert _outcome(["firedBefore"], {}, ["Other"]) is NOT


def test_not_fired_before_holds_for_a_new_visitor() -> None:
    assert _outcome(["not", ["firedBefore"]], {}) is FIRES


@pytest.mark.parametrize(
    ("time_on_page", "outcome"),
    [(None, FIRES), (10, NOT), (30, FIRES), (45, FIRES), ("45", FIRES), ("soon", UNKNOWN)],
)
def test_still_on_page_holds_when_the_visitor_stays_long_enough(
    time_on_page: Any, outcome: EvaluationOutcome
) -> None:
    visitor = {} if time_on_page is None else {"visitor_time_on_page": time_on_page}
    assert _outcome(["stillOnPage", 30], visitor) is outcome


def test_still_on_site_reads_the_time_on_site() -> None:
    visitor = {"visitor_time_on_page": 100, "visitor_time_on_site": 5}
    assert _outcome(["stillOnSite", 30], visitor) is NOT


def test_a_delay_that_is_not_a_number_is_unknown_once_the_time_is_known() -> None:
    assert _outcome(["stillOnSite", "later"], {"visitor_time_on_site": 5}) is UNKNOWN


# and / or / not, three-valued


@pytest.mark.parametrize("condition", [["and"], ["or"], [], None])
def test_no_conditions_hold(condition: Any) -> None:
    assert _outcome(condition, {}) is FIRES


def test_and_needs_all() -> None:
    condition = ["and", ["eq", "@a", 1], ["eq", "@b", 2]]
    assert _outcome(condition, {"a": 1, "b": 3}) is NOT


def test_or_needs_one() -> None:
    condition = ["or", ["eq", "@a", 1], ["eq", "@b", 2]]
    assert _outcome(condition, {"a": 0, "b": 2}) is FIRES


def test_or_of_nothing_true_does_not_hold() -> None:
    condition = ["or", ["eq", "@a", 1], ["eq", "@b", 2]]
    assert _outcome(condition, {"a": 0, "b": 0}) is NOT


def test_true_or_unknown_holds() -> None:
    assert _outcome(["or", ["eq", "@unset", 1], ["eq", "@a", 1]], {"a": 1}) is FIRES


def test_false_or_unknown_is_unknown() -> None:
    assert _outcome(["or", ["eq", "@unset", 1], ["eq", "@a", 1]], {"a": 0}) is UNKNOWN


def test_false_and_unknown_does_not_hold() -> None:
    assert _outcome(["and", ["eq", "@unset", 1], ["eq", "@a", 1]], {"a": 0}) is NOT


def test_true_and_unknown_is_unknown() -> None:
    assert _outcome(["and", ["eq", "@unset", 1], ["eq", "@a", 1]], {"a": 1}) is UNKNOWN


def test_not_of_an_unset_variable_is_unknown() -> None:
    assert _outcome(["not", ["eq", "@visitor_country_code", "US"]], {}) is UNKNOWN


def test_not_of_a_false_condition_holds() -> None:
    condition = ["not", ["eq", "@visitor_country_code", "US"]]
    assert _outcome(condition, {"visitor_country_code": "DE"}) is FIRES


def test_a_null_visitor_value_counts_as_unset() -> None:
    assert _outcome(["eq", "@visitor_city", "Oslo"], {"visitor_city": None}) is UNKNOWN


@pytest.mark.parametrize(
    "condition",
    [
        ["fooBar", 1],
        ["eq", "@visitor_country_code"],
        ["eq", "visitor_country_code", "US"],
        ["not"],
        ["firedBefore", "x"],
        ["and", []],
        ["and", "eq"],
        [5, 1],
        "eq",
    ],
)
def test_what_the_tool_cannot_evaluate_is_unknown(condition: Any) -> None:
    assert _outcome(condition, {"visitor_country_code": "US"}) is UNKNOWN


# What the verdict says.


def _verdict(condition: Any, visitor: dict[str, Any]) -> Any:
    definition = {"event": EVENT, "condition": condition, "actions": []}
    return fires("Greeting", definition, EVENT, visitor)


def test_a_verdict_names_the_first_condition_that_stopped_it() -> None:
    condition = [
        "and",
        ["eq", "@visitor_country_code", "US"],
        ["icontains", "@visitor_page_url", "pricing"],
        ["icontains", "@visitor_page_url", "plans"],
    ]
    visitor = {"visitor_country_code": "US", "visitor_page_url": "/about"}
    stopped = _verdict(condition, visitor).stopped_by
    assert (stopped.where, stopped.words, stopped.why) == (
        "condition[2]",
        'page URL contains "pricing"',
        'visitor_page_url is "/about"',
    )


def test_a_false_condition_after_an_unknown_one_is_what_stopped_it() -> None:
    condition = ["and", ["eq", "@unset", 1], ["eq", "@a", 1]]
    assert _verdict(condition, {"a": 2}).stopped_by.where == "condition[2]"


def test_a_nested_and_names_its_own_false_condition() -> None:
    condition = ["and", ["eq", "@a", 1], ["and", ["eq", "@b", 1], ["eq", "@c", 1]]]
    assert _verdict(condition, {"a": 1, "b": 1, "c": 2}).stopped_by.where == "condition[2][2]"


def test_an_or_that_stopped_it_is_named_as_a_whole() -> None:
    condition = ["or", ["eq", "@a", 1], ["eq", "@b", 1]]
    stopped = _verdict(condition, {"a": 0, "b": 0}).stopped_by
    assert (stopped.where, stopped.why) == ("condition", "none of these holds")


def test_a_verdict_says_what_was_unknown() -> None:
    condition = ["and", ["eq", "@visitor_country_code", "US"], ["fooBar", 1]]
    unknown = _verdict(condition, {}).unknown
    assert [(reason.where, reason.why) for reason in unknown] == [
        ("condition[1]", "visitor_country_code is not set"),
        ("condition[2]", "the tool cannot evaluate fooBar"),
    ]


def test_an_unknown_pattern_says_it_does_not_compile() -> None:
    condition = ["regex", "@visitor_page_url", "(["]
    (reason,) = _verdict(condition, {"visitor_page_url": "x"}).unknown
    assert reason.why.startswith('visitor_page_url is "x"; the pattern does not compile: ')


def test_an_unknown_order_comparison_says_it_compares_numbers() -> None:
    condition = ["gt", "@visitor_previous_visits", 3]
    (reason,) = _verdict(condition, {"visitor_previous_visits": "many"}).unknown
    assert reason.why == 'visitor_previous_visits is "many"; gt compares numbers only'


def test_a_verdict_that_fired_has_no_reason() -> None:
    verdict = _verdict(["eq", "@a", 1], {"a": 1})
    assert (verdict.fired, verdict.stopped_by, verdict.unknown) == (True, None, ())


def test_a_verdict_reads_as_one_line() -> None:
    verdict = _verdict(["eq", "@visitor_country_code", "US"], {"visitor_country_code": "DE"})
    assert str(verdict) == (
        'Greeting: does not fire: condition: country code is "US" (visitor_country_code is "DE")'
    )


def test_a_trigger_of_another_event_does_not_fire_and_says_so() -> None:
    definition = {"event": "chat_requested", "condition": ["and"], "actions": []}
    verdict = fires("Greeting", definition, EVENT, {})
    assert (verdict.outcome, str(verdict.stopped_by)) == (
        NOT,
        'event: When a visitor requests a chat (the visitor\'s event is "page_enter")',
    )


def test_a_value_that_is_not_a_definition_does_not_fire() -> None:
    assert fires("Greeting", ["and"], EVENT, {}).outcome is NOT  # it has no event to match


# Many triggers at once.


def test_a_rulebook_decides_only_the_triggers_of_the_event_in_order() -> None:
    book = Rulebook(
        [
            ("B", {"event": EVENT, "condition": ["eq", "@a", 1], "actions": []}),
            ("Chat", {"event": "chat_message", "condition": ["and"], "actions": []}),
            ("A", {"event": EVENT, "condition": ["eq", "@a", 2], "actions": []}),
            ("Broken", ["not a definition"]),
        ]
    )
    verdicts = book.run(EVENT, {"a": 1}, ["Chat"])
    assert [(verdict.trigger, verdict.fired) for verdict in verdicts] == [("B", True), ("A", False)]


def test_a_rulebook_reads_fired_before_for_each_trigger() -> None:
    book = Rulebook(
        [
            ("Once", {"event": EVENT, "condition": ["not", ["firedBefore"]], "actions": []}),
            ("Again", {"event": EVENT, "condition": ["firedBefore"], "actions": []}),
        ]
    )
    verdicts = book.run(EVENT, {}, ["Once", "Again"])
    assert [verdict.fired for verdict in verdicts] == [False, True]


def test_a_rulebook_lists_the_triggers_of_an_event() -> None:
    book = Rulebook([("A", {"event": EVENT}), ("B", {"event": "chat_message"})])
    assert [trigger.name for trigger in book.triggers(EVENT)] == ["A"]


def test_false_or_unknown_names_only_the_unknown_condition() -> None:
    condition = ["or", ["eq", "@a", 1], ["eq", "@unset", 1]]
    assert [reason.where for reason in _verdict(condition, {"a": 0}).unknown] == ["condition[2]"]


def test_a_short_stay_says_how_long_the_visitor_stayed() -> None:
    stopped = _verdict(["stillOnPage", 30], {"visitor_time_on_page": 10}).stopped_by
    assert stopped.why == "visitor_time_on_page is 10"


def test_has_tag_without_tags_says_they_are_not_set() -> None:
    (reason,) = _verdict(["hasTag", "vip"], {}).unknown
    assert reason.why == "visitor_tags is not set"


def test_tags_that_are_not_a_list_cannot_be_compared() -> None:
    (reason,) = _verdict(["hasTag", "vip"], {"visitor_tags": 5}).unknown
    assert reason.why == "visitor_tags is 5; the tool cannot compare it"


def test_a_delay_that_is_not_a_number_says_so() -> None:
    (reason,) = _verdict(["stillOnSite", "later"], {"visitor_time_on_site": 5}).unknown
    assert reason.why == "visitor_time_on_site is 5; stillOnSite takes a number of seconds"


def test_fired_before_says_it_is_in_fired_before() -> None:
    definition = {"event": EVENT, "condition": ["not", ["firedBefore"]], "actions": []}
    stopped = fires("Greeting", definition, EVENT, {}, ["Greeting"]).stopped_by
    assert (stopped.where, stopped.why) == ("condition", "the condition inside holds")


def test_fired_before_that_did_not_fire_says_so() -> None:
    definition = {"event": EVENT, "condition": ["firedBefore"], "actions": []}
    stopped = fires("Greeting", definition, EVENT, {}, []).stopped_by
    assert stopped.why == '"Greeting" is not in fired_before'


def test_an_eq_of_a_list_says_it_compares_plain_values() -> None:
    (reason,) = _verdict(["eq", "@visitor_x", "a"], {"visitor_x": ["a"]}).unknown
    assert reason.why == 'visitor_x is ["a"]; eq compares plain values only'


def test_a_substring_test_of_a_list_says_what_it_compares() -> None:
    (reason,) = _verdict(["icontains", "@visitor_x", "a"], {"visitor_x": ["a"]}).unknown
    assert reason.why == 'visitor_x is ["a"]; icontains compares text, numbers and true/false only'


def test_a_comparison_with_null_says_the_tool_does_not_compare_it() -> None:
    (reason,) = _verdict(["eq", "@visitor_x", None], {"visitor_x": "a"}).unknown
    assert reason.why == "the tool does not compare with null"


def test_a_fired_verdict_reads_fires() -> None:
    assert str(_verdict(["and"], {})) == "Greeting: fires"


def test_an_unknown_verdict_lists_what_was_unknown() -> None:
    verdict = _verdict(["and", ["eq", "@a", 1], ["fooBar"]], {})
    assert str(verdict) == (
        "Greeting: unknown: condition[1]: @a is 1 (a is not set); "
        "condition[2]: [fooBar] (the tool cannot evaluate fooBar)"
    )


def test_two_numbers_written_as_strings_compare_as_exact_strings() -> None:
    assert _outcome(["eq", "@visitor_x", "3"], {"visitor_x": "3.0"}) is NOT
