"""A definition in plain words: one sentence, or one line per part next to its path.

    When a visitor requests a chat — if country code is "US" and page URL contains "pricing":
    after 10 seconds, still on the page; send "Hello" as "Agent".

(one line in the output). Conditions are read left to right: a delay (`stillOnPage`,
`stillOnSite`) inside the top-level `and` is a step of its own, as Zendesk waits there before it
checks what follows. Nothing is guessed: an event, operator, variable or action the vocabulary
does not know, or one with the wrong number of operands, is shown as written (`[fooBar, 1]`).
Every literal keeps its exact value, and every phrase is one line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from triggersync.errors import JsonPath, format_path
from triggersync.language.literals import MAX_WALK_DEPTH, as_written, bare, literal
from triggersync.language.vocabulary import (
    DEPARTMENT_ID_WORDS,
    EVENTS,
    OPERATORS,
    TRIGGER_ACTIONS,
    VARIABLES,
    Operator,
    Shape,
)

ALWAYS = "always"
NOTHING = "do nothing"
_MISSING = object()
_NO_NAMES: Mapping[int, str] = {}


@dataclass(frozen=True)
class Line:
    """One line of the multi-line form: indented `depth` steps, about the part at `path`."""

    depth: int
    text: str
    path: JsonPath

    @property
    def where(self) -> str:
        return format_path(self.path)


def event_words(event: Any = _MISSING) -> str:
    """`page_enter` → `When a visitor enters a page`; an unknown event is shown as written."""
    known = EVENTS.get(event) if isinstance(event, str) else None
    if known is not None:
        return known.words
    if event is _MISSING or event is None:
        return "With no event"
    return f"On event {literal(event)}"


def variable_words(name: Any) -> str:
    """`@visitor_country_code` → `country code`; an unknown name as written."""
    known = VARIABLES.get(name) if isinstance(name, str) else None
    if known is not None:
        return known.words
    return bare(name) if isinstance(name, str) else literal(name)


def condition_words(condition: Any) -> str:
    """A condition on one line: `country code is "US" and (page URL contains "a" or ...)`."""
    return _inline(condition, 0)


def action_words(action: Any, departments: Mapping[int, str] = _NO_NAMES) -> str:
    """`["sendMessageToVisitor", "Sales", "Hi!"]` → `send "Hi!" as "Sales"`.

    A department is read by its name where it has one: `["setDepartment", "Sales"]` as written
    (`set department "Sales"`), an id that `departments` names with both
    (`set department "Sales" (id 123)`), any other id as it is (`set department to 123`)."""
    if not isinstance(action, list) or not action or not isinstance(action[0], str):
        return as_written(action)
    known = TRIGGER_ACTIONS.get(action[0])
    operands = action[1:]
    if known is None or not known.min_arity <= len(operands) <= known.max_arity:
        return as_written(action)
    if known.named_words and len(operands) == 1:
        operand = operands[0]
        if isinstance(operand, str):
            return known.named_words.format(literal(operand))
        if type(operand) is int and operand in departments:
            named = known.named_words.format(literal(departments[operand]))
            return named + DEPARTMENT_ID_WORDS.format(operand)
    shown = [literal(operand) for operand in operands]
    text = known.words.format(*shown)
    for _, extra in known.optional[: len(operands) - known.min_arity]:
        text += " " + extra.format(*shown)
    return text


def explain_sentence(definition: Any, departments: Mapping[int, str] = _NO_NAMES) -> str:
    """The whole definition as one sentence, on one line; `departments` names the department
    ids it knows (action_words)."""
    if not isinstance(definition, dict):
        return f"Not a definition: {literal(definition)}"
    steps = _steps(definition.get("condition"))
    text = event_words(definition.get("event", _MISSING)) + " — "
    for step, is_guard in steps or [(ALWAYS, True)]:
        text += step + (": " if is_guard else "; ")
    return text + _actions_sentence(definition.get("actions"), departments) + "."


def explain_lines(definition: Any, departments: Mapping[int, str] = _NO_NAMES) -> tuple[Line, ...]:
    """The definition as lines: the event, then the conditions, then the actions, each line
    with the path of the part it reads, so a plan can show it next to the field paths."""
    if not isinstance(definition, dict):
        return (Line(0, f"Not a definition: {literal(definition)}", ()),)
    lines = [Line(0, event_words(definition.get("event", _MISSING)), ("event",))]
    condition = definition.get("condition")
    if _holds_always(condition):
        lines.append(Line(1, ALWAYS, ("condition",)))
    else:
        _condition_lines(condition, 1, ("condition",), "if ", lines)
    actions = definition.get("actions")
    if actions is None or actions == []:
        lines.append(Line(1, f"then {NOTHING}", ("actions",)))
    elif not isinstance(actions, list):
        lines.append(Line(1, f"then actions as written: {literal(actions)}", ("actions",)))
    else:
        lines.append(Line(1, "then:", ("actions",)))
        lines.extend(
            Line(2, action_words(action, departments), ("actions", index))
            for index, action in enumerate(actions)
        )
    return tuple(lines)


def _operator(node: Any) -> Operator | None:
    """The known operator a condition starts with, if it is one."""
    if isinstance(node, list) and node and isinstance(node[0], str):
        return OPERATORS.get(node[0])
    return None


def _holds_always(condition: Any) -> bool:
    """No condition at all: missing, null, `[]`, or an empty `and`/`or`."""
    if condition is None or condition == []:
        return True
    known = _operator(condition)
    return known is not None and known.variadic and len(condition) == 1


def _unwrap(node: Any) -> Any:
    """An `and`/`or` of one condition reads as that condition."""
    for _ in range(MAX_WALK_DEPTH):
        known = _operator(node)
        if known is None or not known.variadic or len(node) != 2:
            return node
        node = node[1]
    return node


def _inline(node: Any, depth: int) -> str:
    known = _operator(node)
    if known is None or depth >= MAX_WALK_DEPTH:
        return as_written(node)
    operands = node[1:]
    if known.variadic:
        if not operands:
            return ALWAYS
        if len(operands) == 1:
            return _inline(operands[0], depth + 1)
        joiner = " and " if known.shape is Shape.ALL else " or "
        return joiner.join(_grouped(operand, depth + 1) for operand in operands)
    if known.shape is Shape.NOT:
        if len(operands) != 1:
            return as_written(node)
        negated = _negated(operands[0])
        return negated if negated is not None else f"not ({_inline(operands[0], depth + 1)})"
    leaf = _leaf(known, operands)
    return leaf if leaf is not None else as_written(node)


def _grouped(node: Any, depth: int) -> str:
    """A condition inside `and`/`or`, in parentheses when it would otherwise read ambiguously."""
    text = _inline(node, depth)
    inner = _unwrap(node)
    known = _operator(inner)
    needs = known is not None and (
        (known.variadic and len(inner) > 2) or (known.shape is Shape.DELAY and len(inner) == 2)
    )
    return f"({text})" if needs else text


def _negated(node: Any) -> str | None:
    """`["not", ["firedBefore"]]` reads `this trigger has not fired for the visitor yet`, for the
    operators that have no counterpart saying the same thing."""
    known = _operator(node)
    if known is None or not known.negated_words or len(node) - 1 != len(known.operands):
        return None
    return known.negated_words.format(*(literal(operand) for operand in node[1:]))


def _leaf(known: Operator, operands: list[Any]) -> str | None:
    if len(operands) != len(known.operands):
        return None
    if known.shape is Shape.COMPARE:
        if not isinstance(operands[0], str):
            return None
        return known.words.format(variable_words(operands[0]), literal(operands[1]))
    return known.words.format(*(literal(operand) for operand in operands))


def _is_delay(node: Any) -> bool:
    known = _operator(node)
    return known is not None and known.shape is Shape.DELAY and len(node) == 2


def _steps(condition: Any) -> list[tuple[str, bool]]:
    """The condition as steps for the sentence: (text, is a guard that ends with a colon)."""
    if _holds_always(condition):
        return []
    known = _operator(condition)
    if known is None or known.shape is not Shape.ALL:
        if _is_delay(condition):
            return [(_inline(condition, 0), False)]
        return [("if " + _inline(condition, 0), True)]
    steps: list[tuple[str, bool]] = []
    guard: list[str] = []
    for operand in condition[1:]:
        if _is_delay(operand):
            if guard:
                steps.append(("if " + " and ".join(guard), True))
                guard = []
            steps.append((_inline(operand, 1), False))
        elif not _holds_always(operand):  # an empty group inside `and` holds: nothing to say
            guard.append(_grouped(operand, 1))
    if guard:
        steps.append(("if " + " and ".join(guard), True))
    return steps


def _actions_sentence(actions: Any, departments: Mapping[int, str]) -> str:
    if actions is None or actions == []:
        return NOTHING
    if not isinstance(actions, list):
        return f"actions as written: {literal(actions)}"
    return "; ".join(action_words(action, departments) for action in actions)


def _condition_lines(node: Any, depth: int, path: JsonPath, prefix: str, lines: list[Line]) -> None:
    known = _operator(node)
    if known is not None and len(path) < MAX_WALK_DEPTH:
        if known.variadic and len(node) > 1:
            lines.append(Line(depth, f"{prefix}{known.words}:", path))
            for index, operand in enumerate(node[1:], start=1):
                _condition_lines(operand, depth + 1, (*path, index), "", lines)
            return
        inner = _operator(node[1]) if known.shape is Shape.NOT and len(node) == 2 else None
        if inner is not None and inner.variadic and len(node[1]) > 1:
            lines.append(Line(depth, f"{prefix}not:", path))
            _condition_lines(node[1], depth + 1, (*path, 1), "", lines)
            return
    text = _inline(node, len(path))
    lines.append(Line(depth, text if _is_delay(node) else prefix + text, path))
