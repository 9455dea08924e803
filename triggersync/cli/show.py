"""`triggersync show PLANFILE`: a saved plan rendered as `plan` renders it, offline
(docs/commands.md, "show")."""

from __future__ import annotations

from pathlib import Path

import click

from triggersync.cli import options as opts
from triggersync.cli import steps
from triggersync.cli.console import Console, pass_console


@click.command(epilog="\b\nNo network, no credentials.\nExit codes: 0 ok; 1 error.")
@click.argument("plan_file", metavar="PLANFILE", type=click.Path(dir_okay=False))
@opts.format(["text", "markdown", "json"])
@opts.max_chars
@opts.console_options
@pass_console
def show(console: Console, plan_file: str, fmt: str, max_chars: int | None) -> int:
    """Render a saved plan (plan --out FILE) as text, markdown or JSON.

    The file is read as apply --plan reads it: anything that is not exactly a saved plan is
    an error.

    \b
    Example:
      triggersync show plan.json
      triggersync show plan.json --format markdown > comment.md
    """
    from triggersync.engine.planfile import read_plan_file

    opts.check_max_chars(fmt, max_chars)
    saved = read_plan_file(Path(plan_file))
    steps.report(saved, fmt, console, max_chars, drift=False, summary=False)
    return 0
