"""`triggersync export`: the live triggers written as configuration YAML (docs/commands.md)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from triggersync.cli import options as opts
from triggersync.cli import steps
from triggersync.cli.console import Console, emit, pass_console, write_atomically


@click.command()
@opts.api_url
@click.option(
    "--out",
    type=click.Path(),
    help="A .yaml file, or a directory for one file per trigger. Default: stdout.",
)
@opts.console_options
@pass_console
def export(console: Console, api_url: str | None, out: str | None) -> int:
    """Write the live triggers as configuration YAML.

    \b
    Example:
      triggersync export --out triggers/
    """
    from triggersync.engine import export as export_mod

    with steps.client(api_url, console) as client:
        live, refused = export_mod.exportable(client.list())
    if out is None:
        emit(export_mod.to_yaml(live))
        return _report_refused(refused, console)
    target = Path(out)
    if target.is_dir() or out.endswith(("/", os.sep)) or target.suffix not in (".yaml", ".yml"):
        written, others = export_mod.write_directory(live, target)
        console.info(f"Wrote {len(written)} files to {target}")
        if others:
            names = ", ".join(path.name for path in others)
            console.warn(
                f"{target} also holds YAML files this export did not write ({names}); "
                "remove those of triggers no longer in Zendesk, or apply brings them back"
            )
    else:
        write_atomically(target, export_mod.to_yaml(live, target.parent))
        console.info(f"Wrote {len(live)} triggers to {target}")
    return _report_refused(refused, console)


def _report_refused(messages: list[str], console: Console) -> int:
    """After what was written, so that the triggers left out are what a reader sees last."""
    for message in messages:
        console.error(message)
    return 1 if messages else 0
