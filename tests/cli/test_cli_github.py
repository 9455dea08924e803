"""GitHub integration: annotations, job summaries, the sticky comment, truncation, the action,
the workflow templates and the pre-commit hook. actionlint itself runs in `make test`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from triggersync.cli.main import cli
from triggersync.views.markdown import DRIFT_MARKER, PLAN_MARKER, truncate_markdown

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "github"
TEMPLATES = ROOT / "examples" / "github"
BIN = Path(sys.executable).parent

CONFIG = """\
triggers:
  - name: Good Trigger
    description: Visitor entered page
  - name: Better Trigger
    enabled: false
"""


def _load(path: Path) -> dict[str, Any]:
    # PyYAML reads a bare `on:` key as True (YAML 1.1); workflows mean the string "on".
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    if True in data:
        data["on"] = data.pop(True)
    return data


def _write_config(tmp_path: Path, text: str = CONFIG) -> Path:
    folder = tmp_path / "config"
    folder.mkdir(exist_ok=True)
    (folder / "triggers.yaml").write_text(text, encoding="utf-8")
    return folder


def _invoke(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, args, env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_validate_github_annotations_match_golden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    bad = tmp_path / "config" / "bad,file.yaml"
    bad.parent.mkdir()
    bad.write_text(
        "triggers:\n  - name: A\n    enabled: maybe\n    descripton: x\n  - id: 3\n",
        encoding="utf-8",
    )
    code, out, _ = _invoke(["validate", "config", "--format", "github"], {})
    assert code == 1
    assert out == (GOLDEN / "annotations.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(("command", "code"), [("plan", 0), ("drift", 2)])
def test_a_report_appends_its_markdown_to_the_step_summary(
    command: str, code: int, tmp_path: Path, emulator_env: dict[str, str]
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    folder = _write_config(tmp_path)
    env = {**emulator_env, "GITHUB_STEP_SUMMARY": str(summary)}
    ran, out, _ = _invoke([command, str(folder), "--format", "json"], env)
    assert ran == code
    assert out.startswith("{")  # stdout keeps the chosen format; the summary is markdown
    golden = (GOLDEN / f"step_summary_{command}.md").read_text(encoding="utf-8")
    assert summary.read_text(encoding="utf-8") == "earlier step\n" + golden


def test_markdown_plan_ends_with_the_marker_the_comment_script_looks_for(
    tmp_path: Path, emulator_env: dict[str, str]
) -> None:
    code, out, _ = _invoke(
        ["plan", str(_write_config(tmp_path)), "--format", "markdown"], emulator_env
    )
    assert code == 0
    assert out.splitlines()[-1] == PLAN_MARKER
    script = _load(TEMPLATES / "plan.yml")["jobs"]["comment"]["steps"][-1]["with"]["script"]
    assert f"const marker = '{PLAN_MARKER}';" in script
    assert "c.body.startsWith(marker)" in script
    assert "updateComment" in script


def test_huge_markdown_plan_is_cut_under_the_limit_with_a_note(
    tmp_path: Path, emulator_env: dict[str, str]
) -> None:
    # A create shows only its header, so long names make the plan long (~150,000 characters).
    triggers = "".join(f"  - name: Trigger {i:04} {'with a long name ' * 5}\n" for i in range(1500))
    folder = _write_config(tmp_path, f"triggers:\n{triggers}")
    args = ["plan", str(folder), "--format", "markdown", "--max-chars", "65000"]
    code, out, _ = _invoke(args, emulator_env)
    assert code == 0
    assert len(out) <= 65_000 < 65_536
    assert out.startswith("**Plan: 1500 to create")
    assert out.splitlines()[-1] == PLAN_MARKER
    note = re.search(r"plan truncated: ([\d,]+) more characters; see the", out)
    assert note is not None
    assert int(note.group(1).replace(",", "")) > 65_000  # the full plan is far longer
    assert out.count("```") % 2 == 0  # the diff block is closed
    assert out.rstrip().splitlines()[-5] == "</details>"


def test_truncate_markdown_leaves_short_text_alone() -> None:
    text = f"**No drift.**\n\n{DRIFT_MARKER}\n"
    assert truncate_markdown(text, 1000, what="report") is text


def test_max_chars_needs_markdown(tmp_path: Path, emulator_env: dict[str, str]) -> None:
    code, out, err = _invoke(
        ["drift", str(_write_config(tmp_path)), "--max-chars", "5000"], emulator_env
    )
    assert (code, out) == (1, "")
    assert "--max-chars applies to --format markdown only" in err


# --- the action -------------------------------------------------------------------------------


def test_action_is_composite_with_its_inputs_and_outputs() -> None:
    action = _load(ROOT / "action.yml")
    assert action["runs"]["using"] == "composite"
    assert {"command", "args", "allow-changes"} <= set(action["inputs"])
    assert action["inputs"]["command"]["required"] is True
    assert {"exit-code", "summary", "plan-file"} <= set(action["outputs"])
    steps = action["runs"]["steps"]
    ids = {step.get("id") for step in steps}
    for output in action["outputs"].values():
        step_id = re.fullmatch(r"\$\{\{ steps\.([\w-]+)\.outputs\.[\w-]+ \}\}", output["value"])
        assert step_id is not None
        assert step_id.group(1) in ids
    assert steps[0]["uses"].startswith("actions/setup-python@")
    assert "${{ github.action_path }}" in steps[1]["env"].values()


def test_action_scripts_take_inputs_only_through_the_environment() -> None:
    steps = _load(ROOT / "action.yml")["runs"]["steps"]
    scripts = [step for step in steps if "run" in step]
    assert scripts
    for step in scripts:
        assert step["shell"] == "bash"
        assert "${{" not in step["run"]  # an expression pasted into a script is an injection
        assert "set -x" not in step["run"]  # would echo the environment's values
    assert "secrets" not in yaml.safe_dump(steps)  # credentials come from the caller's env


def _action_script() -> str:
    steps = _load(ROOT / "action.yml")["runs"]["steps"]
    run_step = next(step for step in steps if step.get("id") == "run")
    script = run_step["run"]
    assert isinstance(script, str)
    return script


def _run_action(
    tmp_path: Path, command: str, args: str, allow: str, extra: dict[str, str]
) -> tuple[int, dict[str, str]]:
    outputs = tmp_path / "github_output"
    outputs.touch()
    env = {
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_OUTPUT": str(outputs),
        "GITHUB_RUN_ID": "1",
        "GITHUB_JOB": "plan",
        "TS_COMMAND": command,
        "TS_ARGS": args,
        "TS_ALLOW_CHANGES": allow,
        "NO_COLOR": "1",
        **extra,
    }
    # GitHub runs `shell: bash` as `bash --noprofile --norc -eo pipefail {0}`.
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", _action_script()],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    lines = outputs.read_text(encoding="utf-8").splitlines()
    return proc.returncode, dict(line.split("=", 1) for line in lines)


def test_action_passes_on_pending_changes_when_allowed(
    tmp_path: Path, emulator_env: dict[str, str]
) -> None:
    _write_config(tmp_path)
    args = "config --format markdown --out plan.json --detailed-exitcode"
    code, outputs = _run_action(tmp_path, "plan", args, "true", emulator_env)
    assert code == 0
    assert outputs["exit-code"] == "2"
    assert outputs["summary"] == "Plan: 2 to create, 0 to update, 0 to delete."
    assert outputs["plan-file"] == str(tmp_path / "plan.json")
    assert Path(outputs["output-file"]).read_text(encoding="utf-8").endswith(PLAN_MARKER + "\n")


def test_action_fails_on_pending_changes_by_default(
    tmp_path: Path, emulator_env: dict[str, str]
) -> None:
    _write_config(tmp_path)
    code, outputs = _run_action(tmp_path, "drift", "config", "false", emulator_env)
    assert code == 2
    assert outputs["exit-code"] == "2"
    assert outputs["plan-file"] == ""
    assert outputs["summary"].startswith("Drift: 0 changed in Zendesk, 2 missing from Zendesk")


# --- workflow templates -----------------------------------------------------------------------


def _action_steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        step
        for job in workflow["jobs"].values()
        for step in job["steps"]
        if step.get("uses", "").startswith("OWNER/triggersync@")
    ]


@pytest.mark.parametrize("name", ["plan.yml", "apply.yml", "drift.yml"])
def test_template_passes_only_inputs_the_action_declares(name: str) -> None:
    inputs = _load(ROOT / "action.yml")["inputs"]
    required = {key for key, spec in inputs.items() if spec.get("required")}
    steps = _action_steps(_load(TEMPLATES / name))
    assert steps
    for step in steps:
        assert required <= set(step["with"]) <= set(inputs)


@pytest.mark.parametrize("name", ["plan.yml", "apply.yml", "drift.yml"])
def test_template_paths_exist_in_this_repository(name: str) -> None:
    workflow = _load(TEMPLATES / name)
    assert (ROOT / workflow["env"]["TRIGGERS_DIR"]).is_dir()
    for env_name in ("sandbox", "production"):
        assert (ROOT / workflow["env"]["VARS_DIR"] / f"{env_name}.yaml").is_file()
    for step in _action_steps(workflow):
        if step["with"]["command"] != "fmt":  # the layout is the same for every account
            assert (
                "--vars ${{ env.VARS_DIR }}/${{ matrix.environment }}.yaml" in step["with"]["args"]
            )


@pytest.mark.parametrize("name", ["plan.yml", "apply.yml", "drift.yml"])
def test_template_names_its_folders_once_in_env(name: str) -> None:
    workflow = _load(TEMPLATES / name)
    assert "examples/" not in yaml.safe_dump(workflow["jobs"])
    assert set(workflow["env"]) <= {"TRIGGERS_DIR", "SCENARIOS_DIR", "VARS_DIR"}


@pytest.mark.parametrize("name", ["plan.yml", "apply.yml", "drift.yml"])
def test_each_job_installs_triggersync_once(name: str) -> None:
    for job in _load(TEMPLATES / name)["jobs"].values():
        steps = [s for s in job["steps"] if s.get("uses", "").startswith("OWNER/triggersync@")]
        if steps:
            installing = [s for s in steps if s["with"].get("install", True) is not False]
            assert installing == steps[:1]


def test_action_skips_setup_and_install_when_told() -> None:
    action = _load(ROOT / "action.yml")
    assert action["inputs"]["install"]["default"] == "true"
    setup, install = action["runs"]["steps"][:2]
    assert setup["if"] == install["if"] == "${{ inputs.install != 'false' }}"
    assert "if" not in action["runs"]["steps"][2]


@pytest.mark.parametrize(
    "path",
    [
        "action.yml",
        ".pre-commit-hooks.yaml",
        "README.md",
        "examples/github/plan.yml",
        "examples/github/apply.yml",
        "examples/github/drift.yml",
    ],
)
def test_pins_name_a_ref_a_user_has_and_say_how_to_get_it(path: str) -> None:
    text = (ROOT / path).read_text(encoding="utf-8")
    assert "@v1" not in text
    assert "v0.1.0" not in text
    assert "FULL_COMMIT_SHA" in text
    assert "git ls-remote https://github.com/OWNER/triggersync HEAD" in " ".join(
        line.lstrip("# ") for line in text.splitlines()
    )


@pytest.mark.parametrize("name", ["plan.yml", "drift.yml"])
def test_read_token_templates_say_how_to_get_one(name: str) -> None:
    text = " ".join(
        line.lstrip("# ") for line in (TEMPLATES / name).read_text(encoding="utf-8").splitlines()
    )
    assert "Add API client" in text
    assert "scope=read" in text
    assert "same client credentials as apply.yml" in text


def test_plan_template_validates_then_plans_without_failing_on_changes() -> None:
    workflow = _load(TEMPLATES / "plan.yml")
    assert set(workflow["on"]) == {"pull_request"}
    assert workflow["on"]["pull_request"]["paths"]
    validate, fmt, test, plan = _action_steps(workflow)
    assert "--format github" in validate["with"]["args"]
    assert fmt["with"]["command"] == "fmt"
    assert fmt["with"]["args"] == "--check --diff ${{ env.TRIGGERS_DIR }}"
    assert test["with"]["command"] == "test"
    assert "--scenarios ${{ env.SCENARIOS_DIR }} --format github" in test["with"]["args"]
    assert (ROOT / workflow["env"]["SCENARIOS_DIR"]).is_dir()
    assert "--format markdown" in plan["with"]["args"]
    assert "--out plan.json" in plan["with"]["args"]
    assert plan["with"]["allow-changes"] is True
    matrix = workflow["jobs"]["plan"]["strategy"]["matrix"]["include"]
    assert [entry["environment"] for entry in matrix] == ["sandbox", "production"]


def test_apply_template_never_overlaps_and_uses_a_protected_environment() -> None:
    workflow = _load(TEMPLATES / "apply.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    job = workflow["jobs"]["apply"]
    assert job["concurrency"]["cancel-in-progress"] is False
    assert job["environment"] == "${{ matrix.environment }}"
    assert job["strategy"]["matrix"]["environment"] == ["sandbox", "production"]
    (apply,) = _action_steps(workflow)
    assert apply["with"]["args"].endswith("--yes")
    assert "GITHUB_STEP_SUMMARY" in job["steps"][-1]["run"]


def test_drift_template_runs_nightly_and_manages_one_issue() -> None:
    workflow = _load(TEMPLATES / "drift.yml")
    assert set(workflow["on"]) == {"schedule", "workflow_dispatch"}
    (drift,) = _action_steps(workflow)
    assert "--format markdown" in drift["with"]["args"]
    assert drift["with"]["allow-changes"] is True
    script = workflow["jobs"]["drift"]["steps"][-1]["with"]["script"]
    assert "const label = 'triggersync-drift';" in script
    assert "state: 'closed'" in script
    assert "issues.create(" in script


def test_project_ci_runs_make_test_on_every_supported_python() -> None:
    job = _load(ROOT / ".github" / "workflows" / "ci.yml")["jobs"]["test"]
    assert job["strategy"]["matrix"]["python-version"] == ["3.10", "3.11", "3.12", "3.13"]
    assert "make test" in job["steps"][-1]["run"]


# --- pre-commit -------------------------------------------------------------------------------


def test_pre_commit_hook_validates_yaml_files() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook, _ = hooks
    assert hook["id"] == "triggersync-validate"
    assert hook["language"] == "python"
    assert hook["entry"] == "triggersync validate"
    assert re.search(hook["files"], "triggers/chat.yaml")
    assert re.search(hook["files"], "triggers/chat.yml")
    assert not re.search(hook["files"], "README.md")
    assert isinstance(hook["pass_filenames"], bool)


def test_pre_commit_hook_checks_the_layout_without_rewriting() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    _, hook = hooks
    assert hook["id"] == "triggersync-fmt"
    assert hook["entry"] == "triggersync fmt --check"
    assert re.search(hook["files"], "triggers/chat.yaml")
    assert hook["pass_filenames"] is True


def test_pre_commit_entry_accepts_file_names(tmp_path: Path) -> None:
    folder = _write_config(tmp_path)
    code, out, _ = _invoke(["validate", str(folder / "triggers.yaml")], {})
    assert (code, out) == (0, "2 triggers in 1 file are valid.\n")


def test_validate_github_shows_warnings_as_warning_annotations(tmp_path: Path) -> None:
    text = (
        "triggers:\n  - name: A\n    definition:\n      event: page_enter\n"
        '      condition: ["eq", "@visitor_country_code", "US"]\n'
        '      actions: [["sendSmokeSignal", "x"]]\n'
    )
    folder = _write_config(tmp_path, text)
    code, out, err = _invoke(["validate", str(folder), "--format", "github"], {})
    assert code == 0
    assert out.startswith(f"::warning file={folder / 'triggers.yaml'},line=6,")
    assert "sendSmokeSignal" in out.splitlines()[0]
    assert err == ""
