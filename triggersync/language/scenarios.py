"""Scenarios: what fires for one visitor, and whether that is what a scenario expects.

A scenario names an event, what is known of the visitor (variables without "@"), the triggers
that already fired for them, and what should happen: `fires` (exactly these fire) and/or
`does_not_fire`. `Suite` decides every enabled trigger of the event with the evaluator
(evaluate.py) and says, in words, which trigger broke an expectation and the condition that
decided it. docs/scenarios.md describes the format and the model; everything here is pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from triggersync.errors import JsonPath
from triggersync.language import values
from triggersync.language.evaluate import (
    EvaluationOutcome,
    Reason,
    Rulebook,
    Verdict,
    VisitorData,
    fires,
)
from triggersync.language.explain import action_words, condition_words
from triggersync.language.literals import MAX_WALK_DEPTH, literal
from triggersync.language.vocabulary import OPERATORS, TRIGGER_ACTIONS, VARIABLES, Kind, Shape

NAMED_AT_MOST = 4  # triggers named in one warning; the rest are counted


@dataclass(frozen=True)
class Scenario:
    name: str
    event: str
    visitor: VisitorData = field(default_factory=dict)  # keys without "@"; None or missing: unset
    fired_before: tuple[str, ...] = ()
    fires: tuple[str, ...] | None = None  # exactly these fire, when given
    does_not_fire: tuple[str, ...] = ()


@dataclass(frozen=True)
class TriggerSpec:
    """What the evaluator needs of a declared (or live) trigger."""

    name: str
    enabled: bool
    definition: Any  # None: the trigger has no definition here


@dataclass(frozen=True)
class Decided:
    """One enabled trigger of the event, decided for the visitor, with its reasons in words."""

    name: str
    outcome: EvaluationOutcome
    why: str  # what made it fire, stopped it, or left it undecided
    actions: tuple[str, ...]  # its actions in words

    @property
    def fired(self) -> bool:
        return self.outcome is EvaluationOutcome.FIRES


@dataclass(frozen=True)
class Simulation:
    event: str
    decided: tuple[Decided, ...]  # every enabled trigger of the event, in configuration order
    messages: tuple[str, ...]  # the triggers that fire and send the visitor a message

    @property
    def fired(self) -> tuple[Decided, ...]:
        return tuple(entry for entry in self.decided if entry.fired)

    @property
    def undecided(self) -> tuple[Decided, ...]:
        return tuple(entry for entry in self.decided if entry.outcome is EvaluationOutcome.UNKNOWN)


@dataclass(frozen=True)
class ScenarioResult:
    scenario: Scenario
    fired: tuple[str, ...]  # the enabled triggers of the event that fire, in configuration order
    failures: tuple[str, ...]  # one phrase per broken expectation, naming its trigger
    messages: tuple[str, ...]  # the triggers that fire and send the visitor a message

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def why(self) -> str:
        return "; ".join(self.failures)


class Suite:
    """The triggers of a configuration, compiled once, to run any number of scenarios."""

    def __init__(self, triggers: Iterable[TriggerSpec]) -> None:
        self._triggers: dict[str, TriggerSpec] = {}
        for trigger in triggers:
            self._triggers.setdefault(trigger.name, trigger)
        self._rulebook = Rulebook(
            (trigger.name, trigger.definition)
            for trigger in self._triggers.values()
            if trigger.enabled and isinstance(trigger.definition, dict)
        )
        self._messaging = frozenset(
            name for name, trigger in self._triggers.items() if messages_visitor(trigger.definition)
        )

    def simulate(
        self, event: str, visitor: VisitorData, fired_before: Sequence[str] = ()
    ) -> Simulation:
        verdicts = self._rulebook.run(event, visitor, fired_before)
        decided = tuple(self._decided(verdict, visitor, fired_before) for verdict in verdicts)
        fired = [entry.name for entry in decided if entry.fired]
        return Simulation(event, decided, tuple(n for n in fired if n in self._messaging))

    def run(self, scenario: Scenario) -> ScenarioResult:
        event, visitor = scenario.event, scenario.visitor
        fired_before = frozenset(scenario.fired_before)
        fired = tuple(self._rulebook.firing(event, visitor, fired_before))
        failures: list[str] = []
        expected = scenario.fires or ()
        for name in dict.fromkeys(expected):
            if name not in fired:
                verdict = self._rulebook.decide(name, event, visitor, fired_before)
                failures.append(self._not_fired(name, verdict, scenario))
        unwanted = [n for n in fired if n in scenario.does_not_fire]
        if scenario.fires is not None:
            unwanted += [n for n in fired if n not in expected and n not in unwanted]
        for name in [n for n in fired if n in unwanted]:  # in configuration order
            held = held_words(name, self._triggers[name].definition, scenario)
            failures.append(f"{literal(name)} fired, expected not to: {held}")
        messages = tuple(name for name in fired if name in self._messaging)
        return ScenarioResult(scenario, fired, tuple(failures), messages)

    def _not_fired(self, name: str, verdict: Verdict | None, scenario: Scenario) -> str:
        said = f"{literal(name)} did not fire"
        trigger = self._triggers.get(name)
        if trigger is None:
            return f"{said}: no trigger has that name"
        if not isinstance(trigger.definition, dict):
            return f"{said}: it has no definition here, so the tool cannot tell when it fires"
        if not trigger.enabled:
            return f"{said}: it is disabled"
        if verdict is None:
            event = trigger.definition.get("event")
            return f"{said}: it runs on {literal(event)}, not {literal(scenario.event)}"
        why = why_not(verdict, trigger.definition, scenario.visitor, scenario.fired_before)
        return f"{said}: {why}"

    def _decided(
        self, verdict: Verdict, visitor: VisitorData, fired_before: Sequence[str]
    ) -> Decided:
        definition = self._triggers[verdict.trigger].definition
        if verdict.fired:
            event = definition.get("event")
            scenario = Scenario("", event, visitor, tuple(fired_before))
            why = held_words(verdict.trigger, definition, scenario)
        else:
            why = why_not(verdict, definition, visitor, fired_before)
        actions = definition.get("actions")
        words = tuple(action_words(a) for a in actions) if isinstance(actions, list) else ()
        return Decided(verdict.trigger, verdict.outcome, why, words)


def why_not(
    verdict: Verdict, definition: Any, visitor: VisitorData, fired_before: Sequence[str] = ()
) -> str:
    """Why a trigger of the visitor's event did not fire: the first condition that did not
    hold and what the visitor has there, or every condition that could not be decided."""
    stopped = verdict.stopped_by
    if stopped is not None:
        seen = _seen_at(stopped, definition, verdict.trigger, visitor, fired_before)
        return f"{stopped.words} did not hold ({seen})"
    by_why: dict[str, list[str]] = {}
    for reason in verdict.unknown:
        by_why.setdefault(reason.why, []).append(reason.words)
    return " and ".join(
        f"{_listed(words)} {'is' if len(words) == 1 else 'are'} unknown ({why})"
        for why, words in by_why.items()
    )


def _listed(items: Sequence[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" and {items[-1]}"


def held_words(name: str, definition: Any, scenario: Scenario) -> str:
    """What made a trigger fire: each condition that held (every one under an `and`, the
    first that holds under an `or`)."""
    condition = definition.get("condition") if isinstance(definition, dict) else None
    held = list(_held(name, condition, scenario, 0))
    if not held:
        return "it has no conditions"
    return " and ".join(f"{words} held" for words in held)


def _held(name: str, node: Any, scenario: Scenario, depth: int) -> Iterator[str]:
    known = _operator(node)
    if known is not None and known.variadic and depth < MAX_WALK_DEPTH:
        children = node[1:]
        if known.shape is Shape.ALL:
            for child in children:
                yield from _held(name, child, scenario, depth + 1)
            return
        for child in children:
            if _holds(name, child, scenario):
                yield from _held(name, child, scenario, depth + 1)
                return
        return  # an empty `or` holds: no condition to name
    if node is not None and node != []:
        yield condition_words(node)


def _holds(name: str, condition: Any, scenario: Scenario) -> bool:
    definition = {"event": scenario.event, "condition": condition}
    verdict = fires(name, definition, scenario.event, scenario.visitor, scenario.fired_before)
    return verdict.fired


def _operator(node: Any) -> Any:
    if isinstance(node, list) and node and isinstance(node[0], str):
        return OPERATORS.get(node[0])
    return None


def _seen_at(
    reason: Reason, definition: Any, trigger: str, visitor: VisitorData, fired_before: Sequence[str]
) -> str:
    """What the visitor has where `reason` stopped a trigger: the evaluator's own words for
    one comparison; for a group (`or`, `not`) the values of every variable it reads."""
    node = _node_at(definition, reason.path)
    known = _operator(node)
    if known is None or known.shape not in (Shape.ALL, Shape.ANY, Shape.NOT):
        return reason.why
    seen = list(dict.fromkeys(_readings(node, visitor, fired_before, trigger, 0)))
    return "; ".join(seen) if seen else reason.why


def _node_at(definition: Any, path: JsonPath) -> Any:
    node: Any = definition
    for part in path:
        if isinstance(part, str) and isinstance(node, dict):
            node = node.get(part)
        elif isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
            node = node[part]
        else:
            return None
    return node


def _readings(
    node: Any, visitor: VisitorData, fired_before: Sequence[str], trigger: str, depth: int
) -> Iterator[str]:
    known = _operator(node)
    if known is None or depth > MAX_WALK_DEPTH:
        return
    if known.shape in (Shape.ALL, Shape.ANY, Shape.NOT):
        for child in node[1:]:
            yield from _readings(child, visitor, fired_before, trigger, depth + 1)
    elif known.shape is Shape.FIRED_BEFORE:
        said = "is" if trigger in fired_before else "is not"
        yield f"{literal(trigger)} {said} in fired_before"
    elif known.shape is Shape.COMPARE and len(node) == 3 and isinstance(node[1], str):
        yield _reading(node[1].removeprefix("@"), visitor)
    elif known.reads:
        yield _reading(known.reads, visitor)


def _reading(key: str, visitor: VisitorData) -> str:
    value = visitor.get(key)
    return f"{key} is not set" if value is None else f"{key} is {literal(value)}"


# What a trigger does and reads.


def messages_visitor(definition: Any) -> bool:
    """Whether the definition's actions send the visitor a chat message."""
    actions = definition.get("actions") if isinstance(definition, dict) else None
    if not isinstance(actions, list):
        return False
    for action in actions:
        if isinstance(action, list) and action and isinstance(action[0], str):
            known = TRIGGER_ACTIONS.get(action[0])
            if known is not None and known.messages_visitor:
                return True
    return False


def two_messages(result: ScenarioResult | Simulation) -> str | None:
    """The warning for a visitor who gets more than one message at once, or None."""
    names = result.messages
    if len(names) < 2:
        return None
    shown = [literal(name) for name in names[:NAMED_AT_MOST]]
    if len(names) > NAMED_AT_MOST:
        shown.append(f"{len(names) - NAMED_AT_MOST} more")
    every = "both" if len(names) == 2 else "all"
    return (
        f"{_listed(shown)} {every} fire and send the visitor a message: "
        f"the visitor gets {len(names)} messages at once"
    )


def variables_read(definition: Any) -> set[str]:
    """The visitor variables (without "@") that a definition's condition reads."""
    found: set[str] = set()
    condition = definition.get("condition") if isinstance(definition, dict) else None
    _collect(condition, found, 0)
    return found


def _collect(node: Any, found: set[str], depth: int) -> None:
    known = _operator(node)
    if known is None or depth > MAX_WALK_DEPTH:
        return
    if known.shape in (Shape.ALL, Shape.ANY, Shape.NOT):
        for child in node[1:]:
            _collect(child, found, depth + 1)
    elif known.shape is Shape.COMPARE and len(node) == 3 and isinstance(node[1], str):
        found.add(node[1].removeprefix("@"))
    elif known.reads:
        found.add(known.reads)


def known_keys(definitions: Iterable[Any]) -> set[str]:
    """The names a visitor may set: every variable of the vocabulary, and any other variable
    a definition reads."""
    keys = {variable.key for variable in VARIABLES.values()}
    for definition in definitions:
        keys |= variables_read(definition)
    return keys


# Visitor values given on the command line.


def key_of(name: str) -> str:
    """A variable as a visitor sets it: without "@" (one written with it is accepted)."""
    return name[1:] if name.startswith("@") else name


def takes_several(key: str) -> bool:
    """Whether the variable holds a list (the visitor's tags), so that a value may repeat."""
    variable = VARIABLES.get("@" + key)
    return variable is not None and variable.kind is Kind.TAGS


def read_value(text: str) -> Any:
    """A value typed on the command line: a number in JSON number syntax, `true`/`false` a
    boolean, anything else the text as it is."""
    if text in ("true", "false"):
        return text == "true"
    number = values.read_number(text)
    return text if number is None else number


def visitor_from(settings: Sequence[str]) -> dict[str, Any]:
    """`NAME=VALUE` settings as a visitor. A variable that holds a list (`visitor_tags`) takes
    one value per setting and gathers them; any other variable is set once. ValueError says
    what is wrong with a setting."""
    visitor: dict[str, Any] = {}
    for setting in settings:
        name, equals, text = setting.partition("=")
        key = key_of(name.strip())
        if not equals or not key:
            raise ValueError(f"expected NAME=VALUE (e.g. visitor_country_code=DE), got {setting!r}")
        if takes_several(key):
            visitor.setdefault(key, []).append(text)
        elif key in visitor:
            raise ValueError(
                f"{key} is set twice; only a list variable (visitor_tags) takes several values"
            )
        else:
            visitor[key] = read_value(text)
    return visitor


def kind_mismatch(key: str, value: Any) -> str:
    """Why a value is likely not what was meant for a known variable, or "": YAML reads an
    unquoted `NO` (Norway) or `yes` as a boolean."""
    variable = VARIABLES.get("@" + key)
    if variable is None or value is None:
        return ""
    if variable.kind is Kind.TEXT and isinstance(value, bool):
        shown = "true" if value else "false"
        return f"{key} is text, got {shown}; quote the value if it is a word such as NO or yes"
    if variable.kind is Kind.NUMBER and values.read_number(value) is None:
        return f"{key} is a number, got {literal(value)}"
    return ""
