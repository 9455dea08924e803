"""Run a CI script (scripts/ci/) as a workflow step runs it: bash, a GitHub-like environment,
`gh` answered by fake_gh.py, and the real triggersync on PATH."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts" / "ci"
BIN = Path(sys.executable).parent


@dataclass
class Step:
    """One workflow step's world: a working folder, GitHub's files, and the fake gh's state."""

    work: Path
    env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        fake = self.work / ".fake-bin"
        fake.mkdir(parents=True, exist_ok=True)
        gh = fake / "gh"
        gh.write_text(
            f'#!/bin/sh\nexec {sys.executable} {Path(__file__).with_name("fake_gh.py")} "$@"\n'
        )
        gh.chmod(0o755)
        self.state_file.write_text(json.dumps({"api": {}}))
        self.output_file.touch()
        self.summary_file.touch()
        self.env = {
            "PATH": os.pathsep.join([str(fake), str(BIN), "/usr/bin", "/bin"]),
            "HOME": str(self.work),
            "FAKE_GH_STATE": str(self.state_file),
            "GH_TOKEN": "fake-token",
            "GITHUB_REPOSITORY": "o/r",
            "GITHUB_SHA": "merge0000",
            "GITHUB_OUTPUT": str(self.output_file),
            "GITHUB_STEP_SUMMARY": str(self.summary_file),
            "RUN_URL": "https://github.com/o/r/actions/runs/7",
            "TRIGGERS_DIR": "triggers",
            "TRIGGERSYNC_ACTION_PATH": str(ROOT),
            "NO_COLOR": "1",
            # The triggersync under test, when the tests run it from a path of their own.
            **({"PYTHONPATH": os.environ["PYTHONPATH"]} if "PYTHONPATH" in os.environ else {}),
            "TRIGGERSYNC_RETRY_DELAY": "0",
            **self.env,
        }

    @property
    def state_file(self) -> Path:
        return self.work / ".fake-gh.json"

    @property
    def output_file(self) -> Path:
        return self.work / ".github-output"

    @property
    def summary_file(self) -> Path:
        return self.work / ".step-summary.md"

    @property
    def state(self) -> dict[str, Any]:
        data = json.loads(self.state_file.read_text())
        assert isinstance(data, dict)
        return data

    def world(self, **changes: Any) -> None:
        self.state_file.write_text(json.dumps({**self.state, **changes}))

    def outputs(self) -> dict[str, str]:
        lines = self.output_file.read_text().splitlines()
        return dict(line.split("=", 1) for line in lines)

    def run(self, script: str, **env: str) -> subprocess.CompletedProcess[str]:
        # GitHub runs `run:` as `bash --noprofile --norc -eo pipefail {0}`; the templates' line
        # runs the script as a program, which sets its own options.
        line = f'"$TRIGGERSYNC_ACTION_PATH/scripts/ci/{script}"'
        return subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", line],
            cwd=self.work,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
