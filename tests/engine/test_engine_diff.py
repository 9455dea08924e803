"""desired × live → Changes: no false differences, each action, renames, replace, ownership."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from triggersync.engine import diff as diff_module
from triggersync.engine.diff import diff, make_plan
from triggersync.engine.model import Trigger, normalise
from triggersync.engine.plan import (
    ABSENT,
    LEFTOVER_REASON,
    REPLACE_REASON,
    Change,
    FieldChange,
    fingerprint,
    temporary_name,
)
from triggersync.errors import TriggersyncError

GEO = {"event": "chat_requested", "condition": ["and", ["eq", "@visitor_country_code", "US"]]}


def nobody(name: str) -> bool:
    return False


def legacy(name: str) -> bool:
    return name.startswith("Legacy ")


def live(**raw: Any) -> Trigger:
    return normalise({"id": 1, **raw})


# --- no false differences -------------------------------------------------------------------


def test_enabled_true_and_1_are_the_same() -> None:
    desired = [normalise({"name": "A", "enabled": True})]
    assert diff(desired, [live(name="A", enabled=1)], is_ignored=nobody) == []


def test_null_description_equals_empty() -> None:
    desired = [normalise({"name": "A"})]
    assert diff(desired, [live(name="A", description=None)], is_ignored=nobody) == []


def test_undeclared_live_fields_are_not_differences() -> None:
    raw = {"name": "A", "description": "d", "enabled": 1, "id": 7, "created_at": "x", "foo": [1]}
    assert diff([Trigger("A", "d")], [normalise(raw)], is_ignored=nobody) == []


def test_undeclared_definition_is_left_alone() -> None:
    assert diff([Trigger("A")], [live(name="A", definition=GEO)], is_ignored=nobody) == []


def test_undeclared_definition_stays_out_of_an_update() -> None:
    [change] = diff([Trigger("A", "new")], [live(name="A", definition=GEO)], is_ignored=nobody)
    assert change.action == "update"
    assert change.before == {"name": "A", "description": "", "enabled": 1}
    assert change.after == {"name": "A", "description": "new", "enabled": 1}


def test_equal_declared_definition_is_no_change() -> None:
    desired = [Trigger("A", definition=GEO)]
    assert diff(desired, [live(name="A", definition=GEO)], is_ignored=nobody) == []


def test_a_definition_number_written_as_1_0_is_the_live_1() -> None:
    mine = {**GEO, "actions": [["wait", 1.0]]}
    live_one = live(name="A", definition={**GEO, "actions": [["wait", 1]]})
    assert diff([Trigger("A", definition=mine)], [live_one], is_ignored=nobody) == []


def test_true_in_a_definition_is_not_the_live_1() -> None:
    mine = {**GEO, "actions": [["setTriggered", True]]}
    live_one = live(name="A", definition={**GEO, "actions": [["setTriggered", 1]]})
    [change] = diff([Trigger("A", definition=mine)], [live_one], is_ignored=nobody)
    assert change.action == "replace"
    assert change.diff == (FieldChange("definition.actions[0][1]", 1, True),)


def test_a_number_spelled_1_0_is_no_field_change_beside_a_real_one() -> None:
    mine = {**GEO, "event": "page_enter", "version": 2.0}
    live_one = live(name="A", definition={**GEO, "version": 2})
    [change] = diff([Trigger("A", definition=mine)], [live_one], is_ignored=nobody)
    assert [field.path for field in change.diff] == ["definition.event"]


# --- server metadata in a definition: compared only where declared ----------------------------

STAMPED = {"version": 1, "editor": "simple", **GEO}


def test_undeclared_server_metadata_is_no_difference() -> None:
    desired = [Trigger("A", definition=GEO)]
    assert diff(desired, [live(name="A", definition=STAMPED)], is_ignored=nobody) == []


def test_any_undeclared_key_beside_the_three_is_no_difference() -> None:
    desired = [Trigger("A", definition=GEO)]
    stamped = {**GEO, "created_by": "dashboard"}
    assert diff(desired, [live(name="A", definition=stamped)], is_ignored=nobody) == []


def test_declared_metadata_is_compared() -> None:
    desired = [Trigger("A", definition={**GEO, "version": 2})]
    [change] = diff(desired, [live(name="A", definition=STAMPED)], is_ignored=nobody)
    assert change.action == "replace"
    assert change.diff == (FieldChange("definition.version", 1, 2),)


def test_declared_metadata_missing_live_is_a_replace() -> None:
    desired = [Trigger("A", definition={**GEO, "editor": "developer"})]
    [change] = diff(desired, [live(name="A", definition=GEO)], is_ignored=nobody)
    assert change.diff == (FieldChange("definition.editor", ABSENT, "developer"),)


def test_a_replace_shows_only_the_declared_keys_of_the_live_definition() -> None:
    desired = [Trigger("A", definition={**GEO, "event": "page_enter"})]
    [change] = diff(desired, [live(name="A", definition=STAMPED)], is_ignored=nobody)
    assert change.diff == (FieldChange("definition.event", "chat_requested", "page_enter"),)
    assert change.before is not None
    assert change.before["definition"] == GEO


def test_an_update_beside_undeclared_metadata_stays_an_update() -> None:
    desired = [Trigger("A", "new", definition=GEO)]
    [change] = diff(desired, [live(name="A", definition=STAMPED)], is_ignored=nobody)
    assert change.action == "update"
    assert change.update_body() == {"description": "new"}


def test_a_stamped_leftover_whose_trigger_is_gone_is_renamed_into_place() -> None:
    changes = diff(
        [Trigger("G", definition=GEO)],
        [Trigger(temporary_name("G"), enabled=0, definition=STAMPED)],
        is_ignored=nobody,
    )
    assert [(change.action, change.new_name) for change in changes] == [("update", "G")]


def test_a_leftover_with_true_where_1_is_declared_is_not_renamed_into_place() -> None:
    mine = {**GEO, "actions": [["setTriggered", 1]]}
    left = {**GEO, "actions": [["setTriggered", True]]}
    changes = diff(
        [Trigger("G", definition=mine)],
        [Trigger(temporary_name("G"), enabled=0, definition=left)],
        is_ignored=nobody,
    )
    assert [change.action for change in changes] == ["delete", "create"]


def test_a_fingerprint_still_covers_undeclared_metadata() -> None:
    assert fingerprint(live(name="A", definition=STAMPED)) != fingerprint(
        live(name="A", definition=GEO)
    )


def test_a_boolean_as_deepdiff_sees_it_equals_only_itself() -> None:
    boolean = diff_module._TRUE
    assert boolean == diff_module._Boolean("true")
    assert boolean != "true"
    assert boolean != diff_module._FALSE


# --- each action ----------------------------------------------------------------------------


def test_update_carries_field_level_diff() -> None:
    [change] = diff([Trigger("A", "new", 0)], [Trigger("A", "old")], is_ignored=nobody)
    assert change == Change(
        "update",
        "A",
        {"name": "A", "description": "old", "enabled": 1},
        {"name": "A", "description": "new", "enabled": 0},
        (FieldChange("description", "old", "new"), FieldChange("enabled", 1, 0)),
    )


def test_create_sends_the_full_desired_body() -> None:
    [change] = diff([Trigger("B", "d", definition=GEO)], [], is_ignored=nobody)
    assert change == Change(
        "create", "B", None, {"name": "B", "description": "d", "enabled": 1, "definition": GEO}
    )


def test_delete_shows_the_live_managed_view() -> None:
    [change] = diff([], [live(name="Old", definition=GEO, extra=1)], is_ignored=nobody)
    assert change == Change(
        "delete", "Old", {"name": "Old", "description": "", "enabled": 1, "definition": GEO}, None
    )


# --- renames --------------------------------------------------------------------------------


def test_renamed_from_is_one_update_to_the_old_name() -> None:
    desired = [Trigger("New", "d", renamed_from="Old")]
    [change] = diff(desired, [Trigger("Old", "d")], is_ignored=nobody)
    assert (change.action, change.name, change.after) == (
        "update",
        "Old",
        {"name": "New", "description": "d", "enabled": 1},
    )
    assert change.diff == (FieldChange("name", "Old", "New"),)
    assert change.update_body() == {"name": "New"}


def test_renamed_from_has_no_effect_once_the_new_name_is_live() -> None:
    desired = [Trigger("New", renamed_from="Old")]
    changes = diff(desired, [Trigger("New"), Trigger("Old")], is_ignored=nobody)
    assert changes == [Change("delete", "Old", Trigger("Old").body(), None)]


@pytest.mark.parametrize(
    ("old", "live_triggers"),
    [("Legacy A", [Trigger("Legacy A")]), ("Gone", [])],
    ids=["ignored", "missing"],
)
def test_renamed_from_a_trigger_it_cannot_rename_creates(
    old: str, live_triggers: list[Trigger]
) -> None:
    [change] = diff([Trigger("New", renamed_from=old)], live_triggers, is_ignored=legacy)
    assert (change.action, change.name) == ("create", "New")


def test_renamed_from_a_name_still_declared_creates() -> None:
    desired = [Trigger("New", renamed_from="Old"), Trigger("Old")]
    changes = diff(desired, [Trigger("Old")], is_ignored=nobody)
    assert [(c.action, c.name) for c in changes] == [("create", "New")]


def test_two_renames_from_one_trigger_rename_only_the_first() -> None:
    desired = [Trigger("B", renamed_from="A"), Trigger("C", renamed_from="A")]
    changes = diff(desired, [Trigger("A")], is_ignored=nobody)
    assert [(c.action, c.name, c.new_name) for c in changes] == [
        ("update", "A", "B"),
        ("create", "C", "C"),
    ]


def test_rename_with_a_new_definition_is_a_renaming_replace() -> None:
    desired = [Trigger("New", definition={"event": "x"}, renamed_from="Old")]
    [change] = diff(desired, [live(name="Old", definition=GEO)], is_ignored=nobody)
    assert (change.action, change.name, change.new_name) == ("replace", "Old", "New")
    assert change.frees() == ("Old",)
    assert change.takes() == ("New", "New [triggersync: replacing]")


# --- replace --------------------------------------------------------------------------------


def test_changed_definition_is_a_replace_with_a_reason() -> None:
    want = {"event": "chat_requested", "condition": ["and", ["eq", "@visitor_country_code", "DE"]]}
    [change] = diff(
        [Trigger("G", definition=want)], [live(name="G", definition=GEO)], is_ignored=nobody
    )
    assert (change.action, change.reason) == ("replace", REPLACE_REASON)
    assert change.diff == (FieldChange("definition.condition[1][2]", "US", "DE"),)
    assert change.replacement_body() == {
        "name": "G [triggersync: replacing]",
        "description": "",
        "enabled": 0,
        "definition": want,
    }
    assert change.finishing_body() == {"name": "G", "enabled": 1}


def test_replace_covers_other_field_changes() -> None:
    desired = [Trigger("G", "new", 0, definition={"event": "x"})]
    [change] = diff(desired, [live(name="G", definition={"event": "y"})], is_ignored=nobody)
    assert change.action == "replace"
    assert [item.path for item in change.diff] == ["description", "enabled", "definition.event"]


def test_added_and_removed_items_are_absent_on_one_side() -> None:
    before = {"event": "e", "actions": [["a"], ["b"]], "condition": ["and"]}
    after = {"event": "e", "actions": [["a"]], "new": 2}
    [change] = diff(
        [Trigger("G", definition=after)], [live(name="G", definition=before)], is_ignored=nobody
    )
    assert change.diff == (
        FieldChange("definition.condition", ["and"], ABSENT),
        FieldChange("definition.actions[1]", ["b"], ABSENT),
        FieldChange("definition.new", ABSENT, 2),
    )


def test_declaring_a_definition_where_live_has_none_is_a_replace() -> None:
    [change] = diff([Trigger("G", definition=GEO)], [Trigger("G")], is_ignored=nobody)
    assert change.action == "replace"
    assert change.diff == (FieldChange("definition", None, GEO),)


# --- leftovers of unfinished replacements ----------------------------------------------------

NEW = {"event": "page_enter"}
TEMP = temporary_name("G")


def summary(changes: list[Change]) -> list[tuple[str, str, str]]:
    return [(change.action, change.name, change.new_name) for change in changes]


def test_a_leftover_next_to_a_matching_trigger_is_deleted() -> None:
    changes = diff(
        [Trigger("G", definition=NEW)],
        [Trigger("G", definition=NEW), Trigger(TEMP, enabled=0, definition=NEW)],
        is_ignored=nobody,
        prune=False,
    )
    assert summary(changes) == [("delete", TEMP, TEMP)]
    assert changes[0].reason == LEFTOVER_REASON


def test_a_leftover_whose_trigger_is_gone_is_renamed_into_place() -> None:
    changes = diff(
        [Trigger("G", "d", definition=NEW)],
        [Trigger(TEMP, "d", enabled=0, definition=NEW)],
        is_ignored=nobody,
    )
    assert summary(changes) == [("update", TEMP, "G")]
    assert changes[0].update_body() == {"name": "G", "enabled": 1}


def test_a_leftover_is_renamed_into_place_when_the_definition_is_not_managed() -> None:
    changes = diff([Trigger("G")], [Trigger(TEMP, enabled=0, definition=NEW)], is_ignored=nobody)
    assert summary(changes) == [("update", TEMP, "G")]


def test_a_leftover_is_not_renamed_while_the_renamed_from_trigger_is_live() -> None:
    desired = [Trigger("G", definition=NEW, renamed_from="Old")]
    live_triggers = [Trigger("Old", definition=GEO), Trigger(TEMP, enabled=0, definition=NEW)]
    changes = diff(desired, live_triggers, is_ignored=nobody)
    assert summary(changes) == [("delete", TEMP, TEMP), ("replace", "Old", "G")]


def test_a_declared_trigger_is_never_taken_for_a_leftover() -> None:
    desired = [Trigger("G", definition=NEW), Trigger(TEMP)]
    assert diff(desired, [Trigger("G", definition=NEW), Trigger(TEMP)], is_ignored=nobody) == []


def test_a_replacement_cannot_use_a_temporary_name_the_configuration_ignores() -> None:
    with pytest.raises(TriggersyncError, match='an ignore glob matches "G \\[triggersync'):
        diff(
            [Trigger("G", definition=NEW)],
            [Trigger("G", definition=GEO)],
            is_ignored=lambda name: name.endswith("]"),
        )


def test_a_leftover_is_deleted_before_the_replace_that_needs_its_name() -> None:
    plan = make_plan(
        [Trigger("G", definition=NEW)],
        [Trigger("G", definition=GEO), Trigger(TEMP, enabled=0, definition=GEO)],
    )
    assert [[change.action for change in wave] for wave in plan.waves] == [
        ["delete"],
        ["replace"],
    ]


# --- ownership ------------------------------------------------------------------------------


def test_ignored_live_triggers_are_invisible() -> None:
    live_triggers = [Trigger("Legacy A", "x"), Trigger("Legacy B")]
    assert diff([], live_triggers, is_ignored=legacy) == []


def test_undeclared_owned_triggers_are_pruned() -> None:
    changes = diff([Trigger("A")], [Trigger("A"), Trigger("Z")], is_ignored=nobody)
    assert [(c.action, c.name) for c in changes] == [("delete", "Z")]


def test_no_prune_keeps_undeclared_triggers() -> None:
    assert diff([Trigger("A")], [Trigger("A"), Trigger("Z")], is_ignored=nobody, prune=False) == []


# --- make_plan ------------------------------------------------------------------------------


def test_make_plan_fingerprints_exactly_the_touched_live_triggers() -> None:
    live_triggers = [Trigger("A", "old"), Trigger("B"), Trigger("Z"), Trigger("Legacy L")]
    desired = [Trigger("A", "new"), Trigger("B"), Trigger("C")]
    plan = make_plan(desired, live_triggers, ignore=["Legacy *"], base_url="http://127.0.0.1:1")
    assert plan.fingerprints == {
        "A": fingerprint(Trigger("A", "old")),
        "Z": fingerprint(Trigger("Z")),
    }
    assert plan.live_names == ("A", "B", "Legacy L", "Z")
    assert (plan.owned_live, plan.base_url) == (3, "http://127.0.0.1:1")
    assert plan.summary == {"create": 1, "update": 1, "delete": 1}


def test_make_plan_raises_when_changes_cannot_be_ordered(monkeypatch: pytest.MonkeyPatch) -> None:
    swap = [
        Change("update", "A", Trigger("A").body(), Trigger("B").body()),
        Change("update", "B", Trigger("B").body(), Trigger("A").body()),
    ]
    monkeypatch.setattr(diff_module, "diff", lambda *args, **kwargs: swap)
    with pytest.raises(TriggersyncError, match="cycle"):
        make_plan([], [Trigger("A"), Trigger("B")])


# --- scale ----------------------------------------------------------------------------------


def test_identical_triggers_never_reach_deepdiff(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(before: Any, after: Any) -> Any:
        raise AssertionError("deepdiff called for an identical pair")

    monkeypatch.setattr(diff_module, "field_changes", forbidden)
    triggers = [Trigger(f"T{i}", "d", definition={"event": "e", "n": i}) for i in range(50_000)]
    live_triggers = [
        normalise({"id": i, **t.body(), "enabled": True}) for i, t in enumerate(triggers)
    ]
    assert diff(triggers, live_triggers, is_ignored=nobody) == []


def test_deepdiff_is_imported_only_when_a_pair_differs() -> None:
    script = (
        "import sys\n"
        "from triggersync.engine.diff import diff\n"
        "from triggersync.engine.model import Trigger\n"
        "same = [Trigger(f'T{i}') for i in range(100)]\n"
        "assert diff(same, same, is_ignored=lambda n: False) == []\n"
        "assert 'deepdiff' not in sys.modules\n"
        "diff([Trigger('A', 'x')], [Trigger('A')], is_ignored=lambda n: False)\n"
        "assert 'deepdiff' not in sys.modules  # a scalar field needs no deepdiff\n"
        "d = [Trigger('A', definition={'event': 'x'})], [Trigger('A', definition={})]\n"
        "diff(*d, is_ignored=lambda n: False)\n"
        "assert 'deepdiff' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
