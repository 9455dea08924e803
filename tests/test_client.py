"""The API client over real HTTP against the emulator, and canned servers for garbage."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import requests
from canned_http import Canned, Script, canned_server
from requests.auth import HTTPBasicAuth

from triggersync.api.auth import BearerAuth, ClientCredentialsAuth
from triggersync.api.client import Client
from triggersync.api.retry import RetryPolicy
from triggersync.emulator.auth import TokenIssuer
from triggersync.emulator.server import Emulator
from triggersync.errors import ApiError, AuthError, NotFoundError, TransportError, UsageError

FAST = RetryPolicy(max_attempts=3, base_delay=0.0, max_delay=0.0)
NAMES = ["Plain", "with space", "a/b", "100%", "what?", "#hash", "Grüße 🚀", "naïve/é%20x"]


def make_client(url: str, *, policy: RetryPolicy = FAST) -> Client:
    return Client(
        url, HTTPBasicAuth("demo@example.com", "demo-password"), policy=policy, sleep=lambda _: None
    )


@contextmanager
def canned(*responses: Canned) -> Iterator[tuple[Client, Script]]:
    with canned_server(*responses) as (url, script), make_client(url) as client:
        yield client, script


def free_port() -> int:
    """A port nothing listens on: bind, read the number, close."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def client(emulator: Emulator) -> Iterator[Client]:
    with make_client(emulator.url) as c:
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


def test_show_of_unknown_name_is_not_found(client: Client) -> None:
    with pytest.raises(NotFoundError, match="HTTP 404"):
        client.show("nope")


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


def test_wrong_password_is_an_auth_error_naming_the_variables(emulator: Emulator) -> None:
    client = Client(
        emulator.url, HTTPBasicAuth("demo@example.com", "wrong"), auth_vars="TRIGGERSYNC_EMAIL"
    )
    with client, pytest.raises(AuthError, match="TRIGGERSYNC_EMAIL") as caught:
        client.list()
    assert "wrong" not in str(caught.value)


def test_wrong_token_is_an_auth_error(emulator: Emulator) -> None:
    with Client(emulator.url, BearerAuth("bad-token")) as client, pytest.raises(AuthError):
        client.list()


def test_token_from_the_environment_is_accepted(emulator: Emulator) -> None:
    env = {"TRIGGERSYNC_API_URL": emulator.url, "TRIGGERSYNC_TOKEN": "demo-token"}
    with Client.from_env(env) as client:
        assert client.list() == []


def oauth_env(emulator: Emulator, secret: str) -> dict[str, str]:
    return {
        "TRIGGERSYNC_API_URL": emulator.url,
        "TRIGGERSYNC_CLIENT_ID": "demo-client",
        "TRIGGERSYNC_CLIENT_SECRET": secret,
        "TRIGGERSYNC_TOKEN_URL": emulator.token_url,
    }


def test_oauth_client_credentials_grant_then_bearer(emulator: Emulator) -> None:
    with Client.from_env(oauth_env(emulator, "demo-secret")) as client:
        client.list()
        client.list()
    assert emulator.stats()["token"] == 1


def test_oauth_with_a_wrong_secret_is_an_auth_error(emulator: Emulator) -> None:
    env = oauth_env(emulator, "not-it")
    with Client.from_env(env) as client, pytest.raises(AuthError, match="CLIENT_ID") as caught:
        client.list()
    assert "not-it" not in str(caught.value)


def test_no_credentials_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="TRIGGERSYNC_TOKEN"):
        Client.from_env({"TRIGGERSYNC_API_URL": "http://127.0.0.1:9/api/v2/chat"})


def test_connection_refused_is_a_transport_error() -> None:
    url = f"http://127.0.0.1:{free_port()}/api/v2"
    with make_client(url) as client, pytest.raises(TransportError, match="cannot connect"):
        client.list()


def test_server_errors_are_retried_then_reported(emulator: Emulator) -> None:
    emulator.faults.fail_rate = 1.0
    with make_client(emulator.url) as client, pytest.raises(ApiError, match="HTTP 503"):
        client.list()
    assert emulator.stats()["list"] + emulator.stats()["failed"] >= FAST.max_attempts


def test_a_create_that_commits_then_fails_is_not_sent_twice(emulator: Emulator) -> None:
    emulator.faults.fail_after_commit_rate = 1.0
    with make_client(emulator.url) as client:
        created = client.create({"name": "T", "description": "d", "enabled": 1})
    assert created.name == "T"
    assert [t["name"] for t in emulator.store.list()] == ["T"]
    assert emulator.stats()["create"] == 1


def test_a_delete_that_commits_then_fails_succeeds_on_retry(emulator: Emulator) -> None:
    emulator.store.create({"name": "T", "description": "d", "enabled": 1})
    emulator.faults.fail_after_commit_rate = 1.0
    with make_client(emulator.url) as client:
        client.delete("T")
    assert emulator.store.list() == []


def test_a_rename_that_commits_then_fails_succeeds_on_retry(emulator: Emulator) -> None:
    emulator.store.create({"name": "Old", "description": "d", "enabled": 1})
    emulator.faults.fail_after_commit_rate = 1.0
    with make_client(emulator.url) as client:
        renamed = client.update("Old", {"name": "New"})
    assert renamed.name == "New"


def test_rate_limit_answers_are_waited_out() -> None:
    body = json.dumps([{"name": "T", "description": "", "enabled": 1}]).encode()
    limited = Canned(429, b'{"error": "slow down"}', {"Retry-After": "0"})
    with canned(limited, Canned(200, body)) as (client, script):
        assert [t.name for t in client.list()] == ["T"]
    assert len(script.seen) == 2


def test_a_permanent_rate_limit_gives_up_with_a_clear_error() -> None:
    with (
        canned(Canned(429, b"{}", {"Retry-After": "0"})) as (client, _),
        pytest.raises(ApiError, match="HTTP 429"),
    ):
        client.list()


def test_an_html_error_page_is_reported_as_text() -> None:
    page = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
    with (
        canned(Canned(502, page, {"Content-Type": "text/html"})) as (client, _),
        pytest.raises(ApiError, match="502 Bad Gateway"),
    ):
        client.list()


def test_a_non_json_success_is_a_transport_error() -> None:
    page = Canned(200, b"<html>login</html>", {"Content-Type": "text/html"})
    with canned(page) as (client, _), pytest.raises(TransportError, match="not JSON"):
        client.list()


@pytest.mark.parametrize(
    "body",
    [
        b'{"triggers": []}',
        b"[1, 2]",
        b'[{"description": "no name"}]',
        b'[{"name": "x", "enabled": 7}]',
    ],
)
def test_a_list_of_the_wrong_shape_is_a_transport_error(body: bytes) -> None:
    with (
        canned(Canned(200, body)) as (client, _),
        pytest.raises(TransportError, match="GET /triggers"),
    ):
        client.list()


def test_duplicate_names_in_a_list_are_a_transport_error() -> None:
    body = b'[{"name": "x"}, {"name": "x"}]'
    with canned(Canned(200, body)) as (client, _), pytest.raises(TransportError, match="twice"):
        client.list()


def test_plain_http_to_a_remote_host_is_refused() -> None:
    env = {"TRIGGERSYNC_API_URL": "http://example.com/api/v2", "TRIGGERSYNC_TOKEN": "t"}
    with pytest.raises(UsageError, match="plain http"):
        Client.from_env(env)


def test_credentials_in_the_url_are_refused_without_echoing_them() -> None:
    env = {"TRIGGERSYNC_API_URL": "https://me:s3cret@example.com/api", "TRIGGERSYNC_TOKEN": "t"}
    with pytest.raises(UsageError) as caught:
        Client.from_env(env)
    assert "s3cret" not in str(caught.value)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def oauth_client(emulator: Emulator, clock: FakeClock) -> Client:
    session = requests.Session()
    auth = ClientCredentialsAuth(
        emulator.token_url, "demo-client", "demo-secret", session, clock=clock
    )
    return Client(emulator.url, auth, session=session, policy=FAST, sleep=lambda _: None)


def test_an_oauth_token_is_renewed_before_it_expires(emulator: Emulator) -> None:
    clock = FakeClock()
    with oauth_client(emulator, clock) as client:
        client.list()
        clock.now += TokenIssuer.ttl - 30  # inside the last minute of the token's life
        client.list()
    assert emulator.stats()["token"] == 2


def test_a_refused_oauth_token_is_renewed_once_and_the_request_sent_again(
    emulator: Emulator,
) -> None:
    server_clock = FakeClock()
    emulator.tokens = TokenIssuer(emulator.credentials, clock=server_clock)
    with oauth_client(emulator, FakeClock()) as client:
        client.list()
        server_clock.now += TokenIssuer.ttl + 1  # the server sees the token lapse early
        assert client.list() == []
    assert emulator.stats()["token"] == 2


def test_a_token_refused_twice_is_an_auth_error(emulator: Emulator) -> None:
    emulator.tokens = NoTokens(emulator.credentials)
    with oauth_client(emulator, FakeClock()) as client, pytest.raises(AuthError):
        client.list()
    assert emulator.stats()["token"] == 2


class NoTokens(TokenIssuer):
    """Issues tokens but never accepts them: a revoked client."""

    def accepts(self, authorization: str | None) -> bool:
        return False


def test_a_server_echoing_a_credential_never_gets_it_printed() -> None:
    echo = Canned(400, b'{"error": "bad password s3cret-pw for demo@example.com"}')
    with canned_server(echo) as (url, _):
        env = {
            "TRIGGERSYNC_API_URL": url,
            "TRIGGERSYNC_EMAIL": "demo@example.com",
            "TRIGGERSYNC_PASSWORD": "s3cret-pw",
        }
        with Client.from_env(env) as client, pytest.raises(ApiError) as caught:
            client.list()
    assert "s3cret-pw" not in str(caught.value)
    assert "bad password *** for" in str(caught.value)


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


def test_a_create_keeps_to_one_time_bound_across_look_ups_and_re_sends() -> None:
    # Every POST answers 502 (outcome unknown) and every look-up 404 (absent): without one
    # bound for the whole create, it would re-send up to max_attempts times.
    answers = [Canned(502, b"{}"), Canned(404, b'{"error": "not found"}')] * 25
    patient_but_brief = RetryPolicy(max_attempts=50, base_delay=0.0, max_total=0.0)
    with canned_server(*answers) as (url, script):
        client = Client(url, BearerAuth("t"), policy=patient_but_brief, sleep=lambda _: None)
        with client, pytest.raises(ApiError, match="HTTP 502"):
            client.create({"name": "T"})
    assert [method for method, _ in script.seen] == ["POST", "GET"]
