"""A project: the accounts of a project file, each with its configuration and client, and
the operations over all of them at once (docs/projects.md, docs/python.md).

    project = Project.load("triggersync.yaml")
    for run in project.plan():
        print(run.account, run.value.plan.summary if run.value else run.error)

Every operation runs the accounts concurrently, each on its own thread with its own client,
and returns one `AccountRun` per account, in the project file's order: the value, or the
expected failure that stopped that account alone.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from triggersync.config import project as project_file
from triggersync.config.project import Account, ProjectFile
from triggersync.errors import PlanFileError, Problem, StalePlanError, TriggersyncError
from triggersync.operations import workflow
from triggersync.operations.accounts import AccountRun, connect_account, run_each, then
from triggersync.operations.adoption import departments_of

T = TypeVar("T")

if TYPE_CHECKING:
    from triggersync.api.auth import TokenCache
    from triggersync.api.client import Client
    from triggersync.config.files import Config
    from triggersync.engine.apply import ApplyOutcome
    from triggersync.engine.departments import Departments
    from triggersync.engine.lock import Holder
    from triggersync.engine.model import Trigger
    from triggersync.engine.plan import Plan


@dataclass(frozen=True)
class AccountPlan:
    """One account's plan, with the configuration it was made from, and what planning found
    worth a warning beyond the files' own (a disabled department a definition names)."""

    config: Config
    plan: Plan
    warnings: tuple[Problem, ...] = ()

    @property
    def all_warnings(self) -> tuple[Problem, ...]:
        """The configuration's warnings, then planning's."""
        return (*self.config.warnings, *self.warnings)


@dataclass(frozen=True)
class AccountLive:
    """One account's live triggers, and its departments (None when no trigger routes by id,
    or when they could not be read: `warnings` then says so)."""

    triggers: list[Trigger]
    departments: Departments | None = None
    warnings: tuple[str, ...] = ()


class ProjectSecrets:
    """Every connected account's secrets, masked in whatever is shown (each client masks its
    own answers; a report over all accounts needs all of them)."""

    def __init__(self) -> None:
        self._clients: list[Client] = []
        self._lock = threading.Lock()

    def add(self, client: Client) -> None:
        with self._lock:
            self._clients.append(client)

    def mask(self, text: str) -> str:
        with self._lock:
            clients = list(self._clients)
        for client in clients:
            text = client.secrets.mask(text)
        return text


class Project:
    """The accounts of a project file, and the operations over them."""

    def __init__(self, settings: ProjectFile, env: Mapping[str, str] | None = None) -> None:
        self.settings = settings
        self.env: Mapping[str, str] = os.environ if env is None else env
        self.secrets = ProjectSecrets()
        self.stopped = _StopAll()  # set by stop(): see apply
        # Each account's OAuth access token, shared by the clients its operations make.
        self._tokens: dict[str, TokenCache] = {}
        self._tokens_lock = threading.Lock()
        # Called with each account's name and client as it is made: e.g. to show the
        # client's warnings (a retired host).
        self.on_connect: Callable[[str, Client], None] | None = None
        # Called with each warning about the whole run rather than one account (a near-miss
        # TRIGGERSYNC_* variable), once per run, before the first account connects.
        self.on_warning: Callable[[str], None] | None = None
        self._warned = False
        self._warning = threading.Lock()

    @classmethod
    def load(
        cls, path: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None
    ) -> Project:
        """The project file at `path` (default: triggersync.yaml in the working directory);
        ConfigError with every problem of the file."""
        return cls(
            project_file.load_project_file(path if path is not None else project_file.FILE_NAME),
            env,
        )

    @property
    def accounts(self) -> tuple[Account, ...]:
        return self.settings.accounts

    @property
    def strict(self) -> bool:
        return self.settings.strict

    @property
    def rules(self) -> Mapping[str, Any]:
        return self.settings.rules

    def select(self, names: Sequence[str] = ()) -> tuple[Account, ...]:
        """The accounts named (every account when none is); ConfigError for an unknown name."""
        return self.settings.select(names)

    def connect(self, account: Account, *, parallelism: int = 4) -> Client:
        """The client of one account (credentials from the variables its entry names)."""
        # Before the client, whose error for an unset variable the near miss may explain.
        self._warn_once()
        from triggersync.api.auth import TokenCache

        with self._tokens_lock:
            tokens = self._tokens.setdefault(account.name, TokenCache())
        client = connect_account(account, self.env, parallelism=parallelism, tokens=tokens)
        self.secrets.add(client)
        self.stopped.add(client)
        if self.on_connect is not None:
            self.on_connect(account.name, client)
        return client

    def run_warnings(self) -> list[str]:
        """What is worth a warning about the run's environment: each TRIGGERSYNC_* variable
        that is almost one triggersync reads (a typo like TRIGGERSYNC_TIMOUT), but for one
        the project file names for an account's credentials, which is no mistake."""
        from triggersync.api.settings import near_misses

        named = {variable for account in self.accounts for variable in account.credentials.values()}
        return list(near_misses({k: v for k, v in self.env.items() if k not in named}))

    def _warn_once(self) -> None:
        with self._warning:
            if self._warned or self.on_warning is None:
                return
            self._warned = True
            for warning in self.run_warnings():
                self.on_warning(warning)

    def own_paths_first(self, account: Account) -> tuple[str, ...]:
        """The account's paths, those no other account of the project reads first (else in
        their order): adopt gives a trigger no file declares a new file in the first folder,
        and a folder the accounts share would hand a trigger made in one account to all."""
        others = [
            os.path.realpath(path)
            for other in self.accounts
            if other.name != account.name
            for path in other.paths
        ]

        def shared(path: str) -> bool:
            real = os.path.realpath(path)
            return any(os.path.commonpath([real, other]) in (real, other) for other in others)

        return tuple(sorted(account.paths, key=shared))

    # -- offline -------------------------------------------------------------------------

    def load_config(self, account: Account, *, strict: bool | None = None) -> Config:
        """One account's configuration (its paths, its vars file), under the project's rule
        settings; `strict`: the --strict of a command that can be strict (validate, plan,
        apply), adding to the file's `strict`; None for one that never is."""
        settings = self.settings.rule_settings
        if strict is None:
            settings = dataclasses.replace(settings, strict=False)
        else:
            settings = settings.with_strict(strict)
        return workflow.load(account.paths, account.vars, settings=settings)

    def validate(
        self, accounts: Sequence[str] = (), *, strict: bool = False
    ) -> list[AccountRun[Config]]:
        """Every account's configuration, loaded and checked; no network. Warnings are
        errors when `strict` or the project file says so."""
        return run_each(
            self.select(accounts), lambda account: self.load_config(account, strict=strict)
        )

    # -- against the accounts --------------------------------------------------------------

    def plan(
        self,
        accounts: Sequence[str] = (),
        *,
        prune: bool = True,
        strict: bool | None = False,
        targets: Sequence[str] = (),
    ) -> list[AccountRun[AccountPlan]]:
        """Every account's plan (one list request each, all accounts at once), narrowed to
        `targets` (globs) when there are any; `strict` as `load_config` reads it (drift
        passes None: it is never strict)."""

        def one(account: Account) -> AccountPlan:
            config = self.load_config(account, strict=strict)
            found: list[Problem] = []
            with self.connect(account) as client:
                planned = workflow.plan(
                    config, client, prune=prune, targets=targets, on_warning=found.append
                )
                return AccountPlan(config, planned, tuple(found))

        return run_each(self.select(accounts), one)

    def drift(
        self, accounts: Sequence[str] = (), *, targets: Sequence[str] = ()
    ) -> list[AccountRun[AccountPlan]]:
        """Every account's drift: the plan that would undo what differs."""
        return self.plan(accounts, prune=True, strict=None, targets=targets)

    def live(self, accounts: Sequence[str] = ()) -> list[AccountRun[list[Trigger]]]:
        """Every account's live triggers, sorted by name."""

        def one(account: Account) -> list[Trigger]:
            with self.connect(account) as client:
                return workflow.live(client)

        return run_each(self.select(accounts), one)

    def live_with_departments(
        self, accounts: Sequence[str] = (), *, fallback: str = "ids are shown"
    ) -> list[AccountRun[AccountLive]]:
        """Every account's live triggers, sorted by name, with that account's departments to
        show or write names for the ids they route to (docs/configuration.md#departments):
        read only when some trigger routes by id; when they cannot be read, a warning that
        says `fallback` (what happens to the ids instead)."""

        def one(account: Account) -> AccountLive:
            with self.connect(account) as client:
                triggers = workflow.live(client)
                warnings: list[str] = []
                table = departments_of(triggers, client, warnings, fallback=fallback)
                return AccountLive(triggers, table, tuple(warnings))

        return run_each(self.select(accounts), one)

    def check_saved(
        self, saved: Mapping[str, Plan], accounts: Sequence[str] = ()
    ) -> list[AccountRun[Plan]]:
        """Each part of a saved project plan (those of `accounts` when any are named),
        checked against its own account for staleness only (PlanFileError for a part whose
        account the project file no longer has, and for a named account the plan has no part
        for); see `reviewed` for what `apply --plan FILE` checks."""

        def one(account: Account) -> Plan:
            with self.connect(account) as client:
                return workflow.check_saved(saved[account.name], client)

        return self._each_part(saved, accounts, one)

    def _each_part(
        self, saved: Mapping[str, Plan], accounts: Sequence[str], task: Callable[[Account], T]
    ) -> list[AccountRun[T]]:
        """`task` for the account of each part of a saved plan, at once, in the plan's order
        (only the parts of `accounts` when any are named: ConfigError for a name the project
        file lacks, before anything runs). A part for an account the project file lacks fails,
        and so does a named account the plan has no part for: nothing could be applied there,
        and saying nothing would read as done."""
        chosen = {account.name for account in self.select(accounts)} if accounts else None
        by_name = {account.name: account for account in self.accounts}
        runs: dict[str, AccountRun[T]] = {
            name: AccountRun(
                name,
                error=PlanFileError(
                    f"the plan has a part for account {name!r}, which the project file lacks"
                ),
            )
            for name in saved
            if name not in by_name and chosen is None
        }
        order = [name for name in saved if chosen is None or name in chosen]
        if chosen is not None:
            held = ", ".join(saved) or "no account"
            for name in sorted(chosen - saved.keys(), key=list(by_name).index):
                runs[name] = AccountRun(
                    name,
                    error=PlanFileError(
                        f"the plan has no part for account {name!r} (it holds: {held}); "
                        f"plan it with --account {name}"
                    ),
                )
                order.append(name)
        known = [by_name[name] for name in order if name in by_name and name not in runs]
        runs.update((run.account, run) for run in run_each(known, task))
        return [runs[name] for name in order]

    def reviewed(
        self, saved: Mapping[str, Plan], accounts: Sequence[str] = (), *, strict: bool = False
    ) -> list[AccountRun[AccountPlan]]:
        """Each part of a saved project plan (those of `accounts` when any are named, as
        `check_saved` chooses them), as `apply --plan FILE` takes it (docs/projects.md,
        "One saved plan"): the part checked for staleness against its own account, then the
        account planned afresh from its configuration, the fresh plan's changes required to be
        exactly the part's (PlanMismatchError naming each trigger that differs otherwise).
        The value is the fresh plan: in CI the file comes from a pull request's run, so it is a
        record of what was reviewed, and every later check (the delete guard) reads the fresh
        plan, never the file. Under `strict` (or the project's `strict: true`) the part's
        recorded warnings are errors, as the configuration's are. A part for an account the
        project file lacks fails (PlanFileError)."""
        from triggersync.language.rules import enforce

        def one(account: Account) -> AccountPlan:
            part = saved[account.name]
            enforce(part.warnings, self.settings.rule_settings.with_strict(strict))
            config = self.load_config(account, strict=strict)
            with self.connect(account) as client:
                live = client.list()
                workflow.check_saved(part, client, live=live)
                found: list[Problem] = []
                fresh = _fresh_like(part, config, client, live, found.append)
                return AccountPlan(config, fresh, tuple(found))

        return self._each_part(saved, accounts, one)

    def guarded(
        self, runs: Sequence[AccountRun[AccountPlan]], *, force: bool = False
    ) -> list[AccountRun[AccountPlan]]:
        """The runs with a plan the delete guard refuses (docs/safety.md) turned into that
        account's failure (UnsafePlanError), the others as they were: what `apply` checks
        before it asks, so that a refused account is said before the question."""

        def check(planned: AccountPlan) -> AccountPlan:
            workflow.check_safety(planned.plan, force=force)
            return planned

        return [then(run, check) for run in runs]

    def apply(
        self,
        plans: Sequence[AccountRun[Plan]] | Sequence[AccountRun[AccountPlan]],
        *,
        force: bool = False,
        parallelism: int = 4,
        on_outcome: Callable[[str, ApplyOutcome], None] | None = None,
        lock_timeout: float = 0.0,
        on_wait: Callable[[str, Holder], None] | None = None,
        on_locked: Callable[[str], None] | None = None,
    ) -> list[AccountRun[workflow.Applied]]:
        """Each account's plan applied to its own account, all at once; a run that failed
        before (no plan) stays failed. Each account's lock is held while its changes are made
        (waiting up to `lock_timeout` seconds for another apply to end), and under it the
        account is checked to be as the plan found it (StalePlanError: nothing changed there).
        `on_outcome(account, outcome)` hears of each change, `on_wait(account, holder)` of a
        wait for another run's lock, `on_locked(account)` of each lock taken. `stop()` (e.g.
        on Ctrl-C) starts no new change in any account. `plans` is what `plan()` or
        `check_saved()` returned."""
        by_name = {account.name: account for account in self.accounts}
        runs: dict[str, AccountRun[Plan] | AccountRun[AccountPlan]] = {
            run.account: run for run in plans
        }

        from triggersync.engine.lock import UNLOCK

        def one(account: Account, planned: Plan | AccountPlan) -> workflow.Applied:
            # plan() gives each plan with its configuration; check_saved() the plan alone.
            the_plan = planned.plan if isinstance(planned, AccountPlan) else planned
            if the_plan.empty:
                return workflow.Applied(the_plan, None)
            report = None
            if on_outcome is not None:
                report = functools.partial(on_outcome, account.name)
            waiting = None if on_wait is None else functools.partial(on_wait, account.name)
            locked = None if on_locked is None else functools.partial(on_locked, account.name)
            with self.connect(account, parallelism=parallelism) as client:
                return workflow.apply(
                    the_plan,
                    client,
                    force=force,
                    parallelism=parallelism,
                    on_outcome=report,
                    stop=self.stopped,
                    lock_timeout=lock_timeout,
                    on_wait=waiting,
                    on_locked=locked,
                    # The command that reaches this account's lock.
                    unlock=f"{UNLOCK} --account {account.name}",
                )

        def each(account: Account) -> workflow.Applied:
            run = runs[account.name]
            planned: AccountRun[Plan | AccountPlan] = AccountRun(run.account, run.value, run.error)
            return then(planned, lambda the_plan: one(account, the_plan)).unwrap()

        # Each account once, however often `plans` names it: two applies of one account side
        # by side would only race for its lock.
        known = [by_name[name] for name in runs if name in by_name]
        done = {run.account: run for run in run_each(known, each, writes=True)}
        # A run for an account the project file lacks (a typo, a plan of another project) is
        # that run's failure, never silently left out of what was applied.
        for name in runs.keys() - by_name.keys():
            try:
                self.settings.account(name)
            except TriggersyncError as unknown:
                done[name] = AccountRun(name, error=unknown)
        return [done[name] for name in runs]

    def stop(self) -> None:
        """Start no new change, and no new retry, in any account."""
        self.stopped.set()

    def cut_off(self) -> None:
        """End every request still running, in every account (an interrupt's grace is over)."""
        for client in self.stopped.clients():
            client.cut_off()


def _fresh_like(
    part: Plan,
    config: Config,
    client: Client,
    live: list[Trigger],
    on_warning: Callable[[Problem], None],
) -> Plan:
    """The fresh plan the saved `part` must equal: narrowed to the targets the part records,
    and pruning or not as it was made (a project's `apply --plan` takes no --no-prune: a plan
    made with it has no deletes a pruning plan would have). Either is a plan the
    configuration makes now, so accepting the one that equals the part lets through nothing
    a fresh run could not do."""
    from triggersync.engine.reviewed import check_reviewed

    targets = part.targeting.globs if part.targeting is not None else ()
    pruned = workflow.plan(
        config, client, prune=True, live=live, targets=targets, on_warning=on_warning
    )
    try:
        return check_reviewed(part, pruned, client.base_url, hints=False)
    except StalePlanError:
        kept = workflow.plan(config, client, prune=False, live=live, targets=targets)
        if kept.changes == pruned.changes:
            raise
        try:
            return check_reviewed(part, kept, client.base_url, hints=False)
        except StalePlanError:
            pass
        raise


class _StopAll(threading.Event):
    """Set once for the whole run: every client connected, before or after, is cancelled
    too, so that its retries and backoff waits end as well."""

    def __init__(self) -> None:
        super().__init__()
        self._clients: list[Client] = []
        self._lock = threading.Lock()

    def add(self, client: Client) -> None:
        with self._lock:
            self._clients.append(client)
            if self.is_set():
                client.cancel.set()

    def clients(self) -> list[Client]:
        with self._lock:
            return list(self._clients)

    def set(self) -> None:
        with self._lock:
            super().set()
            for client in self._clients:
                client.cancel.set()
