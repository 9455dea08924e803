"""Every exchange is bounded in time and size, however a server trickles or never ends; an
interrupted run cuts its exchanges off; plain http to loopback never goes through a proxy."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable

import loopback_tls
import pytest
from api_clients import MADE, basic_client
from canned_http import Canned, canned_server

from triggersync.api.client import Client
from triggersync.api.outcomes import OutcomeUnknown
from triggersync.emulator.server import Emulator
from triggersync.errors import ApiError, TransportError, UsageError


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


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy"])
def test_a_loopback_token_url_is_never_proxied_when_the_api_is_https(
    monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    """The client secret must never reach a plain-http proxy: the API URL's scheme does not
    decide for the token URL."""
    grant = json.dumps({"access_token": "grant-1", "expires_in": 3600}).encode()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(loopback_tls.CERT))
    with (
        canned_server(Canned(502, b"proxy"), Canned(502, b"proxy")) as (proxy_url, proxy),
        canned_server(Canned(200, b"[]"), tls=True) as (api, _),
        canned_server(Canned(200, grant)) as (token_base, token),
    ):
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
            for spelled in (name, name.lower()):
                monkeypatch.delenv(spelled, raising=False)
        monkeypatch.setenv(variable, proxy_url.split("/api/")[0])
        monkeypatch.setenv("NO_PROXY", "example.com")
        env = {
            "TRIGGERSYNC_API_URL": api,
            "TRIGGERSYNC_TOKEN_URL": token_base + "/oauth2/token",
            "TRIGGERSYNC_CLIENT_ID": "id-1",
            "TRIGGERSYNC_CLIENT_SECRET": "secret-1",
        }
        with Client.from_env(env) as client:
            assert client.list() == []
    assert proxy.seen == []
    assert [method for method, _ in token.seen] == ["POST"]


# -- an interrupted run cuts its exchanges off -------------------------------------------------

WAIT = 60  # seconds: a bound for a slow machine, never a sleep


def in_thread(call: Callable[[], object]) -> tuple[threading.Thread, list[BaseException]]:
    """Runs `call` in a thread; the list receives what it raised."""
    raised: list[BaseException] = []

    def target() -> None:
        try:
            call()
        except ApiError as exc:
            raised.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, raised


def test_a_cut_off_ends_a_request_in_flight() -> None:
    hanging = Canned(200, b"[" + b" " * 1000 + b"]", trickle=0.5)
    with canned_server(hanging) as (api, script), basic_client(api) as client:
        thread, raised = in_thread(client.list)
        assert script.wait_for(1, WAIT)
        client.cut_off()
        thread.join(WAIT)
    assert [str(exc) for exc in raised] == [
        "GET /triggers: cut off by the interrupt before its answer came; whether it took "
        "effect is unknown: plan again to see"
    ]
    assert script.finished == [False]  # hung up on, not merely reported


def test_after_a_cut_off_no_request_is_sent() -> None:
    with canned_server(Canned(200, b"[]")) as (api, script), basic_client(api) as client:
        client.cut_off()
        with pytest.raises(TransportError) as caught:
            client.list()
    assert str(caught.value) == "GET /triggers: not sent: the run was interrupted"
    assert script.seen == []


def test_a_create_cut_off_is_not_looked_up_and_its_outcome_is_unknown() -> None:
    hanging = Canned(201, MADE + b" " * 1000, trickle=0.5)
    body = {"name": "T", "description": "d", "enabled": 1}
    with canned_server(hanging) as (api, script), basic_client(api) as client:
        thread, raised = in_thread(lambda: client.create(body))
        assert script.wait_for(1, WAIT)
        client.cut_off()
        thread.join(WAIT)
    assert [type(exc) for exc in raised] == [OutcomeUnknown]
    assert str(raised[0]).startswith("POST /triggers: cut off by the interrupt")
    assert script.seen == [("POST", "/api/v2/chat/triggers")]  # no look-up after the cut


# -- a name that never resolves ---------------------------------------------------------------


def test_a_black_holed_resolver_is_bounded_by_the_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """The system resolver cannot be interrupted (nothing real on loopback can black-hole it,
    so getaddrinfo is replaced): the exchange ends at its deadline all the same."""
    released = threading.Event()
    real = socket.getaddrinfo

    def black_hole(host: str, *args: object, **kwargs: object) -> object:
        if host == "chat.black-hole.example":
            released.wait(WAIT)  # a black hole answers late, if at all
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", black_hole)
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    started = time.monotonic()
    try:
        with (
            basic_client("https://chat.black-hole.example/api/v2/chat", timeout=1) as client,
            pytest.raises(TransportError) as caught,
        ):
            client.list()
    finally:
        waited = time.monotonic() - started
        released.set()
    assert waited < WAIT / 2  # three attempts of 1 s each, not the resolver's own wait
    assert str(caught.value) == (
        "GET /triggers: no complete answer within 1 s (TRIGGERSYNC_TIMEOUT)"
    )
