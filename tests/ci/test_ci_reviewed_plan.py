"""scripts/ci/reviewed-plan.sh: the plan reviewed on the pull request merged as this commit."""

from __future__ import annotations

from pathlib import Path

import pytest
from cirun import Step

RUNS = "repos/o/r/actions/workflows/plan.yml/runs?head_sha=head1111&status=success&per_page=1"
MERGED = [{"number": 12, "merged_at": "2026-12-06T10:00:00Z", "head": {"sha": "head1111"}}]


@pytest.fixture
def step(tmp_path: Path) -> Step:
    step = Step(tmp_path)
    artifact = tmp_path / "artifact"
    artifact.mkdir()
    (artifact / "plan.json").write_text("{}")
    step.world(
        api={
            "repos/o/r/commits/merge0000/pulls": MERGED,
            RUNS: {"workflow_runs": [{"id": 99}]},
        },
        artifacts={"99": {"triggersync-plan": str(artifact)}},
    )
    return step


def test_the_artifact_of_the_pull_requests_last_plan_run_is_found(step: Step) -> None:
    ran = step.run("reviewed-plan.sh")
    assert ran.returncode == 0, ran.stderr
    assert step.outputs() == {"pr": "12", "plan-file": "reviewed-plan/plan.json", "reason": ""}
    assert (step.work / "reviewed-plan" / "plan.json").read_text() == "{}"


def test_a_commit_no_pull_request_merged_has_no_plan(step: Step) -> None:
    step.world(api={**step.state["api"], "repos/o/r/commits/merge0000/pulls": []})
    assert step.run("reviewed-plan.sh").returncode == 0
    assert step.outputs() == {
        "pr": "",
        "plan-file": "",
        "reason": "no pull request was merged as merge0000, so no plan was reviewed for it",
    }


def test_an_open_pull_request_holding_the_commit_is_not_a_merged_one(step: Step) -> None:
    opened = [{**MERGED[0], "merged_at": None}]
    step.world(api={**step.state["api"], "repos/o/r/commits/merge0000/pulls": opened})
    step.run("reviewed-plan.sh")
    assert step.outputs()["pr"] == ""


def test_no_successful_plan_run_for_the_last_commit_has_no_plan(step: Step) -> None:
    step.world(api={**step.state["api"], RUNS: {"workflow_runs": []}})
    assert step.run("reviewed-plan.sh").returncode == 0
    assert step.outputs() == {
        "pr": "12",
        "plan-file": "",
        "reason": "no successful plan.yml run for the last commit of #12 (head1111)",
    }


def test_an_expired_artifact_has_no_plan(step: Step) -> None:
    step.world(artifacts={})
    assert step.run("reviewed-plan.sh").returncode == 0
    outputs = step.outputs()
    assert (outputs["pr"], outputs["plan-file"]) == ("12", "")
    assert "cannot be downloaded (expired?)" in outputs["reason"]


def test_the_workflow_and_artifact_names_can_be_changed(step: Step) -> None:
    state = step.state
    state["api"][RUNS.replace("plan.yml", "review.yml")] = state["api"].pop(RUNS)
    state["artifacts"]["99"]["the-plan"] = state["artifacts"]["99"].pop("triggersync-plan")
    step.world(**state)
    step.run("reviewed-plan.sh", PLAN_WORKFLOW="review.yml", PLAN_ARTIFACT="the-plan")
    assert step.outputs()["plan-file"] == "reviewed-plan/plan.json"
