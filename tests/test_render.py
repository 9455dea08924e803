"""Renderers: the documented plan text exactly, markdown for PR comments, JSON, drift wording.

The golden files under tests/golden/ are committed; after an intended change of output,
regenerate them and review the diff:

    .venv/bin/python tests/test_render.py
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from triggersync.engine.diff import make_plan
from triggersync.engine.model import Trigger
from triggersync.engine.plan import ABSENT, Change, FieldChange, Plan
from triggersync.views.render import (
    DRIFT_MARKER,
    FOLD_THRESHOLD,
    PLAN_MARKER,
    WARNING,
    render_drift_markdown,
    render_drift_text,
    render_json,
    render_markdown,
    render_text,
    truncate_markdown,
)

GOLDEN = Path(__file__).parent / "golden"

US = {
    "event": "chat_requested",
    "condition": ["and", ["eq", "@visitor_country_code", "US"]],
    "actions": [["sendMessageToVisitor", "Support", "Hi!"]],
}
DE = {
    "event": "chat_requested",
    "condition": ["and", ["eq", "@visitor_country_code", "DE"]],
    "actions": [["sendMessageToVisitor", "Support", "Hallo!"], ["addTag", "de"]],
}


def spec_plan() -> Plan:
    """The documented example plan: an update, a create and a delete."""
    desired = [
        Trigger("Better Trigger", "Visitor requested new chat"),
        Trigger("Good Trigger", "Visitor entered page", definition=US),
    ]
    live = [Trigger("Better Trigger", "Visitor requested chat"), Trigger("Old Trigger")]
    return make_plan(desired, live)


def full_plan() -> Plan:
    """Every kind of change: update, rename, create, replace with nested paths, delete."""
    desired = [
        Trigger("Better Trigger", "Visitor requested new chat"),
        Trigger("Good Trigger", "Visitor entered page", definition=US),
        Trigger("Café greeting", "Bonjour", 0, renamed_from="Cafe greeting"),
        Trigger("Geo routing", "Route by country", definition=DE),
    ]
    live = [
        Trigger("Better Trigger", "Visitor requested chat", definition=US),
        Trigger("Cafe greeting", "Bonjour"),
        Trigger("Geo routing", "Route by country", definition={**US, "priority": 2}),
        Trigger('Old "quoted" Trigger'),
        Trigger("Legacy banner", "not ours"),
    ]
    return make_plan(
        desired,
        live,
        ignore=["Legacy *"],
        base_url="http://127.0.0.1:8080/api/v2/chat",
    )


def large_plan() -> Plan:
    desired = [Trigger(f"Trigger {i:02d}", "new") for i in range(FOLD_THRESHOLD + 5)]
    live = [Trigger(f"Trigger {i:02d}", "old") for i in range(0, FOLD_THRESHOLD + 5, 2)]
    return make_plan(desired, live)


RENDERINGS: dict[str, Callable[[], str]] = {
    "plan.txt": lambda: render_text(full_plan()),
    "plan_color.txt": lambda: render_text(full_plan(), color=True),
    "plan.md": lambda: render_markdown(full_plan()),
    "plan_large.md": lambda: render_markdown(large_plan()),
    "plan.json": lambda: render_json(full_plan()),
    "drift.txt": lambda: render_drift_text(full_plan()),
    "drift_color.txt": lambda: render_drift_text(full_plan(), color=True),
    "drift.md": lambda: render_drift_markdown(full_plan()),
}


@pytest.mark.parametrize("name", sorted(RENDERINGS))
def test_matches_golden_file(name: str) -> None:
    assert RENDERINGS[name]() == (GOLDEN / name).read_text(encoding="utf-8")


# --- text -----------------------------------------------------------------------------------


def test_text_is_exactly_the_spec_example() -> None:
    assert render_text(spec_plan()) == (
        '  ~ update "Better Trigger"\n'
        '      ~ description: "Visitor requested chat" -> "Visitor requested new chat"\n'
        '  + create "Good Trigger"\n'
        '  - delete "Old Trigger"\n'
        "\n"
        "Plan: 1 to create, 1 to update, 1 to delete.\n"
    )


def test_text_of_an_empty_plan_is_no_changes() -> None:
    assert render_text(Plan(())) == "No changes.\n"


def test_text_without_color_has_no_escape_codes() -> None:
    assert "\x1b" not in render_text(full_plan())


def test_text_with_color_paints_the_symbols() -> None:
    assert '  \x1b[32m+\x1b[0m create "Good Trigger"' in render_text(spec_plan(), color=True)


def test_text_shows_a_replace_with_its_reason_and_nested_path() -> None:
    text = render_text(full_plan())
    assert '-/+ replace "Geo routing" (definition cannot be updated in place)\n' in text
    assert '      ~ definition.condition[1][2]: "US" -> "DE"\n' in text


def test_text_shows_a_rename() -> None:
    text = render_text(full_plan())
    assert '  ~ update "Cafe greeting" (rename to "Café greeting")\n' in text
    assert '      ~ name: "Cafe greeting" -> "Café greeting"\n' in text


# --- markdown -------------------------------------------------------------------------------


def test_markdown_starts_with_the_summary_and_ends_with_the_marker() -> None:
    lines = render_markdown(spec_plan()).splitlines()
    assert (lines[0], lines[-1]) == (
        "**Plan: 1 to create, 1 to update, 1 to delete.**",
        PLAN_MARKER,
    )


def test_markdown_warns_when_deleting() -> None:
    assert WARNING in render_markdown(spec_plan())


def test_markdown_does_not_warn_without_deletes() -> None:
    plan = make_plan([Trigger("A", "x"), Trigger("B")], [Trigger("A")])
    assert "Warning" not in render_markdown(plan)


def test_markdown_of_an_empty_plan() -> None:
    assert render_markdown(Plan(())) == f"**No changes.**\n\n{PLAN_MARKER}\n"


def test_markdown_does_not_fold_at_the_threshold() -> None:
    plan = Plan(tuple(Change("create", f"T{i}", None, Trigger(f"T{i}").body()) for i in range(20)))
    assert "<details>" not in render_markdown(plan)


def test_markdown_folds_beyond_the_threshold() -> None:
    plan = Plan(tuple(Change("create", f"T{i}", None, Trigger(f"T{i}").body()) for i in range(21)))
    assert "<details><summary>Show 21 changes</summary>" in render_markdown(plan)


def test_markdown_fence_outlasts_backticks_in_values() -> None:
    plan = make_plan([Trigger("A", "run ```rm```")], [Trigger("A")])
    assert "\n````diff\n" in render_markdown(plan)
    assert render_markdown(plan).endswith(f"\n````\n\n{PLAN_MARKER}\n")


# --- json -----------------------------------------------------------------------------------


def test_json_is_the_plan_document() -> None:
    plan = full_plan()
    assert json.loads(render_json(plan)) == plan.to_dict()
    assert Plan.from_dict(json.loads(render_json(plan))) == plan


# --- drift ----------------------------------------------------------------------------------


def test_drift_words_each_change_from_the_live_side() -> None:
    assert render_drift_text(spec_plan()) == (
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


def test_drift_summary_counts_a_replace_once() -> None:
    text = render_drift_text(full_plan())
    assert text.endswith("Drift: 3 changed in Zendesk, 1 missing from Zendesk, 1 not in code.\n")


def test_no_drift() -> None:
    assert render_drift_text(Plan(())) == "No drift.\n"


def test_drift_markdown_of_no_drift() -> None:
    assert render_drift_markdown(Plan(())) == f"**No drift.**\n\n{DRIFT_MARKER}\n"


# --- untrusted text ---------------------------------------------------------------------------

HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]")


def hostile_replace() -> Plan:
    """What a hand-edited plan file or a hostile server can put in a path and a reason."""
    before = {"name": "R", "description": "", "enabled": 1, "definition": {}}
    after = {**before, "definition": {"k": 1}}
    field = FieldChange('definition["k\n::error title=pwned::x"]', ABSENT, 1)
    change = Change("replace", "R", before, after, (field,), "reason\u202e\n::add-mask::x")
    return Plan((change,), {"R": "0" * 64}, ("R",), None)


def test_text_escapes_a_hidden_character_in_a_name() -> None:
    plan = Plan((Change("delete", "A\u200b", {"name": "A\u200b"}, None),), {}, (), None)
    assert '  - delete "A\\u200b"\n' in render_text(plan)


@pytest.mark.parametrize(
    "render", [render_text, render_markdown, render_drift_text, render_drift_markdown]
)
def test_field_paths_are_escaped(render: Callable[[Plan], str]) -> None:
    out = render(hostile_replace())
    assert 'definition["k\\n::error title=pwned::x"]' in out
    assert not HIDDEN.search(out.replace("\n", ""))


@pytest.mark.parametrize("render", [render_text, render_markdown])
def test_reasons_are_escaped(render: Callable[[Plan], str]) -> None:
    out = render(hostile_replace())
    assert "(reason\\u202e\\n::add-mask::x)" in out
    assert not HIDDEN.search(out.replace("\n", ""))


def test_json_escapes_the_runners_old_command_form() -> None:
    plan = Plan((Change("create", "##[add-mask]x", None, {"name": "##[add-mask]x"}),))
    out = render_json(plan)
    assert "##[" not in out
    assert json.loads(out)["changes"][0]["name"] == "##[add-mask]x"


def test_truncating_markdown_splits_lines_at_newlines_only() -> None:
    # U+2028, U+0085 and \x1c are line breaks to str.splitlines, not to markdown: splitting
    # there and joining with newlines would turn half a line into a forged line of its own.
    body = [f"- delete {i}\u2028+ create forged\x85\x1c" for i in range(100)]
    text = "\n".join(["**Plan: 0 to create, 0 to update, 100 to delete.**", "", "```diff"])
    text += "\n" + "\n".join([*body, "```", "", PLAN_MARKER]) + "\n"
    out = truncate_markdown(text, 1000)
    kept = [line for line in out.split("\n") if line.startswith(("-", "+"))]
    assert kept
    assert set(kept) <= set(body)


def write_goldens() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for name, render in RENDERINGS.items():
        (GOLDEN / name).write_text(render(), encoding="utf-8")


if __name__ == "__main__":
    write_goldens()
