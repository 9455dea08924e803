"""Fault injection over real HTTP: rate limits, 5xx before and after commit, latency."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from triggersync.emulator.faults import FaultInjector, Faults
from triggersync.emulator.server import Emulator


def test_429_with_retry_after_once_the_bucket_is_empty(
    emulator: Emulator, emulator_session: requests.Session
) -> None:
    emulator.faults = Faults(rate_limit=3)
    statuses = [emulator_session.get(f"{emulator.url}/triggers").status_code for _ in range(3)]
    limited = emulator_session.get(f"{emulator.url}/triggers")
    assert statuses == [200, 200, 200]
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1
    assert "error" in limited.json()
    assert emulator.stats()["rate_limited"] == 1


def test_retry_after_is_the_time_until_the_next_token(emulator: Emulator) -> None:
    emulator.faults = Faults(rate_limit=2)  # one token every 30 seconds
    with requests.Session() as session:
        session.trust_env = False
        for _ in range(2):
            session.get(f"{emulator.url}/triggers")
        limited = session.get(f"{emulator.url}/triggers")
    assert 1 <= int(limited.headers["Retry-After"]) <= 30


def test_bucket_refills_at_the_configured_rate() -> None:
    now = [0.0]
    injector = FaultInjector(clock=lambda: now[0])
    faults = Faults(rate_limit=60)  # one token per second
    assert all(injector.retry_after(faults) is None for _ in range(60))
    assert injector.retry_after(faults) == 1
    now[0] += 1.0
    assert injector.retry_after(faults) is None
    assert injector.retry_after(faults) == 1


def test_fail_rate_one_answers_503_and_changes_nothing(
    emulator: Emulator, emulator_session: requests.Session
) -> None:
    emulator.faults = Faults(fail_rate=1)
    response = emulator_session.post(f"{emulator.url}/triggers", json={"name": "T"})
    assert response.status_code == 503
    assert "error" in response.json()
    assert emulator.store.list() == []
    assert emulator.stats()["failed"] == 1


def test_fail_after_commit_answers_502_but_stores_the_trigger(
    emulator: Emulator, emulator_session: requests.Session
) -> None:
    emulator.faults = Faults(fail_after_commit_rate=1)
    response = emulator_session.post(f"{emulator.url}/triggers", json={"name": "T"})
    assert response.status_code == 502
    assert emulator.store.get("T") is not None


def test_fail_after_commit_leaves_reads_alone(
    emulator: Emulator, emulator_session: requests.Session
) -> None:
    emulator.faults = Faults(fail_after_commit_rate=1)
    assert emulator_session.get(f"{emulator.url}/triggers").status_code == 200


def test_fail_names_fail_only_writes_to_those_names(
    emulator: Emulator, emulator_session: requests.Session
) -> None:
    emulator.faults = Faults(fail_names=frozenset({"Broken"}))
    broken = emulator_session.post(f"{emulator.url}/triggers", json={"name": "Broken"})
    fine = emulator_session.post(f"{emulator.url}/triggers", json={"name": "Fine"})
    renamed = emulator_session.put(f"{emulator.url}/triggers/Fine", json={"name": "Broken"})
    assert (broken.status_code, fine.status_code, renamed.status_code) == (500, 201, 500)
    assert [t["name"] for t in emulator.store.list()] == ["Fine"]


def test_refuse_creates_answers_every_create_400_and_lets_other_writes_through(
    emulator: Emulator, emulator_session: requests.Session
) -> None:
    emulator.store.create({"name": "Kept"})
    emulator.faults = Faults(refuse_creates=True)
    definition = {"event": "page_enter", "condition": ["and"], "actions": []}
    new = {"name": "New", "definition": definition}
    refused = emulator_session.post(f"{emulator.url}/triggers", json=new)
    updated = emulator_session.put(f"{emulator.url}/triggers/Kept", json={"description": "d"})
    assert (refused.status_code, "error" in refused.json()) == (400, True)
    assert updated.status_code == 200
    assert [t["name"] for t in emulator.store.list()] == ["Kept"]


def test_refuse_creates_lets_a_trigger_without_a_definition_through(
    emulator: Emulator, emulator_session: requests.Session
) -> None:
    # Zendesk refuses definitions; an apply's lock carries none, so it is still taken.
    emulator.faults = Faults(refuse_creates=True)
    made = emulator_session.post(f"{emulator.url}/triggers", json={"name": "triggersync lock"})
    assert made.status_code == 201


def test_faults_can_change_mid_run(emulator: Emulator, emulator_session: requests.Session) -> None:
    before = emulator_session.get(f"{emulator.url}/triggers").status_code
    emulator.faults.fail_rate = 1
    during = emulator_session.get(f"{emulator.url}/triggers").status_code
    emulator.faults.fail_rate = 0
    after = emulator_session.get(f"{emulator.url}/triggers").status_code
    assert (before, during, after) == (200, 503, 200)


def statuses_with_seed(seed: int) -> list[int]:
    with Emulator(faults=Faults(fail_rate=0.5, seed=seed)) as em, requests.Session() as session:
        session.trust_env = False
        session.auth = (em.credentials.email, em.credentials.password)
        return [session.get(f"{em.url}/triggers").status_code for _ in range(30)]


def test_seed_makes_failures_reproducible() -> None:
    first, second = statuses_with_seed(7), statuses_with_seed(7)
    assert first == second
    assert set(first) == {200, 503}


def test_latency_is_applied_per_request(
    emulator: Emulator, emulator_session: requests.Session
) -> None:
    emulator.faults = Faults(latency_ms=20)
    for _ in range(3):
        emulator_session.get(f"{emulator.url}/triggers")
    assert emulator.stats()["delayed_ms"] >= 60


def test_delayed_requests_overlap(emulator: Emulator) -> None:
    emulator.faults = Faults(latency_ms=300)
    ready = threading.Barrier(6)

    def get(_: int) -> int:
        with requests.Session() as session:
            session.trust_env = False
            auth = (emulator.credentials.email, emulator.credentials.password)
            ready.wait(timeout=10)
            return session.get(f"{emulator.url}/triggers", auth=auth, timeout=30).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert list(pool.map(get, range(6))) == [200] * 6
    assert emulator.stats()["peak_in_flight"] >= 2


def test_stopping_cuts_injected_latency_short(
    emulator: Emulator, emulator_session: requests.Session
) -> None:
    """Shutdown never waits out a long injected delay: the delay ends when stopping begins."""
    emulator.faults = Faults(latency_ms=600_000)
    emulator.stopping.set()
    assert emulator_session.get(f"{emulator.url}/triggers", timeout=30).status_code == 200


@pytest.mark.parametrize(
    "bad",
    [
        {"latency_ms": -1},
        {"rate_limit": -1},
        {"fail_rate": 1.5},
        {"fail_after_commit_rate": -0.1},
    ],
)
def test_faults_reject_impossible_values(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=r"must be"):
        Faults(**bad)  # type: ignore[arg-type]
