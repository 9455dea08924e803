"""The README stays true to the code: schema properties, commands, and the set-up commands."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import click
import pytest

from triggersync.cli.main import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, re.M | re.S)
    assert match is not None, title
    return match.group(1)


def _properties(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = set(node.get("properties", {}))
        return found.union(*(_properties(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_properties(value) for value in node))
    return set()


def test_setup_commands_come_first() -> None:
    first_block = README.split("```")[1]
    assert "make demo" in first_block
    assert "make test" in first_block


def test_file_format_section_mentions_every_schema_property() -> None:
    schema = json.loads((ROOT / "schemas" / "triggersync.schema.json").read_text("utf-8"))
    properties = _properties(schema)
    assert {"triggers", "name", "renamed_from", "event"} <= properties
    section = _section("File format")
    assert {p for p in properties if f"`{p}`" not in section} == set()


@pytest.mark.parametrize("command", sorted(cli.list_commands(click.Context(cli))))
def test_commands_section_lists_each_command_and_its_options(command: str) -> None:
    section = _section("Commands") + _section("The emulator")
    assert f"`triggersync {command}" in section
    sub = cli.get_command(click.Context(cli), command)
    assert sub is not None
    common = {"--help", "--verbose", "--quiet", "--no-color"}
    for param in sub.params:
        for option in param.opts:
            if option.startswith("--") and option not in common:
                assert option in section, f"{command} {option}"


@pytest.mark.parametrize(
    "path", ["action.yml", "examples/github/plan.yml", "examples/github/apply.yml"]
)
def test_linked_files_exist(path: str) -> None:
    assert f"]({path})" in README
    assert (ROOT / path).is_file()
