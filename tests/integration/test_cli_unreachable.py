"""An API that cannot be reached, or is reached the wrong way: the first error line names the
URL tried and the setting that chose it, retries are announced at once, and the advice points
the right way (no TLS on a plain-http server, no /triggers in a base URL)."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator

import pytest
from clirun import Run

from triggersync.emulator.server import Emulator

Config = Callable[[str], str]


@pytest.fixture
def closed_url() -> Iterator[str]:
    """A loopback port bound but never listening: every connection is refused."""
    with socket.socket() as bound:
        bound.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{bound.getsockname()[1]}/api/v2"


def test_an_unreachable_api_url_option_announces_its_retries_once(
    run: Run, config: Config, closed_url: str
) -> None:
    ran = run("plan", config("triggers: []\n"), "--api-url", closed_url)
    assert ran.code == 1
    lines = ran.stderr.splitlines()
    assert lines[0] == (
        f"GET /triggers: cannot connect to {closed_url} (set by --api-url; is the server up?); "
        "retrying for up to 1 s (TRIGGERSYNC_MAX_ATTEMPTS=6)"
    )
    assert lines[1:] == [lines[0].split("; retrying")[0].replace("GET", "Error: GET", 1)]


def test_an_unreachable_api_url_variable_is_named(
    run: Run, config: Config, closed_url: str
) -> None:
    env = {"TRIGGERSYNC_API_URL": closed_url, "TRIGGERSYNC_MAX_ATTEMPTS": "1"}
    ran = run("plan", config("triggers: []\n"), extra_env=env)
    assert ran.code == 1
    assert ran.stderr == (
        f"Error: GET /triggers: cannot connect to {closed_url} "
        "(set by TRIGGERSYNC_API_URL; is the server up?)\n"
    )


def test_https_to_the_plain_http_emulator_says_it_does_not_speak_tls(
    run: Run, config: Config, emulator: Emulator
) -> None:
    url = emulator.url.replace("http://", "https://", 1)
    ran = run("plan", config("triggers: []\n"), "--api-url", url)
    assert ran.code == 1
    assert ran.stderr == (
        f"Error: GET /triggers: the server at {url} does not speak TLS "
        "(set by --api-url; did you mean http://?)\n"
    )


@pytest.mark.parametrize("suffix", ["/triggers", "/triggers/"])
def test_a_base_url_ending_in_triggers_is_refused_with_the_base_to_use(
    run: Run, config: Config, emulator: Emulator, suffix: str
) -> None:
    ran = run("plan", config("triggers: []\n"), "--api-url", emulator.url + suffix)
    assert ran.code == 1
    assert ran.stderr == (
        f"Error: --api-url must be the API's base URL, without /triggers: use {emulator.url!r}\n"
    )
