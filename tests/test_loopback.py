"""The one loopback check: the hosts the client may send credentials to over plain http, and
the only hosts the emulator may listen on."""

from __future__ import annotations

import pytest

from triggersync.loopback import is_loopback


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost", "LocalHost"])
def test_a_loopback_host_is_loopback(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.1", "example.com", "[::1]", ""])
def test_a_host_off_loopback_is_not(host: str) -> None:
    assert not is_loopback(host)
