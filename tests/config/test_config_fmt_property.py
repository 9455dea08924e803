"""fmt never changes what a configuration declares, and a second run changes nothing more.

Configurations are generated, written by PyYAML in random styles, with comments put at the
end of and between random lines; then loaded before and after `fmt`'s layout.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triggersync.config import files as config
from triggersync.engine.canonical import canonical_text
from triggersync.errors import TriggersyncError

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that YAML reads in more than one way, or that must stay quoted: numbers, booleans,
# references, flow indicators, comment signs, quotes, non-ASCII.
WORDS = st.sampled_from(
    ["US", "1", "1.5", "true", "no", "null", "${X}", "$${X}", "a, b", "[x]", "{y}", "a #b",
     "#c", "'q'", '"d"', "@visitor_country_code", "Café", "- x", ": y", "", " pad "]
)  # fmt: skip
TEXT = st.one_of(WORDS, st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"])))
LEAF = st.one_of(TEXT, st.integers(-5, 5000), st.booleans(), st.none())
CONDITION = st.recursive(
    st.lists(LEAF, max_size=4).map(lambda xs: ["eq", *xs]),
    lambda inner: st.lists(inner, min_size=1, max_size=4).map(lambda xs: ["and", *xs]),
    max_leaves=12,
)
ACTION = st.lists(LEAF, max_size=4).map(lambda xs: ["addTag", *xs])


@st.composite
def triggers(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(TEXT.filter(lambda t: t.strip() != ""), min_size=1, unique=True))
    items = []
    for name in names[:5]:
        item: dict[str, Any] = {"name": name}
        if draw(st.booleans()):
            item["description"] = draw(TEXT)
        if draw(st.booleans()):
            item["enabled"] = draw(st.sampled_from([True, False, 0, 1]))
        if draw(st.booleans()):
            item["definition"] = {
                "event": draw(st.sampled_from(["page_enter", "chat_requested"])),
                "condition": draw(CONDITION),
                "actions": draw(st.lists(ACTION, max_size=3)),
            }
        keys = draw(st.permutations(list(item)))
        items.append({key: item[key] for key in keys})
    return {"triggers": items}


@st.composite
def written(draw: st.DrawFn) -> str:
    """A configuration as someone might have written it: any style, comments anywhere."""
    data = draw(triggers())
    text = yaml.safe_dump(
        data,
        sort_keys=False,
        allow_unicode=draw(st.booleans()),
        default_flow_style=draw(st.sampled_from([False, None])),
        indent=draw(st.sampled_from([2, 4])),
        width=float("inf"),
    )
    lines = text.splitlines()
    out = []
    for line in lines:
        if draw(st.integers(0, 5)) == 0:
            indent = len(line) - len(line.lstrip())
            out.append(" " * indent + "# above")
        out.append(line + ("  # after" if draw(st.integers(0, 4)) == 0 else ""))
    return "\n".join(out) + "\n"


def loaded(text: str, folder: Path, name: str) -> Any:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    try:
        cfg = config.load([str(path)])
    except TriggersyncError as exc:
        # The same errors, at their new places.
        messages = [problem.message for problem in getattr(exc, "problems", ())] or [str(exc)]
        return sorted(re.sub(r"\S+\.yaml:\d+:\d+", "<place>", m) for m in messages)
    return [(t.name, t.description, t.enabled, t.definition, t.renamed_from) for t in cfg.triggers]


@PROPERTY
@given(written())
def test_fmt_changes_neither_the_triggers_nor_itself(text: str) -> None:
    out = canonical_text(text)
    with tempfile.TemporaryDirectory() as folder:
        assert loaded(out, Path(folder), "after.yaml") == loaded(text, Path(folder), "before.yaml")
    assert canonical_text(out) == out
    assert out.count("# above") == text.count("# above")
    assert out.count("# after") == text.count("# after")


YAML_BITS = [
    "triggers:", "ignore:", "- ", "name: ", "description: ", "definition: ", "condition: ",
    "actions: ", "&a ", "*a", "<<: ", "!!str ", "[", "]", "{", "}", ", ", ": ", "\n", "  ",
    "'", '"', "#", " # c", "|", ">", "---\n", "~", "true", "0", "${X}", "é", "? ", "x",
]  # fmt: skip


@PROPERTY
@given(st.lists(st.sampled_from(YAML_BITS), max_size=40).map("".join))
def test_any_yaml_is_laid_out_with_the_same_values_or_refused(text: str) -> None:
    try:
        before = yaml.safe_load(text)
    except yaml.YAMLError:
        return
    try:
        out = canonical_text(text)
    except TriggersyncError:
        return  # refused with a message, never changed
    except yaml.YAMLError:
        # LibYAML, which the tool reads with, refuses a few texts pure-Python PyYAML takes
        # (`[triggers:]`): fmt reports them as YAML errors, as every command does.
        return
    assert yaml.safe_load(out) == before
    assert canonical_text(out) == out
