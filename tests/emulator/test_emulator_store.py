from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from triggersync.emulator.store import (
    DuplicateName,
    InvalidTrigger,
    Store,
    StoreError,
    TriggerNotFound,
)

DEFINITION = {"event": "chat_requested", "condition": ["and"], "actions": []}
STAMPED = {**DEFINITION, "version": 1, "editor": "developer"}


@pytest.fixture
def store() -> Iterator[Store]:
    store = Store()
    yield store
    store.close()


def test_create_assigns_increasing_ids_and_defaults(store: Store) -> None:
    first = store.create({"name": "A"})
    second = store.create({"name": "B"})
    assert first == {"id": 1, "name": "A", "description": "", "enabled": 1}
    assert second["id"] == 2


def test_list_is_ordered_by_id(store: Store) -> None:
    for name in ("c", "a", "b"):
        store.create({"name": name})
    assert [t["name"] for t in store.list()] == ["c", "a", "b"]


def test_get_unknown_name_is_none(store: Store) -> None:
    assert store.get("missing") is None


@pytest.mark.parametrize(("given", "stored"), [(True, 1), (False, 0), (1, 1), (0, 0)])
def test_enabled_is_stored_as_integer(store: Store, given: object, stored: int) -> None:
    assert store.create({"name": "T", "enabled": given})["enabled"] == stored


def test_id_in_body_is_ignored(store: Store) -> None:
    assert store.create({"name": "T", "id": 99})["id"] == 1


def test_definition_round_trips_and_is_omitted_when_absent(store: Store) -> None:
    store.create({"name": "with", "definition": DEFINITION})
    store.create({"name": "without"})
    assert store.get("with") == {
        "id": 1,
        "name": "with",
        "description": "",
        "enabled": 1,
        "definition": STAMPED,
    }
    assert "definition" not in (store.get("without") or {})


# -- the metadata Zendesk keeps in a definition -----------------------------------------------


def test_a_created_definition_is_stamped_with_version_and_editor(store: Store) -> None:
    assert store.create({"name": "T", "definition": DEFINITION})["definition"] == STAMPED


def test_stamping_keeps_the_values_sent(store: Store) -> None:
    sent = {**DEFINITION, "version": 3, "editor": "simple"}
    assert store.create({"name": "T", "definition": sent})["definition"] == sent


def test_a_bulk_seed_is_stamped_too(store: Store) -> None:
    store.create_many([{"name": "T", "definition": DEFINITION}])
    assert (store.get("T") or {})["definition"] == STAMPED


def test_a_store_told_not_to_stamp_keeps_the_definition_as_sent() -> None:
    store = Store(stamp=False)
    try:
        assert store.create({"name": "T", "definition": DEFINITION})["definition"] == DEFINITION
    finally:
        store.close()


def test_update_accepts_the_definition_as_created_without_its_stamp(store: Store) -> None:
    store.create({"name": "T", "definition": DEFINITION})
    assert store.update("T", {"definition": DEFINITION, "description": "d"})["description"] == "d"


def test_update_refuses_a_definition_whose_declared_version_differs(store: Store) -> None:
    store.create({"name": "T", "definition": DEFINITION})
    with pytest.raises(InvalidTrigger, match="definition"):
        store.update("T", {"definition": {**DEFINITION, "version": 2}})


def test_unknown_fields_are_preserved(store: Store) -> None:
    store.create({"name": "T", "departments": [1, 2], "owner": {"id": 7}})
    assert store.get("T") == {
        "id": 1,
        "name": "T",
        "description": "",
        "enabled": 1,
        "departments": [1, 2],
        "owner": {"id": 7},
    }


@pytest.mark.parametrize(
    "body",
    [
        [],
        "name",
        {},
        {"name": ""},
        {"name": None},
        {"name": 5},
        {"name": "T", "description": 1},
        {"name": "T", "enabled": 2},
        {"name": "T", "enabled": "1"},
        {"name": "T", "definition": []},
    ],
)
def test_create_rejects_malformed_bodies(store: Store, body: object) -> None:
    with pytest.raises(InvalidTrigger) as raised:
        store.create(body)
    assert raised.value.status == 400


def test_create_rejects_duplicate_name(store: Store) -> None:
    store.create({"name": "T"})
    with pytest.raises(DuplicateName) as raised:
        store.create({"name": "T"})
    assert raised.value.status == 400


def test_update_is_partial(store: Store) -> None:
    store.create({"name": "T", "description": "old", "enabled": 1, "extra": "kept"})
    updated = store.update("T", {"enabled": False})
    assert updated == {"id": 1, "name": "T", "description": "old", "enabled": 0, "extra": "kept"}


def test_update_with_null_name_keeps_the_name(store: Store) -> None:
    store.create({"name": "T"})
    assert store.update("T", {"name": None, "description": "new"})["name"] == "T"


def test_update_renames(store: Store) -> None:
    store.create({"name": "Old"})
    store.update("Old", {"name": "New"})
    assert store.get("Old") is None
    assert (store.get("New") or {})["id"] == 1


def test_update_rename_onto_existing_name_is_refused(store: Store) -> None:
    store.create({"name": "A"})
    store.create({"name": "B"})
    with pytest.raises(DuplicateName):
        store.update("A", {"name": "B"})
    assert [t["name"] for t in store.list()] == ["A", "B"]


def test_update_refuses_a_changed_definition(store: Store) -> None:
    store.create({"name": "T", "definition": DEFINITION})
    with pytest.raises(InvalidTrigger, match="definition"):
        store.update("T", {"definition": {**DEFINITION, "event": "chat_ended"}})


def test_update_accepts_the_identical_definition(store: Store) -> None:
    store.create({"name": "T", "definition": DEFINITION})
    assert store.update("T", {"definition": dict(STAMPED)})["definition"] == STAMPED


def test_update_refuses_true_where_the_definition_holds_1(store: Store) -> None:
    store.create({"name": "T", "definition": {**DEFINITION, "actions": [["setTriggered", 1]]}})
    with pytest.raises(InvalidTrigger, match="definition"):
        store.update("T", {"definition": {**DEFINITION, "actions": [["setTriggered", True]]}})


def test_update_accepts_1_0_where_the_definition_holds_1(store: Store) -> None:
    store.create({"name": "T", "definition": {**DEFINITION, "actions": [["wait", 1]]}})
    assert store.update("T", {"definition": {**DEFINITION, "actions": [["wait", 1.0]]}})


def test_update_refuses_adding_a_definition(store: Store) -> None:
    store.create({"name": "T"})
    with pytest.raises(InvalidTrigger):
        store.update("T", {"definition": DEFINITION})


def test_update_merges_unknown_fields(store: Store) -> None:
    store.create({"name": "T", "a": 1})
    assert store.update("T", {"b": 2}) == {
        "id": 1,
        "name": "T",
        "description": "",
        "enabled": 1,
        "a": 1,
        "b": 2,
    }


def test_update_unknown_name_is_not_found(store: Store) -> None:
    with pytest.raises(TriggerNotFound) as raised:
        store.update("missing", {"description": "x"})
    assert raised.value.status == 404


def test_delete_removes_and_unknown_is_not_found(store: Store) -> None:
    store.create({"name": "T"})
    store.delete("T")
    assert store.list() == []
    with pytest.raises(StoreError) as raised:
        store.delete("T")
    assert raised.value.status == 404


def test_ids_are_never_reused_after_delete(store: Store) -> None:
    store.create({"name": "A"})
    store.delete("A")
    assert store.create({"name": "B"})["id"] == 2


def test_file_database_uses_wal_and_the_documented_schema(tmp_path: Path) -> None:
    path = tmp_path / "triggers.sqlite"
    Store(str(path)).close()
    with sqlite3.connect(path) as db:
        mode = db.execute("PRAGMA journal_mode").fetchone()[0]
        columns = [row[1] for row in db.execute("PRAGMA table_info(triggers)")]
    db.close()
    assert mode == "wal"
    assert columns == ["id", "name", "description", "enabled", "definition", "extra"]


def test_concurrent_creates_from_threads_get_unique_ids(store: Store) -> None:
    ids: list[int] = []
    lock = threading.Lock()

    def create(index: int) -> None:
        created = store.create({"name": f"T{index}"})
        with lock:
            ids.append(created["id"])

    threads = [threading.Thread(target=create, args=(i,)) for i in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(ids) == list(range(1, 41))


# -- shapes that cannot be a definition at all ------------------------------------------------


@pytest.mark.parametrize(
    ("definition", "error"),
    [
        ({"condition": "eq"}, "definition.condition: a condition is a list"),
        ({"condition": ["and", {"eq": 1}]}, "definition.condition[1]: a condition is a list"),
        ({"condition": [["eq"], 1]}, "definition.condition[0]: an operator name comes first"),
        ({"actions": {"addTag": "x"}}, "definition.actions: actions is a list of actions"),
        ({"actions": ["addTag"]}, "definition.actions[0]: an action is a list"),
        ({"actions": [[1, "x"]]}, "definition.actions[0]: an action is a list"),
        ({"actions": [[]]}, "definition.actions[0]: an action is a list"),
    ],
)
def test_a_shape_the_tool_calls_impossible_is_refused(
    store: Store, definition: dict[str, object], error: str
) -> None:
    with pytest.raises(InvalidTrigger, match=re.escape(error)):
        store.create({"name": "T", "definition": {"event": "page_enter", **definition}})
    assert store.list() == []


def test_what_the_tool_only_warns_about_is_stored(store: Store) -> None:
    odd = {
        "event": "fooEvent",
        "condition": ["or", ["fooOp", 1], ["eq", "@visitor_contry_code"]],
        "actions": [["fooAction"], ["addTag", 1, 2]],
        "action": [],
    }
    assert store.create({"name": "T", "definition": odd})["definition"]["event"] == "fooEvent"


def test_an_update_with_an_impossible_definition_is_refused_for_its_shape(store: Store) -> None:
    store.create({"name": "T", "definition": DEFINITION})
    with pytest.raises(InvalidTrigger, match=r"definition\.condition: a condition is a list"):
        store.update("T", {"definition": {**DEFINITION, "condition": 1}})
