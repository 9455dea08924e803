"""`# triggersync: ignore[...]` comments: read on a trigger's name line only, and a comment
that switches nothing off (an unknown id, the wrong line, the wrong form) says so (TS110)."""

from __future__ import annotations

from pathlib import Path

import pytest

from triggersync.config import load
from triggersync.config.ignores import comment_start
from triggersync.language.rules import RuleSettings

UNGUARDED = """\
triggers:
  - name: {name}
    definition:{definition}
      event: page_enter
      condition: ["and"]
      actions: [["sendMessageToVisitor", "Support", "Hi!"]]
"""


def _warnings(tmp_path: Path, name: str, definition: str = "", **settings: object) -> list[str]:
    path = tmp_path / "triggers.yaml"
    path.write_text(UNGUARDED.format(name=name, definition=definition), encoding="utf-8")
    loaded = load([path], settings=RuleSettings(**settings))  # type: ignore[arg-type]
    return [str(warning) for warning in loaded.warnings]


@pytest.mark.parametrize(
    ("line", "start"),
    [
        ("  - name: A  # c", 13),
        ("name: A#B # c", 10),
        ('name: "A # not a comment" # c', 26),
        ("name: 'it''s # not' # c", 20),
        ('name: "say \\" # still quoted" # c', 30),
        ("name: Don't # c", 12),
        ('name: "A # never closed', None),
        ("# c", 0),
    ],
)
def test_a_comment_starts_at_a_hash_after_space_outside_quotes(line: str, start: int) -> None:
    assert comment_start(line) == start


def test_several_ids_are_read_from_one_comment(tmp_path: Path) -> None:
    name = "Welcome  # triggersync: ignore[TS201, TS205]"
    assert _warnings(tmp_path, name) == []


def test_spaces_inside_the_comment_are_allowed(tmp_path: Path) -> None:
    assert _warnings(tmp_path, "Welcome  #triggersync:ignore[ TS201 ]") == []


def test_an_unknown_id_is_a_warning_with_a_suggestion(tmp_path: Path) -> None:
    found = _warnings(tmp_path, "Welcome  # triggersync: ignore[TS21]")
    assert any("TS201 unguarded-page-message" in warning for warning in found)
    assert (
        f"{tmp_path / 'triggers.yaml'}:2:20: TS110 unread-ignore-comment: triggers[0].name: "
        "ignore comment: unknown rule id 'TS21' (did you mean 'TS201'?); see docs/rules.md"
    ) in found


def test_a_lower_case_id_is_unknown_and_the_upper_case_one_suggested(tmp_path: Path) -> None:
    found = _warnings(tmp_path, "Welcome  # triggersync: ignore[ts201]")
    assert any("unknown rule id 'ts201' (did you mean 'TS201'?)" in w for w in found)
    assert any("TS201 unguarded-page-message" in warning for warning in found)


def test_a_comment_on_another_line_of_the_trigger_is_a_warning(tmp_path: Path) -> None:
    found = _warnings(tmp_path, "Welcome", definition="  # triggersync: ignore[TS201]")
    assert any("TS201 unguarded-page-message" in warning for warning in found)
    assert any(
        ":3:18: TS110 unread-ignore-comment: triggers[0]: an ignore comment is read only on "
        "the line of a trigger's name" in warning
        for warning in found
    )


def test_a_comment_at_the_top_of_the_file_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "triggers.yaml"
    text = "# triggersync: ignore[TS201]\n" + UNGUARDED.format(name="Welcome", definition="")
    path.write_text(text, encoding="utf-8")
    found = [str(warning) for warning in load([path]).warnings]
    assert f"{path}:1:1: TS110 unread-ignore-comment: an ignore comment is read only" in (
        "\n".join(found)
    )


def test_a_comment_not_of_the_ignore_form_is_a_warning(tmp_path: Path) -> None:
    found = _warnings(tmp_path, "Welcome  # triggersync: ignore[TS201")
    assert any("not read as an ignore comment" in warning for warning in found)
    assert any("TS201 unguarded-page-message" in warning for warning in found)


def test_the_words_inside_a_quoted_name_are_not_a_comment(tmp_path: Path) -> None:
    found = _warnings(tmp_path, '"Welcome # triggersync: ignore[TS201]"')
    assert [warning.split(": ")[1] for warning in found] == ["TS201 unguarded-page-message"]


def test_the_project_can_switch_the_rule_off(tmp_path: Path) -> None:
    name = "Welcome  # triggersync: ignore[TS21]"
    found = _warnings(tmp_path, name, ignore=frozenset({"TS110"}))
    assert not any("TS110" in warning for warning in found)


def test_a_comment_on_a_name_value_on_its_own_line_is_read(tmp_path: Path) -> None:
    name = "\n      Welcome  # triggersync: ignore[TS201]"
    assert _warnings(tmp_path, name) == []
