"""Untrusted text in text and markdown views: names, field paths and reasons are escaped, so
nothing in them hides text, forges a line or reads as a workflow command."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

import pytest
from plan_samples import hostile_replace, warned_plan

from triggersync.engine.diff import make_plan
from triggersync.engine.model import Trigger
from triggersync.engine.plan import Change, Plan
from triggersync.errors import Location
from triggersync.views.markdown import render_drift_markdown, render_markdown
from triggersync.views.text import render_drift_text, render_text

HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]")


def test_text_escapes_a_hidden_character_in_a_name() -> None:
    plan = Plan((Change("delete", "A\u200b", {"name": "A\u200b"}, None),), {}, (), None)
    assert '  - delete "A\\u200b"\n' in render_text(plan)


@pytest.mark.parametrize(
    "render", [render_text, render_markdown, render_drift_text, render_drift_markdown]
)
def test_names_that_differ_only_in_unicode_composition_look_different(
    render: Callable[[Plan], str],
) -> None:
    composed, decomposed = "Caf\u00e9", "Cafe\u0301"
    plan = Plan(
        (
            Change("delete", composed, {"name": composed}, None),
            Change("delete", decomposed, {"name": decomposed}, None),
        ),
        {},
        (),
        None,
    )
    out = render(plan)
    assert "Caf\u00e9" in out
    assert "Cafe\\u0301" in out


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


@pytest.mark.parametrize(
    "render", [render_text, render_markdown, render_drift_text, render_drift_markdown]
)
def test_a_rename_escapes_both_names(render: Callable[[Plan], str]) -> None:
    before = {"name": "A\u202e", "description": "", "enabled": 1}
    change = Change("update", "A\u202e", before, {**before, "name": "B\n::x::"})
    out = render(Plan((change,)))
    assert 'renamed "A\\u202e" to "B\\n::x::"' in out
    assert not HIDDEN.search(out.replace("\n", ""))


@pytest.mark.parametrize(
    "render", [render_text, render_markdown, render_drift_text, render_drift_markdown]
)
def test_definitions_in_words_are_escaped(render: Callable[[Plan], str]) -> None:
    def definition(message: str) -> dict[str, object]:
        return {"event": "page_enter", "actions": [["sendMessageToVisitor", "A", message]]}

    live = [Trigger("R", definition=definition("##[add-mask]x\u2028::error::y"))]
    out = render(make_plan([Trigger("R", definition=definition("new"))], live))
    assert 'send "##\\u005badd-mask]x\\u2028::error::y" as "A"' in out
    assert "##[" not in out
    assert not HIDDEN.search(out.replace("\n", ""))


def test_a_warning_from_a_file_named_like_a_workflow_command_is_inert_in_markdown() -> None:
    # The markdown plan is printed in the CI log too: a warnings line starting with the file
    # name `::error::x.yaml` would be read there as an error command.
    plan = warned_plan()
    moved = replace(plan.warnings[0], location=Location("::error::x.yaml", 6, 22))
    rendered = render_markdown(replace(plan, warnings=(moved,)))
    assert "\n\\u003a:error::x.yaml:6:22: TS103 unknown-operator: " in rendered
    assert not re.search(r"(?m)^\s*::", rendered)
