"""docs/emulator.md against the command itself: the options table lists exactly the options
`triggersync emulator --help` offers, and the start-up lines are what it prints."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from triggersync.cli.main import cli
from triggersync.emulator.command import banner_lines
from triggersync.emulator.server import Credentials

DOC = Path(__file__).resolve().parents[2] / "docs" / "emulator.md"


def _section(title: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def documented_options() -> set[str]:
    """Every option named in the first column of the Options table."""
    rows = [line for line in _section("Options").splitlines() if line.startswith("| `")]
    assert rows
    return {name for row in rows for name in re.findall(r"`(-[-\w]+)", row.split(" | ")[0])}


def offered_options() -> set[str]:
    """Every option `triggersync emulator --help` lists, as a user reads it."""
    result = CliRunner().invoke(cli, ["emulator", "--help"])
    assert result.exit_code == 0
    options = result.stdout.split("\nOptions:\n", 1)[1]
    # An option line starts with its names (and metavar); the help follows after 2+ spaces.
    heads = [re.split(r"\s{2,}", line.strip())[0] for line in options.splitlines()]
    return {
        name
        for head in heads
        if head.startswith("-")
        for name in re.findall(r"(?<![\w-])(-{1,2}[\w-]+)", head)
    }


def test_every_option_offered_is_documented() -> None:
    assert offered_options() - documented_options() == set()


def test_every_option_documented_is_offered() -> None:
    assert documented_options() - offered_options() == set()


def test_the_documented_start_up_lines_are_what_it_prints() -> None:
    text = DOC.read_text(encoding="utf-8")
    block = text.split("At start it prints", 1)[1].split("```\n", 2)[1]
    printed = banner_lines("http://127.0.0.1:8080/api/v2/chat", Credentials())
    assert block.splitlines() == printed
