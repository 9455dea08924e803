"""Faults over real HTTP, through the CLI and the client: survived, or reported cleanly.

Every scenario ends with the same questions: did anything get duplicated, lost, or applied
that nobody reviewed, and does the next run converge?
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from clirun import Run
from requests.auth import HTTPBasicAuth
from virtual_time import FastForwardThrottle, virtual_emulator_clock

from triggersync.api import client as client_mod
from triggersync.api.client import Client
from triggersync.api.retry import RetryPolicy
from triggersync.emulator.server import Credentials, Emulator, Faults
from triggersync.emulator.store import STAMP
from triggersync.engine.apply import apply_plan
from triggersync.engine.lock import is_lock
from triggersync.engine.model import Trigger, normalise
from triggersync.engine.plan import Change, Plan, fingerprint
from triggersync.views.json import render_json

Config = Callable[[str], str]
FAST = RetryPolicy(max_attempts=4, base_delay=0.0, max_delay=0.0)
DEF_OLD = {"event": "page_enter", "condition": ["and"], "actions": []}
REPLACED_G = """\
triggers:
  - name: G
    definition:
      event: chat_requested
      condition: [eq, "@visitor_country_code", US]
      actions: []
"""


def many(count: int, description: str = "") -> str:
    return "triggers:\n" + "".join(
        f"  - name: T{i:03}\n    description: '{description}'\n" for i in range(count)
    )


def names(emulator: Emulator) -> list[str]:
    return sorted(t["name"] for t in emulator.store.list())


def seed(emulator: Emulator, *names_: str, description: str = "old") -> None:
    for name in names_:
        emulator.store.create({"name": name, "description": description, "enabled": 1})


@pytest.fixture
def throttles(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> list[FastForwardThrottle]:
    """Every client the CLI makes gets a throttle sharing the emulator's virtual clock."""
    clock = virtual_emulator_clock(emulator)
    made: list[FastForwardThrottle] = []

    def factory(max_in_flight: int = 4) -> FastForwardThrottle:
        made.append(FastForwardThrottle(max_in_flight, clock))
        return made[-1]

    monkeypatch.setattr(client_mod, "Throttle", factory)
    return made


# -- 429 storms ---------------------------------------------------------------------------


def test_a_429_storm_still_converges_with_nothing_failed(
    run: Run, emulator: Emulator, config: Config, throttles: list[FastForwardThrottle]
) -> None:
    emulator.faults = Faults(rate_limit=5)  # five requests a minute, then Retry-After: 12
    ran = run("apply", config(many(30)), "--yes", "--parallelism", "4")
    assert ran.code == 0, ran.stderr
    assert ran.stdout.endswith("Apply complete: 30 created, 0 updated, 0 deleted.\n")
    assert len(names(emulator)) == 30
    assert emulator.stats()["rate_limited"] > 0


def test_a_429_storm_lowers_the_in_flight_limit(
    run: Run, emulator: Emulator, config: Config, throttles: list[FastForwardThrottle]
) -> None:
    emulator.faults = Faults(rate_limit=5)
    run("apply", config(many(30)), "--yes", "--parallelism", "4")
    applying = throttles[-1]
    assert applying.max_in_flight == 4
    assert min(applying.limits) < 4
    assert all(pause >= 1 for pause in applying.pauses)


def test_after_a_429_storm_the_next_plan_is_empty(
    run: Run, emulator: Emulator, config: Config, throttles: list[FastForwardThrottle]
) -> None:
    seed(emulator, *(f"T{i:03}" for i in range(20)))
    emulator.faults = Faults(rate_limit=3)
    path = config(many(20, "new"))
    assert run("apply", path, "--yes").code == 0
    assert run("plan", path).stdout == "No changes.\n"


# -- 5xx bursts -----------------------------------------------------------------------------


# Which request draws a 503 depends on thread timing, so the seed alone cannot fix the run;
# with 20 attempts a request fails for good with p = 0.4**20 (about 1e-8), not 0.4**6 (0.4%).
PATIENT = {"TRIGGERSYNC_MAX_ATTEMPTS": "20"}


def test_a_burst_of_503s_converges_without_duplicates(
    run: Run, emulator: Emulator, config: Config
) -> None:
    emulator.faults = Faults(fail_rate=0.4, seed=7)
    ran = run("apply", config(many(25)), "--yes", extra_env=PATIENT)
    assert ran.code == 0, ran.stderr
    assert emulator.stats()["failed"] > 0
    assert len(emulator.store.list()) == 25


def test_a_burst_of_503s_during_updates_and_deletes_converges(
    run: Run, emulator: Emulator, config: Config
) -> None:
    seed(emulator, *(f"T{i:03}" for i in range(12)), "Gone 1", "Gone 2")
    emulator.faults = Faults(fail_rate=0.4, seed=11)
    path = config(many(12, "new"))
    assert run("apply", path, "--yes", extra_env=PATIENT).code == 0
    emulator.faults = Faults()
    assert run("plan", path).stdout == "No changes.\n"


def test_creates_that_commit_then_answer_502_are_sent_once(
    run: Run, emulator: Emulator, config: Config
) -> None:
    emulator.faults = Faults(fail_after_commit_rate=1.0)
    ran = run("apply", config(many(5)), "--yes")
    assert ran.code == 0, ran.stderr
    assert emulator.stats()["create"] == 5 + 1  # and the account's lock
    assert len(emulator.store.list()) == 5


def test_a_replace_whose_create_commits_then_answers_502_is_not_duplicated(
    run: Run, emulator: Emulator, config: Config
) -> None:
    emulator.store.create({"name": "G", "description": "", "enabled": 1, "definition": DEF_OLD})
    emulator.faults = Faults(fail_after_commit_rate=1.0)
    path = config(REPLACED_G)
    assert run("apply", path, "--yes").code == 0
    assert [(t["name"], t["definition"]["event"]) for t in emulator.store.list()] == [
        ("G", "chat_requested")
    ]


# -- permanent failures among successes ----------------------------------------------------


def test_a_put_failing_for_good_is_reported_and_the_others_land(
    run: Run, emulator: Emulator, config: Config
) -> None:
    seed(emulator, "T000", "T001", "T002")
    emulator.faults = Faults(fail_names=frozenset({"T001"}))
    ran = run("apply", config(many(3, "new")), "--yes")
    assert ran.code == 1
    assert 'Error: "T001": PUT /triggers/T001: HTTP 500: internal server error' in ran.stderr
    assert "2 updated" in ran.stdout
    assert "1 failed" in ran.stdout
    assert [t["description"] for t in emulator.store.list()] == ["new", "old", "new"]


def test_after_a_failed_put_the_next_plan_shows_only_that_trigger(
    run: Run, emulator: Emulator, config: Config
) -> None:
    seed(emulator, "T000", "T001", "T002")
    emulator.faults = Faults(fail_names=frozenset({"T001"}))
    path = config(many(3, "new"))
    run("apply", path, "--yes")
    emulator.faults = Faults()
    plan = run("plan", path).stdout
    assert plan.startswith('  ~ update "T001"\n')
    assert plan.endswith("Plan: 0 to create, 1 to update, 0 to delete.\n")


def test_a_replace_whose_delete_fails_withdraws_its_replacement(
    run: Run, emulator: Emulator, config: Config
) -> None:
    emulator.store.create({"name": "G", "description": "", "enabled": 1, "definition": DEF_OLD})
    emulator.faults = Faults(fail_names=frozenset({"G"}))
    path = config(REPLACED_G)
    ran = run("apply", path, "--yes")
    assert ran.code == 1
    assert (
        'Error: "G": not replaced, "G" is unchanged (its replacement was withdrawn): '
        "DELETE /triggers/G: HTTP 500" in ran.stderr
    )
    assert names(emulator) == ["G"]  # nothing lost, nothing left over
    assert emulator.store.get("G")["definition"] == {**DEF_OLD, **STAMP}


def test_a_rename_waiting_for_a_name_that_was_not_freed_is_skipped(
    run: Run, emulator: Emulator, tmp_path: Path
) -> None:
    # A saved plan that deletes "B", then renames "A" to "B".
    seed(emulator, "A", "B", description="")
    view = {"description": "", "enabled": 1}
    live = {t["name"]: normalise(t) for t in emulator.store.list()}
    plan = Plan(
        changes=(
            Change("delete", "B", {"name": "B", **view}, None),
            Change("update", "A", {"name": "A", **view}, {"name": "B", **view}),
        ),
        fingerprints={name: fingerprint(trigger) for name, trigger in live.items()},
        live_names=("A", "B"),
        base_url=emulator.url,
    )
    saved = tmp_path / "plan.json"
    saved.write_text(render_json(plan))
    emulator.faults = Faults(fail_names=frozenset({"B"}))
    ran = run("apply", "--plan", str(saved), "--force")
    assert ran.code == 1
    assert 'Error: "B": DELETE /triggers/B: HTTP 500' in ran.stderr
    assert 'Error: "A": skipped: "B" was not freed' in ran.stderr
    assert "1 failed, 1 skipped" in ran.stdout
    assert emulator.stats()["update"] == 0


def test_a_skip_passes_on_to_what_waits_for_the_skipped_change(emulator: Emulator) -> None:
    # delete "B", then rename "A" to "B", then create a new "A": a chain of freed names.
    seed(emulator, "A", "B", description="")
    view = {"description": "", "enabled": 1}
    plan = Plan(
        changes=(
            Change("delete", "B", {"name": "B", **view}, None),
            Change("update", "A", {"name": "A", **view}, {"name": "B", **view}),
            Change("create", "A", None, {"name": "A", **view}),
        ),
        live_names=("A", "B"),
    )
    emulator.faults = Faults(fail_names=frozenset({"B"}))
    client = Client(emulator.url, HTTPBasicAuth("demo@example.com", "demo-password"), policy=FAST)
    with client:
        result = apply_plan(plan, client)
    statuses = {(o.change.action, o.change.name): o.status for o in result.outcomes}
    assert statuses == {
        ("delete", "B"): "failed",
        ("update", "A"): "skipped",
        ("create", "A"): "skipped",
    }
    assert emulator.stats()["create"] == 0


# -- the server goes away --------------------------------------------------------------------


def stop_after(monkeypatch: pytest.MonkeyPatch, emulator: Emulator, creates: int) -> None:
    """Stop the emulator, from the worker, right after the client's `creates`-th create of a
    trigger (the lock's create not counted)."""
    done: list[Trigger] = []
    lock = threading.Lock()
    original = Client.create

    def create(self: Client, body: Mapping[str, Any]) -> Trigger:
        created = original(self, body)
        if is_lock(created):
            return created
        with lock:
            done.append(created)
            if len(done) == creates:
                emulator.stop()
        return created

    monkeypatch.setattr(Client, "create", create)


@pytest.fixture
def on_disk(tmp_path: Path) -> Any:
    db = str(tmp_path / "emulator.db")
    with Emulator(port=0, db=db, credentials=Credentials()) as first:
        yield db, first


def test_a_server_that_stops_mid_apply_is_one_clean_report(
    run: Run, config: Config, on_disk: tuple[str, Emulator], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, first = on_disk
    stop_after(monkeypatch, first, 3)
    ran = run("apply", config(many(12)), "--yes", "--parallelism", "1", "--api-url", first.url)
    assert ran.code == 1
    assert "cannot connect" in ran.stderr
    assert "Traceback" not in ran.stderr + ran.stdout
    assert "Apply incomplete: 3 created" in ran.stdout
    assert "9 failed, 0 skipped" in ran.stdout


def test_after_the_server_comes_back_the_apply_converges(
    run: Run, config: Config, on_disk: tuple[str, Emulator], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, first = on_disk
    stop_after(monkeypatch, first, 5)
    path = config(many(12))
    stopped = run("apply", path, "--yes", "--api-url", first.url)
    assert stopped.code == 1
    # The server went away before the lock could be released: it is left, and said so.
    assert "remove it with `triggersync unlock`" in stopped.stderr
    monkeypatch.undo()
    with Emulator(port=0, db=db, credentials=Credentials()) as second:
        assert run("unlock", "--yes", "--api-url", second.url).code == 0
        kept = len(second.store.list())
        ran = run("apply", path, "--yes", "--api-url", second.url)
        assert ran.code == 0, ran.stderr
        assert second.stats()["create"] == 12 - kept + 1  # and the account's lock
        assert len(second.store.list()) == 12
        assert run("plan", path, "--api-url", second.url).stdout == "No changes.\n"
