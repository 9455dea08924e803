"""Definitions read as Zendesk reads them: errors only for what cannot be a definition, a
warning at its file:line:col for everything else a live trigger can hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from triggersync.config import load
from triggersync.errors import ConfigError


def _file(tmp_path: Path, definition: str) -> Path:
    path = tmp_path / "chat.yaml"
    text = f"triggers:\n  - name: A\n    definition:\n{definition}"
    path.write_text(text, encoding="utf-8")
    return path


def _warnings(path: Path) -> list[str]:
    return [str(warning).removeprefix(f"{path}:") for warning in load([path]).warnings]


def _errors(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load([path])
    return [str(problem).removeprefix(f"{path}:") for problem in caught.value.problems]


_SEND = "      actions: [[sendMessageToVisitor, Support, Hi]]\n"


@pytest.mark.parametrize(
    ("definition", "warning"),
    [
        (
            "      event: chat_requestd\n      condition: []\n" + _SEND,
            "4:14: TS102 unknown-event: triggers[0].definition.event: "
            "unknown event 'chat_requestd' "
            "(did you mean 'chat_requested'?); kept as written",
        ),
        (
            "      event: chat_requested\n      condition: [icontain, '@visitor_page_url', x]\n"
            + _SEND,
            "5:18: TS103 unknown-operator: triggers[0].definition.condition: "
            "unknown operator 'icontain' "
            "(did you mean 'icontains'?); kept as written",
        ),
        (
            "      event: chat_requested\n      condition: [eq, '@visitor_contry_code', US]\n"
            + _SEND,
            "5:23: TS104 unknown-variable: triggers[0].definition.condition[1]: "
            "unknown variable '@visitor_contry_code' "
            "(did you mean '@visitor_country_code'?); kept as written",
        ),
        (
            "      event: page_enter\n      condition: []\n"
            "      actions: [[sendMesageToVisitor, S, Hi]]\n",
            "6:17: TS105 unknown-action: triggers[0].definition.actions[0]: "
            "unknown action 'sendMesageToVisitor' "
            "(did you mean 'sendMessageToVisitor'?); kept as written",
        ),
    ],
    ids=["event", "operator", "variable", "action"],
)
def test_an_unknown_name_is_a_warning_with_a_suggestion(
    tmp_path: Path, definition: str, warning: str
) -> None:
    assert _warnings(_file(tmp_path, definition)) == [warning]


@pytest.mark.parametrize(
    ("condition", "actions", "where"),
    [
        ("[and]", "[[addTag, x]]", None),  # no conditions: not a problem at all
        ("[]", "[[addTag, x]]", None),
        ("[and, [eq, '@visitor_country_code']]", "[[addTag, x]]", "condition[1]"),
        ("[eq, '@visitor_tags', [a, b]]", "[[addTag, x]]", "condition[2]"),
        ("[regex, '@visitor_page_url', '(']", "[[addTag, x]]", "condition[2]"),
        (
            "[and, [eq, '@visitor_country_code', US], [eq, '@visitor_country_code', DE]]",
            "[[addTag, x]]",
            "condition[2]",
        ),
        ("[and]", "[]", "actions"),
        ("[and]", "null", "actions"),
        ("[and]", "[[addTag]]", "actions[0]"),
    ],
    ids=[
        "empty-and",
        "empty-condition",
        "arity",
        "list-value",
        "bad-regex",
        "contradiction",
        "no-actions",
        "null-actions",
        "action-arity",
    ],
)
def test_what_a_live_trigger_can_hold_is_at_most_a_warning(
    tmp_path: Path, condition: str, actions: str, where: str | None
) -> None:
    definition = (
        f"      event: page_enter\n      condition: {condition}\n      actions: {actions}\n"
    )
    warnings = _warnings(_file(tmp_path, definition))
    assert [w.split(": ")[2] for w in warnings] == (
        [] if where is None else [f"triggers[0].definition.{where}"]
    )


@pytest.mark.parametrize(
    ("definition", "error"),
    [
        (
            "      event: page_enter\n      condition: visitor is German\n" + _SEND,
            "5:18: triggers[0].definition.condition: a condition is a list "
            '(an operator, then its operands), got "visitor is German"',
        ),
        (
            "      event: page_enter\n      condition: [and, [[eq, '@a', 1]]]\n" + _SEND,
            "5:25: triggers[0].definition.condition[1][0]: an operator name comes first "
            "(e.g. 'and', 'eq'), got a list",
        ),
        (
            "      event: page_enter\n      condition: []\n      actions: [addTag]\n",
            "6:17: triggers[0].definition.actions[0]: an action is a list that starts with its "
            "name (e.g. ['addTag', 'vip']), got \"addTag\"",
        ),
        (
            "      event: page_enter\n      condition: []\n      actions: {addTag: x}\n",
            "6:16: triggers[0].definition.actions: actions is a list of actions, got an object",
        ),
    ],
    ids=["condition-not-a-list", "operator-not-a-string", "action-not-a-list", "actions-mapping"],
)
def test_a_shape_that_cannot_be_a_definition_is_an_error_at_its_place(
    tmp_path: Path, definition: str, error: str
) -> None:
    assert _errors(_file(tmp_path, definition)) == [error]


def test_a_definition_that_is_not_a_mapping_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "chat.yaml"
    path.write_text("triggers:\n  - name: A\n    definition: [page_enter]\n", encoding="utf-8")
    assert _errors(path) == [
        "3:17: triggers[0].definition: a definition is an object with event, condition and "
        "actions, got a list"
    ]


def test_an_empty_definition_names_each_missing_part_once(tmp_path: Path) -> None:
    path = tmp_path / "chat.yaml"
    path.write_text("triggers:\n  - name: A\n    definition: {}\n", encoding="utf-8")
    assert [w.split(": ", 3)[2:] for w in _warnings(path)] == [
        ["triggers[0].definition.actions", "no actions: the trigger does nothing when it fires"],
        [
            "triggers[0].definition.condition",
            "no condition: read as none, so the trigger always runs",
        ],
        [
            "triggers[0].definition.event",
            "the event is missing: Zendesk runs triggers on page_enter, chat_requested, "
            "chat_message",
        ],
    ]


def test_a_definition_with_only_an_event_names_the_condition_once(tmp_path: Path) -> None:
    path = tmp_path / "chat.yaml"
    path.write_text("triggers:\n  - name: A\n    definition: {event: chat_requested}\n", "utf-8")
    wheres = [w.split(": ")[2] for w in _warnings(path)]
    assert sorted(wheres) == ["triggers[0].definition.actions", "triggers[0].definition.condition"]


def test_the_keys_zendesk_keeps_are_welcome_and_others_are_warned_about(tmp_path: Path) -> None:
    definition = (
        "      event: chat_requested\n      condition: []\n"
        + _SEND
        + "      version: 1\n      editor: developer\n      action: []\n"
    )
    assert _warnings(_file(tmp_path, definition)) == [
        "9:15: TS101 unknown-key: triggers[0].definition.action: "
        "unknown key 'action' in a definition "
        "(did you mean 'actions'?)"
    ]


def test_warnings_of_a_definition_reached_through_an_alias_point_at_the_alias(
    tmp_path: Path,
) -> None:
    path = tmp_path / "chat.yaml"
    text = (
        "triggers:\n"
        "  - name: A\n"
        "    definition: &d {event: page_enter, condition: [], actions: [[zap]]}\n"
        "  - name: B\n"
        "    definition: *d\n"
    )
    path.write_text(text, encoding="utf-8")
    unknown = [w.split(": ")[0] for w in _warnings(path) if "TS105 unknown-action" in w]
    assert unknown == ["3:65", "5:17"]
