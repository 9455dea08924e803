"""Acceptance checks of documented rules (docs/) that no other test pinned down."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import requests
from canned_http import Canned, canned_server
from clirun import Run

from triggersync.emulator.server import Emulator


def test_export_writes_a_live_dollar_brace_as_literal_so_it_round_trips(
    run: Run, emulator: Emulator, tmp_path: Path
) -> None:
    # docs/configuration.md#variables: `${NAME}` in any string value is a reference and `$${`
    # a literal `${`; export (adoption) must write live text so that planning against it
    # shows no changes.
    emulator.store.create(
        {
            "name": "Price ${X}",
            "description": "has ${VAR}, $${Z} and a lone ${",
            "enabled": 1,
            "definition": {
                "event": "chat_requested",
                "condition": ["and", ["eq", "@visitor_country_code", "US"]],
                "actions": [["sendMessageToVisitor", "Support", "Hi ${visitor}"]],
            },
        }
    )
    target = tmp_path / "live.yaml"
    assert run("export", "--out", str(target)).code == 0
    ran = run("plan", str(target))
    assert (ran.code, ran.stdout) == (0, "No changes.\n"), ran.stderr


DEEP_JSON = b"[" * 100_000 + b"]" * 100_000


def test_a_deeply_nested_list_answer_is_an_error_not_a_traceback(
    run: Run, config: Callable[[str], str]
) -> None:
    # docs/commands.md#conventions: no Python traceback reaches the user for any expected
    # failure (server errors).
    with canned_server(Canned(200, DEEP_JSON, {"Content-Type": "application/json"})) as (url, _):
        ran = run("plan", "--api-url", url, "--no-prune", config("triggers: []\n"))
    assert ran.code == 1
    assert "GET /triggers: the answer is not JSON" in ran.stderr


def test_a_deeply_nested_error_body_still_reports_the_status(
    run: Run, config: Callable[[str], str]
) -> None:
    with canned_server(Canned(400, DEEP_JSON, {"Content-Type": "application/json"})) as (url, _):
        ran = run("plan", "--api-url", url, config("triggers: []\n"))
    assert ran.code == 1
    assert "GET /triggers: HTTP 400" in ran.stderr


def test_emulator_answers_a_too_deeply_nested_body_with_400(
    emulator: Emulator, emulator_session: requests.Session
) -> None:
    # docs/emulator.md#answers: 400 with a JSON {"error": ...} for a bad body (it was a 500
    # and a traceback).
    body = b'{"name": "T", "definition": {"x": ' + DEEP_JSON[:40_000] + DEEP_JSON[-40_000:] + b"}}"
    response = emulator_session.post(
        f"{emulator.url}/triggers", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert "error" in response.json()
    assert emulator.store.list() == []


def test_export_of_a_too_deeply_nested_live_definition_is_an_error_not_a_traceback(
    run: Run,
) -> None:
    # docs/commands.md#conventions: no traceback for any expected failure; the JSON parses,
    # the YAML writer recurses.
    depth = 600
    live = b'[{"name": "A", "definition": {"event": "chat_requested", "condition": '
    live += b"[" * depth + b"]" * depth + b', "actions": []}}]'
    with canned_server(Canned(200, live, {"Content-Type": "application/json"})) as (url, _):
        ran = run("export", "--api-url", url)
    assert ran.code == 1
    assert 'not exported: "A": its definition nests deeper than 61 levels' in ran.stderr
