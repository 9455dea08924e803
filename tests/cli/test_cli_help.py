"""Terminal manners: every command explains itself with an example; results go to stdout,
warnings and errors to stderr."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from triggersync.cli.main import cli

COMMANDS = [
    "validate",
    "fmt",
    "plan",
    "apply",
    "drift",
    "export",
    "adopt",
    "schema",
    "emulator",
    "explain",
    "simulate",
    "test",
    "unlock",
    "show",
]

ODD_CONFIG = """\
triggers:
  - name: Odd
    definition:
      event: chat_requested
      condition: [and, [eq, "@visitor_country_code", US]]
      actions: [[frobnicate, 1]]
"""


def test_every_command_is_listed() -> None:
    assert set(COMMANDS) == set(cli.list_commands(click.Context(cli)))


@pytest.mark.parametrize("command", COMMANDS)
def test_help_exits_0_with_an_example(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.stdout
    assert f"  triggersync {command} " in result.stdout
    assert result.stderr == ""


def test_an_unknown_command_is_a_usage_error_exit_1() -> None:
    result = CliRunner().invoke(cli, ["plna"])
    assert result.exit_code == 1
    assert "No such command 'plna'" in result.stderr


def test_top_level_help_shows_an_example() -> None:
    result = CliRunner().invoke(cli, ["-h"])
    assert result.exit_code == 0
    assert "Example:\n    triggersync validate" in result.stdout


def test_plan_json_on_stdout_stays_clean_despite_warnings(
    tmp_path: Path, emulator_env: dict[str, str]
) -> None:
    (tmp_path / "odd.yaml").write_text(ODD_CONFIG, encoding="utf-8")
    result = CliRunner().invoke(cli, ["plan", str(tmp_path), "--format", "json"], env=emulator_env)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["summary"] == {"create": 1, "update": 0, "delete": 0}
    assert "warning:" in result.stderr
    assert "unknown action 'frobnicate'" in result.stderr


def test_errors_go_to_stderr_only(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("triggers:\n  - id: 1\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "id is read-only" in result.stderr


@pytest.mark.parametrize(
    ("command", "exit_codes"),
    [
        ("plan", "Exit codes: 0 ok; with --detailed-exitcode 0 no changes, 2 changes; 1 error."),
        ("apply", "Exit codes: 0 applied or nothing to do; 1 any failure or refusal;"),
        ("drift", "Exit codes: 0 no drift; 2 drift; 1 error."),
        ("export", "Exit codes: 0 ok; 1 error, or a trigger left out."),
        (
            "adopt",
            "Exit codes: 0 adopted (or nothing to adopt); with --diff 0 nothing to adopt, 2 "
            "something; 1 error, or a trigger not adopted.",
        ),
        ("explain", "Exit codes: 0 ok; 1 error (with --live only)."),
    ],
)
def test_help_of_a_command_that_talks_to_the_api_names_credentials_and_exit_codes(
    command: str, exit_codes: str
) -> None:
    result = CliRunner().invoke(cli, [command, "--help"], terminal_width=100)
    assert result.exit_code == 0
    for variable in (
        "TRIGGERSYNC_TOKEN",
        "TRIGGERSYNC_CLIENT_ID + TRIGGERSYNC_CLIENT_SECRET",
        "TRIGGERSYNC_EMAIL + TRIGGERSYNC_PASSWORD",
        "TRIGGERSYNC_API_URL",
        "TRIGGERSYNC_SUBDOMAIN",
    ):
        assert variable in result.stdout
    assert exit_codes in result.stdout


def test_drift_help_says_what_its_json_is() -> None:
    result = CliRunner().invoke(cli, ["drift", "--help"], terminal_width=200)
    assert "the changes an apply would make" in " ".join(result.stdout.split())


def test_help_names_the_token_url_and_no_retired_default() -> None:
    result = CliRunner().invoke(cli, ["plan", "--help"], terminal_width=100)
    assert "/oauth2/chat/token" in result.stdout
    assert "zopim" not in result.stdout
    assert "one of them is required" in result.stdout
