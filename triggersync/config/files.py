"""Configuration files → Config: every declared trigger with its place, or every problem at once.

Files are found (folders searched for YAML), then each is read (reader), its `${NAME}`
references filled (variables), its top level and triggers checked against the JSON Schema
(schema) and its definitions read as Zendesk reads them (`language.check`: warnings for all a
live trigger can hold), then each trigger goes through the one normalisation (engine.model).
Across files: duplicate names, rename collisions and ignore globs that contradict declarations.
docs/configuration.md describes the rules.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from triggersync.config import schema
from triggersync.config import variables as refs
from triggersync.config.ignores import Ignores, read_ignores
from triggersync.config.reader import Document, paused_gc, read
from triggersync.engine.departments import NamedDepartment, named_in
from triggersync.engine.lock import LOCK_NAME, looks_like_lock
from triggersync.engine.model import Trigger, normalise
from triggersync.errors import ConfigError, JsonPath, Location, Problem
from triggersync.language import across, check_definition
from triggersync.language.rules import RuleSettings, enforce

EXTENSIONS = (".yaml", ".yml")
EMPTY_CONFIG_FILE = "the file is empty; declare no triggers with `triggers: []`"
NOTHING_DECLARED = (
    "the file declares neither `triggers` nor `ignore`; declare no triggers with `triggers: []`"
)
SAVED_PLAN_NOT_CONFIG = (
    "this is a saved plan, not configuration; did you mean `triggersync apply --plan {}`?"
)
PROJECT_FILE = (
    "this is a project file (it names accounts or settings), not configuration: run the command "
    "without PATH to use it, or with --project {}"
)
# A folder's project file is not configuration: folders are walked without it.
PROJECT_FILE_NAME = "triggersync.yaml"
SCENARIOS = "scenario files are not configuration: pass them with `triggersync test --scenarios {}`"


@dataclass(frozen=True)
class IgnoreGlob:
    pattern: str
    location: Location


@dataclass(frozen=True)
class Config:
    triggers: tuple[Trigger, ...]  # in file order, files sorted by path
    ignore: tuple[IgnoreGlob, ...]
    files: tuple[str, ...]  # every file read
    warnings: tuple[Problem, ...]  # e.g. unknown operator/action names, sorted by place
    # Each department a definition names rather than gives by id, with its place: resolved
    # against the account (engine.departments), errors at the name's line.
    departments: tuple[NamedDepartment, ...] = ()
    # The rule settings it was loaded under: planning's own warnings (a disabled department)
    # are switched off, or made errors, as the files' were.
    settings: RuleSettings = field(default_factory=RuleSettings)
    # The rule ids each trigger's `# triggersync: ignore[...]` comment switches off, by name:
    # for the warnings `simulate` and `test` find once the files are gone.
    silenced: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def is_ignored(self, name: str) -> bool:
        return any(fnmatch.fnmatchcase(name, glob.pattern) for glob in self.ignore)


@dataclass(frozen=True)
class _Declared:
    trigger: Trigger
    document: Document
    index: int


@dataclass(frozen=True)
class _Glob:
    glob: IgnoreGlob
    index: int


@dataclass
class _Loading:
    """What the files have given so far."""

    problems: list[Problem] = field(default_factory=list)  # errors and warnings, placed
    declared: list[_Declared] = field(default_factory=list)
    departments: list[NamedDepartment] = field(default_factory=list)
    globs: list[_Glob] = field(default_factory=list)


def discover(paths: Sequence[str | os.PathLike[str]]) -> tuple[list[str], list[Problem]]:
    """Files named, and YAML files in folders named (recursive, hidden entries skipped)."""
    found: dict[str, str] = {}
    problems: list[Problem] = []
    for raw in paths:
        path = os.path.normpath(os.fspath(raw))
        if os.path.isdir(path):
            inside = _walk(path)
            if not inside:
                problems.append(_at_top(path, "no *.yaml or *.yml files in this folder"))
            for file in inside:
                found.setdefault(os.path.realpath(file), file)
        elif os.path.lexists(path):  # a file, or what the reader refuses by name
            found.setdefault(os.path.realpath(path), path)
        else:
            # Not placed at a line: there is no file to have one.
            problems.append(Problem(message=f"no such file or directory: {path}"))
    return sorted(found.values(), key=lambda f: Path(f).parts), problems


def folders(paths: Sequence[str | os.PathLike[str]]) -> tuple[str, ...]:
    """The folders among the paths given: links inside them may lead anywhere inside them."""
    return tuple(os.fspath(path) for path in paths if os.path.isdir(path))


def _at_top(file: str, message: str) -> Problem:
    return Problem(location=Location(file, 1, 1), message=message)


def _walk(folder: str) -> list[str]:
    files: list[str] = []
    for directory, subdirs, names in os.walk(folder):
        subdirs[:] = [d for d in subdirs if not d.startswith(".")]
        files.extend(
            os.path.join(directory, n)
            for n in names
            if n.endswith(EXTENSIONS) and not n.startswith(".") and n != PROJECT_FILE_NAME
        )
    return files


def load(
    paths: Sequence[str | os.PathLike[str]],
    variables: Mapping[str, str] | None = None,
    settings: RuleSettings | None = None,
) -> Config:
    """Load and validate every file; ConfigError carrying every error of every file (and,
    under strict settings, every warning as an error: docs/rules.md#settings)."""
    settings = settings or RuleSettings()
    files, problems = discover(paths)
    loading = _Loading(problems)
    within = folders(paths)
    with paused_gc():
        for file in files:
            _load_file(file, variables or {}, loading, within)
        loading.problems.extend(_cross_checks(loading.declared, loading.globs))
    errors = [problem for problem in loading.problems if problem.is_error]
    if errors:
        raise ConfigError(errors)
    loading.problems.extend(_across(loading.declared, settings))
    comments = _ignore_comments(loading)
    warnings = sorted(_kept(loading, settings, comments), key=Problem.sort_key)
    enforce(warnings, settings)
    return Config(
        triggers=tuple(d.trigger for d in loading.declared),
        ignore=tuple(g.glob for g in loading.globs),
        files=tuple(files),
        warnings=tuple(warnings),
        departments=_departments(loading, comments),
        silenced=_silenced(loading, comments),
        settings=settings,
    )


def _across(declared: list[_Declared], settings: RuleSettings) -> list[Problem]:
    """The rules that read several triggers, or the project's patterns, placed."""
    subjects = [
        across.Subject(
            name=entry.trigger.name,
            description=entry.trigger.description,
            enabled=bool(entry.trigger.enabled),
            definition=entry.trigger.definition,
            where=str(entry.trigger.location or ""),
        )
        for entry in declared
    ]
    pending = [
        (declared[index].document, problem.under(("triggers", declared[index].index)))
        for index, problem in across.check_all(subjects, settings)
    ]
    return _place(pending)


def _ignore_comments(loading: _Loading) -> dict[str, Ignores]:
    """Each file's ignore comments (config/ignores.py), read once per file, not once per
    warning: a 5 MB file with thousands of warnings took seconds scanning its text over and
    over."""
    indexes: dict[str, list[int]] = {}
    documents: dict[str, Document] = {}
    for entry in loading.declared:
        documents[entry.document.file] = entry.document
        indexes.setdefault(entry.document.file, []).append(entry.index)
    return {file: read_ignores(documents[file], found) for file, found in indexes.items()}


def _kept(
    loading: _Loading, settings: RuleSettings, comments: Mapping[str, Ignores]
) -> list[Problem]:
    """The warnings left once the project's switched-off rules, and those a trigger's
    `# triggersync: ignore[...]` comment names, are taken away; with the warnings of the
    comments that switch nothing off."""
    kept: list[Problem] = []
    for problem in [*loading.problems, *(p for c in comments.values() for p in c.problems)]:
        if problem.is_error or not settings.keeps(problem):
            continue
        ignores = comments.get(problem.location.file) if problem.location else None
        path = problem.path
        if (
            problem.rule is not None
            and ignores is not None
            and len(path) >= 2
            and path[0] == "triggers"
            and isinstance(path[1], int)
            and problem.rule.id in ignores.by_trigger.get(path[1], ())
        ):
            continue
        kept.append(problem)
    return kept


def _load_file(
    file: str, values: Mapping[str, str], loading: _Loading, within: tuple[str, ...]
) -> None:
    try:
        document = read(file, within)
    except ConfigError as exc:
        loading.problems.extend(exc.problems)
        return
    refused = _not_configuration(document)
    if refused is not None:
        loading.problems.append(Problem(location=document.location(()), message=refused))
        return
    loading.problems.extend(document.problems)
    pending: list[schema.ProblemAtKey] = []
    data = document.data
    if "${" in document.text:
        data, found = refs.substitute(data, values)
        pending.extend((problem, False) for problem in found)
    checked = schema.config_schema_problems(data)
    pending.extend(checked)
    broken = {problem.path[:2] for problem, _ in checked}
    for index, pattern in enumerate(_list(data, "ignore")):
        if ("ignore", index) not in broken and ("ignore",) not in broken:
            glob = IgnoreGlob(pattern, document.location(("ignore", index)))
            loading.globs.append(_Glob(glob, index))
    if ("triggers",) not in broken:
        for index, item in enumerate(_list(data, "triggers")):
            if ("triggers", index) not in broken:
                pending.extend(_trigger(item, index, document, loading))
    loading.problems.extend(document.place(pending))


def _not_configuration(document: Document) -> str | None:
    """Why the file cannot be configuration at all, said once for the whole file."""
    data = document.data
    if data is None:
        return EMPTY_CONFIG_FILE
    if not isinstance(data, dict):
        got = schema.describe_yaml(data)
        return f"expected a mapping with `triggers` and/or `ignore` at the top level, got {got}"
    if "triggers" in data or "ignore" in data:
        return None
    if "scenarios" in data:
        return SCENARIOS.format(document.file)
    if "format_version" in data or "changes" in data:
        return SAVED_PLAN_NOT_CONFIG.format(document.file)
    if "accounts" in data or "strict" in data or "rules" in data:
        return PROJECT_FILE.format(document.file)
    return NOTHING_DECLARED if not data else None  # other keys: each is an unknown key


def _trigger(
    item: dict[str, Any], index: int, document: Document, loading: _Loading
) -> list[schema.ProblemAtKey]:
    """The trigger declared, and the problems of its definition (not yet placed)."""
    path: JsonPath = ("triggers", index)
    found: list[schema.ProblemAtKey] = []
    if "definition" in item:
        problems = check_definition(item["definition"])
        found.extend((problem.under((*path, "definition")), False) for problem in problems)
        if not isinstance(item["definition"], dict):
            return found  # an error the check has said; nothing to normalise
    # The schema and the check vouch for every field that normalise reads.
    trigger = normalise(item, document.location(path))
    loading.declared.append(_Declared(trigger, document, index))
    loading.departments.extend(_named_departments(trigger, path, document))
    return found


def _named_departments(
    trigger: Trigger, path: JsonPath, document: Document
) -> list[NamedDepartment]:
    """The departments the trigger's definition names, each placed (rare, so placed now)."""
    named = named_in(trigger.definition)
    if not named:
        return []
    paths = {index: (*path, "definition", "actions", index, 1) for index, _ in named}
    places = document.locate((where, False) for where in paths.values())
    return [
        NamedDepartment(trigger.name, index, name, paths[index], places[(paths[index], False)])
        for index, name in named
    ]


def _silenced(loading: _Loading, comments: Mapping[str, Ignores]) -> dict[str, frozenset[str]]:
    found: dict[str, frozenset[str]] = {}
    for entry in loading.declared:
        ignores = comments.get(entry.document.file)
        if ignores is not None and entry.index in ignores.by_trigger:
            found[entry.trigger.name] = ignores.by_trigger[entry.index]
    return found


def _departments(loading: _Loading, comments: Mapping[str, Ignores]) -> tuple[NamedDepartment, ...]:
    """Each named department with the rule ids its trigger's name line switches off: its
    warnings come at plan time, once the files are gone."""
    out: list[NamedDepartment] = []
    for named in loading.departments:
        ignores = comments.get(named.location.file) if named.location else None
        index = named.path[1] if len(named.path) >= 2 else None
        if ignores is None or not isinstance(index, int) or index not in ignores.by_trigger:
            out.append(named)
        else:
            out.append(replace(named, ignored=ignores.by_trigger[index]))
    return tuple(out)


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    return value if isinstance(value, list) else []


def _cross_checks(declared: list[_Declared], globs: list[_Glob]) -> list[Problem]:
    pending: list[tuple[Document, Problem]] = []

    def problem(entry: _Declared, field: str, message: str) -> None:
        pending.append(
            (entry.document, Problem(path=("triggers", entry.index, field), message=message))
        )

    first: dict[str, _Declared] = {}
    for entry in declared:
        name = entry.trigger.name
        if name == LOCK_NAME:
            problem(entry, "name", _reserved(name))
        elif looks_like_lock(name, enabled=bool(entry.trigger.enabled)):
            problem(entry, "name", _lock_like(name))
        if entry.trigger.renamed_from == LOCK_NAME:
            problem(entry, "renamed_from", _reserved(LOCK_NAME))
        if name in first:
            where = first[name].trigger.location
            problem(entry, "name", f"duplicate name {name!r}: also declared at {where}")
        else:
            first[name] = entry
    renamers: dict[str, _Declared] = {}
    for entry in declared:
        old = entry.trigger.renamed_from
        if old is None:
            continue
        if old == entry.trigger.name:
            problem(entry, "renamed_from", "renamed_from is the trigger's own name")
        elif old in first:
            where = first[old].trigger.location
            message = f"renamed_from {old!r} is the name of another declared trigger at {where}"
            problem(entry, "renamed_from", message)
        elif old in renamers:
            where = renamers[old].trigger.location
            message = f"renamed_from {old!r}: another trigger renames it too, at {where}"
            problem(entry, "renamed_from", message)
        else:
            renamers[old] = entry
    placed = _place(pending)
    for item in globs:
        for name, entry in [*first.items(), *renamers.items()]:
            if fnmatch.fnmatchcase(name, item.glob.pattern):
                what = "name" if entry.trigger.name == name else "renamed_from"
                message = (
                    f"{item.glob.pattern!r} matches the declared {what} {name!r} at "
                    f"{entry.trigger.location}; a trigger cannot be both declared and ignored"
                )
                path = ("ignore", item.index)
                placed.append(Problem(path=path, location=item.glob.location, message=message))
                break
    return placed


def _reserved(name: str) -> str:
    return (
        f"{name!r} is the name of the lock an apply holds in the account, which no "
        "configuration declares; choose another name"
    )


def _lock_like(name: str) -> str:
    # Live, it would be taken for a lock: left out of every plan, and in every apply's way
    # (docs/safety.md#the-lock). Enabled, it is an ordinary trigger.
    return (
        f"{name!r}: a disabled trigger whose name starts with {LOCK_NAME!r} is an apply's "
        "lock, which no configuration declares; enable it or choose another name"
    )


def _place(pending: Iterable[tuple[Document, Problem]]) -> list[Problem]:
    """Problems placed, one walk per file."""
    by_document: dict[str, tuple[Document, list[schema.ProblemAtKey]]] = {}
    for document, problem in pending:
        by_document.setdefault(document.file, (document, []))[1].append((problem, False))
    return [placed for document, found in by_document.values() for placed in document.place(found)]


def load_vars(path: str | os.PathLike[str]) -> dict[str, str]:
    """A `--vars` file: a mapping of names to strings or numbers (numbers become strings)."""
    document = read(path)
    data = document.data
    if not isinstance(data, dict):
        got = "an empty file" if data is None else schema.describe_yaml(data)
        message = f"expected a mapping of names to values, got {got}"
        raise ConfigError([Problem(location=document.location(()), message=message)])
    out: dict[str, str] = {}
    pending: list[schema.ProblemAtKey] = []
    for name, value in data.items():
        if not refs.NAME.match(name):
            message = "invalid variable name: use letters, digits and _ (not first a digit)"
            pending.append((Problem(path=(name,), message=message), True))
        elif isinstance(value, bool) or not isinstance(value, str | int | float):
            message = f"expected a string or a number, got {schema.describe_yaml(value)}"
            pending.append((Problem(path=(name,), message=message), False))
        else:
            out[name] = str(value)
    # A value that is not what it looks like is an error here: it would be substituted into
    # every definition as the number YAML made of it.
    exact = [_as_error(problem) for problem in document.problems]
    problems = [*exact, *document.place(pending)]
    if problems:
        raise ConfigError(problems)
    return out


def _as_error(problem: Problem) -> Problem:
    return Problem(path=problem.path, location=problem.location, message=problem.message)
