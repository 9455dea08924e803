"""Rules across triggers: the same condition twice (TS204), two messages for one visitor
(TS205, decided by the evaluator), and the project's name and description patterns."""

from __future__ import annotations

from typing import Any

from triggersync.language.across import (
    MAX_MESSAGE_GROUP,
    Subject,
    check_all,
    duplicate_conditions,
    overlapping_messages,
)
from triggersync.language.rules import RuleSettings

SEND = ["sendMessageToVisitor", "Support", "Hi!"]


def _subject(
    name: str,
    condition: Any,
    *,
    event: str = "chat_requested",
    actions: Any = None,
    enabled: bool = True,
    description: str = "",
) -> Subject:
    definition = {"event": event, "condition": condition, "actions": actions or [SEND]}
    return Subject(name, description, enabled, definition)


def _overlaps(*subjects: Subject) -> list[tuple[int, str]]:
    return [(index, problem.message) for index, problem in overlapping_messages(subjects)]


US = ["eq", "@visitor_country_code", "US"]
DE = ["eq", "@visitor_country_code", "DE"]


def test_two_messages_for_one_visitor_are_reported_on_the_later_with_the_visitor() -> None:
    ((index, message),) = _overlaps(
        _subject("Pricing", ["icontains", "@visitor_page_url", "/pricing"]),
        _subject("VIP", ["hasTag", "vip"]),
    )
    assert index == 1
    assert message.startswith('sends a message to the same visitor as "Pricing": both fire for')
    assert 'visitor_page_url "/pricing"' in message
    assert 'visitor_tags ["vip"]' in message


def test_conditions_that_cannot_both_hold_are_not_reported() -> None:
    assert _overlaps(_subject("US", US), _subject("DE", DE)) == []


def test_a_range_that_overlaps_is_found() -> None:
    first = _subject("Long", ["gt", "@visitor_time_on_site", 60])
    second = _subject("Short", ["lt", "@visitor_time_on_site", 120])
    assert [index for index, _ in _overlaps(first, second)] == [1]


def test_ranges_that_do_not_overlap_are_not_reported() -> None:
    first = _subject("Long", ["gt", "@visitor_time_on_site", 120])
    second = _subject("Short", ["lt", "@visitor_time_on_site", 60])
    assert _overlaps(first, second) == []


def test_a_trigger_excluding_the_other_is_not_reported() -> None:
    vip = _subject("VIP", ["hasTag", "vip"])
    others = _subject("Others", ["not", ["hasTag", "vip"]])
    assert _overlaps(vip, others) == []


def test_triggers_of_different_events_are_not_reported() -> None:
    first = _subject("Page", ["and", ["not", ["firedBefore"]]], event="page_enter")
    second = _subject("Chat", ["and"])
    assert _overlaps(first, second) == []


def test_a_disabled_trigger_is_not_reported() -> None:
    assert _overlaps(_subject("A", US), _subject("B", ["and"], enabled=False)) == []


def test_a_trigger_that_sends_no_message_is_not_reported() -> None:
    tagger = _subject("Tag", ["and"], actions=[["addTag", "x"]])
    assert _overlaps(_subject("A", US), tagger) == []


def test_a_condition_the_tool_cannot_decide_is_not_reported() -> None:
    unknown = _subject("Unknown", ["frobnicate", "@visitor_country_code", "US"])
    assert _overlaps(_subject("A", ["and"]), unknown) == []


def test_one_warning_per_trigger_counts_the_others() -> None:
    city = ["eq", "@visitor_city", "Paris"]
    found = _overlaps(_subject("A", ["and"]), _subject("B", US), _subject("C", city))
    assert [index for index, _ in found] == [1, 2]
    assert '"A" (and 1 more trigger)' in found[1][1]


def test_a_group_too_large_is_not_checked_pair_by_pair() -> None:
    many = [_subject(f"T{i}", ["eq", "@visitor_city", f"c{i}"]) for i in range(MAX_MESSAGE_GROUP)]
    many.append(_subject("Everyone", ["and"]))
    assert _overlaps(*many) == []


def test_the_same_condition_twice_is_reported_once_on_the_later() -> None:
    found = list(duplicate_conditions([_subject("A", US), _subject("B", US)]))
    ((index, problem),) = found
    assert index == 1
    assert problem.rule is not None
    assert problem.rule.id == "TS204"
    assert problem.message.startswith('the same event and condition as "A"')


def test_the_same_condition_of_a_disabled_trigger_is_not_reported() -> None:
    found = list(duplicate_conditions([_subject("A", US), _subject("B", US, enabled=False)]))
    assert found == []


def test_the_same_condition_is_not_also_two_messages() -> None:
    found = check_all([_subject("A", US), _subject("B", US)], RuleSettings())
    assert [problem.rule.id for _, problem in found if problem.rule] == ["TS204"]


def test_patterns_are_off_unless_the_project_sets_them() -> None:
    assert check_all([_subject("lower case", ["and"], event="chat_message")], RuleSettings()) == []


def test_an_empty_description_breaks_a_pattern_that_wants_one() -> None:
    settings = RuleSettings(description_pattern=".+")
    ((_, problem),) = check_all([_subject("A", ["and"])], settings)
    assert problem.path == ()
    assert problem.message.startswith("the description (empty) does not match")
