"""Every failure a user can cause is a TriggersyncError; the CLI catches the base once.

Anything else that escapes is a bug and is allowed to show a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class TriggersyncError(Exception):
    """An expected failure with a message fit to show a user as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, order=True)
class Issue:
    """One problem in a configuration file, at a place a user can jump to."""

    file: str
    line: int
    col: int
    path: str  # where in the document, e.g. "triggers[3].enabled"; "" for the whole file
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ConfigError(TriggersyncError):
    """The configuration is invalid; carries every issue found, sorted by file and line."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues = tuple(sorted(issues))
        super().__init__("\n".join(str(issue) for issue in self.issues))


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
