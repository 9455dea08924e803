"""scripts/ci/adopt-pr.sh against the emulator and a real git remote: on drift, adopt into ONE
pull request from a fixed branch, the drift report as its body; without drift, close it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cirun import BIN, Step

from triggersync.emulator.server import Emulator

CONFIG = "triggers:\n  - name: Greeting\n    description: as in the files\n"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def step(tmp_path: Path, emulator: Emulator, emulator_env: dict[str, str]) -> Step:
    emulator.store.create({"name": "Greeting", "description": "as in the files", "enabled": 1})
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", "-b", "main", str(remote))
    work = tmp_path / "checkout"
    git(tmp_path, "clone", "--quiet", str(remote), str(work))
    (work / "triggers").mkdir()
    (work / "triggers" / "chat.yaml").write_text(CONFIG)
    git(work, "add", ".")
    git(work, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-m", "files")
    git(work, "push", "--quiet", "origin", "main")
    return Step(work, dict(emulator_env))


def drift(step: Step) -> tuple[str, Path]:
    """What drift.yml's drift step gives the script: its exit code and its report."""
    report = step.work.parent / "drift.md"
    ran = subprocess.run(
        [str(BIN / "triggersync"), "drift", "triggers", "--format", "markdown"],
        cwd=step.work,
        env={**step.env, "GITHUB_STEP_SUMMARY": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    report.write_text(ran.stdout)
    return str(ran.returncode), report


def adopt_pr(step: Step) -> int:
    code, report = drift(step)
    return step.run("adopt-pr.sh", DRIFT_EXIT=code, REPORT_FILE=str(report)).returncode


def test_drift_is_adopted_into_one_pull_request_and_the_files_then_plan_no_changes(
    step: Step, emulator: Emulator
) -> None:
    emulator.store.update("Greeting", {"description": "edited in the dashboard"})
    assert adopt_pr(step) == 0
    (pr,) = step.state["prs"]
    assert (pr["title"], pr["head"], pr["base"], pr["state"]) == (
        "Adopt changes made in Zendesk",
        "triggersync/adopt",
        "main",
        "open",
    )
    assert '"Greeting" changed in Zendesk' in pr["body"]  # the drift report
    # The branch on the remote holds the adopted files, and they plan no changes.
    remote = step.work.parent / "remote.git"
    adopted = git(remote, "show", "triggersync/adopt:triggers/chat.yaml")
    assert "edited in the dashboard" in adopted
    git(step.work, "checkout", "--quiet", "triggersync/adopt")
    plan = subprocess.run(
        [str(BIN / "triggersync"), "plan", "triggers"],
        cwd=step.work,
        env={**step.env, "GITHUB_STEP_SUMMARY": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (plan.returncode, plan.stdout) == (0, "No changes.\n")


def test_a_second_night_updates_the_same_pull_request(step: Step, emulator: Emulator) -> None:
    emulator.store.update("Greeting", {"description": "first edit"})
    assert adopt_pr(step) == 0
    git(step.work, "checkout", "--quiet", "main")
    git(step.work, "checkout", "--quiet", "--", ".")
    emulator.store.update("Greeting", {"description": "second edit"})
    assert adopt_pr(step) == 0
    (pr,) = step.state["prs"]  # never two
    assert "second edit" in pr["body"]
    remote = step.work.parent / "remote.git"
    assert "second edit" in git(remote, "show", "triggersync/adopt:triggers/chat.yaml")


def test_no_drift_closes_the_open_pull_request(step: Step, emulator: Emulator) -> None:
    emulator.store.update("Greeting", {"description": "edited"})
    assert adopt_pr(step) == 0
    git(step.work, "checkout", "--quiet", "main")
    emulator.store.update("Greeting", {"description": "as in the files"})  # reverted by hand
    assert adopt_pr(step) == 0
    (pr,) = step.state["prs"]
    assert pr["state"] == "closed"
    assert "No drift any more" in pr["close_comment"]


def test_no_drift_and_no_pull_request_does_nothing(step: Step) -> None:
    assert adopt_pr(step) == 0
    assert step.state.get("prs", []) == []


def test_a_failed_drift_adopts_nothing(step: Step) -> None:
    ran = step.run("adopt-pr.sh", DRIFT_EXIT="1", REPORT_FILE="/dev/null")
    assert ran.returncode == 1
    assert "::error::drift failed (exit 1); nothing adopted" in ran.stdout
