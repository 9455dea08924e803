"""Credentials: from the environment, the OAuth grant and its renewal, and never shown, even
when a server echoes them back."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
import requests
from api_clients import (
    ACCESS_TOKEN,
    BASIC,
    CLIENT_SECRET,
    EMAIL,
    FAST,
    PASSWORD,
    TOKEN_ANSWER,
    basic_client,
    oauth_client,
    redirect,
    token_server,
)
from canned_http import Canned, canned_server
from requests.auth import AuthBase, HTTPBasicAuth

from triggersync.api.auth import BasicAuth, BearerAuth, ClientCredentialsAuth, missing_credentials
from triggersync.api.client import Client
from triggersync.emulator.auth import TokenIssuer
from triggersync.emulator.server import Emulator
from triggersync.errors import ApiError, AuthError, TransportError, UsageError

# -- where credentials come from --------------------------------------------------------------


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


def test_no_credentials_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="TRIGGERSYNC_TOKEN"):
        Client.from_env({"TRIGGERSYNC_API_URL": "http://127.0.0.1:9/api/v2/chat"})


# -- OAuth client credentials -----------------------------------------------------------------


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


def test_an_accounts_clients_sharing_a_token_cache_exchange_the_credentials_once(
    emulator: Emulator,
) -> None:
    from triggersync.api.auth import TokenCache

    tokens = TokenCache()
    env = oauth_env(emulator, "demo-secret")
    with Client.from_env(env, tokens=tokens) as first:
        first.list()
    with Client.from_env(env, tokens=tokens) as second:
        second.list()
        token, _ = tokens.get()
        assert token is not None
        assert second.secrets.mask(f"echo {token}") == "echo ***"  # masked by the second too
    assert emulator.stats()["token"] == 1


def test_oauth_with_a_wrong_secret_is_an_auth_error(emulator: Emulator) -> None:
    env = oauth_env(emulator, "not-it")
    with Client.from_env(env) as client, pytest.raises(AuthError, match="CLIENT_ID") as caught:
        client.list()
    assert "not-it" not in str(caught.value)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class NoTokens(TokenIssuer):
    """Issues tokens but never accepts them: a revoked client."""

    def accepts(self, authorization: str | None) -> bool:
        return False


def emulator_oauth_client(emulator: Emulator, clock: FakeClock) -> Client:
    return oauth_client(
        emulator.url, emulator.token_url, client_id="demo-client", secret="demo-secret", clock=clock
    )


def test_an_oauth_token_is_renewed_before_it_expires(emulator: Emulator) -> None:
    clock = FakeClock()
    with emulator_oauth_client(emulator, clock) as client:
        client.list()
        clock.now += TokenIssuer.ttl - 30  # inside the last minute of the token's life
        client.list()
    assert emulator.stats()["token"] == 2


def test_a_refused_oauth_token_is_renewed_once_and_the_request_sent_again(
    emulator: Emulator,
) -> None:
    server_clock = FakeClock()
    emulator.tokens = TokenIssuer(emulator.credentials, clock=server_clock)
    with emulator_oauth_client(emulator, FakeClock()) as client:
        client.list()
        server_clock.now += TokenIssuer.ttl + 1  # the server sees the token lapse early
        assert client.list() == []
    assert emulator.stats()["token"] == 2


def test_a_token_refused_twice_is_an_auth_error(emulator: Emulator) -> None:
    emulator.tokens = NoTokens(emulator.credentials)
    with emulator_oauth_client(emulator, FakeClock()) as client, pytest.raises(AuthError):
        client.list()
    assert emulator.stats()["token"] == 2


# -- the OAuth token request against a hostile server -----------------------------------------


def test_the_token_request_never_follows_a_redirect() -> None:
    with (
        token_server() as (elsewhere, stolen),
        token_server(redirect(elsewhere)) as (token_url, _),
        canned_server(Canned(200, b"[]")) as (api, _),
        oauth_client(api, token_url) as client,
        pytest.raises(ApiError, match="HTTP 307") as caught,
    ):
        client.list()
    assert stolen.seen == []  # the form with the client secret never went there
    assert "TRIGGERSYNC_TOKEN_URL" in str(caught.value)


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (Canned(200, b"<html>sign in</html>"), r"HTTP 200.*access_token"),
        (Canned(200, b"[]"), r"HTTP 200.*access_token"),
        (Canned(200, b'{"access_token": ""}'), r"HTTP 200.*access_token"),
        (Canned(200, b'{"token_type": "x"}'), r"HTTP 200.*access_token"),
        (Canned(200, b'{"access_token": "at-1", "expires_in": Infinity}'), "HTTP 200"),
        (Canned(200, endless=True), r"OAuth token request.*larger than"),
    ],
    ids=["html", "array", "empty-token", "no-token", "non-finite", "endless"],
)
def test_a_token_answer_that_holds_no_token_is_refused(answer: Canned, error: str) -> None:
    with (
        token_server(answer) as (token_url, _),
        canned_server(Canned(200, b"[]")) as (api, _),
        oauth_client(api, token_url) as client,
        pytest.raises(TransportError, match=error),
    ):
        client.list()


@pytest.mark.parametrize(
    ("token", "problem"),
    [("abc\r\nX-Injected: 1", "a control character"), ("tok\u20acn", "a character beyond")],
    ids=["header-injection", "euro-sign"],
)
def test_a_granted_token_no_header_can_carry_is_refused(token: str, problem: str) -> None:
    answer = Canned(200, json.dumps({"access_token": token}).encode())
    with (
        token_server(answer) as (token_url, _),
        canned_server(Canned(200, b"[]")) as (api, script),
        oauth_client(api, token_url) as client,
        pytest.raises(TransportError) as caught,
    ):
        client.list()
    assert str(caught.value).startswith(
        f"OAuth token request to {token_url}: HTTP 200, but its access_token holds {problem}"
    )
    assert "X-Injected" not in str(caught.value)
    assert script.seen == []  # the API never got such a header


def test_a_token_lifetime_of_hundreds_of_digits_is_used_as_a_long_one() -> None:
    answer = Canned(200, b'{"access_token": "at-1", "expires_in": ' + b"9" * 401 + b"}")
    with (
        token_server(answer) as (token_url, _),
        canned_server(Canned(200, b"[]")) as (api, script),
        oauth_client(api, token_url) as client,
    ):
        assert client.list() == []
    assert len(script.seen) == 1


def test_a_trickled_token_answer_ends_at_the_time_bound() -> None:
    with (
        token_server(Canned(200, TOKEN_ANSWER, trickle=0.05)) as (token_url, _),
        canned_server(Canned(200, b"[]")) as (api, _),
        oauth_client(api, token_url, timeout=1) as client,
        pytest.raises(TransportError, match=r"OAuth.*within 1 s \(TRIGGER"),
    ):
        client.list()


# -- credentials are never shown -----------------------------------------------------------------


@pytest.mark.parametrize(
    "auth",
    [
        BasicAuth(EMAIL, PASSWORD),
        BearerAuth(ACCESS_TOKEN),
        ClientCredentialsAuth("https://example.com/t", "cid", CLIENT_SECRET, requests.Session()),
    ],
    ids=["basic", "bearer", "client-credentials"],
)
def test_no_auth_shows_its_credential_in_a_repr(auth: AuthBase) -> None:
    assert "<hidden>" in repr(auth)
    assert not {PASSWORD, ACCESS_TOKEN, CLIENT_SECRET} & set(repr(auth).split("'"))


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


@pytest.mark.parametrize(
    ("echo", "leaked", "shown"),
    [
        (
            json.dumps({"error": f"bad auth header: Basic {BASIC}"}).encode(),
            BASIC,
            "bad auth header: Basic ***",
        ),
        (
            f"bad auth header: Basic {BASIC[:12]}…".encode(),
            BASIC[:12],
            "bad auth header: Basic ***",
        ),
        (
            f"no user for password={quote(PASSWORD, safe='')}".encode(),
            quote(PASSWORD, safe=""),
            "no user for password=***",
        ),
    ],
    ids=["authorization-header", "truncated-header", "url-encoded-password"],
)
def test_an_echoed_basic_credential_is_masked(echo: bytes, leaked: str, shown: str) -> None:
    with (
        canned_server(Canned(400, echo)) as (api, _),
        basic_client(api) as client,
        pytest.raises(ApiError) as caught,
    ):
        client.list()
    assert leaked not in str(caught.value)
    assert shown in str(caught.value)


def test_an_echoed_oauth_access_token_is_masked() -> None:
    echo = Canned(400, json.dumps({"error": f"token {ACCESS_TOKEN} lacks scope"}).encode())
    with (
        token_server() as (token_url, _),
        canned_server(echo) as (api, _),
        oauth_client(api, token_url) as client,
        pytest.raises(ApiError) as caught,
    ):
        client.list()
    assert ACCESS_TOKEN not in str(caught.value)
    assert "token *** lacks scope" in str(caught.value)


def test_an_echoed_bearer_token_in_a_redirect_target_is_masked() -> None:
    with (
        canned_server(redirect(f"https://example.com/login?token={ACCESS_TOKEN}")) as (api, _),
        Client(api, BearerAuth(ACCESS_TOKEN), policy=FAST) as client,
        pytest.raises(ApiError, match="HTTP 307") as caught,
    ):
        client.list()
    assert ACCESS_TOKEN not in str(caught.value)
    assert quote(ACCESS_TOKEN, safe="") not in str(caught.value)


@pytest.mark.parametrize(
    ("found", "message"),
    [
        ({}, "no credentials: set TRIGGERSYNC_TOKEN, or "),
        (
            {"TRIGGERSYNC_EMAIL": "a@b.c"},
            "TRIGGERSYNC_EMAIL is set but TRIGGERSYNC_PASSWORD is not",
        ),
        (
            {"TRIGGERSYNC_CLIENT_SECRET": "s"},
            "TRIGGERSYNC_CLIENT_SECRET is set but TRIGGERSYNC_CLIENT_ID",
        ),
    ],
)
def test_missing_credentials_names_the_missing_half(found: dict[str, str], message: str) -> None:
    assert missing_credentials(found).startswith(message)
