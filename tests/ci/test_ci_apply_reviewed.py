"""scripts/ci/apply-reviewed.sh against the emulator: apply the reviewed plan, or apply
nothing and publish the fresh plan (job summary, and a comment on the merged pull request)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cirun import BIN, Step

from triggersync.emulator.server import Emulator

CONFIG = "triggers:\n  - name: Greeting\n    description: reviewed\n  - name: Bystander\n"


@pytest.fixture
def step(tmp_path: Path, emulator: Emulator, emulator_env: dict[str, str]) -> Step:
    emulator.store.create({"name": "Greeting", "description": "old", "enabled": 1})
    emulator.store.create({"name": "Bystander", "description": "", "enabled": 1})
    (tmp_path / "triggers").mkdir()
    (tmp_path / "triggers" / "chat.yaml").write_text(CONFIG)
    return Step(tmp_path, dict(emulator_env))


def review(step: Step) -> str:
    """What the plan workflow saves on the pull request: `plan --out`."""
    (step.work / "reviewed-plan").mkdir()
    subprocess.run(
        [str(BIN / "triggersync"), "plan", "triggers", "--out", "reviewed-plan/plan.json"],
        cwd=step.work,
        env={**step.env, "GITHUB_STEP_SUMMARY": ""},
        capture_output=True,
        check=True,
    )
    return "reviewed-plan/plan.json"


def test_the_reviewed_plan_is_applied(step: Step, emulator: Emulator) -> None:
    ran = step.run("apply-reviewed.sh", PLAN_FILE=review(step), PR="12")
    assert ran.returncode == 0, ran.stderr
    assert emulator.store.get("Greeting")["description"] == "reviewed"
    assert "Apply complete: 0 created, 1 updated, 0 deleted." in ran.stdout
    assert step.summary_file.read_text().startswith(
        "### triggersync: applied the plan reviewed on #12"
    )
    assert "comments" not in step.state


def test_a_dashboard_edit_since_the_review_applies_nothing_and_publishes_the_fresh_plan(
    step: Step, emulator: Emulator
) -> None:
    plan_file = review(step)
    emulator.store.update("Bystander", {"description": "edited in the dashboard"})
    ran = step.run("apply-reviewed.sh", PLAN_FILE=plan_file, PR="12")
    assert ran.returncode == 1
    assert emulator.store.get("Greeting")["description"] == "old"
    (comment,) = step.state["comments"]
    assert comment["pr"] == "12"
    body = comment["body"]
    assert body.startswith("## triggersync: nothing was applied\n\nWhy: the plan reviewed on #12")
    assert '"Bystander" only in the fresh plan (update)' in body
    assert "**Plan: 0 to create, 2 to update, 0 to delete.**" in body  # the fresh plan
    assert step.summary_file.read_text() == body
    assert "::error::nothing was applied" in ran.stdout


def test_without_a_reviewed_plan_the_fresh_plan_is_published(
    step: Step, emulator: Emulator
) -> None:
    reason = "no successful plan.yml run for the last commit of #12 (head1111)"
    ran = step.run("apply-reviewed.sh", PLAN_FILE="", REASON=reason, PR="12")
    assert ran.returncode == 1
    assert emulator.store.get("Greeting")["description"] == "old"
    (comment,) = step.state["comments"]
    assert comment["body"].startswith(f"## triggersync: nothing was applied\n\nWhy: {reason}.")


def test_without_a_pull_request_the_fresh_plan_goes_to_the_summary_alone(step: Step) -> None:
    ran = step.run("apply-reviewed.sh", PLAN_FILE="", REASON="no pull request", PR="")
    assert ran.returncode == 1
    assert "comments" not in step.state
    assert "nothing was applied" in step.summary_file.read_text()


def test_without_a_reviewed_plan_and_nothing_to_change_it_succeeds(
    step: Step, emulator: Emulator
) -> None:
    emulator.store.update("Greeting", {"description": "reviewed"})
    ran = step.run("apply-reviewed.sh", PLAN_FILE="", REASON="no pull request", PR="7")
    assert ran.returncode == 0, ran.stderr
    assert "comments" not in step.state
    assert step.summary_file.read_text() == "### triggersync: nothing to apply\n"


def test_a_plan_the_api_cannot_make_fails_without_a_comment(step: Step) -> None:
    ran = step.run("apply-reviewed.sh", PLAN_FILE="", PR="12", TRIGGERSYNC_PASSWORD="wrong")
    assert ran.returncode == 1
    assert "::error::triggersync plan failed" in ran.stdout
    assert "comments" not in step.state
