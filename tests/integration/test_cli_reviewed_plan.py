"""`apply --plan FILE PATH...`: plan afresh from PATH and apply only what the saved plan shows;
the saved plan is trusted for nothing else."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from clirun import Run, writes

from triggersync.emulator.server import Emulator

Config = Callable[[str], str]
DESIRED = "triggers:\n  - name: Better Trigger\n    description: new\n  - name: Bystander\n"


@pytest.fixture
def saved(run: Run, emulator: Emulator, config: Config, tmp_path: Path) -> Path:
    emulator.store.create({"name": "Better Trigger", "description": "old", "enabled": 1})
    emulator.store.create({"name": "Bystander", "description": "", "enabled": 1})
    target = tmp_path / "plan.json"
    assert run("plan", config(DESIRED), "--out", str(target)).code == 0
    emulator.reset_stats()
    return target


def test_a_plan_that_still_holds_is_applied(
    run: Run, emulator: Emulator, config: Config, saved: Path
) -> None:
    ran = run("apply", "--plan", str(saved), config(DESIRED))
    assert ran.code == 0, ran.stderr
    assert '~ update "Better Trigger"' in ran.stdout
    assert emulator.store.get("Better Trigger")["description"] == "new"


def test_a_dashboard_edit_of_a_planned_trigger_applies_nothing(
    run: Run, emulator: Emulator, config: Config, saved: Path
) -> None:
    emulator.store.update("Better Trigger", {"description": "hand edit"})
    emulator.reset_stats()
    ran = run("apply", "--plan", str(saved), config(DESIRED))
    assert ran.code == 1
    assert ran.stderr == (
        "Error: the saved plan is not what a fresh plan would do now, so nothing was applied: "
        '"Better Trigger" differs (changed in Zendesk since: description); '
        "review the fresh plan (triggersync plan) and save it again\n"
    )
    assert writes(emulator) == 0


def test_a_dashboard_edit_of_another_trigger_applies_nothing(
    run: Run, emulator: Emulator, config: Config, saved: Path
) -> None:
    # The fresh plan would also revert this edit, which nobody reviewed.
    emulator.store.update("Bystander", {"enabled": 0})
    emulator.reset_stats()
    ran = run("apply", "--plan", str(saved), config(DESIRED))
    assert ran.code == 1
    assert '"Bystander" only in the fresh plan (update)' in ran.stderr
    assert writes(emulator) == 0


def test_a_configuration_that_moved_since_the_plan_applies_nothing(
    run: Run, emulator: Emulator, config: Config, saved: Path
) -> None:
    ran = run("apply", "--plan", str(saved), config(DESIRED.replace("new", "newer")))
    assert ran.code == 1
    assert '"Better Trigger" differs (the configuration now says otherwise: description)' in (
        ran.stderr
    )
    assert writes(emulator) == 0


def test_a_plan_file_carrying_an_extra_change_applies_nothing(
    run: Run, emulator: Emulator, config: Config, tmp_path: Path, saved: Path
) -> None:
    # A well-formed plan that also deletes Bystander: one a pull request could upload.
    crafted = tmp_path / "crafted.json"
    only_one = tmp_path / "only-one.yaml"
    only_one.write_text("triggers:\n  - name: Better Trigger\n    description: new\n")
    assert run("plan", str(only_one), "--out", str(crafted)).code == 0
    ran = run("apply", "--plan", str(crafted), config(DESIRED))
    assert ran.code == 1
    assert '"Bystander" only in the saved plan (delete)' in ran.stderr
    assert emulator.store.get("Bystander") is not None


def test_an_unrelated_new_trigger_that_no_change_touches_does_not_stop_the_apply(
    run: Run, emulator: Emulator, config: Config, tmp_path: Path
) -> None:
    # What is applied is what was reviewed: a live name the plans agree to leave alone
    # (ignored here) does not matter, though it makes the saved plan stale on its own.
    emulator.store.create({"name": "Legacy A", "description": "", "enabled": 1})
    path = config('ignore: ["Legacy *"]\ntriggers:\n  - name: Fresh\n')
    target = tmp_path / "plan.json"
    assert run("plan", path, "--out", str(target)).code == 0
    emulator.store.create({"name": "Legacy B", "description": "", "enabled": 1})
    assert run("apply", "--plan", str(target)).code == 1  # stale, alone
    ran = run("apply", "--plan", str(target), path)
    assert ran.code == 0, ran.stderr
    assert emulator.store.get("Fresh") is not None


def _tamper(saved: Path, edit: Callable[[dict[str, Any]], object]) -> None:
    document = json.loads(saved.read_text())
    edit(document)
    saved.write_text(json.dumps(document))


def _loosen_the_guard(document: dict[str, Any]) -> None:
    # Disown nothing: 4 deletes of 20 owned pass the 30% rule; the file stays consistent.
    document["state"].update(ignore=[], owned_live=20)
    document["guard"] = None


def test_an_edited_ignore_owned_count_and_guard_cannot_loosen_the_delete_guard(
    run: Run, emulator: Emulator, config: Config, tmp_path: Path
) -> None:
    for i in range(10):
        emulator.store.create({"name": f"T{i}", "description": "", "enabled": 1})
        emulator.store.create({"name": f"Legacy {i}", "description": "", "enabled": 1})
    path = config(
        'ignore: ["Legacy *"]\ntriggers:\n' + "".join(f"  - name: T{i}\n" for i in range(6))
    )
    saved = tmp_path / "plan.json"
    assert run("plan", path, "--out", str(saved)).code == 0
    _tamper(saved, _loosen_the_guard)
    ran = run("apply", "--plan", str(saved), path)
    assert ran.code == 1
    assert "refusing to delete 4 of 10 owned live triggers (more than 30%)" in ran.stderr
    assert len(emulator.store.list()) == 20


def test_force_lets_the_fresh_plans_deletes_run(
    run: Run, emulator: Emulator, config: Config, tmp_path: Path
) -> None:
    for i in range(3):
        emulator.store.create({"name": f"T{i}", "description": "", "enabled": 1})
    path = config("triggers: []\n")
    saved = tmp_path / "plan.json"
    assert run("plan", path, "--out", str(saved)).code == 0
    assert "every owned live trigger" in run("apply", "--plan", str(saved), path).stderr
    assert run("apply", "--plan", str(saved), path, "--force").code == 0
    assert emulator.store.list() == []


def test_vars_and_no_prune_shape_the_fresh_plan(
    run: Run, emulator: Emulator, config: Config, tmp_path: Path
) -> None:
    emulator.store.create({"name": "Kept", "description": "", "enabled": 1})
    vars_file = tmp_path / "vars.yaml"
    vars_file.write_text("GREETING: Hello\n")
    path = config("triggers:\n  - name: Fresh\n    description: ${GREETING}\n")
    saved = tmp_path / "plan.json"
    shape = ["--vars", str(vars_file), "--no-prune"]
    assert run("plan", path, *shape, "--out", str(saved)).code == 0
    ran = run("apply", "--plan", str(saved), path, *shape)
    assert ran.code == 0, ran.stderr
    assert emulator.store.get("Fresh")["description"] == "Hello"
    assert emulator.store.get("Kept") is not None


def test_a_plan_from_another_account_is_refused(
    run: Run, emulator: Emulator, config: Config, saved: Path
) -> None:
    ran = run("apply", "--plan", str(saved), config(DESIRED), "--api-url", emulator.legacy_url)
    assert ran.code == 1
    assert "the plan was made against" in ran.stderr
    assert writes(emulator) == 0


def test_nothing_to_do_in_either_plan_exits_0(
    run: Run, emulator: Emulator, config: Config, tmp_path: Path
) -> None:
    path = config("triggers: []\n")
    saved = tmp_path / "plan.json"
    assert run("plan", path, "--out", str(saved)).code == 0
    ran = run("apply", "--plan", str(saved), path)
    assert (ran.code, ran.stdout) == (0, "No changes.\n")


def test_plan_out_points_to_the_reviewed_form_with_the_same_options(
    run: Run, config: Config, tmp_path: Path
) -> None:
    vars_file = tmp_path / "my vars.yaml"
    vars_file.write_text("X: 1\n")
    path = config("triggers: []\n")
    target = tmp_path / "plan.json"
    ran = run("plan", path, "--vars", str(vars_file), "--no-prune", "--out", str(target))
    assert ran.code == 0
    assert ran.stderr == (
        f"Saved the plan to {target}; apply it with: triggersync apply --plan {target} "
        f"{path} --vars '{vars_file}' --no-prune\n"
    )


def test_a_targeted_plan_applied_without_its_targets_says_which_to_give(
    run: Run, emulator: Emulator, config: Config, tmp_path: Path
) -> None:
    emulator.store.create({"name": "Unmanaged", "enabled": 1})
    target = tmp_path / "plan.json"
    paths = config("triggers:\n  - name: New\n")
    assert run("plan", paths, "--target", "New", "--out", str(target)).code == 0
    ran = run("apply", "--plan", str(target), paths)
    assert ran.code == 1
    assert ran.stderr == (
        "Error: the saved plan is not what a fresh plan would do now, so nothing was applied: "
        '"Unmanaged" only in the fresh plan (delete); the saved plan was made with --target '
        "New, this apply with none: give the same; review the fresh plan (triggersync plan) "
        "and save it again\n"
    )
    assert run("apply", "--plan", str(target), paths, "--target", "New").code == 0


def test_a_no_prune_plan_applied_pruning_says_to_give_no_prune(
    run: Run, emulator: Emulator, config: Config, tmp_path: Path
) -> None:
    emulator.store.create({"name": "Unmanaged", "enabled": 1})
    target = tmp_path / "plan.json"
    paths = config("triggers:\n  - name: New\n")
    assert run("plan", paths, "--no-prune", "--out", str(target)).code == 0
    ran = run("apply", "--plan", str(target), paths)
    assert ran.code == 1
    assert ran.stderr == (
        "Error: the saved plan is not what a fresh plan would do now, so nothing was applied: "
        '"Unmanaged" only in the fresh plan (delete); the fresh plan\'s only differences are '
        "deletes the saved plan lacks: if it was made with --no-prune, give --no-prune here "
        "too; review the fresh plan (triggersync plan) and save it again\n"
    )
