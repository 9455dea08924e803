"""-v, -q and --no-color: one Console per run, set by the options wherever they stand."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from triggersync.cli.console import Console, pass_console
from triggersync.cli.main import cli
from triggersync.cli.options import console_options

REQUEST_LINE = re.compile(r"^GET /triggers 200 ", re.M)


@pytest.fixture
def config(tmp_path: Path) -> str:
    path = tmp_path / "triggers.yaml"
    path.write_text("triggers:\n  - name: A\n", encoding="utf-8")
    return str(path)


def test_the_options_set_the_console_the_command_is_handed() -> None:
    handed: list[Console] = []

    @click.command()
    @console_options
    @pass_console
    def probe(console: Console) -> None:
        handed.append(console)

    result = CliRunner().invoke(probe, ["--no-color", "-vv", "-q"])
    assert result.exit_code == 0, result.output
    assert handed == [Console(verbose=2, quiet=True, no_color=True)]


def test_quiet_after_the_command_name_keeps_stderr_to_errors(
    config: str, tmp_path: Path, emulator_env: dict[str, str]
) -> None:
    out = tmp_path / "plan.json"
    result = CliRunner().invoke(cli, ["plan", config, "--out", str(out), "-q"], env=emulator_env)
    assert result.exit_code == 0
    assert out.exists()
    assert result.stderr == ""  # no "Saved the plan to ..." note


def test_quiet_wins_over_verbose(config: str, emulator_env: dict[str, str]) -> None:
    result = CliRunner().invoke(cli, ["plan", config, "-v", "-q"], env=emulator_env)
    assert result.exit_code == 0
    assert not REQUEST_LINE.search(result.stderr)
