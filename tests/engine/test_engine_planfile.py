"""The saved plan: the document plan writes, its schema, and the strict reading apply --plan
relies on (shape by the schema, the rest by cross-field checks)."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from plan_builders import create, delete, rename, replace, view

from triggersync.engine.kinds import CHANGE_KINDS
from triggersync.engine.model import Trigger
from triggersync.engine.plan import ABSENT, REPLACE_REASON, Change, FieldChange, Plan, fingerprint
from triggersync.engine.planfile import (
    PLAN_SCHEMA_NAME,
    accounts_from_dict,
    plan_from_dict,
    plan_to_dict,
    read_plan_file,
)
from triggersync.engine.schemas import packaged_schema
from triggersync.errors import PlanFileError

GOLDEN = Path(__file__).resolve().parent.parent / "golden"


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
    plan = make_plan(desired, live, base_url="http://127.0.0.1:8080/api/v2")
    assert [change.action for change in plan.changes] == ["replace"]
    assert plan_from_dict(json.loads(json.dumps(plan_to_dict(plan)))) == plan


def test_an_update_that_adds_nothing_but_1_0_for_1_is_refused() -> None:
    change = Change("update", "A", view("A", definition={"x": 1}), view("A", definition={"x": 1.0}))
    document = plan_to_dict(Plan((change,), fingerprints={"A": "0" * 64}, live_names=("A",)))
    with pytest.raises(PlanFileError, match="changes nothing"):
        plan_from_dict(document)


def saved_update(before: dict[str, Any], after: dict[str, Any]) -> Plan:
    change = Change("update", "A", view("A", definition=before), view("A", "new", definition=after))
    document = plan_to_dict(Plan((change,), fingerprints={"A": "0" * 64}, live_names=("A",)))
    return plan_from_dict(json.loads(json.dumps(document)))


def test_an_update_beside_undeclared_server_metadata_is_read() -> None:
    # Zendesk's `version` and `editor` count only where the configuration declares them.
    plan = saved_update({"event": "e", "version": 1, "editor": "simple"}, {"event": "e"})
    assert [change.action for change in plan.changes] == ["update"]


def test_an_update_never_sends_the_definition() -> None:
    [change] = saved_update({"event": "e", "version": 1}, {"event": "e"}).changes
    assert change.update_body() == {"description": "new"}


def test_an_update_that_changes_declared_metadata_is_refused() -> None:
    with pytest.raises(PlanFileError, match="cannot change the definition"):
        saved_update({"event": "e", "version": 1}, {"event": "e", "version": 2})


def test_json_round_trips() -> None:
    plan = sample()
    assert plan_from_dict(json.loads(json.dumps(plan_to_dict(plan)))) == plan


def test_the_document_has_the_documented_keys() -> None:
    data = plan_to_dict(sample())
    assert data["format_version"] == 1
    assert data["summary"] == {"create": 2, "update": 1, "delete": 2}
    assert [c["action"] for c in data["changes"]] == ["update", "create", "replace", "delete"]
    assert set(data["changes"][0]) == {"action", "name", "before", "after", "diff"}


def test_json_writes_an_absent_side_as_a_missing_key() -> None:
    diff = plan_to_dict(sample())["changes"][2]["diff"]
    assert diff == [
        {"path": "definition.actions[1]", "after": ["b"]},
        {"path": "definition.old", "before": None},
    ]


def test_empty_plan_round_trips() -> None:
    plan = Plan((), live_names=("X",))
    assert plan_from_dict(plan_to_dict(plan)) == plan


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
    "change-type": (_set(("changes", 1), "create"), "changes[1]: expected an object, got a string"),
    "action": (
        _set(("changes", 1, "action"), "upsert"),
        'changes[1].action: expected create, update, replace or delete, got "upsert"',
    ),
    "name-type": (
        _set(("changes", 1, "name"), 5),
        "changes[1].name: expected a string, got an integer",
    ),
    "change-key": (_set(("changes", 0, "id"), 5), "changes[0]: unknown key 'id'"),
    "no-after": (_drop(("changes", 0, "after")), "changes[0]: missing key 'after'"),
    "create-before": (_set(("changes", 1, "before"), {}), "changes[1].before: expected null"),
    "delete-after": (_set(("changes", 3, "after"), view("D")), "changes[3].after: expected null"),
    "delete-name": (
        _set(("changes", 3, "before", "name"), "E"),
        "changes[3].before.name: expected",
    ),
    "enabled-bool": (
        _set(("changes", 0, "after", "enabled"), True),
        "changes[0].after.enabled: expected 0 or 1, got true",
    ),
    "description": (
        _set(("changes", 0, "after", "description"), None),
        "expected a string, got null",
    ),
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
    "diff-path": (
        _set(("changes", 2, "diff", 0, "path"), ""),
        'diff[0].path: expected a field path, got ""',
    ),
    "diff-sides": (
        _drop(("changes", 2, "diff", 0, "after")),
        "changes[2].diff[0]: expected a path with a before, an after, or both",
    ),
    "guard-type": (_set(("guard",), "none"), "guard: expected an object or null, got a string"),
    "guard-rule": (
        _set(("guard",), {"rule": "x", "deletes": 1, "owned_live": 3, "message": ""}),
        'guard.rule: expected all or more_than_30_percent, got "x"',
    ),
    "guard-invented": (
        _set(("guard",), {"rule": "all", "deletes": 1, "owned_live": 1, "message": ""}),
        "guard: does not match what the delete guard makes of the changes",
    ),
    "state": (_drop(("state",)), "missing key 'state'"),
    "base-url": (
        _set(("state", "base_url"), 1),
        "state.base_url: expected a string or null, got an integer",
    ),
    "owned": (_set(("state", "owned_live"), -1), "state.owned_live: expected a count, got -1"),
    "owned-raised": (
        _set(("state", "owned_live"), 4),
        "state.owned_live: is 4 but the live names and ignore globs make it 3",
    ),
    "ignore-type": (_set(("state", "ignore"), "Legacy*"), "state.ignore: expected a list"),
    "no-ignore": (_drop(("state", "ignore")), "state: missing key 'ignore'"),
    "ignore-disowns": (_set(("state", "ignore"), ["D"]), "'D' is changed but an ignore glob"),
    "live-names": (_set(("state", "live_names"), "A"), "state.live_names: expected a list"),
    "live-dup": (
        _set(("state", "live_names"), ["A", "A", "D", "R"]),
        "state.live_names: expected a list of distinct names; one appears",
    ),
    "not-live": (_set(("state", "live_names"), ["A", "R"]), "'D' is changed but was not live"),
    "fp-type": (_set(("state", "fingerprints"), []), "state.fingerprints: expected an object"),
    "fp-value": (
        _set(("state", "fingerprints", "A"), "abc"),
        'state.fingerprints.A: expected a sha256 hex digest, got "abc"',
    ),
    "fp-missing": (_drop(("state", "fingerprints", "A")), "one fingerprint per live trigger"),
    "twice": (
        _both(_set(("changes", 1, "name"), "A"), _set(("changes", 1, "after", "name"), "A")),
        "two changes address 'A'",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_malformed_plan_file_is_refused(case: str) -> None:
    edit, message = BAD[case]
    data = copy.deepcopy(plan_to_dict(sample()))
    edit(data)
    with pytest.raises(PlanFileError, match=r"^plan file: ") as caught:
        plan_from_dict(data)
    assert message in str(caught.value)


def unsafe() -> Plan:
    """A plan that deletes every owned live trigger: apply refuses it without --force."""
    return Plan(
        (delete("A"), delete("B")),
        fingerprints={"A": fingerprint(Trigger("A")), "B": fingerprint(Trigger("B"))},
        live_names=("A", "B"),
    )


def test_the_document_carries_the_guards_refusal() -> None:
    assert plan_to_dict(unsafe())["guard"] == {
        "rule": "all",
        "deletes": 2,
        "owned_live": 2,
        "message": "apply will refuse this plan without --force: "
        "it deletes every owned live trigger (2 of 2)",
    }


def test_the_document_carries_a_null_guard_when_apply_would_not_refuse() -> None:
    assert plan_to_dict(sample())["guard"] is None


def test_a_plan_file_cannot_hide_the_guards_refusal() -> None:
    data = plan_to_dict(unsafe())
    data["guard"] = None
    with pytest.raises(PlanFileError, match=r"^plan file: guard: does not match"):
        plan_from_dict(data)


def test_a_plan_file_written_before_the_guard_key_still_reads() -> None:
    data = plan_to_dict(unsafe())
    del data["guard"]
    assert plan_from_dict(data) == unsafe()


def test_plan_file_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(PlanFileError, match="top level: expected an object, got a list"):
        plan_from_dict([])


def test_plan_file_with_a_rename_cycle_is_refused() -> None:
    chain = Plan(
        (rename("A", "B"), rename("B", "C")),
        fingerprints={"A": "a" * 64, "B": "b" * 64},
        live_names=("A", "B"),
    )
    document = plan_to_dict(chain)
    document["changes"][1]["after"]["name"] = "A"  # B → A while A → B: a swap
    with pytest.raises(PlanFileError, match="plan file: cannot order the plan"):
        plan_from_dict(document)


# --- the schema -------------------------------------------------------------------------------


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(packaged_schema(PLAN_SCHEMA_NAME))


def test_the_schema_names_the_change_kinds_of_their_table() -> None:
    schema = packaged_schema(PLAN_SCHEMA_NAME)["$defs"]["change"]["properties"]["action"]
    assert schema["enum"] == list(CHANGE_KINDS)


def test_the_schema_accepts_the_golden_plan() -> None:
    document = json.loads((GOLDEN / "plan.json").read_text(encoding="utf-8"))
    assert list(Draft202012Validator(packaged_schema(PLAN_SCHEMA_NAME)).iter_errors(document)) == []


def test_the_schema_accepts_a_plan_the_guard_refuses() -> None:
    document = json.loads(json.dumps(plan_to_dict(unsafe())))
    assert document["guard"] is not None
    assert list(Draft202012Validator(packaged_schema(PLAN_SCHEMA_NAME)).iter_errors(document)) == []


# Keywords whose failure is put in words without a title: a type, a missing or unknown key.
WORDED_WITHOUT_TITLE = {"type", "required", "additionalProperties", "properties", "items", "$ref"}
ANNOTATIONS = {"$schema", "$id", "$defs", "title", "description", "allOf", "if", "then"}


def _constrained(schema: Any, where: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every subschema that constrains more than types and keys, except those under `if`
    (they choose a branch and never report a problem of their own)."""
    if isinstance(schema, list):
        for index, item in enumerate(schema):
            yield from _constrained(item, f"{where}/{index}")
        return
    if not isinstance(schema, dict):
        return
    if set(schema) - WORDED_WITHOUT_TITLE - ANNOTATIONS:
        yield where, schema
    for key, sub in schema.items():
        if key in ("properties", "$defs"):
            for name, child in sub.items():
                yield from _constrained(child, f"{where}/{key}/{name}")
        elif key != "if":
            yield from _constrained(sub, f"{where}/{key}")


def test_every_constraint_has_a_title_to_put_its_failure_in_words() -> None:
    untitled = [
        where
        for where, schema in _constrained(packaged_schema(PLAN_SCHEMA_NAME))
        if "title" not in schema
    ]
    assert untitled == []


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_plan_file_that_is_not_a_regular_file_is_refused_unread(
    tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "plan.json"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    with pytest.raises(PlanFileError, match=r"plan.json: not a regular file"):
        read_plan_file(path)


def test_a_targeted_plan_that_selects_more_than_its_total_is_refused_once_prefixed() -> None:
    data = copy.deepcopy(plan_to_dict(sample()))
    data["targets"] = {"globs": ["A*"], "selected": 9, "total": 4}
    with pytest.raises(PlanFileError) as caught:
        plan_from_dict(data)
    assert str(caught.value) == "plan file: targets.selected: is 9, more than the total 4"


@pytest.mark.parametrize("name", ["x\n::error::pwned", "\u202eevil", "-flag", ""])
def test_a_project_plan_with_an_account_name_the_project_file_refuses_is_refused(
    name: str,
) -> None:
    # Account names head every report of a project's plan (`== name ==`, `### name`): a
    # crafted plan file must not put a line break, a workflow command or a bidi control there.
    data = {"format_version": 1, "accounts": {name: plan_to_dict(sample())}}
    with pytest.raises(PlanFileError, match=r"^plan file: accounts: expected an account's name"):
        accounts_from_dict(data)


def test_a_project_plan_naming_a_failed_account_the_project_file_refuses_is_refused() -> None:
    data = {
        "format_version": 1,
        "accounts": {"one": plan_to_dict(sample())},
        "failed": ["two\n::error::x"],
    }
    with pytest.raises(PlanFileError, match="expected an account's name"):
        accounts_from_dict(data)
