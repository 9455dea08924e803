"""A cancelled client (an interrupted apply) starts no retry and never re-sends a create."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from requests.auth import HTTPBasicAuth

from triggersync.api.client import Client
from triggersync.api.retry import RetryPolicy
from triggersync.emulator.server import Emulator, Faults
from triggersync.errors import ApiError

FAST = RetryPolicy(max_attempts=4, base_delay=0.0, max_delay=0.0)


@pytest.fixture
def client(emulator: Emulator) -> Iterator[Client]:
    auth = HTTPBasicAuth(emulator.credentials.email, emulator.credentials.password)
    with Client(emulator.url, auth, policy=FAST) as made:
        yield made


def test_a_cancelled_client_does_not_retry(emulator: Emulator, client: Client) -> None:
    emulator.store.create({"name": "A"})
    emulator.faults = Faults(fail_rate=1)
    client.cancel.set()
    with pytest.raises(ApiError, match="HTTP 503"):
        client.update("A", {"description": "x"})
    assert emulator.stats()["update"] == 1


def test_a_cancelled_client_does_not_retry_a_rate_limited_request(
    emulator: Emulator, client: Client
) -> None:
    emulator.store.create({"name": "A"})
    emulator.faults = Faults(rate_limit=1)
    client.list()  # takes the only token
    client.cancel.set()
    with pytest.raises(ApiError, match="HTTP 429: not retried: interrupted"):
        client.update("A", {"description": "x"})
    assert emulator.stats()["rate_limited"] == 1


def test_a_cancelled_client_does_not_resend_a_create_of_unknown_outcome(
    emulator: Emulator, client: Client
) -> None:
    emulator.faults = Faults(fail_names=frozenset({"A"}))  # 500: did it happen? it did not
    client.cancel.set()
    with pytest.raises(ApiError, match="HTTP 500"):
        client.create({"name": "A"})
    assert emulator.stats()["create"] == 1
