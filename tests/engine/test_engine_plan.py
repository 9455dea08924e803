"""Plan and Change: display order, execution waves, PUT bodies, summary, fingerprints."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from plan_builders import create, delete, rename, replace, view

from triggersync.engine.model import Trigger
from triggersync.engine.plan import Change, Plan, fingerprint, temporary_name
from triggersync.errors import TriggersyncError


def names(waves: tuple[tuple[Change, ...], ...]) -> list[list[str]]:
    return [[change.name for change in wave] for wave in waves]


# --- display order and summary --------------------------------------------------------------


def test_changes_display_by_action_then_name() -> None:
    plan = Plan((delete("b"), create("B"), replace("R"), rename("a", "x"), create("a")))
    assert [(c.action, c.name) for c in plan.changes] == [
        ("update", "a"),
        ("create", "a"),
        ("create", "B"),
        ("replace", "R"),
        ("delete", "b"),
    ]


def test_summary_counts_a_replace_as_create_and_delete() -> None:
    plan = Plan((replace("R"), rename("a", "x"), create("c"), delete("d")))
    assert plan.summary == {"create": 2, "update": 1, "delete": 2}


def test_empty_plan() -> None:
    assert Plan(()).empty
    assert not Plan((create("c"),)).empty


# --- execution waves ------------------------------------------------------------------------


def test_independent_changes_share_one_wave() -> None:
    plan = Plan((create("c"), delete("d"), rename("a", "b"), replace("r")))
    assert names(plan.waves) == [["a", "c", "r", "d"]]


def test_create_waits_for_the_delete_of_its_name() -> None:
    assert names(Plan((create("X"), delete("X"))).waves) == [["X"], ["X"]]
    assert [c.action for wave in Plan((create("X"), delete("X"))).waves for c in wave] == [
        "delete",
        "create",
    ]


def test_rename_onto_a_name_being_deleted_waits_for_the_delete() -> None:
    assert names(Plan((rename("A", "B"), delete("B"))).waves) == [["B"], ["A"]]


def test_rename_chain_runs_from_the_end() -> None:
    plan = Plan((rename("A", "B"), rename("B", "C"), rename("C", "D")))
    assert names(plan.waves) == [["C"], ["B"], ["A"]]


def test_create_waits_for_a_rename_away_from_its_name() -> None:
    assert names(Plan((create("A"), rename("A", "B"))).waves) == [["A"], ["A"]]
    assert Plan((create("A"), rename("A", "B"))).waves[0][0].action == "update"


def test_renaming_replace_frees_its_old_name() -> None:
    assert names(Plan((replace("A", "B"), create("A"))).waves) == [["A"], ["A"]]


def test_same_name_replace_frees_nothing_and_takes_its_temporary_name() -> None:
    change = replace("R")
    assert (change.frees(), change.takes()) == ((), ("R [triggersync: replacing]",))


def test_renaming_replace_waits_for_both_names_it_takes() -> None:
    plan = Plan((replace("A", "B"), delete("B"), delete(temporary_name("B")), create("C")))
    assert names(plan.waves) == [["C", "B", "B [triggersync: replacing]"], ["A"]]


def test_a_replace_waits_for_its_temporary_name_to_be_freed() -> None:
    assert names(Plan((replace("R"), delete(temporary_name("R")))).waves) == [
        ["R [triggersync: replacing]"],
        ["R"],
    ]


def test_a_long_chain_of_renames_orders_without_recursion() -> None:
    chain = [rename(f"N{i:05}", f"N{i + 1:05}") for i in range(5000)]
    waves = Plan(tuple(chain)).waves
    assert (len(waves), waves[0][0].name, waves[-1][0].name) == (5000, "N04999", "N00000")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ((rename("A", "B"), rename("B", "A")), r'cycle \("A" -> "B" -> "A"\)'),
        (
            (rename("A", "B"), rename("B", "C"), rename("C", "A")),
            r'cycle \("A" -> "B" -> "C" -> "A"\)',
        ),
        ((replace("A", "B"), rename("B", "A")), r'cycle \("B" -> "A" -> "B"\)'),
        ((create("X"), rename("A", "X")), 'two changes take "X"'),
        ((delete("X"), rename("X", "Y")), 'two changes free "X"'),
    ],
    ids=["swap", "rotation", "through-a-replace", "taken-twice", "freed-twice"],
)
def test_changes_that_cannot_be_ordered(changes: tuple[Change, ...], message: str) -> None:
    with pytest.raises(TriggersyncError, match=message):
        Plan(changes)


# --- bodies ---------------------------------------------------------------------------------


def test_update_body_has_only_changed_fields() -> None:
    change = Change("update", "A", view("A", "old", 1), view("A", "new", 1))
    assert change.update_body() == {"description": "new"}


def test_update_body_sends_enabled_as_an_integer() -> None:
    change = Change("update", "A", view("A", enabled=1), view("A", enabled=False))
    body = change.update_body()
    assert body == {"enabled": 0}
    assert type(body["enabled"]) is int


def test_update_body_never_sends_id() -> None:
    change = Change("update", "A", view("A", id=1), view("B", id=2))
    assert change.update_body() == {"name": "B"}


def test_a_replacement_is_created_disabled_under_its_temporary_name() -> None:
    assert replace("R").replacement_body() == {
        "name": "R [triggersync: replacing]",
        "description": "",
        "enabled": 0,
        "definition": {"event": "b"},
    }


def test_a_replacement_is_finished_with_its_name_and_enabled() -> None:
    assert replace("R", "S").finishing_body() == {"name": "S", "enabled": 1}


def test_a_disabled_replacement_is_finished_with_its_name_only() -> None:
    change = replace("R")
    disabled = Change("replace", "R", change.before, {**(change.after or {}), "enabled": 0})
    assert disabled.finishing_body() == {"name": "R"}


@pytest.mark.parametrize(
    ("change", "body"),
    [
        (create("A"), Change.replacement_body),
        (create("A"), Change.finishing_body),
        (create("A"), Change.update_body),
        (delete("A"), Change.create_body),
    ],
    ids=lambda item: item.__name__ if callable(item) else item.action,
)
def test_a_body_of_another_action_is_a_bug(
    change: Change, body: Callable[[Change], dict[str, Any]]
) -> None:
    with pytest.raises(ValueError, match=f"{body.__name__}\\(\\) of a {change.action} change"):
        body(change)


# --- fingerprints ---------------------------------------------------------------------------


def test_fingerprint_covers_the_definition() -> None:
    assert fingerprint(Trigger("A", definition={"e": 1})) != fingerprint(Trigger("A"))


def test_fingerprint_ignores_unmanaged_fields_and_key_order() -> None:
    one = Trigger("A", definition={"a": 1, "b": 2}, renamed_from="X")
    assert fingerprint(one) == fingerprint(Trigger("A", definition={"b": 2, "a": 1}))


@pytest.mark.parametrize(
    ("one", "other", "alike"),
    [(True, 1, False), ([1.0], [1], True)],
    ids=["true-is-not-1", "1.0-is-1"],
)
def test_fingerprint_reads_numbers_as_json_does(one: Any, other: Any, alike: bool) -> None:
    first = fingerprint(Trigger("A", definition={"x": one}))
    assert (first == fingerprint(Trigger("A", definition={"x": other}))) is alike


def test_fingerprint_of_a_lone_surrogate_is_a_digest_not_a_crash() -> None:
    # JSON can carry one ("\ud800"), so a live trigger can hold it.
    assert len(fingerprint(Trigger("A\ud800"))) == 64
