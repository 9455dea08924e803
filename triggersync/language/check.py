"""Checks of a trigger definition, never stricter than the API.

Whatever a live trigger can hold is at most a warning: an unknown event, operator, variable or
action (with a did-you-mean when a known name is close), the wrong number of operands, an odd
operand, a regular expression that does not compile, two conditions under one `and` that can
never hold together. An empty `and`/`or`, `condition: []`, missing actions and list values are
never errors. Errors are kept for shapes that cannot be a definition at all: a definition that
is not an object, a condition that is not a list, an operator that is not a string, an action
that is not a list starting with its name.

Each problem carries its path inside the definition (`condition[2][1]`, `actions[0]`) and no
location; the caller places it in its file, under the trigger's own path (`Problem.at`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from triggersync.errors import JsonPath, Problem, Rule, Severity
from triggersync.language import rules, values
from triggersync.language.explain import condition_words
from triggersync.language.literals import MAX_WALK_DEPTH, describe_literal
from triggersync.language.vocabulary import (
    DEFINITION_KEYS,
    EVENTS,
    METADATA_KEYS,
    OPERATORS,
    TRIGGER_ACTIONS,
    VARIABLES,
    Kind,
    Operator,
    Shape,
    Variable,
    did_you_mean,
)


def check_definition(definition: Any) -> tuple[Problem, ...]:
    """Every problem of one definition: unknown keys, then the event, the condition and the
    actions, each part in order."""
    found = _Found()
    if not isinstance(definition, dict):
        what = "a definition is an object with event, condition and actions"
        found.error((), f"{what}, got {describe_literal(definition)}")
        return tuple(found.problems)
    _check_keys(definition, found)
    _check_event(definition.get("event"), "event" in definition, found)
    condition = definition.get("condition")
    if condition is None:
        found.warn(
            rules.NO_CONDITION,
            ("condition",),
            "no condition: read as none, so the trigger always runs",
        )
    else:
        _check_condition(condition, ("condition",), found, top=True)
    _check_actions(definition.get("actions"), found)
    _check_repeated_message(definition, found)
    return tuple(found.problems)


@dataclass
class _Found:
    problems: list[Problem] = field(default_factory=list)

    def error(self, path: JsonPath, message: str) -> None:
        self.problems.append(Problem(path=path, message=message, severity=Severity.ERROR))

    def warn(self, rule: Rule, path: JsonPath, message: str) -> None:
        self.problems.append(
            Problem(path=path, message=message, severity=Severity.WARNING, rule=rule)
        )


def _hint(name: str, choices: Iterable[str]) -> str:
    close = did_you_mean(name, choices)
    return f" (did you mean {close!r}?)" if close is not None and close != name else ""


def _unknown(what: str, name: str, choices: Iterable[str]) -> str:
    return f"unknown {what} {name!r}{_hint(name, choices)}; kept as written"


def _check_keys(definition: dict[Any, Any], found: _Found) -> None:
    known = DEFINITION_KEYS + METADATA_KEYS
    for key in definition:
        if key not in known:
            name = key if isinstance(key, str) else describe_literal(key)
            found.warn(
                rules.UNKNOWN_KEY,
                (name,),
                f"unknown key {name!r} in a definition{_hint(name, known)}",
            )


def _check_event(event: Any, present: bool, found: _Found) -> None:
    if event is None:
        said = "null" if present else "missing"
        found.warn(
            rules.UNKNOWN_EVENT,
            ("event",),
            f"the event is {said}: Zendesk runs triggers on {_events()}",
        )
    elif not isinstance(event, str):
        found.warn(
            rules.UNKNOWN_EVENT,
            ("event",),
            f"an event is a name ({_events()}), got {describe_literal(event)}",
        )
    elif event not in EVENTS:
        found.warn(rules.UNKNOWN_EVENT, ("event",), _unknown("event", event, EVENTS))


def _events() -> str:
    return ", ".join(EVENTS)


def _check_condition(node: Any, path: JsonPath, found: _Found, *, top: bool = False) -> None:
    if not isinstance(node, list):
        what = "a condition is a list (an operator, then its operands)"
        found.error(path, f"{what}, got {describe_literal(node)}")
        return
    if not node:
        if not top:  # at the top, [] says "no conditions"
            found.warn(
                rules.EMPTY_CONDITION, path, "an empty condition: no operator, so nothing to check"
            )
        return
    head, operands = node[0], node[1:]
    if not isinstance(head, str):
        what = "an operator name comes first (e.g. 'and', 'eq')"
        found.error((*path, 0), f"{what}, got {describe_literal(head)}")
        return
    if len(path) > MAX_WALK_DEPTH:
        deep = f"nested more than {MAX_WALK_DEPTH} levels deep; not checked further"
        found.warn(rules.TOO_DEEP, path, deep)
        return
    known = OPERATORS.get(head)
    if known is None:
        found.warn(rules.UNKNOWN_OPERATOR, path, _unknown("operator", head, OPERATORS))
        return
    if known.shape in (Shape.ALL, Shape.ANY, Shape.NOT):
        if known.shape is Shape.NOT and len(operands) != 1:
            found.warn(rules.WRONG_ARITY, path, f"'not' takes one condition, got {len(operands)}")
        elif known.shape is Shape.NOT and _always(operands[0], 0):
            inner = operands[0]
            what = f"an empty {inner[0]!r}" if len(inner) == 1 else condition_words(inner)
            message = f"can never hold: it negates a condition that always holds ({what})"
            found.warn(rules.NEVER_HOLDS, path, message)
        seen: list[Any] = []  # the comparisons met so far under this `and`
        for index, operand in enumerate(operands, start=1):
            _check_condition(operand, (*path, index), found)
            if known.shape is Shape.ALL:
                _check_contradiction(operand, seen, (*path, index), found)
        return
    if len(operands) != len(known.operands):
        found.warn(
            rules.WRONG_ARITY, path, f"{head!r} takes {known.arity_text()}, got {_count(operands)}"
        )
        return
    if known.shape is Shape.COMPARE:
        variable = _check_variable(known, operands[0], (*path, 1), found)
        _check_value(known, variable, operands[1], (*path, 2), found)
    elif known.shape is Shape.DELAY:
        _check_seconds(head, operands[0], (*path, 1), found)
    elif known.shape is Shape.TAG and not isinstance(operands[0], str):
        found.warn(
            rules.WRONG_OPERAND,
            (*path, 1),
            f"{head!r} takes a tag (text), got {describe_literal(operands[0])}",
        )


def _count(operands: list[Any]) -> str:
    return f"{len(operands)} operand" + ("" if len(operands) == 1 else "s")


def _check_variable(known: Operator, name: Any, path: JsonPath, found: _Found) -> Variable | None:
    if not isinstance(name, str):
        what = f"{known.name!r} compares a variable (e.g. '@visitor_country_code')"
        found.warn(rules.UNKNOWN_VARIABLE, path, f"{what}, got {describe_literal(name)}")
        return None
    variable = VARIABLES.get(name)
    if variable is not None:
        return variable
    if not name.startswith("@"):
        found.warn(
            rules.UNKNOWN_VARIABLE,
            path,
            f"a variable starts with '@', got {name!r}{_hint(name, VARIABLES)}",
        )
    else:
        found.warn(rules.UNKNOWN_VARIABLE, path, _unknown("variable", name, VARIABLES))
    return None


def _check_value(
    known: Operator, variable: Variable | None, value: Any, path: JsonPath, found: _Found
) -> None:
    name = known.name
    if isinstance(value, (list, dict)) or (value is None and known.value_kind is not Kind.ANY):
        what = f"{name!r} compares with a plain value (text, a number, true or false)"
        found.warn(rules.WRONG_OPERAND, path, f"{what}, got {describe_literal(value)}")
        return
    if value is not None and not known.value_kind.accepts(value):
        found.warn(
            rules.WRONG_OPERAND,
            path,
            f"{name!r} compares {known.value_kind.value}, got {describe_literal(value)}",
        )
        return
    if known.name in ("regex", "iregex"):
        error = values.pattern_error(value, ignore_case=known.name == "iregex")
        if error is not None:
            found.warn(
                rules.INVALID_REGEX, path, f"the regular expression does not compile: {error}"
            )
            return
    if variable is not None:
        mismatch = _mismatch(known, variable, value)
        if mismatch:
            found.warn(rules.WRONG_OPERAND, path, mismatch)


def _mismatch(known: Operator, variable: Variable, value: Any) -> str:
    """Why comparing this variable so can never work as meant, or ""."""
    about = f"{variable.words} ({variable.name}) is {variable.kind.value}"
    if known.value_kind is Kind.NUMBER and variable.kind is not Kind.NUMBER:
        return f"{known.name!r} compares numbers, but {about}"
    if variable.kind is Kind.TAGS:
        return f"{known.name!r} does not look into a list; {about} (hasTag tests one tag)"
    if known.value_kind is Kind.TEXT and variable.kind is Kind.BOOLEAN:
        return f"{known.name!r} compares text, but {about}"
    if value is None or known.shape is not Shape.COMPARE or known.value_kind is not Kind.ANY:
        return ""
    if variable.kind is Kind.BOOLEAN and True not in (
        values.equals(b, value) for b in (True, False)
    ):
        return f"{describe_literal(value)} can never equal {about}"
    if variable.kind is Kind.NUMBER and values.read_number(value) is None:
        return f"{describe_literal(value)} can never equal {about}"
    if variable.kind is Kind.TEXT and isinstance(value, bool):
        return f"{describe_literal(value)} can never equal {about}"
    return ""


def _check_seconds(name: str, seconds: Any, path: JsonPath, found: _Found) -> None:
    number = values.read_number(seconds)
    if number is None:
        found.warn(
            rules.WRONG_OPERAND,
            path,
            f"{name!r} takes a number of seconds, got {describe_literal(seconds)}",
        )
    elif number < 0:
        found.warn(
            rules.WRONG_OPERAND, path, f"{name!r} takes a number of seconds, got a negative one"
        )


def _check_actions(actions: Any, found: _Found) -> None:
    if actions is None or actions == []:
        found.warn(
            rules.NO_ACTIONS, ("actions",), "no actions: the trigger does nothing when it fires"
        )
        return
    if not isinstance(actions, list):
        found.error(("actions",), f"actions is a list of actions, got {describe_literal(actions)}")
        return
    for index, action in enumerate(actions):
        path: JsonPath = ("actions", index)
        if not isinstance(action, list) or not action or not isinstance(action[0], str):
            what = "an action is a list that starts with its name (e.g. ['addTag', 'vip'])"
            found.error(path, f"{what}, got {describe_literal(action)}")
            continue
        name, operands = action[0], action[1:]
        known = TRIGGER_ACTIONS.get(name)
        if known is None:
            found.warn(rules.UNKNOWN_ACTION, path, _unknown("action", name, TRIGGER_ACTIONS))
        elif not known.min_arity <= len(operands) <= known.max_arity:
            found.warn(
                rules.WRONG_ARITY,
                path,
                f"{name!r} takes {known.arity_text()}, got {_count(operands)}",
            )
        else:
            kinds = known.kinds()[: len(operands)]  # the optional ones given
            for offset, (kind, operand) in enumerate(zip(kinds, operands, strict=True), start=1):
                if not kind.accepts(operand):
                    what = f"{name!r} takes {kind.value} here"
                    got = describe_literal(operand)
                    found.warn(rules.WRONG_OPERAND, (*path, offset), f"{what}, got {got}")


# A greeting on every page: `page_enter` runs each time the visitor opens a page.

REPEAT_GUARDS = ("firedBefore", "stillOnPage", "@visitor_triggered")
REPEAT_HINT = 'add ["not", ["firedBefore"]] to the condition so that it is sent once'


def _check_repeated_message(definition: dict[Any, Any], found: _Found) -> None:
    """Warn when a `page_enter` trigger sends the visitor a message and its condition never
    asks whether it already did (no `firedBefore`, `stillOnPage` or `@visitor_triggered`): the
    message would come again on every page the visitor opens."""
    actions = definition.get("actions")
    if definition.get("event") != "page_enter" or not isinstance(actions, list):
        return
    for index, action in enumerate(actions):
        if _messages_visitor(action):
            if not _mentions(definition.get("condition"), REPEAT_GUARDS, 0):
                what = "sends a message on every page the visitor enters"
                why = (
                    "nothing in the condition (firedBefore, stillOnPage, @visitor_triggered) "
                    "stops a repeat"
                )
                found.warn(
                    rules.UNGUARDED_PAGE_MESSAGE,
                    ("actions", index),
                    f"{what}: {why}; {REPEAT_HINT}",
                )
            return


def _messages_visitor(action: Any) -> bool:
    if not isinstance(action, list) or not action or not isinstance(action[0], str):
        return False
    known = TRIGGER_ACTIONS.get(action[0])
    return known is not None and known.messages_visitor


def _mentions(node: Any, names: tuple[str, ...], depth: int) -> bool:
    """Whether `names` appear anywhere in a condition (as an operator or an operand)."""
    if isinstance(node, str):
        return node in names
    if not isinstance(node, list) or depth > MAX_WALK_DEPTH:
        return False
    return any(_mentions(item, names, depth + 1) for item in node)


# Contradictions: two comparisons of one variable under the same `and` that no value satisfies.

_LOWER = {"gt": True, "gte": False}  # name → strict
_UPPER = {"lt": True, "lte": False}


def _comparison(node: Any) -> tuple[Operator, str, Any] | None:
    if not isinstance(node, list) or len(node) != 3 or not isinstance(node[0], str):
        return None
    known = OPERATORS.get(node[0])
    if known is None or known.shape is not Shape.COMPARE or not isinstance(node[1], str):
        return None
    return known, node[1], node[2]


def _check_contradiction(node: Any, seen: list[Any], path: JsonPath, found: _Found) -> None:
    """Warn when `node` and a comparison before it (in `seen`) test one variable so that no
    value satisfies both: `eq X "US"` next to `eq X "DE"`, or `gt X 5` next to `lt X 3`."""
    comparison = _comparison(node)
    if comparison is None:
        return
    known, variable, value = comparison
    for other in seen:
        other_known, other_variable, other_value = other
        if other_variable == variable and _clash(other_known, other_value, known, value):
            words = condition_words([other_known.name, other_variable, other_value])
            found.warn(
                rules.NEVER_HOLDS,
                path,
                f"can never hold together with {words} (both under one 'and')",
            )
            break
    seen.append(comparison)


def _clash(first: Operator, first_value: Any, second: Operator, second_value: Any) -> bool:
    if first.name == "eq" and second.make_test is not None:
        return second.make_test(second_value)(first_value) is False
    if second.name == "eq" and first.make_test is not None:
        return first.make_test(first_value)(second_value) is False
    bounds = {first.name: first_value, second.name: second_value}
    lower = [(name, bounds[name]) for name in _LOWER if name in bounds]
    upper = [(name, bounds[name]) for name in _UPPER if name in bounds]
    if len(lower) != 1 or len(upper) != 1:
        return False
    (low_name, low), (high_name, high) = lower[0], upper[0]
    low_number, high_number = values.read_number(low), values.read_number(high)
    if low_number is None or high_number is None:
        return False
    strict = _LOWER[low_name] or _UPPER[high_name]
    return low_number > high_number or (low_number == high_number and strict)


# Conditions that always hold, or never: an empty `and`/`or` holds (Zendesk reads it as "no
# conditions"), so `not` of one never does.


def _always(node: Any, depth: int) -> bool:
    """Whether a condition holds for every visitor, by its shape alone."""
    if depth > MAX_WALK_DEPTH:
        return False
    head, operands = _logic(node)
    if head == "and":
        return all(_always(operand, depth + 1) for operand in operands)
    if head == "or":
        return not operands or any(_always(operand, depth + 1) for operand in operands)
    if head == "not" and len(operands) == 1:
        return _never(operands[0], depth + 1)
    return False


def _never(node: Any, depth: int) -> bool:
    """Whether a condition holds for no visitor, by its shape alone."""
    if depth > MAX_WALK_DEPTH:
        return False
    head, operands = _logic(node)
    if head == "and":
        return any(_never(operand, depth + 1) for operand in operands)
    if head == "or":
        return bool(operands) and all(_never(operand, depth + 1) for operand in operands)
    if head == "not" and len(operands) == 1:
        return _always(operands[0], depth + 1)
    return False


def _logic(node: Any) -> tuple[str | None, list[Any]]:
    """A logical condition's operator and operands; (None, []) for anything else."""
    if isinstance(node, list) and node and node[0] in ("and", "or", "not"):
        return node[0], node[1:]
    return None, []
