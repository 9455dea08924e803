"""The plan as JSON: the saved-plan document, keeping the API's own spelling, safe in a log."""

from __future__ import annotations

import json

from plan_samples import full_plan

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
