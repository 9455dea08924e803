"""Whatever the layout and whatever changed in Zendesk: after adopt, planning the files against
the live triggers finds nothing, and the triggers adopt did not touch keep their text."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from triggersync.config.adopt import adopt
from triggersync.config.files import load
from triggersync.engine.diff import make_plan
from triggersync.engine.model import Trigger, normalise

TEXT = st.sampled_from(["", "hi", "a: b", "#x", "two\nlines", "'q'", "Ünï", "${X}", "- dash"])
DEFINITION = st.builds(
    lambda event, tag: {"event": event, "condition": ["and"], "actions": [["addTag", tag]]},
    st.sampled_from(["page_enter", "chat_requested"]),
    st.sampled_from(["a", "b"]),
)


@st.composite
def triggers(draw: st.DrawFn) -> list[dict[str, Any]]:
    count = draw(st.integers(0, 5))
    out = []
    for index in range(count):
        item: dict[str, Any] = {"name": f"T{index}"}
        if draw(st.booleans()):
            item["description"] = draw(TEXT)
        if draw(st.booleans()):
            item["enabled"] = draw(st.booleans())
        if draw(st.booleans()):
            item["definition"] = draw(DEFINITION)
        out.append(item)
    return out


def scalar(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False).replace("${", "$${")


def written(items: list[dict[str, Any]], indent: int, flow_items: list[bool]) -> str:
    """A file in one of several layouts: block items at an indentation, some items in flow."""
    pad = " " * indent
    lines = ["# a comment that stays", "triggers:" if items else "triggers: []"]
    for item, flow in zip(items, flow_items, strict=False):
        if flow:
            body = ", ".join(f"{key}: {scalar(value)}" for key, value in item.items())
            lines.append(f"{pad}- {{{body}}}  # flow item")
            continue
        first = True
        for key, value in item.items():
            lead = f"{pad}- " if first else f"{pad}  "
            first = False
            if key == "definition":
                lines.append(f"{lead}definition:   # its definition")
                for sub, part in value.items():
                    lines.append(f"{pad}    {sub}: {scalar(part)}")
            else:
                lines.append(f"{lead}{key}: {scalar(value)}  # {key}")
        lines.append("")
    return "\n".join(lines) + "\n"


@st.composite
def live_from(draw: st.DrawFn, items: list[dict[str, Any]]) -> list[Trigger]:
    out = []
    for item in items:
        change = draw(st.sampled_from(["same", "description", "enabled", "definition", "gone"]))
        raw = {"description": "", "enabled": 1, **item}
        if change == "gone":
            continue
        if change == "description":
            raw["description"] = draw(TEXT)
        elif change == "enabled":
            raw["enabled"] = draw(st.booleans())
        elif change == "definition":
            raw["definition"] = draw(DEFINITION)
        out.append(normalise(raw))
    for extra in range(draw(st.integers(0, 2))):
        out.append(normalise({"name": f"New {extra}", "description": draw(TEXT)}))
    return out


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_after_adopt_plan_finds_nothing(data: st.DataObject) -> None:
    items = data.draw(triggers())
    flow = data.draw(st.lists(st.booleans(), min_size=len(items), max_size=len(items)))
    indent = data.draw(st.sampled_from([0, 2, 4]))
    now = data.draw(live_from(items))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.yaml"
        path.write_text(written(items, indent, flow), encoding="utf-8")
        result = adopt(load([str(path)]), now, paths=[str(path)], new_file=str(path))
        assert result.problems == ()
        for change in result.files:
            Path(change.path).write_text(change.after, encoding="utf-8")
        cfg = load([str(path)])
        plan = make_plan(cfg.triggers, now)
        assert plan.empty, (path.read_text(encoding="utf-8"), plan.changes)
        assert path.read_text(encoding="utf-8").startswith("# a comment that stays\n")
