"""`triggersync adopt`: edits made in the Zendesk dashboard written into the configuration files
(docs/commands.md#adopt)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from triggersync import operations
from triggersync.cli import accounts, steps
from triggersync.cli import options as opts
from triggersync.cli.console import Console, pass_console
from triggersync.errors import ConfigError, TriggersyncError

if TYPE_CHECKING:
    from triggersync.config.adopt import Adoption
    from triggersync.operations import Project


@click.command(
    epilog=opts.api_epilog(
        "0 adopted (or nothing to adopt); with --diff 0 nothing to adopt, 2 something; "
        "1 error, or a trigger not adopted."
    )
)
@opts.paths_or_project
@opts.project
@opts.vars
@opts.api_url
@opts.targets
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff; write nothing.")
@click.option(
    "--new-file",
    type=click.Path(dir_okay=False),
    help="Append new live triggers to this file (default: one new file each, in the first "
    "folder given).",
)
@opts.console_options
@pass_console
def adopt(
    console: Console,
    paths: tuple[str, ...],
    vars_file: str | None,
    api_url: str | None,
    targets: tuple[str, ...],
    show_diff: bool,
    new_file: str | None,
    project_file: str | None,
    account_names: tuple[str, ...],
) -> int:
    """Rewrite the files to match the live triggers: keep the dashboard's edits.

    Edits each differing trigger where it is declared, field by field; adds live triggers no
    file declares; removes those gone from Zendesk. Everything else in the files stays as
    written, comments included. Afterwards `plan` says `No changes.`

    \b
    Example:
      triggersync adopt triggers/ --diff
      triggersync adopt triggers/ --target 'Welcome*'

    Without PATHS, every account of the project file, one after another (a file that several
    accounts share takes each account's edits in turn).
    """

    project = accounts.project_for(
        console, paths, project_file, account_names, vars_file=vars_file, api_url=api_url
    )
    if project is not None:
        return _adopt_accounts(console, project, account_names, targets, show_diff, new_file)
    cfg = steps.load_config(paths, vars_file, console, project_file=project_file)
    with steps.client(api_url, console) as client:
        adopted = operations.adopt(
            cfg, client, paths, targets=targets, new_file=new_file, mask=console.mask
        )
    for warning in adopted.warnings:
        console.warn(warning)
    return _report(console, adopted.adoption, show_diff, adopted.masked)


def _report(
    console: Console, adoption: Adoption, show_diff: bool, hid_secrets: bool, prefix: str = ""
) -> int:
    """The adoption's problems, then its diff (with --diff) or its files written."""
    for problem in adoption.problems:
        console.warn(f"{prefix}{problem}")
    failed = 1 if adoption.problems or hid_secrets else 0
    if show_diff:
        if not adoption.empty:
            console.emit(_guarded(_unified_diff(adoption).rstrip("\n")))
        return failed or (2 if not adoption.empty else 0)
    steps.write_adoption(adoption, console)
    return failed


def _adopt_accounts(
    console: Console,
    project: Project,
    account_names: Sequence[str],
    targets: Sequence[str],
    show_diff: bool,
    new_file: str | None,
) -> int:
    """Each account's live triggers adopted into its files: fetched at once, adopted one
    account after another, each reading the files as the one before left them."""
    from triggersync.operations import combined_exit

    runs = project.live(account_names)
    codes = [1] * len(accounts.errors(console, runs))
    by_name = {account.name: account for account in project.accounts}
    for run in runs:
        if run.value is None:
            continue
        account = by_name[run.account]
        prefix = f"account {run.account}: "
        if show_diff:
            console.emit(f"== {run.account} ==")
        try:
            cfg = project.load_config(account)
            accounts.warn(console, run.account, cfg.warnings)
            with project.connect(account) as client:  # its departments, when ids need names
                adopted = operations.adopt(
                    cfg,
                    client,
                    project.own_paths_first(account),
                    targets=targets,
                    new_file=new_file,
                    live=run.value,
                    mask=console.mask,
                )
            accounts.warn(console, run.account, adopted.warnings)
            codes.append(_report(console, adopted.adoption, show_diff, adopted.masked, prefix))
        except TriggersyncError as exc:
            problems = exc.problems if isinstance(exc, ConfigError) else (exc,)
            for problem in problems:
                console.error(f"{prefix}{problem}")
            codes.append(1)
    return combined_exit(codes)


def _guarded(diff: str) -> str:
    """The diff shows the files' lines as they are (so that `patch` applies it), and a line of
    a block scalar may read `::error::...`: under GitHub Actions the runner would take it for
    a workflow command, so the diff is wrapped in `::stop-commands::`, with a token no file
    can know."""
    if os.environ.get("GITHUB_ACTIONS") != "true":
        return diff
    token = secrets.token_hex(16)
    return f"::stop-commands::{token}\n{diff}\n::{token}::"


def _unified_diff(adoption: Adoption) -> str:
    """As `diff -u` writes it, each file named as given (a new one: from /dev/null), so that
    `patch -p0` applies it."""
    from triggersync.views.unified_diff import unified_diff

    return "".join(
        unified_diff(
            change.before or "",
            change.after,
            change.opcodes,
            "/dev/null" if change.before is None else change.path,
            change.path,
        )
        for change in adoption.files
    )
