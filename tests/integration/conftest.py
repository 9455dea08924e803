"""Drive the real CLI (in-process, via click's runner) against a real emulator over HTTP."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from clirun import Ran, Run

from triggersync.cli.main import cli


@pytest.fixture
def env(emulator_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Exactly the variables a user would export to drive the emulator, nothing inherited
    (the autouse `clean_env` has already removed every inherited TRIGGERSYNC_* variable)."""
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    # Retries stay real; only the waiting is skipped.
    return {**emulator_env, "TRIGGERSYNC_RETRY_DELAY": "0"}


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


@pytest.fixture
def project_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Writes triggersync.yaml in a working directory of its own, and run from there."""
    folder = tmp_path / "project"
    folder.mkdir()
    monkeypatch.chdir(folder)

    def _write(text: str) -> None:
        (folder / "triggersync.yaml").write_text(text, encoding="utf-8")

    return _write
