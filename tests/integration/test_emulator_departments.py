"""The emulator's departments over HTTP, on both path layouts, and seeded from a file by the
`emulator` command: what the tests and the demo route to by name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
from test_emulator_command import banner, get, running, stop

from triggersync.emulator.server import Emulator


@pytest.fixture(params=["url", "legacy_url"])
def base(request: pytest.FixtureRequest, emulator: Emulator) -> str:
    """Both path layouts: /api/v2/chat (current host) and /api/v2 (the API document)."""
    url: str = getattr(emulator, request.param)
    return url


def test_the_list_starts_empty(emulator_session: requests.Session, base: str) -> None:
    answer = emulator_session.get(f"{base}/departments", timeout=10)
    assert (answer.status_code, answer.json()) == (200, [])


def test_create_answers_201_with_the_department(
    emulator_session: requests.Session, base: str
) -> None:
    answer = emulator_session.post(f"{base}/departments", json={"name": "Sales"}, timeout=10)
    assert answer.status_code == 201
    assert answer.json() == {
        "id": 1,
        "name": "Sales",
        "description": "",
        "enabled": 1,
        "members": [],
        "settings": {},
    }


def test_show_update_and_delete_address_a_department_by_id(
    emulator_session: requests.Session, base: str
) -> None:
    made = emulator_session.post(f"{base}/departments", json={"name": "Sales"}, timeout=10)
    one = f"{base}/departments/{made.json()['id']}"
    assert emulator_session.get(one, timeout=10).json()["name"] == "Sales"
    updated = emulator_session.put(one, json={"enabled": False}, timeout=10)
    assert (updated.status_code, updated.json()["enabled"]) == (200, 0)
    deleted = emulator_session.delete(one, timeout=10)
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert emulator_session.get(one, timeout=10).status_code == 404


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": 5}, {"name": "A", "enabled": 2}])
def test_a_department_without_a_proper_name_or_enabled_is_400(
    emulator_session: requests.Session, base: str, body: dict[str, object]
) -> None:
    answer = emulator_session.post(f"{base}/departments", json=body, timeout=10)
    assert answer.status_code == 400
    assert "error" in answer.json()


def test_a_name_may_be_shared_as_nothing_says_zendesk_refuses_it(
    emulator_session: requests.Session, base: str
) -> None:
    for _ in range(2):
        emulator_session.post(f"{base}/departments", json={"name": "Sales"}, timeout=10)
    names = [d["name"] for d in emulator_session.get(f"{base}/departments", timeout=10).json()]
    assert names == ["Sales", "Sales"]


def test_an_id_that_is_not_a_number_is_no_path(
    emulator_session: requests.Session, base: str
) -> None:
    assert emulator_session.get(f"{base}/departments/sales", timeout=10).status_code == 404


def test_departments_need_credentials(emulator: Emulator) -> None:
    with requests.Session() as anonymous:
        anonymous.trust_env = False
        assert anonymous.get(f"{emulator.url}/departments", timeout=10).status_code == 401


def test_a_trigger_may_route_to_any_department_id(
    emulator_session: requests.Session, emulator: Emulator
) -> None:
    definition = {"event": "chat_requested", "actions": [["setDepartment", 987654321]]}
    body = {"name": "Route", "definition": definition}
    assert emulator_session.post(f"{emulator.url}/triggers", json=body, timeout=10).ok


def test_the_command_seeds_departments_from_a_yaml_file(tmp_path: Path) -> None:
    seed = tmp_path / "departments.yaml"
    seed.write_text("- name: Sales\n- {name: Closed, enabled: false}\n", encoding="utf-8")
    with running("--departments", str(seed)) as process:
        url = banner(process)[0].split()[3]
        listed = get(f"{url}/departments", ("demo@example.com", "demo-password")).json()
        stop(process)
    assert [(d["name"], d["enabled"]) for d in listed] == [("Sales", 1), ("Closed", 0)]


def test_a_restart_with_the_same_database_seeds_nothing_twice(tmp_path: Path) -> None:
    seed = tmp_path / "departments.json"
    seed.write_text(json.dumps([{"name": "Sales", "enabled": True}]), encoding="utf-8")
    db = str(tmp_path / "emulator.sqlite")
    for _ in range(2):
        with running("--departments", str(seed), "--db", db) as process:
            url = banner(process)[0].split()[3]
            listed = get(f"{url}/departments", ("demo@example.com", "demo-password")).json()
            stop(process)
    assert [d["name"] for d in listed] == ["Sales"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: Sales\n", "expected a list of {name, enabled} departments"),
        ("- enabled: true\n", "name is required"),
        ("- [Sales]\n", "each department is a mapping"),
    ],
)
def test_a_malformed_seed_file_is_one_error(tmp_path: Path, text: str, message: str) -> None:
    seed = tmp_path / "departments.yaml"
    seed.write_text(text, encoding="utf-8")
    with running("--departments", str(seed)) as process:
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 1
    assert stderr.startswith(f"Error: {seed}: ")
    assert message in stderr
    assert stderr.count("\n") == 1
