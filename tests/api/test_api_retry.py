"""Retry policy, Retry-After, the shared throttle, and the client's bounds on retrying."""

from __future__ import annotations

import json
import threading
import time
from email.utils import formatdate

import pytest
from api_clients import FAST, fast_forward
from canned_http import Canned

from triggersync.api.retry import RATE_LIMIT_PAUSE, RetryPolicy, Throttle, parse_retry_after
from triggersync.errors import ApiError, UsageError

LIST_BODY = json.dumps([{"name": "T", "description": "", "enabled": 1}]).encode()


# -- parse_retry_after ----------------------------------------------------------------------


def test_retry_after_in_seconds() -> None:
    assert parse_retry_after(" 120 ") == 120.0


@pytest.mark.parametrize(
    ("now", "seconds"), [(784111747.0, 30.0), (784111800.0, 0.0)], ids=["ahead", "past"]
)
def test_retry_after_as_an_http_date_is_the_time_until_then_or_zero(
    now: float, seconds: float
) -> None:
    assert parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now=now) == seconds


@pytest.mark.parametrize(
    "value", [None, "", "soon", "-5", "1.5", "Mon, 99 Foo 2024", "²", "¹", "1²", "١٢"]
)
def test_retry_after_that_is_not_understood_is_none(value: str | None) -> None:
    # "²" and "١" are digits to str.isdigit, but no number to float(): ASCII digits only.
    assert parse_retry_after(value) is None


# -- RetryPolicy ----------------------------------------------------------------------------


def test_policy_from_the_environment() -> None:
    env = {"TRIGGERSYNC_MAX_ATTEMPTS": "2", "TRIGGERSYNC_RETRY_DELAY": "0.25"}
    policy = RetryPolicy.from_env(env)
    assert (policy.max_attempts, policy.base_delay) == (2, 0.25)


@pytest.mark.parametrize("value", ["", "  "], ids=["empty", "blank"])
def test_an_empty_policy_variable_means_its_default(value: str) -> None:
    env = {"TRIGGERSYNC_MAX_ATTEMPTS": value, "TRIGGERSYNC_RETRY_DELAY": value}
    assert RetryPolicy.from_env(env) == RetryPolicy()


@pytest.mark.parametrize("value", ["many", "0", "-1", "2.5"])
def test_max_attempts_must_be_a_whole_number_of_at_least_one(value: str) -> None:
    with pytest.raises(UsageError) as caught:
        RetryPolicy.from_env({"TRIGGERSYNC_MAX_ATTEMPTS": value})
    assert str(caught.value) == (
        f"TRIGGERSYNC_MAX_ATTEMPTS must be a whole number of at least 1, got {value!r}"
    )


@pytest.mark.parametrize("value", ["soon", "-3", "nan", "inf", "1e9"])
def test_retry_delay_must_be_a_number_of_seconds(value: str) -> None:
    with pytest.raises(UsageError) as caught:
        RetryPolicy.from_env({"TRIGGERSYNC_RETRY_DELAY": value})
    assert str(caught.value) == (
        f"TRIGGERSYNC_RETRY_DELAY must be a number of seconds from 0 to 86400, got {value!r}"
    )


@pytest.mark.parametrize("rng", [0.0, 0.5, 1.0])
def test_backoff_doubles_within_jitter_bounds(rng: float) -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=100.0)
    assert 4.0 <= policy.backoff(4, lambda: rng) <= 8.0


def test_backoff_is_capped() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=10.0)
    assert policy.backoff(30, lambda: 1.0) == 10.0


# -- Throttle -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ceiling", "rate_limited", "limit"),
    [(8, 1, 4), (2, 5, 1)],
    ids=["each-429-halves-it", "never-below-one"],
)
def test_429s_shrink_the_in_flight_limit(ceiling: int, rate_limited: int, limit: int) -> None:
    throttle = Throttle(ceiling)
    for _ in range(rate_limited):
        throttle.acquire()
        throttle.release(rate_limited=True, retry_after=0)
    assert throttle.limit == limit


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


def test_opening_the_throttle_lets_a_paused_worker_through_at_once() -> None:
    consulted = threading.Event()

    def clock() -> float:
        if threading.current_thread().name == "worker":
            consulted.set()
        return 0.0

    throttle = Throttle(1, clock=clock)
    throttle.acquire()
    throttle.release(rate_limited=True, retry_after=3600)
    acquired = threading.Event()
    worker = threading.Thread(
        target=lambda: (throttle.acquire(), acquired.set()), name="worker", daemon=True
    )
    worker.start()
    assert consulted.wait(60)
    # The worker holds the lock from reading the clock until it waits: it waits by now.
    throttle.open()
    worker.join(60)
    assert acquired.is_set()


# -- the client's bounds ----------------------------------------------------------------------


def test_rate_limit_answers_are_waited_out() -> None:
    limited = Canned(429, b'{"error": "slow down"}', {"Retry-After": "0"})
    with fast_forward(limited, Canned(200, LIST_BODY)) as (client, script, _):
        assert [t.name for t in client.list()] == ["T"]
    assert len(script.seen) == 2


@pytest.mark.parametrize("value", ["²", "¹"])
def test_a_retry_after_of_unicode_digits_is_waited_out_as_no_retry_after(value: str) -> None:
    limited = Canned(429, b'{"error": "slow down"}', {"Retry-After": value})
    with fast_forward(limited, Canned(200, LIST_BODY)) as (client, script, throttle):
        assert [t.name for t in client.list()] == ["T"]
    assert len(script.seen) == 2
    assert throttle.pauses == [RATE_LIMIT_PAUSE]


@pytest.mark.parametrize(
    "value",
    ["0", "-5", "Sun, 06 Nov 1994 08:49:37 GMT"],
    ids=["zero", "negative", "a-past-date"],
)
def test_a_rate_limit_always_pauses_at_least_a_second(value: str) -> None:
    limited = Canned(429, b'{"error": "slow down"}', {"Retry-After": value})
    with fast_forward(limited, limited, Canned(200, LIST_BODY)) as (client, script, throttle):
        assert [t.name for t in client.list()] == ["T"]
    assert len(script.seen) == 3
    assert throttle.pauses == [RATE_LIMIT_PAUSE, RATE_LIMIT_PAUSE]


def test_a_permanent_rate_limit_gives_up_with_a_clear_error() -> None:
    with (
        fast_forward(Canned(429, b"{}", {"Retry-After": "0"})) as (client, _, _),
        pytest.raises(ApiError, match="HTTP 429: still rate limited"),
    ):
        client.list()


def test_a_retry_after_date_is_honoured() -> None:
    when = formatdate(timeval=time.time() + 120, usegmt=True)
    limited = Canned(429, b'{"error": "slow down"}', {"Retry-After": when})
    with fast_forward(limited, Canned(200, LIST_BODY)) as (client, script, throttle):
        assert [t.name for t in client.list()] == ["T"]
    assert len(script.seen) == 2
    assert len(throttle.pauses) == 1
    assert 100 < throttle.pauses[0] <= 120


def test_a_retry_after_beyond_the_time_budget_gives_up_at_once() -> None:
    limited = Canned(429, b'{"error": "quota exhausted"}', {"Retry-After": "86400"})
    policy = RetryPolicy(max_attempts=3, base_delay=0.0, max_delay=0.0, max_total=60.0)
    with (
        fast_forward(limited, policy=policy) as (client, script, throttle),
        pytest.raises(ApiError, match="HTTP 429") as caught,
    ):
        client.list()
    assert len(script.seen) == 1
    assert "86400" in str(caught.value)
    assert throttle.pauses == []  # no worker was parked for a day


def test_server_errors_stop_when_the_time_budget_is_spent() -> None:
    policy = RetryPolicy(max_attempts=6, base_delay=0.0, max_delay=0.0, max_total=0.0)
    with (
        fast_forward(Canned(503, b'{"error": "down"}'), policy=policy) as (client, script, _),
        pytest.raises(ApiError, match="HTTP 503"),
    ):
        client.list()
    assert len(script.seen) == 1


def test_server_errors_are_retried_up_to_max_attempts() -> None:
    with (
        fast_forward(Canned(503, b'{"error": "down"}')) as (client, script, _),
        pytest.raises(ApiError, match="HTTP 503: down"),
    ):
        client.list()
    assert len(script.seen) == FAST.max_attempts
