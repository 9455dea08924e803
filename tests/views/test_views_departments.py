"""Departments in plans and drift: the name next to the id where the account's list was read,
the id alone where it was not, and a saved plan that keeps the names for its readers."""

from __future__ import annotations

import json

import pytest

from triggersync.engine.departments import Department, Departments
from triggersync.engine.diff import make_plan
from triggersync.engine.model import Trigger
from triggersync.engine.planfile import plan_from_dict, plan_to_dict
from triggersync.errors import PlanFileError
from triggersync.views.markdown import render_markdown
from triggersync.views.text import render_drift_text, render_text

ACCOUNT = Departments((Department(123, "Sales"), Department(456, "Support")))


def routing(department: int) -> Trigger:
    return Trigger(
        "Route", definition={"event": "chat_requested", "actions": [["setDepartment", department]]}
    )


def test_a_plan_names_the_departments_it_routes_to() -> None:
    plan = make_plan([routing(456)], [routing(123)], departments=ACCOUNT)
    text = render_text(plan)
    assert (
        'did:     When a visitor requests a chat — always: set department "Sales" (id 123).' in text
    )
    assert (
        'will do: When a visitor requests a chat — always: set department "Support" (id 456).'
        in text
    )


def test_a_plan_made_without_the_departments_shows_the_ids() -> None:
    plan = make_plan([routing(456)], [routing(123)])
    assert "set department to 456." in render_text(plan)
    assert plan.department_names == {}


def test_drift_names_the_departments_too() -> None:
    plan = make_plan([routing(456)], [routing(123)], departments=ACCOUNT)
    assert (
        'Zendesk has: When a visitor requests a chat — always: set department "Sales" (id 123).'
        in render_drift_text(plan)
    )


def test_markdown_names_them_in_its_code_block() -> None:
    plan = make_plan([routing(456)], [], departments=ACCOUNT)
    assert (
        '+ will do: When a visitor requests a chat — always: set department "Support" (id 456).'
        in render_markdown(plan)
    )


def test_the_plan_holds_only_the_names_of_departments_it_routes_to() -> None:
    plan = make_plan([routing(456)], [], departments=ACCOUNT)
    assert plan.department_names == {456: "Support"}


def test_a_saved_plan_keeps_the_names() -> None:
    plan = make_plan([routing(456)], [routing(123)], departments=ACCOUNT)
    document = json.loads(json.dumps(plan_to_dict(plan)))
    assert document["departments"] == {"123": "Sales", "456": "Support"}
    assert plan_from_dict(document).department_names == {123: "Sales", 456: "Support"}


def test_a_plan_without_departments_has_no_departments_key() -> None:
    assert "departments" not in plan_to_dict(make_plan([routing(456)], []))


def test_a_saved_plan_with_a_department_key_that_is_no_id_is_refused() -> None:
    document = plan_to_dict(make_plan([routing(456)], [], departments=ACCOUNT))
    document["departments"] = {"Sales": "Sales"}
    with pytest.raises(PlanFileError, match="departments"):
        plan_from_dict(document)
