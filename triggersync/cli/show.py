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
    an error. A project's saved plan shows a section per account.

    \b
    Example:
      triggersync show plan.json
      triggersync show plan.json --format markdown > comment.md
    """
    from triggersync.engine.planfile import read_saved_plans
    from triggersync.views import accounts as view
    from triggersync.views.markdown import PLAN_MARKER, truncate_markdown

    opts.check_max_chars(fmt, max_chars)
    saved = read_saved_plans(Path(plan_file))
    if not isinstance(saved, dict):
        text = steps.render_as(saved, fmt, console, warnings=True)
    elif fmt == "json":
        text = view.render_accounts_json(saved)
    else:
        sections = [
            (name, steps.render_as(part, fmt, console, warnings=True))
            for name, part in saved.items()
        ]
        if fmt == "markdown":
            text = view.render_accounts_markdown(sections, {}, PLAN_MARKER)
        else:
            text = view.render_accounts_text(sections, {})
    if max_chars is not None:
        text = truncate_markdown(text, max_chars, what="plan")
    console.emit(text)
    return 0
