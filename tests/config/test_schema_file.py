"""Where the schema is: the copy the tool validates with, and the one an exported file names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from triggersync.config import schema
from triggersync.engine import export

ROOT = Path(__file__).resolve().parents[2]


def test_the_tool_validates_with_the_repository_schema_when_run_from_source() -> None:
    text = schema.schema_file().read_text(encoding="utf-8")
    assert json.loads(text) == json.loads(
        (ROOT / "schemas" / "triggersync.schema.json").read_text("utf-8")
    )


def test_an_export_names_the_schema_of_the_repository_it_runs_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "triggersync.schema.json").write_text("{}", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    line = export.modeline(tmp_path / "triggers" / "chat")
    assert line == "# yaml-language-server: $schema=../../schemas/triggersync.schema.json\n"


def test_elsewhere_an_export_names_the_schema_by_its_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    line = export.modeline(tmp_path)
    assert line == f"# yaml-language-server: $schema={schema.load_schema()['$id']}\n"
