"""A saved plan or a scenario file given where configuration belongs: one error that says
what to run instead, and no request."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from clirun import Run

from triggersync.emulator.server import Emulator

Config = Callable[[str], str]


def test_apply_of_a_saved_plan_points_to_apply_plan(
    run: Run, emulator: Emulator, config: Config, tmp_path: Path
) -> None:
    saved = tmp_path / "plan.json"
    assert run("plan", config("triggers: [{name: Fresh}]\n"), "--out", str(saved)).code == 0
    before = emulator.stats()["total"]
    ran = run("apply", str(saved), "--yes")
    assert (ran.code, ran.stderr) == (
        1,
        f"Error: {saved}:1:1: this is a saved plan, not configuration; "
        f"did you mean `triggersync apply --plan {saved}`?\n",
    )
    assert emulator.stats()["total"] == before
    assert emulator.store.get("Fresh") is None


def test_plan_over_a_folder_with_a_scenario_file_points_to_scenarios(
    run: Run, emulator: Emulator, config: Config
) -> None:
    folder = config("triggers: [{name: Greeting}]\n")
    config("scenarios:\n  - name: x\n    event: page_enter\n", "visitors.yaml")
    ran = run("plan", folder)
    assert ran.code == 1
    assert ran.stderr == (
        f"Error: {folder}/visitors.yaml:1:1: scenario files are not configuration: "
        f"pass them with `triggersync test --scenarios {folder}/visitors.yaml`\n"
    )
    assert emulator.stats()["total"] == 0
