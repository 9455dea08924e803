"""adopt's edits on file texts (config/adopt.py, config/edit.py): what changes, and that all
else stays byte for byte, whatever the layout; no API (the CLI's are in
tests/integration/test_cli_adopt.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from triggersync.config.adopt import Adoption, adopt
from triggersync.config.files import load
from triggersync.config.variables import variable_references
from triggersync.engine.diff import make_plan
from triggersync.engine.model import Trigger, normalise
from triggersync.errors import TriggersyncError


def live(*triggers: dict[str, Any]) -> list[Trigger]:
    return [normalise({"description": "", "enabled": 1, **t}) for t in triggers]


def adopted(tmp_path: Path, text: str, now: list[Trigger], **options: Any) -> tuple[str, Adoption]:
    """The file's text after adopt (written), checked to plan to no changes."""
    path = tmp_path / "t.yaml"
    path.write_bytes(text.encode("utf-8"))
    variables = options.pop("variables", None)
    whole = not options.get("targets")
    result = adopt(load([str(path)], variables), now, paths=[str(path)], **options)
    for change in result.files:
        Path(change.path).write_bytes(change.after.encode("utf-8"))
    cfg = load([str(path)], variables)
    if whole and not result.problems:
        plan = make_plan(cfg.triggers, now, ignore=[g.pattern for g in cfg.ignore])
        assert plan.empty, plan.changes
    return path.read_bytes().decode("utf-8"), result


def test_a_flow_mapping_item_is_edited_in_flow(tmp_path: Path) -> None:
    text, _ = adopted(
        tmp_path,
        "triggers:\n  - {name: A, description: x}  # mine\n",
        live({"name": "A", "enabled": 0}),
    )
    assert text == "triggers:\n  - {name: A, description: '', enabled: false}  # mine\n"


def test_a_field_is_added_before_the_first_key_when_nothing_precedes_it(tmp_path: Path) -> None:
    text, _ = adopted(
        tmp_path,
        "triggers:\n  - enabled: true\n    name: A\n",
        live({"name": "A", "description": "new"}),
    )
    # description goes after name in the canonical order; name is written last here.
    assert text == "triggers:\n  - enabled: true\n    name: A\n    description: new\n"


def test_a_flow_triggers_list_keeps_its_other_items(tmp_path: Path) -> None:
    text, _ = adopted(
        tmp_path,
        "triggers: [{name: A}, {name: B}, {name: C}]\n",
        live({"name": "A"}, {"name": "C"}),
    )
    assert text == "triggers: [{name: A}, {name: C}]\n"


def test_the_first_key_of_an_item_is_removed_and_the_next_moves_up(tmp_path: Path) -> None:
    text, _ = adopted(
        tmp_path,
        "triggers:\n  - renamed_from: Old\n    name: New\n",
        live({"name": "Old"}),
    )
    assert text == "triggers:\n  - name: Old\n"


def test_a_byte_order_mark_and_windows_line_breaks_stay(tmp_path: Path) -> None:
    original = "\ufefftriggers:\r\n  - name: A\r\n    description: old\r\n"
    text, _ = adopted(tmp_path, original, live({"name": "A", "description": "new"}, {"name": "B"}))
    assert text == (
        "\ufefftriggers:\r\n  - name: A\r\n    description: new\r\n"
        "\r\n  - name: B\r\n    description: ''\r\n    enabled: true\r\n"
    )


def test_a_file_without_a_final_line_break(tmp_path: Path) -> None:
    text, _ = adopted(tmp_path, "triggers:\n  - name: A", live({"name": "A", "enabled": 0}))
    assert text == "triggers:\n  - name: A\n    enabled: false\n"


def test_a_block_scalar_is_replaced_and_what_follows_stays(tmp_path: Path) -> None:
    text, _ = adopted(
        tmp_path,
        "triggers:\n  - name: A\n    description: |\n      two\n      lines\n"
        "\n  # B next\n  - name: B\n",
        live({"name": "A", "description": "one"}, {"name": "B"}),
    )
    assert text == "triggers:\n  - name: A\n    description: one\n\n  # B next\n  - name: B\n"


def test_a_declaration_with_an_alias_is_not_adopted(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "triggers:\n  - name: A\n    description: &d hi\n  - name: B\n    description: *d\n",
        encoding="utf-8",
    )
    result = adopt(
        load([str(path)]),
        live({"name": "A", "description": "hi"}, {"name": "B"}),
        paths=[str(path)],
    )
    assert result.files == ()
    assert result.problems == (
        '"B": not adopted: its declaration uses YAML anchors, aliases, merge keys or tags; '
        "edit it by hand",
    )


def test_a_changed_definition_key_is_replaced_and_a_removed_one_goes(tmp_path: Path) -> None:
    original = (
        "triggers:\n"
        "  - name: A\n"
        "    definition:\n"
        "      event: page_enter\n"
        "      condition: [and]\n"
        "      actions: [[addTag, x]]\n"
        "      version: 1\n"
    )
    definition = {"event": "chat_message", "condition": ["and"], "actions": [["addTag", "x"]]}
    text, _ = adopted(tmp_path, original, live({"name": "A", "definition": definition}))
    assert text == original.replace("page_enter", "chat_message").replace("      version: 1\n", "")


def test_a_live_trigger_without_a_definition_drops_the_declared_one(tmp_path: Path) -> None:
    original = (
        "triggers:\n  - name: A\n"
        "    definition: {event: page_enter, condition: [and], actions: []}\n  - name: B\n"
    )
    text, _ = adopted(tmp_path, original, live({"name": "A"}, {"name": "B"}))
    assert text == "triggers:\n  - name: A\n  - name: B\n"


def test_new_triggers_go_into_a_file_of_only_ignore_globs(tmp_path: Path) -> None:
    text, _ = adopted(tmp_path, "ignore: [Legacy*]\n", live({"name": "New"}, {"name": "Legacy 1"}))
    assert text == "ignore: [Legacy*]\ntriggers:\n- name: New\n  description: ''\n  enabled: true\n"


def test_a_new_trigger_into_an_empty_list(tmp_path: Path) -> None:
    text, _ = adopted(tmp_path, "triggers: []  # none yet\n", live({"name": "New"}))
    assert text == "triggers:  # none yet\n- name: New\n  description: ''\n  enabled: true\n"


def test_a_dashboard_rename_is_two_triggers_when_the_match_is_not_unique(tmp_path: Path) -> None:
    original = "triggers:\n  - name: A\n    description: same\n"
    _, result = adopted(
        tmp_path,
        original,
        live({"name": "B", "description": "same"}, {"name": "C", "description": "same"}),
    )
    assert (result.added, result.removed, result.updated) == (("B", "C"), ("A",), ())


def test_a_live_dollar_brace_is_written_as_a_literal(tmp_path: Path) -> None:
    text, _ = adopted(
        tmp_path, "triggers:\n  - name: A\n", live({"name": "A", "description": "${X}"})
    )
    assert text == "triggers:\n  - name: A\n    description: $${X}\n"


def test_a_variable_in_a_definition_key_that_does_not_change_stays(tmp_path: Path) -> None:
    original = (
        "triggers:\n  - name: A\n    definition:\n      event: page_enter\n"
        "      condition: [and]\n      actions: [[sendMessageToVisitor, Bot, 'Hi ${WHO}']]\n"
    )
    definition = {
        "event": "chat_message",
        "condition": ["and"],
        "actions": [["sendMessageToVisitor", "Bot", "Hi you"]],
    }
    text, result = adopted(
        tmp_path, original, live({"name": "A", "definition": definition}), variables={"WHO": "you"}
    )
    assert result.problems == ()
    assert text == original.replace("page_enter", "chat_message")


def test_targets_leave_the_other_triggers_alone(tmp_path: Path) -> None:
    original = "triggers:\n  - name: A\n  - name: B\n"
    text, _ = adopted(
        tmp_path,
        original,
        live({"name": "A", "description": "a"}, {"name": "B", "description": "b"}),
        targets=["A"],
    )
    assert text == "triggers:\n  - name: A\n    description: a\n  - name: B\n"


@pytest.mark.parametrize(
    "original",
    [
        "triggers:\n  - name: A\n  - name: B\n    description: x\n  - name: C\n",
        "# top\ntriggers:\n\n- name: A\n  # about B\n- name: B\n  description: x\n- name: C",
    ],
)
def test_the_opcodes_describe_the_change_exactly(tmp_path: Path, original: str) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(original, encoding="utf-8")
    now = live({"name": "A", "enabled": 0}, {"name": "C", "description": "c"}, {"name": "D"})
    result = adopt(load([str(path)]), now, paths=[str(path)], new_file=str(path))
    (change,) = result.files
    assert change.before is not None
    old, new = change.before.splitlines(True), change.after.splitlines(True)
    assert change.opcodes[-1][2] == len(old)
    assert change.opcodes[-1][4] == len(new)
    for tag, i1, i2, j1, j2 in change.opcodes:
        if tag == "equal":
            assert old[i1:i2] == new[j1:j2]
        else:
            assert old[i1:i2] != new[j1:j2]


def test_a_removed_item_takes_its_blank_lines_along(tmp_path: Path) -> None:
    original = "triggers:\n  - name: A\n\n  - name: B\n\n  # about C\n  - name: C\n\n  - name: D\n"
    text, _ = adopted(tmp_path, original, live({"name": "A"}, {"name": "C"}))
    assert text == "triggers:\n  - name: A\n\n  # about C\n  - name: C\n"


def test_a_leftover_of_an_unfinished_replacement_is_not_adopted(tmp_path: Path) -> None:
    _, result = adopted(
        tmp_path,
        "triggers:\n  - name: A\n",
        live({"name": "A"}, {"name": "A [triggersync: replacing]"}),
    )
    assert result.problems == (
        '"A [triggersync: replacing]": not adopted: left by an unfinished replacement of "A"; '
        "run apply to finish it",
    )
    assert result.files == ()


def test_a_gone_declaration_written_with_a_merge_key_is_named_not_removed(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    text = "triggers:\n  - &a {name: A, description: x}\n  - <<: *a\n    name: B\n"
    path.write_text(text, encoding="utf-8")
    result = adopt(load([str(path)]), live({"name": "A", "description": "x"}), paths=[str(path)])
    assert result.problems == (
        '"B": not removed (gone from Zendesk): its declaration uses YAML anchors, aliases, '
        "merge keys or tags; remove it by hand",
    )
    assert result.files == ()


def test_a_renamed_from_outside_the_targets_goes_when_adopt_adds_its_name(tmp_path: Path) -> None:
    text, _ = adopted(
        tmp_path,
        "triggers:\n  - name: New\n    renamed_from: Old\n",
        live({"name": "New"}, {"name": "Old"}),
        targets=["Old"],
    )
    assert (
        text
        == "triggers:\n  - name: New\n\n  - name: Old\n    description: ''\n    enabled: true\n"
    )


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        (
            "{condition: [and], actions: [], version: 1}",
            "{event: page_enter, condition: [and], actions: []}",
        ),
        (
            "{version: 1, condition: [and], actions: []}",
            "{event: page_enter, condition: [and], actions: []}",
        ),
        (
            "\n      condition: [and]\n      actions: []\n",
            "\n      event: page_enter\n      condition: [and]\n      actions: []\n",
        ),
    ],
)
def test_a_definition_key_the_file_lacks_is_added_in_its_place(
    tmp_path: Path, declared: str, expected: str
) -> None:
    definition = {"event": "page_enter", "condition": ["and"], "actions": []}
    text, _ = adopted(
        tmp_path,
        f"triggers:\n  - name: A\n    definition: {declared}".rstrip() + "\n",
        live({"name": "A", "definition": definition}),
    )
    assert text == f"triggers:\n  - name: A\n    definition: {expected}".rstrip() + "\n"


def test_a_flow_list_loses_an_item_and_gains_one(tmp_path: Path) -> None:
    text, _ = adopted(
        tmp_path, "triggers: [{name: A}, {name: B}]\n", live({"name": "B"}, {"name": "C"})
    )
    assert text == "triggers: [{name: B}, {name: C, description: '', enabled: true}]\n"


def test_a_new_trigger_is_appended_to_a_flow_list(tmp_path: Path) -> None:
    text, _ = adopted(tmp_path, "triggers: [{name: A}]\n", live({"name": "A"}, {"name": "B"}))
    assert text == "triggers: [{name: A}, {name: B, description: '', enabled: true}]\n"


def test_a_new_file_must_be_yaml(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("triggers: []\n", encoding="utf-8")
    with pytest.raises(TriggersyncError, match=r"must end with \.yaml or \.yml"):
        adopt(
            load([str(tmp_path)]),
            live({"name": "A"}),
            paths=[str(tmp_path)],
            new_file=str(tmp_path / "x.txt"),
        )


def test_a_new_file_never_takes_the_name_of_one_that_exists(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("triggers: []\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("triggers: []\n", encoding="utf-8")
    result = adopt(
        load([str(tmp_path)]), live({"name": "A"}, {"name": "B!"}), paths=[str(tmp_path)]
    )
    assert [Path(f.path).name for f in result.files] == ["a-2.yaml", "b-2.yaml"]


def test_references_are_the_names_written_not_the_escaped() -> None:
    assert variable_references({"a": ["$${NOT} ${ONE}", {"b": "${TWO}${ONE}"}], "c": 1}) == [
        "ONE",
        "TWO",
    ]


def test_a_new_field_comes_before_a_new_trigger_added_at_the_same_place(tmp_path: Path) -> None:
    text, _ = adopted(
        tmp_path,
        "triggers:\n  - name: A\n    # about A\n\n# ours\nignore: [X*]\n",
        live({"name": "A", "enabled": 0}, {"name": "B"}),
    )
    assert text == (
        "triggers:\n  - name: A\n    enabled: false\n    # about A\n"
        "\n  - name: B\n    description: ''\n    enabled: true\n\n# ours\nignore: [X*]\n"
    )


def test_a_replaced_block_list_keeps_the_files_indentation(tmp_path: Path) -> None:
    original = (
        "triggers:\n  - name: A\n    definition:\n      event: page_enter\n"
        "      condition: [and]\n      actions:\n        - [addTag, x]\n"
    )
    definition = {"event": "page_enter", "condition": ["and"], "actions": [["addTag", "y"]]}
    text, _ = adopted(tmp_path, original, live({"name": "A", "definition": definition}))
    assert text == original.replace("[addTag, x]", "[addTag, y]")


def test_a_list_left_with_only_new_items_keeps_the_files_indentation(tmp_path: Path) -> None:
    text, _ = adopted(tmp_path, "triggers:  # c\n  - name: Old\n", live({"name": "New"}))
    assert text == "triggers:  # c\n  - name: New\n    description: ''\n    enabled: true\n"


def test_a_list_left_empty_keeps_the_comment_on_its_key(tmp_path: Path) -> None:
    text, _ = adopted(tmp_path, "triggers:   # c\n  - name: Old\n# end\n", live())
    assert text == "triggers: []   # c\n# end\n"
