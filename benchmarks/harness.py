"""Processes and measurements: the emulator as a subprocess, timed child processes with their
own peak memory (wait4), and the emulator's request counters."""

from __future__ import annotations

import base64
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

BIN = Path(sys.executable).parent
TRIGGERSYNC = str(BIN / "triggersync")
PYTHON = sys.executable
EMAIL, PASSWORD = "bench@example.com", "bench-password"
ENV = {
    **{k: v for k, v in os.environ.items() if not k.startswith("TRIGGERSYNC_")},
    "TRIGGERSYNC_EMAIL": EMAIL,
    "TRIGGERSYNC_PASSWORD": PASSWORD,
    # What a project file's accounts name (benchmarks/run.py, bench_accounts).
    "BENCH_EMAIL": EMAIL,
    "BENCH_PASSWORD": PASSWORD,
    "NO_COLOR": "1",
    "PYTHONDONTWRITEBYTECODE": "0",
}
CHILD_TIMEOUT = 900.0  # seconds: no single measured command may hang the run


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    peak_mb: float  # the child's own maximum resident set
    code: int


@dataclass(frozen=True)
class Sample:
    runs: tuple[Run, ...]

    @property
    def wall(self) -> float:
        return statistics.median(run.wall for run in self.runs)

    @property
    def peak_mb(self) -> float:
        return statistics.median(run.peak_mb for run in self.runs)


def run(cmd: Sequence[str], *, expect: int = 0, stdout: Path | None = None) -> Run:
    """One child process, timed from spawn to exit; its own ru_maxrss via wait4 (the
    RUSAGE_CHILDREN figure would be the maximum over every child so far)."""
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL  # noqa: SIM115
    # A file, not a pipe: a child that writes more than a pipe holds (64 KiB of warnings)
    # would block on a pipe nobody reads until it exits.
    errors = tempfile.TemporaryFile()  # noqa: SIM115
    started = time.perf_counter()
    try:
        proc = subprocess.Popen(cmd, env=ENV, stdout=out, stderr=errors)
        deadline = started + CHILD_TIMEOUT
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                raise SystemExit(f"benchmark: {cmd[:3]} took over {CHILD_TIMEOUT:.0f}s")
            time.sleep(0.002)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        err = errors.read().decode("utf-8", "replace")
    finally:
        errors.close()
        if stdout:
            out.close()  # type: ignore[union-attr]
    if proc.returncode != expect:
        shown = " ".join(cmd[:4])
        raise SystemExit(f"benchmark: `{shown} ...` exited {proc.returncode}:\n{err[-2000:]}")
    # Linux reports ru_maxrss in KiB.
    return Run(wall, usage.ru_maxrss / 1024, proc.returncode)


def repeat(cmd: Sequence[str], times: int, *, expect: int = 0) -> Sample:
    return Sample(tuple(run(cmd, expect=expect) for _ in range(times)))


class Emulator:
    """`triggersync emulator` in its own process, on a free loopback port."""

    def __init__(self, db: Path, *, latency_ms: float = 0, rate_limit: int = 0) -> None:
        self.cmd = [TRIGGERSYNC, "emulator", "--port", "0", "--db", str(db)]
        self.cmd += ["--latency-ms", str(latency_ms), "--rate-limit", str(rate_limit)]
        self.url = ""
        self._proc: subprocess.Popen[str] | None = None

    def __enter__(self) -> Emulator:
        self._proc = subprocess.Popen(
            self.cmd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        assert self._proc.stdout is not None
        first = self._proc.stdout.readline()
        if "serving " not in first:
            self._proc.kill()
            raise SystemExit(f"benchmark: the emulator did not start: {first!r}")
        self.url = first.split("serving ", 1)[1].split()[0]
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._proc is not None:
            self._proc.send_signal(signal.SIGTERM)
            try:
                self._proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()

    @property
    def origin(self) -> str:
        return self.url.split("/api/", 1)[0]

    def stats(self) -> dict[str, int]:
        """The emulator's request counters (it asks for the API's credentials)."""
        with urllib.request.urlopen(
            _authorised(self.origin + "/_emulator/stats"), timeout=10
        ) as answer:
            data: dict[str, int] = json.loads(answer.read())
        return data

    def list(self) -> list[dict[str, object]]:
        with urllib.request.urlopen(_authorised(self.url + "/triggers"), timeout=60) as answer:
            data: list[dict[str, object]] = json.loads(answer.read())
        return data


def _authorised(url: str) -> urllib.request.Request:
    token = base64.b64encode(f"{EMAIL}:{PASSWORD}".encode()).decode()
    return urllib.request.Request(url, headers={"Authorization": f"Basic {token}"})


def delta(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {key: after[key] - before.get(key, 0) for key in after if key != "peak_in_flight"}
