"""Properties over any JSON-like definition: checks and words never raise, phrases are one line,
and evaluation always gives a verdict."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triggersync.language import (
    EVENTS,
    OPERATORS,
    TRIGGER_ACTIONS,
    VARIABLES,
    EvaluationOutcome,
    Severity,
    check_definition,
    explain_lines,
    explain_sentence,
    fires,
)

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that tries to break a line or hide: every kind of line break and invisible character.
awkward_text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(["\n", "\r", "\x85", "\u2028", "\u2029", "\x0b", "\x0c", "\x1c", "\u202e"]),
        st.sampled_from(['"', "\\", "\udc80"]),
    ),
    max_size=12,
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    awkward_text,
)
json_like = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(awkward_text, inner, max_size=4)
    ),
    max_leaves=25,
)

# Definitions that look like real ones, with the vocabulary's names mixed into the noise.
names = st.one_of(
    st.sampled_from(sorted(OPERATORS)), st.sampled_from(sorted(TRIGGER_ACTIONS)), awkward_text
)
variables = st.one_of(st.sampled_from(sorted(VARIABLES)), awkward_text)
conditions = st.recursive(
    st.one_of(
        st.tuples(names, variables, scalars).map(list),
        st.tuples(names, scalars).map(list),
        st.just(["firedBefore"]),
    ),
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(["and", "or", "not"]), st.lists(inner, max_size=3)).map(
            lambda pair: [pair[0], *pair[1]]
        ),
        st.lists(inner, max_size=3),
    ),
    max_leaves=12,
)
actions = st.lists(
    st.one_of(st.tuples(names, scalars, scalars).map(list), st.tuples(names).map(list), json_like),
    max_size=3,
)
definitions = st.one_of(
    json_like,
    st.fixed_dictionaries(
        {
            "event": st.one_of(st.sampled_from(sorted(EVENTS)), scalars),
            "condition": st.one_of(conditions, json_like),
            "actions": st.one_of(actions, json_like),
        }
    ),
)
visitors = st.dictionaries(
    st.one_of(st.sampled_from([v[1:] for v in VARIABLES]), st.text(max_size=5)),
    json_like,
    max_size=6,
)


def _one_line(text: str) -> bool:
    return isinstance(text, str) and len(text.splitlines()) == 1


@PROPERTY
@given(definitions)
def test_check_never_raises_and_every_problem_has_a_place(definition: Any) -> None:
    for problem in check_definition(definition):
        assert problem.severity in (Severity.ERROR, Severity.WARNING)
        assert _one_line(problem.message)


@PROPERTY
@given(definitions)
def test_explain_never_raises_and_is_one_line(definition: Any) -> None:
    assert _one_line(explain_sentence(definition))


@PROPERTY
@given(definitions)
def test_every_line_of_the_multi_line_form_is_one_line(definition: Any) -> None:
    assert all(_one_line(line.text) for line in explain_lines(definition))


@PROPERTY
@given(definitions, visitors, st.lists(awkward_text, max_size=3))
def test_evaluation_always_gives_a_verdict_with_its_reasons(
    definition: Any, visitor: dict[str, Any], fired_before: list[str]
) -> None:
    verdict = fires("T", definition, "page_enter", visitor, fired_before)
    if verdict.outcome is EvaluationOutcome.DOES_NOT_FIRE:
        assert verdict.stopped_by is not None
        assert _one_line(str(verdict.stopped_by))
    elif verdict.outcome is EvaluationOutcome.UNKNOWN:
        assert verdict.unknown
        assert all(_one_line(str(reason)) for reason in verdict.unknown)


def test_deep_nesting_is_read_without_recursion_errors() -> None:
    condition: Any = ["eq", "@visitor_city", "Oslo"]
    for _ in range(5000):
        condition = ["and", condition]
    definition = {"event": "page_enter", "condition": condition, "actions": []}
    results = (
        [p.severity for p in check_definition(definition)],
        _one_line(explain_sentence(definition)),
        fires("T", definition, "page_enter", {"visitor_city": "Oslo"}).outcome,
    )
    assert results == ([Severity.WARNING, Severity.WARNING], True, EvaluationOutcome.UNKNOWN)
