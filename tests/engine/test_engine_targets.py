"""`--target` globs narrow a plan (engine/targets.py): both sides, pruning, renames, counts."""

from __future__ import annotations

from typing import Any

from triggersync.engine.diff import make_plan
from triggersync.engine.model import Trigger, normalise
from triggersync.engine.plan import temporary_name
from triggersync.engine.targets import narrow, unmatched


def trigger(name: str, **raw: Any) -> Trigger:
    return normalise({"name": name, "description": "", "enabled": 1, **raw})


def actions(plan_changes: Any) -> list[tuple[str, str]]:
    return [(change.action, change.name) for change in plan_changes]


def test_without_targets_the_plan_is_whole_and_unmarked() -> None:
    plan = make_plan([trigger("A")], [trigger("B")])
    assert actions(plan.changes) == [("create", "A"), ("delete", "B")]
    assert plan.targeting is None


def test_a_target_keeps_only_matching_changes() -> None:
    desired = [trigger("Sales hello"), trigger("Support hello")]
    plan = make_plan(desired, [], targets=["Sales*"])
    assert actions(plan.changes) == [("create", "Sales hello")]


def test_pruning_stays_among_the_targets() -> None:
    live = [trigger("Sales old"), trigger("Support old")]
    plan = make_plan([], live, targets=["Sales*"])
    assert actions(plan.changes) == [("delete", "Sales old")]


def test_a_target_on_the_new_name_takes_the_rename_whole() -> None:
    desired = [trigger("New", renamed_from="Old")]
    plan = make_plan(desired, [trigger("Old")], targets=["New"])
    assert [(c.action, c.name, c.new_name) for c in plan.changes] == [("update", "Old", "New")]


def test_a_target_on_the_old_name_takes_the_rename_whole() -> None:
    desired = [trigger("New", renamed_from="Old")]
    plan = make_plan(desired, [trigger("Old")], targets=["Old"])
    assert [(c.action, c.name, c.new_name) for c in plan.changes] == [("update", "Old", "New")]


def test_the_leftover_of_a_targeted_replacement_is_in_scope() -> None:
    desired = [trigger("A")]
    live = [trigger("A"), trigger(temporary_name("A"))]
    plan = make_plan(desired, live, targets=["A"])
    assert actions(plan.changes) == [("delete", temporary_name("A"))]


def test_the_count_is_of_declared_and_owned_live_names() -> None:
    desired = [trigger("Sales a"), trigger("Both")]
    live = [trigger("Both"), trigger("Sales b"), trigger("Legacy x")]
    plan = make_plan(desired, live, ignore=["Legacy*"], targets=["Sales*"])
    assert plan.targeting is not None
    assert (plan.targeting.selected, plan.targeting.total) == (2, 3)
    assert plan.targeting.line == "Targeted: 2 of 3 triggers."


def test_an_ignored_live_trigger_stays_invisible_under_a_target() -> None:
    plan = make_plan([], [trigger("Legacy x")], ignore=["Legacy*"], targets=["*"])
    assert plan.changes == ()


def test_a_targeted_plan_keeps_every_live_name_for_the_stale_check() -> None:
    plan = make_plan([], [trigger("A"), trigger("B")], targets=["A"])
    assert plan.live_names == ("A", "B")


def test_narrow_without_globs_returns_both_sides() -> None:
    scoped = narrow([trigger("A")], [trigger("B")], (), owned=["B"])
    assert ([t.name for t in scoped.desired], [t.name for t in scoped.live]) == (["A"], ["B"])
    assert scoped.targeting is None


def test_unmatched_names_each_glob_that_matches_nothing() -> None:
    assert unmatched(["Sales*", "Salse*"], ["Sales a", "Support"]) == ["Salse*"]


def test_a_target_that_spells_a_name_with_brackets_names_that_trigger() -> None:
    # As a glob alone, `[EU]` is one letter: the exact name would match nothing.
    desired = [trigger("Sales [EU]"), trigger("Sales [US]")]
    plan = make_plan(desired, [], targets=["Sales [EU]"])
    assert actions(plan.changes) == [("create", "Sales [EU]")]
    assert unmatched(["Sales [EU]"], ["Sales [EU]"]) == []


def test_a_target_is_still_a_glob_besides_its_exact_name() -> None:
    desired = [trigger("Sales [EU]"), trigger("Sales E")]
    plan = make_plan(desired, [], targets=["Sales [EU]"])
    assert sorted(actions(plan.changes)) == [("create", "Sales E"), ("create", "Sales [EU]")]
