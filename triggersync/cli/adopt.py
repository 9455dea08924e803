"""`triggersync adopt`: edits made in the Zendesk dashboard written into the configuration files
(docs/commands.md#adopt)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from triggersync.cli import options as opts
from triggersync.cli import steps
from triggersync.cli.console import Console, pass_console

if TYPE_CHECKING:
    from triggersync.config.adopt import Adoption


@click.command(
    epilog=opts.api_epilog(
        "0 adopted (or nothing to adopt); with --diff 0 nothing to adopt, 2 something; "
        "1 error, or a trigger not adopted."
    )
)
@opts.paths
@opts.vars
@opts.api_url
@click.option(
    "--target",
    "targets",
    multiple=True,
    metavar="NAME",
    help="Only triggers whose name matches this glob (repeatable).",
)
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
) -> int:
    """Rewrite the files to match the live triggers: keep the dashboard's edits.

    Edits each differing trigger where it is declared, field by field; adds live triggers no
    file declares; removes those gone from Zendesk. Everything else in the files stays as
    written, comments included. Afterwards `plan` says `No changes.`

    \b
    Example:
      triggersync adopt triggers/ --diff
      triggersync adopt triggers/ --target 'Welcome*'
    """
    from triggersync.config.adopt import adopt as adopt_files

    cfg = steps.load(paths, vars_file, console)
    with steps.client(api_url, console) as client:
        listed = client.list()
    live = [steps.masked(trigger, console) for trigger in listed]
    adoption = adopt_files(cfg, live, paths=paths, targets=targets, new_file=new_file)
    for problem in adoption.problems:
        console.warn(problem)
    # A credential written as *** leaves the file unlike the live trigger: not all adopted.
    hid_secrets = any(mine != theirs for mine, theirs in zip(live, listed, strict=True))
    failed = 1 if adoption.problems or hid_secrets else 0
    if show_diff:
        if not adoption.empty:
            console.emit(_unified_diff(adoption).rstrip("\n"))
        return failed or (2 if not adoption.empty else 0)
    steps.write_adoption(adoption, console)
    return failed


def _unified_diff(adoption: Adoption) -> str:
    """As `diff -u` writes it, each file named as given (a new one: from /dev/null), so that
    `patch -p0` applies it."""
    from triggersync.views.diff import unified_diff

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
