"""Fuzzing the saved plan, where an untrusted file enters: plan-file parsing turns any JSON
value into a Plan or a PlanFileError. Anything else (a KeyError, a RecursionError, a TypeError
from a hash of a list...) is a bug that would reach the user as a traceback.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triggersync.engine.diff import make_plan
from triggersync.engine.model import Trigger
from triggersync.engine.planfile import plan_from_dict, plan_to_dict
from triggersync.errors import PlanFileError

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

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
        plan_to_dict(plan_from_dict(data))  # a Plan that parses also writes back
    except PlanFileError as exc:
        message = str(exc)
    assert message.startswith("plan file: ")


@FUZZ
@given(json_values)
def test_plan_parsing_takes_any_json_value(data: Any) -> None:
    parse_plan(data)


def valid_plan_document() -> dict[str, Any]:
    live = [Trigger("Old", "gone"), Trigger("Kept", "old")]
    desired = [Trigger("Kept", "new"), Trigger("New")]
    return plan_to_dict(make_plan(desired, live, prune=True, base_url="x"))


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
    assert plan_from_dict(copy.deepcopy(VALID)).summary == {"create": 1, "update": 1, "delete": 1}
