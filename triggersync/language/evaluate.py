"""What fires for one visitor, decided locally as Zendesk's documentation describes it.

Conditions are read left to right: `and` needs all, `or` any, an empty `and`/`or` holds. A
condition that reads a variable the visitor leaves unset, or that the tool cannot evaluate (an
unknown operator, a pattern that does not compile, the wrong operands), is *unknown*, and unknown
follows three-valued logic: `true or unknown` holds, `false and unknown` does not, `not unknown`
is unknown. A trigger fires only when its condition holds. Value semantics are in values.py and
docs/language.md.

A definition is compiled once into closures (patterns compiled, values read), so deciding one
trigger for one visitor costs a few calls; why a trigger did not fire is worked out only when
asked.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from triggersync.errors import JsonPath, format_path
from triggersync.language import values
from triggersync.language.explain import condition_words, event_words
from triggersync.language.literals import MAX_WALK_DEPTH, bare, describe_literal, literal
from triggersync.language.values import Truth
from triggersync.language.vocabulary import OPERATORS, Kind, Operator, Shape

VisitorData = Mapping[str, Any]
Fired = Collection[str]
_Run = Callable[[VisitorData, Fired], Truth]
_Why = Callable[[VisitorData, Fired], str]


class EvaluationOutcome(Enum):
    FIRES = "fires"
    DOES_NOT_FIRE = "does not fire"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Reason:
    """A condition that decided (or could not be decided), and what the tool saw there."""

    path: JsonPath
    words: str
    why: str

    @property
    def where(self) -> str:
        return format_path(self.path)

    def __str__(self) -> str:
        return f"{self.where}: {self.words} ({self.why})"


@dataclass(frozen=True, eq=False)
class _Node:
    path: JsonPath
    source: Any
    shape: Shape | None  # ALL, ANY, NOT for the logic; None for a leaf
    children: tuple[_Node, ...]
    run: _Run
    why: _Why

    @property
    def words(self) -> str:
        return condition_words(self.source) if self.path != () else "no conditions"


_UNSET: Any = object()


class Verdict:
    """Whether one trigger fires for one visitor; `stopped_by` and `unknown` say why not.

    The reasons are worked out when first asked (from the visitor as it is then), so deciding
    many triggers stays cheap when only a few are asked why.
    """

    __slots__ = (
        "_fired_before",
        "_other_event",
        "_root",
        "_stopped_by",
        "_unknown",
        "_visitor",
        "outcome",
        "trigger",
    )

    def __init__(
        self,
        trigger: str,
        outcome: EvaluationOutcome,
        root: _Node,
        visitor: VisitorData,
        fired_before: Fired,
        other_event: Reason | None = None,
    ) -> None:
        self.trigger = trigger
        self.outcome = outcome
        self._root = root
        self._visitor = visitor
        self._fired_before = fired_before
        self._other_event = other_event
        self._stopped_by: Reason | None = _UNSET
        self._unknown: tuple[Reason, ...] = _UNSET

    @property
    def fired(self) -> bool:
        return self.outcome is EvaluationOutcome.FIRES

    @property
    def stopped_by(self) -> Reason | None:
        """The first condition that is false and so stopped the trigger (or its event)."""
        if self._stopped_by is _UNSET:
            if self._other_event is not None:
                self._stopped_by = self._other_event
            elif self.outcome is EvaluationOutcome.DOES_NOT_FIRE:
                node = _deciding(self._root, self._visitor, self._fired_before)
                self._stopped_by = self._reason(node)
            else:
                self._stopped_by = None
        return self._stopped_by

    @property
    def unknown(self) -> tuple[Reason, ...]:
        """The conditions the tool could not decide, that left the outcome unknown."""
        if self._unknown is _UNSET:
            nodes: list[_Node] = []
            if self.outcome is EvaluationOutcome.UNKNOWN:
                nodes = _undecided(self._root, self._visitor, self._fired_before)
            self._unknown = tuple(self._reason(node) for node in nodes)
        return self._unknown

    def _reason(self, node: _Node) -> Reason:
        return Reason(node.path, node.words, node.why(self._visitor, self._fired_before))

    def __str__(self) -> str:
        if self.fired:
            return f"{self.trigger}: fires"
        if self.stopped_by is not None:
            return f"{self.trigger}: does not fire: {self.stopped_by}"
        return f"{self.trigger}: unknown: " + "; ".join(str(reason) for reason in self.unknown)


_OUTCOMES = {
    True: EvaluationOutcome.FIRES,
    False: EvaluationOutcome.DOES_NOT_FIRE,
    None: EvaluationOutcome.UNKNOWN,
}


class CompiledTrigger:
    """One trigger's definition, compiled once, to decide for any number of visitors."""

    def __init__(self, name: str, definition: Any) -> None:
        self.name = name
        self.event: Any = definition.get("event") if isinstance(definition, dict) else None
        condition = definition.get("condition") if isinstance(definition, dict) else None
        if not isinstance(definition, dict):
            self._root = _unknown_leaf(("condition",), definition, "not a definition")
        else:
            self._root = _compile_top(condition, name)

    def run(self, event: str, visitor: VisitorData, fired_before: Fired = ()) -> Verdict:
        if self.event != event:
            why = f"the visitor's event is {literal(event)}"
            other = Reason(("event",), event_words(self.event), why)
            return Verdict(
                self.name, EvaluationOutcome.DOES_NOT_FIRE, self._root, visitor, fired_before, other
            )
        return self.decide(visitor, fired_before)

    def decide(self, visitor: VisitorData, fired_before: Fired = ()) -> Verdict:
        """The verdict for a visitor of this trigger's own event."""
        outcome = _OUTCOMES[self._root.run(visitor, fired_before)]
        return Verdict(self.name, outcome, self._root, visitor, fired_before)


class Rulebook:
    """Many triggers compiled once; a visitor is matched only against its event's triggers."""

    def __init__(self, triggers: Iterable[tuple[str, Any]]) -> None:
        self._by_event: dict[Any, list[CompiledTrigger]] = {}
        self._by_name: dict[str, CompiledTrigger] = {}
        self._runs: dict[Any, list[tuple[str, _Run]]] = {}  # what `firing` calls, per event
        for name, definition in triggers:
            compiled = CompiledTrigger(name, definition)
            if isinstance(compiled.event, str):
                self._by_event.setdefault(compiled.event, []).append(compiled)
                self._by_name.setdefault(name, compiled)
                self._runs.setdefault(compiled.event, []).append((name, compiled._root.run))

    def triggers(self, event: str) -> tuple[CompiledTrigger, ...]:
        return tuple(self._by_event.get(event, ()))

    def run(
        self, event: str, visitor: VisitorData, fired_before: Fired = ()
    ) -> tuple[Verdict, ...]:
        """A verdict for each trigger of `event`, in the order they were given."""
        fired = fired_before if isinstance(fired_before, (set, frozenset)) else set(fired_before)
        return tuple(trigger.decide(visitor, fired) for trigger in self._by_event.get(event, ()))

    def firing(self, event: str, visitor: VisitorData, fired_before: Fired = ()) -> list[str]:
        """The names of the triggers of `event` that fire, in order: `run` without a verdict
        for each, for callers that ask why only of a few (a test of many scenarios)."""
        fired = fired_before if isinstance(fired_before, (set, frozenset)) else set(fired_before)
        return [name for name, run in self._runs.get(event, ()) if run(visitor, fired) is True]

    def decide(
        self, name: str, event: str, visitor: VisitorData, fired_before: Fired = ()
    ) -> Verdict | None:
        """The verdict of the trigger `name` for a visitor of `event`; None when no trigger
        of that name runs on `event`."""
        trigger = self._by_name.get(name)
        if trigger is None or trigger.event != event:
            return None
        fired = fired_before if isinstance(fired_before, (set, frozenset)) else set(fired_before)
        return trigger.decide(visitor, fired)


def fires(
    trigger_name: str,
    definition: Any,
    event: str,
    visitor: VisitorData,
    fired_before: Fired = (),
) -> Verdict:
    """Whether the trigger `trigger_name` with `definition` fires for a visitor of `event`.

    `visitor` maps variable names without "@" (`visitor_country_code`) to values; a missing or
    null value is unset. `fired_before` names the triggers that already fired for this visitor.
    """
    return CompiledTrigger(trigger_name, definition).run(event, visitor, fired_before)


# Why the logic decided as it did: walked only when a verdict is asked for its reasons.


def _deciding(node: _Node, visitor: VisitorData, fired: Fired) -> _Node:
    """The condition that made a false `node` false: the first false one under an `and`."""
    if node.shape is Shape.ALL:
        for child in node.children:
            if child.run(visitor, fired) is False:
                return _deciding(child, visitor, fired)
    return node


def _undecided(node: _Node, visitor: VisitorData, fired: Fired) -> list[_Node]:
    """The unknown conditions under an unknown `node`, left to right."""
    if not node.children:
        return [node]
    found: list[_Node] = []
    for child in node.children:
        if child.run(visitor, fired) is None:
            found.extend(_undecided(child, visitor, fired))
    return found


# Compiling a condition into closures.


def _always(_visitor: VisitorData, _fired: Fired) -> Truth:
    return True


def _never_known(_visitor: VisitorData, _fired: Fired) -> Truth:
    return None


def _compile_top(condition: Any, trigger: str) -> _Node:
    if condition is None or condition == []:
        return _Node((), condition, Shape.ALL, (), _always, lambda v, f: "no conditions")
    return _compile(condition, ("condition",), trigger)


def _unknown_leaf(path: JsonPath, source: Any, why: str) -> _Node:
    return _Node(path, source, None, (), _never_known, lambda _v, _f: why)


def _compile(node: Any, path: JsonPath, trigger: str) -> _Node:
    if not isinstance(node, list):
        return _unknown_leaf(path, node, "not a condition (a list)")
    if not node:
        return _unknown_leaf(path, node, "an empty condition")
    head, operands = node[0], node[1:]
    if not isinstance(head, str):
        return _unknown_leaf(path, node, f"{describe_literal(head)} is not an operator")
    if len(path) > MAX_WALK_DEPTH:
        return _unknown_leaf(path, node, "nested too deep")
    known = OPERATORS.get(head)
    if known is None:
        return _unknown_leaf(path, node, f"the tool cannot evaluate {bare(head)}")
    if known.variadic:
        children = tuple(
            _compile(operand, (*path, index), trigger)
            for index, operand in enumerate(operands, start=1)
        )
        logic = _all_of if known.shape is Shape.ALL else _any_of
        return _Node(path, node, known.shape, children, logic(children), _group_why(known.shape))
    if len(operands) != len(known.operands):
        return _unknown_leaf(path, node, f"{head} takes {known.arity_text()}")
    if known.shape is Shape.NOT:
        child = _compile(operands[0], (*path, 1), trigger)
        return _Node(path, node, Shape.NOT, (child,), _not(child.run), _not_why)
    if known.shape is Shape.COMPARE:
        return _compile_comparison(known, node, path)
    if known.shape is Shape.FIRED_BEFORE:
        return _Node(path, node, None, (), _fired_before(trigger), _fired_why(trigger))
    return _compile_reading(known, node, path)  # DELAY, TAG


def _all_of(children: tuple[_Node, ...]) -> _Run:
    runs = tuple(child.run for child in children)

    def run(visitor: VisitorData, fired: Fired) -> Truth:
        unknown = False
        for each in runs:
            result = each(visitor, fired)
            if result is False:
                return False
            if result is None:
                unknown = True
        return None if unknown else True

    return run


def _any_of(children: tuple[_Node, ...]) -> _Run:
    if not children:  # an empty `or` holds, as an empty `and` does
        return _always
    runs = tuple(child.run for child in children)

    def run(visitor: VisitorData, fired: Fired) -> Truth:
        unknown = False
        for each in runs:
            result = each(visitor, fired)
            if result is True:
                return True
            if result is None:
                unknown = True
        return None if unknown else False

    return run


def _not(inner: _Run) -> _Run:
    def run(visitor: VisitorData, fired: Fired) -> Truth:
        result = inner(visitor, fired)
        return None if result is None else not result

    return run


def _group_why(shape: Shape) -> _Why:
    said = "none of these holds" if shape is Shape.ANY else "one of these does not hold"
    return lambda _v, _f: said


def _not_why(_visitor: VisitorData, _fired: Fired) -> str:
    return "the condition inside holds"


def _fired_before(trigger: str) -> _Run:
    return lambda _visitor, fired: trigger in fired


def _fired_why(trigger: str) -> _Why:
    def why(_visitor: VisitorData, fired: Fired) -> str:
        return f"{literal(trigger)} is {'' if trigger in fired else 'not '}in fired_before"

    return why


def _compile_comparison(known: Operator, node: list[Any], path: JsonPath) -> _Node:
    variable, value = node[1], node[2]
    if not isinstance(variable, str) or not variable.startswith("@"):
        return _unknown_leaf(path, node, f"{describe_literal(variable)} is not a variable")
    if value is None or isinstance(value, (list, dict)):
        unknown = f"the tool does not compare with {describe_literal(value)}"
        return _unknown_leaf(path, node, unknown)
    key = variable[1:]
    assert known.make_test is not None  # every comparison has one
    test = known.make_test(value)

    def run(visitor: VisitorData, _fired: Fired) -> Truth:
        actual = visitor.get(key)
        return None if actual is None else test(actual)

    def why(visitor: VisitorData, _fired: Fired) -> str:
        actual = visitor.get(key)
        if actual is None:
            return f"{key} is not set"
        seen = f"{key} is {literal(actual)}"
        if test(actual) is not None:
            return seen
        return f"{seen}; {_cannot_compare(known, value)}"

    return _Node(path, node, None, (), run, why)


def _cannot_compare(known: Operator, value: Any) -> str:
    """Why a comparison with a set variable came out unknown."""
    if known.name in ("regex", "iregex"):
        error = values.pattern_error(value, ignore_case=known.name == "iregex")
        if error is not None:
            return f"the pattern does not compile: {error}"
    if known.value_kind is Kind.NUMBER:
        return f"{known.name} compares numbers only"
    if known.value_kind is Kind.TEXT:
        return f"{known.name} compares text, numbers and true/false only"
    return f"{known.name} compares plain values only"


def _compile_reading(known: Operator, node: list[Any], path: JsonPath) -> _Node:
    """A delay or hasTag: an operand written in the definition, tested against what the
    visitor has in one known variable."""
    key = known.reads
    operand = node[1]
    assert known.make_test is not None  # every delay and tag test has one
    test = known.make_test(operand)  # it decides what an unset value means, too

    def run(visitor: VisitorData, _fired: Fired) -> Truth:
        return test(visitor.get(key))

    def why(visitor: VisitorData, _fired: Fired) -> str:
        actual = visitor.get(key)
        if actual is None:
            return f"{key} is not set"
        seen = f"{key} is {literal(actual)}"
        if test(actual) is not None:
            return seen
        if known.shape is Shape.DELAY and values.read_number(operand) is None:
            return f"{seen}; {known.name} takes a number of seconds"
        return f"{seen}; the tool cannot compare it"

    return _Node(path, node, None, (), run, why)
