"""Many accounts at once: each account's environment from the variables its project file
names, and a run over every account on its own thread.

One account's failure never hides another's: each run returns a value or the expected
failure (a TriggersyncError) it met. Each account has its own client, so its own rate-limit
pause, retries and parallelism (docs/projects.md).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from triggersync.config.project import CREDENTIAL_ROLES, Account
from triggersync.errors import TriggersyncError, UsageError

if TYPE_CHECKING:
    from triggersync.api.auth import TokenCache
    from triggersync.api.client import Client

T = TypeVar("T")
U = TypeVar("U")

# The variables an account's project entry replaces: credentials, and where the API is. The
# others (TRIGGERSYNC_TIMEOUT, TRIGGERSYNC_MAX_ATTEMPTS, proxies) apply to every account.
_PER_ACCOUNT = frozenset(
    {*CREDENTIAL_ROLES.values(), "TRIGGERSYNC_API_URL", "TRIGGERSYNC_SUBDOMAIN"}
    | {"TRIGGERSYNC_TOKEN_URL"}
)


@dataclass(frozen=True)
class AccountRun(Generic[T]):
    """One account's part of a run: its value, or the failure that stopped it."""

    account: str
    value: T | None = None
    error: TriggersyncError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def unwrap(self) -> T:
        """The value; the failure raised again when there is none."""
        if self.error is not None:
            raise self.error
        assert self.value is not None
        return self.value


def account_env(account: Account, env: Mapping[str, str]) -> dict[str, str]:
    """The environment a client for `account` reads: its API and the credentials of the
    variables it names, as TRIGGERSYNC_* variables; the settings every account shares kept;
    the TRIGGERSYNC_* credentials of the process left out (an account uses only what its
    entry names). UsageError when a named variable is unset."""
    out = {name: value for name, value in env.items() if name not in _PER_ACCOUNT}
    if not account.credentials:
        raise UsageError(
            "the project file names no credentials for this account: add e.g. "
            "`credentials: {token: VARIABLE}` (the name of an environment variable)"
        )
    for role, variable in account.credentials.items():
        value = env.get(variable, "")
        if not value.strip():
            raise UsageError(
                f"{variable} is not set (the project file names it as this account's {role})"
            )
        out[CREDENTIAL_ROLES[role]] = value
    if account.api_url is not None:
        out["TRIGGERSYNC_API_URL"] = account.api_url
    elif account.subdomain is not None:
        out["TRIGGERSYNC_SUBDOMAIN"] = account.subdomain
    if account.token_url is not None:
        out["TRIGGERSYNC_TOKEN_URL"] = account.token_url
    return out


def connect_account(
    account: Account,
    env: Mapping[str, str],
    *,
    parallelism: int = 4,
    tokens: TokenCache | None = None,
) -> Client:
    """The client for one account of a project file (`tokens`: the OAuth access token its
    other clients share)."""
    from triggersync.operations.workflow import connect

    names = {CREDENTIAL_ROLES[role]: variable for role, variable in account.credentials.items()}
    setting = "api_url" if account.api_url is not None else "subdomain"
    return connect(
        env=account_env(account, env),
        parallelism=parallelism,
        credential_names=names,
        url_named=f"the {setting} of account {account.name!r}",
        tokens=tokens,
    )


def run_each(
    accounts: Sequence[Account], task: Callable[[Account], T], *, writes: bool = False
) -> list[AccountRun[T]]:
    """`task` for every account at once, each on its own thread; the runs in the accounts'
    order. An expected failure ends that account's run only, as its `error`.

    An interrupt (KeyboardInterrupt) while the accounts run ends the wait at once: a task that
    only reads is abandoned where it is (its thread is a daemon: the process does not wait
    for a server that never answers before it exits), as over one account. A task that
    `writes` is waited for before the interrupt goes on, and the process waits for it before
    it exits: cut off mid-change, it would leave its account's lock behind (the commands stop
    an apply more gently: `Project.stop`)."""

    def one(account: Account) -> AccountRun[T]:
        try:
            return AccountRun(account.name, value=task(account))
        except TriggersyncError as exc:
            return AccountRun(account.name, error=exc)

    if len(accounts) <= 1:
        return [one(account) for account in accounts]
    runs: dict[int, AccountRun[T]] = {}
    unexpected: list[BaseException] = []

    def work(index: int, account: Account) -> None:
        try:
            runs[index] = one(account)
        except BaseException as exc:  # noqa: BLE001 (a bug: raised again on the caller's thread)
            unexpected.append(exc)

    threads = [
        threading.Thread(
            target=work, args=(index, account), name=f"account-{account.name}", daemon=not writes
        )
        for index, account in enumerate(accounts)
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    except BaseException:
        if writes:  # those started finish (and the process waits for them, not daemons)
            for thread in threads:
                if thread.is_alive():
                    thread.join()
        raise
    if unexpected:
        raise unexpected[0]
    return [runs[index] for index in range(len(accounts))]


def combined_exit(codes: Sequence[int]) -> int:
    """One exit code for many accounts: 1 if any is 1, else 2 if any is 2, else 0 (another
    code, such as an interrupt's, wins over all)."""
    others = [code for code in codes if code not in (0, 1, 2)]
    if others:
        return others[0]
    if 1 in codes:
        return 1
    return 2 if 2 in codes else 0


def then(run: AccountRun[T], task: Callable[[T], U]) -> AccountRun[U]:
    """The next step of an account's run, when the last one succeeded."""
    if run.error is not None or run.value is None:
        return AccountRun(run.account, error=run.error)
    try:
        return AccountRun(run.account, value=task(run.value))
    except TriggersyncError as exc:
        return AccountRun(run.account, error=exc)
