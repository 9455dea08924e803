"""Retry policy and the throttle every worker shares: the one place for rate limits.

On a 429 every worker pauses until Retry-After, and the number of requests allowed in
flight halves; successes grow it back by one slot per full window of successes (AIMD, as
TCP's congestion avoidance does). Under a rate limit
this settles near the rate the server allows instead of hammering it with retries.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from triggersync.api import settings

# The least a 429 is waited out. `Retry-After: 0`, a date in the past, or no usable header at
# all would otherwise have every retry hit a server that is already refusing, back to back.
RATE_LIMIT_PAUSE = 1.0


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    base_delay: float = 0.5  # first backoff for 5xx and connection errors, doubled each time
    max_delay: float = 30.0
    max_total: float = 300.0  # give up on one request after this long, whatever the attempts

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> RetryPolicy:
        """Tuning for impatient pipelines and fast tests: TRIGGERSYNC_MAX_ATTEMPTS and
        TRIGGERSYNC_RETRY_DELAY (the first backoff, seconds)."""
        return cls(
            max_attempts=settings.count(env, "TRIGGERSYNC_MAX_ATTEMPTS", cls.max_attempts),
            base_delay=settings.seconds(env, "TRIGGERSYNC_RETRY_DELAY", cls.base_delay),
        )

    def backoff(self, attempt: int, rng: Callable[[], float] = random.random) -> float:
        """Exponential backoff with equal jitter (attempt counts from 1): half the doubled delay
        for certain, plus a random share of the other half. Unlike full jitter, a wait is never
        near zero, so retries cannot come back to back (docs/safety.md#retries)."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return float(ceiling * (0.5 + rng() / 2))


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds: either delta-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    # ASCII digits only: str.isdigit also accepts "²" or "١", which float() refuses.
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


def rate_limit_pause(retry_after: float | None) -> float:
    """How long every worker pauses after a 429: as long as Retry-After asks, and never less
    than RATE_LIMIT_PAUSE."""
    return max(RATE_LIMIT_PAUSE, retry_after or 0.0)


class Throttle:
    """Shared by all workers of one client: a pause gate plus an adaptive in-flight limit."""

    def __init__(self, max_in_flight: int = 4, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_in_flight = max(1, max_in_flight)
        self._limit = float(self.max_in_flight)
        self._in_flight = 0
        self._paused_until = 0.0
        self._open = False
        self._clock = clock
        self._cond = threading.Condition()

    @property
    def limit(self) -> int:
        return int(self._limit)

    def acquire(self) -> None:
        with self._cond:
            while True:
                wait = self._paused_until - self._clock()
                if self._open or (wait <= 0 and self._in_flight < int(self._limit)):
                    self._in_flight += 1
                    return
                self._cond.wait(timeout=wait if wait > 0 else None)

    def open(self) -> None:
        """Let every worker through at once, pause or limit: the run is ending, and what they
        would send is refused before it leaves (Client.cut_off)."""
        with self._cond:
            self._open = True
            self._cond.notify_all()

    def release(self, *, rate_limited: bool = False, retry_after: float | None = None) -> None:
        with self._cond:
            self._in_flight -= 1
            if rate_limited:
                self._limit = max(1.0, self._limit / 2)
                if retry_after:
                    self._paused_until = max(self._paused_until, self._clock() + retry_after)
            else:
                # Additive increase: 1/limit per success, so one slot per window of successes.
                self._limit = min(float(self.max_in_flight), self._limit + 1.0 / max(1, self.limit))
            self._cond.notify_all()
