"""The department list read defensively: the shape Zendesk documents, and one clear error
naming the call for anything else."""

from __future__ import annotations

from typing import Any

import pytest
from api_clients import canned
from canned_http import Canned

from triggersync.api.client import Client
from triggersync.api.departments import departments_from
from triggersync.engine.departments import Department
from triggersync.errors import AuthError, TransportError


def test_the_documented_shape_is_read() -> None:
    data = [
        {
            "id": 1,
            "name": "Department 1",
            "description": "...",
            "enabled": 1,
            "members": [1, 2, 3],
            "settings": {},
        },
        {"id": 2, "name": "Off", "enabled": False},
        {"id": 3, "name": "No enabled key"},
    ]
    assert departments_from(data, "GET /departments").items == (
        Department(1, "Department 1", True),
        Department(2, "Off", False),
        Department(3, "No enabled key", True),
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"departments": []}, "expected a JSON array of departments, got dict"),
        (["Sales"], "expected a department object, got str"),
        ([{"name": "Sales"}], "a department without an integer id: None"),
        ([{"id": "1", "name": "Sales"}], "a department without an integer id: '1'"),
        ([{"id": True, "name": "Sales"}], "a department without an integer id: True"),
        ([{"id": 1}], "department 1 has no string name"),
        ([{"id": 1, "name": "S", "enabled": "maybe"}], "department 1: enabled: expected"),
        # An id names one department: two would make "Sales" read back as "Support".
        (
            [{"id": 5, "name": "Sales"}, {"id": 5, "name": "Support"}],
            'the department id 5 appears twice ("Sales", "Support")',
        ),
    ],
)
def test_any_other_shape_is_one_error_naming_the_call(data: Any, message: str) -> None:
    with pytest.raises(TransportError) as caught:
        departments_from(data, "GET /departments")
    assert str(caught.value).startswith(f"GET /departments: {message}")


def test_the_client_reads_them_from_the_api(emulator_client: Client, emulator: Any) -> None:
    emulator.store.create_department({"name": "Sales", "enabled": 0})
    assert emulator_client.departments().items == (Department(1, "Sales", False),)


def test_a_refused_department_list_says_it_needs_an_administrator() -> None:
    body = b'{"error": "Forbidden"}'
    with canned(Canned(403, body)) as (client, _), pytest.raises(AuthError) as caught:
        client.departments()
    message = str(caught.value)
    assert message.startswith("GET /departments: HTTP 403: Forbidden; ")
    assert "administrators only" in message
    assert "write department ids" in message
