"""The department rules (TS401 disabled-department, TS403 department-kept) found at
plan time, against the emulator: they carry their ids and obey the same settings as the
files' warnings (switched off by the project file or a name-line comment, errors under
--strict or `strict: true`), and the plan's reports list them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from clirun import Run

from triggersync.emulator.server import Emulator

ROUTING = """\
triggers:
  - name: Route{comment}
    definition:
      event: chat_requested
      condition: [and]
      actions:
        - [setDepartment, Sales]
"""
DISABLED = (
    'TS401 disabled-department: triggers[0].definition.actions[0][1]: department "Sales" '
    "(id 1) is disabled"
)
KEPT = (
    "TS403 department-kept: triggers[0].definition.actions[0][1]: no department is "
    'named "Sales"; kept as written'
)


def _disabled(emulator: Emulator, config: Callable[[str], str], comment: str = "") -> str:
    emulator.store.create_department({"name": "Sales", "enabled": False})
    return config(ROUTING.format(comment=comment))


def test_a_disabled_department_warns_with_its_rule(
    run: Run, config: Callable[[str], str], emulator: Emulator
) -> None:
    ran = run("plan", _disabled(emulator, config))
    assert ran.code == 0
    assert DISABLED in ran.stderr


def test_plan_strict_makes_a_disabled_department_an_error_and_writes_no_plan(
    run: Run, config: Callable[[str], str], emulator: Emulator, tmp_path: Path
) -> None:
    out = tmp_path / "plan.json"
    ran = run("plan", "--strict", "--out", str(out), _disabled(emulator, config))
    assert ran.code == 1
    assert DISABLED in ran.stderr
    assert "warning:" not in ran.stderr
    assert not out.exists()


def test_apply_under_the_project_files_strict_changes_nothing(
    run: Run, config: Callable[[str], str], emulator: Emulator, project_file: Callable[[str], None]
) -> None:
    project_file("strict: true\n")
    ran = run("apply", "--yes", _disabled(emulator, config))
    assert ran.code == 1
    assert DISABLED in ran.stderr
    assert emulator.store.list() == []


def test_the_project_files_ignore_silences_a_disabled_department(
    run: Run, config: Callable[[str], str], emulator: Emulator, project_file: Callable[[str], None]
) -> None:
    project_file("strict: true\nrules:\n  ignore: [TS401]\n")
    ran = run("plan", "--format", "json", _disabled(emulator, config))
    assert ran.code == 0
    assert "TS401" not in ran.stderr
    assert json.loads(ran.stdout)["warnings"] == []


def test_a_name_line_comment_silences_a_disabled_department(
    run: Run, config: Callable[[str], str], emulator: Emulator
) -> None:
    ran = run("plan", "--strict", _disabled(emulator, config, "  # triggersync: ignore[TS401]"))
    assert ran.code == 0
    assert "TS401" not in ran.stderr


def test_the_json_plan_lists_a_disabled_department(
    run: Run, config: Callable[[str], str], emulator: Emulator
) -> None:
    ran = run("plan", "--format", "json", _disabled(emulator, config))
    (warning,) = json.loads(ran.stdout)["warnings"]
    assert (warning["rule"], warning["name"]) == ("TS401", "disabled-department")
    assert (warning["line"], warning["column"]) == (7, 27)
    assert warning["message"].startswith("triggers[0].definition.actions[0][1]: department")


def test_the_markdown_plan_lists_a_disabled_department(
    run: Run, config: Callable[[str], str], emulator: Emulator
) -> None:
    ran = run("plan", "--format", "markdown", _disabled(emulator, config))
    assert "**1 warning** (`TS401`)" in ran.stdout
    assert DISABLED in ran.stdout


def test_a_saved_plan_keeps_a_disabled_department_for_apply_strict(
    run: Run, config: Callable[[str], str], emulator: Emulator, tmp_path: Path
) -> None:
    out = tmp_path / "plan.json"
    assert run("plan", "--out", str(out), _disabled(emulator, config)).code == 0
    ran = run("apply", "--strict", "--plan", str(out))
    assert ran.code == 1
    assert DISABLED in ran.stderr
    assert emulator.store.list() == []


def _held_live(emulator: Emulator) -> None:
    """Sales is no department of the account, but the live trigger routes to it as text."""
    emulator.store.create_department({"name": "Support", "enabled": True})
    definition = {"event": "chat_requested", "condition": ["and"]}
    emulator.store.create(
        {
            "name": "Route",
            "description": "",
            "enabled": True,
            "definition": {**definition, "actions": [["setDepartment", "Sales"]]},
        }
    )


def test_a_name_kept_as_the_live_trigger_holds_it_warns_with_its_rule(
    run: Run, config: Callable[[str], str], emulator: Emulator
) -> None:
    _held_live(emulator)
    ran = run("plan", config(ROUTING.format(comment="")))
    assert ran.code == 0, ran.stderr
    assert KEPT in ran.stderr


def test_a_name_kept_as_the_live_trigger_holds_it_is_an_error_under_strict(
    run: Run, config: Callable[[str], str], emulator: Emulator
) -> None:
    _held_live(emulator)
    ran = run("plan", "--strict", config(ROUTING.format(comment="")))
    assert ran.code == 1
    assert "Error: " in ran.stderr
    assert KEPT in ran.stderr


def test_the_plans_warnings_are_in_the_order_a_reader_meets_them(
    run: Run, config: Callable[[str], str], emulator: Emulator
) -> None:
    routing = _disabled(emulator, config)  # a file named triggers.yaml
    typo = config(
        "triggers:\n  - name: Typo\n    definition:\n      event: chat_requested\n"
        '      condition: ["icontians", "@visitor_page_url", "/x"]\n'
        '      actions: [["addTag", "x"]]\n',
        "zz.yaml",
    )
    ran = run("plan", "--format", "json", routing, typo)
    warnings = json.loads(ran.stdout)["warnings"]
    assert [(Path(w["file"]).name, w["rule"]) for w in warnings] == [
        ("triggers.yaml", "TS401"),
        ("zz.yaml", "TS103"),
    ]
