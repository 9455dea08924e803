"""The CLI against the emulator: a definition compares as JSON, and what JSON cannot hold is
an error at its place before any request is made."""

from __future__ import annotations

import json
from collections.abc import Callable

from clirun import Run

from triggersync.emulator.server import Emulator

FLAG_TRUE = """\
triggers:
  - name: Flagged
    definition:
      event: chat_requested
      condition: ["and", ["eq", "@visitor_served", true]]
      actions: [["setTriggered", true]]
"""
LIVE_1 = {
    "event": "chat_requested",
    "condition": ["and", ["eq", "@visitor_served", 1]],
    "actions": [["setTriggered", 1]],
}


def test_true_where_the_live_definition_has_1_is_planned_applied_and_converges(
    run: Run, emulator: Emulator, config: Callable[[str], str]
) -> None:
    emulator.store.create({"name": "Flagged", "definition": LIVE_1})
    folder = config(FLAG_TRUE)
    planned = run("plan", folder, "--format", "json")
    assert planned.code == 0
    assert json.loads(planned.stdout)["summary"] == {"create": 1, "update": 0, "delete": 1}
    assert run("apply", folder, "--yes").code == 0
    assert run("plan", folder, "--detailed-exitcode").code == 0  # no changes left


def test_a_number_key_in_a_definition_stops_plan_before_any_request(
    run: Run, emulator: Emulator, config: Callable[[str], str]
) -> None:
    text = FLAG_TRUE.replace('actions: [["setTriggered", true]]', "actions: [[x, {1: a}]]")
    ran = run("plan", config(text))
    assert ran.code == 1
    assert (
        'triggers.yaml:6:22: triggers[0].definition.actions[0][1]["1"]: key 1 is read' in ran.stderr
    )
    assert emulator.stats()["total"] == 0


def test_nan_in_a_definition_never_reaches_a_json_plan(
    run: Run, emulator: Emulator, config: Callable[[str], str]
) -> None:
    ran = run("plan", config(FLAG_TRUE.replace("true]]\n", ".nan]]\n", 1)), "--format", "json")
    assert (ran.code, ran.stdout) == (1, "")
    assert "triggers.yaml:5:52: triggers[0].definition.condition[1][2]: .nan is not" in ran.stderr
