"""Request counters for `GET /_emulator/stats`, shared by the request threads."""

from __future__ import annotations

import threading


class Traffic:
    """Request counters for `GET /_emulator/stats`: per endpoint, whatever the outcome."""

    COUNTERS = (
        *("list", "show", "create", "update", "delete", "departments", "token", "total"),
        *("rate_limited", "failed", "delayed_ms", "peak_in_flight"),
    )

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, float] = dict.fromkeys(self.COUNTERS, 0)
        self._in_flight = 0

    def count(self, *names: str, amount: float = 1) -> None:
        with self._lock:
            for name in names:
                self._counts[name] += amount

    def enter(self) -> None:
        with self._lock:
            self._in_flight += 1
            self._counts["peak_in_flight"] = max(self._counts["peak_in_flight"], self._in_flight)

    def leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return {name: int(value) for name, value in self._counts.items()}

    def reset(self) -> None:
        with self._lock:
            self._counts = dict.fromkeys(self.COUNTERS, 0)
            self._counts["peak_in_flight"] = self._in_flight
