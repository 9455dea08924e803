"""Definitions in words in plans and drift: a created trigger's, a replaced one's before and
after, a changed one's in Zendesk and in code; the language package's phrases, verbatim, one
per line, next to the field paths that stay."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from plan_samples import PRICING_AFTER, PRICING_BEFORE, replacement_plan

from triggersync.engine.diff import make_plan
from triggersync.engine.model import Trigger
from triggersync.engine.plan import Plan
from triggersync.views.markdown import render_drift_markdown, render_markdown
from triggersync.views.text import render_drift_text, render_text

GREETING = {
    "event": "chat_requested",
    "condition": ["and", ["eq", "@visitor_country_code", "US"]],
    "actions": [["sendMessageToVisitor", "Sales", "Hi!"]],
}
GREETING_WORDS = 'When a visitor requests a chat — if country code is "US": send "Hi!" as "Sales".'
BEFORE_WORDS = (
    'When a visitor requests a chat — if country code is "US" and page URL contains "pricing": '
    'after 10 seconds, still on the page; send "Hello" as "Agent".'
)
AFTER_WORDS = (
    'When a visitor requests a chat — if country code is "US" and page URL contains "pricing": '
    'after 30 seconds, still on the page; send "Hello" as "Agent"; [fooBar, 1].'
)


def created(definition: Any) -> Plan:
    return make_plan([Trigger("New", definition=definition)], [])


def replaced(before: Any, after: Any) -> Plan:
    return make_plan([Trigger("R", definition=after)], [Trigger("R", definition=before)])


def fenced_blocks(markdown: str) -> list[str]:
    """The text inside each fenced code block."""
    return re.findall(r"^(`{3,})\w*\n(.*?)\n\1$", markdown, re.M | re.S)


def in_code(markdown: str, lines: str) -> bool:
    """Whether whole lines, verbatim, stand in one of the code blocks."""
    return any(f"\n{lines}\n" in f"\n{body}\n" for _, body in fenced_blocks(markdown))


# --- text -------------------------------------------------------------------------------------


def test_text_shows_a_created_triggers_definition_in_words() -> None:
    assert render_text(created(GREETING)) == (
        '  + create "New"\n'
        f"      will do: {GREETING_WORDS}\n"
        "\n"
        "Plan: 1 to create, 0 to update, 0 to delete.\n"
    )


def test_text_shows_what_a_replacement_did_and_will_do_below_its_paths() -> None:
    text = render_text(replaced(PRICING_BEFORE, PRICING_AFTER))
    assert text.split("\n")[1:5] == [
        "      ~ definition.condition[3][1]: 10 -> 30",
        '      + definition.actions[1]: ["fooBar", 1]',
        f"      did:     {BEFORE_WORDS}",
        f"      will do: {AFTER_WORDS}",
    ]


@pytest.mark.parametrize(
    "plan",
    [
        make_plan([Trigger("A")], []),
        make_plan([Trigger("A", "new")], [Trigger("A", "old", definition=GREETING)]),
        make_plan([], [Trigger("A", definition=GREETING)]),
    ],
    ids=["create-without-definition", "update", "delete"],
)
def test_text_has_no_words_where_no_definition_is_created_or_replaced(plan: Plan) -> None:
    text = render_text(plan)
    assert "will do:" not in text
    assert "did:" not in text


def test_a_replacement_of_a_trigger_with_no_live_definition_says_so() -> None:
    text = render_text(replaced(None, GREETING))
    assert "      did:     no definition\n" in text
    assert f"      will do: {GREETING_WORDS}\n" in text


def test_words_keep_a_literals_exact_value_on_one_line() -> None:
    hostile = {
        "event": "page_enter",
        "condition": ["eq", "@visitor_name", "a\nb\u202e::error::x"],
        "actions": [["addTag", "*not bold*"]],
    }
    text = render_text(created(hostile))
    line = (
        '      will do: When a visitor enters a page — if name is "a\\nb\\u202e::error::x": '
        'add tag "*not bold*".\n'
    )
    assert line in text


# --- markdown ---------------------------------------------------------------------------------


def test_markdown_folds_a_created_triggers_words_into_a_code_block() -> None:
    markdown = render_markdown(created(GREETING))
    assert '<details><summary><code>create "New"</code> in words</summary>\n\n```diff\n' in markdown
    assert in_code(markdown, f"+ will do: {GREETING_WORDS}")


def test_markdown_shows_what_a_replacement_did_on_red_and_will_do_on_green() -> None:
    markdown = render_markdown(replacement_plan())
    assert (
        '<details><summary><code>replace "Pricing greeting"</code> in words</summary>' in markdown
    )
    assert in_code(markdown, f"- did:     {BEFORE_WORDS}")
    assert in_code(markdown, f"+ will do: {AFTER_WORDS}")


def test_markdown_keeps_the_field_paths_of_a_replacement() -> None:
    markdown = render_markdown(replacement_plan())
    assert in_code(markdown, "-    definition.condition[3][1]: 10")
    assert in_code(markdown, "+    definition.condition[3][1]: 30")


def test_markdown_words_are_never_escaped() -> None:
    definition = {"event": "page_enter", "actions": [["addTag", "*a* _b_ <i>c</i> [d](e)"]]}
    markdown = render_markdown(created(definition))
    assert in_code(
        markdown,
        '+ will do: When a visitor enters a page — always: add tag "*a* _b_ <i>c</i> [d](e)".',
    )


def test_markdown_words_fence_outlasts_backticks_in_a_literal() -> None:
    definition = {"event": "page_enter", "actions": [["addTag", "```"]]}
    markdown = render_markdown(created(definition))
    assert "\n````diff\n+ will do: " in markdown
    assert in_code(markdown, '+ will do: When a visitor enters a page — always: add tag "```".')


def test_markdown_escapes_a_name_in_the_folds_html_summary() -> None:
    plan = make_plan([Trigger("</summary><b>x</b> & y", definition=GREETING)], [])
    markdown = render_markdown(plan)
    summary = '<code>create "&lt;/summary&gt;&lt;b&gt;x&lt;/b&gt; &amp; y"</code> in words'
    assert f"<summary>{summary}</summary>" in markdown


def test_markdown_shows_an_at_name_only_in_code_where_github_makes_no_mention() -> None:
    plan = make_plan([Trigger("@acme/security", definition=GREETING)], [])
    markdown = render_markdown(plan)
    assert '<summary><code>create "@acme/security"</code> in words</summary>' in markdown
    outside_code = re.sub(r"```.*?```|<code>.*?</code>|`[^`\n]*`", "", markdown, flags=re.DOTALL)
    assert "@acme" not in outside_code


def test_markdown_folds_each_created_or_replaced_trigger_on_its_own() -> None:
    markdown = render_markdown(replacement_plan())
    assert markdown.count("<details>") == markdown.count("</details>") == 2


# --- drift ------------------------------------------------------------------------------------


def test_drift_text_shows_a_changed_definition_as_zendesk_has_it_and_the_code_says() -> None:
    text = render_drift_text(replaced(PRICING_BEFORE, PRICING_AFTER))
    assert text.split("\n")[3:5] == [
        f"      Zendesk has: {BEFORE_WORDS}",
        f"      code says:   {AFTER_WORDS}",
    ]


def test_drift_markdown_shows_the_code_first_and_zendesk_second_in_a_code_block() -> None:
    markdown = render_drift_markdown(replaced(PRICING_BEFORE, PRICING_AFTER))
    assert '<details><summary><code>"R"</code> in words</summary>' in markdown
    assert in_code(markdown, f"- code says:   {AFTER_WORDS}\n+ Zendesk has: {BEFORE_WORDS}")


@pytest.mark.parametrize("render", [render_drift_text, render_drift_markdown])
def test_drift_words_only_a_changed_definition(render: Callable[[Plan], str]) -> None:
    plan = make_plan([Trigger("New", definition=GREETING)], [Trigger("Gone", definition=GREETING)])
    assert GREETING_WORDS not in render(plan)
