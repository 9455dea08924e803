"""Every exchange is bounded in time and size, however a server trickles or never ends, and
plain http to loopback never goes through a proxy."""

from __future__ import annotations

import pytest
from api_clients import basic_client
from canned_http import Canned, canned_server

from triggersync.api.client import Client
from triggersync.emulator.server import Emulator
from triggersync.errors import TransportError, UsageError


@pytest.mark.parametrize("trickle_head", [True, False], ids=["headers", "body"])
def test_a_trickling_server_is_hung_up_on_at_the_time_bound(trickle_head: bool) -> None:
    slow = Canned(200, b"[" + b" " * 100 + b"]", trickle=0.05, trickle_head=trickle_head)
    with (
        canned_server(slow) as (api, script),
        basic_client(api, timeout=1) as client,
        pytest.raises(TransportError) as caught,
    ):
        client.list()
    assert str(caught.value) == "GET /triggers: no complete answer within 1 s (TRIGGERSYNC_TIMEOUT)"
    assert len(script.seen) == 1  # a server that slow is not asked again
    assert script.finished == [False]  # not merely reported late: the connection is closed


def test_the_time_bound_comes_from_the_environment() -> None:
    with canned_server(Canned(200, b"[]", trickle=0.05)) as (api, _):
        env = {"TRIGGERSYNC_API_URL": api, "TRIGGERSYNC_TOKEN": "t", "TRIGGERSYNC_TIMEOUT": "0.5"}
        with Client.from_env(env) as client, pytest.raises(TransportError, match=r"0\.5 s"):
            client.list()


@pytest.mark.parametrize("value", ["", "  "], ids=["empty", "blank"])
def test_an_empty_time_bound_means_the_default(value: str) -> None:
    env = {"TRIGGERSYNC_API_URL": "http://127.0.0.1:9/api", "TRIGGERSYNC_TOKEN": "t"}
    with Client.from_env({**env, "TRIGGERSYNC_TIMEOUT": value}) as client:
        assert client.timeout == 120


@pytest.mark.parametrize("value", ["soon", "0", "-3", "nan", "inf", "1e9"])
def test_a_bad_time_bound_is_a_usage_error(value: str) -> None:
    env = {"TRIGGERSYNC_API_URL": "http://127.0.0.1:9/api", "TRIGGERSYNC_TOKEN": "t"}
    with pytest.raises(UsageError, match=f"TRIGGERSYNC_TIMEOUT.*{value}"):
        Client.from_env({**env, "TRIGGERSYNC_TIMEOUT": value})


@pytest.mark.parametrize(
    ("answer", "limit", "error"),
    [
        (Canned(200, b"[" + b" " * 4096 + b"]"), 1024, "the answer is larger than 1 KiB"),
        (Canned(200, endless=True), 1024 * 1024, "the answer is larger than 1 MiB"),
        (Canned(200, endless=True), None, "the answer is larger than 64 MiB"),
    ],
    ids=["declared", "endless", "endless-by-default"],
)
def test_an_answer_over_the_size_bound_is_refused(
    answer: Canned, limit: int | None, error: str
) -> None:
    with (
        canned_server(answer) as (api, _),
        basic_client(api) if limit is None else basic_client(api, max_answer=limit) as client,
        pytest.raises(TransportError) as caught,
    ):
        client.list()
    assert str(caught.value) == f"GET /triggers: {error}"


def test_plain_http_to_loopback_never_goes_through_a_proxy(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    with canned_server(Canned(502, b"proxy")) as (proxy_url, proxy):
        monkeypatch.setenv("HTTP_PROXY", proxy_url.split("/api/")[0])
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        env = {"TRIGGERSYNC_API_URL": emulator.url, "TRIGGERSYNC_TOKEN": "demo-token"}
        with Client.from_env(env) as client:
            assert client.list() == []
    assert proxy.seen == []
