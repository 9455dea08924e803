"""`triggersync fmt`: configuration files rewritten in the canonical layout (docs/commands.md)."""

from __future__ import annotations

from pathlib import Path

import click

from triggersync.cli import options as opts
from triggersync.cli.console import Console, pass_console
from triggersync.errors import ConfigError
from triggersync.untrusted import clean, inert_line


@click.command(epilog="Exit codes: 0 ok; with --check, 1 when a file would change; 1 error.")
@opts.paths
@click.option(
    "--check", is_flag=True, help="Write nothing; exit 1 naming each file that would change."
)
@click.option(
    "--diff", is_flag=True, help="Write nothing; print what would change, as a unified diff."
)
@opts.console_options
@pass_console
def fmt(console: Console, paths: tuple[str, ...], check: bool, diff: bool) -> int:
    """Rewrite configuration files in the canonical layout; comments are kept.

    Keys in one order, two spaces per level, a blank line between triggers, and a condition
    or action on one line when it fits in 100 columns, else one element per line. What the
    files declare never changes.

    \b
    Example:
      triggersync fmt triggers/
      triggersync fmt --check triggers/    # in CI or a pre-commit hook
    """
    from triggersync.config import fmt as formatting
    from triggersync.views.unified_diff import text_diff

    laid = formatting.lay_out_files(paths)
    for skipped in laid.passed_over:
        console.info(f"left alone: {skipped}")
    changed = [entry for entry in laid.formatted if entry.changed]
    # A name on a line of its own: a file named `::error::x.yaml` must not read as a command.
    named = {entry.file: inert_line(clean(entry.file)) for entry in changed}
    for entry in changed:
        if diff:
            name = clean(entry.file)
            console.emit(text_diff(entry.before, entry.after, name, name))
        elif check:
            console.echo(named[entry.file])
        else:
            # Through a symbolic link to the file it names: the link stays a link.
            console.write_file(Path(entry.file).resolve(), entry.after)
            console.echo(named[entry.file])
    if laid.problems:
        raise ConfigError(laid.problems)
    if check and changed:
        files = "1 file is" if len(changed) == 1 else f"{len(changed)} files are"
        console.error(f"{files} not in the canonical layout; run `triggersync fmt` on them")
        return 1
    if not changed:
        console.info("Every file is in the canonical layout.")
    return 0
