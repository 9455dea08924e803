"""Fault injection: what can go wrong with the real API, on demand and reproducibly.

`Faults` is the plain, mutable configuration (tests change it mid-run); `FaultInjector` holds
the state behind it — the rate-limit bucket and the random source — and is consulted once per
request by the server.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Faults:
    latency_ms: float = 0
    rate_limit: int = 0  # requests per minute; 0 = unlimited
    fail_rate: float = 0  # fraction of requests answered 503 before anything happens
    fail_after_commit_rate: float = 0  # fraction of writes that commit, then answer 502
    fail_names: frozenset[str] = field(default_factory=frozenset)  # writes always answer 500
    # Every create that carries a definition answers 400, as for a definition Zendesk refuses.
    refuse_creates: bool = False
    seed: int | None = None

    def __post_init__(self) -> None:
        if self.latency_ms < 0:
            raise ValueError("latency_ms must be >= 0")
        if self.rate_limit < 0:
            raise ValueError("rate_limit must be >= 0")
        for rate in (self.fail_rate, self.fail_after_commit_rate):
            if not 0 <= rate <= 1:
                raise ValueError("failure rates must be between 0 and 1")
        self.fail_names = frozenset(self.fail_names)


class FaultInjector:
    """Decides, per request, which configured fault (if any) strikes.

    The rate limit is a token bucket holding a minute's allowance (`rate_limit` tokens) and
    refilling continuously at `rate_limit` per minute; it starts full. Changing `rate_limit`,
    `seed` or the `Faults` object itself starts a fresh bucket and random sequence, so a test
    that sets faults mid-run gets the same outcome every time.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._rng = random.Random()
        self._seeded_for: tuple[int, int | None] | None = None
        self._bucket_for: tuple[int, int] | None = None
        self._tokens = 0.0
        self._refilled_at = 0.0

    def retry_after(self, faults: Faults) -> int | None:
        """Take a token; when there is none, the whole seconds until one is due (>= 1)."""
        if faults.rate_limit <= 0:
            return None
        per_second = faults.rate_limit / 60
        with self._lock:
            now = self._clock()
            key = (id(faults), faults.rate_limit)
            if self._bucket_for != key:
                self._bucket_for = key
                self._tokens = float(faults.rate_limit)
            else:
                elapsed = now - self._refilled_at
                self._tokens = min(float(faults.rate_limit), self._tokens + elapsed * per_second)
            self._refilled_at = now
            if self._tokens >= 1:
                self._tokens -= 1
                return None
            return max(1, math.ceil((1 - self._tokens) / per_second))

    def strikes(self, faults: Faults, rate: float) -> bool:
        """True with probability `rate`, from the seeded sequence when a seed is set."""
        if rate <= 0:
            return False
        if rate >= 1:
            return True
        with self._lock:
            key = (id(faults), faults.seed)
            if self._seeded_for != key:
                self._seeded_for = key
                self._rng = random.Random(faults.seed)
            return self._rng.random() < rate
