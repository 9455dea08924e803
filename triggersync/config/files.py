"""Configuration files → Config: every declared trigger with its place, or every problem at once.

Per file: safe YAML with locations (yamlload), `${NAME}` substitution (variables), the JSON
Schema (schema), definition checks (conditions), then the one normalisation (model). Across
files: duplicate names, rename collisions and ignore globs that contradict declarations.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from triggersync.config import conditions, schema, yamlload
from triggersync.config import variables as refs
from triggersync.config.paths import PathPart, format_path
from triggersync.engine.model import Location, Trigger, normalise
from triggersync.errors import ConfigError, Issue

EXTENSIONS = (".yaml", ".yml")
EMPTY_FILE = "the file is empty; declare no triggers with `triggers: []`"
SCENARIO_FILE = (
    "a scenario file, not configuration: keep it outside the configuration paths and run it "
    "with `triggersync test PATH... --scenarios FILE`"
)


@dataclass(frozen=True)
class IgnoreGlob:
    pattern: str
    location: Location


@dataclass(frozen=True)
class Config:
    triggers: tuple[Trigger, ...]  # in file order, files sorted by path
    ignore: tuple[IgnoreGlob, ...]
    files: tuple[str, ...]  # every file read
    warnings: tuple[Issue, ...]  # e.g. unknown operator/action names

    def is_ignored(self, name: str) -> bool:
        return any(fnmatch.fnmatchcase(name, glob.pattern) for glob in self.ignore)


@dataclass(frozen=True)
class _Source:
    """One parsed file, kept while loading so any path in it can be located."""

    file: str
    document: yamlload.Document

    def issue(self, path: Sequence[PathPart], message: str, *, key: bool = False) -> Issue:
        line, col = self.document.locate(path, key=key)
        return Issue(self.file, line, col, format_path(path), message)

    def where(self, path: Sequence[PathPart]) -> str:
        line, col = self.document.locate(path)
        return f"{self.file}:{line}:{col}"


@dataclass(frozen=True)
class _Declared:
    trigger: Trigger
    source: _Source
    index: int


def discover(paths: Sequence[str | os.PathLike[str]]) -> tuple[list[str], list[Issue]]:
    """Files named, and YAML files in folders named (recursive, hidden entries skipped)."""
    found: dict[str, str] = {}
    issues: list[Issue] = []
    for raw in paths:
        path = os.path.normpath(os.fspath(raw))
        if os.path.isdir(path):
            inside = list(_walk(path))
            if not inside:
                issues.append(Issue(path, 1, 1, "", "no *.yaml or *.yml files in this folder"))
            for file in inside:
                found.setdefault(os.path.realpath(file), file)
        elif os.path.isfile(path):
            found.setdefault(os.path.realpath(path), path)
        else:
            issues.append(Issue(path, 1, 1, "", "no such file or folder"))
    return sorted(found.values(), key=lambda f: Path(f).parts), issues


def _walk(folder: str) -> list[str]:
    files: list[str] = []
    for directory, subdirs, names in os.walk(folder):
        subdirs[:] = [d for d in subdirs if not d.startswith(".")]
        files.extend(
            os.path.join(directory, n)
            for n in names
            if n.endswith(EXTENSIONS) and not n.startswith(".")
        )
    return files


def load(
    paths: Sequence[str | os.PathLike[str]], variables: Mapping[str, str] | None = None
) -> Config:
    """Load and validate every file; ConfigError carrying every issue of every file."""
    files, issues = discover(paths)
    warnings: list[Issue] = []
    declared: list[_Declared] = []
    globs: list[tuple[IgnoreGlob, _Source, int]] = []
    with yamlload.paused_gc():
        for file in files:
            _load_file(file, variables or {}, issues, warnings, declared, globs)
        issues.extend(_cross_checks(declared, globs))
    if issues:
        raise ConfigError(issues)
    return Config(
        triggers=tuple(d.trigger for d in declared),
        ignore=tuple(glob for glob, _, _ in globs),
        files=tuple(files),
        warnings=tuple(sorted(warnings)),
    )


def _load_file(
    file: str,
    values: Mapping[str, str],
    issues: list[Issue],
    warnings: list[Issue],
    declared: list[_Declared],
    globs: list[tuple[IgnoreGlob, _Source, int]],
) -> None:
    document = _read_document(file)
    if isinstance(document, Issue):
        issues.append(document)
        return
    source = _Source(file, document)
    issues.extend(_not_json(file, document))
    data = document.data
    if data is None:
        issues.append(source.issue((), EMPTY_FILE))
        return
    if "${" in document.text:
        data, problems = refs.substitute(data, values)
        issues.extend(source.issue(path, message) for path, message in problems)
    if not isinstance(data, dict):
        got = schema.describe(data)
        message = f"expected a mapping with `triggers` and/or `ignore` at the top level, got {got}"
        issues.append(source.issue((), message))
        return
    if "scenarios" in data:  # `triggersync test` reads these; they declare no trigger
        issues.append(source.issue(("scenarios",), SCENARIO_FILE, key=True))
        return
    broken: set[Any] = set()
    for found in schema.check(data):
        issues.append(source.issue(found.path, found.message, key=found.at_key))
        broken.add(found.path[:2])
    for index, pattern in enumerate(_list(data, "ignore")):
        if ("ignore", index) not in broken and ("ignore",) not in broken:
            line, col = source.document.locate(("ignore", index))
            globs.append((IgnoreGlob(pattern, Location(file, line, col)), source, index))
    if ("triggers",) in broken:
        return
    for index, item in enumerate(_list(data, "triggers")):
        if ("triggers", index) in broken:
            continue
        path: tuple[PathPart, ...] = ("triggers", index)
        checked = conditions.check_definition(item.get("definition"), (*path, "definition"))
        issues.extend(source.issue(p, message) for p, message in checked.errors)
        warnings.extend(source.issue(p, message) for p, message in checked.warnings)
        line, col = source.document.locate(path)
        try:
            trigger = normalise(item, Location(file, line, col))
        except ValueError as exc:
            issues.append(source.issue(path, str(exc)))
            continue
        declared.append(_Declared(trigger, source, index))


def _read_document(file: str) -> yamlload.Document | Issue:
    """The parsed file, or the issue that stops it being read (load gathers, load_vars raises)."""
    try:
        return yamlload.load(file)
    except yamlload.LoadError as exc:
        p = exc.problem
        return Issue(file, p.line, p.col, p.path, p.message)
    except OSError as exc:
        return Issue(file, 1, 1, "", f"cannot read the file: {exc.strerror or exc}")


def _not_json(file: str, document: yamlload.Document) -> list[Issue]:
    """The loader's problems with data that the API could not hold as written."""
    return [Issue(file, p.line, p.col, p.path, p.message) for p in document.problems]


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    return value if isinstance(value, list) else []


def _cross_checks(
    declared: list[_Declared], globs: list[tuple[IgnoreGlob, _Source, int]]
) -> list[Issue]:
    issues: list[Issue] = []
    first: dict[str, _Declared] = {}
    for entry in declared:
        name = entry.trigger.name
        path = ("triggers", entry.index, "name")
        if name in first:
            other = first[name]
            where = other.source.where(("triggers", other.index, "name"))
            issues.append(
                entry.source.issue(path, f"duplicate name {name!r}: also declared at {where}")
            )
        else:
            first[name] = entry
    renamers: dict[str, _Declared] = {}
    for entry in declared:
        old = entry.trigger.renamed_from
        if old is None:
            continue
        path = ("triggers", entry.index, "renamed_from")
        if old == entry.trigger.name:
            issues.append(entry.source.issue(path, "renamed_from is the trigger's own name"))
        elif old in first:
            where = first[old].source.where(("triggers", first[old].index, "name"))
            message = f"renamed_from {old!r} is the name of another declared trigger at {where}"
            issues.append(entry.source.issue(path, message))
        elif old in renamers:
            other = renamers[old]
            where = other.source.where(("triggers", other.index, "renamed_from"))
            message = f"renamed_from {old!r}: another trigger renames it too, at {where}"
            issues.append(entry.source.issue(path, message))
        else:
            renamers[old] = entry
    for glob, source, index in globs:
        for name, entry in [*first.items(), *renamers.items()]:
            if fnmatch.fnmatchcase(name, glob.pattern):
                field = "name" if entry.trigger.name == name else "renamed_from"
                where = entry.source.where(("triggers", entry.index, field))
                message = (
                    f"{glob.pattern!r} matches the declared {field} {name!r} at {where}; "
                    "a trigger cannot be both declared and ignored"
                )
                issues.append(source.issue(("ignore", index), message))
                break
    return issues


def load_vars(path: str | os.PathLike[str]) -> dict[str, str]:
    """A `--vars` file: a mapping of names to strings or numbers (numbers become strings)."""
    file = os.fspath(path)
    document = _read_document(file)
    if isinstance(document, Issue):
        raise ConfigError([document])
    source = _Source(file, document)
    if not isinstance(document.data, dict):
        got = "an empty file" if document.data is None else schema.describe(document.data)
        raise ConfigError([source.issue((), f"expected a mapping of names to values, got {got}")])
    out: dict[str, str] = {}
    issues = _not_json(file, document)
    for name, value in document.data.items():
        if not isinstance(name, str) or not refs.NAME.match(name):
            message = "invalid variable name: use letters, digits and _ (not first a digit)"
            issues.append(source.issue((str(name),), message, key=True))
        elif isinstance(value, bool) or not isinstance(value, str | int | float):
            got = schema.describe(value)
            issues.append(source.issue((name,), f"expected a string or a number, got {got}"))
        else:
            out[name] = str(value)
    if issues:
        raise ConfigError(issues)
    return out
