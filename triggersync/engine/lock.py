"""One apply at a time per account: a lock held in the account itself (docs/safety.md#the-lock).

Two applies side by side can lose a trigger: one deletes, as a leftover, the temporary copy the
other's replacement is still putting in place. So `apply` takes a lock before its first change
and releases it after its last. The lock is a disabled trigger named `triggersync lock`, with
no definition (it can never fire): Zendesk's trigger names are unique, so creating it succeeds
for exactly one run, and fails for every other while it exists. Its description says who
holds it and since when; the holder's run id in it tells a run whether a create whose answer
was lost made the lock its own.

The lock is outside every configuration. `is_lock` is the one test for it, and the API
client leaves it out of the live triggers it lists (api/client.py), the one place they enter
the engine: no plan, export, drift report, guard or stale check ever counts it. A trigger is
the lock by its name and its `enabled` alone: an enabled trigger whose name starts like the
lock's is a team's own (`triggersync lock reminder`), an ordinary trigger.
"""

from __future__ import annotations

import getpass
import os
import re
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Final, Protocol

from triggersync.engine.model import Trigger
from triggersync.engine.plan import TEMPORARY_SUFFIX
from triggersync.errors import ApiError, LockError, NotFoundError
from triggersync.untrusted import shown

LOCK_NAME: Final = "triggersync lock"
UNLOCK: Final = "triggersync unlock"

# Waiting for a lock: a look every FIRST_POLL seconds at first, then less and less often, up
# to MAX_POLL: an apply takes seconds to minutes, and each look is one request.
FIRST_POLL: Final = 1.0
MAX_POLL: Final = 15.0
# A create refused while no lock was there (the lock just released, or the create refused
# for another reason): tried once more, then the refusal is the answer.
REFUSED_TRIES: Final = 2
# Seconds the release of the lock may take after an interrupt cut off the run's requests:
# the run still ends within seconds.
RELEASE_TIMEOUT: Final = 5.0
MAX_SHOWN: Final = 300  # characters of a lock's description shown; a server may send more

_PREFIX: Final = "Held by triggersync apply: "
_SINCE: Final = re.compile(r"; since (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")
_RUN: Final = re.compile(r"\brun ([0-9a-f]{12})\b")
_TIME_FORMAT: Final = "%Y-%m-%dT%H:%M:%SZ"
# Where a CI system says which job this is, as a link a reader can follow.
_CI_LINKS: Final = ("CI_JOB_URL", "BUILD_URL", "CIRCLE_BUILD_URL")


def is_lock(trigger: Trigger) -> bool:
    """Whether a live trigger is an apply's lock, and so outside every configuration: a
    disabled trigger whose name starts with LOCK_NAME (docs/safety.md#the-lock)."""
    return looks_like_lock(trigger.name, enabled=bool(trigger.enabled))


def looks_like_lock(name: str, *, enabled: bool) -> bool:
    """Whether a trigger of this name and state would be taken for a lock.

    The name and `enabled` only. Every lock an apply ever made is named LOCK_NAME and
    disabled, so both are sound to match; one made by hand need only be disabled. The rest
    tells nothing: a lock's description is anyone's to edit in Zendesk (and one made by hand
    says what its maker wrote), and a lock made without a definition may be given one by
    Zendesk, whose trigger list carries a definition for every trigger.

    A replacement's temporary copy (disabled until it takes its name) of a trigger named like
    a lock is that trigger's, never a lock: the plan must still see it to finish or remove it.
    """
    return not enabled and name.startswith(LOCK_NAME) and not name.endswith(TEMPORARY_SUFFIX)


def outside_lock(live: Iterable[Trigger]) -> list[Trigger]:
    """The live triggers without the lock."""
    return [trigger for trigger in live if not is_lock(trigger)]


class LockClient(Protocol):
    """What the lock needs of an API client (api.client.Client is one), each call raising
    ApiError when the API refuses or cannot be reached. `find` returns None for no trigger."""

    def create(self, body: Mapping[str, Any], /) -> object: ...

    def find(self, name: str, /) -> Trigger | None: ...

    def delete(self, name: str, /) -> None: ...

    def list_all(self) -> list[Trigger]: ...


@dataclass(frozen=True)
class Holder:
    """A run that holds the lock or wants it: who, where, which run, and since when."""

    who: str  # "alice@build-7, pid 4242, run 5f1c2a9be0d3", and the CI job when there is one
    since: datetime | None  # None when a lock's description does not say
    run_id: str | None = None

    @classmethod
    def this_run(cls, env: Mapping[str, str] | None = None, now: datetime | None = None) -> Holder:
        env = os.environ if env is None else env
        run_id = secrets.token_hex(6)
        parts = [f"{_user()}@{socket.gethostname() or 'unknown host'}", f"pid {os.getpid()}"]
        parts.append(f"run {run_id}")
        ci = _ci_job(env)
        if ci:
            parts.append(ci)
        since = (now or datetime.now(timezone.utc)).replace(microsecond=0)
        return cls(", ".join(parts), since, run_id)

    @classmethod
    def read(cls, description: str) -> Holder:
        """The holder a lock's description names. Anyone can edit it in Zendesk: what cannot
        be read is shown as it is."""
        text = description or ""
        since_at = _SINCE.search(text)
        since = None
        if since_at is not None:
            try:
                since = datetime.strptime(since_at[1], _TIME_FORMAT).replace(tzinfo=timezone.utc)
            except ValueError:
                since = None
        who = text
        if text.startswith(_PREFIX) and since_at is not None:
            who = text[len(_PREFIX) : since_at.start()]
        run = _RUN.search(who)
        return cls(who or "unknown", since, run[1] if run else None)

    @property
    def description(self) -> str:
        """The lock trigger's description: who holds it, since when, and what to do."""
        since = self.since.strftime(_TIME_FORMAT) if self.since else "an unknown time"
        return (
            f"{_PREFIX}{self.who}; since {since}. Do not edit. If that run was killed, "
            f"remove it with `{UNLOCK}`."
        )

    def body(self) -> dict[str, Any]:
        """The lock's create body: disabled, no definition, so it can never fire."""
        return {"name": LOCK_NAME, "description": self.description, "enabled": 0}

    def said(self, now: datetime | None = None) -> str:
        """`alice@build-7, pid 4242, run 5f1c2a9be0d3 since 2026-12-06T10:45:03Z (3 h 12 min
        ago)`, bounded and safe to show."""
        who = self.who if len(self.who) <= MAX_SHOWN else self.who[:MAX_SHOWN] + "…"
        if self.since is None:
            return f"{shown(who)[1:-1]} (since when, its description does not say)"
        age = _age((now or datetime.now(timezone.utc)) - self.since)
        return f"{shown(who)[1:-1]} since {self.since.strftime(_TIME_FORMAT)} ({age})"

    def is_same_run(self, other: Holder) -> bool:
        return self.run_id is not None and self.run_id == other.run_id


def acquire(
    client: LockClient,
    holder: Holder,
    *,
    timeout: float = 0.0,
    stop: threading.Event | None = None,
    on_wait: Callable[[Holder], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
    unlock: str = UNLOCK,
) -> list[Trigger] | None:
    """Take the account's lock for `holder`. Returns the live triggers as they are under it
    (the lock left out: read to make sure no other lock is there, and what the run's changes
    must be checked against), or None when `stop` is set while waiting. Raises LockError when
    another run holds it after `timeout` seconds (0: look once), or when the lock can be
    neither taken nor found.

    Waits on `stop`, never in a busy loop: a look, then a pause that grows from FIRST_POLL to
    MAX_POLL seconds, cut short by `stop` and by the time left. `unlock` is the command the
    messages advise for a lock left behind (a project's account names itself in it).
    """
    stop = stop or threading.Event()
    deadline = clock() + max(0.0, timeout)
    pause, refused, announced = FIRST_POLL, 0, False
    while True:
        other, name = _take(client, holder, unlock), LOCK_NAME
        if other is None:
            everything = _listed_under(client, holder, unlock)
            # A disabled trigger whose name only starts with the lock's (made by hand, or by
            # another tool) is a lock all the same: this run then holds nothing.
            foreign = [
                trigger for trigger in everything if is_lock(trigger) and trigger.name != LOCK_NAME
            ]
            if not foreign:
                return outside_lock(everything)
            release(client, holder, unlock=unlock)
            other, name = Holder.read(foreign[0].description), foreign[0].name
        if isinstance(other, LockError):
            refused += 1
            if refused >= REFUSED_TRIES:
                raise other
            continue
        left = deadline - clock()
        if left <= 0:
            raise LockError(_held_message(other, timeout, unlock, name))
        if on_wait is not None and not announced:
            on_wait(other)
            announced = True
        if stop.wait(min(pause, left)) or stop.is_set():
            return None
        pause = min(MAX_POLL, pause * 2)


def _listed_under(client: LockClient, holder: Holder, unlock: str) -> list[Trigger]:
    """Every live trigger, read once the lock is taken. When that fails, the run stops before
    any change: its lock is released first, or it would be left for someone to unlock."""
    try:
        return client.list_all()
    except ApiError as exc:
        try:
            release(client, holder, unlock=unlock)
        except LockError as left:
            raise LockError(f"{exc}; nothing was changed. Also, {left}") from None
        raise


def _take(client: LockClient, holder: Holder, unlock: str) -> Holder | LockError | None:
    """One try: None when `holder` now holds the lock; the other holder when another run
    does; the create's failure when there is no lock (it may have just been released)."""
    try:
        client.create(holder.body())
        return None
    except ApiError as exc:
        failure = exc
    # Whatever the answer, only the live lock tells whose it is: a create whose answer was
    # lost may have made it ours, and "already exists" has no status of its own.
    try:
        found = client.find(LOCK_NAME)
    except ApiError as look:
        raise LockError(
            f"cannot acquire the account's lock: {failure}; looking for it failed too: "
            f"{look}; nothing was changed. If `{unlock}` shows this run (run "
            f"{holder.run_id}) holding it, remove it"
        ) from None
    if found is None:
        return LockError(
            f"cannot acquire the account's lock (a trigger named {shown(LOCK_NAME)}): "
            f"{failure}; nothing was changed"
        )
    if not is_lock(found):
        # Enabled, so no apply's lock (one is always made disabled), yet it holds the one
        # name the lock can take: no apply can run until it is renamed. Waiting cannot help.
        raise LockError(
            f"cannot acquire the account's lock: an enabled trigger is named "
            f"{shown(LOCK_NAME)}, the name the lock (a disabled trigger) is created under; "
            "nothing was changed. Rename that trigger in Zendesk (an enabled trigger is no "
            "apply's lock)"
        )
    other = Holder.read(found.description)
    return None if other.is_same_run(holder) else other


def _held_message(other: Holder, timeout: float, unlock: str, name: str = LOCK_NAME) -> str:
    if timeout > 0:
        waited, advice = f" (waited {timeout:g} s)", "If"
    else:
        waited, advice = "", "Wait for it to end (--lock-timeout SECONDS waits); if"
    named = ""
    if name != LOCK_NAME:
        named = (
            f" (its lock is {shown(name)}: a disabled trigger whose name starts like the "
            "lock's is a lock; if it is a trigger of yours, enable or rename it)"
        )
    return (
        f"cannot acquire the account's lock{waited}: another apply holds it: "
        f"{other.said()}{named}; nothing was changed. {advice} that run was killed, remove "
        f"the lock with `{unlock}`"
    )


def release(client: LockClient, holder: Holder, *, unlock: str = UNLOCK) -> str | None:
    """Remove `holder`'s lock. Returns a warning when the lock turned out to be gone or
    another run's before this one removed it (someone ran unlock meanwhile). Raises
    LockError when it may still be held: the message says so and points to unlock.

    Looked up before it is deleted: a delete addresses the name, not the holder, so when
    someone ran unlock meanwhile and another apply took the lock since, a blind delete would
    remove that apply's lock and let a third one run beside it."""
    try:
        found = client.find(LOCK_NAME)
    except ApiError as exc:
        raise LockError(_unreleased(holder, f"looking it up failed: {exc}", unlock)) from None
    if found is None or not Holder.read(found.description).is_same_run(holder):
        return _NOT_OURS
    try:
        client.delete(LOCK_NAME)
        return None
    except NotFoundError:
        return _NOT_OURS
    except ApiError as exc:
        failure = exc
    # A delete carried out may still be answered oddly (409, 403, 5xx): the live state tells.
    try:
        found = client.find(LOCK_NAME)
    except ApiError:
        raise LockError(_unreleased(holder, f"deleting it failed: {failure}", unlock)) from None
    if found is None:
        return None
    if Holder.read(found.description).is_same_run(holder):
        raise LockError(_unreleased(holder, f"deleting it failed: {failure}", unlock))
    return _NOT_OURS


_NOT_OURS: Final = (
    "the account's lock was no longer this run's when it ended (was `triggersync unlock` run "
    "meanwhile?): another apply may have run beside this one; plan again to check"
)


def _unreleased(holder: Holder, why: str, unlock: str) -> str:
    return (
        f"the account's lock (run {holder.run_id}) may still be held: {why}; once no apply "
        f"runs, remove it with `{unlock}`"
    )


def held_now(client: LockClient) -> list[tuple[str, Holder]]:
    """Every lock in the account, by name, with who holds it: one, or none, unless some
    were made by hand."""
    return [
        (trigger.name, Holder.read(trigger.description))
        for trigger in client.list_all()
        if is_lock(trigger)
    ]


def unlock(client: LockClient, name: str, seen: Holder) -> None:
    """Remove the lock `name`, held by `seen` (for a lock a killed run left). A lock that
    changed hands since it was seen is left alone: LockError names its new holder."""
    found = client.find(name)
    if found is None:
        return
    if not is_lock(found):
        raise LockError(
            f"{shown(name)} was enabled since it was shown, so it is no lock: left as it is"
        )
    now = Holder.read(found.description)
    if now != seen:
        raise LockError(
            f"the account's lock changed hands: it is now held by {now.said()}; left as it "
            f"is: run `{UNLOCK}` again if that run was killed too"
        )
    try:
        client.delete(name)
    except ApiError:
        if client.find(name) is not None:
            raise


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name, no passwd entry (some containers)
        return "unknown user"


def _ci_job(env: Mapping[str, str]) -> str:
    """The CI job this run is, as a link, when a CI system says."""
    run_id = env.get("GITHUB_RUN_ID", "")
    if run_id.isdigit():
        server = env.get("GITHUB_SERVER_URL") or "https://github.com"
        repository = env.get("GITHUB_REPOSITORY", "")
        attempt = env.get("GITHUB_RUN_ATTEMPT", "")
        link = f"{server}/{repository}/actions/runs/{run_id}" if repository else f"run {run_id}"
        tried = f" (attempt {attempt})" if attempt.isdigit() else ""
        return f"GitHub Actions {link}{tried}"[:MAX_SHOWN]
    for name in _CI_LINKS:
        if env.get(name):
            return f"CI job {env[name]}"[:MAX_SHOWN]
    return ""


def _age(elapsed: timedelta) -> str:
    seconds = int(elapsed.total_seconds())
    if seconds < 0:
        return "in the future: the clocks disagree"
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if days:
        return f"{days} d {hours % 24} h ago"
    if hours:
        return f"{hours} h {minutes % 60} min ago"
    if minutes:
        return f"{minutes} min ago"
    return f"{seconds} s ago"
