"""The delete guard announced in advance: text and markdown plans name the rule apply will
enforce and that --force overrides, and say nothing when apply would run the plan."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from triggersync.engine.diff import make_plan
from triggersync.engine.model import Trigger
from triggersync.engine.plan import Plan, temporary_name
from triggersync.views.markdown import WARNING, render_markdown, truncate_markdown
from triggersync.views.text import render_text

SIXTY = [Trigger(f"T{i:02}") for i in range(60)]
RATIO = (
    "apply will refuse this plan without --force: "
    "it deletes 50 of 60 owned live triggers (more than 30%)."
)
ALL = "apply will refuse this plan without --force: it deletes every owned live trigger (3 of 3)."


def deleting(kept: int, owned: int) -> Plan:
    return make_plan(SIXTY[:kept], SIXTY[:owned])


def test_text_announces_the_refusal_just_above_the_summary_line() -> None:
    lines = render_text(deleting(10, 60)).split("\n")
    assert lines[-4:] == [
        f"Warning: {RATIO}",
        "",
        "Plan: 0 to create, 0 to update, 50 to delete.",
        "",
    ]


def test_text_announces_deleting_every_owned_trigger() -> None:
    assert f"\nWarning: {ALL}\n" in render_text(deleting(0, 3))


def test_markdown_announces_the_refusal_below_the_summary_and_warning() -> None:
    lines = render_markdown(deleting(10, 60)).split("\n")
    assert lines[:6] == [
        "**Plan: 0 to create, 0 to update, 50 to delete.**",
        "",
        WARNING,
        "",
        f"> **Warning:** {RATIO}",
        "",
    ]


def test_markdown_announces_deleting_every_owned_trigger() -> None:
    assert f"\n> **Warning:** {ALL}\n" in render_markdown(deleting(0, 3))


def replacing_all() -> Plan:
    live = [Trigger(f"T{i}", definition={"event": "a"}) for i in range(10)]
    return make_plan([Trigger(f"T{i}", definition={"event": "b"}) for i in range(10)], live)


def removing_leftovers() -> Plan:
    names = [f"T{i}" for i in range(3)]
    live = [Trigger(name) for name in names] + [Trigger(temporary_name(name)) for name in names]
    return make_plan([Trigger(name) for name in names], live)


@pytest.mark.parametrize("render", [render_text, render_markdown], ids=["text", "markdown"])
@pytest.mark.parametrize(
    "plan",
    [deleting(7, 10), deleting(1, 9), replacing_all(), removing_leftovers()],
    ids=["30-percent", "8-of-9", "replacements", "leftovers"],
)
def test_no_announcement_when_apply_would_run_the_plan(
    render: Callable[[Plan], str], plan: Plan
) -> None:
    assert plan.summary["delete"] > 0
    assert "--force" not in render(plan)


def test_truncating_a_plan_keeps_the_announcement() -> None:
    many = [Trigger(f"T{i:04} {'with a long name ' * 5}") for i in range(1000)]
    markdown = render_markdown(make_plan([], many))
    cut = truncate_markdown(markdown, 5000)
    assert len(markdown) > 50_000
    assert len(cut) <= 5000
    assert (
        "\n> **Warning:** apply will refuse this plan without --force: "
        "it deletes every owned live trigger (1000 of 1000).\n"
    ) in cut
