"""One apply at a time per account: the lock apply holds in the account, `--lock-timeout`,
`triggersync unlock`, and the race that lost a trigger before there was a lock.

The race runs real processes against the emulator; the first run's slow step is held at a
loopback gate in front of the emulator, and everything waits on events that can be seen (a
request reaching the gate, a line on stderr), never on sleeps.
"""

from __future__ import annotations

import json
import os
import pty
import selectors
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from clirun import Run

from triggersync.api.client import Client
from triggersync.emulator.server import Emulator, Faults
from triggersync.engine.lock import LOCK_NAME, Holder
from triggersync.engine.model import Trigger
from triggersync.engine.plan import temporary_name

Config = Callable[[str], str]
SCRIPT = Path(sys.executable).parent / "triggersync"
WAIT = 60  # seconds: a bound for a slow machine, never a sleep
OLD = {"event": "page_enter", "condition": ["and"], "actions": [["addTag", "old"]]}
NEW = {"event": "chat_requested", "condition": ["and"], "actions": [["addTag", "new"]]}
NAMES = [f"R{i:02}" for i in range(1, 11)]


def another_run(hours: float = 0) -> Holder:
    since = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(hours=hours)
    return Holder("bob@ci-runner-3, pid 4242, run ba9876543210", since, "ba9876543210")


def hold(emulator: Emulator, holder: Holder) -> None:
    """The lock, as another run took it."""
    emulator.store.create(holder.body())


def the_lock(emulator: Emulator) -> Holder | None:
    found = [t for t in emulator.store.list() if t["name"] == LOCK_NAME]
    return Holder.read(found[0]["description"]) if found else None


def live(emulator: Emulator) -> dict[str, Any]:
    return {t["name"]: t.get("definition") for t in emulator.store.list()}


def seed(emulator: Emulator) -> None:
    for name in NAMES:
        emulator.store.create({"name": name, "definition": OLD})


def declared(r05: dict[str, Any], r01: str = "") -> str:
    """R01 to R10, each with the OLD definition but R05, which has `r05`; R01 described `r01`."""
    lines = ["triggers:"]
    for name in NAMES:
        definition = json.dumps(r05 if name == "R05" else OLD)
        description = json.dumps(r01 if name == "R01" else "")
        lines += [f"  - name: {name}", f"    description: {description}"]
        lines.append(f"    definition: {definition}")
    return "\n".join(lines) + "\n"


# -- a second apply ---------------------------------------------------------------------------


def test_a_second_apply_refuses_at_once_naming_holder_time_and_unlock(
    run: Run, emulator: Emulator, config: Config
) -> None:
    holder = another_run(hours=3)
    hold(emulator, holder)
    ran = run("apply", config("triggers:\n  - name: A\n"), "--yes")
    assert ran.code == 1
    [line] = ran.stderr.splitlines()
    assert line.startswith(
        "Error: cannot acquire the account's lock: another apply holds it: bob@ci-runner-3, "
        "pid 4242, run ba9876543210 since "
    )
    assert "(3 h 0 min ago); nothing was changed." in line  # an old lock still refuses
    assert line.endswith("remove the lock with `triggersync unlock`")
    assert live(emulator) == {LOCK_NAME: None}
    assert the_lock(emulator) == holder


def test_a_lock_made_by_hand_under_a_longer_name_refuses_too(
    run: Run, emulator: Emulator, config: Config
) -> None:
    emulator.store.create(
        {"name": "triggersync lock: carol", "description": "deploying", "enabled": 0}
    )
    ran = run("apply", config("triggers:\n  - name: A\n"), "--yes")
    assert ran.code == 1
    assert "another apply holds it: deploying (since when, its description does not say)" in (
        ran.stderr
    )
    assert list(live(emulator)) == ["triggersync lock: carol"]  # this run's own lock released


def test_unlock_removes_a_lock_made_by_hand_naming_it(run: Run, emulator: Emulator) -> None:
    emulator.store.create(
        {"name": "triggersync lock: carol", "description": "deploying", "enabled": 0}
    )
    ran = run("unlock", "--yes")
    assert ran.code == 0
    assert ran.stdout.splitlines()[-1] == (
        'Removed the account\'s lock ("triggersync lock: carol") held by deploying (since when, '
        "its description does not say)."
    )
    assert live(emulator) == {}


def test_a_run_with_nothing_to_change_takes_no_lock(
    run: Run, emulator: Emulator, config: Config
) -> None:
    hold(emulator, another_run())
    emulator.store.create({"name": "A"})
    emulator.reset_stats()
    ran = run("apply", config("triggers:\n  - name: A\n"), "--yes")
    assert (ran.code, ran.stdout) == (0, "No changes.\n")
    assert emulator.stats()["create"] == emulator.stats()["delete"] == 0


def test_the_lock_is_released_after_the_last_change(
    run: Run, emulator: Emulator, config: Config
) -> None:
    ran = run("apply", config("triggers:\n  - name: A\n"), "--yes")
    assert ran.code == 0
    assert list(live(emulator)) == ["A"]
    assert emulator.stats()["create"] == 2  # the lock's, then A's


def test_the_lock_is_released_after_a_failed_change(
    run: Run, emulator: Emulator, config: Config
) -> None:
    emulator.faults = Faults(fail_names=frozenset({"A"}))
    ran = run("apply", config("triggers:\n  - name: A\n  - name: B\n"), "--yes")
    assert ran.code == 1
    assert list(live(emulator)) == ["B"]


def test_a_lock_whose_release_fails_is_said_and_fails_the_run(
    run: Run, emulator: Emulator, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = Client.create

    def create_then_refuse_its_delete(self: Client, body: Mapping[str, Any]) -> Trigger:
        made = original(self, body)
        if body["name"] == LOCK_NAME:  # from now on, Zendesk fails every write to the lock
            emulator.faults = Faults(fail_names=frozenset({LOCK_NAME}))
        return made

    monkeypatch.setattr(Client, "create", create_then_refuse_its_delete)
    ran = run("apply", config("triggers:\n  - name: A\n"), "--yes")
    assert ran.code == 1
    assert ran.stderr.endswith(
        "may still be held: deleting it failed: DELETE /triggers/triggersync%20lock: HTTP 500: "
        "internal server error (injected); once no apply runs, remove it with "
        "`triggersync unlock`\n"
    )
    assert ran.stdout.endswith(
        "Apply complete: 1 created, 0 updated, 0 deleted. The account's lock was not released.\n"
    )
    assert the_lock(emulator) is not None


def test_a_failure_under_the_lock_and_a_failed_release_are_both_said(
    run: Run, emulator: Emulator, config: Config, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    saved = str(tmp_path / "plan.json")
    assert run("plan", config("triggers:\n  - name: A\n"), "--out", saved).code == 0
    original = Client.create

    def create_then_change_the_account(self: Client, body: Mapping[str, Any]) -> Trigger:
        made = original(self, body)
        if body["name"] == LOCK_NAME:  # a UI edit lands, then Zendesk fails the lock's delete
            emulator.store.create({"name": "Meanwhile", "enabled": 1})
            emulator.faults = Faults(fail_names=frozenset({LOCK_NAME}))
        return made

    monkeypatch.setattr(Client, "create", create_then_change_the_account)
    ran = run("apply", "--plan", saved)
    assert ran.code == 1
    assert '"Meanwhile" appeared in Zendesk' in ran.stderr
    assert "nothing was changed. Also, the account's lock (run " in ran.stderr
    assert "once no apply runs, remove it with `triggersync unlock`" in ran.stderr
    assert "A" not in live(emulator)


def test_apply_plan_takes_the_lock_too(
    run: Run, emulator: Emulator, config: Config, tmp_path: Path
) -> None:
    saved = str(tmp_path / "plan.json")
    assert run("plan", config("triggers:\n  - name: A\n"), "--out", saved).code == 0
    hold(emulator, another_run())
    ran = run("apply", "--plan", saved)
    assert ran.code == 1
    assert "cannot acquire the account's lock: another apply holds it" in ran.stderr
    assert "stale" not in ran.stderr  # the other run's lock is no change to the account


def test_a_saved_plan_is_applied_under_its_own_lock_without_looking_stale(
    run: Run, emulator: Emulator, config: Config, tmp_path: Path
) -> None:
    saved = str(tmp_path / "plan.json")
    assert run("plan", config("triggers:\n  - name: A\n"), "--out", saved).code == 0
    ran = run("apply", "--plan", saved)
    assert ran.code == 0, ran.stderr
    assert list(live(emulator)) == ["A"]


# -- the lock is outside every configuration --------------------------------------------------


def test_a_plan_never_deletes_the_lock(run: Run, emulator: Emulator, config: Config) -> None:
    hold(emulator, another_run())
    ran = run("plan", config("triggers: []\n"))
    assert (ran.code, ran.stdout) == (0, "No changes.\n")


def test_the_delete_guard_does_not_count_the_lock(
    run: Run, emulator: Emulator, config: Config
) -> None:
    hold(emulator, another_run())
    for name in NAMES:
        emulator.store.create({"name": name})
    # 3 of 10 owned triggers go: the guard's limit, not over it. With the lock counted as
    # owned (11) and pruned (4 deletes), it would be over.
    text = "triggers:\n" + "".join(f"  - name: {name}\n" for name in NAMES[:7])
    ran = run("plan", config(text), "--format", "json")
    assert ran.code == 0
    assert '"guard": null' in ran.stdout
    assert '"owned_live": 10' in ran.stdout
    assert LOCK_NAME not in ran.stdout


def test_drift_does_not_report_the_lock(run: Run, emulator: Emulator, config: Config) -> None:
    hold(emulator, another_run())
    ran = run("drift", config("triggers: []\n"))
    assert ran.code == 0, ran.stdout


def test_export_leaves_the_lock_out(run: Run, emulator: Emulator) -> None:
    hold(emulator, another_run())
    emulator.store.create({"name": "A"})
    ran = run("export")
    assert ran.code == 0
    assert "name: A" in ran.stdout
    assert "triggersync lock" not in ran.stdout


def test_explain_live_leaves_the_lock_out(run: Run, emulator: Emulator) -> None:
    hold(emulator, another_run())
    ran = run("explain", "--live")
    assert ran.code == 0
    assert "triggersync lock" not in ran.stdout


def test_adopt_never_adopts_the_lock(run: Run, emulator: Emulator, config: Config) -> None:
    hold(emulator, another_run())
    emulator.store.create({"name": "A"})
    ran = run("adopt", config("triggers:\n  - name: A\n"), "--diff")
    assert (ran.code, ran.stdout) == (0, ""), ran.stderr


def test_a_configuration_cannot_declare_the_lock(run: Run, config: Config) -> None:
    ran = run("validate", config("triggers:\n  - name: ok\n  - name: triggersync lock\n"))
    assert ran.code == 1
    assert ran.stderr.endswith(
        "triggers.yaml:3:11: triggers[1].name: 'triggersync lock' is the name of the lock an "
        "apply holds in the account, which no configuration declares; choose another name\n"
    )


def test_a_configuration_cannot_declare_a_disabled_trigger_named_like_the_lock(
    run: Run, config: Config
) -> None:
    text = "triggers:\n  - name: triggersync lock reminder\n    enabled: false\n"
    ran = run("validate", config(text))
    assert ran.code == 1
    assert ran.stderr.endswith(
        "triggers.yaml:2:11: triggers[0].name: 'triggersync lock reminder': a disabled trigger "
        "whose name starts with 'triggersync lock' is an apply's lock, which no configuration "
        "declares; enable it or choose another name\n"
    )


def test_a_configuration_cannot_rename_the_lock(run: Run, config: Config) -> None:
    ran = run("validate", config("triggers:\n  - name: B\n    renamed_from: triggersync lock\n"))
    assert ran.code == 1
    assert "triggers[0].renamed_from: 'triggersync lock' is the name of the lock" in ran.stderr


# -- an enabled trigger named like the lock is no lock ----------------------------------------

REMINDER = "triggersync lock reminder"


def reminder(emulator: Emulator, enabled: int = 1) -> None:
    """A team's own trigger whose name happens to start like the lock's."""
    emulator.store.create({"name": REMINDER, "enabled": enabled, "definition": OLD})


def declared_reminder(definition: dict[str, Any]) -> str:
    return f"triggers:\n  - name: {REMINDER}\n    definition: {json.dumps(definition)}\n"


def test_an_enabled_trigger_named_like_the_lock_is_planned_for_pruning(
    run: Run, emulator: Emulator, config: Config
) -> None:
    reminder(emulator)
    ran = run("plan", config("triggers: []\n"), "--format", "json")
    assert ran.code == 0
    assert [(c["action"], c["name"]) for c in json.loads(ran.stdout)["changes"]] == [
        ("delete", REMINDER)
    ]


def test_an_enabled_trigger_named_like_the_lock_is_exported(run: Run, emulator: Emulator) -> None:
    reminder(emulator)
    ran = run("export")
    assert ran.code == 0, ran.stderr
    assert f"name: {REMINDER}" in ran.stdout


def test_an_enabled_trigger_named_like_the_lock_is_declared_created_and_replaced(
    run: Run, emulator: Emulator, config: Config
) -> None:
    ran = run("apply", config(declared_reminder(OLD)), "--yes")
    assert ran.code == 0, ran.stderr
    # A new event is a replacement: its copy, disabled under the temporary name, is the
    # trigger's, not a lock that would stop the apply or be left over.
    ran = run("apply", config(declared_reminder(NEW)), "--yes")
    assert ran.code == 0, ran.stderr
    assert ran.stdout.startswith(f'-/+ replace "{REMINDER}"')
    assert ran.stdout.endswith("Apply complete: 1 created, 0 updated, 1 deleted.\n")
    assert [(name, d["event"]) for name, d in live(emulator).items()] == [
        (REMINDER, "chat_requested")
    ]


def test_the_left_over_copy_of_a_trigger_named_like_the_lock_is_finished_not_a_lock(
    run: Run, emulator: Emulator, config: Config
) -> None:
    # A replacement cut off after its first step: the copy, disabled, under the temporary name.
    emulator.store.create({"name": temporary_name(REMINDER), "enabled": 0, "definition": NEW})
    ran = run("apply", config(declared_reminder(NEW)), "--yes")
    assert ran.code == 0, ran.stderr
    assert [(name, d["event"]) for name, d in live(emulator).items()] == [
        (REMINDER, "chat_requested")
    ]
    assert run("plan", config(declared_reminder(NEW))).stdout == "No changes.\n"


def test_an_enabled_trigger_named_like_the_lock_can_be_renamed(
    run: Run, emulator: Emulator, config: Config
) -> None:
    reminder(emulator)
    text = f"triggers:\n  - name: Reminder\n    renamed_from: {REMINDER}\n"
    ran = run("apply", config(text), "--yes")
    assert ran.code == 0, ran.stderr
    assert list(live(emulator)) == ["Reminder"]


def test_a_disabled_trigger_named_like_the_lock_is_a_lock(
    run: Run, emulator: Emulator, config: Config
) -> None:
    reminder(emulator, enabled=0)
    assert run("plan", config("triggers: []\n")).stdout == "No changes.\n"
    ran = run("apply", config("triggers:\n  - name: A\n"), "--yes")
    assert ran.code == 1
    assert f'its lock is "{REMINDER}": a disabled trigger whose name starts like' in ran.stderr
    assert list(live(emulator)) == [REMINDER]


def test_an_enabled_trigger_under_the_locks_own_name_stops_apply_naming_it(
    run: Run, emulator: Emulator, config: Config
) -> None:
    emulator.store.create({"name": LOCK_NAME, "enabled": 1})
    emulator.store.create({"name": "B"})
    ran = run("apply", config("triggers:\n  - name: A\n  - name: B\n"), "--yes")
    assert ran.code == 1
    assert ran.stderr == (
        "Error: cannot acquire the account's lock: an enabled trigger is named \"triggersync "
        'lock", the name the lock (a disabled trigger) is created under; nothing was '
        "changed. Rename that trigger in Zendesk (an enabled trigger is no apply's lock)\n"
    )
    assert sorted(live(emulator)) == ["B", LOCK_NAME]


def test_an_enabled_trigger_under_the_locks_own_name_is_not_exported(
    run: Run, emulator: Emulator
) -> None:
    emulator.store.create({"name": LOCK_NAME, "enabled": 1})
    emulator.store.create({"name": "A"})
    ran = run("export")
    assert ran.code == 1
    assert "name: A" in ran.stdout
    assert LOCK_NAME not in ran.stdout
    assert ran.stderr == (
        'Error: not exported: "triggersync lock": its name is the one an apply\'s lock is '
        "created under, which no configuration declares; fix it in Zendesk\n"
    )


# -- waiting for it ---------------------------------------------------------------------------


@contextmanager
def cli(url: str, emulator: Emulator, *args: str) -> Iterator[subprocess.Popen[bytes]]:
    """The CLI as a subprocess; killed on the way out if it is still running."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TRIGGERSYNC_API_URL": url,
        "TRIGGERSYNC_EMAIL": emulator.credentials.email,
        "TRIGGERSYNC_PASSWORD": emulator.credentials.password,
    }
    with subprocess.Popen(
        [str(SCRIPT), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, bufsize=0
    ) as process:
        try:
            yield process
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate(timeout=WAIT)


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


WAITING = b"Waiting up to 60 s for the account's lock: held by bob@ci-runner-3"


def test_a_waiting_apply_goes_on_once_the_lock_is_released(
    emulator: Emulator, tmp_path: Path
) -> None:
    hold(emulator, another_run())
    config = tmp_path / "triggers.yaml"
    config.write_text("triggers:\n  - name: A\n")
    with cli(emulator.url, emulator, "apply", str(config), "--yes", "--lock-timeout", "60") as p:
        seen = read_stderr_until(p, WAITING)
        emulator.store.delete(LOCK_NAME)  # the other run ends
        stdout, stderr = p.communicate(timeout=WAIT)
    assert p.returncode == 0, seen + stderr
    assert stdout.decode().endswith("Apply complete: 1 created, 0 updated, 0 deleted.\n")
    assert list(live(emulator)) == ["A"]


def test_a_wait_for_the_lock_ends_when_its_time_is_up(
    run: Run, emulator: Emulator, config: Config
) -> None:
    hold(emulator, another_run())
    ran = run("apply", config("triggers:\n  - name: A\n"), "--yes", "--lock-timeout", "0.2")
    assert ran.code == 1
    assert "Error: cannot acquire the account's lock (waited 0.2 s): another apply" in ran.stderr
    assert list(live(emulator)) == [LOCK_NAME]


def test_a_lock_timeout_that_is_not_a_number_is_a_usage_error(run: Run, config: Config) -> None:
    ran = run("apply", config("triggers:\n  - name: A\n"), "--yes", "--lock-timeout", "nan")
    assert ran.code == 1
    assert "Invalid value for '--lock-timeout': expected a number of seconds, got nan" in (
        ran.stderr
    )


def test_ctrl_c_while_waiting_for_the_lock_exits_130_changing_nothing(
    emulator: Emulator, tmp_path: Path
) -> None:
    holder = another_run()
    hold(emulator, holder)
    config = tmp_path / "triggers.yaml"
    config.write_text("triggers:\n  - name: A\n")
    with cli(emulator.url, emulator, "apply", str(config), "--yes", "--lock-timeout", "60") as p:
        read_stderr_until(p, WAITING)
        p.send_signal(signal.SIGINT)
        _, stderr = p.communicate(timeout=WAIT)
    assert p.returncode == 130
    assert b"Error: interrupted while waiting for the account's lock; nothing was changed\n" in (
        stderr
    )
    assert the_lock(emulator) == holder  # the other run's lock is left alone


# -- unlock -----------------------------------------------------------------------------------


def test_unlock_removes_a_lock_left_by_a_killed_run_saying_who_held_it(
    run: Run, emulator: Emulator
) -> None:
    hold(emulator, another_run(hours=26))
    ran = run("unlock", "--yes")
    assert ran.code == 0
    said = "bob@ci-runner-3, pid 4242, run ba9876543210 since "
    assert ran.stdout.startswith(f"The account's lock is held by {said}")
    assert "(1 d 2 h ago)" in ran.stdout
    assert ran.stdout.splitlines()[-1].startswith(f"Removed the account's lock held by {said}")
    assert the_lock(emulator) is None


def test_unlock_without_yes_off_a_terminal_refuses(run: Run, emulator: Emulator) -> None:
    holder = another_run()
    hold(emulator, holder)
    ran = run("unlock")
    assert ran.code == 1
    assert ran.stderr == (
        "Error: refusing to unlock: standard input is not a terminal; pass --yes\n"
    )
    assert the_lock(emulator) == holder


def test_unlock_with_no_lock_says_so(run: Run, emulator: Emulator) -> None:
    ran = run("unlock", "--yes")
    assert (ran.code, ran.stdout) == (0, "No apply holds the account's lock: nothing to remove.\n")


def unlock_on_a_terminal(emulator: Emulator, answer: str) -> tuple[int, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TRIGGERSYNC_API_URL": emulator.url,
        "TRIGGERSYNC_EMAIL": emulator.credentials.email,
        "TRIGGERSYNC_PASSWORD": emulator.credentials.password,
    }
    controller, terminal = pty.openpty()
    try:
        os.write(controller, answer.encode() + b"\n")  # typed ahead; the tty buffers it
        ran = subprocess.run(
            [str(SCRIPT), "unlock"],
            stdin=terminal,
            capture_output=True,
            text=True,
            env=env,
            timeout=WAIT,
            check=False,
        )
    finally:
        os.close(controller)
        os.close(terminal)
    return ran.returncode, ran.stderr


def test_unlock_on_a_terminal_asks_first(emulator: Emulator) -> None:
    holder = another_run()
    hold(emulator, holder)
    code, stderr = unlock_on_a_terminal(emulator, "n")
    assert code == 1
    assert "Remove it? Only if that apply no longer runs. [y/N]" in stderr
    assert the_lock(emulator) == holder
    assert unlock_on_a_terminal(emulator, "y")[0] == 0
    assert the_lock(emulator) is None


# -- the race that lost a trigger -------------------------------------------------------------


class Gate:
    """A loopback proxy in front of the emulator that holds one request (the first run's
    delete of R05) until told to let it through, and says when it has it."""

    def __init__(self, emulator: Emulator, held: tuple[str, str]) -> None:
        self.arrived = threading.Event()
        self.opened = threading.Event()
        gate = self

        class Handler(BaseHTTPRequestHandler):
            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                if (self.command, self.path) == held:
                    gate.arrived.set()
                    assert gate.opened.wait(WAIT)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                with requests.Session() as session:
                    session.trust_env = False
                    answer = session.request(
                        self.command, emulator.origin + self.path, data=body, headers=headers
                    )
                self.send_response(answer.status_code)
                for key in ("Content-Type", "Retry-After"):
                    if key in answer.headers:
                        self.send_header(key, answer.headers[key])
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = do_PUT = do_DELETE = _forward

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/v2/chat"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Gate:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.opened.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def race(emulator: Emulator, tmp_path: Path, *second: str) -> tuple[int, bytes, int, bytes]:
    """Run 1 replaces R05, its delete of the old R05 held at the gate; run 2, with another
    configuration, starts meanwhile. Returns both exit codes and stderrs."""
    seed(emulator)
    first, other = tmp_path / "first.yaml", tmp_path / "second.yaml"
    first.write_text(declared(NEW))
    other.write_text(declared(OLD, r01="changed"))
    with (
        Gate(emulator, ("DELETE", "/api/v2/chat/triggers/R05")) as gate,
        cli(gate.url, emulator, "apply", str(first), "--yes") as run_1,
    ):
        assert gate.arrived.wait(WAIT)  # run 1: its replacement made, the old R05 not gone
        assert temporary_name("R05") in live(emulator)
        with cli(emulator.url, emulator, "apply", str(other), "--yes", *second) as run_2:
            if second:
                seen = read_stderr_until(run_2, b"Waiting up to")
            else:
                _, seen = run_2.communicate(timeout=WAIT)
            gate.opened.set()
            _, stderr_1 = run_1.communicate(timeout=WAIT)
            _, stderr_2 = run_2.communicate(timeout=WAIT)
    return run_1.returncode, stderr_1, run_2.returncode, seen + stderr_2


def test_a_second_apply_during_a_replacement_refuses_and_loses_nothing(
    emulator: Emulator, tmp_path: Path
) -> None:
    code_1, stderr_1, code_2, stderr_2 = race(emulator, tmp_path)
    assert code_2 == 1
    assert b"cannot acquire the account's lock: another apply holds it" in stderr_2
    assert code_1 == 0, stderr_1
    assert live(emulator)["R05"] == {**NEW, "version": 1, "editor": "developer"}
    assert set(live(emulator)) == set(NAMES)  # no temporary copy, no lock left


def test_a_second_apply_that_waits_plans_again_and_loses_nothing(
    emulator: Emulator, tmp_path: Path
) -> None:
    code_1, stderr_1, code_2, stderr_2 = race(emulator, tmp_path, "--lock-timeout", "60")
    assert (code_1, code_2) == (0, 0), (stderr_1, stderr_2)
    # Run 2 applied its own configuration to the state run 1 left: R05 replaced back.
    assert b"The account changed since the plan above was made; planned again:" in stderr_2
    assert live(emulator)["R05"] == {**OLD, "version": 1, "editor": "developer"}
    assert set(live(emulator)) == set(NAMES)


def test_ctrl_c_while_a_project_account_waits_for_its_lock_exits_130(
    emulator: Emulator, tmp_path: Path
) -> None:
    holder = another_run()
    hold(emulator, holder)
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "triggers.yaml").write_text("triggers:\n  - name: A\n")
    project = tmp_path / "triggersync.yaml"
    project.write_text(
        f"accounts:\n  prod:\n    api_url: {emulator.url}\n    paths: [t]\n"
        "    credentials: {email: TRIGGERSYNC_EMAIL, password: TRIGGERSYNC_PASSWORD}\n"
    )
    args = ("apply", "--project", str(project), "--yes", "--lock-timeout", "60")
    with cli(emulator.url, emulator, *args) as p:
        read_stderr_until(p, b"prod: " + WAITING)
        p.send_signal(signal.SIGINT)
        _, stderr = p.communicate(timeout=WAIT)
    assert p.returncode == 130, stderr
    assert b"Error: account prod: interrupted while waiting for the account's lock" in stderr
    assert the_lock(emulator) == holder  # the other run's lock is left alone
