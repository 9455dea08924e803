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
