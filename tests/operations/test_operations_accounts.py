"""An account's environment from the variables its entry names; runs over accounts that keep
each account's failure to itself; exit codes combined."""

from __future__ import annotations

import signal
import threading

import pytest

from triggersync.config.project import Account
from triggersync.errors import UsageError
from triggersync.operations.accounts import (
    AccountRun,
    account_env,
    combined_exit,
    run_each,
    then,
)

ACCOUNT = Account(
    name="prod",
    paths=("t",),
    subdomain="acme",
    credentials={"client_id": "ACME_ID", "client_secret": "ACME_SECRET"},
)


def _ours(env: dict[str, str]) -> dict[str, str]:
    """The TRIGGERSYNC_* part: the rest of the environment (proxies, ...) passes through."""
    return {name: value for name, value in env.items() if name.startswith("TRIGGERSYNC_")}


def test_the_named_variables_become_the_account_credentials() -> None:
    env = {
        "ACME_ID": "id",
        "ACME_SECRET": "secret",
        "TRIGGERSYNC_TOKEN": "not this one",
        "TRIGGERSYNC_API_URL": "http://127.0.0.1:1",
        "TRIGGERSYNC_TIMEOUT": "5",
    }
    assert _ours(account_env(ACCOUNT, env)) == {
        "TRIGGERSYNC_CLIENT_ID": "id",
        "TRIGGERSYNC_CLIENT_SECRET": "secret",
        "TRIGGERSYNC_SUBDOMAIN": "acme",
        "TRIGGERSYNC_TIMEOUT": "5",
    }


def test_an_api_url_and_a_token_url_are_the_accounts_own() -> None:
    account = Account(
        name="local",
        paths=("t",),
        api_url="http://127.0.0.1:8080/api/v2/chat",
        token_url="http://127.0.0.1:8080/oauth2/chat/token",
        credentials={"token": "LOCAL_TOKEN"},
    )
    env = account_env(account, {"LOCAL_TOKEN": "t", "TRIGGERSYNC_TOKEN_URL": "https://elsewhere"})
    assert _ours(env) == {
        "TRIGGERSYNC_TOKEN": "t",
        "TRIGGERSYNC_API_URL": "http://127.0.0.1:8080/api/v2/chat",
        "TRIGGERSYNC_TOKEN_URL": "http://127.0.0.1:8080/oauth2/chat/token",
    }


def test_an_unset_variable_is_named() -> None:
    with pytest.raises(UsageError, match="ACME_SECRET is not set"):
        account_env(ACCOUNT, {"ACME_ID": "id", "ACME_SECRET": "  "})


def test_an_account_without_credentials_says_how_to_name_them() -> None:
    bare = Account(name="bare", paths=("t",), subdomain="acme")
    with pytest.raises(UsageError, match="names no credentials for this account"):
        account_env(bare, {})


def test_one_accounts_failure_stays_its_own() -> None:
    accounts = [Account(name=name, paths=("t",), subdomain="a") for name in ("a", "b", "c")]

    def task(account: Account) -> str:
        if account.name == "b":
            raise UsageError("b is broken")
        return account.name.upper()

    runs = run_each(accounts, task)
    assert [(run.account, run.value, str(run.error or "")) for run in runs] == [
        ("a", "A", ""),
        ("b", None, "b is broken"),
        ("c", "C", ""),
    ]


def test_accounts_run_at_once() -> None:
    accounts = [Account(name=name, paths=("t",), subdomain="a") for name in ("a", "b", "c")]
    together = threading.Barrier(3, timeout=10)
    runs = run_each(accounts, lambda account: together.wait())
    assert all(run.ok for run in runs)


def test_then_carries_a_failure_on() -> None:
    failed: AccountRun[int] = AccountRun("a", error=UsageError("no"))
    assert then(failed, lambda value: value + 1).error is failed.error
    assert then(AccountRun("a", value=1), lambda value: value + 1).value == 2


def test_unwrap_raises_the_failure() -> None:
    with pytest.raises(UsageError, match="no"):
        AccountRun[int]("a", error=UsageError("no")).unwrap()


@pytest.mark.parametrize(
    ("codes", "combined"),
    [([], 0), ([0, 0], 0), ([0, 2], 2), ([2, 1, 0], 1), ([1, 2], 1), ([0, 130, 1], 130)],
)
def test_exit_codes_combine(codes: list[int], combined: int) -> None:
    assert combined_exit(codes) == combined


def ctrl_c() -> None:
    """SIGINT to the main thread, as a terminal sends it, waking it from its wait."""
    signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)


def test_an_interrupt_ends_the_wait_for_accounts_that_only_read() -> None:
    # Nothing to finish: the run ends as over one account, without waiting for a server.
    accounts = [Account(name=name, paths=("t",), subdomain="a") for name in ("a", "b")]
    never = threading.Event()
    running = threading.Barrier(2, timeout=30)

    def task(account: Account) -> None:
        running.wait()
        if account.name == "a":
            ctrl_c()
        else:
            never.wait(timeout=30)  # a list request to a server that does not answer
            listed.set()

    listed = threading.Event()
    with pytest.raises(KeyboardInterrupt):
        run_each(accounts, task)
    assert not listed.is_set()  # not waited for
    never.set()


def test_an_interrupt_waits_for_accounts_that_write() -> None:
    # An apply's account cut off mid-change would leave its lock behind: it ends first.
    accounts = [Account(name=name, paths=("t",), subdomain="a") for name in ("a", "b")]
    interrupted, done = threading.Event(), threading.Event()
    running = threading.Barrier(2, timeout=30)

    def task(account: Account) -> None:
        running.wait()  # both accounts' applies are under way
        if account.name == "a":
            ctrl_c()
            interrupted.set()
        else:
            interrupted.wait(timeout=30)
            done.set()

    with pytest.raises(KeyboardInterrupt):
        run_each(accounts, task, writes=True)
    assert done.is_set()
