"""Run the real CLI in-process (click's runner) against an API URL with demo credentials."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from canned_http import Canned
from click.testing import CliRunner

from triggersync.cli.main import cli

DEMO_CREDENTIALS = {
    "TRIGGERSYNC_EMAIL": "demo@example.com",
    "TRIGGERSYNC_PASSWORD": "demo-password",
}


def run_cli(*args: str, url: str, env: Mapping[str, str] | None = None) -> tuple[int, str, str]:
    """(exit code, stdout, stderr); a traceback is a bug, so it fails the test."""
    full_env = {"TRIGGERSYNC_API_URL": url, **DEMO_CREDENTIALS, **(env or {})}
    result = CliRunner().invoke(cli, list(args), env=full_env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def listing(live: list[dict[str, Any]]) -> Canned:
    """An answer to GET /triggers: these live triggers."""
    return Canned(200, json.dumps(live).encode())


def write_config(tmp_path: Path, text: str) -> str:
    """A configuration file in a folder of its own; returns the file's path."""
    path = tmp_path / "config" / "triggers.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    return str(path)
