"""`--target NAME` on plan, apply, drift, export and explain, against the emulator."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from clirun import Run

from triggersync.emulator.server import Emulator

Config = Callable[[str], str]
DESIRED = """\
triggers:
  - name: Sales hello
    description: new
  - name: Support hello
    description: new
"""


def seed(emulator: Emulator) -> None:
    for name in ("Sales hello", "Support hello", "Sales old", "Support old"):
        emulator.store.create({"name": name, "description": "old", "enabled": 1})


def test_plan_with_a_target_shows_only_its_changes_and_says_so(
    run: Run, emulator: Emulator, config: Config
) -> None:
    seed(emulator)
    ran = run("plan", config(DESIRED), "--target", "Sales*")
    assert ran.code == 0
    assert ran.stdout.startswith("Targeted: 2 of 4 triggers.\n\n")
    assert '"Sales hello"' in ran.stdout
    assert '"Sales old"' in ran.stdout
    assert "Support" not in ran.stdout
    assert "Plan: 0 to create, 1 to update, 1 to delete." in ran.stdout


def test_apply_with_a_target_never_prunes_outside_it(
    run: Run, emulator: Emulator, config: Config
) -> None:
    seed(emulator)
    ran = run("apply", config(DESIRED), "--target", "Sales*", "--yes")
    assert ran.code == 0, ran.stderr
    assert emulator.store.get("Sales old") is None
    assert emulator.store.get("Support old") is not None
    assert emulator.store.get("Support hello")["description"] == "old"
    assert emulator.store.get("Sales hello")["description"] == "new"


def test_a_saved_targeted_plan_records_and_shows_its_targets(
    run: Run, emulator: Emulator, config: Config, tmp_path: Path
) -> None:
    seed(emulator)
    saved = tmp_path / "plan.json"
    assert run("plan", config(DESIRED), "--target", "Sales*", "--out", str(saved)).code == 0
    document = json.loads(saved.read_text(encoding="utf-8"))
    assert document["targets"] == {"globs": ["Sales*"], "selected": 2, "total": 4}
    ran = run("apply", "--plan", str(saved))
    assert ran.code == 0, ran.stderr
    assert ran.stdout.startswith("Targeted: 2 of 4 triggers.")
    assert emulator.store.get("Support old") is not None


def test_apply_plan_refuses_a_new_target(
    run: Run, emulator: Emulator, config: Config, tmp_path: Path
) -> None:
    seed(emulator)
    saved = tmp_path / "plan.json"
    assert run("plan", config(DESIRED), "--out", str(saved)).code == 0
    ran = run("apply", "--plan", str(saved), "--target", "Sales*")
    assert ran.code == 1
    assert "--target" in ran.stderr


def test_drift_with_a_target_reports_only_it(run: Run, emulator: Emulator, config: Config) -> None:
    seed(emulator)
    ran = run("drift", config(DESIRED), "--target", "Support hello")
    assert ran.code == 2
    assert ran.stdout.startswith("Targeted: 1 of 4 triggers.")
    assert "Sales" not in ran.stdout


def test_export_with_a_target_writes_only_matching_triggers(run: Run, emulator: Emulator) -> None:
    seed(emulator)
    ran = run("export", "--target", "*old")
    assert ran.code == 0
    assert "Sales old" in ran.stdout
    assert "Support old" in ran.stdout
    assert "hello" not in ran.stdout


def test_explain_with_a_target_explains_only_matching_triggers(run: Run, config: Config) -> None:
    ran = run("explain", config(DESIRED), "--target", "Support*")
    assert ran.code == 0
    assert "Support hello" in ran.stdout
    assert "Sales hello" not in ran.stdout


def test_a_target_that_matches_nothing_is_said_with_the_closest_name(
    run: Run, emulator: Emulator, config: Config
) -> None:
    seed(emulator)
    ran = run("plan", config(DESIRED), "--target", "Sales helo")
    assert ran.code == 0
    assert (
        'warning: --target "Sales helo" matches no trigger, declared or live '
        '(did you mean "Sales hello"?)'
    ) in ran.stderr
    assert ran.stdout.startswith("Targeted: 0 of 4 triggers.\n\nNo changes.")
