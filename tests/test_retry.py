"""Retry policy, Retry-After, the shared throttle, and the client's bounds on retrying."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import formatdate

import pytest
from canned_http import Canned, Script, canned_server
from requests.auth import HTTPBasicAuth
from virtual_time import FastForwardThrottle, VirtualClock

from triggersync.api.client import Client
from triggersync.api.retry import RetryPolicy, Throttle, parse_retry_after
from triggersync.errors import ApiError, NotFoundError, UsageError

FAST = RetryPolicy(max_attempts=3, base_delay=0.0, max_delay=0.0)
LIST_BODY = json.dumps([{"name": "T", "description": "", "enabled": 1}]).encode()


@contextmanager
def canned_client(
    *responses: Canned, policy: RetryPolicy = FAST
) -> Iterator[tuple[Client, Script, FastForwardThrottle]]:
    with canned_server(*responses) as (url, script):
        client = Client(url, HTTPBasicAuth("u", "p"), policy=policy, sleep=lambda _: None)
        throttle = FastForwardThrottle(4, VirtualClock())
        client.throttle = throttle
        with client:
            yield client, script, throttle


# -- parse_retry_after ----------------------------------------------------------------------


def test_retry_after_in_seconds() -> None:
    assert parse_retry_after(" 120 ") == 120.0


def test_retry_after_as_an_http_date_is_the_time_until_then() -> None:
    assert parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now=784111747.0) == 30.0


def test_retry_after_as_a_date_in_the_past_is_zero() -> None:
    assert parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now=784111800.0) == 0.0


@pytest.mark.parametrize("value", [None, "", "soon", "-5", "1.5", "Mon, 99 Foo 2024"])
def test_retry_after_that_is_not_understood_is_none(value: str | None) -> None:
    assert parse_retry_after(value) is None


# -- RetryPolicy ----------------------------------------------------------------------------


def test_policy_from_the_environment() -> None:
    env = {"TRIGGERSYNC_MAX_ATTEMPTS": "2", "TRIGGERSYNC_RETRY_DELAY": "0.25"}
    policy = RetryPolicy.from_env(env)
    assert (policy.max_attempts, policy.base_delay) == (2, 0.25)


def test_policy_from_the_environment_keeps_at_least_one_attempt_and_no_negative_delay() -> None:
    env = {"TRIGGERSYNC_MAX_ATTEMPTS": "0", "TRIGGERSYNC_RETRY_DELAY": "-3"}
    policy = RetryPolicy.from_env(env)
    assert (policy.max_attempts, policy.base_delay) == (1, 0.0)


def test_a_policy_variable_that_is_not_a_number_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="TRIGGERSYNC_MAX_ATTEMPTS"):
        RetryPolicy.from_env({"TRIGGERSYNC_MAX_ATTEMPTS": "many"})


@pytest.mark.parametrize("rng", [0.0, 0.5, 1.0])
def test_backoff_doubles_within_jitter_bounds(rng: float) -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=100.0)
    assert 4.0 <= policy.backoff(4, lambda: rng) <= 8.0


def test_backoff_is_capped() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=10.0)
    assert policy.backoff(30, lambda: 1.0) == 10.0


# -- Throttle -------------------------------------------------------------------------------


def test_a_429_halves_the_in_flight_limit() -> None:
    throttle = Throttle(8)
    throttle.acquire()
    throttle.release(rate_limited=True, retry_after=0)
    assert throttle.limit == 4


def test_the_limit_never_drops_below_one() -> None:
    throttle = Throttle(2)
    for _ in range(5):
        throttle.acquire()
        throttle.release(rate_limited=True, retry_after=0)
    assert throttle.limit == 1


def test_successes_bring_the_limit_back_to_its_ceiling() -> None:
    throttle = Throttle(4)
    throttle.acquire()
    throttle.release(rate_limited=True, retry_after=0)
    for _ in range(10):
        throttle.acquire()
        throttle.release()
    assert throttle.limit == 4


def test_a_429_pauses_every_worker_until_retry_after() -> None:
    now = [0.0]
    consulted = threading.Event()
    acquired = threading.Event()

    def clock() -> float:
        if threading.current_thread().name == "worker":
            consulted.set()
        return now[0]

    throttle = Throttle(4, clock=clock)
    for _ in range(3):
        throttle.acquire()
    throttle.release(rate_limited=True, retry_after=10)

    def worker() -> None:
        throttle.acquire()
        acquired.set()

    thread = threading.Thread(target=worker, name="worker", daemon=True)
    thread.start()
    assert consulted.wait(5)
    # The worker holds the lock from reading the clock until it waits, so this release
    # comes after; it wakes the worker at t=0, still inside the pause.
    throttle.release()
    assert not acquired.is_set()
    now[0] = 11.0
    throttle.release()  # wakes the worker again, now past the pause
    thread.join(5)
    assert acquired.is_set()


# -- the client's bounds ----------------------------------------------------------------------


def test_a_retry_after_date_is_honoured() -> None:
    when = formatdate(timeval=time.time() + 120, usegmt=True)
    limited = Canned(429, b'{"error": "slow down"}', {"Retry-After": when})
    with canned_client(limited, Canned(200, LIST_BODY)) as (client, script, throttle):
        assert [t.name for t in client.list()] == ["T"]
    assert len(script.seen) == 2
    assert len(throttle.pauses) == 1
    assert 100 < throttle.pauses[0] <= 120


def test_a_retry_after_beyond_the_time_budget_gives_up_at_once() -> None:
    limited = Canned(429, b'{"error": "quota exhausted"}', {"Retry-After": "86400"})
    policy = RetryPolicy(max_attempts=3, base_delay=0.0, max_delay=0.0, max_total=60.0)
    with (
        canned_client(limited, policy=policy) as (client, script, throttle),
        pytest.raises(ApiError, match="HTTP 429") as caught,
    ):
        client.list()
    assert len(script.seen) == 1
    assert "86400" in str(caught.value)
    assert throttle.pauses == []  # no worker was parked for a day


def test_server_errors_stop_when_the_time_budget_is_spent() -> None:
    policy = RetryPolicy(max_attempts=6, base_delay=0.0, max_delay=0.0, max_total=0.0)
    with (
        canned_client(Canned(503, b'{"error": "down"}'), policy=policy) as (client, script, _),
        pytest.raises(ApiError, match="HTTP 503"),
    ):
        client.list()
    assert len(script.seen) == 1


def test_server_errors_are_retried_up_to_max_attempts() -> None:
    with (
        canned_client(Canned(503, b'{"error": "down"}')) as (client, script, _),
        pytest.raises(ApiError, match="HTTP 503: down"),
    ):
        client.list()
    assert len(script.seen) == FAST.max_attempts


def test_a_delete_retried_after_an_ambiguous_failure_that_gets_404_succeeded() -> None:
    gateway = Canned(502, b"<html><h1>502 Bad Gateway</h1></html>", {"Content-Type": "text/html"})
    gone = Canned(404, b'{"error": "no trigger named T"}')
    with canned_client(gateway, gone) as (client, script, _):
        client.delete("T")
    assert script.seen == [("DELETE", "/api/v2/chat/triggers/T")] * 2


def test_a_delete_that_gets_404_at_once_is_not_found() -> None:
    gone = Canned(404, b'{"error": "no trigger named T"}')
    with canned_client(gone) as (client, _, _), pytest.raises(NotFoundError, match="HTTP 404"):
        client.delete("T")


def test_a_create_is_not_resent_while_the_trigger_it_made_is_there() -> None:
    made = json.dumps({"id": 7, "name": "T", "description": "d", "enabled": 1}).encode()
    with canned_client(Canned(502, b"{}"), Canned(200, made)) as (client, script, _):
        created = client.create({"name": "T", "description": "d", "enabled": 1})
    assert created.name == "T"
    assert [method for method, _ in script.seen] == ["POST", "GET"]


def test_a_create_whose_name_now_has_other_content_is_an_error_not_a_duplicate() -> None:
    other = json.dumps({"id": 7, "name": "T", "description": "someone else's", "enabled": 1})
    with (
        canned_client(Canned(502, b"{}"), Canned(200, other.encode())) as (client, script, _),
        pytest.raises(ApiError, match="other content"),
    ):
        client.create({"name": "T", "description": "d", "enabled": 1})
    assert [method for method, _ in script.seen] == ["POST", "GET"]


def test_a_create_that_surely_did_not_happen_is_sent_again() -> None:
    made = json.dumps({"id": 7, "name": "T", "description": "d", "enabled": 1}).encode()
    missing = Canned(404, b'{"error": "no trigger named T"}')
    responses = (Canned(502, b"{}"), missing, Canned(201, made))
    with canned_client(*responses) as (client, script, _):
        assert client.create({"name": "T", "description": "d", "enabled": 1}).name == "T"
    assert [method for method, _ in script.seen] == ["POST", "GET", "POST"]
