"""`triggersync emulator` as a user runs it: a subprocess, stopped by a signal."""

from __future__ import annotations

import os
import selectors
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from triggersync.emulator.store import Store

TRIGGERSYNC = str(Path(sys.executable).parent / "triggersync")
WAIT = 30  # seconds: generous bounds for a slow CI machine, never a sleep


@contextmanager
def running(*args: str, env: Mapping[str, str] | None = None) -> Iterator[subprocess.Popen[str]]:
    with subprocess.Popen(
        [TRIGGERSYNC, "emulator", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    ) as process:
        try:
            yield process
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate(timeout=WAIT)


BANNER_LINES = 7  # the URL, export lines: the API URL, five credentials


def banner(process: subprocess.Popen[str]) -> list[str]:
    """What the emulator prints at start, waiting a bounded time for it to arrive."""
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        assert selector.select(timeout=WAIT), "the emulator printed nothing"
    # Read exactly the banner: communicate() later reads the pipe, not this text buffer.
    return [process.stdout.readline() for _ in range(BANNER_LINES)]


def served_url(process: subprocess.Popen[str]) -> str:
    line = banner(process)[0]
    assert line.startswith("triggersync emulator serving http://127.0.0.1:"), line
    assert line.rstrip().endswith("/api/v2/chat (also /api/v2)")
    return line.split()[3]


def stop(process: subprocess.Popen[str], signum: int = signal.SIGTERM) -> tuple[str, str]:
    process.send_signal(signum)
    return process.communicate(timeout=WAIT)


def get(url: str, auth: tuple[str, str]) -> requests.Response:
    with requests.Session() as session:
        session.trust_env = False
        return session.get(url, auth=auth, timeout=WAIT)


def post(url: str, body: dict[str, object], auth: tuple[str, str]) -> requests.Response:
    with requests.Session() as session:
        session.trust_env = False
        return session.post(url, json=body, auth=auth, timeout=WAIT)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serves_until_signalled_and_persists(tmp_path: Path, signum: int) -> None:
    db = tmp_path / "emulator.sqlite"
    with running("--db", str(db), "--verbose") as process:
        url = served_url(process)
        created = post(f"{url}/triggers", {"name": "Saved"}, ("demo@example.com", "demo-password"))
        _, stderr = stop(process, signum)
    assert created.status_code == 201
    assert process.returncode == 0
    assert "POST /api/v2/chat/triggers 201" in stderr
    store = Store(str(db))
    try:
        assert store.get("Saved") == created.json()
    finally:
        store.close()


def test_prints_its_default_credentials() -> None:
    with running() as process:
        stdout = "".join(banner(process))
        stop(process)
    for expected in ("demo@example.com", "demo-password", "demo-token", "demo-client"):
        assert expected in stdout


def test_prints_no_token_url_to_outlive_it() -> None:
    # The token URL follows the API URL by default; one exported for the emulator would
    # stay in the shell and send the next real account's client secret to localhost.
    with running() as process:
        stdout = "".join(banner(process))
        stop(process)
    assert "TRIGGERSYNC_TOKEN_URL" not in stdout


def test_uses_and_never_prints_credentials_from_its_environment() -> None:
    env = {"TRIGGERSYNC_EMAIL": "ops@example.com", "TRIGGERSYNC_PASSWORD": "s3cret-pw"}
    with running(env=env) as process:
        printed = banner(process)
        url = printed[0].split()[3]
        accepted = get(f"{url}/triggers", ("ops@example.com", "s3cret-pw"))
        refused = get(f"{url}/triggers", ("demo@example.com", "demo-password"))
        stdout, stderr = stop(process)
    stdout = "".join(printed) + stdout
    assert (accepted.status_code, refused.status_code) == (200, 401)
    assert "s3cret-pw" not in stdout + stderr
    assert "ops@example.com" not in stdout + stderr


def test_fault_flags_reach_the_server() -> None:
    with running("--fail-rate", "1") as process:
        url = served_url(process)
        response = get(f"{url}/triggers", ("demo@example.com", "demo-password"))
        stop(process)
    assert response.status_code == 503


@pytest.mark.parametrize(
    ("flags", "stamped"), [((), {"version": 1, "editor": "developer"}), (("--no-stamp",), {})]
)
def test_created_definitions_are_stamped_unless_told_not_to(
    flags: tuple[str, ...], stamped: dict[str, object]
) -> None:
    definition = {"event": "page_enter", "condition": ["and"], "actions": []}
    with running(*flags) as process:
        url = served_url(process)
        body = {"name": "T", "definition": definition}
        response = post(f"{url}/triggers", body, ("demo@example.com", "demo-password"))
        stop(process)
    assert response.json()["definition"] == {**definition, **stamped}


def test_busy_port_is_an_error_without_traceback() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        done = subprocess.run(
            [TRIGGERSYNC, "emulator", "--port", port],
            capture_output=True,
            text=True,
            timeout=WAIT,
            check=False,
        )
    assert done.returncode == 1
    assert "cannot serve" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.1", "example.com"])
def test_a_host_off_loopback_is_refused(host: str) -> None:
    from click.testing import CliRunner

    from triggersync.cli.main import cli

    result = CliRunner().invoke(cli, ["emulator", "--host", host, "--port", "0"])
    assert result.exit_code == 1
    assert "loopback" in result.stderr


def test_requests_are_not_logged_without_verbose() -> None:
    # Started with `&` in the user's terminal, a request log would land inside a plan.
    with running() as process:
        url = served_url(process)
        listed = get(f"{url}/triggers", ("demo@example.com", "demo-password"))
        stdout, stderr = stop(process)
    assert listed.status_code == 200
    assert "/triggers" not in stdout + stderr


def test_log_file_receives_the_requests(tmp_path: Path) -> None:
    log = tmp_path / "requests.log"
    with running("--log", str(log)) as process:
        url = served_url(process)
        get(f"{url}/triggers", ("demo@example.com", "demo-password"))
        _, stderr = stop(process)
    assert "GET /api/v2/chat/triggers 200" in log.read_text(encoding="utf-8")
    assert "/triggers" not in stderr


def test_banner_is_export_lines_a_shell_can_run() -> None:
    with running() as process:
        printed = banner(process)
        stop(process)
    url = printed[0].split()[3]
    script = "".join(printed[1:]) + 'printf "%s|%s|%s" "$TRIGGERSYNC_API_URL" '
    script += '"$TRIGGERSYNC_EMAIL" "$TRIGGERSYNC_PASSWORD"'
    done = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, timeout=WAIT, check=True
    )
    assert done.stdout == f"{url}|demo@example.com|demo-password"


@pytest.mark.parametrize("port", ["99999", "-1", "65536"])
def test_a_port_out_of_range_is_a_clear_error(port: str) -> None:
    from click.testing import CliRunner

    from triggersync.cli.main import cli

    result = CliRunner().invoke(cli, ["emulator", "--port", port])
    assert result.exit_code == 1
    assert "0<=x<=65535" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_log_file_that_cannot_be_opened_is_a_clear_error(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from triggersync.cli.main import cli

    target = tmp_path / "missing" / "requests.log"
    result = CliRunner().invoke(cli, ["emulator", "--port", "0", "--log", str(target)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot open the log file {target}: ")
