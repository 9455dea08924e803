"""Types for the `run` fixture (kept out of conftest.py: two conftest modules share a name)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Ran:
    code: int
    stdout: str
    stderr: str


Run = Callable[..., Ran]
