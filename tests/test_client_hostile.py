"""The client against hostile or broken servers: redirects that would carry credentials away,
echoed credentials, answers that trickle or never end, and success answers that are garbage.

Every server here is a real loopback HTTP server (tests/canned_http.py); nothing is mocked.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote, urlsplit

import pytest
import requests
from canned_http import Canned, Script, canned_server
from loopback_tls import CERT
from requests.auth import AuthBase, HTTPBasicAuth

from triggersync.api.auth import BasicAuth, BearerAuth, ClientCredentialsAuth
from triggersync.api.client import Client
from triggersync.api.retry import RetryPolicy
from triggersync.errors import ApiError, TransportError, UsageError

FAST = RetryPolicy(max_attempts=3, base_delay=0.0, max_delay=0.0)
EMAIL, PASSWORD = "ops-7c1e@example.com", "pw-Zq81/+secret"
BASIC = base64.b64encode(f"{EMAIL}:{PASSWORD}".encode()).decode()
ACCESS_TOKEN = "at-5f0c1e9d/granted+at-run-time"
CLIENT_SECRET = "cs-e61f/secret"
TOKEN_ANSWER = json.dumps({"access_token": ACCESS_TOKEN, "expires_in": 3600}).encode()
MADE = json.dumps({"id": 7, "name": "T", "description": "d", "enabled": 1}).encode()


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def basic_client(url: str, **kwargs: object) -> Client:
    auth = HTTPBasicAuth(EMAIL, PASSWORD)
    return Client(url, auth, policy=FAST, sleep=lambda _: None, **kwargs)  # type: ignore[arg-type]


def oauth_client(api_url: str, token_url: str) -> Client:
    session = requests.Session()
    auth = ClientCredentialsAuth(token_url, "cid-93af", CLIENT_SECRET, session)
    return Client(api_url, auth, session=session, policy=FAST, sleep=lambda _: None)


@contextmanager
def token_server(*answers: Canned) -> Iterator[tuple[str, Script]]:
    """An OAuth token endpoint; yields (token_url, script)."""
    with canned_server(*(answers or (Canned(200, TOKEN_ANSWER),))) as (url, script):
        yield origin(url) + "/oauth2/token", script


def redirect(to: str, status: int = 307) -> Canned:
    return Canned(status, b"", {"Location": to})


# -- the OAuth token request ----------------------------------------------------------------


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
    "body", [b"<html>sign in</html>", b"[]", b'{"access_token": ""}', b'{"token_type": "x"}']
)
def test_a_token_answer_without_a_token_names_the_http_status(body: bytes) -> None:
    with (
        token_server(Canned(200, body)) as (token_url, _),
        canned_server(Canned(200, b"[]")) as (api, _),
        oauth_client(api, token_url) as client,
        pytest.raises(TransportError, match=r"HTTP 200.*access_token"),
    ):
        client.list()


# -- API redirects: credentials stay with the configured origin -----------------------------


def test_a_redirect_to_another_origin_never_gets_the_oauth_token() -> None:
    with (
        token_server() as (token_url, _),
        canned_server(Canned(401, b'{"error": "who are you?"}')) as (elsewhere, stolen),
        canned_server(redirect(elsewhere + "/triggers")) as (api, _),
        oauth_client(api, token_url) as client,
        pytest.raises(ApiError, match="HTTP 307") as caught,
    ):
        client.list()
    assert stolen.seen == []
    assert origin(elsewhere) in str(caught.value)


def test_a_redirect_to_another_origin_never_gets_basic_credentials() -> None:
    with (
        canned_server(Canned(200, b"[]")) as (elsewhere, stolen),
        canned_server(redirect(elsewhere + "/triggers", 301)) as (api, _),
        basic_client(api) as client,
        pytest.raises(ApiError, match="HTTP 301"),
    ):
        client.list()
    assert stolen.seen == []


def test_a_downgrade_to_plain_http_never_gets_the_oauth_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(CERT))
    with (
        token_server() as (token_url, _),
        canned_server(Canned(401, b"{}")) as (plain, stolen),
        canned_server(redirect(plain + "/triggers", 301), tls=True) as (api, _),
        oauth_client(api, token_url) as client,
        pytest.raises(ApiError, match="HTTP 301") as caught,
    ):
        client.list()
    assert stolen.seen == []
    assert "http://127.0.0.1:" in str(caught.value)


def test_a_redirect_error_says_which_url_to_configure() -> None:
    with (
        canned_server(Canned(200, b"[]")) as (elsewhere, _),
        canned_server(redirect(elsewhere + "/triggers", 308)) as (api, _),
        basic_client(api) as client,
        pytest.raises(ApiError) as caught,
    ):
        client.list()
    assert f"set TRIGGERSYNC_API_URL (or --api-url) to {elsewhere}" in str(caught.value)


def test_a_redirect_on_the_same_origin_is_reported_not_followed() -> None:
    with (
        canned_server(redirect("/api/v3/chat/triggers", 301), Canned(200, b"[]")) as (api, script),
        basic_client(api) as client,
        pytest.raises(ApiError, match="HTTP 301") as caught,
    ):
        client.list()
    assert len(script.seen) == 1
    moved = api.replace("/api/v2/chat", "/api/v3/chat")
    assert (
        f"(same origin); redirects are not followed: if the API has moved there, set "
        f"TRIGGERSYNC_API_URL (or --api-url) to {moved}" in str(caught.value)
    )


def test_a_redirect_without_a_location_is_an_error() -> None:
    with (
        canned_server(Canned(302)) as (api, _),
        basic_client(api) as client,
        pytest.raises(ApiError, match="HTTP 302: a redirect without a Location"),
    ):
        client.list()


def test_a_redirected_create_is_not_sent_again() -> None:
    with (
        canned_server(Canned(201, MADE)) as (elsewhere, stolen),
        canned_server(redirect(elsewhere + "/triggers")) as (api, script),
        basic_client(api) as client,
        pytest.raises(ApiError, match="HTTP 307"),
    ):
        client.create({"name": "T", "description": "d", "enabled": 1})
    assert (stolen.seen, [method for method, _ in script.seen]) == ([], ["POST"])


# -- credentials echoed back are masked ------------------------------------------------------


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


def test_an_echoed_basic_authorization_header_is_masked() -> None:
    echo = Canned(400, json.dumps({"error": f"bad auth header: Basic {BASIC}"}).encode())
    with (
        canned_server(echo) as (api, _),
        basic_client(api) as client,
        pytest.raises(ApiError) as caught,
    ):
        client.list()
    assert BASIC not in str(caught.value)
    assert "bad auth header: Basic ***" in str(caught.value)


def test_a_truncated_echo_of_the_authorization_header_is_masked() -> None:
    echo = Canned(400, f"bad auth header: Basic {BASIC[:12]}…".encode())
    with (
        canned_server(echo) as (api, _),
        basic_client(api) as client,
        pytest.raises(ApiError) as caught,
    ):
        client.list()
    assert BASIC[:12] not in str(caught.value)


def test_an_echoed_url_encoded_password_is_masked() -> None:
    echo = Canned(400, f"no user for password={quote(PASSWORD, safe='')}".encode())
    with (
        canned_server(echo) as (api, _),
        basic_client(api) as client,
        pytest.raises(ApiError) as caught,
    ):
        client.list()
    assert quote(PASSWORD, safe="") not in str(caught.value)


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


# -- bounds on time and size ----------------------------------------------------------------


def test_an_answer_trickled_from_its_first_byte_ends_at_the_time_bound() -> None:
    with (
        canned_server(Canned(200, b"[]", trickle=0.05)) as (api, _),
        basic_client(api, timeout=1) as client,
        pytest.raises(TransportError) as caught,
    ):
        client.list()
    assert str(caught.value) == "GET /triggers: no complete answer within 1 s (TRIGGERSYNC_TIMEOUT)"


def test_a_trickled_body_ends_at_the_time_bound() -> None:
    slow = Canned(200, b"[" + b" " * 100 + b"]", trickle=0.05, trickle_head=False)
    with (
        canned_server(slow) as (api, script),
        basic_client(api, timeout=1) as client,
        pytest.raises(TransportError, match="no complete answer within 1 s"),
    ):
        client.list()
    assert len(script.seen) == 1  # a server that slow is not asked again


@pytest.mark.parametrize("trickle_head", [True, False], ids=["headers", "body"])
def test_the_time_bound_hangs_up_on_a_trickling_server(trickle_head: bool) -> None:
    # Not merely reported late: the client closes the connection mid-answer.
    slow = Canned(200, b"[" + b" " * 100 + b"]", trickle=0.05, trickle_head=trickle_head)
    with (
        canned_server(slow) as (api, script),
        basic_client(api, timeout=1) as client,
        pytest.raises(TransportError),
    ):
        client.list()
    assert script.finished == [False]


def test_a_trickled_create_answer_is_looked_up_not_blindly_sent_again() -> None:
    slow = Canned(201, MADE, trickle=0.05)
    with (
        canned_server(slow, Canned(200, MADE)) as (api, script),
        basic_client(api, timeout=1) as client,
    ):
        created = client.create({"name": "T", "description": "d", "enabled": 1})
    assert created.name == "T"
    assert [method for method, _ in script.seen] == ["POST", "GET"]


def test_an_answer_over_the_size_bound_is_refused() -> None:
    with (
        canned_server(Canned(200, b"[" + b" " * 4096 + b"]")) as (api, _),
        basic_client(api, max_answer=1024) as client,
        pytest.raises(TransportError) as caught,
    ):
        client.list()
    assert str(caught.value) == "GET /triggers: the answer is larger than 1 KiB"


def test_an_endless_chunked_answer_is_refused_at_the_size_bound() -> None:
    with (
        canned_server(Canned(200, endless=True)) as (api, _),
        basic_client(api, max_answer=1024 * 1024) as client,
        pytest.raises(TransportError, match="larger than 1 MiB"),
    ):
        client.list()


def test_an_endless_answer_is_refused_at_64_mib_by_default() -> None:
    with (
        canned_server(Canned(200, endless=True)) as (api, _),
        basic_client(api) as client,
        pytest.raises(TransportError, match="larger than 64 MiB"),
    ):
        client.list()


def test_an_endless_token_answer_is_refused() -> None:
    with (
        token_server(Canned(200, endless=True)) as (token_url, _),
        canned_server(Canned(200, b"[]")) as (api, _),
        oauth_client(api, token_url) as client,
        pytest.raises(TransportError, match=r"OAuth token request.*larger than"),
    ):
        client.list()


def test_a_trickled_token_answer_ends_at_the_time_bound() -> None:
    with (
        token_server(Canned(200, TOKEN_ANSWER, trickle=0.05)) as (token_url, _),
        canned_server(Canned(200, b"[]")) as (api, _),
    ):
        session = requests.Session()
        auth = ClientCredentialsAuth(token_url, "cid-93af", CLIENT_SECRET, session)
        client = Client(api, auth, session=session, policy=FAST, timeout=1)
        with client, pytest.raises(TransportError, match=r"OAuth.*within 1 s \(TRIGGER"):
            client.list()


def test_the_time_bound_comes_from_the_environment() -> None:
    with canned_server(Canned(200, b"[]", trickle=0.05)) as (api, _):
        env = {"TRIGGERSYNC_API_URL": api, "TRIGGERSYNC_TOKEN": "t", "TRIGGERSYNC_TIMEOUT": "0.5"}
        with Client.from_env(env) as client, pytest.raises(TransportError, match=r"0\.5 s"):
            client.list()


@pytest.mark.parametrize("value", ["soon", "0", "-3", "nan", "inf", "1e9"])
def test_a_bad_time_bound_is_a_usage_error(value: str) -> None:
    env = {"TRIGGERSYNC_API_URL": "http://127.0.0.1:9/api", "TRIGGERSYNC_TOKEN": "t"}
    with pytest.raises(UsageError, match=f"TRIGGERSYNC_TIMEOUT.*{value}"):
        Client.from_env({**env, "TRIGGERSYNC_TIMEOUT": value})


# -- answers that are not what they claim ----------------------------------------------------


def test_a_create_answered_2xx_with_garbage_succeeds_when_the_trigger_is_there() -> None:
    garbage = Canned(201, b"<html>Created!</html>", {"Content-Type": "text/html"})
    with canned_server(garbage, Canned(200, MADE)) as (api, script), basic_client(api) as client:
        created = client.create({"name": "T", "description": "d", "enabled": 1})
    assert created.name == "T"
    assert [method for method, _ in script.seen] == ["POST", "GET"]


def test_a_create_answered_2xx_with_garbage_fails_when_the_trigger_is_absent() -> None:
    garbage = Canned(201, b"<html>Created!</html>", {"Content-Type": "text/html"})
    missing = Canned(404, b'{"error": "no such trigger"}')
    with (
        canned_server(garbage, missing) as (api, script),
        basic_client(api) as client,
        pytest.raises(TransportError, match=r"POST /triggers: .*not JSON") as caught,
    ):
        client.create({"name": "T", "description": "d", "enabled": 1})
    assert [method for method, _ in script.seen] == ["POST", "GET"]
    assert "'T' is not live with the content sent" in str(caught.value)


def test_an_update_answered_2xx_with_garbage_succeeds_when_the_change_is_there() -> None:
    garbage = Canned(200, b"OK")
    with canned_server(garbage, Canned(200, MADE)) as (api, script), basic_client(api) as client:
        updated = client.update("T", {"description": "d"})
    assert updated.description == "d"
    assert [method for method, _ in script.seen] == ["PUT", "GET"]


@pytest.mark.parametrize("constant", [b"NaN", b"Infinity", b"-Infinity"])
def test_json_with_non_finite_numbers_is_not_json(constant: bytes) -> None:
    body = b'[{"name": "T", "definition": {"x": ' + constant + b"}}]"
    with (
        canned_server(Canned(200, body)) as (api, _),
        basic_client(api) as client,
        pytest.raises(TransportError, match="not JSON"),
    ):
        client.list()


def test_a_token_answer_with_non_finite_numbers_is_not_json() -> None:
    answer = b'{"access_token": "at-1", "expires_in": Infinity}'
    with (
        token_server(Canned(200, answer)) as (token_url, _),
        canned_server(Canned(200, b"[]")) as (api, _),
        oauth_client(api, token_url) as client,
        pytest.raises(TransportError, match="HTTP 200"),
    ):
        client.list()
