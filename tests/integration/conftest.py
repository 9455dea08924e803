"""Drive the real CLI (in-process, via click's runner) against a real emulator over HTTP."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from clirun import Ran, Run

from triggersync.cli import cli
from triggersync.emulator.server import Emulator


@pytest.fixture
def env(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Exactly the variables a user would export to drive the emulator, nothing inherited."""
    for var in [
        "TRIGGERSYNC_TOKEN",
        "TRIGGERSYNC_CLIENT_ID",
        "TRIGGERSYNC_CLIENT_SECRET",
        "TRIGGERSYNC_EMAIL",
        "TRIGGERSYNC_PASSWORD",
        "TRIGGERSYNC_API_URL",
        "TRIGGERSYNC_SUBDOMAIN",
        "GITHUB_STEP_SUMMARY",
    ]:
        monkeypatch.delenv(var, raising=False)
    return {
        "TRIGGERSYNC_API_URL": emulator.url,
        "TRIGGERSYNC_EMAIL": "demo@example.com",
        "TRIGGERSYNC_PASSWORD": "demo-password",
        "TRIGGERSYNC_RETRY_DELAY": "0",  # retries stay real; only the waiting is skipped
    }


@pytest.fixture
def run(env: dict[str, str]) -> Run:
    def _run(*args: str, input: str | None = None, extra_env: dict[str, str] | None = None) -> Ran:
        result = CliRunner().invoke(cli, list(args), input=input, env={**env, **(extra_env or {})})
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception  # a traceback is a bug: fail the test with it
        return Ran(result.exit_code, result.stdout, result.stderr)

    return _run


@pytest.fixture
def config(tmp_path: Path) -> Callable[[str], str]:
    """Write a configuration file; returns its path."""

    def _write(text: str, name: str = "triggers.yaml") -> str:
        path = tmp_path / "config" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return str(path.parent)

    return _write
