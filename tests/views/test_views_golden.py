"""Every rendering of a plan with one change of each kind, against its committed golden file.

After an intended change of output, regenerate them and review the diff:

    .venv/bin/python tests/views/test_views_golden.py
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from plan_samples import full_plan, large_plan, replacement_plan, warned_plan

from triggersync.views.json import render_json
from triggersync.views.markdown import render_drift_markdown, render_markdown
from triggersync.views.text import render_drift_text, render_text

GOLDEN = Path(__file__).resolve().parent.parent / "golden"

RENDERINGS: dict[str, Callable[[], str]] = {
    "plan.txt": lambda: render_text(full_plan()),
    "plan_color.txt": lambda: render_text(full_plan(), color=True),
    "plan.md": lambda: render_markdown(full_plan()),
    "plan_large.md": lambda: render_markdown(large_plan()),
    "plan.json": lambda: render_json(full_plan()),
    "plan_warnings.md": lambda: render_markdown(warned_plan()),
    "plan_warnings.json": lambda: render_json(warned_plan()),
    "plan_no_changes_warnings.md": lambda: render_markdown(replace(warned_plan(), changes=())),
    "plan_replace.txt": lambda: render_text(replacement_plan()),
    "plan_replace.md": lambda: render_markdown(replacement_plan()),
    "drift_replace.txt": lambda: render_drift_text(replacement_plan()),
    "drift_replace.md": lambda: render_drift_markdown(replacement_plan()),
    "drift.txt": lambda: render_drift_text(full_plan()),
    "drift_color.txt": lambda: render_drift_text(full_plan(), color=True),
    "drift.md": lambda: render_drift_markdown(full_plan()),
}


@pytest.mark.parametrize("name", sorted(RENDERINGS))
def test_matches_golden_file(name: str) -> None:
    assert RENDERINGS[name]() == (GOLDEN / name).read_text(encoding="utf-8")


def write_goldens() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for name, render in RENDERINGS.items():
        (GOLDEN / name).write_text(render(), encoding="utf-8")


if __name__ == "__main__":
    write_goldens()
