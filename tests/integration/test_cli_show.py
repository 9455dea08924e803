"""`triggersync show PLANFILE`: a saved plan rendered offline, as plan renders it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from clirun import Run

from triggersync.emulator.server import Emulator

Config = Callable[[str], str]
DESIRED = "triggers:\n  - name: Better Trigger\n    description: new\n  - name: Fresh\n"


@pytest.fixture
def saved(run: Run, emulator: Emulator, config: Config, tmp_path: Path) -> Path:
    emulator.store.create({"name": "Better Trigger", "description": "old", "enabled": 1})
    target = tmp_path / "plan.json"
    assert run("plan", config(DESIRED), "--out", str(target)).code == 0
    return target


def test_show_renders_the_saved_plan_as_plan_did(
    run: Run, emulator: Emulator, config: Config, saved: Path
) -> None:
    shown = run("show", str(saved), extra_env={"TRIGGERSYNC_API_URL": ""})
    assert shown.code == 0
    assert shown.stdout == run("plan", config(DESIRED)).stdout


def test_show_needs_no_api(run: Run, emulator: Emulator, saved: Path) -> None:
    before = emulator.stats()["total"]
    shown = run("show", str(saved))
    assert shown.code == 0
    assert emulator.stats()["total"] == before


def test_show_markdown_is_the_pull_request_comment(run: Run, saved: Path) -> None:
    shown = run("show", str(saved), "--format", "markdown")
    assert shown.code == 0
    assert shown.stdout.startswith("**Plan: 1 to create, 1 to update, 0 to delete.**")
    assert shown.stdout.rstrip().endswith("<!-- triggersync-plan -->")


def test_show_json_is_the_saved_document(run: Run, saved: Path) -> None:
    shown = run("show", str(saved), "--format", "json")
    assert shown.code == 0
    assert json.loads(shown.stdout) == json.loads(saved.read_text(encoding="utf-8"))


def test_show_of_a_file_that_is_not_a_plan_is_one_error(run: Run, tmp_path: Path) -> None:
    other = tmp_path / "triggers.yaml"
    other.write_text("triggers: []\n", encoding="utf-8")
    shown = run("show", str(other))
    assert shown.code == 1
    assert shown.stderr.count("\n") == 1
    assert "not a plan file" in shown.stderr


def test_show_of_a_missing_file_is_one_error(run: Run, tmp_path: Path) -> None:
    shown = run("show", str(tmp_path / "nowhere.json"))
    assert shown.code == 1
    assert "cannot read the plan file" in shown.stderr


TYPO = (
    "triggers:\n  - name: Pricing\n    definition:\n      event: chat_requested\n"
    '      condition: ["icontians", "@visitor_page_url", "/pricing"]\n'
    '      actions: [["addTag", "pricing"]]\n'
)


def test_show_text_lists_the_saved_plans_warnings_as_plan_said_them(
    run: Run, emulator: Emulator, config: Config, tmp_path: Path
) -> None:
    target = tmp_path / "plan.json"
    planned = run("plan", config(TYPO), "--out", str(target))
    shown = run("show", str(target))
    assert shown.code == 0
    said = [line for line in planned.stderr.splitlines() if line.startswith("warning: ")]
    (warning,) = said
    assert "TS103 unknown-operator" in warning
    assert shown.stdout == "\n".join(said) + "\n\n" + planned.stdout
