"""Types for the `run` fixture, and helpers the CLI tests share (kept out of conftest.py: two
conftest modules share a name)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from triggersync.emulator.server import Emulator


@dataclass(frozen=True)
class Ran:
    code: int
    stdout: str
    stderr: str


Run = Callable[..., Ran]


def writes(emulator: Emulator) -> int:
    """How many writes (creates, updates, deletes) the emulator has taken since its stats were
    last reset."""
    stats = emulator.stats()
    return stats["create"] + stats["update"] + stats["delete"]
