"""The one table of the language: every entry complete, and the did-you-mean it offers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from triggersync.language import EVENTS, OPERATORS, TRIGGER_ACTIONS, VARIABLES, did_you_mean
from triggersync.language.vocabulary import Evidence, Kind, Shape

# The variables the language is documented (or expected) to have.
LANGUAGE_VARIABLES = {
    *("@hour_of_day", "@day_of_week", "@message", "@sender_type"),
    *("@account_status", "@department_status"),
    *("@visitor_page_url", "@visitor_page_title", "@visitor_country_code"),
    *("@visitor_country_name", "@visitor_city", "@visitor_region", "@visitor_time_on_site"),
    *("@visitor_time_on_page", "@visitor_previous_visits", "@visitor_previous_chats"),
    *("@visitor_served", "@visitor_requesting_chat", "@visitor_triggered", "@visitor_tags"),
    *("@visitor_name", "@visitor_email", "@visitor_referrer", "@visitor_user_agent"),
    *("@visitor_browser", "@visitor_platform", "@visitor_ip", "@visitor_hostname"),
    *("@visitor_department",),
}


def test_the_three_documented_events_are_known() -> None:
    assert sorted(EVENTS) == ["chat_message", "chat_requested", "page_enter"]


def test_every_operator_the_language_names_is_known() -> None:
    names = "and or not eq neq lt gt lte gte contains ncontains icontains nicontains regex iregex"
    assert set(names.split()) | {"stillOnSite", "stillOnPage", "hasTag", "firedBefore"} == set(
        OPERATORS
    )


def test_every_variable_the_language_names_is_known() -> None:
    assert set(VARIABLES) >= LANGUAGE_VARIABLES


@pytest.mark.parametrize(
    "name", ["sendMessageToVisitor", "addTag", "removeTag", "setDepartment", "setTriggered", "wait"]
)
def test_every_action_the_language_names_is_known(name: str) -> None:
    assert name in TRIGGER_ACTIONS


@pytest.mark.parametrize("operator", sorted(OPERATORS))
def test_every_operator_knows_how_to_evaluate_itself(operator: str) -> None:
    entry = OPERATORS[operator]
    needs_test = entry.shape in (Shape.COMPARE, Shape.DELAY, Shape.TAG)
    assert (entry.make_test is not None) == needs_test


@pytest.mark.parametrize("operator", sorted(OPERATORS))
def test_every_operator_reads_in_words_with_its_operands(operator: str) -> None:
    entry = OPERATORS[operator]
    shown = entry.words.format(*(f"<{index}>" for index in range(len(entry.operands))))
    assert "{" not in shown


@pytest.mark.parametrize("action", sorted(TRIGGER_ACTIONS))
def test_every_action_reads_in_words_with_its_operands(action: str) -> None:
    entry = TRIGGER_ACTIONS[action]
    operands = [f"<{index}>" for index in range(entry.max_arity)]
    shown = [
        entry.words.format(*operands),
        *(words.format(*operands) for _, words in entry.optional),
    ]
    assert all(text and "{" not in text for text in shown)


def test_every_entry_says_where_it_comes_from() -> None:
    entries = [
        *EVENTS.values(),
        *OPERATORS.values(),
        *VARIABLES.values(),
        *TRIGGER_ACTIONS.values(),
    ]
    assert all(isinstance(entry.evidence, Evidence) and entry.source for entry in entries)


def test_a_variable_is_set_by_its_name_without_at() -> None:
    assert VARIABLES["@visitor_country_code"].key == "visitor_country_code"


@pytest.mark.parametrize(
    ("kind", "value", "accepted"),
    [
        (Kind.NUMBER, 3, True),
        (Kind.NUMBER, "3.5", True),
        (Kind.NUMBER, True, False),
        (Kind.TEXT, "x", True),
        (Kind.TEXT, 3, False),
        (Kind.BOOLEAN, False, True),
        (Kind.BOOLEAN, 0, False),
        (Kind.TAGS, ["a", "b"], True),
        (Kind.TAGS, ["a", 1], False),
        (Kind.VARIABLE, "@x", True),
        (Kind.VARIABLE, "x", False),
        (Kind.CONDITION, [], True),
        (Kind.ANY, None, False),
        (Kind.ANY, "x", True),
    ],
)
def test_a_kind_accepts_its_values(kind: Kind, value: object, accepted: bool) -> None:
    assert kind.accepts(value) is accepted


@pytest.mark.parametrize(
    ("word", "choices", "suggestion"),
    [
        ("@visitor_contry_code", VARIABLES, "@visitor_country_code"),
        ("visitor_country_code", VARIABLES, "@visitor_country_code"),
        ("sendMesageToVisitor", TRIGGER_ACTIONS, "sendMessageToVisitor"),
        ("STILLONPAGE", OPERATORS, "stillOnPage"),
        ("page_entr", EVENTS, "page_enter"),
        ("launchRocket", TRIGGER_ACTIONS, None),
    ],
)
def test_did_you_mean_finds_the_close_name(
    word: str, choices: dict[str, object], suggestion: str | None
) -> None:
    assert did_you_mean(word, choices) == suggestion


def test_and_takes_any_number_of_conditions() -> None:
    assert OPERATORS["and"].arity_text() == "any number of conditions"


def test_docs_list_every_entry_of_the_vocabulary() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "language.md").read_text("utf-8")
    listed = set(re.findall(r"^\| `([^`]+)` \|", doc, re.M))
    assert listed == {*EVENTS, *OPERATORS, *VARIABLES, *TRIGGER_ACTIONS}


@pytest.mark.parametrize("name", sorted({*EVENTS, *OPERATORS, *VARIABLES, *TRIGGER_ACTIONS}))
def test_docs_give_each_entry_its_evidence(name: str) -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "language.md").read_text("utf-8")
    entry = {**EVENTS, **OPERATORS, **VARIABLES, **TRIGGER_ACTIONS}[name]
    (row,) = re.findall(rf"^\| `{re.escape(name)}` \|.*$", doc, re.M)
    assert f"| {entry.evidence.value} |" in row
