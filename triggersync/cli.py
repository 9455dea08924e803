"""The command line: parse options, call the core, render, choose the exit code.

Nothing below this module prints. Core modules are imported inside the commands so that
`triggersync --version` and `--help` stay fast.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

from triggersync import __version__
from triggersync.errors import TriggersyncError


class _Cli(click.Group):
    """Exit codes are ours, not click's: usage errors exit 1, because 2 means "changes"."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.ClickException as exc:
            exc.show()
            code = 1
        except click.Abort:
            click.echo("Aborted.", err=True)
            code = 1
        except TriggersyncError as exc:
            click.echo(f"Error: {exc}", err=True)
            code = 1
        code = code if isinstance(code, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="triggersync")
def cli() -> None:
    """Zendesk Chat triggers as code.

    \b
    Example:
      triggersync validate triggers/
      triggersync plan triggers/
    """


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--vars", "vars_file", type=click.Path(), help="YAML mapping for ${NAME} references.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="github prints ::error annotations on stdout.",
)
def validate(paths: tuple[str, ...], vars_file: str | None, fmt: str) -> int:
    """Load and validate configuration files; no network.

    \b
    Example:
      triggersync validate triggers/ --vars env/production.yaml
    """
    from triggersync import config
    from triggersync.errors import ConfigError

    try:
        cfg = config.load(paths, variables=config.load_vars(vars_file) if vars_file else None)
    except ConfigError as exc:
        if fmt != "github":
            raise
        for issue in exc.issues:
            message = f"{issue.path}: {issue.message}" if issue.path else issue.message
            click.echo(f"::error file={issue.file},line={issue.line},col={issue.col}::{message}")
        return 1
    for warning in cfg.warnings:
        click.echo(f"warning: {warning}", err=True)
    triggers = _plural(len(cfg.triggers), "trigger")
    verb = "is" if len(cfg.triggers) == 1 else "are"
    click.echo(f"{triggers} in {_plural(len(cfg.files), 'file')} {verb} valid.")
    return 0


def _register_emulator() -> None:
    from triggersync.emulator.command import emulator

    cli.add_command(emulator)


_register_emulator()

main = cli
