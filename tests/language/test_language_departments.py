"""setDepartment takes an id or a name: read in words either way, and never a warning for a
name (validate stays offline: the name is shown as written)."""

from __future__ import annotations

from triggersync.language import action_words, check_definition, explain_lines


def test_an_id_reads_as_it_did() -> None:
    assert action_words(["setDepartment", 1002]) == "set department to 1002"


def test_a_name_reads_as_written() -> None:
    assert action_words(["setDepartment", "Sales"]) == 'set department "Sales"'


def test_an_id_with_a_known_name_reads_with_both() -> None:
    words = action_words(["setDepartment", 123], {123: "Sales"})
    assert words == 'set department "Sales" (id 123)'


def test_an_id_the_names_do_not_know_reads_as_the_id() -> None:
    assert action_words(["setDepartment", 9], {123: "Sales"}) == "set department to 9"


def test_a_name_is_no_warning() -> None:
    definition = {
        "event": "chat_requested",
        "condition": ["and"],
        "actions": [["setDepartment", "Sales"]],
    }
    assert check_definition(definition) == ()


def test_neither_a_number_nor_text_is_a_warning() -> None:
    definition = {
        "event": "chat_requested",
        "condition": ["and"],
        "actions": [["setDepartment", [1]]],
    }
    (warning,) = check_definition(definition)
    assert "a department id (a number) or name (text)" in warning.message


def test_the_lines_name_the_department() -> None:
    definition = {"event": "chat_requested", "actions": [["setDepartment", 123]]}
    lines = explain_lines(definition, {123: "Sales"})
    assert lines[-1].text == 'set department "Sales" (id 123)'
