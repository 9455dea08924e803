"""The department list answer (`GET {base}/departments`), read defensively: a wrong shape is one
TransportError naming the call, never a traceback (docs/api.md#departments)."""

from __future__ import annotations

from typing import Any

from triggersync.engine.departments import Department, Departments
from triggersync.engine.model import normalise_enabled
from triggersync.errors import TransportError
from triggersync.untrusted import shown

DEPARTMENTS_PATH = "/departments"


def departments_from(data: Any, what: str) -> Departments:
    """A JSON array of departments, each with an integer `id` and a string `name`; `enabled`
    (1/0 or true/false) defaults to enabled; other fields are not read."""
    if not isinstance(data, list):
        raise TransportError(
            f"{what}: expected a JSON array of departments, got {type(data).__name__}"
        )
    departments = tuple(_department(item, what) for item in data)
    # An id names one department (it is what a trigger routes to): with two, a name would
    # read back as another's, in plans, exports and adopted files.
    by_id: dict[int, Department] = {}
    for department in departments:
        first = by_id.setdefault(department.id, department)
        if first is not department:
            raise TransportError(
                f"{what}: the department id {department.id} appears twice "
                f"({shown(first.name)}, {shown(department.name)})"
            )
    return Departments(departments)


def _department(item: Any, what: str) -> Department:
    if not isinstance(item, dict):
        raise TransportError(f"{what}: expected a department object, got {type(item).__name__}")
    department_id, name = item.get("id"), item.get("name")
    if not isinstance(department_id, int) or isinstance(department_id, bool):
        raise TransportError(f"{what}: a department without an integer id: {department_id!r}")
    if not isinstance(name, str):
        raise TransportError(f"{what}: department {department_id} has no string name")
    try:
        enabled = normalise_enabled(item.get("enabled", 1))
    except ValueError as exc:
        raise TransportError(f"{what}: department {department_id}: enabled: {exc}") from None
    return Department(department_id, name, bool(enabled))
