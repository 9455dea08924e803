"""export into a folder: one file per trigger, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from triggersync.config.files import load
from triggersync.engine.export import (
    MAX_DEFINITION_DEPTH,
    MAX_STEM_BYTES,
    exportable,
    file_names,
    file_stem,
    to_yaml,
    write_directory,
)
from triggersync.engine.model import Trigger
from triggersync.errors import ConfigError, TriggersyncError


def too_deep() -> Trigger:
    """A trigger YAML cannot be written for: its definition nests beyond what the writer
    recurses. Named so that it is written after "A"."""
    nested: Any = []
    for _ in range(5000):
        nested = [nested]
    return Trigger("B", definition={"event": "page_enter", "condition": nested})


def test_a_failure_midway_leaves_no_new_folder_behind(tmp_path: Path) -> None:
    target = tmp_path / "triggers"
    with pytest.raises(TriggersyncError, match="nested too deeply"):
        write_directory([Trigger("A"), too_deep()], target)
    assert list(tmp_path.iterdir()) == []


def test_a_failure_midway_leaves_an_existing_folder_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "triggers"
    target.mkdir()
    (target / "a.yaml").write_text("earlier export\n", encoding="utf-8")
    with pytest.raises(TriggersyncError, match="nested too deeply"):
        write_directory([Trigger("A", "new"), too_deep()], target)
    assert [path.name for path in tmp_path.iterdir()] == ["triggers"]
    assert [path.name for path in target.iterdir()] == ["a.yaml"]
    assert (target / "a.yaml").read_text(encoding="utf-8") == "earlier export\n"


def test_an_export_into_an_existing_folder_replaces_its_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("earlier export\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    written = write_directory([Trigger("A", "new"), Trigger("A!")], tmp_path)
    assert written == [tmp_path / "a.yaml", tmp_path / "a-2.yaml"]
    assert "description: new" in (tmp_path / "a.yaml").read_text(encoding="utf-8")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a-2.yaml", "a.yaml", "notes.txt"]


# -- a definition nested deeper than a configuration file may be ------------------------------


def nested(depth: int) -> Trigger:
    """A trigger whose deepest value (the name "firedBefore") sits `depth` levels below its
    definition: a condition of `not`s around one `firedBefore`."""
    condition: Any = ["firedBefore"]
    for _ in range(depth - 2):
        condition = ["not", condition]
    definition = {"event": "page_enter", "condition": condition, "actions": [["addTag", "x"]]}
    return Trigger("Deep", definition=definition)


def written(tmp_path: Path, trigger: Trigger) -> Path:
    path = tmp_path / "deep.yaml"
    path.write_text(to_yaml([trigger]), encoding="utf-8")
    return path


def test_a_definition_at_the_deepest_a_file_may_hold_is_exported_and_reads_back(
    tmp_path: Path,
) -> None:
    kept, refused = exportable([nested(MAX_DEFINITION_DEPTH)])
    assert (len(kept), refused) == (1, [])
    [read] = load([written(tmp_path, kept[0])]).triggers
    assert read.definition == kept[0].definition


def test_one_level_deeper_a_file_could_not_be_read_back(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="nested deeper than"):
        load([written(tmp_path, nested(MAX_DEFINITION_DEPTH + 1))])


@pytest.mark.parametrize("depth", [MAX_DEFINITION_DEPTH + 1, 5000])
def test_a_trigger_nested_too_deeply_is_left_out_by_name(depth: int) -> None:
    kept, refused = exportable([Trigger("A"), nested(depth), Trigger("Z")])
    assert [trigger.name for trigger in kept] == ["A", "Z"]
    assert refused == [
        'not exported: "Deep": its definition nests deeper than 61 levels, more than a '
        "configuration file may (64 levels from its top); fix it in Zendesk"
    ]


def test_a_definition_shape_no_configuration_can_hold_is_left_out_by_name(
    tmp_path: Path,
) -> None:
    broken = Trigger("B", definition={"event": "page_enter", "condition": "always"})
    kept, refused = exportable([Trigger("A"), broken])
    assert [trigger.name for trigger in kept] == ["A"]
    assert len(refused) == 1
    assert refused[0].startswith('not exported: "B": its definition.condition cannot be read')
    # What is written reads back: nothing left in it stops a later plan.
    assert [t.name for t in load([written_all(tmp_path, kept)]).triggers] == ["A"]


def written_all(tmp_path: Path, triggers: list[Trigger]) -> Path:
    path = tmp_path / "all.yaml"
    path.write_text(to_yaml(triggers, tmp_path), encoding="utf-8")
    return path


# -- file names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("Café Bäckerei", "cafe-backerei"),
        ("Chat rescuer", "chat-rescuer"),
        ("ﬁle №5", "file-no5"),
        ("Привет мир", "привет-мир"),
    ],
)
def test_a_file_name_keeps_the_letters_of_the_trigger_name(name: str, stem: str) -> None:
    assert file_stem(name) == stem


def test_a_name_with_no_letters_gets_a_stem_that_is_the_same_on_every_export() -> None:
    assert file_stem("☕☕") == file_stem("☕☕")
    assert file_stem("☕☕").startswith("trigger-")
    assert file_stem("☕☕") != file_stem("☕")


def test_a_long_name_gives_a_file_name_within_the_limit() -> None:
    stem = file_stem("Bäckerei " * 40)
    assert len(stem.encode()) <= MAX_STEM_BYTES
    assert stem.startswith("backerei-backerei")
    assert not stem.endswith("-")


def test_names_that_fold_alike_get_numbered_file_names() -> None:
    named = file_names([Trigger("Cafe"), Trigger("Café")])
    assert [name for _, name in named] == ["cafe.yaml", "cafe-2.yaml"]


def test_a_name_too_long_for_a_file_name_is_cut_and_kept_unique(tmp_path: Path) -> None:
    long_a, long_b = "Ä" * 10 + "x" * 290 + "a", "Ä" * 10 + "x" * 290 + "b"
    written = write_directory([Trigger(long_a), Trigger(long_b), Trigger("Short")], tmp_path)
    names = sorted(path.name for path in written)
    assert len(set(names)) == 3
    assert all(len(name.encode()) <= 255 for name in names)
    assert sorted(t.name for t in load([tmp_path]).triggers) == sorted([long_a, long_b, "Short"])
