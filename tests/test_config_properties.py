"""Generated valid configurations load into the triggers they were generated from."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from triggersync.config import load
from triggersync.model import Trigger

_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20)
_name = _text.filter(lambda s: s.strip() != "" and "${" not in s and "$" not in s)
_plain = _text.filter(lambda s: "$" not in s)
_definition = st.fixed_dictionaries(
    {
        "event": st.sampled_from(["page_enter", "chat_requested", "chat_message"]),
        "condition": st.tuples(st.just("eq"), st.just("@visitor_country_code"), _plain).map(list),
        "actions": st.lists(
            st.tuples(st.sampled_from(["addTag", "setDepartment"]), _plain).map(list),
            max_size=2,
        ),
    }
)
_trigger = st.fixed_dictionaries(
    {},
    optional={
        "description": _plain,
        "enabled": st.sampled_from([True, False, 0, 1]),
        "definition": _definition,
    },
)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(_name, _trigger), max_size=6, unique_by=lambda t: t[0]))
def test_generated_configuration_round_trips(pairs: list[tuple[str, dict[str, Any]]]) -> None:
    raw = [{"name": name, **fields} for name, fields in pairs]
    expected = [
        Trigger(
            name=t["name"],
            description=t.get("description", ""),
            enabled=int(t.get("enabled", 1)),
            definition=t.get("definition"),
        )
        for t in raw
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.yaml"
        path.write_text(yaml.safe_dump({"triggers": raw}, allow_unicode=True), encoding="utf-8")
        assert list(load([path]).triggers) == expected
