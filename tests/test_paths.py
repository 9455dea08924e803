"""How config messages spell a document path."""

from __future__ import annotations

from triggersync.config.paths import format_path


def test_indexes_in_brackets_keys_after_dots() -> None:
    assert format_path(("triggers", 3, "definition", "actions", 0)) == (
        "triggers[3].definition.actions[0]"
    )


def test_keys_are_written_as_they_are() -> None:
    # `--vars` messages name the bad variable as the user wrote it (test_config pins this).
    assert format_path(("bad-name",)) == "bad-name"
    assert format_path(("a", "b c")) == "a.b c"


def test_the_empty_path_is_empty() -> None:
    assert format_path(()) == ""
