"""The plan as JSON: the saved-plan document, keeping the API's own spelling, safe in a log."""

from __future__ import annotations

import json

from plan_samples import full_plan, warned_plan

from triggersync.engine.diff import make_plan
from triggersync.engine.model import Trigger
from triggersync.engine.plan import Change, Plan
from triggersync.engine.planfile import plan_from_dict, plan_to_dict
from triggersync.views.json import render_json


def test_json_is_the_plan_document() -> None:
    plan = full_plan()
    assert json.loads(render_json(plan)) == plan_to_dict(plan)
    assert plan_from_dict(json.loads(render_json(plan))) == plan


def test_json_keeps_enabled_as_the_api_spells_it() -> None:
    [change] = [
        c for c in json.loads(render_json(full_plan()))["changes"] if c["name"] == "Cafe greeting"
    ]
    assert (change["before"]["enabled"], change["after"]["enabled"]) == (1, 0)
    assert {"path": "enabled", "before": 1, "after": 0} in change["diff"]


def test_json_escapes_the_runners_old_command_form() -> None:
    plan = Plan((Change("create", "##[add-mask]x", None, {"name": "##[add-mask]x"}),))
    out = render_json(plan)
    assert "##[" not in out
    assert json.loads(out)["changes"][0]["name"] == "##[add-mask]x"


def test_json_carries_the_delete_guards_refusal_for_scripts() -> None:
    live = [Trigger(f"T{i:02}") for i in range(60)]
    guard = json.loads(render_json(make_plan(live[:10], live)))["guard"]
    assert guard == {
        "rule": "more_than_30_percent",
        "deletes": 50,
        "owned_live": 60,
        "message": "apply will refuse this plan without --force: "
        "it deletes 50 of 60 owned live triggers (more than 30%)",
    }


def test_json_guard_is_null_when_the_deletes_are_only_replacements() -> None:
    live = [Trigger(f"T{i}", definition={"event": "a"}) for i in range(10)]
    plan = make_plan([Trigger(f"T{i}", definition={"event": "b"}) for i in range(10)], live)
    assert plan.summary["delete"] == 10
    assert json.loads(render_json(plan))["guard"] is None


def test_a_saved_plan_keeps_its_warnings() -> None:
    plan = warned_plan()
    read = plan_from_dict(json.loads(json.dumps(plan_to_dict(plan))))
    assert [str(warning) for warning in read.warnings] == [str(w) for w in plan.warnings]
    assert read.warnings[0].rule is not None
    assert read.warnings[0].rule.id == "TS103"


def test_a_saved_plan_without_warnings_still_reads() -> None:
    document = plan_to_dict(full_plan())
    del document["warnings"]
    assert plan_from_dict(document).warnings == ()
