"""The GitHub Action runs `triggersync test`: its summary output is the scenarios' summary line,
and a failing scenario fails the step."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CONFIG = "triggers:\n  - name: Route DACH\n    definition:\n      event: chat_requested\n" + (
    '      condition: [eq, "@visitor_country_code", DE]\n      actions: [[addTag, dach]]\n'
)
SCENARIO = """\
scenarios:
  - name: German visitor
    event: chat_requested
    visitor: {visitor_country_code: COUNTRY}
    expect: {fires: [Route DACH]}
"""


def _run_action(tmp_path: Path, country: str) -> tuple[int, dict[str, str]]:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "triggers.yaml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "scenarios.yaml").write_text(SCENARIO.replace("COUNTRY", country), "utf-8")
    outputs = tmp_path / "github_output"
    outputs.touch()
    steps = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))["runs"]["steps"]
    script = next(step for step in steps if step.get("id") == "run")["run"]
    env = {
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_OUTPUT": str(outputs),
        "GITHUB_RUN_ID": "1",
        "GITHUB_JOB": "test",
        "TS_COMMAND": "test",
        "TS_ARGS": "config --scenarios scenarios.yaml --format github",
        "TS_ALLOW_CHANGES": "false",
    }
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    lines = outputs.read_text(encoding="utf-8").splitlines()
    return proc.returncode, dict(line.split("=", 1) for line in lines)


def test_passing_scenarios_pass_the_step_with_their_summary(tmp_path: Path) -> None:
    code, outputs = _run_action(tmp_path, "DE")
    assert (code, outputs["exit-code"]) == (0, "0")
    assert outputs["summary"] == "Scenarios: 1 passed, 0 failed."


def test_a_failing_scenario_fails_the_step(tmp_path: Path) -> None:
    code, outputs = _run_action(tmp_path, "AT")
    assert (code, outputs["exit-code"]) == (1, "1")
    assert outputs["summary"] == "Scenarios: 0 passed, 1 failed."
