"""`-v` logs each request (method, path, status, duration) on stderr, and never a header."""

from __future__ import annotations

import re
from collections.abc import Callable

from clirun import Run

from triggersync.emulator.server import Emulator, Faults

Config = Callable[[str], str]
REQUEST_LINE = re.compile(r"^(GET|POST|PUT|DELETE) (/triggers\S*) (\d{3}) (\d+\.\d{3})s$", re.M)


def test_verbose_logs_method_path_status_and_duration(run: Run, config: Config) -> None:
    ran = run("plan", config("triggers:\n  - name: A\n"), "-v")
    assert ran.code == 0
    assert [m[:3] for m in REQUEST_LINE.findall(ran.stderr)] == [("GET", "/triggers", "200")]


def test_verbose_logs_every_request_of_an_apply(
    run: Run, emulator: Emulator, config: Config
) -> None:
    emulator.store.create({"name": "Old Name", "description": "", "enabled": 1})
    ran = run("apply", config("triggers:\n  - name: New one\n"), "--yes", "-v", "--force")
    logged = sorted(m[:3] for m in REQUEST_LINE.findall(ran.stderr))
    assert logged == [
        ("DELETE", "/triggers/Old%20Name", "204"),
        ("DELETE", "/triggers/triggersync%20lock", "204"),  # the account's lock released
        ("GET", "/triggers", "200"),
        ("GET", "/triggers", "200"),  # again, under the lock
        ("GET", "/triggers/triggersync%20lock", "200"),  # still this run's, before its release
        ("POST", "/triggers", "201"),
        ("POST", "/triggers", "201"),  # the lock taken
    ]


def test_verbose_logs_each_retry(run: Run, emulator: Emulator, config: Config) -> None:
    emulator.faults = Faults(fail_rate=1.0)
    ran = run("plan", config("triggers: []\n"), "-v", extra_env={"TRIGGERSYNC_MAX_ATTEMPTS": "3"})
    assert ran.code == 1
    assert [m[2] for m in REQUEST_LINE.findall(ran.stderr)] == ["503"] * 3


def test_verbose_logs_a_failed_connection_without_a_status(run: Run, config: Config) -> None:
    ran = run(
        "plan",
        config("triggers: []\n"),
        "-v",
        "--api-url",
        "http://127.0.0.1:9/api/v2/chat",
        extra_env={"TRIGGERSYNC_MAX_ATTEMPTS": "1"},
    )
    assert re.search(
        r"^GET /triggers cannot connect to \S+ \(set by --api-url; is the server up\?\) ",
        ran.stderr,
        re.M,
    )


def test_verbose_shows_no_header_value(run: Run, config: Config) -> None:
    ran = run("plan", config("triggers: []\n"), "-v", extra_env={"TRIGGERSYNC_TOKEN": "tok-9f3a"})
    assert REQUEST_LINE.search(ran.stderr)
    for value in ("tok-9f3a", "Bearer", "Authorization", "triggersync", "application/json"):
        assert value not in ran.stderr


def test_without_verbose_no_request_is_logged(run: Run, config: Config) -> None:
    run("plan", config("triggers: []\n"), "-v")
    ran = run("plan", config("triggers: []\n"))
    assert not REQUEST_LINE.search(ran.stderr)
    assert ran.stderr == ""
