"""The Trigger value and the one normalisation that live JSON and YAML both go through.

Comparing desired and live only ever compares `Trigger.view()` dicts built here, so a
difference can never come from representation alone (true vs 1, null vs "").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# The fields triggersync manages. `definition` is managed only where the config declares it.
ALWAYS_MANAGED = ("name", "description", "enabled")
FIELD_ORDER = ("name", "description", "enabled", "definition")


@dataclass(frozen=True)
class Location:
    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Trigger:
    name: str
    description: str = ""
    enabled: int = 1  # the API's integer form: 1 or 0
    definition: Any = None  # JSON object, or None when not declared / not present live
    renamed_from: str | None = None
    location: Location | None = field(default=None, compare=False, repr=False)

    def view(self, *, with_definition: bool) -> dict[str, Any]:
        """The managed fields as the API spells them, in a stable key order."""
        out: dict[str, Any] = {
            "name": self.name,
            "description": self.description,
            "enabled": self.enabled,
        }
        if with_definition:
            out["definition"] = self.definition
        return out

    def body(self) -> dict[str, Any]:
        """A create (POST) body: every managed field, definition only when there is one."""
        return self.view(with_definition=self.definition is not None)


def normalise_enabled(value: Any) -> int:
    """true/false, 1/0 (and their string forms, seen in hand-edited live data) → 1/0."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int) and value in (0, 1):
        return value
    if isinstance(value, str) and value.strip().lower() in ("1", "true", "0", "false"):
        return 1 if value.strip().lower() in ("1", "true") else 0
    raise ValueError(f"expected true/false or 0/1, got {value!r}")


def normalise(raw: Mapping[str, Any], location: Location | None = None) -> Trigger:
    """Turn a live API object or a validated YAML mapping into a Trigger.

    Fields neither side manages (id, and whatever else a live trigger carries) are dropped
    here, so they can never show up as differences. Raises ValueError on a value that has no
    normal form; callers turn that into their own error with a place attached.
    """
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise ValueError(f"expected a non-empty string name, got {name!r}")
    description = raw.get("description")
    if description is None:
        description = ""
    if not isinstance(description, str):
        raise ValueError(f"expected a string description, got {description!r}")
    definition = raw.get("definition")
    if definition is not None and not isinstance(definition, dict):
        raise ValueError(f"expected a definition object, got {type(definition).__name__}")
    renamed_from = raw.get("renamed_from")
    return Trigger(
        name=name,
        description=description,
        enabled=normalise_enabled(raw.get("enabled", 1)),
        definition=definition,
        renamed_from=renamed_from if isinstance(renamed_from, str) else None,
        location=location,
    )
