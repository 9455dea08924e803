"""A live trigger nested beyond what any configuration can declare is refused where it enters,
by name: the plan, the diff and the renderings would otherwise exhaust the stack."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from canned_http import Canned, canned_server
from run_cli import run_cli, write_config

from triggersync.engine.model import MAX_LIVE_DEPTH


def _nested(levels: int) -> dict[str, Any]:
    condition: Any = ["eq", "@visitor_name", "x"]
    for _ in range(levels):
        condition = ["and", condition]
    definition = {"event": "chat_requested", "condition": condition, "actions": []}
    return {"name": "Deep", "enabled": True, "definition": definition}


@pytest.mark.parametrize("levels", [500, 950])
@pytest.mark.parametrize("command", [["plan"], ["drift"], ["apply", "--force"]])
def test_a_live_definition_nested_hundreds_of_levels_is_one_clear_error(
    tmp_path: Path, command: list[str], levels: int
) -> None:
    config = write_config(tmp_path, "triggers: []\n")
    answer = Canned(200, json.dumps([_nested(levels)]).encode())
    with canned_server(answer, answer) as (url, _):
        code, _out, err = run_cli(*command, config, url=url)
    assert code == 1
    assert err.startswith("Error: ")  # the plan's bound, or JSON's nested too deeply
    assert err.count("\n") == 1


def test_a_live_definition_nested_beyond_the_bound_is_refused_by_name(tmp_path: Path) -> None:
    config = write_config(tmp_path, "triggers: []\n")
    answer = Canned(200, json.dumps([_nested(300)]).encode())
    with canned_server(answer) as (url, _):
        code, _out, err = run_cli("plan", config, url=url)
    assert code == 1
    assert err == (
        f'Error: the live trigger "Deep" nests deeper than {MAX_LIVE_DEPTH} levels, '
        "more than any configuration can declare; fix it in Zendesk\n"
    )


def test_an_ignored_live_definition_nested_beyond_the_bound_is_left_alone(tmp_path: Path) -> None:
    config = write_config(tmp_path, "triggers: []\nignore: ['*']\n")
    answer = Canned(200, json.dumps([_nested(300)]).encode())
    with canned_server(answer) as (url, _):
        code, out, _err = run_cli("plan", config, url=url)
    assert code == 0
    assert "No changes" in out


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_a_live_definition_at_the_bound_is_planned_and_shown(tmp_path: Path, fmt: str) -> None:
    config = write_config(tmp_path, "triggers: []\n")
    answer = Canned(200, json.dumps([_nested(MAX_LIVE_DEPTH - 2)]).encode())
    with canned_server(answer) as (url, _):
        code, out, err = run_cli("plan", config, "--format", fmt, url=url)
    assert (code, err) == (0, "")
    assert "Deep" in out
