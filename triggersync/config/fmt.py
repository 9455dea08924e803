"""`fmt`: configuration files in the one canonical layout (engine/canonical.py; docs/commands.md).

Files are found as every command finds them. A file that is not configuration (a saved plan,
scenarios, any other YAML without `triggers` or `ignore`) is never rewritten, so that `fmt .`
never rewrites a workflow file: named on the command line, it is an error; found in a folder,
it is passed over and named. An empty file is left as it is (validate says what is wrong).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from triggersync.config.files import SAVED_PLAN_NOT_CONFIG, SCENARIOS, discover
from triggersync.config.reader import paused_gc, read_text, yaml_errors
from triggersync.engine import canonical
from triggersync.errors import ConfigError, Location, Problem


@dataclass(frozen=True)
class Formatted:
    """One file's text as it is and as fmt writes it."""

    file: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class Laid:
    formatted: list[Formatted]  # each configuration file, with its canonical text
    problems: list[Problem]  # files that cannot be laid out: not found, not YAML, ...
    passed_over: list[Problem]  # files in the folders given that are not configuration


def lay_out_files(paths: Sequence[str | os.PathLike[str]]) -> Laid:
    """Each configuration file with its canonical text, and why the others are not laid out."""
    files, problems = discover(paths)
    named = {os.path.normpath(os.fspath(path)) for path in paths}
    formatted: list[Formatted] = []
    passed_over: list[Problem] = []
    for file in files:
        try:
            text = read_text(file)
            # The cyclic GC would rescan every node of a large file again and again: paused,
            # as the reader pauses it (fmt of 10,000 triggers takes half the time).
            with yaml_errors(file), paused_gc():
                laid = canonical.lay_out(text)
        except ConfigError as exc:
            problems.extend(exc.problems)
            continue
        except canonical.LayoutError as exc:
            problems.append(Problem(location=Location(file, exc.line or 1, 1), message=str(exc)))
            continue
        refused = _not_configuration(file, laid)
        if refused is not None:
            found = passed_over if file not in named else problems
            found.append(Problem(location=Location(file, 1, 1), message=refused))
            continue
        formatted.append(Formatted(file, text, laid.text))
    return Laid(formatted, problems, passed_over)


def _not_configuration(file: str, laid: canonical.Layout) -> str | None:
    if laid.top is None:
        return None
    if laid.top != "mapping":
        return f"not a configuration file: its top level is a {laid.top}, not a mapping"
    keys = set(laid.keys)
    if keys & {"triggers", "ignore"}:
        return None
    if "scenarios" in keys:
        return SCENARIOS.format(file)
    if keys & {"format_version", "changes"}:
        return SAVED_PLAN_NOT_CONFIG.format(file)
    return "not a configuration file: it declares neither `triggers` nor `ignore`"
