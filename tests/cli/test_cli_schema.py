"""`triggersync schema`: the JSON Schemas put where an editor and export find them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from triggersync.cli.main import cli
from triggersync.engine.export import to_yaml
from triggersync.engine.model import Trigger


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


def test_without_out_the_configuration_schema_is_printed() -> None:
    code, out, _ = _run("schema")
    assert (code, json.loads(out)["title"]) == (0, json.loads(_repository_schema())["title"])


def test_out_writes_both_schemas_into_the_folder(tmp_path: Path) -> None:
    code, _, _ = _run("schema", "--out", str(tmp_path / "schemas"))
    written = sorted(p.name for p in (tmp_path / "schemas").iterdir())
    assert (code, written) == (0, ["scenarios.schema.json", "triggersync.schema.json"])


def test_an_existing_schema_is_not_replaced_without_force(tmp_path: Path) -> None:
    folder = tmp_path / "schemas"
    folder.mkdir()
    (folder / "triggersync.schema.json").write_text("{}", encoding="utf-8")
    code, _, err = _run("schema", "--out", str(folder))
    assert (code, (folder / "triggersync.schema.json").read_text()) == (1, "{}")
    assert "pass --force" in err


def test_export_then_points_at_the_schema_it_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _run("schema", "--out", "schemas")
    text = to_yaml([Trigger("One")], tmp_path / "triggers")
    assert text.startswith("# yaml-language-server: $schema=../schemas/triggersync.schema.json\n")


def _repository_schema() -> str:
    root = Path(__file__).resolve().parents[2]
    return (root / "schemas" / "triggersync.schema.json").read_text(encoding="utf-8")
