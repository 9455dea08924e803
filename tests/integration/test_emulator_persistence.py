"""State survives an emulator restart when it is given a database file."""

from __future__ import annotations

from pathlib import Path

import requests

from triggersync.emulator.server import Emulator


def create_over_http(emulator: Emulator, body: dict[str, object]) -> requests.Response:
    with requests.Session() as session:
        session.trust_env = False
        auth = (emulator.credentials.email, emulator.credentials.password)
        return session.post(f"{emulator.url}/triggers", json=body, auth=auth, timeout=10)


def test_trigger_survives_a_restart_with_the_same_id(tmp_path: Path) -> None:
    db = str(tmp_path / "emulator.sqlite")
    with Emulator(db=db) as first:
        create_over_http(first, {"name": "Keep"})
        created = create_over_http(first, {"name": "Me", "definition": {"event": "x"}, "tag": 1})
    with Emulator(db=db) as second:
        assert second.store.get("Me") == created.json()
        assert [t["id"] for t in second.store.list()] == [1, 2]


def test_ids_are_not_reused_after_delete_and_restart(tmp_path: Path) -> None:
    db = str(tmp_path / "emulator.sqlite")
    with Emulator(db=db) as first:
        first.store.create({"name": "A"})
        first.store.delete("A")
    with Emulator(db=db) as second:
        assert create_over_http(second, {"name": "B"}).json()["id"] == 2


def test_in_memory_emulators_share_nothing() -> None:
    with Emulator() as first:
        first.store.create({"name": "A"})
    with Emulator() as second:
        assert second.store.list() == []
