"""The delete guard: which plans apply refuses without --force, and the words that say why,
read alike by apply and by every rendering of the plan."""

from __future__ import annotations

import re

import pytest

from triggersync.engine.apply import check_safety
from triggersync.engine.diff import make_plan
from triggersync.engine.guard import Refusal, delete_guard
from triggersync.engine.model import Trigger
from triggersync.engine.plan import Plan, temporary_name
from triggersync.errors import UnsafePlanError
from triggersync.views.words import guard_notice

OLD = {"event": "page_enter"}
NEW = {"event": "chat_requested"}


def keeping(kept: int, owned: int) -> Refusal | None:
    """The guard's verdict on a plan that keeps `kept` of `owned` live triggers."""
    live = [Trigger(f"T{i:03}") for i in range(owned)]
    return delete_guard(make_plan(live[:kept], live))


@pytest.mark.parametrize(
    ("kept", "owned", "refusal"),
    [
        (7, 10, None),  # 30% exactly is allowed
        (6, 10, Refusal("more_than_30_percent", 4, 10)),
        (10, 60, Refusal("more_than_30_percent", 50, 60)),
        (42, 60, None),
        (1, 9, None),  # fewer than 10 owned: only deleting all of them is refused
        (0, 9, Refusal("all", 9, 9)),
        (0, 1, Refusal("all", 1, 1)),
        (0, 40, Refusal("all", 40, 40)),
    ],
    ids=["30%", "4-of-10", "50-of-60", "18-of-60", "8-of-9", "9-of-9", "1-of-1", "40-of-40"],
)
def test_the_guard_refuses_all_or_more_than_30_percent_of_ten_or_more(
    kept: int, owned: int, refusal: Refusal | None
) -> None:
    assert keeping(kept, owned) == refusal


def test_the_guard_lets_an_empty_account_be() -> None:
    assert delete_guard(make_plan([Trigger("A")], [])) is None


def test_the_guard_does_not_count_replacements() -> None:
    live = [Trigger(f"T{i}", definition=OLD) for i in range(10)]
    plan = make_plan([Trigger(f"T{i}", definition=NEW) for i in range(10)], live)
    assert plan.summary["delete"] == 10
    assert delete_guard(plan) is None


def test_the_guard_does_not_count_leftovers_of_unfinished_replacements() -> None:
    names = [f"T{i}" for i in range(3)]
    live = [Trigger(name, definition=NEW) for name in names]
    live += [Trigger(temporary_name(name), enabled=0, definition=NEW) for name in names]
    plan = make_plan([Trigger(name, definition=NEW) for name in names], live)
    assert plan.summary["delete"] == 3
    assert delete_guard(plan) is None


def test_the_guard_leaves_ignored_triggers_out_of_its_base() -> None:
    # 2 of 22 live would pass; 2 of the 2 owned is everything the configuration owns.
    live = [Trigger("A"), Trigger("B")] + [Trigger(f"Legacy {i}") for i in range(20)]
    refusal = delete_guard(make_plan([], live, ignore=["Legacy *"]))
    assert refusal == Refusal("all", 2, 2)


@pytest.mark.parametrize(
    ("refusal", "notice"),
    [
        (
            Refusal("more_than_30_percent", 50, 60),
            "apply will refuse this plan without --force: "
            "it deletes 50 of 60 owned live triggers (more than 30%)",
        ),
        (
            Refusal("all", 3, 3),
            "apply will refuse this plan without --force: "
            "it deletes every owned live trigger (3 of 3)",
        ),
    ],
    ids=["ratio", "all"],
)
def test_the_notice_names_the_rule_and_force(refusal: Refusal, notice: str) -> None:
    assert refusal.notice == notice


@pytest.mark.parametrize(("kept", "owned"), [(6, 10), (0, 3)], ids=["ratio", "all"])
def test_apply_refuses_in_the_words_the_plan_announced(kept: int, owned: int) -> None:
    live = [Trigger(f"T{i:03}") for i in range(owned)]
    plan = make_plan(live[:kept], live)
    refusal = delete_guard(plan)
    assert refusal is not None
    with pytest.raises(
        UnsafePlanError, match="^" + re.escape(f"refusing to delete {refusal.extent};")
    ):
        check_safety(plan, force=False)


def test_force_overrides_the_guard() -> None:
    live = [Trigger(f"T{i}") for i in range(3)]
    check_safety(make_plan([], live), force=True)


def _thirteen_deletes_and_a_replacement() -> Plan:
    """The trial's plan: 21 owned, 13 plain deletes and 1 replacement (14 to delete)."""
    live = [Trigger(f"T{i:02}", definition=OLD) for i in range(21)]
    desired = [Trigger("T00", definition=NEW), *live[1:8]]
    return make_plan(desired, live)


def test_the_guards_line_says_why_the_summary_counts_more() -> None:
    plan = _thirteen_deletes_and_a_replacement()
    assert plan.summary["delete"] == 14
    notice = guard_notice(plan)
    assert notice is not None
    assert "it deletes 13 of 21 owned live triggers (more than 30%)" in notice
    assert notice.endswith(
        "; the summary's 14 to delete also counts 1 replacement, which loses no trigger."
    )


def test_apply_refuses_saying_why_the_summary_counts_more() -> None:
    with pytest.raises(UnsafePlanError, match="also counts 1 replacement, which loses no"):
        check_safety(_thirteen_deletes_and_a_replacement(), force=False)


def test_the_guards_line_says_nothing_more_when_the_counts_agree() -> None:
    live = [Trigger(f"T{i:02}") for i in range(10)]
    notice = guard_notice(make_plan(live[:6], live))
    assert notice == (
        "apply will refuse this plan without --force: it deletes 4 of 10 owned live triggers "
        "(more than 30%)."
    )
