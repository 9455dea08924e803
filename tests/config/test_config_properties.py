"""Generated valid configurations load into the triggers they were generated from."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from triggersync.config import load, reader
from triggersync.engine.lock import LOCK_NAME
from triggersync.engine.model import Trigger

_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20)
# A name starting with the lock's is kept for the lock when disabled (docs/safety.md#the-lock).
_name = _text.filter(lambda s: s.strip() != "" and "$" not in s and not s.startswith(LOCK_NAME))
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


# -- the event-built data and PyYAML's own reading agree on what is not JSON ------------------

_KEYS = ["a", "b c", "'1'", '"x"', "1", "0x1", "1.5", ".inf", "null", "~", "true", "No"]
_KEYS += ["2001-12-14"]  # a timestamp: kept as the text written, a string
_VALUES = ["x", "1", "-2", "1.5", ".nan", "-.inf", "1.0e+999", "null", "true", "'t'", "2001-12-14"]


def _key_text(key: str) -> str:
    return key.strip("'\"")


_yaml_values = st.recursive(
    st.sampled_from(_VALUES),
    lambda inner: (
        st.lists(inner, max_size=3).map(lambda items: f"[{', '.join(items)}]")
        | st.lists(
            st.tuples(st.sampled_from(_KEYS), inner),
            max_size=3,
            unique_by=lambda kv: _key_text(kv[0]),
        ).map(lambda pairs: "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}")
    ),
    max_leaves=12,
)


def _not_json_places(node: yaml.Node, is_key: bool = False) -> list[tuple[int, int]]:
    """Where PyYAML's composer and its safe constructor see a key or a number that JSON has
    not: the independent reading the event-built loader must agree with."""
    place = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        out: list[tuple[int, int]] = []
        for key, value in node.value:
            out += _not_json_places(key, is_key=True) + _not_json_places(value)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [p for item in node.value for p in _not_json_places(item)]
    tag = node.tag.rsplit(":", 1)[-1]
    if is_key:
        return [] if tag in ("str", "timestamp") else [place]
    if tag == "float":
        value = yaml.constructor.SafeConstructor().construct_object(node)
        return [] if math.isfinite(value) else [place]
    return []


@settings(max_examples=200, deadline=None)
@given(_yaml_values)
def test_the_loader_finds_exactly_the_keys_and_numbers_pyyaml_reads_as_not_json(
    text: str,
) -> None:
    document = f"data: {text}\n"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.yaml"
        path.write_text(document, encoding="utf-8")
        loaded = reader.read(path)
    root = yaml.compose(document, Loader=yaml.SafeLoader)
    assert root is not None
    places = [(p.location.line, p.location.col) for p in loaded.problems if p.location]
    assert sorted(places) == sorted(_not_json_places(root))
