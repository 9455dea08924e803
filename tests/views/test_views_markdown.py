"""Plan and drift as markdown for pull-request comments: summary first, marker last, the
GitHub diff colours, folding, fences, and cutting to the size GitHub accepts."""

from __future__ import annotations

import pytest
from plan_samples import creates, documented_plan, full_plan

from triggersync.engine.diff import make_plan
from triggersync.engine.model import Trigger
from triggersync.engine.plan import Plan
from triggersync.views.markdown import (
    DRIFT_MARKER,
    FOLD_THRESHOLD,
    PLAN_MARKER,
    WARNING,
    render_drift_markdown,
    render_markdown,
    truncate_markdown,
)


def test_markdown_starts_with_the_summary_and_ends_with_the_marker() -> None:
    lines = render_markdown(documented_plan()).splitlines()
    assert (lines[0], lines[-1]) == (
        "**Plan: 1 to create, 1 to update, 1 to delete.**",
        PLAN_MARKER,
    )


@pytest.mark.parametrize(
    ("desired", "live", "warned"),
    [
        ([Trigger("A")], [Trigger("A"), Trigger("B")], True),
        ([Trigger("A", definition={"event": "x"})], [Trigger("A")], True),
        ([Trigger("A", "x"), Trigger("B")], [Trigger("A")], False),
    ],
    ids=["delete", "replace", "update-and-create"],
)
def test_markdown_warns_when_deleting_or_replacing(
    desired: list[Trigger], live: list[Trigger], warned: bool
) -> None:
    assert (WARNING in render_markdown(make_plan(desired, live))) is warned


@pytest.mark.parametrize(
    ("render", "empty"),
    [
        (render_markdown, f"**No changes.**\n\n{PLAN_MARKER}\n"),
        (render_drift_markdown, f"**No drift.**\n\n{DRIFT_MARKER}\n"),
    ],
    ids=["plan", "drift"],
)
def test_an_empty_report_is_its_summary_and_marker(render: object, empty: str) -> None:
    assert render(Plan(())) == empty  # type: ignore[operator]


@pytest.mark.parametrize(("count", "folded"), [(FOLD_THRESHOLD, False), (FOLD_THRESHOLD + 1, True)])
def test_markdown_folds_only_beyond_the_threshold(count: int, folded: bool) -> None:
    details = f"<details><summary>Show {count} changes</summary>"
    assert (details in render_markdown(creates(count))) is folded


def test_markdown_marks_an_update_orange_and_reads_a_rename_and_enabled_in_words() -> None:
    text = render_markdown(full_plan())
    assert '! update "Cafe greeting" (renamed "Cafe greeting" to "Café greeting")\n' in text
    assert "-    enabled: true\n+    enabled: false\n" in text


def test_drift_markdown_puts_the_code_first_and_zendesk_second() -> None:
    text = render_drift_markdown(full_plan())
    assert "-    enabled: false (code)\n+    enabled: true (Zendesk)\n" in text


def test_markdown_fence_outlasts_backticks_in_values() -> None:
    plan = make_plan([Trigger("A", "run ```rm```")], [Trigger("A")])
    assert "\n````diff\n" in render_markdown(plan)
    assert render_markdown(plan).endswith(f"\n````\n\n{PLAN_MARKER}\n")


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


def _balanced(markdown: str) -> bool:
    """Every code fence closed by its own fence, every <details> closed outside any fence."""
    fence: str | None = None
    depth = 0
    for line in markdown.split("\n"):
        if fence is not None:
            fence = None if line == fence else fence
        elif line.startswith("```"):
            fence = line[: len(line) - len(line.lstrip("`"))]
        elif line.startswith("<details>"):
            depth += 1
        elif line == "</details>":
            depth -= 1
            if depth < 0:
                return False
    return fence is None and depth == 0


def words_plan(count: int) -> Plan:
    definition = {
        "event": "chat_requested",
        "condition": ["and", ["eq", "@visitor_country_code", "US"], ["stillOnPage", 10]],
        "actions": [["sendMessageToVisitor", "Agent", "Hello ```"], ["addTag", "pricing"]],
    }
    return make_plan([Trigger(f"T{i:03}", definition=definition) for i in range(count)], [])


@pytest.mark.parametrize("limit", range(1000, 4000, 53))
def test_truncating_definitions_in_words_closes_every_block_it_cuts(limit: int) -> None:
    markdown = render_markdown(words_plan(FOLD_THRESHOLD + 5))
    assert len(markdown) > 4000
    assert _balanced(markdown)
    cut = truncate_markdown(markdown, limit)
    assert len(cut) <= limit
    assert _balanced(cut)
    assert cut.endswith(f"\n{PLAN_MARKER}\n")
    assert "plan truncated:" in cut


def test_truncating_keeps_whole_sentences_of_words() -> None:
    markdown = render_markdown(words_plan(40))
    original = set(markdown.split("\n"))
    cut = truncate_markdown(markdown, 3000).split("\n")
    words = [line for line in cut if "will do:" in line]
    assert words
    assert set(words) <= original
