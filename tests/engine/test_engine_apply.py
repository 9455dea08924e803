"""apply: the delete guard's arithmetic, and stopping between changes (against the emulator)."""

from __future__ import annotations

import threading

import pytest

from triggersync.api.client import Client
from triggersync.emulator.server import Emulator
from triggersync.engine.apply import ApplyOutcome, apply_plan, check_safety
from triggersync.engine.diff import make_plan
from triggersync.engine.model import Trigger
from triggersync.engine.plan import Change, Plan, temporary_name
from triggersync.errors import UnsafePlanError

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


# -- stopping between changes ----------------------------------------------------------------


def creates(count: int) -> Plan:
    return make_plan([Trigger(f"T{i:02}") for i in range(count)], [])


def test_a_stop_before_the_start_applies_nothing(
    emulator: Emulator, emulator_client: Client
) -> None:
    stop = threading.Event()
    stop.set()
    result = apply_plan(creates(5), emulator_client, stop=stop)
    assert [outcome.status for outcome in result.outcomes] == ["not_applied"] * 5
    assert emulator.stats()["total"] == 0


def test_a_stop_starts_no_new_change(emulator: Emulator, emulator_client: Client) -> None:
    stop = threading.Event()

    def stop_after_the_first(outcome: ApplyOutcome) -> None:
        stop.set()

    result = apply_plan(
        creates(6), emulator_client, parallelism=1, on_outcome=stop_after_the_first, stop=stop
    )
    assert (result.count("ok"), result.count("not_applied")) == (1, 5)
    assert len(emulator.store.list()) == 1


def test_a_stop_also_stops_the_waves_still_to_come(
    emulator: Emulator, emulator_client: Client
) -> None:
    emulator.store.create({"name": "X"})
    view = Trigger("X").body()
    # Wave one deletes "X"; wave two, which creates a new "X", must not start.
    plan = Plan((Change("delete", "X", view, None), Change("create", "X", None, view)))
    stop = threading.Event()
    result = apply_plan(plan, emulator_client, on_outcome=lambda outcome: stop.set(), stop=stop)
    assert [(o.change.action, o.status) for o in result.outcomes] == [
        ("delete", "ok"),
        ("create", "not_applied"),
    ]
    assert emulator.store.list() == []
