"""The five endpoints over real HTTP against the emulator, and how statuses become errors."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from api_clients import FAST, basic_client, canned, emulator_client
from canned_http import Canned

from triggersync.api.client import Client
from triggersync.emulator.server import Emulator
from triggersync.errors import ApiError, NotFoundError, TransportError

NAMES = [
    "Plain",
    "with space",
    "a/b",
    "100%",
    "what?",
    "#hash",
    "Grüße 🚀",
    "naïve/é%20x",
    ".",
    "..",
]


def free_port() -> int:
    """A port nothing listens on: bind, read the number, close."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def client(emulator: Emulator) -> Iterator[Client]:
    with emulator_client(emulator) as c:
        yield c


def test_create_then_list_returns_the_trigger(client: Client) -> None:
    client.create({"name": "Good Trigger", "description": "Visitor entered page", "enabled": 1})
    assert [t.name for t in client.list()] == ["Good Trigger"]


def test_show_normalises_enabled_and_description(client: Client, emulator: Emulator) -> None:
    emulator.store.create({"name": "T", "description": None, "enabled": True})
    trigger = client.show("T")
    assert (trigger.description, trigger.enabled) == ("", 1)


def test_update_changes_only_the_given_field(client: Client) -> None:
    client.create({"name": "T", "description": "old", "enabled": 0})
    updated = client.update("T", {"description": "new"})
    assert (updated.description, updated.enabled) == ("new", 0)


def test_update_renames_in_place(client: Client, emulator: Emulator) -> None:
    client.create({"name": "Good Trigger", "description": "d", "enabled": 1})
    before = emulator.store.get("Good Trigger")
    client.update("Good Trigger", {"name": "Best Trigger"})
    assert emulator.store.get("Best Trigger")["id"] == before["id"]


def test_delete_removes_the_trigger(client: Client) -> None:
    client.create({"name": "T", "description": "", "enabled": 1})
    client.delete("T")
    assert client.find("T") is None


@pytest.mark.parametrize("name", NAMES)
def test_awkward_names_round_trip_as_one_path_segment(client: Client, name: str) -> None:
    client.create({"name": name, "description": "x", "enabled": 1})
    client.update(name, {"description": "y"})
    assert client.show(name).description == "y"
    client.delete(name)
    assert client.find(name) is None


def test_a_name_holding_a_lone_surrogate_is_refused_by_name_and_never_sent() -> None:
    with canned(Canned(204)) as (client, script), pytest.raises(ApiError) as caught:
        client.delete("T\udc00")
    assert script.seen == []
    assert str(caught.value).startswith('not sent: the name "T\\udc00" holds a lone surrogate')


def test_show_of_unknown_name_is_not_found(client: Client) -> None:
    with pytest.raises(NotFoundError, match="HTTP 404"):
        client.show("nope")


def test_a_delete_that_gets_404_at_once_is_not_found() -> None:
    gone = Canned(404, b'{"error": "no trigger named T"}')
    with canned(gone) as (client, _), pytest.raises(NotFoundError, match="HTTP 404"):
        client.delete("T")


def test_duplicate_create_reports_status_and_server_message(client: Client) -> None:
    client.create({"name": "T", "description": "", "enabled": 1})
    with pytest.raises(ApiError, match="HTTP 400") as caught:
        client.create({"name": "T", "description": "", "enabled": 1})
    assert caught.value.status == 400
    assert caught.value.server_message


def test_put_of_a_definition_is_refused_with_the_server_message(client: Client) -> None:
    client.create({"name": "T", "definition": {"event": "page_enter", "condition": ["and"]}})
    with pytest.raises(ApiError, match="HTTP 400") as caught:
        client.update("T", {"definition": {"event": "chat_requested", "condition": ["and"]}})
    assert "definition" in (caught.value.server_message or "")


def test_connection_refused_is_a_transport_error() -> None:
    url = f"http://127.0.0.1:{free_port()}/api/v2"
    with basic_client(url) as client, pytest.raises(TransportError, match="cannot connect"):
        client.list()


def test_server_errors_are_retried_then_reported(client: Client, emulator: Emulator) -> None:
    emulator.faults.fail_rate = 1.0
    with pytest.raises(ApiError, match="HTTP 503"):
        client.list()
    assert emulator.stats()["list"] + emulator.stats()["failed"] >= FAST.max_attempts
