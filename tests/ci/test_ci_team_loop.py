"""The team loop, end to end against the emulator, with the templates' own commands and
scripts: plan on a pull request -> saved plan -> a dashboard edit between review and merge ->
the merge applies nothing and publishes the fresh plan on the merged pull request."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml
from cirun import ROOT, Step

from triggersync.emulator.server import Emulator

TEMPLATES = ROOT / "examples" / "github"
RUNS = "repos/o/r/actions/workflows/plan.yml/runs?head_sha=head1111&status=success&per_page=1"


def template(name: str) -> dict[str, Any]:
    data = yaml.safe_load((TEMPLATES / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def action_args(workflow: dict[str, Any], command: str) -> list[str]:
    """The args the template gives the action for `command`, with its env filled in."""
    (step,) = [
        step
        for job in workflow["jobs"].values()
        for step in job["steps"]
        if step.get("with", {}).get("command") == command
    ]
    args = str(step["with"]["args"])
    for name, value in workflow["env"].items():
        args = args.replace(f"${{{{ env.{name} }}}}", value)
    return args.split()


def run_action(step: Step, command: str, args: list[str]) -> dict[str, str]:
    """The action's own run script, as the template's step runs it."""
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    script = next(s for s in action["runs"]["steps"] if s.get("id") == "run")["run"]
    step.output_file.write_text("")
    subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=step.work,
        env={
            **step.env,
            "RUNNER_TEMP": str(step.work),
            "GITHUB_RUN_ID": "1",
            "GITHUB_JOB": "plan",
            "TS_COMMAND": command,
            "TS_ARGS": " ".join(args),
            "TS_ALLOW_CHANGES": "true",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return step.outputs()


def test_a_dashboard_edit_between_review_and_merge_applies_nothing_and_is_published(
    tmp_path: Path, emulator: Emulator, emulator_env: dict[str, str]
) -> None:
    for name in ("Welcome", "Pricing"):
        emulator.store.create({"name": name, "description": "live", "enabled": 1})
    triggers = tmp_path / "triggers"
    triggers.mkdir()
    (triggers / "chat.yaml").write_text(
        "triggers:\n  - name: Welcome\n    description: reviewed on the pull request\n"
        "  - name: Pricing\n    description: live\n"
    )
    step = Step(tmp_path, dict(emulator_env))

    # The pull request: plan.yml's plan step, then its artifact.
    outputs = run_action(step, "plan", action_args(template("plan.yml"), "plan"))
    assert outputs["exit-code"] == "2"
    artifact = tmp_path / "artifact-store"
    artifact.mkdir()
    shutil.copy(outputs["plan-file"], artifact / "plan.json")

    # Between review and merge, someone edits a trigger in the Zendesk dashboard.
    emulator.store.update("Pricing", {"enabled": 0})
    emulator.reset_stats()

    # The merge: apply.yml's two script steps, the second fed by the first.
    step.world(
        api={
            "repos/o/r/commits/merge0000/pulls": [
                {"number": 12, "merged_at": "2026-12-06T10:00:00Z", "head": {"sha": "head1111"}}
            ],
            RUNS: {"workflow_runs": [{"id": 99}]},
        },
        artifacts={"99": {"triggersync-plan": str(artifact)}},
    )
    step.output_file.write_text("")
    assert step.run("reviewed-plan.sh").returncode == 0
    found = step.outputs()
    assert found["plan-file"] == "reviewed-plan/plan.json"
    ran = step.run(
        "apply-reviewed.sh", PLAN_FILE=found["plan-file"], REASON=found["reason"], PR=found["pr"]
    )

    assert ran.returncode == 1
    stats = emulator.stats()
    assert stats["create"] + stats["update"] + stats["delete"] == 0
    assert emulator.store.get("Welcome")["description"] == "live"
    (comment,) = step.state["comments"]
    assert comment["pr"] == "12"
    assert '"Pricing" only in the fresh plan (update)' in comment["body"]
    assert "**Plan: 0 to create, 2 to update, 0 to delete.**" in comment["body"]
    assert os.path.getsize(step.summary_file) > 0
