"""Rules that read more than one trigger, or the project's conventions (docs/rules.md):
TS204 the same event and condition twice, TS205 two messages for one visitor, TS301 and TS302
names and descriptions that break the project's patterns.

A warning about a pair is reported on the later trigger, naming the earlier one, so that the
later one's `# triggersync: ignore[...]` comment silences it. Each problem's path is inside its
trigger (`definition.condition`, `name`); the caller puts it under the trigger's own path.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final

from triggersync.errors import Problem, Rule, Severity
from triggersync.language import rules
from triggersync.language.evaluate import CompiledTrigger
from triggersync.language.literals import MAX_WALK_DEPTH, literal
from triggersync.language.rules import RuleSettings
from triggersync.language.scenarios import messages_visitor
from triggersync.language.vocabulary import OPERATORS, Shape

# A group larger than this (message-sending triggers of one event) is not checked pair by pair.
MAX_MESSAGE_GROUP: Final = 100
_VALUES_TRIED: Final = 64  # visitors tried per trigger to find those for whom it fires
_WITNESSES_KEPT: Final = 4  # of those, kept to combine with another trigger's


@dataclass(frozen=True)
class Subject:
    """What these rules read of one declared trigger; `where` names it in a message."""

    name: str
    description: str
    enabled: bool
    definition: Any  # None when the trigger declares none
    where: str = ""  # file:line, for "as X (at file:line)"


IndexedProblem = tuple[int, Problem]  # the index of the trigger it is reported on, and the problem


def check_all(subjects: Sequence[Subject], settings: RuleSettings) -> list[IndexedProblem]:
    """Every warning of these rules, each with the index of the trigger it is about."""
    return [
        *duplicate_conditions(subjects),
        *overlapping_messages(subjects),
        *conventions(subjects, settings),
    ]


def _warning(rule: Rule, path: tuple[str, ...], message: str) -> Problem:
    return Problem(path=path, message=message, severity=Severity.WARNING, rule=rule)


def _event_and_condition(subject: Subject) -> tuple[str, str] | None:
    definition = subject.definition
    if not subject.enabled or not isinstance(definition, dict):
        return None
    event = definition.get("event")
    if not isinstance(event, str):
        return None
    condition = json.dumps(definition.get("condition"), sort_keys=True, ensure_ascii=False)
    return event, condition


def _named(subject: Subject) -> str:
    return f"{literal(subject.name)}" + (f" (at {subject.where})" if subject.where else "")


def duplicate_conditions(subjects: Sequence[Subject]) -> Iterator[IndexedProblem]:
    """TS204: an enabled trigger with the same event and condition as an earlier one."""
    first: dict[tuple[str, str], int] = {}
    for index, subject in enumerate(subjects):
        key = _event_and_condition(subject)
        if key is None:
            continue
        if key in first:
            other = subjects[first[key]]
            message = (
                f"the same event and condition as {_named(other)}: both run for the same "
                "visitors; merge them, or change one condition"
            )
            yield index, _warning(rules.DUPLICATE_CONDITION, ("definition", "condition"), message)
        else:
            first[key] = index


# TS205: visitors for whom a trigger fires are found from the values its condition names, then
# combined with another trigger's; the evaluator decides. A warning names a visitor for whom
# both fire, so it is never a guess.


def overlapping_messages(subjects: Sequence[Subject]) -> Iterator[IndexedProblem]:
    """TS205: an enabled trigger that sends the visitor a message when an earlier one of the
    same event does too, for a visitor the evaluator finds."""
    groups: dict[str, list[int]] = {}
    keys: dict[int, tuple[str, str]] = {}
    for index, subject in enumerate(subjects):
        key = _event_and_condition(subject)
        if key is not None and messages_visitor(subject.definition):
            groups.setdefault(key[0], []).append(index)
            keys[index] = key
    for members in groups.values():
        if len(members) < 2 or len(members) > MAX_MESSAGE_GROUP:
            continue
        compiled = {i: CompiledTrigger(subjects[i].name, subjects[i].definition) for i in members}
        witnesses = {i: _witnesses(compiled[i], subjects[i].definition) for i in members}
        for position, later in enumerate(members):
            partners: list[tuple[int, dict[str, Any]]] = []
            for earlier in members[:position]:
                if keys[earlier] == keys[later]:
                    continue  # TS204 says it already
                visitor = _both_fire(
                    compiled[earlier], compiled[later], witnesses[earlier], witnesses[later]
                )
                if visitor is not None:
                    partners.append((earlier, visitor))
            if partners:
                yield later, _overlap(subjects, partners)


def _overlap(subjects: Sequence[Subject], partners: list[tuple[int, dict[str, Any]]]) -> Problem:
    earlier, visitor = partners[0]
    more = len(partners) - 1
    others = f" (and {more} more trigger{'s' if more > 1 else ''})" if more else ""
    shown = ", ".join(f"{key} {literal(value)}" for key, value in sorted(visitor.items()))
    example = f"a visitor with {shown}" if shown else "any visitor"
    message = (
        f"sends a message to the same visitor as {_named(subjects[earlier])}{others}: "
        f"both fire for {example}, who gets two messages at once"
    )
    return _warning(rules.OVERLAPPING_MESSAGES, ("definition", "actions"), message)


def _both_fire(
    first: CompiledTrigger,
    second: CompiledTrigger,
    first_seen: list[dict[str, Any]],
    second_seen: list[dict[str, Any]],
) -> dict[str, Any] | None:
    for one, other in itertools.product(first_seen, second_seen):
        for visitor in (_merge(one, other), _merge(other, one)):
            if first.decide(visitor).fired and second.decide(visitor).fired:
                return visitor
    return None


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = {**base, **over}
    if "visitor_tags" in base and "visitor_tags" in over:
        merged["visitor_tags"] = sorted({*base["visitor_tags"], *over["visitor_tags"]})
    return merged


def _witnesses(compiled: CompiledTrigger, definition: Any) -> list[dict[str, Any]]:
    """A few visitors for whom the trigger fires, from the values its condition names."""
    candidates = _candidates(definition.get("condition"))
    keys = sorted(candidates)
    found: list[dict[str, Any]] = []
    tried = itertools.islice(itertools.product(*(candidates[k] for k in keys)), _VALUES_TRIED)
    for values in tried:
        visitor = dict(zip(keys, values, strict=True))
        if compiled.decide(visitor).fired:
            found.append(visitor)
            if len(found) == _WITNESSES_KEPT:
                break
    return found


def _candidates(condition: Any) -> dict[str, list[Any]]:
    """For each variable the condition reads, the values worth trying: those it names, and
    one either side of each number, and one that differs from each text."""
    seen: dict[str, list[Any]] = {}
    tags: list[str] = []

    def add(key: str, value: Any) -> None:
        values = seen.setdefault(key, [])
        if value not in values:
            values.append(value)

    def walk(node: Any, depth: int) -> None:
        if not isinstance(node, list) or not node or depth > MAX_WALK_DEPTH:
            return
        known = OPERATORS.get(node[0]) if isinstance(node[0], str) else None
        if known is None:
            return
        if known.shape in (Shape.ALL, Shape.ANY, Shape.NOT):
            for operand in node[1:]:
                walk(operand, depth + 1)
        elif known.shape is Shape.TAG and len(node) == 2 and isinstance(node[1], str):
            if node[1] not in tags:
                tags.append(node[1])
        elif known.shape is Shape.COMPARE and len(node) == 3 and isinstance(node[1], str):
            key, value = node[1].removeprefix("@"), node[2]
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                if isinstance(value, bool):
                    add(key, value)
                    add(key, not value)
                return
            add(key, value)
            if isinstance(value, (int, float)):
                add(key, value + 1)
                add(key, value - 1)
            else:
                add(key, "")

    walk(condition, 0)
    if tags:
        seen["visitor_tags"] = [[], *([tag] for tag in tags), tags] if len(tags) > 1 else [[], tags]
    return seen


def conventions(subjects: Sequence[Subject], settings: RuleSettings) -> Iterator[IndexedProblem]:
    """TS301, TS302: a name or description that breaks the project's pattern."""
    name_pattern = settings.name_pattern
    description_pattern = settings.description_pattern
    for index, subject in enumerate(subjects):
        if name_pattern is not None and not re.search(name_pattern, subject.name):
            message = f"the name does not match the project's name_pattern {literal(name_pattern)}"
            yield index, _warning(rules.NAME_PATTERN, ("name",), message)
        if description_pattern is not None and not re.search(
            description_pattern, subject.description
        ):
            what = "the description" if subject.description else "the description (empty)"
            message = (
                f"{what} does not match the project's description_pattern "
                f"{literal(description_pattern)}"
            )
            path = ("description",) if subject.description else ()
            yield index, _warning(rules.DESCRIPTION_PATTERN, path, message)
