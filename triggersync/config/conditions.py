"""Checks of a trigger `definition` beyond what the JSON Schema can say.

A condition is a prefix expression (Zendesk Chat "Triggers reference for developers"):
`["and", expr...]`, `["or", expr...]`, `["not", expr]`, or an operator followed by a variable
and a value, e.g. `["eq", "@visitor_country_code", "US"]`. Broken structure is an error. A name
outside the lists below is only a warning: Zendesk documents more than we know, and a trigger
that works in the dashboard must not be refused here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from triggersync.config.paths import PathPart
from triggersync.config.schema import describe, suggest

LOGICAL = frozenset({"and", "or"})
NEGATION = "not"
COMPARISONS = frozenset(
    {"eq", "neq", "lt", "gt", "lte", "gte", "contains", "ncontains", "icontains", "nicontains"}
    | {"regex", "iregex"}
)
# Delay conditions take one operand, the number of seconds to wait before checking on.
DELAYS = frozenset({"stillOnSite", "stillOnPage"})
# The visitor's tags, and whether this trigger already fired for the visitor (docs/language.md).
TAG, FIRED_BEFORE = "hasTag", "firedBefore"
KNOWN_OPERATORS = LOGICAL | {NEGATION} | COMPARISONS | DELAYS | {TAG, FIRED_BEFORE}

KNOWN_ACTIONS = frozenset(
    {
        "sendMessageToVisitor",
        "setDepartment",
        "addTag",
        "removeTag",
        "setName",
        "setNote",
        "appendNote",
        "setTriggered",
        "wait",
        "ban",
        "sendNotificationToAccount",
        "setVisitorName",
        "setVisitorEmail",
        "setVisitorPhone",
    }
)

_SCALAR = (str, int, float, bool, type(None))

Path = tuple[PathPart, ...]


@dataclass
class Findings:
    errors: list[tuple[Path, str]] = field(default_factory=list)
    warnings: list[tuple[Path, str]] = field(default_factory=list)


def check_definition(definition: Any, path: Path = ()) -> Findings:
    """Errors and warnings for one definition that already passed the schema."""
    findings = Findings()
    if not isinstance(definition, dict):
        return findings
    condition = definition.get("condition")
    if isinstance(condition, list):
        _check_expression(condition, (*path, "condition"), findings)
    actions = definition.get("actions")
    if isinstance(actions, list):
        for index, action in enumerate(actions):
            if isinstance(action, list) and action and isinstance(action[0], str):
                name = action[0]
                if name not in KNOWN_ACTIONS:
                    findings.warnings.append(
                        (
                            (*path, "actions", index, 0),
                            f"unknown action {name!r}{_hint(name, KNOWN_ACTIONS)}",
                        )
                    )
    return findings


def _hint(name: str, known: frozenset[str]) -> str:
    return suggest(name, sorted(known)) or " (sent as written)"


def _check_expression(expr: Any, path: Path, findings: Findings) -> None:
    if not isinstance(expr, list):
        findings.errors.append((path, f"expected a sub-expression (a list), got {describe(expr)}"))
        return
    if not expr:
        findings.errors.append((path, "empty expression: expected an operator and its operands"))
        return
    head, operands = expr[0], expr[1:]
    if not isinstance(head, str):
        message = f"expected an operator name first (e.g. 'and', 'eq'), got {describe(head)}"
        findings.errors.append(((*path, 0), message))
        return
    if head in LOGICAL:
        if not operands:
            findings.errors.append((path, f"'{head}' needs at least one sub-expression"))
        for index, operand in enumerate(operands, start=1):
            _check_expression(operand, (*path, index), findings)
    elif head == NEGATION:
        if len(operands) != 1:
            message = f"'not' takes exactly one sub-expression, got {len(operands)}"
            findings.errors.append((path, message))
        else:
            _check_expression(operands[0], (*path, 1), findings)
    elif head in COMPARISONS:
        _check_operands(head, operands, 2, path, findings)
    elif head in DELAYS:
        _check_operands(head, operands, 1, path, findings)
    elif head in (TAG, FIRED_BEFORE):
        pass  # known; odd operands are at most a warning (docs/language.md), never an error
    else:
        findings.warnings.append(
            ((*path, 0), f"unknown condition operator {head!r}{_hint(head, KNOWN_OPERATORS)}")
        )


def _check_operands(
    head: str, operands: Sequence[Any], count: int, path: Path, f: Findings
) -> None:
    if len(operands) != count:
        what = "a variable and a value" if count == 2 else "one value"
        f.errors.append((path, f"'{head}' takes {what}, got {len(operands)} operand(s)"))
        return
    for index, operand in enumerate(operands, start=1):
        if not isinstance(operand, _SCALAR):
            message = f"'{head}' operands are plain values, got {describe(operand)}"
            f.errors.append(((*path, index), message))
