"""A file that cannot be configuration at all is said so once, for the whole file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from triggersync.config import load
from triggersync.errors import ConfigError


def _problems(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load([path])
    return [str(problem) for problem in caught.value.problems]


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "line"), [("{}\n", 1), ("# nothing yet\n{}\n", 2)])
def test_a_file_that_declares_nothing_is_an_error(tmp_path: Path, text: str, line: int) -> None:
    path = _write(tmp_path, "chat.yaml", text)
    assert _problems(path) == [
        f"{path}:{line}:1: the file declares neither `triggers` nor `ignore`; "
        "declare no triggers with `triggers: []`"
    ]


def test_a_saved_plan_is_one_error_that_points_to_apply_plan(tmp_path: Path) -> None:
    plan = {
        "format_version": 1,
        "summary": {"create": 1, "update": 0, "delete": 0},
        "changes": [{"action": "create", "name": "A", "before": None, "after": {"name": "A"}}],
    }
    path = _write(tmp_path, "plan.json", json.dumps(plan, indent=2))
    assert _problems(path) == [
        f"{path}:1:1: this is a saved plan, not configuration; "
        f"did you mean `triggersync apply --plan {path}`?"
    ]


def test_a_scenario_file_among_configuration_points_to_scenarios(tmp_path: Path) -> None:
    _write(tmp_path, "chat.yaml", "triggers: [{name: A}]\n")
    scenarios = _write(tmp_path, "visitors.yaml", "scenarios:\n  - name: x\n    event: 1\n")
    assert _problems(tmp_path) == [
        f"{scenarios}:1:1: scenario files are not configuration: "
        f"pass them with `triggersync test --scenarios {scenarios}`"
    ]


def test_unknown_keys_alone_are_each_named_with_a_suggestion(tmp_path: Path) -> None:
    path = _write(tmp_path, "chat.yaml", "trigers: []\n")
    assert _problems(path) == [
        f"{path}:1:1: trigers: unknown key 'trigers' (did you mean 'triggers'?)"
    ]
