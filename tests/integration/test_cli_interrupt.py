"""Ctrl-C and SIGTERM, as a user sends them: the CLI as a subprocess, against an emulator
slow enough that the apply is still running when the signal comes, or against a loopback
server that hangs, before or during the apply.

The signal is sent once the output shows the first applied change, or once the server has
the request: no sleeps, no timing.
"""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from canned_http import (
    LOCK_PATH,
    LOCK_RELEASED,
    LOCK_SHOWN,
    LOCK_TAKEN,
    Canned,
    canned_server,
    locked,
)

from triggersync.emulator.server import Emulator, Faults

SCRIPT = Path(sys.executable).parent / "triggersync"
WAIT = 60  # seconds: a bound for a slow machine, never a sleep
COUNT = 60
SUMMARY = re.compile(
    r"Apply interrupted: (\d+) created, 0 updated, 0 deleted\. 0 failed, 0 skipped, "
    r"(\d+) not applied; plan again to see what is left\."
)


@contextmanager
def applying(emulator: Emulator, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    config = tmp_path / "triggers.yaml"
    config.write_text("triggers:\n" + "".join(f"  - name: T{i:03}\n" for i in range(COUNT)))
    token = {"TRIGGERSYNC_TOKEN": emulator.credentials.token}
    with cli(emulator.url, "apply", str(config), "--yes", env=token) as process:
        yield process


def read_stderr_until(process: subprocess.Popen[bytes], marker: bytes) -> bytes:
    """Everything on stderr up to and including `marker`, waiting a bounded time for it."""
    assert process.stderr is not None
    fd = process.stderr.fileno()
    seen = b""
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while marker not in seen:
            assert selector.select(timeout=WAIT), f"waited for {marker!r}; got {seen!r}"
            chunk = os.read(fd, 65536)
            assert chunk, f"stderr closed before {marker!r}; got {seen!r}"
            seen += chunk
    return seen


def interrupt(emulator: Emulator, tmp_path: Path, signum: int) -> tuple[int, str, str]:
    """Start an apply, send `signum` once the first change is reported, wait for the end."""
    with applying(emulator, tmp_path) as process:
        seen = read_stderr_until(process, b"  created ")
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=WAIT)
    return process.returncode, stdout.decode(), (seen + stderr).decode()


def live_count(emulator: Emulator) -> int:
    with requests.Session() as session:
        session.trust_env = False
        auth = (emulator.credentials.email, emulator.credentials.password)
        return len(session.get(f"{emulator.url}/triggers", auth=auth, timeout=WAIT).json())


def test_ctrl_c_stops_the_apply_and_exits_130(emulator: Emulator, tmp_path: Path) -> None:
    emulator.faults = Faults(latency_ms=300)
    code, stdout, _ = interrupt(emulator, tmp_path, signal.SIGINT)
    assert code == 130
    summary = SUMMARY.search(stdout)
    assert summary is not None, stdout
    created, not_applied = int(summary[1]), int(summary[2])
    assert created + not_applied == COUNT
    assert not_applied > 0
    assert live_count(emulator) == created


def test_sigterm_stops_the_apply_and_exits_143(emulator: Emulator, tmp_path: Path) -> None:
    emulator.faults = Faults(latency_ms=300)
    code, stdout, _ = interrupt(emulator, tmp_path, signal.SIGTERM)
    assert code == 143
    summary = SUMMARY.search(stdout)
    assert summary is not None, stdout
    assert live_count(emulator) == int(summary[1]) < COUNT


def test_every_change_that_ran_is_reported(emulator: Emulator, tmp_path: Path) -> None:
    emulator.faults = Faults(latency_ms=300)
    _, _, stderr = interrupt(emulator, tmp_path, signal.SIGINT)
    reported = re.findall(r'^  created "(T\d{3})"$', stderr, re.M)
    assert sorted(reported) == sorted(t["name"] for t in emulator.store.list())


def test_the_interrupt_is_acknowledged_at_once(emulator: Emulator, tmp_path: Path) -> None:
    emulator.faults = Faults(latency_ms=300)
    _, _, stderr = interrupt(emulator, tmp_path, signal.SIGINT)
    assert "Interrupted: starting no new change, finishing those in flight" in stderr


def test_a_second_ctrl_c_exits_without_waiting_for_the_changes_in_flight(
    emulator: Emulator, tmp_path: Path
) -> None:
    # Slow enough that the changes in flight are still running when the second signal lands.
    emulator.faults = Faults(latency_ms=2000)
    with applying(emulator, tmp_path) as process:
        read_stderr_until(process, b"  created ")
        process.send_signal(signal.SIGINT)
        read_stderr_until(process, b"Interrupted: ")
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=WAIT)
    assert process.returncode == 130
    assert b"Interrupted again: exiting at once" in stderr
    assert b"The account's lock may be left behind: once no apply runs, remove it with" in stderr
    assert b"Apply interrupted" not in stdout  # it did not wait to report the end


# -- a server that hangs --------------------------------------------------------------------

SILENT = Canned(200, b"[]", trickle=3600)  # not one byte of its answer for an hour
MADE = b'{"id": 7, "name": "T000", "description": "", "enabled": 1' + b" " * 2000 + b"}"


@contextmanager
def cli(
    url: str, *args: str, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """The CLI as a subprocess against `url`; killed on the way out if it is still running."""
    full_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TRIGGERSYNC_API_URL": url,
        "TRIGGERSYNC_TOKEN": "demo-token",
        **(env or {}),
    }
    command = [str(SCRIPT), *args]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full_env, bufsize=0
    ) as process:
        try:
            yield process
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate(timeout=WAIT)


@pytest.mark.parametrize("command", ["plan", "apply", "drift", "export"])
def test_ctrl_c_while_listing_exits_130(tmp_path: Path, command: str) -> None:
    config = tmp_path / "triggers.yaml"
    config.write_text("triggers:\n  - name: T000\n")
    args = {"plan": [str(config)], "apply": [str(config), "--yes"], "drift": [str(config)]}
    with (
        canned_server(SILENT) as (url, script),
        cli(url, command, *args.get(command, [])) as process,
    ):
        assert script.wait_for(1, WAIT)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=WAIT)
    assert process.returncode == 130
    assert stderr.decode().endswith("\nInterrupted.\n")
    assert b"Traceback" not in stderr


def test_ctrl_c_cuts_off_a_change_whose_answer_trickles_after_a_grace(tmp_path: Path) -> None:
    # One byte every half second: never silent long enough to time out, and far longer in
    # all than this test waits for the run to end.
    trickling = Canned(201, MADE, trickle=0.5)
    config = tmp_path / "triggers.yaml"
    config.write_text("triggers:\n  - name: T000\n")
    env = {"TRIGGERSYNC_TIMEOUT": "3600"}
    with (
        canned_server(*locked(Canned(200, b"[]"), trickling)) as (url, script),
        cli(url, "apply", str(config), "--yes", env=env) as process,
    ):
        assert script.wait_for(4, WAIT)  # the list, the lock, the list, the create trickling
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=WAIT)
    assert process.returncode == 130
    assert stderr.decode().splitlines()[-1] == (
        'Error: "T000": POST /triggers: cut off by the interrupt before its answer came; '
        "whether it took effect is unknown: plan again to see"
    )
    assert stdout.decode().endswith(
        "Apply interrupted: 0 created, 0 updated, 0 deleted. 1 failed, 0 skipped, "
        "0 not applied; plan again to see what is left.\n"
    )
    assert sorted(script.finished) == [False, True, True, True, True, True]  # the trickling one
    assert script.seen[-1] == ("DELETE", LOCK_PATH)  # the lock released, after the cut-off


def test_ctrl_c_in_a_project_apply_releases_each_accounts_lock_after_the_cut_off(
    tmp_path: Path,
) -> None:
    trickling = Canned(201, MADE, trickle=0.5)
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "triggers.yaml").write_text("triggers:\n  - name: T000\n")
    env = {"TRIGGERSYNC_TIMEOUT": "3600", "PROD_TOKEN": "demo-token"}
    empty = Canned(200, b"[]")
    # The list, the lock, the lists under it (the lock's own look, the plan's check), the create.
    script_ = (empty, LOCK_TAKEN, empty, empty, trickling, LOCK_SHOWN, LOCK_RELEASED)
    with canned_server(*script_) as (url, script):
        (tmp_path / "triggersync.yaml").write_text(
            "accounts:\n"
            f"  prod:\n    api_url: {url}\n    paths: [t]\n"
            "    credentials: {token: PROD_TOKEN}\n"
        )
        project = str(tmp_path / "triggersync.yaml")
        with cli(url, "apply", "--project", project, "--yes", env=env) as process:
            assert script.wait_for(5, WAIT)  # up to the create, trickling
            process.send_signal(signal.SIGINT)
            _, stderr = process.communicate(timeout=WAIT)
    assert process.returncode == 130, stderr.decode()
    assert b"lock" not in stderr, stderr.decode()
    assert script.seen[-1] == ("DELETE", LOCK_PATH)  # the lock released, after the cut-off


def test_a_second_ctrl_c_in_a_project_apply_says_which_accounts_lock_may_be_left(
    emulator: Emulator, tmp_path: Path
) -> None:
    emulator.faults = Faults(latency_ms=2000)
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "triggers.yaml").write_text(
        "triggers:\n" + "".join(f"  - name: T{i:03}\n" for i in range(COUNT))
    )
    (tmp_path / "triggersync.yaml").write_text(
        f"accounts:\n  prod:\n    api_url: {emulator.url}\n    paths: [t]\n"
        "    credentials: {token: PROD_TOKEN}\n"
    )
    project = str(tmp_path / "triggersync.yaml")
    env = {"PROD_TOKEN": emulator.credentials.token}
    with cli(emulator.url, "apply", "--project", project, "--yes", env=env) as process:
        read_stderr_until(process, b"  prod: created ")
        process.send_signal(signal.SIGINT)
        read_stderr_until(process, b"Interrupted: ")
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=WAIT)
    assert process.returncode == 130
    assert b"Interrupted again: exiting at once" in stderr
    assert (
        b"The lock of account prod may be left behind: once no apply runs, remove it with "
        b"`triggersync unlock --account prod`." in stderr
    )


@pytest.mark.parametrize("command", ["plan", "apply", "drift"])
def test_ctrl_c_while_a_projects_accounts_are_listed_exits_130_at_once(
    tmp_path: Path, command: str
) -> None:
    # Two accounts list at once, each on its own thread; a server that never answers must not
    # hold the run until each request's timeout (120 s) once the user pressed Ctrl-C.
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "triggers.yaml").write_text("triggers:\n  - name: T000\n")
    with canned_server(SILENT) as (one, first), canned_server(SILENT) as (two, second):
        (tmp_path / "triggersync.yaml").write_text(
            "accounts:\n"
            + "".join(
                f"  {name}:\n    api_url: {url}\n    paths: [t]\n"
                "    credentials: {token: A_TOKEN}\n"
                for name, url in (("one", one), ("two", two))
            )
        )
        project = str(tmp_path / "triggersync.yaml")
        extra = ["--yes"] if command == "apply" else []
        with cli(one, command, "--project", project, *extra, env={"A_TOKEN": "t"}) as process:
            # Both accounts' lists are waiting for an answer.
            assert first.wait_for(1, WAIT)
            assert second.wait_for(1, WAIT)
            process.send_signal(signal.SIGINT)
            _, stderr = process.communicate(timeout=WAIT)
    assert process.returncode == 130
    assert stderr.decode().endswith("\nInterrupted.\n")
    assert b"Traceback" not in stderr
