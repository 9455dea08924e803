"""Rate limits without waiting: a clock that jumps over every pause a 429 asks for.

The client's throttle and the emulator's token bucket share one `VirtualClock`. When the
throttle is told to pause for Retry-After seconds, the clock moves on by that much at once,
so the pause is over and the bucket has refilled, exactly as if the time had passed.
Everything else (HTTP, retries, the AIMD limit) stays real.
"""

from __future__ import annotations

import threading
import time

from triggersync.api.retry import Throttle
from triggersync.emulator.faults import FaultInjector
from triggersync.emulator.server import Emulator


class VirtualClock:
    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return time.monotonic() + self._offset

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._offset += seconds


class FastForwardThrottle(Throttle):
    """A real Throttle whose pauses are skipped by advancing the shared clock."""

    def __init__(self, max_in_flight: int, clock: VirtualClock) -> None:
        super().__init__(max_in_flight, clock=clock)
        self.virtual_clock = clock
        self.limits: list[int] = [self.limit]  # the in-flight limit after each release
        self.pauses: list[float] = []  # every Retry-After the throttle was asked to honour

    def release(self, *, rate_limited: bool = False, retry_after: float | None = None) -> None:
        super().release(rate_limited=rate_limited, retry_after=retry_after)
        if rate_limited and retry_after:
            self.pauses.append(retry_after)
            self.virtual_clock.advance(retry_after)
        self.limits.append(self.limit)


def virtual_emulator_clock(emulator: Emulator) -> VirtualClock:
    """Give the emulator's fault injector a clock the client's throttle can share."""
    clock = VirtualClock()
    emulator.injector = FaultInjector(clock=clock)
    return clock
