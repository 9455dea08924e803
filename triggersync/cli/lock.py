"""The account's lock on the command line: `--lock-timeout` for apply (which holds the lock
while it changes anything: operations/workflow.py), and `triggersync unlock`, which removes one
a killed run left (docs/safety.md#the-lock; the lock itself: engine/lock.py)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from triggersync.cli import options as opts
from triggersync.cli import steps
from triggersync.cli.console import Console, pass_console

if TYPE_CHECKING:
    from triggersync.api.client import Client


def _a_number(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if math.isnan(value):  # FloatRange lets NaN through: it compares false to any bound
        raise click.BadParameter("expected a number of seconds, got nan")
    return value


lock_timeout = click.option(
    "--lock-timeout",
    type=click.FloatRange(min=0),
    default=0,
    callback=_a_number,
    metavar="SECONDS",
    help="Wait up to SECONDS for the account's lock when another apply holds it (default: "
    "refuse at once).",
)

LEFT_BEHIND = (
    b" The account's lock may be left behind: once no apply runs, remove it with "
    b"`triggersync unlock`."
)


def left_behind(accounts: Sequence[str]) -> bytes:
    """What a second interrupt leaves behind in a project's apply: the lock of each account
    that took one, and the command that removes it (said from a signal handler: bytes)."""
    return b"".join(
        f" The lock of account {name} may be left behind: once no apply runs, remove it with "
        f"`triggersync unlock --account {name}`.".encode()
        for name in accounts
    )


@click.command(epilog=opts.api_epilog("0 removed, or no lock held; 1 error or refusal."))
@opts.api_url
@click.option(
    "--account",
    "account_name",
    metavar="NAME",
    help="The account of the project file (triggersync.yaml) whose lock to remove.",
)
@click.option(
    "--project",
    "project_file",
    type=click.Path(dir_okay=False),
    help="With --account: the project file (default: ./triggersync.yaml).",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@opts.console_options
@pass_console
def unlock(
    console: Console,
    api_url: str | None,
    account_name: str | None,
    project_file: str | None,
    yes: bool,
) -> int:
    """Remove the account's lock that a killed apply left behind.

    An apply holds the lock (a disabled trigger named "triggersync lock") while it changes
    triggers, so that two applies never run at once. A run that was killed cannot release
    it: remove it here, once no apply runs.

    \b
    Example:
      triggersync unlock
      triggersync unlock --yes      # without a prompt (a CI job)
      triggersync unlock --account production   # an account of triggersync.yaml
    """
    from triggersync.engine import lock
    from triggersync.untrusted import shown

    with _client(console, api_url, account_name, project_file) as client:
        locks = lock.held_now(client)
        if not locks:
            console.echo("No apply holds the account's lock: nothing to remove.")
            return 0
        for name, holder in locks:
            named = "" if name == lock.LOCK_NAME else f" ({shown(name)})"
            console.echo(f"The account's lock{named} is held by {holder.said()}.")
        if not yes:
            if not console.interactive:
                console.error("refusing to unlock: standard input is not a terminal; pass --yes")
                return 1
            if not click.confirm(
                "Remove it? Only if that apply no longer runs.", default=False, err=True
            ):
                console.error("unlock cancelled; the lock is still held")
                return 1
        for name, holder in locks:
            lock.unlock(client, name, holder)
            named = "" if name == lock.LOCK_NAME else f" ({shown(name)})"
            console.echo(f"Removed the account's lock{named} held by {holder.said()}.")
    return 0


def _client(
    console: Console, api_url: str | None, account_name: str | None, project_file: str | None
) -> Client:
    """The client of the account to unlock: the TRIGGERSYNC_* variables', or, with
    --account, that account of the project file (its API and its credentials' variables)."""
    if account_name is None:
        if project_file is not None:
            raise click.UsageError("--project chooses the file of --account NAME: give both")
        return steps.client(api_url, console)
    if api_url is not None:
        raise click.UsageError("--account NAME's API is in the project file: give no --api-url")
    from triggersync.config import project as project_settings
    from triggersync.operations import Project

    found = project_settings.find_project_file(project_file)
    if found is None:
        raise click.UsageError(
            "--account names an account of a project file: there is no triggersync.yaml "
            "here (give --project FILE)"
        )
    project = Project(project_settings.load_project_file(found))
    account = project.settings.account(account_name)
    console.secrets = project.secrets
    console.setup_logging()
    client = project.connect(account)
    for warning in client.warnings:
        console.warn(warning)
    return client
