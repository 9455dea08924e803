"""The operations on one account, from files and API to values: load the configuration,
connect, plan, apply, drift, explain. What the commands call, and what a Python user imports
(docs/python.md).

Nothing here prints or asks: a caller that wants to show progress or ask before applying
passes callables (`confirm`, `on_outcome`), and gets back values to render.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from triggersync.errors import Problem

if TYPE_CHECKING:
    from triggersync.api.auth import TokenCache
    from triggersync.api.client import Client
    from triggersync.config.files import Config
    from triggersync.engine.apply import ApplyOutcome, ApplyResult
    from triggersync.engine.lock import Holder
    from triggersync.engine.model import Trigger
    from triggersync.engine.plan import Plan
    from triggersync.language.rules import RuleSettings

PathLike = str | os.PathLike[str]


def as_paths(paths: Sequence[PathLike] | PathLike) -> Sequence[PathLike]:
    """One path given alone is one path: a str is a Sequence[str] too, of its letters, and
    `load("triggers/")` read the folders `t`, `r`, ... and `/`, the whole file system."""
    return [paths] if isinstance(paths, str | os.PathLike) else paths


def load(
    paths: Sequence[PathLike] | PathLike,
    vars_file: PathLike | None = None,
    *,
    settings: RuleSettings | None = None,
) -> Config:
    """The configuration at `paths` (files and folders, or one), with `${NAME}` filled from
    `vars_file`: a Config, or ConfigError carrying every problem of every file. `settings`:
    the rules switched off, the project's patterns, and whether warnings are errors
    (docs/rules.md#settings)."""
    from triggersync.config import files as config

    variables = config.load_vars(vars_file) if vars_file is not None else None
    return config.load(as_paths(paths), variables=variables, settings=settings)


def connect(
    api_url: str | None = None,
    *,
    env: Mapping[str, str] | None = None,
    parallelism: int = 4,
    credential_names: Mapping[str, str] | None = None,
    url_named: str | None = None,
    tokens: TokenCache | None = None,
) -> Client:
    """The API client: base URL and credentials from `env` (default: the process's
    environment, the TRIGGERSYNC_* variables), `api_url` overriding the URL. Use it as a
    context manager, or close it."""
    from triggersync.api.client import Client

    return Client.from_env(
        env,
        api_url=api_url,
        parallelism=parallelism,
        credential_names=credential_names,
        url_named=url_named,
        tokens=tokens,
    )


def plan(
    config: Config,
    client: Client,
    *,
    prune: bool = True,
    live: Sequence[Trigger] | None = None,
    targets: Sequence[str] = (),
    on_warning: Callable[[Problem], None] | None = None,
) -> Plan:
    """What apply would change: the configuration against the live triggers (one list
    request, unless `live` gives them). `prune=False` keeps live triggers no file declares;
    `targets` (globs, as `--target`) narrow both sides, pruning included.

    Departments a definition names are resolved to the account's ids with one more request,
    made only then (docs/configuration.md#departments): a name no department has, or one two
    share, is a ConfigError at its place; a disabled one a warning (TS401), given to
    `on_warning` and listed in the plan's warnings. The configuration's rule settings hold
    for these as for the files' own warnings (docs/rules.md#settings): a rule switched off
    says nothing, and under strict settings a warning is an error."""
    from triggersync.engine import departments
    from triggersync.engine.diff import make_plan
    from triggersync.errors import ConfigError
    from triggersync.language.rules import enforce

    live = client.list() if live is None else live
    desired, table = config.triggers, None
    found: list[Problem] = []
    if departments.names_any(config.triggers):
        table = client.departments()
        resolved = departments.resolve(desired, table, places=config.departments, live=live)
        found = [w for w in resolved.warnings if config.settings.keeps(w)]
        try:
            enforce(found, config.settings)
        except ConfigError as strict:  # said with the errors resolving found, if any
            raise ConfigError([*resolved.errors, *strict.problems]) from None
        for warning in found:
            if on_warning is not None:
                on_warning(warning)
        if resolved.errors:
            raise ConfigError(resolved.errors)
        desired = resolved.triggers
    made = make_plan(
        desired,
        live,
        ignore=[glob.pattern for glob in config.ignore],
        prune=prune,
        base_url=client.base_url,
        departments=table,
        targets=targets,
    )
    # Every report lists them, the files' and planning's, in the order a reader meets them.
    warnings = config.warnings
    if found:
        warnings = tuple(sorted((*warnings, *found), key=Problem.sort_key))
    return dataclasses.replace(made, warnings=warnings)


def drift(config: Config, client: Client, *, targets: Sequence[str] = ()) -> Plan:
    """The live triggers that differ from the configuration, as the plan that would undo
    them (every owned trigger counts: drift always prunes)."""
    return plan(config, client, prune=True, targets=targets)


def read_saved(path: PathLike, *, settings: RuleSettings | None = None) -> Plan:
    """A saved plan (`plan --out`), checked; PlanFileError when it cannot be one. Under strict
    `settings` (--strict, or the project file's `strict: true`), the warnings the plan
    recorded are errors (ConfigError), as they were when it was made, unless a rule has been
    switched off since (docs/rules.md#settings)."""
    from pathlib import Path

    from triggersync.engine.planfile import read_plan_file
    from triggersync.language.rules import enforce

    saved = read_plan_file(Path(path))
    if settings is not None:
        enforce(saved.warnings, settings)
    return saved


def check_saved(saved: Plan, client: Client, *, live: Sequence[Trigger] | None = None) -> Plan:
    """The saved plan, once the live account (listed now, unless `live` gives it) is shown to
    be as it was when the plan was made (StalePlanError, PlanFileError otherwise)."""
    from triggersync.engine.apply import check_fresh

    check_fresh(saved, client.list() if live is None else live, client.base_url)
    return saved


def check_reviewed(saved: Plan, fresh: Plan, client: Client) -> Plan:
    """The fresh plan, when its changes are exactly the saved (reviewed) plan's, both for the
    client's account: what `apply --plan FILE PATH` applies (docs/plans.md, "Applying what was
    reviewed"). PlanMismatchError names each trigger that differs; every check afterwards
    reads the fresh plan, never the saved one."""
    from triggersync.engine.reviewed import check_reviewed as reviewed

    return reviewed(saved, fresh, client.base_url)


@dataclass(frozen=True)
class Applied:
    """What an apply did: its plan (the one made again under the lock, when the account had
    changed and `replan` was given), and the outcome of each change (`result`); None when
    nothing was tried (no changes, or the confirmation said no)."""

    plan: Plan
    result: ApplyResult | None
    # Releasing the account's lock: what to say (it was gone, or another run's, by then),
    # and the error when it may still be held (the run then fails: someone must unlock).
    lock_warnings: tuple[str, ...] = ()
    lock_error: str | None = None

    @property
    def ok(self) -> bool:
        """Nothing failed: every change applied, or there was nothing to apply, and the lock
        was released."""
        done = self.result.ok if self.result is not None else self.plan.empty
        return done and self.lock_error is None

    @property
    def declined(self) -> bool:
        """There were changes, and `confirm` said no: nothing was applied."""
        return self.result is None and not self.plan.empty


def check_safety(the_plan: Plan, *, force: bool = False) -> None:
    """UnsafePlanError when the delete guard refuses the plan and `force` is false
    (docs/safety.md, the delete guard): what `apply` checks first; a caller that asks before
    applying checks it before asking."""
    from triggersync.engine.apply import check_safety as guard

    guard(the_plan, force=force)


def apply(
    the_plan: Plan,
    client: Client,
    *,
    force: bool = False,
    parallelism: int = 4,
    confirm: Callable[[Plan], bool] | None = None,
    on_outcome: Callable[[ApplyOutcome], None] | None = None,
    stop: threading.Event | None = None,
    lock_timeout: float = 0.0,
    on_wait: Callable[[Holder], None] | None = None,
    on_locked: Callable[[], None] | None = None,
    replan: Callable[[list[Trigger]], Plan] | None = None,
    on_replanned: Callable[[Plan], None] | None = None,
    on_start: Callable[[Plan], None] | None = None,
    unlock: str | None = None,
) -> Applied:
    """Apply a plan, one apply at a time per account (docs/safety.md, the lock):

    1. refused (UnsafePlanError) when it trips the delete guard, unless `force`;
    2. `confirm(plan)` is asked (nothing applied when it says no);
    3. the account's lock is taken, waiting up to `lock_timeout` seconds for another apply
       to end (`on_wait(holder)` hears of the wait once; LockError when it does not end,
       LockWaitInterrupted when `stop` is set meanwhile); `on_locked()` once it is held;
    4. under the lock, the live triggers are read again and the plan must still hold for
       them: when the account changed since the plan was made, `replan(live)` makes it
       again (`on_replanned(plan)` hears of it, and the guard checks it again), or, without
       `replan`, StalePlanError and nothing is changed;
    5. `on_start(plan)`, then the changes, `on_outcome(outcome)` hearing of each as it
       finishes; once `stop` is set (default: the client's cancel event) none starts;
    6. the lock is released however the run ended (`Applied.lock_error` when it may still
       be held). `unlock`: the command that removes a lock left behind, as messages say it.
    """
    from triggersync.engine import lock
    from triggersync.engine.apply import apply_plan, check_account
    from triggersync.errors import LockError, LockWaitInterrupted, StalePlanError

    if the_plan.empty:
        return Applied(the_plan, None)
    # A plan of another account (PlanFileError) is refused before anything is asked of this
    # one, its lock included.
    check_account(the_plan, client.base_url)
    check_safety(the_plan, force=force)
    if confirm is not None and not confirm(the_plan):
        return Applied(the_plan, None)
    stop = client.cancel if stop is None else stop
    unlock = lock.UNLOCK if unlock is None else unlock
    holder = lock.Holder.this_run()
    live = lock.acquire(
        client, holder, timeout=lock_timeout, stop=stop, on_wait=on_wait, unlock=unlock
    )
    if live is None:
        raise LockWaitInterrupted(
            "interrupted while waiting for the account's lock; nothing was changed"
        )
    try:
        if on_locked is not None:
            on_locked()
        try:
            check_saved(the_plan, client, live=live)
        except StalePlanError as stale:
            if replan is None:
                raise StalePlanError(f"{stale}; nothing was changed") from None
            the_plan = replan(live)
            if on_replanned is not None:
                on_replanned(the_plan)
            if not the_plan.empty:
                check_safety(the_plan, force=force)
        result = None
        if not the_plan.empty:
            if on_start is not None:
                on_start(the_plan)
            result = apply_plan(
                the_plan, client, parallelism=parallelism, on_outcome=on_outcome, stop=stop
            )
    except BaseException as exc:
        try:
            _release(client, holder, unlock, stop)
        except LockError as unreleased:
            # Both are said: what stopped the run, and that the lock may be left behind.
            _also(exc, str(unreleased))
        raise
    try:
        warning = _release(client, holder, unlock, stop)
    except LockError as unreleased:
        return Applied(the_plan, result, lock_error=str(unreleased))
    return Applied(the_plan, result, lock_warnings=(warning,) if warning else ())


def _release(client: Client, holder: Holder, unlock: str, stop: threading.Event) -> str | None:
    from triggersync.engine import lock

    if stop.is_set():
        # An interrupt may have cut off the requests in flight, and the client with them:
        # releasing the lock is owed all the same, within seconds.
        client.reopen(lock.RELEASE_TIMEOUT)
    return lock.release(client, holder, unlock=unlock)


def _also(exc: BaseException, more: str) -> None:
    """`more` added to an expected failure's message (a ConfigError: as one more problem)."""
    from triggersync.errors import ConfigError, Problem, TriggersyncError

    if isinstance(exc, ConfigError):
        exc.problems = (*exc.problems, Problem(location=None, message=more))
    elif isinstance(exc, TriggersyncError):
        exc.message = f"{exc.message}. Also, {more}"
        exc.args = (exc.message,)


def live(client: Client) -> list[Trigger]:
    """The live triggers, sorted by name."""
    return sorted(client.list(), key=lambda trigger: trigger.name)
