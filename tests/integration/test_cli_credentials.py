"""Credential variables as CI systems really set them: a secret pasted with its trailing
newline works, one that no HTTP request can carry is one clear error naming the variable, and
never a traceback that prints it (the `run` fixture fails the test on any traceback)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from clirun import Run

from triggersync.emulator.server import Credentials, Emulator

Config = Callable[[str], str]
BASIC = ("TRIGGERSYNC_EMAIL", "TRIGGERSYNC_PASSWORD")


def token_env(emulator: Emulator, token: str) -> dict[str, str]:
    """Bearer auth alone: no basic credentials for the token to fall back on."""
    return {"TRIGGERSYNC_API_URL": emulator.url, "TRIGGERSYNC_TOKEN": token}


def test_a_token_pasted_with_its_trailing_newline_works(
    emulator: Emulator, run: Run, config: Config
) -> None:
    env = token_env(emulator, emulator.credentials.token + "\n")
    ran = run("plan", config("triggers: []\n"), extra_env={**env, **dict.fromkeys(BASIC, "")})
    assert (ran.code, ran.stderr) == (0, "")  # a refused token would be an error, exit 1


@pytest.mark.parametrize(
    ("token", "problem"),
    [
        ("demo\ntoken", "a control character"),
        ("demo-token\r\nX-Injected: 1", "a control character"),
        ("tok\u20acn", "a character beyond Latin-1"),
    ],
    ids=["newline-inside", "header-injection", "euro-sign"],
)
def test_a_token_no_header_can_carry_is_one_error_naming_the_variable(
    emulator: Emulator, run: Run, config: Config, token: str, problem: str
) -> None:
    env = token_env(emulator, token)
    ran = run("plan", config("triggers: []\n"), extra_env={**env, **dict.fromkeys(BASIC, "")})
    assert (ran.code, ran.stdout) == (1, "")
    assert ran.stderr.startswith(f"Error: TRIGGERSYNC_TOKEN holds {problem}")
    assert ran.stderr.count("\n") == 1
    assert "tok" not in ran.stderr.replace("TRIGGERSYNC_TOKEN", "")
    assert emulator.stats()["total"] == 0  # refused before anything was sent


def test_a_password_with_a_control_character_inside_is_refused_by_name(
    run: Run, config: Config
) -> None:
    ran = run("plan", config("triggers: []\n"), extra_env={"TRIGGERSYNC_PASSWORD": "pass\tword"})
    assert ran.code == 1
    assert ran.stderr.startswith("Error: TRIGGERSYNC_PASSWORD holds a control character")
    assert "word" not in ran.stderr


def test_an_email_with_a_colon_is_refused_at_once_by_name(
    emulator: Emulator, run: Run, config: Config
) -> None:
    env = {"TRIGGERSYNC_EMAIL": "ops:team@example.com", "TRIGGERSYNC_PASSWORD": "pw"}
    ran = run("plan", config("triggers: []\n"), extra_env=env)
    assert (ran.code, ran.stdout) == (1, "")
    assert ran.stderr.startswith("Error: TRIGGERSYNC_EMAIL holds a colon (:), which basic ")
    assert ran.stderr.count("\n") == 1
    assert emulator.stats()["total"] == 0  # refused before anything was sent


def test_a_password_beyond_latin_1_is_sent_as_utf_8(run: Run, config: Config) -> None:
    with Emulator(port=0, credentials=Credentials(password="pä55w\u20acrd")) as emulator:
        env = {
            "TRIGGERSYNC_API_URL": emulator.url,
            "TRIGGERSYNC_PASSWORD": " pä55w\u20acrd\n",
        }
        ran = run("plan", config("triggers: []\n"), extra_env=env)
    assert (ran.code, ran.stderr) == (0, "")
