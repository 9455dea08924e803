"""Scenario files → scenarios, each with its place, or every problem at once.

Scenario files are found as configuration is (files named, `*.yaml`/`*.yml` in folders named,
recursively, hidden entries skipped), read by the same loader (so every problem has its
file:line:col) and checked against `schemas/scenarios.schema.json`. They are never read as
triggers. A trigger named in `expect` that no configuration declares is an error, with a
did-you-mean; a variable or event the tool does not know, and a `fired_before` name that is not
declared, are warnings (docs/scenarios.md).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from triggersync.config import schema
from triggersync.config.files import discover, folders
from triggersync.config.reader import Document, read
from triggersync.engine.schemas import packaged_schema
from triggersync.errors import (
    ConfigError,
    JsonPath,
    JsonPathPart,
    Location,
    Problem,
    Rule,
    Severity,
)
from triggersync.language import EVENTS, did_you_mean, rules
from triggersync.language.scenarios import (
    Scenario,
    TriggerSpec,
    key_of,
    kind_mismatch,
    known_keys,
)

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

SCENARIOS_SCHEMA_NAME = "scenarios.schema.json"
EMPTY_SCENARIO_FILE = "the file is empty; declare no scenarios with `scenarios: []`"
SAVED_PLAN_NOT_SCENARIOS = (
    "this is a saved plan, not scenarios; did you mean `triggersync apply --plan {}`?"
)
CONFIGURATION_GIVEN = (
    "this is a configuration file (it declares triggers or ignore), not scenarios: "
    "give it as a PATH, and scenario files with --scenarios"
)


@dataclass(frozen=True)
class PlacedScenario:
    scenario: Scenario
    location: Location  # the scenario's own mapping in its file
    path: JsonPath  # where in its file: ("scenarios", 2)


@dataclass(frozen=True)
class Scenarios:
    scenarios: tuple[PlacedScenario, ...]  # in file order, files sorted by path
    files: tuple[str, ...]
    warnings: tuple[Problem, ...]


def load_scenarios_schema() -> dict[str, Any]:
    return packaged_schema(SCENARIOS_SCHEMA_NAME)


@functools.cache
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    document = load_scenarios_schema()
    Draft202012Validator.check_schema(document)
    return Draft202012Validator(document)


@functools.cache
def _scenario_validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(
        {"$defs": load_scenarios_schema()["$defs"], "$ref": "#/$defs/scenario"}
    )


def scenario_schema_problems(data: Any) -> list[schema.ProblemAtKey]:
    """Every schema problem of one file, in plain words. jsonschema costs ~1 ms a scenario, so
    each scenario that `plainly_valid` vouches for skips it; the rest, and the top level, are
    validated (and explained) by jsonschema."""
    items = data.get("scenarios") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return schema.problems(_validator(), data)
    found = (
        []
        if data.keys() == {"scenarios"}
        else schema.problems(_validator(), {**data, "scenarios": []})
    )
    for index, item in enumerate(items):
        if not plainly_valid(item):
            found.extend(schema.problems(_scenario_validator(), item, ("scenarios", index)))
    return found


_SCENARIO_KEYS = frozenset({"name", "event", "visitor", "fired_before", "expect"})
_EXPECT_KEYS = frozenset({"fires", "does_not_fire"})
_PLAIN = (str, int, float)  # bool is an int


def plainly_valid(item: Any) -> bool:
    """True only for a scenario the schema surely accepts; False means "ask jsonschema"."""
    if type(item) is not dict or not item.keys() <= _SCENARIO_KEYS:
        return False
    if not all(_name(item.get(key)) for key in ("name", "event")):
        return False
    visitor = item.get("visitor")
    if visitor is not None:
        if type(visitor) is not dict:
            return False
        for value in visitor.values():
            if type(value) is list:
                if not all(isinstance(v, _PLAIN) for v in value):
                    return False
            elif value is not None and not isinstance(value, _PLAIN):
                return False
    fired_before = item.get("fired_before")
    if fired_before is not None and not _names(fired_before):
        return False
    expect = item.get("expect")
    if type(expect) is not dict or not expect or not expect.keys() <= _EXPECT_KEYS:
        return False
    return all(_names(names) for names in expect.values())


def _name(value: Any) -> bool:
    return type(value) is str and value != ""


def _names(value: Any) -> bool:
    return type(value) is list and all(_name(name) for name in value)


@dataclass(frozen=True)
class _Context:
    """What scenarios are checked against: the configuration's trigger names and the names
    a visitor may set."""

    triggers: Collection[str]
    keys: Collection[str]
    events: Collection[str]


def load_scenarios(
    paths: Sequence[str | os.PathLike[str]], triggers: Sequence[TriggerSpec]
) -> Scenarios:
    """Every scenario of every file; ConfigError carrying every problem of every file."""
    files, issues = discover(paths)
    definitions = [trigger.definition for trigger in triggers]
    events = {d.get("event") for d in definitions if isinstance(d, dict)}
    context = _Context(
        triggers={trigger.name: None for trigger in triggers},
        keys=known_keys(definitions),
        events={*EVENTS, *(event for event in events if isinstance(event, str))},
    )
    warnings: list[Problem] = []
    placed: list[PlacedScenario] = []
    within = folders(paths)
    for file in files:
        _load_file(file, within, context, issues, warnings, placed)
    issues.extend(_duplicates(placed))
    if issues:
        raise ConfigError(issues)
    return Scenarios(tuple(placed), tuple(files), tuple(sorted(warnings, key=Problem.sort_key)))


def _load_file(
    file: str,
    within: tuple[str, ...],
    context: _Context,
    issues: list[Problem],
    warnings: list[Problem],
    placed: list[PlacedScenario],
) -> None:
    try:
        document = read(file, within)
    except ConfigError as exc:
        issues.extend(exc.problems)
        return
    source = _Source(document)
    for problem in document.problems:
        (issues if problem.is_error else warnings).append(problem)
    data = document.data
    if data is None:
        issues.append(source.issue((), EMPTY_SCENARIO_FILE))
        return
    if isinstance(data, dict) and "scenarios" not in data and {"triggers", "ignore"} & data.keys():
        issues.append(source.issue((), CONFIGURATION_GIVEN))
        return
    if (
        isinstance(data, dict)
        and "scenarios" not in data
        and {"format_version", "changes"} & data.keys()
    ):
        issues.append(source.issue((), SAVED_PLAN_NOT_SCENARIOS.format(file)))
        return
    broken: set[JsonPath] = set()
    for problem, at_key in scenario_schema_problems(data):
        issues.append(source.issue(problem.path, problem.message, key=at_key))
        broken.add(problem.path[:2])
    if not isinstance(data, dict) or ("scenarios",) in broken or () in broken:
        return
    items = data.get("scenarios")
    for index, item in enumerate(items if isinstance(items, list) else []):
        if ("scenarios", index) in broken:
            continue
        scenario = _scenario(item, ("scenarios", index), source, context, issues, warnings)
        if scenario is not None:
            where = ("scenarios", index)
            placed.append(PlacedScenario(scenario, document.location(where), where))


@dataclass(frozen=True)
class _Source:
    document: Document

    def issue(
        self,
        path: Sequence[JsonPathPart],
        message: str,
        *,
        key: bool = False,
        severity: Severity = Severity.ERROR,
    ) -> Problem:
        problem = Problem(path=tuple(path), message=message, severity=severity)
        [placed] = self.document.place([(problem, key)])
        return placed

    def warning(
        self, rule: Rule, path: Sequence[JsonPathPart], message: str, *, key: bool = False
    ) -> Problem:
        problem = self.issue(path, message, key=key, severity=Severity.WARNING)
        return replace(problem, rule=rule)


def _scenario(
    item: dict[str, Any],
    path: JsonPath,
    source: _Source,
    context: _Context,
    issues: list[Problem],
    warnings: list[Problem],
) -> Scenario | None:
    """One scenario the schema accepted, with its names checked; None when it has an error."""
    problems = len(issues)
    event: str = item["event"]
    if event not in context.events:
        warnings.append(
            source.warning(
                rules.UNKNOWN_EVENT, (*path, "event"), _unknown("event", event, context.events)
            )
        )
    given = item.get("visitor") or {}
    visitor = _visitor(given, (*path, "visitor"), source, context, issues, warnings)
    fired_before = tuple(item.get("fired_before") or ())
    for index, name in enumerate(fired_before):
        if name not in context.triggers:
            message = _not_declared(name, context.triggers) + "; it is read only by firedBefore"
            warnings.append(
                source.warning(rules.UNKNOWN_TRIGGER, (*path, "fired_before", index), message)
            )
    expect = item["expect"]
    fires = tuple(expect["fires"]) if "fires" in expect else None
    does_not_fire = tuple(expect.get("does_not_fire", ()))
    for field, names in (("fires", fires or ()), ("does_not_fire", does_not_fire)):
        for index, name in enumerate(names):
            where = (*path, "expect", field, index)
            if name not in context.triggers:
                issues.append(source.issue(where, _not_declared(name, context.triggers)))
            elif field == "does_not_fire" and fires is not None and name in fires:
                message = f"{name!r} is expected both to fire and not to fire"
                issues.append(source.issue(where, message))
    if len(issues) > problems:
        return None
    return Scenario(item["name"], event, visitor, fired_before, fires, does_not_fire)


def _visitor(
    given: dict[str, Any],
    path: JsonPath,
    source: _Source,
    context: _Context,
    issues: list[Problem],
    warnings: list[Problem],
) -> dict[str, Any]:
    visitor: dict[str, Any] = {}
    for name, value in given.items():
        key = key_of(name)
        where = (*path, name)
        if key in visitor:
            message = f"{key} is set twice (with and without '@')"
            issues.append(source.issue(where, message, key=True))
            continue
        visitor[key] = value
        if key not in context.keys:
            message = _unknown("variable", key, context.keys)
            warnings.append(
                source.warning(
                    rules.UNKNOWN_VARIABLE, where, f"{message}; no condition reads it", key=True
                )
            )
        else:
            mismatch = kind_mismatch(key, value)
            if mismatch:
                warnings.append(source.warning(rules.WRONG_OPERAND, where, mismatch))
    return visitor


def _unknown(what: str, name: str, choices: Iterable[str]) -> str:
    close = did_you_mean(name, choices)
    hint = f" (did you mean {close!r}?)" if close is not None and close != name else ""
    return f"unknown {what} {name!r}{hint}"


def _not_declared(name: str, declared: Iterable[str]) -> str:
    close = did_you_mean(name, declared)
    hint = f" (did you mean {close!r}?)" if close is not None and close != name else ""
    return f"no trigger named {name!r} in the configuration{hint}"


def _duplicates(placed: list[PlacedScenario]) -> list[Problem]:
    issues: list[Problem] = []
    first: dict[str, PlacedScenario] = {}
    for entry in placed:
        name = entry.scenario.name
        if name in first:
            where = first[name].location
            message = f"duplicate scenario name {name!r}: also at {where}"
            issues.append(
                Problem(path=(*entry.path, "name"), location=entry.location, message=message)
            )
        else:
            first[name] = entry
    return issues
