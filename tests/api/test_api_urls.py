"""Where the API is, and why a redirect away from it is not followed."""

from __future__ import annotations

import pytest
from api_clients import MADE, basic_client, canned, oauth_client, origin, redirect, token_server
from canned_http import Canned, canned_server
from loopback_tls import CERT

from triggersync.api.client import Client
from triggersync.errors import ApiError, UsageError

# -- the base URL -------------------------------------------------------------------------------


def test_plain_http_to_a_remote_host_is_refused() -> None:
    env = {"TRIGGERSYNC_API_URL": "http://example.com/api/v2", "TRIGGERSYNC_TOKEN": "t"}
    with pytest.raises(UsageError, match="plain http"):
        Client.from_env(env)


def test_credentials_in_the_url_are_refused_without_echoing_them() -> None:
    env = {"TRIGGERSYNC_API_URL": "https://me:s3cret@example.com/api", "TRIGGERSYNC_TOKEN": "t"}
    with pytest.raises(UsageError) as caught:
        Client.from_env(env)
    assert "s3cret" not in str(caught.value)


# -- redirects: credentials stay with the configured origin ------------------------------------


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
        canned(Canned(302)) as (client, _),
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
