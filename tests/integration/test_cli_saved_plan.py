"""`plan --out` then `apply --plan`: exactly what was reviewed, or nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from clirun import Run, writes

from triggersync.emulator.server import Emulator

Config = Callable[[str], str]
DESIRED = "triggers:\n  - name: Better Trigger\n    description: new\n  - name: Fresh\n"


@pytest.fixture
def saved(run: Run, emulator: Emulator, config: Config, tmp_path: Path) -> Path:
    emulator.store.create({"name": "Better Trigger", "description": "old", "enabled": 1})
    emulator.store.create({"name": "Bystander", "description": "", "enabled": 1})
    target = tmp_path / "plan.json"
    assert run("plan", config(DESIRED), "--no-prune", "--out", str(target)).code == 0
    return target


def test_saved_plan_applies_without_reading_config(
    run: Run, emulator: Emulator, saved: Path
) -> None:
    ran = run("apply", "--plan", str(saved))
    assert ran.code == 0
    assert emulator.store.get("Better Trigger")["description"] == "new"
    assert emulator.store.get("Fresh") is not None


def test_a_touched_trigger_edited_since_makes_the_plan_stale(
    run: Run, emulator: Emulator, saved: Path
) -> None:
    emulator.store.update("Better Trigger", {"description": "hand edit"})
    ran = run("apply", "--plan", str(saved))
    assert ran.code == 1
    assert '"Better Trigger" changed in Zendesk' in ran.stderr
    assert emulator.store.get("Fresh") is None


def test_a_new_live_name_makes_the_plan_stale(run: Run, emulator: Emulator, saved: Path) -> None:
    emulator.store.create({"name": "Surprise", "description": "", "enabled": 1})
    ran = run("apply", "--plan", str(saved))
    assert ran.code == 1
    assert '"Surprise" appeared' in ran.stderr


def test_a_vanished_live_name_makes_the_plan_stale(
    run: Run, emulator: Emulator, saved: Path
) -> None:
    emulator.store.delete("Bystander")
    ran = run("apply", "--plan", str(saved))
    assert ran.code == 1
    assert '"Bystander" was deleted' in ran.stderr


def test_an_unrelated_field_edit_does_not_make_the_plan_stale(
    run: Run, emulator: Emulator, saved: Path
) -> None:
    emulator.store.update("Bystander", {"description": "edited"})
    assert run("apply", "--plan", str(saved)).code == 0


def test_a_plan_for_another_account_is_refused(run: Run, emulator: Emulator, saved: Path) -> None:
    ran = run("apply", "--plan", str(saved), "--api-url", emulator.legacy_url)
    assert ran.code == 1
    assert "made against" in ran.stderr


def test_a_hand_edited_plan_file_is_refused(run: Run, emulator: Emulator, saved: Path) -> None:
    document = json.loads(saved.read_text())
    document["changes"][0]["action"] = "obliterate"
    saved.write_text(json.dumps(document))
    ran = run("apply", "--plan", str(saved))
    assert ran.code == 1
    assert str(saved) in ran.stderr
    assert emulator.store.get("Fresh") is None


def test_a_plan_file_that_is_not_json_is_refused(run: Run, tmp_path: Path) -> None:
    bogus = tmp_path / "plan.json"
    bogus.write_text("<html>")
    ran = run("apply", "--plan", str(bogus))
    assert (ran.code, "not a plan file" in ran.stderr) == (1, True)


def test_a_missing_plan_file_is_one_message(run: Run, tmp_path: Path) -> None:
    ran = run("apply", "--plan", str(tmp_path / "nope.json"))
    assert ran.code == 1
    assert "cannot read" in ran.stderr


# -- a plan that also deletes: staleness of what it deletes, and hand edits ---------------


@pytest.fixture
def saved_with_delete(run: Run, emulator: Emulator, config: Config, tmp_path: Path) -> Path:
    for name in ("Better Trigger", "Doomed"):
        emulator.store.create({"name": name, "description": "old", "enabled": 1})
    target = tmp_path / "plan.json"
    assert run("plan", config(DESIRED), "--out", str(target)).code == 0
    emulator.reset_stats()
    return target


def test_a_touched_trigger_deleted_since_makes_the_plan_stale(
    run: Run, emulator: Emulator, saved_with_delete: Path
) -> None:
    emulator.store.delete("Better Trigger")
    ran = run("apply", "--plan", str(saved_with_delete))
    assert ran.code == 1
    assert 'plan is stale: "Better Trigger" was deleted in Zendesk' in ran.stderr
    assert writes(emulator) == 0


def test_a_trigger_the_plan_deletes_changed_since_makes_it_stale(
    run: Run, emulator: Emulator, saved_with_delete: Path
) -> None:
    emulator.store.update("Doomed", {"enabled": 0})
    ran = run("apply", "--plan", str(saved_with_delete))
    assert ran.code == 1
    assert '"Doomed" changed in Zendesk since the plan was made; plan again' in ran.stderr
    assert writes(emulator) == 0


def test_a_name_the_plan_creates_appearing_since_makes_it_stale(
    run: Run, emulator: Emulator, saved_with_delete: Path
) -> None:
    emulator.store.create({"name": "Fresh", "description": "old", "enabled": 1})
    ran = run("apply", "--plan", str(saved_with_delete))
    assert ran.code == 1
    assert '"Fresh" appeared in Zendesk' in ran.stderr
    assert writes(emulator) == 0


def tamper(saved: Path, edit: Callable[[dict[str, Any]], object]) -> None:
    document = json.loads(saved.read_text())
    edit(document)
    saved.write_text(json.dumps(document))


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.update(format_version=2), "format_version: unsupported format version 2"),
        (lambda d: d.update(format_version="1"), "unsupported format version '1'"),
        (lambda d: d["summary"].update(delete=0), "summary.delete: is 0 but the changes make it 1"),
        (lambda d: d["changes"].pop(), "summary."),
        (lambda d: d["state"]["fingerprints"].clear(), "state.fingerprints"),
        (lambda d: d["state"].update(owned_live=99), "state.owned_live"),
        (lambda d: d.update(extra=1), "unknown key 'extra'"),
        (lambda d: d["changes"][1].update(action="delete"), "changes[1]"),
    ],
    ids=[
        "version",
        "version-string",
        "summary",
        "dropped-change",
        "fingerprints",
        "owned",
        "extra-key",
        "action-swapped",
    ],
)
def test_a_hand_edited_plan_is_refused_before_any_request(
    run: Run,
    emulator: Emulator,
    saved_with_delete: Path,
    edit: Callable[[dict[str, Any]], object],
    message: str,
) -> None:
    tamper(saved_with_delete, edit)
    ran = run("apply", "--plan", str(saved_with_delete))
    assert ran.code == 1
    assert ran.stderr.startswith(f"Error: {saved_with_delete}: plan file: ")
    assert message in ran.stderr
    assert emulator.stats()["total"] == 0


def test_a_truncated_plan_file_is_refused_before_any_request(
    run: Run, emulator: Emulator, saved_with_delete: Path
) -> None:
    text = saved_with_delete.read_text()
    saved_with_delete.write_text(text[: len(text) // 2])
    ran = run("apply", "--plan", str(saved_with_delete))
    assert ran.code == 1
    assert f"{saved_with_delete}: not a plan file (invalid JSON)" in ran.stderr
    assert emulator.stats()["total"] == 0


@pytest.mark.parametrize("option", [["--no-prune"], ["--vars", "vars.yaml"]])
def test_options_that_shape_a_new_plan_are_refused_with_a_saved_one(
    run: Run, emulator: Emulator, saved: Path, option: list[str]
) -> None:
    ran = run("apply", "--plan", str(saved), *option)
    assert ran.code == 1
    assert "saved plan" in ran.stderr
    assert emulator.store.get("Fresh") is None


def _plan_deleting_4_of_10_owned(
    run: Run, emulator: Emulator, config: Config, tmp_path: Path
) -> Path:
    """A saved plan over 10 owned triggers and 10 ignored ones that deletes 4 of the owned:
    over the 30% guard."""
    for i in range(10):
        emulator.store.create({"name": f"T{i}", "description": "", "enabled": 1})
        emulator.store.create({"name": f"Legacy {i}", "description": "", "enabled": 1})
    keep = "".join(f"  - name: T{i}\n" for i in range(6))
    saved = tmp_path / "plan.json"
    path = config('ignore: ["Legacy *"]\ntriggers:\n' + keep)
    assert run("plan", path, "--out", str(saved)).code == 0
    return saved


def test_a_raised_owned_count_cannot_weaken_the_delete_guard(
    run: Run, emulator: Emulator, config: Config, tmp_path: Path
) -> None:
    saved = _plan_deleting_4_of_10_owned(run, emulator, config, tmp_path)
    tamper(saved, lambda d: d["state"].update(owned_live=20))  # 4 of 20 would pass the guard
    ran = run("apply", "--plan", str(saved))
    assert ran.code == 1
    assert "state.owned_live" in ran.stderr
    assert len(emulator.store.list()) == 20


def test_the_delete_guard_of_a_saved_plan_counts_only_owned_triggers(
    run: Run, emulator: Emulator, config: Config, tmp_path: Path
) -> None:
    saved = _plan_deleting_4_of_10_owned(run, emulator, config, tmp_path)
    ran = run("apply", "--plan", str(saved))
    assert ran.code == 1
    assert "refusing to delete 4 of 10 owned live triggers" in ran.stderr


def test_a_plan_that_does_not_say_where_it_was_made_is_refused(
    run: Run, emulator: Emulator, saved: Path
) -> None:
    # A hand edit to null must not turn off the account check.
    tamper(saved, lambda d: d["state"].update(base_url=None))
    ran = run("apply", "--plan", str(saved))
    assert (ran.code, emulator.store.get("Bystander") is not None) == (1, True)
    assert "does not say which API it was made against" in ran.stderr
