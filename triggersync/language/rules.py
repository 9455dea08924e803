"""The rules: every warning the tool gives, each with an id and a name (docs/rules.md).

A warning says "used as written, but probably not what was meant"; it never stops a command
unless the project asks for strictness (`--strict`, or `strict: true` in the project file),
and a rule can be switched off by id for the whole project (`rules: {ignore: [TS201]}`) or
for one trigger (`# triggersync: ignore[TS201]` on its `name` line).

Ids are stable and never reused: TS1xx the vocabulary (names and shapes the tool does not
know), TS2xx logic (what a definition does when it runs), TS3xx the project's own conventions,
TS4xx the account and the data as written.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Final

from triggersync.errors import ConfigError, Problem, Rule, Severity

# TS1xx: the vocabulary.
UNKNOWN_KEY: Final = Rule(
    "TS101", "unknown-key", "a definition key other than event, condition and actions"
)
UNKNOWN_EVENT: Final = Rule(
    "TS102", "unknown-event", "an event that is missing or not one Zendesk runs"
)
UNKNOWN_OPERATOR: Final = Rule("TS103", "unknown-operator", "an operator the tool does not know")
UNKNOWN_VARIABLE: Final = Rule("TS104", "unknown-variable", "a variable the tool does not know")
UNKNOWN_ACTION: Final = Rule("TS105", "unknown-action", "an action the tool does not know")
WRONG_ARITY: Final = Rule(
    "TS106", "wrong-arity", "an operator or action with the wrong number of operands"
)
WRONG_OPERAND: Final = Rule(
    "TS107", "wrong-operand", "an operand of a kind that cannot work as meant"
)
TOO_DEEP: Final = Rule("TS108", "too-deep", "a condition nested too deep to check")
UNKNOWN_TRIGGER: Final = Rule(
    "TS109", "unknown-trigger", "a scenario's fired_before names a trigger no file declares"
)
UNREAD_IGNORE_COMMENT: Final = Rule(
    "TS110",
    "unread-ignore-comment",
    "an ignore comment that switches nothing off: an unknown id, or not on a name line",
)

# TS2xx: logic.
UNGUARDED_PAGE_MESSAGE: Final = Rule(
    "TS201", "unguarded-page-message", "a page_enter message with no guard against repeating"
)
INVALID_REGEX: Final = Rule("TS202", "invalid-regex", "a regex/iregex value that does not compile")
NEVER_HOLDS: Final = Rule("TS203", "never-holds", "a condition that can never hold")
DUPLICATE_CONDITION: Final = Rule(
    "TS204", "duplicate-condition", "two enabled triggers with the same event and condition"
)
OVERLAPPING_MESSAGES: Final = Rule(
    "TS205", "overlapping-messages", "two triggers that both send a message to the same visitor"
)
NO_ACTIONS: Final = Rule("TS206", "no-actions", "a definition with no actions")
NO_CONDITION: Final = Rule("TS207", "no-condition", "a definition whose condition is missing")
EMPTY_CONDITION: Final = Rule("TS208", "empty-condition", "an empty condition inside another")

# TS3xx: the project's conventions (patterns set in the project file).
NAME_PATTERN: Final = Rule(
    "TS301", "name-pattern", "a trigger name that breaks the project's pattern"
)
DESCRIPTION_PATTERN: Final = Rule(
    "TS302", "description-pattern", "a description that breaks the project's pattern"
)

# TS4xx: the account and the data as written.
DISABLED_DEPARTMENT: Final = Rule(
    "TS401", "disabled-department", "setDepartment names a department that is disabled"
)
AMBIGUOUS_YAML_VALUE: Final = Rule(
    "TS402", "ambiguous-yaml-value", "an unquoted YAML 1.1 value that reads as another number"
)
DEPARTMENT_KEPT: Final = Rule(
    "TS403",
    "department-kept",
    "a setDepartment kept as written: a name the account lacks, or an id no name stands for",
)

RULES: Final[Mapping[str, Rule]] = {
    rule.id: rule
    for rule in (
        UNKNOWN_KEY,
        UNKNOWN_EVENT,
        UNKNOWN_OPERATOR,
        UNKNOWN_VARIABLE,
        UNKNOWN_ACTION,
        WRONG_ARITY,
        WRONG_OPERAND,
        TOO_DEEP,
        UNKNOWN_TRIGGER,
        UNREAD_IGNORE_COMMENT,
        UNGUARDED_PAGE_MESSAGE,
        INVALID_REGEX,
        NEVER_HOLDS,
        DUPLICATE_CONDITION,
        OVERLAPPING_MESSAGES,
        NO_ACTIONS,
        NO_CONDITION,
        EMPTY_CONDITION,
        NAME_PATTERN,
        DESCRIPTION_PATTERN,
        DISABLED_DEPARTMENT,
        AMBIGUOUS_YAML_VALUE,
        DEPARTMENT_KEPT,
    )
}

RULE_ID: Final = re.compile(r"TS\d{3}")
# `# triggersync: ignore[TS201]` or `# triggersync: ignore[TS201, TS205]`, on a name line.
IGNORE_COMMENT: Final = re.compile(r"#\s*triggersync:\s*ignore\[([^\]]*)\]")


def rule_by_id(rule_id: str) -> Rule | None:
    return RULES.get(rule_id)


@dataclass(frozen=True)
class RuleSettings:
    """What a project asks of the rules (docs/rules.md#settings): warnings as errors, rules
    switched off by id, and the patterns its names and descriptions follow."""

    strict: bool = False
    ignore: frozenset[str] = frozenset()
    name_pattern: str | None = None
    description_pattern: str | None = None

    @classmethod
    def from_mapping(
        cls, strict: Any = False, rules: Mapping[str, Any] | None = None
    ) -> RuleSettings:
        """From a project file's `strict` and `rules` values, already shaped by its schema;
        ValueError names the first value that `settings_problems` finds wrong."""
        rules = rules or {}
        for path, message in settings_problems(rules):
            raise ValueError(f"rules.{'.'.join(map(str, path))}: {message}")
        return cls(
            strict=bool(strict),
            ignore=frozenset(str(rule_id) for rule_id in rules.get("ignore", ())),
            name_pattern=rules.get("name_pattern"),
            description_pattern=rules.get("description_pattern"),
        )

    def with_strict(self, strict: bool) -> RuleSettings:
        """These settings, made strict by `--strict` (the flag never makes them lenient)."""
        return replace(self, strict=self.strict or strict)

    def keeps(self, problem: Problem) -> bool:
        """Whether a warning stays once the project's switched-off rules are taken away."""
        return problem.rule is None or problem.rule.id not in self.ignore


def settings_problems(rules: Mapping[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
    """What a `rules` mapping of the right shape gets wrong, each with its path inside it: a
    rule id no rule has, a pattern that does not compile."""
    found: list[tuple[tuple[str | int, ...], str]] = []
    ignore = rules.get("ignore", ())
    for index, rule_id in enumerate(ignore if isinstance(ignore, list | tuple) else ()):
        if rule_id not in RULES:
            close = difflib.get_close_matches(str(rule_id), RULES, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            found.append(
                (("ignore", index), f"unknown rule id {rule_id!r}{hint}; see docs/rules.md")
            )
    for key in ("name_pattern", "description_pattern"):
        pattern = rules.get(key)
        if isinstance(pattern, str):
            try:
                re.compile(pattern)
            except re.error as exc:
                found.append(((key,), f"the pattern does not compile: {exc}"))
    return found


def enforce(warnings: Iterable[Problem], settings: RuleSettings) -> None:
    """Under strict settings, every warning is an error: ConfigError carrying them all. A
    warning of a rule the settings switch off is none (a saved plan made before the project
    switched it off still lists it)."""
    if not settings.strict:
        return
    found = [
        replace(problem, severity=Severity.ERROR) for problem in warnings if settings.keeps(problem)
    ]
    if found:
        raise ConfigError(found)
