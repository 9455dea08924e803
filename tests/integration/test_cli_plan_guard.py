"""A plan that apply would refuse says so before anyone merges it: the real CLI against the
emulator, in every format, and apply then refusing in the same words."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from clirun import Run

from triggersync.emulator.server import Emulator

NOTICE = (
    "apply will refuse this plan without --force: "
    "it deletes 50 of 60 owned live triggers (more than 30%)."
)


@pytest.fixture
def fifty_of_sixty(emulator: Emulator, config: Callable[[str], str]) -> str:
    """60 live triggers, a configuration that declares 10 of them: 50 deletes."""
    for i in range(60):
        emulator.store.create({"name": f"T{i:02}", "description": "", "enabled": 1})
    return config("triggers:\n" + "".join(f"  - name: T{i:02}\n" for i in range(10)))


def test_a_text_plan_names_the_rule_apply_will_enforce(run: Run, fifty_of_sixty: str) -> None:
    ran = run("plan", fifty_of_sixty)
    assert ran.code == 0
    assert f"\nWarning: {NOTICE}\n\nPlan: 0 to create, 0 to update, 50 to delete.\n" in ran.stdout


def test_a_markdown_plan_names_it_for_the_pull_request(run: Run, fifty_of_sixty: str) -> None:
    ran = run("plan", fifty_of_sixty, "--format", "markdown", "--max-chars", "1000")
    assert ran.code == 0
    assert f"\n> **Warning:** {NOTICE}\n" in ran.stdout


def test_a_json_plan_carries_it_for_scripts(run: Run, fifty_of_sixty: str) -> None:
    ran = run("plan", fifty_of_sixty, "--format", "json")
    assert json.loads(ran.stdout)["guard"]["message"] + "." == NOTICE


def test_apply_then_refuses_what_the_plan_announced(
    run: Run, emulator: Emulator, fifty_of_sixty: str
) -> None:
    ran = run("apply", fifty_of_sixty, "--yes")
    assert ran.code == 1
    assert "refusing to delete 50 of 60 owned live triggers (more than 30%)" in ran.stderr
    assert len(emulator.store.list()) == 60
