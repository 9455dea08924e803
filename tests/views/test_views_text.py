"""Plan and drift as text: the documented example exactly, marks, colour, and the line each
applied change prints."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from plan_builders import create, rename, replace
from plan_samples import documented_plan, full_plan

from triggersync.engine.apply import ApplyOutcome
from triggersync.engine.plan import Change, Plan
from triggersync.views.text import outcome_line, render_drift_text, render_text


def test_text_is_exactly_the_documented_example() -> None:
    assert render_text(documented_plan()) == (
        '  ~ update "Better Trigger"\n'
        '      ~ description: "Visitor requested chat" -> "Visitor requested new chat"\n'
        '  + create "Good Trigger"\n'
        '  - delete "Old Trigger"\n'
        "\n"
        "Plan: 1 to create, 1 to update, 1 to delete.\n"
    )


@pytest.mark.parametrize(
    ("render", "empty"), [(render_text, "No changes.\n"), (render_drift_text, "No drift.\n")]
)
def test_an_empty_plan_says_so_on_a_line_of_its_own(
    render: Callable[[Plan], str], empty: str
) -> None:
    assert render(Plan(())) == empty


def test_text_without_color_has_no_escape_codes() -> None:
    assert "\x1b" not in render_text(full_plan())


def test_text_with_color_paints_the_marks() -> None:
    assert '  \x1b[32m+\x1b[0m create "Good Trigger"' in render_text(documented_plan(), color=True)


def test_text_paints_both_signs_of_a_replace() -> None:
    assert '\x1b[31m-\x1b[0m/\x1b[32m+\x1b[0m replace "Geo routing"' in render_text(
        full_plan(), color=True
    )


def test_text_shows_a_replace_with_its_reason_and_nested_path() -> None:
    text = render_text(full_plan())
    assert '-/+ replace "Geo routing" (definition cannot be updated in place)\n' in text
    assert '      ~ definition.condition[1][2]: "US" -> "DE"\n' in text


def test_text_reads_a_rename_as_renamed_old_to_new() -> None:
    text = render_text(full_plan())
    assert '  ~ update "Cafe greeting" (renamed "Cafe greeting" to "Café greeting")\n' in text
    assert '      ~ name: "Cafe greeting" -> "Café greeting"\n' in text


def test_text_reads_enabled_as_the_files_write_it() -> None:
    assert "      ~ enabled: true -> false\n" in render_text(full_plan())


def test_drift_words_each_change_from_the_live_side() -> None:
    assert render_drift_text(documented_plan()) == (
        '  ~ "Better Trigger" changed in Zendesk\n'
        '      ~ description: Zendesk has "Visitor requested chat", '
        'code has "Visitor requested new chat"\n'
        '  - "Good Trigger" missing from Zendesk\n'
        '  + "Old Trigger" not in code\n'
        "\n"
        "Drift: 1 changed in Zendesk, 1 missing from Zendesk, 1 not in code.\n"
    )


def test_drift_calls_a_replace_a_definition_change() -> None:
    assert '  ~ "Geo routing" changed in Zendesk (definition)\n' in render_drift_text(full_plan())


def test_drift_reads_a_rename_as_done_in_code() -> None:
    heading = '  ~ "Cafe greeting" changed in Zendesk'
    rename = '(renamed "Cafe greeting" to "Café greeting" in code)'
    assert f"{heading} {rename}\n" in render_drift_text(full_plan())


def test_drift_reads_enabled_as_the_files_write_it() -> None:
    assert "      ~ enabled: Zendesk has true, code has false\n" in render_drift_text(full_plan())


def test_drift_summary_counts_a_replace_once() -> None:
    text = render_drift_text(full_plan())
    assert text.endswith("Drift: 3 changed in Zendesk, 1 missing from Zendesk, 1 not in code.\n")


@pytest.mark.parametrize(
    ("change", "status", "line"),
    [
        (create("A"), "ok", 'created "A"'),
        (replace("R"), "ok", 'replaced "R"'),
        (rename("Old", "New"), "ok", 'updated "Old" (renamed "Old" to "New")'),
        (create("A"), "failed", 'failed create "A"'),
        (replace("R", "S"), "skipped", 'skipped replace "R"'),
    ],
    ids=["created", "replaced", "renamed", "failed", "skipped"],
)
def test_each_applied_change_is_one_line(change: Change, status: str, line: str) -> None:
    assert outcome_line(ApplyOutcome(change, status)) == line  # type: ignore[arg-type]
