"""Malformed network settings are one clear error naming the setting, exit 1, no traceback
(the `run` fixture fails the test on any traceback)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from canned_http import Canned, canned_server
from clirun import Run

Config = Callable[[str], str]
MALFORMED = {
    "ipv6-bracket": "https://[::1/api/v2/chat",
    "port-not-a-number": "https://example.com:abc/api/v2/chat",
    "port-too-large": "https://example.com:99999/api/v2/chat",
    "port-zero": "https://example.com:0/api/v2/chat",
    "space-in-host": "https://exa mple.com/api/v2/chat",
    "no-host": "https:///api/v2/chat",
}


@pytest.mark.parametrize("url", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_api_url_option_is_one_clear_error(run: Run, config: Config, url: str) -> None:
    ran = run("plan", config("triggers: []\n"), "--api-url", url)
    assert ran.code == 1
    assert ran.stderr.startswith("Error: --api-url is not a valid URL (")
    assert ran.stderr.count("\n") == 1


@pytest.mark.parametrize("url", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_api_url_variable_is_one_clear_error(
    run: Run, config: Config, url: str
) -> None:
    ran = run("plan", config("triggers: []\n"), extra_env={"TRIGGERSYNC_API_URL": url})
    assert ran.code == 1
    assert ran.stderr.startswith("Error: TRIGGERSYNC_API_URL is not a valid URL (")


@pytest.mark.parametrize("url", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_token_url_is_one_clear_error(run: Run, config: Config, url: str) -> None:
    oauth = {
        "TRIGGERSYNC_CLIENT_ID": "cid",
        "TRIGGERSYNC_CLIENT_SECRET": "cs-e61f/secret",
        "TRIGGERSYNC_TOKEN_URL": url,
    }
    ran = run("plan", config("triggers: []\n"), extra_env=oauth)
    assert ran.code == 1
    assert ran.stderr.startswith("Error: TRIGGERSYNC_TOKEN_URL is not a valid URL (")


def test_a_malformed_url_with_a_password_does_not_show_it(run: Run, config: Config) -> None:
    ran = run("plan", config("triggers: []\n"), "--api-url", "https://me:pa/ss@host:x/api")
    assert ran.code == 1
    assert "pa/ss" not in ran.stderr


@pytest.mark.parametrize("value", ["soon", "0", "-5"])
def test_a_bad_timeout_variable_is_one_clear_error(run: Run, config: Config, value: str) -> None:
    ran = run("plan", config("triggers: []\n"), extra_env={"TRIGGERSYNC_TIMEOUT": value})
    assert ran.code == 1
    assert ran.stderr.startswith("Error: TRIGGERSYNC_TIMEOUT must be a number of seconds")


def test_a_trickling_server_ends_at_the_timeout_variable(run: Run, config: Config) -> None:
    with canned_server(Canned(200, b"[]", trickle=0.05)) as (api, _):
        ran = run(
            "plan",
            config("triggers: []\n"),
            "--api-url",
            api,
            extra_env={"TRIGGERSYNC_TIMEOUT": "1"},
        )
    assert (ran.code, ran.stdout) == (1, "")
    assert ran.stderr == (
        "Error: GET /triggers: no complete answer within 1 s (TRIGGERSYNC_TIMEOUT)\n"
    )


@pytest.mark.parametrize("value", ["0", "-1"])
def test_max_attempts_below_one_is_one_clear_error(run: Run, config: Config, value: str) -> None:
    ran = run("plan", config("triggers: []\n"), extra_env={"TRIGGERSYNC_MAX_ATTEMPTS": value})
    assert (ran.code, ran.stdout) == (1, "")
    assert ran.stderr == (
        f"Error: TRIGGERSYNC_MAX_ATTEMPTS must be a whole number of at least 1, got '{value}'\n"
    )


@pytest.mark.parametrize(
    "name", ["TRIGGERSYNC_MAX_ATTEMPTS", "TRIGGERSYNC_RETRY_DELAY", "TRIGGERSYNC_TIMEOUT"]
)
def test_an_empty_tuning_variable_means_its_default(run: Run, config: Config, name: str) -> None:
    ran = run("plan", config("triggers: []\n"), extra_env={name: ""})
    assert (ran.code, ran.stderr) == (0, "")


WITH_QUERY = {
    "query": "?tenant=acme",
    "empty-query": "?",
    "fragment": "#chat",
}


@pytest.mark.parametrize("tail", WITH_QUERY.values(), ids=WITH_QUERY.keys())
def test_an_api_url_option_with_a_query_or_fragment_is_refused(
    run: Run, config: Config, emulator_env: dict[str, str], tail: str
) -> None:
    url = emulator_env["TRIGGERSYNC_API_URL"] + tail
    ran = run("plan", config("triggers: []\n"), "--api-url", url)
    assert (ran.code, ran.stdout) == (1, "")
    assert ran.stderr.startswith("Error: --api-url must not have a query (?) or a fragment (#)")


def test_an_api_url_variable_with_a_query_is_refused(
    run: Run, config: Config, emulator_env: dict[str, str]
) -> None:
    url = emulator_env["TRIGGERSYNC_API_URL"] + "?tenant=acme"
    ran = run("plan", config("triggers: []\n"), extra_env={"TRIGGERSYNC_API_URL": url})
    assert ran.code == 1
    assert ran.stderr.startswith("Error: TRIGGERSYNC_API_URL must not have a query (?)")
