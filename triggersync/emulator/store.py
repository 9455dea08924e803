"""Triggers in SQLite, with the API's validation rules, safe to share between request threads.

The store enforces what the real API enforces (unique names, server-assigned ids, a
`definition` that Update cannot change), so direct seeding from tests obeys the same rules
as HTTP clients. Unless told not to, it stamps what it creates with the metadata Zendesk keeps
in a definition (`STAMP`), so whatever runs against it meets that too.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable
from typing import Any

from triggersync.engine.model import as_declared, same_json
from triggersync.language.check import check_definition

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS triggers (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT UNIQUE NOT NULL,
    description TEXT,
    enabled     INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    definition  TEXT,
    extra       TEXT NOT NULL DEFAULT '{}'
)
"""
_COLUMNS = "id, name, description, enabled, definition, extra"
_DEPARTMENTS = """
CREATE TABLE IF NOT EXISTS departments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    enabled     INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1))
)
"""
_DEPARTMENT_COLUMNS = "id, name, description, enabled"

# Keys with a column of their own; anything else a client sends is kept verbatim in `extra`.
_KNOWN = frozenset({"id", "name", "description", "enabled", "definition"})
# Keys added to a created definition that lacks them. Zendesk keeps `version` in live
# definitions, and scripts that create triggers send `"version": 1, "editor": "developer"`
# (docs/language.md#definition-keys); whether Zendesk adds them itself is not documented, so
# the emulator does, as the harder case for a client that leaves them out.
STAMP = {"version": 1, "editor": "developer"}


class StoreError(Exception):
    """A request the API would refuse; `status` is the HTTP status it answers with."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidTrigger(StoreError):
    """The body is malformed: wrong types, missing name, a changed definition."""


class DuplicateName(StoreError):
    """Another trigger already has the name (the API answers 400, not 409)."""


class TriggerNotFound(StoreError):
    status = 404


class InvalidDepartment(StoreError):
    """A department body the API would refuse."""


class DepartmentNotFound(StoreError):
    status = 404


class Store:
    """One SQLite connection guarded by a lock: simple, and fast enough for a local API."""

    def __init__(self, path: str = ":memory:", *, stamp: bool = True) -> None:
        self.path = path
        self.stamp = stamp  # add STAMP's keys to each created definition that lacks them
        self._lock = threading.Lock()
        # Request threads share the connection; the lock, not sqlite, serialises them.
        self._db = sqlite3.connect(path, check_same_thread=False)
        try:
            if path != ":memory:":
                self._db.execute("PRAGMA journal_mode=WAL")
            with self._db:
                self._db.execute(_SCHEMA)
                self._db.execute(_DEPARTMENTS)
                self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.Error:
            self._db.close()
            raise

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def list(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute(f"SELECT {_COLUMNS} FROM triggers ORDER BY id").fetchall()
        return [_to_json(row) for row in rows]

    def get(self, name: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._row(name)
        return None if row is None else _to_json(row)

    def create(self, body: Any) -> dict[str, Any]:
        row = _insert_row(body, stamp=self.stamp)
        with self._lock:
            if self._row(row[0]) is not None:
                raise DuplicateName(f"a trigger named {row[0]!r} already exists")
            with self._db:
                cursor = self._db.execute(
                    "INSERT INTO triggers (name, description, enabled, definition, extra)"
                    " VALUES (?, ?, ?, ?, ?)",
                    row,
                )
            created = self._db.execute(
                f"SELECT {_COLUMNS} FROM triggers WHERE id = ?", (cursor.lastrowid,)
            ).fetchone()
        return _to_json(created)

    def create_many(self, bodies: Iterable[Any]) -> int:
        """Seed many triggers in one transaction (benchmarks, big fixtures): each body is
        checked as a create's is; a duplicate name refuses the whole batch."""
        rows = [_insert_row(body, stamp=self.stamp) for body in bodies]
        try:
            with self._lock, self._db:
                self._db.executemany(
                    "INSERT INTO triggers (name, description, enabled, definition, extra)"
                    " VALUES (?, ?, ?, ?, ?)",
                    rows,
                )
        except sqlite3.IntegrityError:
            raise DuplicateName("the batch repeats a name or takes an existing one") from None
        return len(rows)

    def update(self, name: str, body: Any) -> dict[str, Any]:
        """A partial update: only the keys present change; `"name": null` keeps the name."""
        fields = _check_fields(body, update=True)
        with self._lock:
            row = self._row(name)
            if row is None:
                raise TriggerNotFound(f"no trigger named {name!r}")
            current = _to_json(row)
            # Zendesk documents `definition` as not editable by Update; repeating it is harmless,
            # with or without the metadata the store stamped on it. Equal as JSON: `true` where
            # it holds 1 is a change, 1.0 where it holds 1 is not.
            sent = fields.get("definition")
            if "definition" in fields and not same_json(
                as_declared(current.get("definition"), sent), sent
            ):
                raise InvalidTrigger(
                    "definition cannot be changed by Update; delete and re-create the trigger"
                )
            new_name = fields.get("name") or name
            if new_name != name and self._row(new_name) is not None:
                raise DuplicateName(f"a trigger named {new_name!r} already exists")
            extra = json.loads(row[5])
            extra.update((k, v) for k, v in body.items() if k not in _KNOWN)
            with self._db:
                self._db.execute(
                    "UPDATE triggers SET name = ?, description = ?, enabled = ?, extra = ?"
                    " WHERE id = ?",
                    (
                        new_name,
                        fields.get("description", current["description"]),
                        fields.get("enabled", current["enabled"]),
                        _dumps(extra),
                        current["id"],
                    ),
                )
            updated = self._row(new_name)
        assert updated is not None  # written above, under the same lock
        return _to_json(updated)

    def delete(self, name: str) -> None:
        with self._lock, self._db:
            cursor = self._db.execute("DELETE FROM triggers WHERE name = ?", (name,))
        if cursor.rowcount == 0:
            raise TriggerNotFound(f"no trigger named {name!r}")

    # -- departments: names are not unique, as nothing says Zendesk's are -----------------

    def departments(self) -> tuple[dict[str, Any], ...]:
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_DEPARTMENT_COLUMNS} FROM departments ORDER BY id"
            ).fetchall()
        return tuple(_department_json(row) for row in rows)

    def department(self, department_id: int) -> dict[str, Any]:
        with self._lock:
            row = self._department_row(department_id)
        return _department_json(row)

    def create_department(self, body: Any) -> dict[str, Any]:
        fields = _department_fields(body)
        if "name" not in fields:
            raise InvalidDepartment("name is required and must be a non-empty string")
        with self._lock:
            with self._db:
                cursor = self._db.execute(
                    "INSERT INTO departments (name, description, enabled) VALUES (?, ?, ?)",
                    (fields["name"], fields.get("description", ""), fields.get("enabled", 1)),
                )
            row = self._department_row(int(cursor.lastrowid or 0))
        return _department_json(row)

    def update_department(self, department_id: int, body: Any) -> dict[str, Any]:
        fields = _department_fields(body)
        with self._lock:
            current = _department_json(self._department_row(department_id))
            merged = {**current, **fields}
            with self._db:
                self._db.execute(
                    "UPDATE departments SET name = ?, description = ?, enabled = ? WHERE id = ?",
                    (merged["name"], merged["description"], merged["enabled"], department_id),
                )
            row = self._department_row(department_id)
        return _department_json(row)

    def delete_department(self, department_id: int) -> None:
        with self._lock, self._db:
            cursor = self._db.execute("DELETE FROM departments WHERE id = ?", (department_id,))
        if cursor.rowcount == 0:
            raise DepartmentNotFound(f"no department with id {department_id}")

    def seed_departments(self, bodies: Iterable[Any]) -> int:
        """Create the departments a seed file lists, except those whose name the store held
        before (a restart with `--db` seeds nothing twice); a name the file repeats is
        created twice, as Zendesk may hold it. Returns how many were created."""
        bodies = tuple(bodies)
        for body in bodies:
            if "name" not in _department_fields(body):
                raise InvalidDepartment("name is required and must be a non-empty string")
        held = {department["name"] for department in self.departments()}
        fresh = [body for body in bodies if body["name"] not in held]
        for body in fresh:
            self.create_department(body)
        return len(fresh)

    def _department_row(self, department_id: int) -> tuple[Any, ...]:
        row: tuple[Any, ...] | None = self._db.execute(
            f"SELECT {_DEPARTMENT_COLUMNS} FROM departments WHERE id = ?", (department_id,)
        ).fetchone()
        if row is None:
            raise DepartmentNotFound(f"no department with id {department_id}")
        return row

    def _row(self, name: str) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self._db.execute(
            f"SELECT {_COLUMNS} FROM triggers WHERE name = ?", (name,)
        ).fetchone()
        return row


def _check_fields(body: Any, *, update: bool = False) -> dict[str, Any]:
    """The known fields of a body, type-checked; `enabled` comes back as 0 or 1."""
    if not isinstance(body, dict):
        raise InvalidTrigger("the body must be a JSON object")
    fields: dict[str, Any] = {}
    if "name" in body and not (update and body["name"] is None):
        if not isinstance(body["name"], str) or not body["name"]:
            raise InvalidTrigger("name must be a non-empty string")
        fields["name"] = body["name"]
    if "description" in body:
        if body["description"] is not None and not isinstance(body["description"], str):
            raise InvalidTrigger("description must be a string or null")
        fields["description"] = body["description"]
    if "enabled" in body:
        enabled = body["enabled"]
        # bool is an int subclass, so True/False pass here and become 1/0.
        if not isinstance(enabled, int) or enabled not in (0, 1):
            raise InvalidTrigger("enabled must be 0, 1, true or false")
        fields["enabled"] = int(enabled)
    if "definition" in body:
        if body["definition"] is not None and not isinstance(body["definition"], dict):
            raise InvalidTrigger("definition must be a JSON object")
        _check_shape(body["definition"])
        fields["definition"] = body["definition"]
    return fields


def _check_shape(definition: dict[str, Any] | None) -> None:
    """Refuse what cannot be a definition at all: a condition that is not a list, an operator
    that is not a string, an action that is not a list starting with its name. The tool calls
    these errors by the same rule (language.check, docs/language.md#checks), so whatever the
    emulator holds, the tool can export, validate and plan; anything else (an unknown event,
    operator or action, the wrong operands) is stored as sent."""
    if definition is None:
        return
    for problem in check_definition(definition):
        if problem.is_error:
            where = f"definition.{problem.where}" if problem.path else "definition"
            raise InvalidTrigger(f"{where}: {problem.message}")


def _insert_row(body: Any, *, stamp: bool) -> tuple[Any, ...]:
    fields = _check_fields(body)
    name = fields.get("name")
    if not isinstance(name, str) or not name:
        raise InvalidTrigger("name is required and must be a non-empty string")
    definition = fields.get("definition")
    if stamp and definition is not None:
        definition = {**definition, **{k: v for k, v in STAMP.items() if k not in definition}}
    return (
        name,
        fields.get("description", ""),
        fields.get("enabled", 1),
        None if definition is None else _dumps(definition),
        _dumps({k: v for k, v in body.items() if k not in _KNOWN}),
    )


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _to_json(row: tuple[Any, ...]) -> dict[str, Any]:
    trigger_id, name, description, enabled, definition, extra = row
    out: dict[str, Any] = {
        "id": trigger_id,
        "name": name,
        "description": description,
        "enabled": enabled,
    }
    if definition is not None:
        out["definition"] = json.loads(definition)
    out.update((k, v) for k, v in json.loads(extra).items() if k not in out)
    return out


def _department_fields(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise InvalidDepartment("the body must be a JSON object")
    fields: dict[str, Any] = {}
    if "name" in body:
        if not isinstance(body["name"], str) or not body["name"]:
            raise InvalidDepartment("name must be a non-empty string")
        fields["name"] = body["name"]
    if "description" in body:
        if body["description"] is not None and not isinstance(body["description"], str):
            raise InvalidDepartment("description must be a string or null")
        fields["description"] = body["description"] or ""
    if "enabled" in body:
        enabled = body["enabled"]
        if not isinstance(enabled, int) or enabled not in (0, 1):
            raise InvalidDepartment("enabled must be 0, 1, true or false")
        fields["enabled"] = int(enabled)
    return fields


def _department_json(row: tuple[Any, ...]) -> dict[str, Any]:
    department_id, name, description, enabled = row
    return {
        "id": department_id,
        "name": name,
        "description": description,
        "enabled": enabled,
        "members": [],
        "settings": {},
    }
