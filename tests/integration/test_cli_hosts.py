"""Where a run's requests go, seen from outside: a fresh shell with only the subdomain and
client credentials talks to {subdomain}.zendesk.com alone (a loopback proxy records every
CONNECT and refuses it, so nothing leaves this machine); no URL at all sends nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import loopback_tls
import pytest
from clirun import Run

from triggersync.emulator.server import Emulator

Config = Callable[[str], str]
SECRET = "client-secret-4f1e"


def fresh_shell(proxy_port: int, **variables: str) -> dict[str, str]:
    """Only what a new user would set, the proxy that watches, and no retries to wait for."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "HTTPS_PROXY": f"http://127.0.0.1:{proxy_port}",
        "TRIGGERSYNC_MAX_ATTEMPTS": "1",
        **variables,
    }


def triggersync(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "triggersync", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_fresh_shell_with_a_subdomain_and_client_credentials_talks_to_its_host_alone(
    config: Config,
) -> None:
    with loopback_tls.serve(tls=False) as (proxy_port, seen):
        env = fresh_shell(
            proxy_port,
            TRIGGERSYNC_SUBDOMAIN="acme",
            TRIGGERSYNC_CLIENT_ID="client-id",
            TRIGGERSYNC_CLIENT_SECRET=SECRET,
        )
        ran = triggersync(env, "plan", config("triggers: []\n"))
    assert seen == [("CONNECT", "acme.zendesk.com:443")]  # the token request, refused
    assert ran.returncode == 1
    assert ran.stderr.startswith(
        "Error: OAuth token request to https://acme.zendesk.com/oauth2/chat/token"
    )
    assert ran.stderr.count("\n") == 1
    assert SECRET not in ran.stdout + ran.stderr


def test_a_fresh_shell_with_a_subdomain_and_a_token_talks_to_its_host_alone(
    config: Config,
) -> None:
    with loopback_tls.serve(tls=False) as (proxy_port, seen):
        env = fresh_shell(proxy_port, TRIGGERSYNC_SUBDOMAIN="acme", TRIGGERSYNC_TOKEN="tok-9")
        ran = triggersync(env, "export")
    assert seen == [("CONNECT", "acme.zendesk.com:443")]
    assert ran.returncode == 1


def test_a_shell_with_no_url_fails_at_once_naming_both_settings(config: Config) -> None:
    with loopback_tls.serve(tls=False) as (proxy_port, seen):
        env = fresh_shell(proxy_port, TRIGGERSYNC_TOKEN="tok-9")
        ran = triggersync(env, "plan", config("triggers: []\n"))
    assert seen == []
    assert ran.returncode == 1
    assert ran.stderr.startswith("Error: no API URL: set TRIGGERSYNC_SUBDOMAIN")
    assert "TRIGGERSYNC_API_URL" in ran.stderr
    assert ran.stderr.count("\n") == 1


def test_the_retired_host_named_explicitly_is_warned_about_then_used(config: Config) -> None:
    with loopback_tls.serve(tls=False) as (proxy_port, seen):
        env = fresh_shell(
            proxy_port,
            TRIGGERSYNC_API_URL="https://www.zopim.com/api/v2",
            TRIGGERSYNC_TOKEN="tok-9",
        )
        ran = triggersync(env, "plan", config("triggers: []\n"))
    assert seen == [("CONNECT", "www.zopim.com:443")]
    warning, error = ran.stderr.splitlines()
    assert warning.startswith(
        "warning: TRIGGERSYNC_API_URL names www.zopim.com, which Zendesk retired on 2025-05-12"
    )
    assert error.startswith("Error: ")


@pytest.mark.parametrize("value", ["acme.zendesk.com", "https://acme.zendesk.com"])
def test_a_host_given_as_the_subdomain_suggests_the_subdomain(
    run: Run, config: Config, emulator: Emulator, value: str
) -> None:
    ran = run(
        "plan",
        config("triggers: []\n"),
        extra_env={"TRIGGERSYNC_API_URL": "", "TRIGGERSYNC_SUBDOMAIN": value},
    )
    assert ran.code == 1
    assert "set TRIGGERSYNC_SUBDOMAIN=acme " in ran.stderr
    assert emulator.stats()["total"] == 0


def test_client_credentials_find_the_emulators_token_endpoint_by_themselves(
    run: Run, config: Config, emulator: Emulator
) -> None:
    credentials = emulator.credentials
    ran = run(
        "plan",
        config("triggers: []\n"),
        extra_env={
            "TRIGGERSYNC_EMAIL": "",
            "TRIGGERSYNC_PASSWORD": "",
            "TRIGGERSYNC_TOKEN": "",
            "TRIGGERSYNC_CLIENT_ID": credentials.client_id,
            "TRIGGERSYNC_CLIENT_SECRET": credentials.client_secret,
        },
    )
    assert (ran.code, ran.stderr) == (0, "")
    assert emulator.stats()["token"] == 1


def test_validate_needs_no_url(tmp_path: Path, run: Run, config: Config) -> None:
    ran = run("validate", config("triggers: []\n"), extra_env={"TRIGGERSYNC_API_URL": ""})
    assert ran.code == 0
