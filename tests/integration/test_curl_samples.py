"""The API document's own curl samples, run with the real curl against the legacy layout."""

from __future__ import annotations

import json
import subprocess
from typing import Any

from triggersync.emulator.server import Emulator

CREATE_BODY = """{
        "name" : "Good Trigger",
        "enabled" : 1,
        "description" : "Visitor requested chat"
  }"""
UPDATE_BODY = """{
        "name" : "Best Trigger",
        "description" : "Visitor requested new chat"
  }"""


def curl(emulator: Emulator, path: str, *args: str) -> tuple[int, bytes]:
    """Run a documented sample (minus -v), returning the status and the raw body."""
    creds = emulator.credentials
    command = [
        "curl",
        f"{emulator.legacy_url}{path}",
        *args,
        "-u",
        f"{creds.email}:{creds.password}",
    ]
    # -sS: quiet but for errors; the status goes last on its own line; never through a proxy.
    command += ["-sS", "--noproxy", "*", "--max-time", "10", "-w", "\n%{http_code}"]
    done = subprocess.run(command, capture_output=True, check=True, timeout=30)
    body, _, status = done.stdout.rpartition(b"\n")
    return int(status), body


def parsed(body: bytes) -> Any:
    return json.loads(body)


def test_list(emulator: Emulator) -> None:
    emulator.store.create({"name": "Good Trigger", "description": "Visitor entered page"})
    status, body = curl(emulator, "/triggers")
    assert status == 200
    expected = {
        "description": "Visitor entered page",
        "enabled": 1,
        "id": 1,
        "name": "Good Trigger",
    }
    assert parsed(body) == [expected]


def test_create(emulator: Emulator) -> None:
    status, body = curl(
        emulator,
        "/triggers",
        "-d",
        CREATE_BODY,
        "-X",
        "POST",
        "-H",
        "Content-Type: application/json",
    )
    assert status == 201
    expected = {
        "description": "Visitor requested chat",
        "enabled": 1,
        "id": 1,
        "name": "Good Trigger",
    }
    assert parsed(body) == expected


def test_show(emulator: Emulator) -> None:
    emulator.store.create({"name": "Good Trigger", "description": "Visitor entered page"})
    status, body = curl(emulator, "/triggers/Good%20Trigger")
    assert status == 200
    assert parsed(body)["name"] == "Good Trigger"


def test_update_renames_good_to_best(emulator: Emulator) -> None:
    emulator.store.create({"name": "Good Trigger", "description": "Visitor requested chat"})
    status, body = curl(
        emulator,
        "/triggers/Good%20Trigger",
        *("-d", UPDATE_BODY, "-X", "PUT", "-H", "Content-Type: application/json"),
    )
    assert status == 200
    expected = {
        "description": "Visitor requested new chat",
        "enabled": 1,
        "id": 1,
        "name": "Best Trigger",
    }
    assert parsed(body) == expected


def test_delete_is_204_with_an_empty_body_then_404(emulator: Emulator) -> None:
    emulator.store.create({"name": "Best Trigger"})
    status, body = curl(emulator, "/triggers/Best%20Trigger", "-X", "DELETE")
    assert (status, body) == (204, b"")
    status, body = curl(emulator, "/triggers/Best%20Trigger")
    assert status == 404
    assert "error" in parsed(body)


def test_full_document_session(emulator: Emulator) -> None:
    """The samples in the document's order, each seeing the state the previous one left."""
    json_header = ("-H", "Content-Type: application/json")
    statuses = [
        curl(emulator, "/triggers")[0],
        curl(emulator, "/triggers", "-d", CREATE_BODY, "-X", "POST", *json_header)[0],
        curl(emulator, "/triggers/Good%20Trigger")[0],
        curl(emulator, "/triggers/Good%20Trigger", "-d", UPDATE_BODY, "-X", "PUT", *json_header)[0],
        curl(emulator, "/triggers/Best%20Trigger", "-X", "DELETE")[0],
        curl(emulator, "/triggers/Best%20Trigger")[0],
    ]
    assert statuses == [200, 201, 200, 200, 204, 404]
