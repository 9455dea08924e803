from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing

import pytest

from triggersync.emulator.store import DuplicateName, InvalidTrigger, Store

DEFINITION = {"event": "chat_requested", "condition": ["and"], "actions": []}


@pytest.fixture
def store() -> Iterator[Store]:
    # Closed explicitly: an unclosed sqlite3 connection is a ResourceWarning (Python 3.13).
    with closing(Store()) as opened:
        yield opened


def test_create_many_stores_what_create_would() -> None:
    bodies = [
        {"name": "A", "enabled": True, "definition": DEFINITION, "colour": "red"},
        {"name": "B", "description": "b", "enabled": 0},
    ]
    with closing(Store()) as bulk, closing(Store()) as single:
        assert bulk.create_many(bodies) == 2
        for body in bodies:
            single.create(body)
        assert bulk.list() == single.list()


def test_create_many_refuses_the_whole_batch_on_a_duplicate(store: Store) -> None:
    store.create({"name": "A"})
    with pytest.raises(DuplicateName):
        store.create_many([{"name": "B"}, {"name": "A"}])
    assert [t["name"] for t in store.list()] == ["A"]


@pytest.mark.parametrize("body", [{"description": "no name"}, {"name": ""}, {"name": 3}])
def test_create_many_checks_each_body(store: Store, body: object) -> None:
    with pytest.raises(InvalidTrigger):
        store.create_many([{"name": "ok"}, body])
    assert store.list() == []
