"""What went wrong and where: one Problem, one Location, one way to write a document path, and
the exceptions. Every failure a user can cause is a TriggersyncError; the CLI catches the base
once. Anything else that escapes is a bug and is allowed to show a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import Enum

# A place inside a JSON document: mapping keys and list indexes, from the top down, e.g.
# ("triggers", 3, "definition", "condition", 1).
JsonPathPart = str | int
JsonPath = tuple[JsonPathPart, ...]


def format_path(path: Iterable[JsonPathPart]) -> str:
    """("triggers", 3, "definition", "condition", 1, 2) → triggers[3].definition.condition[1][2].

    A key that is not an identifier is quoted (`definition["a b"]`, `["bad-name"]`), so that
    every path reads back to the one place it names.
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.isidentifier():
            out += f".{part}" if out else part
        else:
            escaped = part.replace("\\", "\\\\").replace('"', '\\"')
            out += f'["{escaped}"]'
    return out


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a file a user can jump to: 1-based line and column."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Rule:
    """A kind of warning: an id (`TS103`) and a name (`unknown-operator`) that a user can
    switch off by id. The registry of every rule is `language/rules.py` (docs/rules.md)."""

    id: str
    name: str
    summary: str = ""  # what it catches, in one line

    def __str__(self) -> str:
        return f"{self.id} {self.name}"


class Severity(Enum):
    ERROR = "error"  # the input cannot be used as it is
    WARNING = "warning"  # used as written, but probably not what was meant


@dataclass(frozen=True, kw_only=True, slots=True)
class Problem:
    """One thing wrong with an input: where in the document (path), where in the file
    (location, once known), what, and how bad."""

    path: JsonPath = ()
    location: Location | None = None
    message: str
    severity: Severity = Severity.ERROR
    rule: Rule | None = None  # which rule a warning comes from

    @property
    def where(self) -> str:
        return format_path(self.path)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def under(self, prefix: JsonPath) -> Problem:
        """This problem inside a larger document: a definition's under the trigger's path."""
        return replace(self, path=(*prefix, *self.path))

    def at(self, location: Location) -> Problem:
        """This problem placed in a file."""
        return replace(self, location=location)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Files in path order, then line and column: the order a reader meets them in."""
        place = self.location or Location("", 0, 0)
        return place.file, place.line, place.col, self.where, self.message

    def __str__(self) -> str:
        parts = [str(self.location)] if self.location else []
        if self.rule is not None:
            parts.append(str(self.rule))
        if self.path:
            parts.append(self.where)
        return ": ".join([*parts, self.message])


class TriggersyncError(Exception):
    """An expected failure with a message fit to show a user as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(TriggersyncError):
    """The configuration is invalid; carries every problem found, sorted by file and line."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(sorted(problems, key=Problem.sort_key))
        super().__init__("\n".join(str(problem) for problem in self.problems))


class UsageError(TriggersyncError):
    """A bad combination of options or environment (e.g. http:// to a remote host)."""


class ApiError(TriggersyncError):
    """The API answered with an error, or could not be reached."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        server_message: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.server_message = server_message


class AuthError(ApiError):
    """401/403: the credentials were refused."""


class NotFoundError(ApiError):
    """404: no trigger by that name."""


class TransportError(ApiError):
    """No usable HTTP answer: connection refused, timeout, TLS failure, garbage body."""


class PlanFileError(TriggersyncError):
    """A saved plan file is unreadable, malformed or made for another account."""


class StalePlanError(TriggersyncError):
    """Live state moved since the saved plan was made."""


class UnsafePlanError(TriggersyncError):
    """The plan trips a safety guard (mass deletion) and --force was not given."""


class LockError(TriggersyncError):
    """The account's lock cannot be acquired (another apply holds it) or released."""


class LockWaitInterrupted(LockError):
    """The run was stopped (Ctrl-C, SIGTERM) while waiting for the account's lock: nothing
    was changed."""
