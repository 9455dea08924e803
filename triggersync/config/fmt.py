"""`fmt`: configuration files in the one canonical layout (engine/canonical.py; docs/commands.md).

Files are found as every command finds them. A file that is not configuration (a saved plan,
scenarios, any other YAML without `triggers` or `ignore`) is refused rather than rewritten, so
that `fmt .` never rewrites a workflow file; an empty file is left as it is (validate says what
is wrong with it).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from triggersync.config.files import SAVED_PLAN, SCENARIOS, discover
from triggersync.config.reader import read_text, yaml_errors
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


def lay_out(paths: Sequence[str | os.PathLike[str]]) -> tuple[list[Formatted], list[Problem]]:
    """Each configuration file with its canonical text, and the problems of the files that
    cannot be laid out (not found, not YAML, not configuration), each at its place."""
    files, problems = discover(paths)
    formatted: list[Formatted] = []
    for file in files:
        try:
            text = read_text(file)
            with yaml_errors(file):
                laid = canonical.lay_out(text)
        except ConfigError as exc:
            problems.extend(exc.problems)
            continue
        except canonical.LayoutError as exc:
            problems.append(Problem(location=Location(file, exc.line or 1, 1), message=str(exc)))
            continue
        refused = _not_configuration(file, laid)
        if refused is not None:
            problems.append(Problem(location=Location(file, 1, 1), message=refused))
            continue
        formatted.append(Formatted(file, text, laid.text))
    return formatted, problems


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
        return SAVED_PLAN.format(file)
    return "not a configuration file: it declares neither `triggers` nor `ignore`"
