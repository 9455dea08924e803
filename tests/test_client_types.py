"""The client's own comparisons use JSON's equality: after a create whose outcome was unknown,
a live trigger counts as the one just made only when it holds what was sent."""

from __future__ import annotations

import json
from typing import Any

import pytest
from canned_http import Canned, canned_server
from requests.auth import HTTPBasicAuth

from triggersync.api.client import Client
from triggersync.api.retry import RetryPolicy
from triggersync.engine.model import Trigger
from triggersync.errors import ApiError


def _definition(*action: Any) -> dict[str, Any]:
    return {"event": "page_enter", "condition": ["and"], "actions": [list(action)]}


def _create_after_a_502(sent: dict[str, Any], live: dict[str, Any]) -> Trigger:
    """POST answered 502 (outcome unknown), then the look-up finds a trigger holding `live`."""
    found = {"id": 7, "name": "T", "description": "", "enabled": 1, "definition": live}
    responses = (Canned(502, b"{}"), Canned(200, json.dumps(found).encode()))
    body = {"name": "T", "description": "", "enabled": 1, "definition": sent}
    policy = RetryPolicy(max_attempts=3, base_delay=0.0, max_delay=0.0)
    with (
        canned_server(*responses) as (url, _),
        Client(url, HTTPBasicAuth("u", "p"), policy=policy, sleep=lambda _: None) as client,
    ):
        return client.create(body)


def test_a_live_1_where_true_was_sent_is_other_content() -> None:
    sent, live = _definition("setTriggered", True), _definition("setTriggered", 1)
    with pytest.raises(ApiError, match="other content"):
        _create_after_a_502(sent, live)


def test_a_live_1_0_where_1_was_sent_is_the_trigger_just_made() -> None:
    sent, live = _definition("wait", 1), _definition("wait", 1.0)
    assert _create_after_a_502(sent, live).name == "T"
