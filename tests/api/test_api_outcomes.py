"""A write whose answer is lost or unreadable is looked up, never blindly sent again: the live
trigger counts as written only when it holds what was sent (compared as JSON compares)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from api_clients import MADE, basic_client, emulator_client, fast_forward
from canned_http import Canned, canned_server

from triggersync.api.client import Client
from triggersync.api.retry import RetryPolicy
from triggersync.emulator.server import Emulator
from triggersync.engine.model import Trigger
from triggersync.errors import ApiError, TransportError

BODY = {"name": "T", "description": "d", "enabled": 1}
MISSING = Canned(404, b'{"error": "no trigger named T"}')
GARBAGE = Canned(201, b"<html>Created!</html>", {"Content-Type": "text/html"})

# -- against the emulator: it stores the write, then answers 502 --------------------------------


def test_a_create_that_commits_then_fails_is_not_sent_twice(emulator: Emulator) -> None:
    emulator.faults.fail_after_commit_rate = 1.0
    with emulator_client(emulator) as client:
        created = client.create(BODY)
    assert created.name == "T"
    assert [t["name"] for t in emulator.store.list()] == ["T"]
    assert emulator.stats()["create"] == 1


def test_a_delete_that_commits_then_fails_succeeds_on_retry(emulator: Emulator) -> None:
    emulator.store.create(BODY)
    emulator.faults.fail_after_commit_rate = 1.0
    with emulator_client(emulator) as client:
        client.delete("T")
    assert emulator.store.list() == []


def test_a_rename_that_commits_then_fails_succeeds_on_retry(emulator: Emulator) -> None:
    emulator.store.create({"name": "Old", "description": "d", "enabled": 1})
    emulator.faults.fail_after_commit_rate = 1.0
    with emulator_client(emulator) as client:
        renamed = client.update("Old", {"name": "New"})
    assert renamed.name == "New"


# -- against canned servers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "lost",
    [Canned(502, b"{}"), Canned(201, MADE, trickle=0.05)],
    ids=["502", "trickled-past-the-time-bound"],
)
def test_a_create_whose_answer_is_lost_is_looked_up_not_sent_again(lost: Canned) -> None:
    with (
        canned_server(lost, Canned(200, MADE)) as (api, script),
        basic_client(api, timeout=1) as client,
    ):
        assert client.create(BODY).name == "T"
    assert [method for method, _ in script.seen] == ["POST", "GET"]


def test_a_create_whose_name_now_has_other_content_is_an_error_not_a_duplicate() -> None:
    other = json.dumps({"id": 7, "name": "T", "description": "someone else's", "enabled": 1})
    with (
        fast_forward(Canned(502, b"{}"), Canned(200, other.encode())) as (client, script, _),
        pytest.raises(ApiError, match="other content"),
    ):
        client.create(BODY)
    assert [method for method, _ in script.seen] == ["POST", "GET"]


def test_a_create_that_surely_did_not_happen_is_sent_again() -> None:
    with fast_forward(Canned(502, b"{}"), MISSING, Canned(201, MADE)) as (client, script, _):
        assert client.create(BODY).name == "T"
    assert [method for method, _ in script.seen] == ["POST", "GET", "POST"]


def test_a_create_keeps_to_one_time_bound_across_look_ups_and_re_sends() -> None:
    # Every POST answers 502 (outcome unknown) and every look-up 404 (absent): without one
    # bound for the whole create, it would re-send up to max_attempts times.
    answers = [Canned(502, b"{}"), Canned(404, b'{"error": "not found"}')] * 25
    patient_but_brief = RetryPolicy(max_attempts=50, base_delay=0.0, max_total=0.0)
    with (
        canned_server(*answers) as (url, script),
        basic_client(url, policy=patient_but_brief) as client,
        pytest.raises(ApiError, match="HTTP 502"),
    ):
        client.create({"name": "T"})
    assert [method for method, _ in script.seen] == ["POST", "GET"]


def test_a_delete_retried_after_an_ambiguous_failure_that_gets_404_succeeded() -> None:
    gateway = Canned(502, b"<html><h1>502 Bad Gateway</h1></html>", {"Content-Type": "text/html"})
    with fast_forward(gateway, MISSING) as (client, script, _):
        client.delete("T")
    assert script.seen == [("DELETE", "/api/v2/chat/triggers/T")] * 2


WRITES: dict[str, Callable[[Client], Trigger]] = {
    "POST": lambda client: client.create(BODY),
    "PUT": lambda client: client.update("T", {"description": "d"}),
}


@pytest.mark.parametrize("method", sorted(WRITES))
def test_a_write_answered_2xx_with_garbage_succeeds_when_the_trigger_holds_it(method: str) -> None:
    with canned_server(GARBAGE, Canned(200, MADE)) as (api, script), basic_client(api) as client:
        written = WRITES[method](client)
    assert (written.name, written.description) == ("T", "d")
    assert [seen for seen, _ in script.seen] == [method, "GET"]


def test_a_create_answered_2xx_with_garbage_fails_when_the_trigger_is_absent() -> None:
    with (
        canned_server(GARBAGE, MISSING) as (api, script),
        basic_client(api) as client,
        pytest.raises(TransportError, match=r"POST /triggers: .*not JSON") as caught,
    ):
        client.create(BODY)
    assert [method for method, _ in script.seen] == ["POST", "GET"]
    assert "'T' is not live with the content sent" in str(caught.value)


# -- what "holds what was sent" means ---------------------------------------------------------


def _definition(*action: Any) -> dict[str, Any]:
    return {"event": "page_enter", "condition": ["and"], "actions": [list(action)]}


def create_after_a_502(sent: dict[str, Any], live: dict[str, Any]) -> Trigger:
    """POST answered 502 (outcome unknown), then the look-up finds a trigger holding `live`."""
    found = {"id": 7, "name": "T", "description": "", "enabled": 1, "definition": live}
    body = {"name": "T", "description": "", "enabled": 1, "definition": sent}
    with fast_forward(Canned(502, b"{}"), Canned(200, json.dumps(found).encode())) as (c, _, _):
        return c.create(body)


def test_a_live_1_where_true_was_sent_is_other_content() -> None:
    sent, live = _definition("setTriggered", True), _definition("setTriggered", 1)
    with pytest.raises(ApiError, match="other content"):
        create_after_a_502(sent, live)


def test_a_live_1_0_where_1_was_sent_is_the_trigger_just_made() -> None:
    sent, live = _definition("wait", 1), _definition("wait", 1.0)
    assert create_after_a_502(sent, live).name == "T"


def test_metadata_the_server_added_is_still_the_trigger_just_made() -> None:
    sent = _definition("addTag", "vip")
    live = {**sent, "version": 1, "editor": "developer"}
    assert create_after_a_502(sent, live).name == "T"
