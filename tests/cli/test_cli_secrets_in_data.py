"""A credential a hostile server echoes inside trigger data (a live trigger's name or
description) reaches no output, log, plan file, export or job summary: every path the CLI
writes through masks the run's secrets (docs/safety.md#credentials).

The server is a real loopback server that lists such triggers; the CLI's password is
DEMO_CREDENTIALS' (run_cli), which the listing repeats in several of its forms.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from canned_http import Canned, canned_server, locked
from run_cli import DEMO_CREDENTIALS, listing, write_config
from run_cli import run_cli as run

PASSWORD = DEMO_CREDENTIALS["TRIGGERSYNC_PASSWORD"]
BASIC = base64.b64encode(f"{DEMO_CREDENTIALS['TRIGGERSYNC_EMAIL']}:{PASSWORD}".encode()).decode()
LIVE = [
    {"id": 1, "name": "Welcome", "description": f"old {PASSWORD} text", "enabled": 1},
    {"id": 2, "name": f"Leak {PASSWORD}", "description": f"auth {BASIC}", "enabled": 1},
]
# Updates Welcome's description (so the plan shows the old one) and prunes the other.
CONFIG = "triggers:\n  - name: Welcome\n    description: hello\n"
UPDATED = json.dumps({"id": 1, "name": "Welcome", "description": "hello", "enabled": 1})

COMMANDS = {
    "plan-text": ["plan", "{config}"],
    "plan-markdown": ["plan", "{config}", "--format", "markdown"],
    "plan-json": ["plan", "{config}", "--format", "json"],
    "plan-out": ["plan", "{config}", "--out", "{out}/plan.json"],
    "drift-text": ["drift", "{config}"],
    "drift-json": ["drift", "{config}", "--format", "json"],
    "apply": ["apply", "{config}", "--yes", "-v"],
    "export-stdout": ["export"],
    "export-file": ["export", "--out", "{out}/live.yaml"],
    "export-dir": ["export", "--out", "{out}/live/"],
}


def everything_written(root: Path) -> str:
    """The names and the contents of every file under `root`."""
    files = sorted(path for path in root.rglob("*") if path.is_file())
    return "".join(f"{path.name}\n{path.read_text(encoding='utf-8')}" for path in files)


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_a_credential_in_live_trigger_data_appears_nowhere(
    tmp_path: Path, command: list[str]
) -> None:
    out = tmp_path / "written"
    out.mkdir()
    config = write_config(tmp_path, CONFIG)
    args = [arg.format(config=config, out=out) for arg in command]
    env = {"GITHUB_STEP_SUMMARY": str(out / "summary.md")}
    # The same answer to the update and the delete, whichever comes first.
    script = locked(listing(LIVE), *[Canned(200, UPDATED.encode())] * 2)
    if command[0] != "apply":
        script = script[:1]
    with canned_server(*script) as (url, _):
        code, stdout, stderr = run(*args, url=url, env=env)
    assert code in (0, 2), stderr
    seen = stdout + stderr + everything_written(out)
    assert "***" in seen  # the data was shown, masked
    assert PASSWORD not in seen
    assert BASIC not in seen


def test_export_says_which_trigger_it_wrote_masked(tmp_path: Path) -> None:
    with canned_server(listing(LIVE)) as (url, _):
        code, _, stderr = run("export", "--out", str(tmp_path / "live"), url=url)
    assert code == 0
    assert stderr.count("holds a credential of this run") == 2
    assert 'warning: the live trigger "Leak ***" holds a credential of this run' in stderr
