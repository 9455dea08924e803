"""A live trigger nested beyond what any configuration can declare is refused where it enters,
by name: the plan, the diff and the renderings would otherwise exhaust the stack."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from canned_http import Canned, canned_server
from run_cli import run_cli, write_config

from triggersync.api.answers import MAX_LIVE_DEPTH


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
    assert err.startswith("Error: GET /triggers: ")  # one line, whichever bound met it first
    assert err.count("\n") == 1


def test_a_live_definition_nested_beyond_the_bound_is_refused_by_name(tmp_path: Path) -> None:
    config = write_config(tmp_path, "triggers: []\n")
    answer = Canned(200, json.dumps([_nested(300)]).encode())
    with canned_server(answer) as (url, _):
        code, _out, err = run_cli("plan", config, url=url)
    assert code == 1
    assert err == (
        f'Error: GET /triggers: the trigger "Deep" nests deeper than {MAX_LIVE_DEPTH} levels, '
        "more than any configuration can declare; fix it in Zendesk\n"
    )


def test_a_live_definition_within_the_bound_is_planned(tmp_path: Path) -> None:
    config = write_config(tmp_path, "triggers: []\nignore: ['*']\n")
    answer = Canned(200, json.dumps([_nested(MAX_LIVE_DEPTH - 4)]).encode())
    with canned_server(answer) as (url, _):
        code, out, _err = run_cli("plan", config, url=url)
    assert code == 0
    assert "No changes" in out
