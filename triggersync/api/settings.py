"""The client's tuning variables, read one way: unset or empty means the default, anything
else must be a number in range, or it is an error naming the variable (docs/commands.md).

A value out of range is never quietly bent into it: `TRIGGERSYNC_MAX_ATTEMPTS=0` is a mistake
to report, not a request for one attempt.
"""

from __future__ import annotations

import contextlib
import difflib
import math
from collections.abc import Iterator, Mapping

from triggersync.errors import UsageError

MAX_SECONDS = 86400.0  # a day: no wait or bound of the client is meant to be longer

PREFIX = "TRIGGERSYNC_"
# Every variable triggersync reads (docs/commands.md, "Environment variables").
KNOWN_VARIABLES = (
    "TRIGGERSYNC_API_URL",
    "TRIGGERSYNC_SUBDOMAIN",
    "TRIGGERSYNC_TOKEN",
    "TRIGGERSYNC_CLIENT_ID",
    "TRIGGERSYNC_CLIENT_SECRET",
    "TRIGGERSYNC_TOKEN_URL",
    "TRIGGERSYNC_EMAIL",
    "TRIGGERSYNC_PASSWORD",
    "TRIGGERSYNC_TIMEOUT",
    "TRIGGERSYNC_MAX_ATTEMPTS",
    "TRIGGERSYNC_RETRY_DELAY",
)


def near_misses(env: Mapping[str, str]) -> Iterator[str]:
    """A warning for each TRIGGERSYNC_* variable that is set, is not one triggersync reads,
    and is close to one that is not set: `TRIGGERSYNC_API_TOKEN` for `TRIGGERSYNC_TOKEN`, a
    typo like `TRIGGERSYNC_SUBDOMIAN`. Names only, never values.

    Only where the variable it resembles is unset: a name of the user's own beside a variable
    that is set (`TRIGGERSYNC_PROD_TOKEN` next to `TRIGGERSYNC_TOKEN`) is no mistake."""
    known = {name[len(PREFIX) :]: name for name in KNOWN_VARIABLES}
    for name in sorted(env):
        if not name.startswith(PREFIX) or name in KNOWN_VARIABLES:
            continue
        # The shared prefix would make every such name look close: compare what follows it.
        close = difflib.get_close_matches(name[len(PREFIX) :], list(known), n=1, cutoff=0.6)
        if close and not env.get(known[close[0]], "").strip():
            yield (f"{name} is not a variable triggersync reads (did you mean {known[close[0]]}?)")


def seconds(
    env: Mapping[str, str], name: str, default: float, *, zero_allowed: bool = True
) -> float:
    """A number of seconds: from 0 (or above 0) up to a day."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    low_ok = value >= 0 if zero_allowed else value > 0
    if not (low_ok and value <= MAX_SECONDS):  # also refuses nan and inf
        bounds = "from 0 to" if zero_allowed else "above 0 and at most"
        raise UsageError(
            f"{name} must be a number of seconds {bounds} {MAX_SECONDS:.0f}, got {raw!r}"
        )
    return value


def count(env: Mapping[str, str], name: str, default: int) -> int:
    """A whole number of at least 1."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    value = 0
    # ASCII digits only: int() would also take "１２" or "1_000".
    if raw.isascii() and raw.isdigit():
        with contextlib.suppress(ValueError):  # beyond int()'s limit of digits
            value = int(raw)
    if value < 1:
        raise UsageError(f"{name} must be a whole number of at least 1, got {raw!r}")
    return value
