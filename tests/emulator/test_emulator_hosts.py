"""The Host headers the emulator answers to: loopback names with its port, nothing else."""

from __future__ import annotations

import pytest

from triggersync.emulator.hosts import is_own_host

PORT = 8080


@pytest.mark.parametrize(
    "host",
    [
        *("127.0.0.1:8080", "localhost:8080", "LOCALHOST:8080", "[::1]:8080", "127.0.0.2:8080"),
        *(" localhost:8080 ", "[0:0:0:0:0:0:0:1]:8080"),
    ],
)
def test_a_loopback_name_with_the_port_is_this_emulator(host: str) -> None:
    assert is_own_host(host, PORT)


@pytest.mark.parametrize(
    "host",
    [
        *("evil.example:8080", "localhost.evil.example:8080", "127.0.0.1.nip.io:8080"),
        *("127.0.0.1:8081", "localhost", "127.0.0.1:", "10.0.0.1:8080", "[::2]:8080"),
        *("::1:8080", "[127.0.0.1]:8080", "user@localhost:8080", "localhost:8080/x", ""),
        *("localhost:08080x", "local host:8080"),
    ],
)
def test_any_other_host_is_not(host: str) -> None:
    assert not is_own_host(host, PORT)


def test_no_port_means_port_80() -> None:
    assert is_own_host("localhost", 80)
