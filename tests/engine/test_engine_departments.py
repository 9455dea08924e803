"""Departments by name: names resolved to this account's ids (and what goes wrong, where), ids
written back as names where a name reads back to its id alone."""

from __future__ import annotations

from typing import Any

from triggersync.engine.departments import (
    Department,
    Departments,
    NamedDepartment,
    ids_in,
    named_in,
    names_any,
    resolve,
    with_names,
)
from triggersync.engine.model import Trigger
from triggersync.errors import Location

SALES = Department(123, "Sales")
SUPPORT = Department(456, "Support")
ACCOUNT = Departments((SALES, SUPPORT))
HERE = Location("triggers/routing.yaml", 9, 23)


def routing(department: Any, name: str = "Route") -> Trigger:
    definition = {"event": "chat_requested", "actions": [["setDepartment", department]]}
    return Trigger(name, definition=definition, location=Location("triggers/routing.yaml", 1, 3))


def placed(name: str, trigger: str = "Route") -> NamedDepartment:
    path = ("triggers", 0, "definition", "actions", 0, 1)
    return NamedDepartment(trigger, 0, name, path, HERE)


def test_a_name_is_sent_as_the_id_of_the_department_that_has_it() -> None:
    resolved = resolve([routing("Sales")], ACCOUNT)
    assert resolved.problems == ()
    assert resolved.triggers[0].definition["actions"] == [["setDepartment", 123]]
    assert resolved.names == {123: "Sales"}


def test_an_id_is_left_as_it_is() -> None:
    trigger = routing(456)
    resolved = resolve([trigger], ACCOUNT)
    assert resolved.triggers[0] is trigger
    assert resolved.problems == ()


def test_an_unknown_name_is_an_error_at_its_place_with_a_did_you_mean() -> None:
    resolved = resolve([routing("Salse")], ACCOUNT, places=[placed("Salse")])
    (error,) = resolved.errors
    assert str(error) == (
        "triggers/routing.yaml:9:23: triggers[0].definition.actions[0][1]: "
        'no department is named "Salse" (did you mean "Sales"?)'
    )


def test_an_unknown_name_without_a_place_names_its_trigger() -> None:
    (error,) = resolve([routing("Nobody")], ACCOUNT).errors
    assert str(error).startswith("triggers/routing.yaml:1:3: ")
    assert 'trigger "Route": no department is named "Nobody"' in str(error)


def test_a_name_in_an_account_without_departments_says_so() -> None:
    (error,) = resolve([routing("Sales")], Departments()).errors
    assert error.message.endswith("the account has no departments")


def test_a_name_two_departments_share_is_an_error_naming_both_ids() -> None:
    twice = Departments((SALES, Department(789, "Sales")))
    (error,) = resolve([routing("Sales")], twice).errors
    assert "shared by the departments with ids 123 and 789" in error.message


def test_a_disabled_department_is_resolved_with_a_warning() -> None:
    closed = Departments((Department(123, "Sales", enabled=False),))
    resolved = resolve([routing("Sales")], closed, places=[placed("Sales")])
    assert resolved.errors == ()
    (warning,) = resolved.warnings
    assert 'department "Sales" (id 123) is disabled' in warning.message
    assert resolved.triggers[0].definition["actions"] == [["setDepartment", 123]]


def test_digits_in_a_string_are_a_name() -> None:
    named = Departments((Department(7, "123"),))
    resolved = resolve([routing("123")], named)
    assert resolved.triggers[0].definition["actions"] == [["setDepartment", 7]]


def test_digits_that_are_an_id_and_no_name_say_to_write_the_id_as_a_number() -> None:
    (error,) = resolve([routing("123")], ACCOUNT).errors
    assert error.message.endswith("for the department with id 123, write the id as a number")


def test_an_unknown_name_the_live_trigger_holds_as_it_is_stays_with_a_warning() -> None:
    live = routing("Legacy text")
    resolved = resolve([routing("Legacy text")], ACCOUNT, live=[live])
    assert resolved.errors == ()
    assert "kept as written" in resolved.warnings[0].message
    assert resolved.triggers[0].definition["actions"] == [["setDepartment", "Legacy text"]]


def test_the_live_trigger_is_found_by_its_old_name_for_a_rename() -> None:
    live = routing("Legacy text", name="Old")
    declared = Trigger("New", definition=routing("Legacy text").definition, renamed_from="Old")
    assert resolve([declared], ACCOUNT, live=[live]).errors == ()


def test_other_keys_and_actions_are_kept() -> None:
    definition = {
        "event": "chat_requested",
        "version": 1,
        "actions": [["addTag", "x"], ["setDepartment", "Support"]],
    }
    resolved = resolve([Trigger("T", definition=definition)], ACCOUNT)
    assert resolved.triggers[0].definition == {
        "event": "chat_requested",
        "version": 1,
        "actions": [["addTag", "x"], ["setDepartment", 456]],
    }


def test_only_a_well_formed_set_department_names_a_department() -> None:
    definition = {
        "actions": [["setDepartment", "A", "B"], ["setDepartment"], ["addTag", "Sales"], "x"]
    }
    assert named_in(definition) == []
    assert not names_any([Trigger("T", definition=definition)])
    assert named_in({"actions": [["setDepartment", "Sales"]]}) == [(0, "Sales")]


def test_a_boolean_is_no_department_id() -> None:
    assert ids_in({"actions": [["setDepartment", True], ["setDepartment", 5]]}) == [5]


def test_names_stand_only_for_the_department_that_alone_has_them() -> None:
    shared = Departments((SALES, Department(789, "Sales"), SUPPORT))
    assert shared.names() == {456: "Support"}


def test_export_writes_the_name_of_an_id() -> None:
    (named,), warnings = with_names([routing(123)], ACCOUNT)
    assert named.definition["actions"] == [["setDepartment", "Sales"]]
    assert warnings == []


def test_export_keeps_an_id_no_department_has_with_a_warning() -> None:
    (kept,), warnings = with_names([routing(999)], ACCOUNT)
    assert kept.definition["actions"] == [["setDepartment", 999]]
    assert warnings == [
        'TS403 department-kept: trigger "Route": setDepartment 999 is kept as an id: no '
        "department has it"
    ]


def test_export_keeps_an_id_whose_name_another_department_shares() -> None:
    shared = Departments((SALES, Department(789, "Sales")))
    (kept,), warnings = with_names([routing(789)], shared)
    assert kept.definition["actions"] == [["setDepartment", 789]]
    assert 'another department is named "Sales" too' in warnings[0]


def test_a_name_written_by_export_resolves_to_the_same_id() -> None:
    (named,), _ = with_names([routing(456)], ACCOUNT)
    resolved = resolve([named], ACCOUNT)
    assert resolved.triggers[0].definition == routing(456).definition


def test_a_name_held_inside_one_department_name_is_suggested() -> None:
    renamed = Departments((Department(1, "Sales EMEA"), SUPPORT))
    (error,) = resolve([routing("Sales")], renamed).errors
    assert error.message.endswith('(did you mean "Sales EMEA"?)')


def test_an_unknown_name_in_a_small_account_lists_its_departments() -> None:
    (error,) = resolve([routing("Billing")], ACCOUNT).errors
    assert error.message.endswith('; the account\'s departments: "Sales", "Support"')


def test_a_declared_name_for_the_same_department_is_kept_as_written() -> None:
    renamed = Departments((Department(123, "Sales"),))
    (kept,), _ = with_names([routing(123)], renamed, declared=[routing("Sales")])
    assert kept.definition["actions"] == [["setDepartment", "Sales"]]


def test_a_declared_id_for_the_same_department_is_kept_as_an_id() -> None:
    (kept,), warnings = with_names([routing(123)], ACCOUNT, declared=[routing(123)])
    assert kept.definition["actions"] == [["setDepartment", 123]]
    assert warnings == []


def test_a_declaration_routing_elsewhere_gets_the_live_departments_name() -> None:
    (named,), _ = with_names([routing(456)], ACCOUNT, declared=[routing("Sales")])
    assert named.definition["actions"] == [["setDepartment", "Support"]]
