"""Definitions in plain words: the fixed phrases, exact literals, and the shapes around them."""

from __future__ import annotations

from typing import Any

import pytest

from triggersync.language import (
    action_words,
    condition_words,
    event_words,
    explain_lines,
    explain_sentence,
    literal,
)


def _definition(condition: Any = None, actions: Any = None, event: str = "page_enter") -> Any:
    return {"event": event, "condition": condition, "actions": actions}


# The fixed phrases.


@pytest.mark.parametrize(
    ("event", "words"),
    [
        ("page_enter", "When a visitor enters a page"),
        ("chat_requested", "When a visitor requests a chat"),
        ("chat_message", "When a visitor sends a message"),
    ],
)
def test_each_event_reads_as_its_fixed_phrase(event: str, words: str) -> None:
    assert event_words(event) == words


def test_icontains_on_the_page_url_reads_contains() -> None:
    condition = ["icontains", "@visitor_page_url", "/plans"]
    assert condition_words(condition) == 'page URL contains "/plans"'


def test_eq_on_the_country_code_reads_is() -> None:
    assert condition_words(["eq", "@visitor_country_code", "US"]) == 'country code is "US"'


def test_neq_reads_is_not() -> None:
    assert condition_words(["neq", "@visitor_country_code", "X"]) == 'country code is not "X"'


def test_gt_reads_is_greater_than_with_the_number_unquoted() -> None:
    condition = ["gt", "@visitor_previous_visits", 3]
    assert condition_words(condition) == "previous visits is greater than 3"


def test_still_on_page_reads_as_a_wait() -> None:
    assert condition_words(["stillOnPage", 30]) == "after 30 seconds, still on the page"


def test_send_message_reads_send_as() -> None:
    assert action_words(["sendMessageToVisitor", "Sales", "Hi!"]) == 'send "Hi!" as "Sales"'


def test_add_tag_reads_add_tag() -> None:
    assert action_words(["addTag", "vip"]) == 'add tag "vip"'


def test_an_unknown_operator_is_shown_as_written() -> None:
    assert condition_words(["fooBar", 1]) == "[fooBar, 1]"


def test_an_unknown_action_is_shown_as_written() -> None:
    assert action_words(["fooBar", 1]) == "[fooBar, 1]"


def test_the_whole_sentence_reads_event_condition_steps_and_actions() -> None:
    definition = _definition(
        [
            "and",
            ["eq", "@visitor_country_code", "US"],
            ["icontains", "@visitor_page_url", "pricing"],
            ["stillOnPage", 10],
        ],
        [["sendMessageToVisitor", "Agent", "Hello"]],
        event="chat_requested",
    )
    assert explain_sentence(definition) == (
        'When a visitor requests a chat — if country code is "US" and page URL contains '
        '"pricing": after 10 seconds, still on the page; send "Hello" as "Agent".'
    )


# Literals keep their exact value, on one line.


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("US", '"US"'),
        (3, "3"),
        (1.5, "1.5"),
        (True, "true"),
        (None, "null"),
        ("30", '"30"'),
    ],
)
def test_a_literal_keeps_its_exact_value(value: Any, shown: str) -> None:
    assert literal(value) == shown


def test_quotes_and_newlines_inside_a_string_are_escaped() -> None:
    assert literal('say "hi"\nnow') == '"say \\"hi\\"\\nnow"'


def test_invisible_characters_are_escaped_so_nothing_hides() -> None:
    assert literal("a\u202eb\u200bc\x1b") == '"a\\u202eb\\u200bc\\u001b"'


def test_an_int_longer_than_str_allows_keeps_every_digit() -> None:
    number = 10**5000 + 7
    shown = literal(number)
    assert (len(shown), shown[0], shown[-1]) == (5001, "1", "7")


def test_a_message_with_a_newline_stays_one_line() -> None:
    words = action_words(["sendMessageToVisitor", "Sales", "Hi!\nHow can we help?"])
    assert words == 'send "Hi!\\nHow can we help?" as "Sales"'


# Nesting, no conditions, no actions, unknown parts.


def test_an_or_inside_an_and_is_parenthesised() -> None:
    condition = [
        "and",
        ["eq", "@visitor_country_code", "US"],
        ["or", ["icontains", "@visitor_page_url", "a"], ["icontains", "@visitor_page_url", "b"]],
    ]
    assert condition_words(condition) == (
        'country code is "US" and (page URL contains "a" or page URL contains "b")'
    )


def test_a_group_of_one_reads_as_its_condition() -> None:
    assert condition_words(["and", ["or", ["hasTag", "vip"]]]) == 'has tag "vip"'


def test_not_wraps_what_it_negates() -> None:
    condition = ["not", ["eq", "@visitor_country_code", "US"]]
    assert condition_words(condition) == 'not (country code is "US")'


def test_not_fired_before_reads_as_once_per_visitor() -> None:
    assert condition_words(["not", ["firedBefore"]]) == (
        "this trigger has not fired for the visitor yet"
    )


def test_not_has_tag_reads_does_not_have_tag() -> None:
    assert condition_words(["not", ["hasTag", "vip"]]) == 'does not have tag "vip"'


@pytest.mark.parametrize("condition", [["and"], ["or"], [], None])
def test_no_conditions_read_always(condition: Any) -> None:
    assert explain_sentence(_definition(condition, [["addTag", "vip"]])) == (
        'When a visitor enters a page — always: add tag "vip".'
    )


def test_an_empty_group_inside_an_and_adds_nothing_to_the_sentence() -> None:
    condition = ["and", ["or"], ["eq", "@visitor_city", "Oslo"]]
    assert explain_sentence(_definition(condition, [])) == (
        'When a visitor enters a page — if city is "Oslo": do nothing.'
    )


@pytest.mark.parametrize("actions", [[], None])
def test_no_actions_read_do_nothing(actions: Any) -> None:
    assert explain_sentence(_definition(["and"], actions)).endswith("— always: do nothing.")


def test_a_definition_without_actions_key_reads_do_nothing() -> None:
    assert explain_sentence({"event": "page_enter", "condition": ["and"]}).endswith("do nothing.")


def test_an_unknown_event_is_shown_as_written() -> None:
    assert explain_sentence(_definition(["and"], [], event="visitor_left")).startswith(
        'On event "visitor_left" — '
    )


def test_a_missing_event_says_so() -> None:
    assert explain_sentence({"condition": ["and"], "actions": []}).startswith("With no event — ")


def test_an_unknown_variable_is_shown_as_written() -> None:
    condition = ["eq", "@visitor_contry_code", "US"]
    assert condition_words(condition) == '@visitor_contry_code is "US"'


def test_a_comparison_with_the_wrong_operands_is_shown_as_written() -> None:
    assert condition_words(["eq", "@visitor_country_code"]) == '[eq, "@visitor_country_code"]'


def test_an_action_with_the_wrong_operands_is_shown_as_written() -> None:
    assert action_words(["addTag"]) == "[addTag]"


def test_an_operator_name_with_spaces_is_quoted_when_shown_as_written() -> None:
    assert condition_words(["foo bar", 1]) == '["foo bar", 1]'


def test_quick_replies_are_shown_with_the_message() -> None:
    action = ["sendMessageToVisitor", "Sales", "Pick one", "Pricing/Support"]
    assert action_words(action) == 'send "Pick one" as "Sales" with quick replies "Pricing/Support"'


def test_a_delay_first_comes_before_the_guard() -> None:
    condition = ["and", ["stillOnSite", 60], ["eq", "@visitor_country_code", "US"]]
    assert explain_sentence(_definition(condition, [["addTag", "vip"]])) == (
        "When a visitor enters a page — after 60 seconds, still on the site; "
        'if country code is "US": add tag "vip".'
    )


def test_a_delay_inside_an_or_is_parenthesised() -> None:
    condition = ["or", ["hasTag", "vip"], ["stillOnSite", 60]]
    assert condition_words(condition) == 'has tag "vip" or (after 60 seconds, still on the site)'


def test_actions_follow_each_other_with_semicolons() -> None:
    actions = [["addTag", "vip"], ["setDepartment", 12]]
    assert explain_sentence(_definition(["and"], actions)).endswith(
        'always: add tag "vip"; set department to 12.'
    )


def test_a_value_that_is_not_a_definition_is_shown_as_written() -> None:
    assert explain_sentence(["eq", 1]) == 'Not a definition: ["eq", 1]'


# The multi-line form, next to the paths.


def test_lines_give_event_conditions_and_actions_with_their_paths() -> None:
    definition = _definition(
        ["and", ["eq", "@visitor_country_code", "US"], ["not", ["firedBefore"]]],
        [["addTag", "vip"]],
    )
    assert [(line.depth, line.text, line.where) for line in explain_lines(definition)] == [
        (0, "When a visitor enters a page", "event"),
        (1, "if all of:", "condition"),
        (2, 'country code is "US"', "condition[1]"),
        (2, "this trigger has not fired for the visitor yet", "condition[2]"),
        (1, "then:", "actions"),
        (2, 'add tag "vip"', "actions[0]"),
    ]


def test_lines_open_a_nested_group_under_not() -> None:
    condition = ["not", ["or", ["hasTag", "a"], ["hasTag", "b"]]]
    lines = explain_lines(_definition(condition, []))
    assert [(line.text, line.where) for line in lines[1:4]] == [
        ("if not:", "condition"),
        ("any of:", "condition[1]"),
        ('has tag "a"', "condition[1][1]"),
    ]


def test_lines_say_always_and_do_nothing_when_there_is_neither() -> None:
    lines = explain_lines(_definition(["or"], None))
    assert [(line.text, line.where) for line in lines[1:]] == [
        ("always", "condition"),
        ("then do nothing", "actions"),
    ]


def test_lines_show_a_single_condition_on_its_own_line() -> None:
    lines = explain_lines(_definition(["stillOnPage", 5], [["wait", 3]]))
    assert [line.text for line in lines] == [
        "When a visitor enters a page",
        "after 5 seconds, still on the page",
        "then:",
        "wait 3 seconds",
    ]


def test_a_comparison_of_something_that_is_not_a_name_is_shown_as_written() -> None:
    assert condition_words(["eq", 5, "US"]) == '[eq, 5, "US"]'


def test_a_lone_delay_is_a_step_before_the_actions() -> None:
    assert explain_sentence(_definition(["stillOnPage", 5], [["addTag", "vip"]])) == (
        'When a visitor enters a page — after 5 seconds, still on the page; add tag "vip".'
    )


def test_an_empty_group_inside_an_or_reads_always() -> None:
    assert condition_words(["or", ["hasTag", "a"], ["and"]]) == 'has tag "a" or always'
