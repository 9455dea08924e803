"""export into a folder: one file per trigger, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from triggersync.engine.export import write_directory
from triggersync.engine.model import Trigger
from triggersync.errors import TriggersyncError


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


def test_an_export_into_an_existing_folder_replaces_its_files_and_names_the_others(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.yaml").write_text("earlier export\n", encoding="utf-8")
    (tmp_path / "gone.yaml").write_text("triggers: []\n", encoding="utf-8")
    written, others = write_directory([Trigger("A", "new"), Trigger("A!")], tmp_path)
    assert (written, others) == (
        [tmp_path / "a.yaml", tmp_path / "a-2.yaml"],
        [tmp_path / "gone.yaml"],
    )
    assert "description: new" in (tmp_path / "a.yaml").read_text(encoding="utf-8")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a-2.yaml", "a.yaml", "gone.yaml"]
