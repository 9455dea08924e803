"""The account's lock (engine/lock.py): taken by creating a trigger whose name is unique, its
holder read back from its description, released by deleting it; against the emulator, and
against loopback servers that answer oddly (a lost answer, a 409 after the fact, a refusal).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from canned_http import Canned, Script, canned_server
from requests.auth import HTTPBasicAuth

from triggersync.api.client import Client
from triggersync.api.retry import RetryPolicy
from triggersync.emulator.server import Emulator
from triggersync.engine import lock
from triggersync.engine.lock import LOCK_NAME, Holder
from triggersync.engine.model import Trigger
from triggersync.engine.plan import temporary_name
from triggersync.errors import ApiError, LockError

LOCK_PATH = "/api/v2/chat/triggers/triggersync%20lock"
SINCE = datetime(2026, 12, 6, 9, 30, 0, tzinfo=timezone.utc)
NOW = SINCE + timedelta(hours=3, minutes=12, seconds=5)
TWO_TRIES = RetryPolicy(max_attempts=2, base_delay=0.0, max_delay=0.0)


def holder(who: str = "alice@build-7, pid 42, run 0123456789ab") -> Holder:
    return Holder(who, SINCE, "0123456789ab")


def other() -> Holder:
    return Holder("bob@laptop, pid 7, run ba9876543210", SINCE, "ba9876543210")


def the_lock(emulator: Emulator) -> list[dict[str, Any]]:
    return [t for t in emulator.store.list() if t["name"] == LOCK_NAME]


def answer(status: int, body: object) -> Canned:
    return Canned(status, json.dumps(body).encode())


def lock_of(whose: Holder) -> Canned:
    return answer(200, {"id": 5, **whose.body()})


NOT_FOUND = answer(404, {"error": "not found"})
LISTED = answer(200, [])  # the live triggers, read once the lock is taken: no other lock


@contextmanager
def canned_client(*script: Canned) -> Iterator[tuple[Client, Script]]:
    with canned_server(*script) as (url, seen):
        auth = HTTPBasicAuth("ops@example.com", "pw")
        with Client(url, auth, policy=TWO_TRIES, sleep=lambda _: None) as client:
            yield client, seen


# -- taking it --------------------------------------------------------------------------------


def test_the_lock_is_a_disabled_trigger_without_a_definition(
    emulator: Emulator, emulator_client: Client
) -> None:
    assert lock.acquire(emulator_client, holder()) is not None
    [made] = the_lock(emulator)
    assert (made["enabled"], "definition" in made) == (0, False)
    assert made["description"] == (
        "Held by triggersync apply: alice@build-7, pid 42, run 0123456789ab; since "
        "2026-12-06T09:30:00Z. Do not edit. If that run was killed, remove it with "
        "`triggersync unlock`."
    )


def test_a_second_run_is_refused_at_once_naming_the_holder_its_time_and_unlock(
    emulator: Emulator, emulator_client: Client
) -> None:
    assert lock.acquire(emulator_client, other()) is not None
    with pytest.raises(LockError) as refused:
        lock.acquire(emulator_client, holder())
    message = str(refused.value)
    assert message.startswith(
        "cannot acquire the account's lock: another apply holds it: bob@laptop, pid 7, run "
        "ba9876543210 since 2026-12-06T09:30:00Z ("
    )
    assert message.endswith(
        "nothing was changed. Wait for it to end (--lock-timeout SECONDS waits); if that run "
        "was killed, remove the lock with `triggersync unlock`"
    )
    assert Holder.read(the_lock(emulator)[0]["description"]) == other()


def test_a_waiting_run_takes_the_lock_once_it_is_released(
    emulator: Emulator, emulator_client: Client
) -> None:
    assert lock.acquire(emulator_client, other()) is not None
    waited: list[Holder] = []

    def release_it(seen: Holder) -> None:  # runs once the waiting run has looked
        waited.append(seen)
        assert lock.release(emulator_client, other()) is None

    assert lock.acquire(emulator_client, holder(), timeout=60, on_wait=release_it) is not None
    assert waited == [other()]
    assert Holder.read(the_lock(emulator)[0]["description"]) == holder()


def test_a_wait_ends_with_a_refusal_when_the_time_is_up(emulator_client: Client) -> None:
    assert lock.acquire(emulator_client, other()) is not None
    with pytest.raises(LockError, match=r"^cannot acquire the account's lock \(waited 0.01 s\)"):
        lock.acquire(emulator_client, holder(), timeout=0.01)


def test_a_wait_ends_without_taking_the_lock_when_stopped(emulator_client: Client) -> None:
    assert lock.acquire(emulator_client, other()) is not None
    stop = threading.Event()
    taken = lock.acquire(
        emulator_client, holder(), timeout=3600, stop=stop, on_wait=lambda _: stop.set()
    )
    assert taken is None


def test_a_wait_looks_again_less_and_less_often() -> None:
    waits: list[float] = []

    class Stop(threading.Event):
        def wait(self, timeout: float | None = None) -> bool:
            waits.append(timeout or 0.0)
            return len(waits) == 6

    taken = [answer(400, {"error": "name taken"}), lock_of(other())]
    with canned_client(*taken * 6) as (client, _):
        assert not lock.acquire(client, holder(), timeout=3600, stop=Stop())
    assert waits == [1.0, 2.0, 4.0, 8.0, 15.0, 15.0]


def test_a_create_whose_answer_was_lost_but_made_the_lock_holds_it() -> None:
    # The create is stored, then answered 502 on both attempts' worth: the look finds it ours.
    mine = holder()
    script = (answer(502, {"error": "bad gateway"}), lock_of(mine), LISTED)
    with canned_client(*script) as (client, seen):
        assert lock.acquire(client, mine) == []
    assert seen.seen == [
        ("POST", "/api/v2/chat/triggers"),
        ("GET", LOCK_PATH),
        ("GET", "/api/v2/chat/triggers"),  # no other lock is there
    ]


def test_a_create_answered_409_after_making_the_lock_holds_it() -> None:
    mine = holder()
    with canned_client(answer(409, {"error": "conflict"}), lock_of(mine), LISTED) as (client, _):
        assert lock.acquire(client, mine) == []


def test_a_create_whose_answer_was_lost_to_another_runs_lock_is_refused() -> None:
    with (
        canned_client(answer(502, {"error": "bad gateway"}), lock_of(other())) as (client, _),
        pytest.raises(LockError, match="another apply holds it: bob@laptop"),
    ):
        lock.acquire(client, holder())


def test_a_failed_create_whose_look_fails_too_names_this_run() -> None:
    down = answer(503, {"error": "down"})
    with (
        canned_client(answer(409, {"error": "conflict"}), down) as (client, _),
        pytest.raises(LockError) as failed,
    ):
        lock.acquire(client, holder())
    assert str(failed.value).endswith(
        "nothing was changed. If `triggersync unlock` shows this run (run 0123456789ab) "
        "holding it, remove it"
    )


def test_a_create_refused_while_no_lock_is_there_is_tried_once_more_then_refused() -> None:
    refused = answer(422, {"error": "refused"})
    with (
        canned_client(refused, NOT_FOUND, refused, NOT_FOUND) as (client, seen),
        pytest.raises(LockError) as failed,
    ):
        lock.acquire(client, holder())
    assert str(failed.value) == (
        'cannot acquire the account\'s lock (a trigger named "triggersync lock"): POST '
        "/triggers: HTTP 422: refused; nothing was changed"
    )
    assert [method for method, _ in seen.seen] == ["POST", "GET", "POST", "GET"]


def test_a_lock_released_between_the_create_and_the_look_is_taken_on_the_next_try() -> None:
    made = answer(201, {"id": 5, **holder().body()})
    script = (answer(400, {"error": "taken"}), NOT_FOUND, made, LISTED)
    with canned_client(*script) as (client, _):
        assert lock.acquire(client, holder()) == []


def test_taking_the_lock_returns_the_live_triggers_without_it(
    emulator: Emulator, emulator_client: Client
) -> None:
    emulator.store.create({"name": "A"})
    live = lock.acquire(emulator_client, holder())
    assert [trigger.name for trigger in live or []] == ["A"]


def test_a_lock_made_under_another_name_refuses_and_this_runs_lock_is_released(
    emulator: Emulator, emulator_client: Client
) -> None:
    emulator.store.create(
        {"name": "triggersync lock (by hand)", "description": "carol", "enabled": 0}
    )
    with pytest.raises(LockError, match="another apply holds it: carol ") as refused:
        lock.acquire(emulator_client, holder())
    assert 'its lock is "triggersync lock (by hand)": a disabled trigger whose name' in str(
        refused.value
    )
    assert the_lock(emulator) == []


def test_an_enabled_trigger_named_like_the_lock_is_an_ordinary_trigger(
    emulator: Emulator, emulator_client: Client
) -> None:
    emulator.store.create({"name": "triggersync lock reminder", "enabled": 1})
    live = lock.acquire(emulator_client, holder())
    assert [trigger.name for trigger in live or []] == ["triggersync lock reminder"]
    assert len(the_lock(emulator)) == 1


def test_an_enabled_trigger_under_the_locks_own_name_is_refused_at_once_naming_it(
    emulator: Emulator, emulator_client: Client
) -> None:
    emulator.store.create({"name": LOCK_NAME, "description": "ours", "enabled": 1})
    with pytest.raises(LockError) as refused:
        lock.acquire(emulator_client, holder())
    assert str(refused.value) == (
        'cannot acquire the account\'s lock: an enabled trigger is named "triggersync lock", '
        "the name the lock (a disabled trigger) is created under; nothing was changed. Rename "
        "that trigger in Zendesk (an enabled trigger is no apply's lock)"
    )
    assert [t["enabled"] for t in the_lock(emulator)] == [1]


def test_every_lock_is_held_now_by_name(emulator: Emulator, emulator_client: Client) -> None:
    emulator.store.create(other().body())
    emulator.store.create(
        {"name": "triggersync lock (by hand)", "description": "carol", "enabled": 0}
    )
    emulator.store.create({"name": "triggersync lock reminder", "enabled": 1})
    emulator.store.create({"name": "A"})
    assert sorted(lock.held_now(emulator_client)) == [
        (LOCK_NAME, other()),
        ("triggersync lock (by hand)", Holder("carol", None)),
    ]


# -- releasing it -----------------------------------------------------------------------------


def test_release_removes_the_lock(emulator: Emulator, emulator_client: Client) -> None:
    assert lock.acquire(emulator_client, holder()) is not None
    assert lock.release(emulator_client, holder()) is None
    assert the_lock(emulator) == []


def test_a_release_answered_409_after_the_fact_is_done() -> None:
    script = (lock_of(holder()), answer(409, {"error": "conflict"}), NOT_FOUND)
    with canned_client(*script) as (client, seen):
        assert lock.release(client, holder()) is None
    assert seen.seen == [("GET", LOCK_PATH), ("DELETE", LOCK_PATH), ("GET", LOCK_PATH)]


def test_a_release_that_failed_says_the_lock_is_held_and_points_to_unlock() -> None:
    mine = holder()
    with (
        canned_client(lock_of(mine), answer(409, {"error": "conflict"}), lock_of(mine)) as (
            client,
            _,
        ),
        pytest.raises(LockError) as failed,
    ):
        lock.release(client, mine)
    assert str(failed.value) == (
        "the account's lock (run 0123456789ab) may still be held: deleting it failed: DELETE "
        "/triggers/triggersync%20lock: HTTP 409: conflict; once no apply runs, remove it with "
        "`triggersync unlock`"
    )


def test_a_release_whose_look_fails_too_says_the_lock_may_be_held() -> None:
    down = answer(503, {"error": "down"})
    with (
        canned_client(lock_of(holder()), answer(403, {"error": "no"}), down) as (client, _),
        pytest.raises(LockError, match="may still be held: deleting it failed"),
    ):
        lock.release(client, holder())


def test_a_lock_removed_before_its_release_is_a_warning(emulator_client: Client) -> None:
    warning = lock.release(emulator_client, holder())
    assert warning is not None
    assert "no longer this run's" in warning


def test_a_lock_another_run_holds_now_is_left_alone(
    emulator: Emulator, emulator_client: Client
) -> None:
    with canned_client(lock_of(other())) as (client, seen):
        assert lock.release(client, holder()) is not None
    assert seen.seen == [("GET", LOCK_PATH)]  # looked at, never deleted


def test_a_release_whose_look_before_the_delete_fails_says_the_lock_may_be_held() -> None:
    down = answer(503, {"error": "down"})
    with (
        canned_client(down) as (client, seen),
        pytest.raises(LockError, match="may still be held: looking it up failed: GET"),
    ):
        lock.release(client, holder())
    assert "DELETE" not in [method for method, _ in seen.seen]


# -- unlock -----------------------------------------------------------------------------------


def test_unlock_removes_the_lock_it_was_shown(emulator: Emulator, emulator_client: Client) -> None:
    assert lock.acquire(emulator_client, other()) is not None
    [(name, seen)] = lock.held_now(emulator_client)
    assert (name, seen) == (LOCK_NAME, other())
    lock.unlock(emulator_client, name, seen)
    assert the_lock(emulator) == []


def test_unlock_leaves_a_lock_that_changed_hands(
    emulator: Emulator, emulator_client: Client
) -> None:
    assert lock.acquire(emulator_client, holder()) is not None
    with pytest.raises(LockError, match="changed hands: it is now held by alice@build-7"):
        lock.unlock(emulator_client, LOCK_NAME, other())
    assert len(the_lock(emulator)) == 1


def test_unlock_leaves_a_lock_enabled_since_it_was_shown(
    emulator: Emulator, emulator_client: Client
) -> None:
    emulator.store.create({"name": "triggersync lock x", "description": "carol", "enabled": 0})
    [(name, seen)] = lock.held_now(emulator_client)
    emulator.store.update(name, {"enabled": 1})
    with pytest.raises(LockError, match="was enabled since it was shown, so it is no lock"):
        lock.unlock(emulator_client, name, seen)
    assert [t["name"] for t in emulator.store.list()] == ["triggersync lock x"]


def test_nobody_holds_a_lock_that_is_not_there(emulator_client: Client) -> None:
    assert lock.held_now(emulator_client) == []


# -- who holds it ------------------------------------------------------------------------------


def test_a_holder_reads_back_from_its_description() -> None:
    assert Holder.read(holder().description) == holder()


def test_a_holder_says_who_since_when_and_how_long_ago() -> None:
    assert holder().said(NOW) == (
        "alice@build-7, pid 42, run 0123456789ab since 2026-12-06T09:30:00Z (3 h 12 min ago)"
    )


@pytest.mark.parametrize(
    ("elapsed", "words"),
    [
        (timedelta(seconds=12), "12 s ago"),
        (timedelta(minutes=5, seconds=3), "5 min ago"),
        (timedelta(days=2, hours=4, minutes=1), "2 d 4 h ago"),
        (timedelta(seconds=-30), "in the future: the clocks disagree"),
    ],
)
def test_the_age_of_a_lock_in_words(elapsed: timedelta, words: str) -> None:
    assert holder().said(SINCE + elapsed).endswith(f"({words})")


def test_an_edited_description_is_shown_as_it_is_escaped_and_bounded() -> None:
    read = Holder.read("someone\u202e was here\n::error::x" + "y" * 1000)
    assert (read.since, read.run_id) == (None, None)
    said = read.said(NOW)
    assert said.startswith("someone\\u202e was here\\n::error::x")
    assert said.endswith("… (since when, its description does not say)")
    assert len(said) < 400


def test_this_run_names_user_host_pid_run_and_time() -> None:
    now = datetime(2026, 12, 6, 10, 0, 0, 123456, tzinfo=timezone.utc)
    me = Holder.this_run({}, now)
    assert me.since == now.replace(microsecond=0)
    assert len(me.run_id or "") == 12
    assert f", run {me.run_id}" in me.who
    assert "@" in me.who.split(",")[0]
    assert f", pid {os.getpid()}," in me.who


def test_a_github_actions_run_names_its_run_page() -> None:
    env = {
        "GITHUB_RUN_ID": "987654",
        "GITHUB_RUN_ATTEMPT": "2",
        "GITHUB_REPOSITORY": "acme/chat-triggers",
        "GITHUB_SERVER_URL": "https://github.com",
    }
    assert Holder.this_run(env).who.endswith(
        ", GitHub Actions https://github.com/acme/chat-triggers/actions/runs/987654 (attempt 2)"
    )


def test_another_ci_names_its_job() -> None:
    env = {"CI_JOB_URL": "https://gitlab.example/acme/t/-/jobs/5"}
    assert Holder.this_run(env).who.endswith(", CI job https://gitlab.example/acme/t/-/jobs/5")


def test_a_lock_is_a_disabled_trigger_whose_name_starts_with_the_lock_name() -> None:
    def is_lock(name: str, enabled: int) -> bool:
        return lock.is_lock(Trigger(name, enabled=enabled))

    assert [is_lock(n, 0) for n in ("triggersync lock", "triggersync lock 2", "x")] == [
        True,
        True,
        False,
    ]


@pytest.mark.parametrize("name", ["triggersync lock", "triggersync lock reminder"])
def test_an_enabled_trigger_is_never_a_lock_whatever_its_name(name: str) -> None:
    assert not lock.is_lock(Trigger(name, enabled=1))


def test_a_lock_made_by_an_earlier_version_with_a_definition_given_by_zendesk_is_a_lock() -> None:
    # Zendesk's list carries a definition for every trigger: one it gave the lock is no sign.
    given = {"event": "chat_requested", "condition": ["and"], "actions": [], "version": 1}
    made = Trigger(LOCK_NAME, description="edited by hand", enabled=0, definition=given)
    assert lock.is_lock(made)


def test_the_temporary_copy_of_a_trigger_named_like_the_lock_is_not_a_lock() -> None:
    copy = Trigger(temporary_name("triggersync lock reminder"), enabled=0)
    assert not lock.is_lock(copy)


# -- odd answers around a lock already taken ---------------------------------------------------


def test_a_lock_taken_whose_listing_fails_is_released_before_the_failure_is_said() -> None:
    # The create made the lock; reading the live triggers under it then fails: the run stops,
    # and must not leave its lock behind for someone to unlock by hand.
    mine = holder()
    down = answer(503, {"error": "down"})
    script = (answer(201, {"id": 5, **mine.body()}), down, down, lock_of(mine), Canned(204))
    with canned_client(*script) as (client, seen), pytest.raises(ApiError, match="HTTP 503"):
        lock.acquire(client, mine)
    assert seen.seen[-1] == ("DELETE", LOCK_PATH)


def test_a_lock_taken_whose_listing_and_release_both_fail_says_both() -> None:
    mine = holder()
    down = answer(503, {"error": "down"})
    with (
        canned_client(answer(201, {"id": 5, **mine.body()}), down) as (client, _),
        pytest.raises(LockError) as failed,
    ):
        lock.acquire(client, mine)
    said = str(failed.value)
    assert said.startswith("GET /triggers: HTTP 503: down")
    assert "nothing was changed. Also, the account's lock (run 0123456789ab) may still be" in said


def test_a_release_leaves_alone_a_lock_another_run_took_meanwhile(
    emulator: Emulator, emulator_client: Client
) -> None:
    # Someone ran unlock during this run, and another apply took the lock: deleting it blindly
    # would let a third apply run beside that one.
    assert lock.acquire(emulator_client, holder()) is not None
    emulator.store.delete(LOCK_NAME)
    emulator.store.create(other().body())
    warning = lock.release(emulator_client, holder())
    assert warning is not None
    assert "no longer this run's" in warning
    [left] = the_lock(emulator)
    assert Holder.read(left["description"]) == other()
