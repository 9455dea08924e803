"""apply: the delete guard's arithmetic."""

from __future__ import annotations

import pytest

from triggersync.apply import check_safety
from triggersync.diff import make_plan
from triggersync.errors import UnsafePlanError
from triggersync.model import Trigger
from triggersync.plan import temporary_name

OLD = {"event": "page_enter"}
NEW = {"event": "chat_requested"}
TEN = [f"T{i}" for i in range(10)]


# -- the delete guard ------------------------------------------------------------------------


def test_the_guard_ignores_the_delete_half_of_replacements() -> None:
    live = [Trigger(name, definition=OLD) for name in TEN]
    plan = make_plan([Trigger(name, definition=NEW) for name in TEN], live)
    assert plan.summary["delete"] == 10
    check_safety(plan, force=False)


def test_the_guard_ignores_leftovers_of_unfinished_replacements() -> None:
    live = [Trigger(name, definition=OLD) for name in TEN]
    live += [Trigger(temporary_name(name), enabled=0, definition=NEW) for name in TEN]
    plan = make_plan([Trigger(name, definition=NEW) for name in TEN], live)
    assert plan.leftover_deletes() == {temporary_name(name) for name in TEN}
    check_safety(plan, force=False)


def test_the_guard_base_leaves_out_ignored_triggers_and_leftovers() -> None:
    live = [Trigger("A"), Trigger("Legacy B"), Trigger(temporary_name("A"))]
    plan = make_plan([Trigger("A")], live, ignore=["Legacy *"])
    assert plan.owned_live == 1


def test_a_temporary_name_whose_trigger_goes_too_is_an_ordinary_delete() -> None:
    # "A" is pruned, so its namesake is not a leftover of anything the plan keeps.
    live = [Trigger(name) for name in TEN] + [Trigger("A"), Trigger(temporary_name("A"))]
    plan = make_plan([Trigger(name) for name in TEN[:8]], live)
    assert plan.leftover_deletes() == frozenset()
    with pytest.raises(UnsafePlanError, match="refusing to delete 4 of 12"):
        check_safety(plan, force=False)


def test_the_guard_counts_pure_deletes_against_the_owned_triggers() -> None:
    plan = make_plan([Trigger(name) for name in TEN[:6]], [Trigger(name) for name in TEN])
    with pytest.raises(UnsafePlanError, match="refusing to delete 4 of 10"):
        check_safety(plan, force=False)
