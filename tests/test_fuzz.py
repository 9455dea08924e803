"""Fuzzing where untrusted input enters: only the documented error may come out.

The loader turns any bytes into a Config or a ConfigError; plan-file parsing turns any
JSON value into a Plan or a PlanFileError. Anything else (a KeyError, a RecursionError, a
TypeError from a hash of a list...) is a bug that would reach the user as a traceback.
"""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triggersync.config import files as config
from triggersync.engine.model import Trigger
from triggersync.engine.plan import Plan
from triggersync.engine.planfile import plan_to_dict
from triggersync.errors import ConfigError, PlanFileError

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

YAML_BITS = [
    "triggers:", "ignore:", "- ", "name: ", "description: ", "enabled: ", "definition: ",
    "renamed_from: ", "id: ", "event: ", "condition: ", "actions: ", "&a ", "*a", "<<: ",
    "!!str ", "!!python/object:os.system ", "!!binary ", "[", "]", "{", "}", ", ", ": ", "\n",
    "  ", "\t", "'", '"', "#", "|", ">", "---\n", "...\n", "~", "true", "0", "1.5", "yes",
    "${X}", "$${X}", "\\", "\x00", "\x85", "\ufeff", "é", "🚀", "%YAML 1.1\n", "? ",
]  # fmt: skip
yamlish = st.lists(st.sampled_from(YAML_BITS), max_size=40).map("".join)


def load_bytes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_bytes(data)
        issues: tuple[Any, ...] = ()
        try:
            config.load([str(path)])
        except ConfigError as exc:
            issues = exc.problems or (None,)
        # An error always says where: in this file, and nowhere else.
        assert all(
            issue is not None and issue.location is not None and issue.location.file == str(path)
            for issue in issues
        )


@FUZZ
@given(st.binary(max_size=2000))
def test_the_loader_takes_any_bytes(data: bytes) -> None:
    load_bytes(data)


@FUZZ
@given(yamlish)
def test_the_loader_takes_any_yamlish_text(text: str) -> None:
    load_bytes(text.encode("utf-8", errors="surrogatepass"))


@FUZZ
@given(
    st.lists(
        st.fixed_dictionaries(
            {"name": st.text(max_size=20)},
            optional={
                "description": st.one_of(st.text(max_size=10), st.integers(), st.none()),
                "enabled": st.one_of(st.booleans(), st.integers(-1, 2), st.text(max_size=3)),
                "definition": st.recursive(
                    st.one_of(st.none(), st.integers(), st.text(max_size=5)),
                    lambda inner: (
                        st.lists(inner, max_size=3)
                        | st.dictionaries(st.text(max_size=5), inner, max_size=3)
                    ),
                    max_leaves=8,
                ),
                "renamed_from": st.one_of(st.text(max_size=10), st.integers()),
                "id": st.integers(),
            },
        ),
        max_size=4,
    )
)
def test_the_loader_takes_any_trigger_list(triggers: list[dict[str, Any]]) -> None:
    load_bytes(json.dumps({"triggers": triggers}).encode())  # JSON is YAML


json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-3, 3),
        st.floats(allow_nan=False),
        st.text(max_size=8),
        st.sampled_from(["create", "update", "delete", "replace", "a" * 64, "0" * 64]),
    ),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)


def parse_plan(data: Any) -> None:
    message = "plan file: "
    try:
        plan_to_dict(Plan.from_dict(data))  # a Plan that parses also writes back
    except PlanFileError as exc:
        message = str(exc)
    assert message.startswith("plan file: ")


@FUZZ
@given(json_values)
def test_plan_parsing_takes_any_json_value(data: Any) -> None:
    parse_plan(data)


def valid_plan_document() -> dict[str, Any]:
    live = [Trigger("Old", "gone"), Trigger("Kept", "old")]
    from triggersync.engine.diff import make_plan

    desired = config_triggers()
    plan = make_plan(desired, live, prune=True, base_url="x")
    return plan_to_dict(plan)


def config_triggers() -> tuple[Any, ...]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.yaml"
        path.write_text(
            "triggers:\n  - name: Kept\n    description: new\n  - name: New\n", encoding="utf-8"
        )
        return config.load([str(path)]).triggers


VALID = valid_plan_document()


def paths_of(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out += paths_of(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += paths_of(item, (*prefix, index))
    return out


PATHS = paths_of(VALID)[1:]


@FUZZ
@given(st.sampled_from(PATHS), json_values)
def test_plan_parsing_takes_any_single_edit_of_a_real_plan(
    path: tuple[Any, ...], replacement: Any
) -> None:
    document = copy.deepcopy(VALID)
    target = document
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = replacement
    parse_plan(document)


@FUZZ
@given(st.sampled_from(PATHS))
def test_plan_parsing_takes_any_single_deletion_from_a_real_plan(path: tuple[Any, ...]) -> None:
    document = copy.deepcopy(VALID)
    target = document
    for part in path[:-1]:
        target = target[part]
    del target[path[-1]]
    parse_plan(document)


def test_the_real_plan_parses() -> None:
    assert Plan.from_dict(copy.deepcopy(VALID)).summary == {"create": 1, "update": 1, "delete": 1}
