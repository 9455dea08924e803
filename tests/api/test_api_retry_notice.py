"""The first failure a client retries is announced once, with what is retried and for how
long; the URL's setting is named, the legacy default included."""

from __future__ import annotations

import logging
import socket

import pytest
from requests.auth import HTTPBasicAuth

from triggersync.api.client import Client
from triggersync.api.retry import RetryPolicy
from triggersync.api.urls import url_setting
from triggersync.errors import TransportError


def test_the_notice_counts_the_backoff_ceilings_and_comes_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    waited: list[float] = []
    with socket.socket() as bound:
        bound.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{bound.getsockname()[1]}/api/v2"
        client = Client(
            url,
            HTTPBasicAuth("ops@example.com", "pw-4e7a-secret"),
            policy=RetryPolicy(max_attempts=3, base_delay=4.0),
            sleep=waited.append,
            url_setting="TRIGGERSYNC_API_URL",
        )
        with caplog.at_level(logging.WARNING, logger="triggersync"), client:
            for _ in range(2):
                with pytest.raises(TransportError):
                    client.list()
    assert len(waited) == 4  # two requests, each retried twice
    assert [record.getMessage() for record in caplog.records] == [
        f"GET /triggers: cannot connect to {url} (set by TRIGGERSYNC_API_URL; is the server "
        "up?); retrying for up to 12 s (TRIGGERSYNC_MAX_ATTEMPTS=3)"
    ]


@pytest.mark.parametrize(
    ("env", "override", "expected"),
    [
        ({"TRIGGERSYNC_API_URL": "http://127.0.0.1:1"}, "http://127.0.0.1:2", "--api-url"),
        ({"TRIGGERSYNC_API_URL": "http://127.0.0.1:1"}, None, "TRIGGERSYNC_API_URL"),
        ({"TRIGGERSYNC_SUBDOMAIN": "acme"}, None, "TRIGGERSYNC_SUBDOMAIN"),
    ],
)
def test_the_setting_that_chose_the_url_is_named(
    env: dict[str, str], override: str | None, expected: str
) -> None:
    assert url_setting(env, override) == expected
