"""Plan and Change: display order, execution waves, PUT bodies, summary, fingerprints, and the
JSON document with its strict reading."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from triggersync.engine.model import Trigger
from triggersync.engine.plan import (
    ABSENT,
    REPLACE_REASON,
    Change,
    FieldChange,
    Plan,
    fingerprint,
    temporary_name,
)
from triggersync.errors import PlanFileError, TriggersyncError


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


def names(waves: list[list[Change]]) -> list[list[str]]:
    return [[change.name for change in wave] for wave in waves]


# --- display order and summary --------------------------------------------------------------


def test_changes_display_by_action_then_name() -> None:
    plan = Plan((delete("b"), create("B"), replace("R"), rename("a", "x"), create("a")))
    assert [(c.action, c.name) for c in plan.changes] == [
        ("update", "a"),
        ("create", "a"),
        ("create", "B"),
        ("replace", "R"),
        ("delete", "b"),
    ]


def test_summary_counts_a_replace_as_create_and_delete() -> None:
    plan = Plan((replace("R"), rename("a", "x"), create("c"), delete("d")))
    assert plan.summary == {"create": 2, "update": 1, "delete": 2}


def test_empty_plan() -> None:
    assert Plan(()).empty
    assert not Plan((create("c"),)).empty


# --- execution waves ------------------------------------------------------------------------


def test_independent_changes_share_one_wave() -> None:
    plan = Plan((create("c"), delete("d"), rename("a", "b"), replace("r")))
    assert names(plan.waves()) == [["a", "c", "r", "d"]]


def test_create_waits_for_the_delete_of_its_name() -> None:
    assert names(Plan((create("X"), delete("X"))).waves()) == [["X"], ["X"]]
    assert [c.action for wave in Plan((create("X"), delete("X"))).waves() for c in wave] == [
        "delete",
        "create",
    ]


def test_rename_onto_a_name_being_deleted_waits_for_the_delete() -> None:
    assert names(Plan((rename("A", "B"), delete("B"))).waves()) == [["B"], ["A"]]


def test_rename_chain_runs_from_the_end() -> None:
    plan = Plan((rename("A", "B"), rename("B", "C"), rename("C", "D")))
    assert names(plan.waves()) == [["C"], ["B"], ["A"]]


def test_create_waits_for_a_rename_away_from_its_name() -> None:
    assert names(Plan((create("A"), rename("A", "B"))).waves()) == [["A"], ["A"]]
    assert Plan((create("A"), rename("A", "B"))).waves()[0][0].action == "update"


def test_renaming_replace_frees_its_old_name() -> None:
    assert names(Plan((replace("A", "B"), create("A"))).waves()) == [["A"], ["A"]]


def test_same_name_replace_frees_nothing_and_takes_its_temporary_name() -> None:
    change = replace("R")
    assert (change.frees(), change.takes()) == ((), ("R [triggersync: replacing]",))


def test_renaming_replace_waits_for_both_names_it_takes() -> None:
    plan = Plan((replace("A", "B"), delete("B"), delete(temporary_name("B")), create("C")))
    assert names(plan.waves()) == [["C", "B", "B [triggersync: replacing]"], ["A"]]


def test_a_replace_waits_for_its_temporary_name_to_be_freed() -> None:
    assert names(Plan((replace("R"), delete(temporary_name("R")))).waves()) == [
        ["R [triggersync: replacing]"],
        ["R"],
    ]


def test_a_rename_cycle_through_a_replace_is_a_cycle() -> None:
    with pytest.raises(TriggersyncError, match=r'cycle \("B" -> "A" -> "B"\)'):
        Plan((replace("A", "B"), rename("B", "A"))).waves()


def test_a_long_chain_of_renames_orders_without_recursion() -> None:
    chain = [rename(f"N{i:05}", f"N{i + 1:05}") for i in range(5000)]
    waves = Plan(tuple(chain)).waves()
    assert (len(waves), waves[0][0].name, waves[-1][0].name) == (5000, "N04999", "N00000")


def test_swap_is_a_cycle() -> None:
    with pytest.raises(TriggersyncError, match=r'cycle \("A" -> "B" -> "A"\)'):
        Plan((rename("A", "B"), rename("B", "A"))).waves()


def test_three_way_rotation_is_a_cycle() -> None:
    plan = Plan((rename("A", "B"), rename("B", "C"), rename("C", "A")))
    with pytest.raises(TriggersyncError, match="cycle"):
        plan.waves()


def test_two_changes_taking_one_name_cannot_be_ordered() -> None:
    with pytest.raises(TriggersyncError, match='two changes take "X"'):
        Plan((create("X"), rename("A", "X"))).waves()


def test_two_changes_freeing_one_name_cannot_be_ordered() -> None:
    with pytest.raises(TriggersyncError, match='two changes free "X"'):
        Plan((delete("X"), rename("X", "Y"))).waves()


# --- bodies ---------------------------------------------------------------------------------


def test_update_body_has_only_changed_fields() -> None:
    change = Change("update", "A", view("A", "old", 1), view("A", "new", 1))
    assert change.update_body() == {"description": "new"}


def test_update_body_sends_enabled_as_an_integer() -> None:
    change = Change("update", "A", view("A", enabled=1), view("A", enabled=False))
    body = change.update_body()
    assert body == {"enabled": 0}
    assert type(body["enabled"]) is int


def test_update_body_never_sends_id() -> None:
    change = Change("update", "A", view("A", id=1), view("B", id=2))
    assert change.update_body() == {"name": "B"}


def test_a_replacement_is_created_disabled_under_its_temporary_name() -> None:
    assert replace("R").replacement_body() == {
        "name": "R [triggersync: replacing]",
        "description": "",
        "enabled": 0,
        "definition": {"event": "b"},
    }


def test_a_replacement_is_finished_with_its_name_and_enabled() -> None:
    assert replace("R", "S").finishing_body() == {"name": "S", "enabled": 1}


def test_a_disabled_replacement_is_finished_with_its_name_only() -> None:
    change = replace("R")
    disabled = Change("replace", "R", change.before, {**(change.after or {}), "enabled": 0})
    assert disabled.finishing_body() == {"name": "R"}


def test_replacement_bodies_of_a_create_are_a_bug() -> None:
    with pytest.raises(ValueError, match="replacement_body"):
        create("A").replacement_body()
    with pytest.raises(ValueError, match="finishing_body"):
        create("A").finishing_body()


def test_update_body_of_a_create_is_a_bug() -> None:
    with pytest.raises(ValueError, match="update_body"):
        create("A").update_body()


def test_create_body_of_a_delete_is_a_bug() -> None:
    with pytest.raises(ValueError, match="create_body"):
        delete("A").create_body()


# --- fingerprints ---------------------------------------------------------------------------


def test_fingerprint_covers_the_definition() -> None:
    assert fingerprint(Trigger("A", definition={"e": 1})) != fingerprint(Trigger("A"))


def test_fingerprint_ignores_unmanaged_fields_and_key_order() -> None:
    one = Trigger("A", definition={"a": 1, "b": 2}, renamed_from="X")
    assert fingerprint(one) == fingerprint(Trigger("A", definition={"b": 2, "a": 1}))


def test_fingerprint_tells_true_from_1() -> None:
    assert fingerprint(Trigger("A", definition={"x": True})) != fingerprint(
        Trigger("A", definition={"x": 1})
    )


def test_fingerprint_reads_1_0_as_1() -> None:
    assert fingerprint(Trigger("A", definition={"x": [1.0]})) == fingerprint(
        Trigger("A", definition={"x": [1]})
    )


def test_fingerprint_of_a_lone_surrogate_is_a_digest_not_a_crash() -> None:
    # JSON can carry one ("\ud800"), so a live trigger can hold it.
    assert len(fingerprint(Trigger("A\ud800"))) == 64


# --- JSON -----------------------------------------------------------------------------------


def sample() -> Plan:
    added = FieldChange("definition.actions[1]", ABSENT, ["b"])
    removed = FieldChange("definition.old", None, ABSENT)
    changed = replace("R")
    return Plan(
        (
            rename("A", "B"),
            create("C"),
            Change("replace", "R", changed.before, changed.after, (added, removed), REPLACE_REASON),
            delete("D"),
        ),
        fingerprints={
            "A": fingerprint(Trigger("A")),
            "R": "0" * 64,
            "D": fingerprint(Trigger("D")),
        },
        live_names=("R", "A", "D", "Legacy"),
        base_url="http://127.0.0.1:8080/api/v2",
        ignore=("Legacy*",),
    )


def test_a_replace_from_true_to_1_round_trips() -> None:
    # The diff tells `true` from 1, so the saved plan's own check must too.
    from triggersync.engine.diff import make_plan

    desired = [Trigger("A", definition={"event": "e", "flag": True})]
    live = [Trigger("A", definition={"event": "e", "flag": 1})]
    plan = make_plan(desired, live)
    assert [change.action for change in plan.changes] == ["replace"]
    assert Plan.from_dict(json.loads(json.dumps(plan.to_dict()))) == plan


def test_an_update_that_adds_nothing_but_1_0_for_1_is_refused() -> None:
    change = Change("update", "A", view("A", definition={"x": 1}), view("A", definition={"x": 1.0}))
    document = Plan((change,), fingerprints={"A": "0" * 64}, live_names=("A",)).to_dict()
    with pytest.raises(PlanFileError, match="changes nothing"):
        Plan.from_dict(document)


def test_json_round_trips() -> None:
    plan = sample()
    assert Plan.from_dict(json.loads(json.dumps(plan.to_dict()))) == plan


def test_json_has_the_spec_keys() -> None:
    data = sample().to_dict()
    assert data["format_version"] == 1
    assert data["summary"] == {"create": 2, "update": 1, "delete": 2}
    assert [c["action"] for c in data["changes"]] == ["update", "create", "replace", "delete"]
    assert set(data["changes"][0]) == {"action", "name", "before", "after", "diff"}


def test_json_writes_an_absent_side_as_a_missing_key() -> None:
    diff = sample().to_dict()["changes"][2]["diff"]
    assert diff == [
        {"path": "definition.actions[1]", "after": ["b"]},
        {"path": "definition.old", "before": None},
    ]


def test_empty_plan_round_trips() -> None:
    plan = Plan((), live_names=("X",))
    assert Plan.from_dict(plan.to_dict()) == plan


Edit = Callable[[dict[str, Any]], Any]


def _set(path: tuple[Any, ...], value: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return edit


def _drop(path: tuple[Any, ...]) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return edit


def _both(*edits: Edit) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        for each in edits:
            each(data)

    return edit


BAD: dict[str, tuple[Edit, str]] = {
    "version": (_set(("format_version",), 2), "format_version: unsupported format version 2"),
    "version-bool": (_set(("format_version",), True), "unsupported format version True"),
    "no-version": (_drop(("format_version",)), "missing key 'format_version'"),
    "unknown-top-key": (_set(("extra",), 1), "top level: unknown key 'extra'"),
    "summary-count": (_set(("summary", "delete"), 1), "summary.delete: is 1 but the changes"),
    "summary-key": (_set(("summary", "replace"), 0), "summary: unknown key 'replace'"),
    "changes-type": (_set(("changes",), {}), "changes: expected a list"),
    "change-type": (_set(("changes", 1), "create"), "changes[1]: expected an object, got str"),
    "action": (_set(("changes", 1, "action"), "upsert"), "changes[1].action: unknown action"),
    "name-type": (_set(("changes", 1, "name"), 5), "changes[1].name: expected a non-empty"),
    "change-key": (_set(("changes", 0, "id"), 5), "changes[0]: unknown key 'id'"),
    "no-after": (_drop(("changes", 0, "after")), "changes[0]: missing key 'after'"),
    "create-before": (_set(("changes", 1, "before"), {}), "changes[1].before: expected null"),
    "delete-after": (_set(("changes", 3, "after"), view("D")), "changes[3].after: expected null"),
    "delete-name": (
        _set(("changes", 3, "before", "name"), "E"),
        "changes[3].before.name: expected",
    ),
    "enabled-bool": (_set(("changes", 0, "after", "enabled"), True), "enabled: expected 0 or 1"),
    "description": (_set(("changes", 0, "after", "description"), None), "expected a string"),
    "view-key": (_set(("changes", 0, "after", "id"), 1), "changes[0].after: unknown key 'id'"),
    "create-name": (_set(("changes", 1, "after", "name"), "Z"), "changes[1].after.name"),
    "update-definition": (
        _set(("changes", 0, "after", "definition"), {}),
        "on both sides or neither",
    ),
    "update-new-definition": (
        _both(
            _set(("changes", 0, "before", "definition"), {"event": "a"}),
            _set(("changes", 0, "after", "definition"), {"event": "b"}),
        ),
        "an update cannot change the definition (that is a replace)",
    ),
    "update-noop": (_set(("changes", 0, "after", "name"), "A"), "an update that changes nothing"),
    "replace-same": (
        _set(("changes", 2, "after", "definition"), {"event": "a"}),
        "a replace must change the definition",
    ),
    "reason": (_set(("changes", 2, "reason"), 1), "changes[2].reason: expected a string"),
    "diff-type": (_set(("changes", 2, "diff"), {}), "changes[2].diff: expected a list"),
    "diff-path": (_set(("changes", 2, "diff", 0, "path"), ""), "diff[0].path: expected a non"),
    "diff-sides": (_drop(("changes", 2, "diff", 0, "after")), "expected a before, an after"),
    "state": (_drop(("state",)), "missing key 'state'"),
    "base-url": (_set(("state", "base_url"), 1), "state.base_url: expected a string or null"),
    "owned": (_set(("state", "owned_live"), -1), "state.owned_live: expected a count"),
    "owned-raised": (
        _set(("state", "owned_live"), 4),
        "state.owned_live: is 4 but the live names and ignore globs make it 3",
    ),
    "ignore-type": (_set(("state", "ignore"), "Legacy*"), "state.ignore: expected a list"),
    "no-ignore": (_drop(("state", "ignore")), "state: missing key 'ignore'"),
    "ignore-disowns": (_set(("state", "ignore"), ["D"]), "'D' is changed but an ignore glob"),
    "live-names": (_set(("state", "live_names"), "A"), "state.live_names: expected a list"),
    "live-dup": (_set(("state", "live_names"), ["A", "A", "D", "R"]), "a name appears twice"),
    "not-live": (_set(("state", "live_names"), ["A", "R"]), "'D' is changed but was not live"),
    "fp-type": (_set(("state", "fingerprints"), []), "state.fingerprints: expected an object"),
    "fp-value": (_set(("state", "fingerprints", "A"), "abc"), "expected a sha256 hex digest"),
    "fp-missing": (_drop(("state", "fingerprints", "A")), "one fingerprint per live trigger"),
    "twice": (
        _both(_set(("changes", 1, "name"), "A"), _set(("changes", 1, "after", "name"), "A")),
        "two changes address 'A'",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_malformed_plan_file_is_refused(case: str) -> None:
    edit, message = BAD[case]
    data = copy.deepcopy(sample().to_dict())
    edit(data)
    with pytest.raises(PlanFileError, match=r"^plan file: ") as caught:
        Plan.from_dict(data)
    assert message in str(caught.value)


def test_plan_file_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(PlanFileError, match="top level: expected an object, got list"):
        Plan.from_dict([])


def test_plan_file_with_a_rename_cycle_is_refused() -> None:
    swap = Plan(
        (rename("A", "B"), rename("B", "A")),
        fingerprints={"A": "a" * 64, "B": "b" * 64},
        live_names=("A", "B"),
    )
    with pytest.raises(PlanFileError, match="plan file: cannot order the plan"):
        Plan.from_dict(swap.to_dict())
