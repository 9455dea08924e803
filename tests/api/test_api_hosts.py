"""Where the API is: the account's own host from its subdomain, an explicit URL, never a guess;
the retired www.zopim.com only when named, with a warning; the token URL on the API's origin."""

from __future__ import annotations

import pytest
import requests

from triggersync.api import auth as auth_mod
from triggersync.api.client import Client
from triggersync.api.urls import resolve_base_url, token_url, url_setting
from triggersync.errors import UsageError


def test_a_subdomain_gives_the_accounts_own_chat_api() -> None:
    env = {"TRIGGERSYNC_SUBDOMAIN": "acme"}
    assert resolve_base_url(env) == "https://acme.zendesk.com/api/v2/chat"


def test_the_api_url_variable_wins_over_the_subdomain() -> None:
    env = {"TRIGGERSYNC_SUBDOMAIN": "acme", "TRIGGERSYNC_API_URL": "http://127.0.0.1:9/api/v2/chat"}
    assert resolve_base_url(env) == "http://127.0.0.1:9/api/v2/chat"


def test_the_option_wins_over_both_variables() -> None:
    env = {"TRIGGERSYNC_SUBDOMAIN": "acme", "TRIGGERSYNC_API_URL": "http://127.0.0.1:9/api/v2/chat"}
    assert resolve_base_url(env, "http://127.0.0.1:8/x/") == "http://127.0.0.1:8/x"


@pytest.mark.parametrize(
    "env",
    [{}, {"TRIGGERSYNC_SUBDOMAIN": "  "}, {"TRIGGERSYNC_API_URL": ""}],
    ids=["nothing", "blank-subdomain", "empty-url"],
)
def test_no_url_at_all_is_an_error_naming_both_variables(env: dict[str, str]) -> None:
    with pytest.raises(UsageError) as caught:
        resolve_base_url(env)
    message = str(caught.value)
    assert "TRIGGERSYNC_SUBDOMAIN" in message
    assert "TRIGGERSYNC_API_URL" in message
    assert "zopim" not in message


def test_no_setting_is_named_when_none_is_set() -> None:
    assert url_setting({}) == ""


@pytest.mark.parametrize(
    "value",
    [
        "acme.zendesk.com",
        "https://acme.zendesk.com",
        "https://acme.zendesk.com/",
        " ACME.zendesk.com",
    ],
)
def test_a_host_or_url_as_subdomain_suggests_the_subdomain(value: str) -> None:
    with pytest.raises(UsageError) as caught:
        resolve_base_url({"TRIGGERSYNC_SUBDOMAIN": value})
    message = str(caught.value)
    assert "set TRIGGERSYNC_SUBDOMAIN=acme " in message


def test_a_subdomain_with_no_subdomain_in_it_says_what_one_looks_like() -> None:
    with pytest.raises(UsageError, match=r"not a valid subdomain .*acme in acme\.zendesk\.com"):
        resolve_base_url({"TRIGGERSYNC_SUBDOMAIN": "ac me"})


def test_a_malformed_url_as_subdomain_is_refused_without_a_suggestion() -> None:
    with pytest.raises(UsageError, match="not a valid subdomain"):
        resolve_base_url({"TRIGGERSYNC_SUBDOMAIN": "https://[acme"})


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("https://acme.zendesk.com/api/v2/chat", "https://acme.zendesk.com/oauth2/chat/token"),
        ("http://127.0.0.1:8080/api/v2/chat", "http://127.0.0.1:8080/oauth2/chat/token"),
        ("https://www.zopim.com/api/v2", "https://www.zopim.com/oauth2/token"),
        ("https://WWW.ZOPIM.COM/api/v2", "https://www.zopim.com/oauth2/token"),
    ],
)
def test_the_token_url_is_on_the_apis_own_origin(base: str, expected: str) -> None:
    assert token_url(base) == expected


def client_credentials_url(env: dict[str, str], base: str) -> str:
    env = {**env, "TRIGGERSYNC_CLIENT_ID": "id", "TRIGGERSYNC_CLIENT_SECRET": "secret"}
    with requests.Session() as session:
        auth, _ = auth_mod.from_env(env, session, base)
    assert isinstance(auth, auth_mod.ClientCredentialsAuth)
    return auth.token_url


def test_client_credentials_go_to_the_chat_token_endpoint_of_the_api_host() -> None:
    url = client_credentials_url({}, "https://acme.zendesk.com/api/v2/chat")
    assert url == "https://acme.zendesk.com/oauth2/chat/token"


def test_an_explicit_token_url_wins() -> None:
    env = {"TRIGGERSYNC_TOKEN_URL": "https://login.example.com/token"}
    url = client_credentials_url(env, "https://acme.zendesk.com/api/v2/chat")
    assert url == "https://login.example.com/token"


def test_the_retired_host_named_explicitly_is_used_with_a_warning() -> None:
    with Client.from_env({"TRIGGERSYNC_TOKEN": "t"}, api_url="https://www.zopim.com/api/v2") as c:
        assert c.base_url == "https://www.zopim.com/api/v2"
        assert len(c.warnings) == 1
        assert c.warnings[0].startswith(
            "--api-url names www.zopim.com, which Zendesk retired on 2025-05-12"
        )
        assert "TRIGGERSYNC_SUBDOMAIN" in c.warnings[0]


def test_the_accounts_own_host_has_no_warning() -> None:
    with Client.from_env({"TRIGGERSYNC_TOKEN": "t", "TRIGGERSYNC_SUBDOMAIN": "acme"}) as client:
        assert client.warnings == []


def test_a_token_url_on_the_retired_host_is_warned_about() -> None:
    env = {
        "TRIGGERSYNC_SUBDOMAIN": "acme",
        "TRIGGERSYNC_CLIENT_ID": "id",
        "TRIGGERSYNC_CLIENT_SECRET": "secret",
        "TRIGGERSYNC_TOKEN_URL": "https://www.zopim.com/oauth2/token",
    }
    with Client.from_env(env) as client:
        assert [w.split(",")[0] for w in client.warnings] == [
            "TRIGGERSYNC_TOKEN_URL names www.zopim.com"
        ]
