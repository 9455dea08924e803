"""Departments by name: a configuration may route with `["setDepartment", "Sales"]`, and the API
always receives Sales' id in this account (docs/configuration.md#departments).

Zendesk routes a chat with `["setDepartment", ID]`, and a department's id differs from one
account to the next (a sandbox and production never share them). Names are resolved against
the account's departments, read with one list request made only when a declared definition
names one; the diff then compares ids, so a department renamed in Zendesk never forces a
replacement by itself. `export` (and `adopt`) go the other way: an id becomes the name that
reads back to it alone. A string is always a name, digits included: ids are written as numbers.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from triggersync.engine.model import Trigger
from triggersync.engine.plan import Change
from triggersync.errors import JsonPath, Location, Problem, Rule, Severity
from triggersync.language.literals import literal
from triggersync.language.rules import DEPARTMENT_KEPT, DISABLED_DEPARTMENT
from triggersync.language.vocabulary import SET_DEPARTMENT, did_you_mean


@dataclass(frozen=True)
class Department:
    id: int
    name: str
    enabled: bool = True


@dataclass(frozen=True)
class Departments:
    """An account's departments, as its list request returned them."""

    items: tuple[Department, ...] = ()

    def named(self, name: str) -> tuple[Department, ...]:
        return self._by_name.get(name, ())

    def get(self, department_id: int) -> Department | None:
        return self._by_id.get(department_id)

    # Indexed once: a configuration of thousands of triggers looks up a name for each.
    @functools.cached_property
    def _by_name(self) -> dict[str, tuple[Department, ...]]:
        index: dict[str, tuple[Department, ...]] = {}
        for department in self.items:
            index[department.name] = (*index.get(department.name, ()), department)
        return index

    @functools.cached_property
    def _by_id(self) -> dict[int, Department]:
        return {department.id: department for department in reversed(self.items)}

    def names(self) -> dict[int, str]:
        """id → name, for each department whose name no other department has: the name reads
        back to that id alone, so it may stand for it in a file and next to it in a plan."""
        count = Counter(department.name for department in self.items)
        return {d.id: d.name for d in self.items if count[d.name] == 1}


@dataclass(frozen=True)
class NamedDepartment:
    """A `setDepartment` that names a department: where it is written, for messages."""

    trigger: str  # the declaring trigger's name
    action: int  # its index in the definition's actions
    name: str
    path: JsonPath = ()  # in its file's document, e.g. triggers[2].definition.actions[0][1]
    location: Location | None = None
    # The rule ids its trigger's `# triggersync: ignore[...]` name-line comment switches off.
    ignored: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Resolution:
    """Declared triggers with every department name replaced by its id, what went wrong, and
    the names of the departments they route to (for plans and explanations)."""

    triggers: tuple[Trigger, ...]
    problems: tuple[Problem, ...]
    names: dict[int, str]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(problem for problem in self.problems if problem.is_error)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(problem for problem in self.problems if not problem.is_error)


def _routes(definition: Any) -> Iterator[tuple[int, Any]]:
    """(index, operand) of each well-formed `["setDepartment", OPERAND]` action."""
    actions = definition.get("actions") if isinstance(definition, dict) else None
    if not isinstance(actions, list):
        return
    for index, action in enumerate(actions):
        if isinstance(action, list) and len(action) == 2 and action[0] == SET_DEPARTMENT:
            yield index, action[1]


def named_in(definition: Any) -> list[tuple[int, str]]:
    """(action index, name) of each `setDepartment` in a definition that names its department."""
    return [(index, operand) for index, operand in _routes(definition) if isinstance(operand, str)]


def ids_in(definition: Any) -> list[int]:
    """The department ids a definition routes to."""
    return [operand for _, operand in _routes(definition) if _is_id(operand)]


def routed_ids(changes: Iterable[Change]) -> list[int]:
    """The department ids the changes' definitions route to, on either side."""
    return [
        number
        for change in changes
        for side in (change.before, change.after)
        if side is not None
        for number in ids_in(side.get("definition"))
    ]


def _is_id(operand: Any) -> bool:
    return isinstance(operand, int) and not isinstance(operand, bool)


def names_any(triggers: Sequence[Trigger]) -> bool:
    """Whether some definition names a department: only then are departments read."""
    return any(named_in(trigger.definition) for trigger in triggers)


def references(triggers: Sequence[Trigger]) -> list[NamedDepartment]:
    """Every department named in the triggers' definitions, without a place."""
    return [
        NamedDepartment(trigger.name, index, name)
        for trigger in triggers
        for index, name in named_in(trigger.definition)
    ]


def resolve(
    triggers: Sequence[Trigger],
    departments: Departments,
    *,
    places: Sequence[NamedDepartment] = (),
    live: Sequence[Trigger] = (),
) -> Resolution:
    """The triggers as the API must receive them: each department name replaced by the id of
    the one department that has it.

    A name no department has is an error (with a did-you-mean), and so is a name two
    departments share (naming both ids); a disabled department is a warning. `places` says
    where each name is written (config.Config.departments); a name without one is placed at
    its trigger. A name that no department has but that the matching `live` trigger holds
    as it is (Zendesk keeps what it was sent) stays as written, with a warning: a file
    exported from the account reads back unchanged (never stricter than the API).
    """
    where = {(place.trigger, place.action): place for place in places}
    held = {trigger.name: trigger for trigger in live}
    problems: list[Problem] = []
    used: set[int] = set()
    resolved: list[Trigger] = []
    for trigger in triggers:
        named = named_in(trigger.definition)
        if not named:
            resolved.append(trigger)
            continue
        actions = list(trigger.definition["actions"])
        have = held.get(trigger.name) or held.get(trigger.renamed_from or "")
        for index, name in named:
            department, problem = _resolve_one(name, departments, have)
            if department is not None:
                actions[index] = [SET_DEPARTMENT, department.id]
                used.add(department.id)
            if problem is not None:
                message, rule = problem
                place = where.get((trigger.name, index))
                if rule is None or place is None or rule.id not in place.ignored:
                    problems.append(_problem(trigger, index, place, message, rule))
        resolved.append(replace(trigger, definition={**trigger.definition, "actions": actions}))
    return Resolution(
        tuple(resolved), tuple(sorted(problems, key=Problem.sort_key)), names_for(used, departments)
    )


def _resolve_one(
    name: str, departments: Departments, live: Trigger | None
) -> tuple[Department | None, tuple[str, Rule | None] | None]:
    """The department a name stands for, and what to say about it: a warning with its rule,
    or an error (no rule)."""
    found = departments.named(name)
    if len(found) == 1:
        department = found[0]
        if department.enabled:
            return department, None
        warning = (
            f"department {literal(name)} (id {department.id}) is disabled: chats routed to it "
            "are not served until it is enabled"
        )
        return department, (warning, DISABLED_DEPARTMENT)
    if found:
        ids = " and ".join(str(department.id) for department in found)
        error = (
            f"department name {literal(name)} is shared by the departments with ids {ids}: "
            "write the id of the one you mean, as a number"
        )
        return None, (error, None)
    if live is not None and [SET_DEPARTMENT, name] in _actions(live.definition):
        warning = (
            f"no department is named {literal(name)}; kept as written, as the live trigger holds it"
        )
        return None, (warning, DEPARTMENT_KEPT)
    return None, (_unknown(name, departments), None)


def _actions(definition: Any) -> list[Any]:
    actions = definition.get("actions") if isinstance(definition, dict) else None
    return actions if isinstance(actions, list) else []


def _unknown(name: str, departments: Departments) -> str:
    message = f"no department is named {literal(name)}"
    if name.strip().isdigit() and departments.get(int(name)) is not None:
        return f"{message}; for the department with id {int(name)}, write the id as a number"
    known = sorted({department.name for department in departments.items})
    if not known:
        return f"{message}: the account has no departments"
    close = did_you_mean(name, known) or _contained(name, known)
    if close is not None:
        return f"{message} (did you mean {literal(close)}?)"
    if len(known) <= _LISTED:
        return f"{message}; the account's departments: {', '.join(map(literal, known))}"
    return message


_LISTED = 10  # an account with few departments has them all listed in the error


def _contained(name: str, known: Sequence[str]) -> str | None:
    """The one department whose name holds `name`, or is held in it, ignoring case: a name
    that was renamed in Zendesk (`Sales` → `Sales EMEA`) is found again."""
    wanted = name.casefold().strip()
    if not wanted:
        return None
    found = [k for k in known if k and (wanted in k.casefold() or k.casefold() in wanted)]
    return found[0] if len(found) == 1 else None


def _problem(
    trigger: Trigger,
    index: int,
    place: NamedDepartment | None,
    message: str,
    rule: Rule | None,
) -> Problem:
    """An error when there is no rule; a warning of its rule otherwise."""
    severity = Severity.ERROR if rule is None else Severity.WARNING
    if place is not None and place.location is not None:
        return Problem(
            path=place.path, location=place.location, message=message, severity=severity, rule=rule
        )
    path: JsonPath = ("definition", "actions", index, 1)
    return Problem(
        path=path,
        location=trigger.location,
        message=f"trigger {literal(trigger.name)}: {message}",
        severity=severity,
        rule=rule,
    )


def names_for(ids: Iterable[int], departments: Departments) -> dict[int, str]:
    """The names to show next to these ids: those that read back to their id alone."""
    names = departments.names()
    return {number: names[number] for number in sorted(set(ids)) if number in names}


def with_names(
    triggers: Sequence[Trigger],
    departments: Departments,
    *,
    declared: Sequence[Trigger] = (),
) -> tuple[list[Trigger], list[str]]:
    """Live triggers with each department id written as its name, where the name reads back
    to that id alone (for export and adopt); and a warning for each id kept: one no
    department has, or one whose name another department shares.

    Where a `declared` trigger of the same name already routes that action to the same
    department (by its id, or by a name that resolves to it), its operand is kept as written:
    adopting a file changes no department it already names or numbers rightly."""
    names = departments.names()
    written = {trigger.name: _actions(trigger.definition) for trigger in declared}
    out: list[Trigger] = []
    warnings: list[str] = []
    for trigger in triggers:
        routes = [(i, operand) for i, operand in _routes(trigger.definition) if _is_id(operand)]
        if not routes:
            out.append(trigger)
            continue
        actions = list(trigger.definition["actions"])
        mine = written.get(trigger.name, [])
        for index, department_id in routes:
            kept = _as_declared(mine, index, department_id, departments)
            if kept is not None:
                actions[index] = [SET_DEPARTMENT, kept]
                continue
            if department_id in names:
                actions[index] = [SET_DEPARTMENT, names[department_id]]
                continue
            department = departments.get(department_id)
            if department is None:
                why = "no department has it"
            else:
                why = f"another department is named {literal(department.name)} too"
            warnings.append(
                f"{DEPARTMENT_KEPT}: trigger {literal(trigger.name)}: setDepartment "
                f"{department_id} is kept as an id: {why}"
            )
        out.append(replace(trigger, definition={**trigger.definition, "actions": actions}))
    return out, warnings


def _as_declared(
    actions: list[Any], index: int, department_id: int, departments: Departments
) -> int | str | None:
    """The operand a declaration writes for this department at `index`, if it names or
    numbers the same department."""
    if index >= len(actions):
        return None
    action = actions[index]
    if not (isinstance(action, list) and len(action) == 2 and action[0] == SET_DEPARTMENT):
        return None
    operand = action[1]
    if _is_id(operand) and operand == department_id:
        return int(operand)
    if isinstance(operand, str):
        found = departments.named(operand)
        if len(found) == 1 and found[0].id == department_id:
            return operand
    return None
