"""Rules from the command line, against the emulator: `--strict` on validate, plan and apply,
`strict` and `rules` in the project file, `# triggersync: ignore[...]` on a name line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from clirun import Run

from triggersync.emulator.server import Emulator

TYPO = """\
triggers:
  - name: Pricing visitors{comment}
    definition:
      event: chat_requested
      condition: ["icontians", "@visitor_page_url", "/pricing"]
      actions: [["addTag", "pricing"]]
"""
TYPO_WARNING = "TS103 unknown-operator: triggers[0].definition.condition: unknown operator"


def _typo(config: Callable[[str], str], comment: str = "") -> str:
    return config(TYPO.format(comment=comment))


def test_validate_warns_with_the_rule_and_exits_0(run: Run, config: Callable[[str], str]) -> None:
    ran = run("validate", _typo(config))
    assert ran.code == 0
    assert TYPO_WARNING in ran.stderr
    assert ran.stderr.startswith("warning: ")


def test_validate_strict_makes_the_warning_an_error(run: Run, config: Callable[[str], str]) -> None:
    ran = run("validate", "--strict", _typo(config))
    assert ran.code == 1
    assert TYPO_WARNING in ran.stderr
    assert "valid" not in ran.stdout


def test_validate_strict_github_annotates_the_warning_as_an_error(
    run: Run, config: Callable[[str], str]
) -> None:
    ran = run("validate", "--strict", "--format", "github", _typo(config))
    assert ran.code == 1
    assert ran.stdout.startswith("::error file=")
    assert f"::{TYPO_WARNING}" in ran.stdout


def test_validate_github_annotates_a_warning_with_its_rule(
    run: Run, config: Callable[[str], str]
) -> None:
    ran = run("validate", "--format", "github", _typo(config))
    assert ran.code == 0
    assert ",line=5,col=18::TS103 unknown-operator: " in ran.stdout
    assert ran.stdout.startswith("::warning file=")


def test_strict_with_no_warnings_passes(run: Run, config: Callable[[str], str]) -> None:
    ran = run("validate", "--strict", _typo(config, "  # triggersync: ignore[TS103]"))
    assert ran.code == 0
    assert ran.stderr == ""


def test_an_ignore_comment_on_the_name_line_silences_its_rule(
    run: Run, config: Callable[[str], str]
) -> None:
    ran = run("validate", _typo(config, "  # triggersync: ignore[TS201, TS103]"))
    assert (ran.code, ran.stderr) == (0, "")


def test_an_ignore_comment_for_another_rule_silences_nothing(
    run: Run, config: Callable[[str], str]
) -> None:
    ran = run("validate", _typo(config, "  # triggersync: ignore[TS201]"))
    assert TYPO_WARNING in ran.stderr


def test_an_ignore_comment_silences_only_its_own_trigger(
    run: Run, config: Callable[[str], str]
) -> None:
    text = TYPO.format(comment="  # triggersync: ignore[TS103]") + TYPO.format(
        comment=" too"
    ).removeprefix("triggers:\n")
    ran = run("validate", config(text))
    assert "triggers[0]" not in ran.stderr
    assert "TS103 unknown-operator: triggers[1]" in ran.stderr


def test_plan_strict_writes_no_plan(
    run: Run, config: Callable[[str], str], emulator: Emulator, tmp_path: Path
) -> None:
    out = tmp_path / "plan.json"
    ran = run("plan", "--strict", "--out", str(out), _typo(config))
    assert ran.code == 1
    assert TYPO_WARNING in ran.stderr
    assert not out.exists()
    assert emulator.stats()["total"] == 0


def test_apply_strict_changes_nothing(
    run: Run, config: Callable[[str], str], emulator: Emulator
) -> None:
    ran = run("apply", "--strict", "--yes", _typo(config))
    assert ran.code == 1
    assert emulator.store.list() == []


def test_drift_is_never_strict(
    run: Run, config: Callable[[str], str], emulator: Emulator, project_file: Callable[[str], None]
) -> None:
    project_file("strict: true\n")
    ran = run("drift", _typo(config))
    assert ran.code == 2  # the trigger is missing live: drift, not a strict failure
    assert TYPO_WARNING in ran.stderr


def test_the_project_files_strict_makes_plan_strict(
    run: Run, config: Callable[[str], str], emulator: Emulator, project_file: Callable[[str], None]
) -> None:
    project_file("strict: true\n")
    ran = run("plan", _typo(config))
    assert ran.code == 1
    assert TYPO_WARNING in ran.stderr


def test_the_project_files_ignore_switches_a_rule_off(
    run: Run, config: Callable[[str], str], project_file: Callable[[str], None]
) -> None:
    project_file("strict: true\nrules:\n  ignore: [TS103]\n")
    ran = run("validate", _typo(config))
    assert (ran.code, ran.stderr) == (0, "")


def test_the_project_files_name_pattern_is_a_rule(
    run: Run, config: Callable[[str], str], project_file: Callable[[str], None]
) -> None:
    project_file('rules:\n  name_pattern: "^[a-z]"\n  ignore: [TS103]\n')
    ran = run("validate", _typo(config))
    assert ran.code == 0
    assert "TS301 name-pattern: triggers[0].name: the name does not match" in ran.stderr


def test_an_unknown_rule_id_in_the_project_file_is_an_error_at_its_line(
    run: Run, config: Callable[[str], str], project_file: Callable[[str], None]
) -> None:
    project_file("rules:\n  ignore: [TS103, TS999]\n")
    ran = run("validate", _typo(config))
    assert ran.code == 1
    assert "triggersync.yaml:2:19: rules.ignore[1]: unknown rule id 'TS999'" in ran.stderr


def test_a_plan_lists_its_warnings_in_json(
    run: Run, config: Callable[[str], str], emulator: Emulator
) -> None:
    ran = run("plan", "--format", "json", _typo(config))
    (warning,) = json.loads(ran.stdout)["warnings"]
    assert warning["rule"] == "TS103"
    assert warning["name"] == "unknown-operator"
    assert (warning["line"], warning["column"]) == (5, 18)
    assert warning["file"].endswith("triggers.yaml")
    assert warning["message"].startswith("triggers[0].definition.condition: unknown operator")


def test_apply_strict_refuses_a_saved_plan_that_lists_warnings(
    run: Run, config: Callable[[str], str], emulator: Emulator, tmp_path: Path
) -> None:
    out = tmp_path / "plan.json"
    assert run("plan", "--out", str(out), _typo(config)).code == 0
    ran = run("apply", "--strict", "--plan", str(out))
    assert ran.code == 1
    assert TYPO_WARNING in ran.stderr
    assert emulator.store.list() == []


def test_the_markdown_plan_lists_its_warnings(
    run: Run, config: Callable[[str], str], emulator: Emulator
) -> None:
    ran = run("plan", "--format", "markdown", _typo(config))
    assert "**1 warning** (`TS103`)" in ran.stdout
    assert TYPO_WARNING in ran.stdout


def test_plan_github_marks_a_warning_on_its_line_before_the_text_plan(
    run: Run, config: Callable[[str], str], emulator: Emulator
) -> None:
    ran = run("plan", "--format", "github", _typo(config))
    assert ran.code == 0
    first, *rest = ran.stdout.splitlines()
    assert first.startswith("::warning file=")
    assert first.endswith(
        f",line=5,col=18::{TYPO_WARNING} 'icontians' (did you mean 'icontains'?); kept as written"
    )
    assert rest[0] == '  + create "Pricing visitors"'
    assert rest[-1] == "Plan: 1 to create, 0 to update, 0 to delete."
    assert ran.stderr == ""


def test_plan_github_strict_marks_the_warning_as_an_error(
    run: Run, config: Callable[[str], str], emulator: Emulator
) -> None:
    ran = run("plan", "--format", "github", "--strict", _typo(config))
    assert ran.code == 1
    assert ran.stdout.startswith("::error file=")
    assert f",line=5,col=18::{TYPO_WARNING}" in ran.stdout
    assert ran.stderr.startswith("Error: ")
    assert emulator.stats()["total"] == 0


def test_plan_github_escapes_a_warning_against_workflow_commands(
    run: Run, config: Callable[[str], str], emulator: Emulator
) -> None:
    text = TYPO.format(comment="").replace('"/pricing"', '"/pricing\\n::error::x%"')
    text = text.replace('"icontians"', '"icontians\\r::add-mask::y"')
    ran = run("plan", "--format", "github", config(text))
    # The runner reads a line as a command when it starts with `::` after its indent.
    (mark,) = [line for line in ran.stdout.splitlines() if line.lstrip().startswith("::")]
    assert mark.startswith("::warning file=")
    assert "\\r::add-mask::y" in mark


def test_apply_strict_of_a_saved_plan_passes_a_warning_the_project_switched_off_since(
    run: Run,
    config: Callable[[str], str],
    emulator: Emulator,
    tmp_path: Path,
    project_file: Callable[[str], None],
) -> None:
    out = tmp_path / "plan.json"
    assert run("plan", "--out", str(out), _typo(config)).code == 0
    project_file("strict: true\nrules:\n  ignore: [TS103]\n")
    ran = run("apply", "--plan", str(out))
    assert ran.code == 0, ran.stderr
    assert [t["name"] for t in emulator.store.list()] == ["Pricing visitors"]


@pytest.mark.parametrize(
    "command", [("drift",), ("adopt", "--diff"), ("explain",), ("validate",), ("plan",)]
)
def test_a_project_file_given_with_paths_switches_its_rules_off(
    run: Run,
    config: Callable[[str], str],
    emulator: Emulator,
    tmp_path: Path,
    command: tuple[str, ...],
) -> None:
    project = tmp_path / "elsewhere.yaml"
    project.write_text("rules:\n  ignore: [TS103]\n", encoding="utf-8")
    ran = run(*command, "--project", str(project), _typo(config))
    assert "TS103" not in ran.stderr
