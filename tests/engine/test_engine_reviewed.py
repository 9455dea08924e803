"""A saved plan against a fresh one: the fresh plan runs only when they agree, change for
change (engine/reviewed.py)."""

from __future__ import annotations

import pytest
from plan_builders import create, delete, replace, view

from triggersync.engine.plan import Change, FieldChange, Plan
from triggersync.engine.reviewed import (
    MAX_NAMED,
    Mismatch,
    PlanMismatchError,
    check_reviewed,
    mismatches,
)
from triggersync.errors import PlanFileError, StalePlanError

URL = "http://127.0.0.1:1/api/v2/chat"


def plan(*changes: Change, url: str | None = URL) -> Plan:
    return Plan(changes, base_url=url)


def update(name: str, old: str, new: str) -> Change:
    return Change(
        "update", name, view(name, old), view(name, new), (FieldChange("description", old, new),)
    )


def test_equal_plans_give_the_fresh_one() -> None:
    saved = plan(create("A"), delete("B"))
    fresh = plan(create("A"), delete("B"))
    assert check_reviewed(saved, fresh, URL) is fresh


def test_a_change_only_in_the_saved_plan_is_named() -> None:
    assert mismatches(plan(create("A"), create("B")), plan(create("A"))) == (
        Mismatch("B", "only_saved", "create"),
    )


def test_a_change_only_in_the_fresh_plan_is_named() -> None:
    assert mismatches(plan(), plan(delete("B"))) == (Mismatch("B", "only_fresh", "delete"),)


def test_another_action_for_the_same_trigger_differs() -> None:
    (found,) = mismatches(plan(update("A", "x", "y")), plan(replace("A")))
    assert (found.how, found.detail) == ("different", "update in the saved plan, replace now")


def test_a_live_side_edited_since_review_is_said_to_have_changed_in_zendesk() -> None:
    (found,) = mismatches(plan(update("A", "x", "y")), plan(update("A", "hand edit", "y")))
    assert found == Mismatch("A", "different", "changed in Zendesk since: description")


def test_a_desired_side_that_moved_is_the_configurations() -> None:
    (found,) = mismatches(plan(update("A", "x", "y")), plan(update("A", "x", "z")))
    assert found.detail == "the configuration now says otherwise: description"


def test_enabled_true_is_not_enabled_1() -> None:
    # One equality, the diff's: a boolean never equals a number, though Python says True == 1.
    saved = Change("create", "A", None, view("A", enabled=True))  # type: ignore[arg-type]
    assert mismatches(plan(saved), plan(create("A"))) == (
        Mismatch("A", "different", "the configuration now says otherwise: enabled"),
    )


def test_the_field_diff_is_not_compared() -> None:
    # Only what the change does counts, not how a file describes it.
    edited = Change("update", "A", view("A", "x"), view("A", "y"), ())
    assert mismatches(plan(edited), plan(update("A", "x", "y"))) == ()


def test_the_error_names_each_trigger_on_one_line() -> None:
    with pytest.raises(PlanMismatchError) as raised:
        check_reviewed(plan(create("A")), plan(delete("B")), URL)
    message = str(raised.value)
    assert "\n" not in message
    assert '"A" only in the saved plan (create); "B" only in the fresh plan (delete)' in message
    assert "nothing was applied" in message
    assert isinstance(raised.value, StalePlanError)


def test_a_long_list_is_cut_with_a_count() -> None:
    fresh = plan(*(create(f"T{i:02}") for i in range(MAX_NAMED + 3)))
    with pytest.raises(PlanMismatchError) as raised:
        check_reviewed(plan(), fresh, URL)
    assert len(raised.value.mismatches) == MAX_NAMED + 3
    assert "; and 3 more;" in str(raised.value)
    assert f'"T{MAX_NAMED:02}"' not in str(raised.value)


def test_a_plan_for_another_account_is_refused_even_when_the_changes_agree() -> None:
    with pytest.raises(PlanFileError, match="made against http://elsewhere"):
        check_reviewed(plan(url="http://elsewhere"), plan(), URL)


def test_a_plan_that_names_no_account_is_refused() -> None:
    with pytest.raises(PlanFileError, match="does not say which API"):
        check_reviewed(plan(url=None), plan(), URL)
