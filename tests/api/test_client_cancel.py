"""A cancelled client (an interrupted apply) starts no retry and never re-sends a create."""

from __future__ import annotations

import pytest

from triggersync.api.client import Client
from triggersync.emulator.server import Emulator, Faults
from triggersync.errors import ApiError


def test_a_cancelled_client_does_not_retry(emulator: Emulator, emulator_client: Client) -> None:
    emulator.store.create({"name": "A"})
    emulator.faults = Faults(fail_rate=1)
    emulator_client.cancel.set()
    with pytest.raises(ApiError, match="HTTP 503"):
        emulator_client.update("A", {"description": "x"})
    assert emulator.stats()["update"] == 1


def test_a_cancelled_client_does_not_retry_a_rate_limited_request(
    emulator: Emulator, emulator_client: Client
) -> None:
    emulator.store.create({"name": "A"})
    emulator.faults = Faults(rate_limit=1)
    emulator_client.list()  # takes the only token
    emulator_client.cancel.set()
    with pytest.raises(ApiError, match="HTTP 429: not retried: interrupted"):
        emulator_client.update("A", {"description": "x"})
    assert emulator.stats()["rate_limited"] == 1


def test_a_cancelled_client_does_not_resend_a_create_of_unknown_outcome(
    emulator: Emulator, emulator_client: Client
) -> None:
    emulator.faults = Faults(fail_names=frozenset({"A"}))  # 500: did it happen? it did not
    emulator_client.cancel.set()
    with pytest.raises(ApiError, match="HTTP 500"):
        emulator_client.create({"name": "A"})
    assert emulator.stats()["create"] == 1
