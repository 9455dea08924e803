"""Settings a newcomer gets almost right: each mistake is named, with what to do instead."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from clirun import Run

from triggersync.emulator.server import Emulator

Config = Callable[[str], str]
NO_CREDENTIALS = dict.fromkeys(("TRIGGERSYNC_EMAIL", "TRIGGERSYNC_PASSWORD"), "")


@pytest.mark.parametrize(
    ("set_alone", "missing"),
    [
        ("TRIGGERSYNC_EMAIL", "TRIGGERSYNC_PASSWORD"),
        ("TRIGGERSYNC_PASSWORD", "TRIGGERSYNC_EMAIL"),
        ("TRIGGERSYNC_CLIENT_ID", "TRIGGERSYNC_CLIENT_SECRET"),
        ("TRIGGERSYNC_CLIENT_SECRET", "TRIGGERSYNC_CLIENT_ID"),
    ],
)
def test_half_a_credential_pair_names_the_missing_half(
    run: Run, config: Config, emulator: Emulator, set_alone: str, missing: str
) -> None:
    env = {**NO_CREDENTIALS, set_alone: "something"}
    ran = run("plan", config("triggers: []\n"), extra_env=env)
    assert (ran.code, ran.stdout) == (1, "")
    assert ran.stderr == (
        f"Error: {set_alone} is set but {missing} is not: set both (or TRIGGERSYNC_TOKEN)\n"
    )
    assert emulator.stats()["total"] == 0


@pytest.mark.parametrize(
    ("near_miss", "meant"),
    [
        ("TRIGGERSYNC_API_TOKEN", "TRIGGERSYNC_TOKEN"),
        ("TRIGGERSYNC_SUBDOMIAN", "TRIGGERSYNC_SUBDOMAIN"),
    ],
)
def test_a_near_miss_variable_gets_a_did_you_mean(
    run: Run, config: Config, near_miss: str, meant: str
) -> None:
    ran = run("plan", config("triggers: []\n"), extra_env={near_miss: "value-never-shown"})
    assert ran.stderr.startswith(
        f"warning: {near_miss} is not a variable triggersync reads (did you mean {meant}?)\n"
    )
    assert "value-never-shown" not in ran.stderr


def test_a_variable_of_ones_own_beside_the_one_it_resembles_is_no_near_miss(
    run: Run, config: Config
) -> None:
    # The emulator's password is set: TRIGGERSYNC_PASS cannot be a forgotten one.
    ran = run("plan", config("triggers: []\n"), extra_env={"TRIGGERSYNC_PASS": "x"})
    assert (ran.code, ran.stderr) == (0, "")


def test_an_api_url_without_its_path_names_the_url_and_the_setting(
    run: Run, config: Config, emulator: Emulator
) -> None:
    bare = emulator.url.split("/api/")[0]
    ran = run("plan", config("triggers: []\n"), "--api-url", bare)
    assert ran.code == 1
    assert ran.stderr == (
        "Error: GET /triggers: HTTP 404: no such path: /triggers; no trigger list at "
        f"{bare} (set by --api-url): the Chat API's base URL ends in /api/v2/chat, "
        "e.g. https://acme.zendesk.com/api/v2/chat\n"
    )


def test_an_api_url_variable_without_its_path_names_the_variable(
    run: Run, config: Config, emulator: Emulator
) -> None:
    bare = emulator.url.split("/api/")[0]
    ran = run("plan", config("triggers: []\n"), extra_env={"TRIGGERSYNC_API_URL": bare + "/"})
    assert ran.code == 1
    assert f"no trigger list at {bare} (set by TRIGGERSYNC_API_URL)" in ran.stderr
