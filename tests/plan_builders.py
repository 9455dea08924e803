"""Small Changes to build plans from in tests: one of each action, a rename, a replace."""

from __future__ import annotations

from typing import Any

from triggersync.engine.plan import REPLACE_REASON, Change, FieldChange


def view(name: str, description: str = "", enabled: int = 1, **extra: Any) -> dict[str, Any]:
    return {"name": name, "description": description, "enabled": enabled, **extra}


def create(name: str) -> Change:
    return Change("create", name, None, view(name))


def delete(name: str) -> Change:
    return Change("delete", name, view(name), None)


def rename(old: str, new: str) -> Change:
    return Change("update", old, view(old), view(new), (FieldChange("name", old, new),))


def replace(name: str, new_name: str | None = None) -> Change:
    before = view(name, definition={"event": "a"})
    after = view(new_name or name, definition={"event": "b"})
    diff = (FieldChange("definition.event", "a", "b"),)
    return Change("replace", name, before, after, diff, REPLACE_REASON)
