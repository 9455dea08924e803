"""The command line's front door: the click group, its exit codes, the one place an expected
failure (a TriggersyncError) becomes a message, and the register of commands.

Commands live in modules by family (check, sync, export; the emulator's with the emulator),
listed in COMMANDS. A command's module is imported only when the command runs or help lists
it, and it imports the core inside the command, so `triggersync --version` and `--help` stay
fast.
"""

from __future__ import annotations

import importlib
import signal
import sys
from collections.abc import Sequence
from typing import Any

import click

from triggersync import __version__
from triggersync.cli.console import Console
from triggersync.errors import ConfigError, TriggersyncError

# Every command, family by family, as "module:function". A family is a module of click
# commands (cli/validate.py, cli/sync.py, ...); a new command is one line here.
COMMANDS: dict[str, str] = {
    "validate": "triggersync.cli.validate:validate",
    "fmt": "triggersync.cli.fmt:fmt",
    "plan": "triggersync.cli.sync:plan",
    "apply": "triggersync.cli.sync:apply",
    "drift": "triggersync.cli.sync:drift",
    "unlock": "triggersync.cli.lock:unlock",
    "export": "triggersync.cli.export:export",
    "adopt": "triggersync.cli.adopt:adopt",
    "schema": "triggersync.cli.export:schema",
    "explain": "triggersync.cli.meaning:explain",
    "simulate": "triggersync.cli.meaning:simulate",
    "test": "triggersync.cli.meaning:test",
    "show": "triggersync.cli.show:show",
    "emulator": "triggersync.emulator.command:emulator",
}


class _Cli(click.Group):
    """Exit codes are ours, not click's: usage errors exit 1, because 2 means "changes"."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, _, name = COMMANDS[cmd_name].partition(":")
        command = getattr(importlib.import_module(module), name)
        assert isinstance(command, click.Command), COMMANDS[cmd_name]
        return command

    def invoke(self, ctx: click.Context) -> Any:
        # The run's one Console is made here, before the command's context inherits it, so
        # that the command and this handler share it, and with it the secrets to mask.
        console = ctx.ensure_object(Console)
        try:
            return super().invoke(ctx)
        except TriggersyncError as exc:
            # One line per problem (a ConfigError carries each), each greppable; a
            # line break inside one is untrusted text, which the Console shows escaped.
            problems = (exc.problems if isinstance(exc, ConfigError) else ()) or (exc,)
            for problem in problems:
                console.error(str(problem) or type(exc).__name__)
            return 1

    def main(
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
        except click.Abort as exc:
            # Click turns Ctrl-C into Abort (from the KeyboardInterrupt, or, in a prompt, with
            # it as the suppressed context): exit as a shell reports SIGINT, 128 + 2. Before
            # apply starts changing anything, Ctrl-C ends the run at once (cli/console.py,
            # Interrupts, handles it during an apply).
            if isinstance(exc.__cause__ or exc.__context__, KeyboardInterrupt):
                click.echo("Interrupted.", err=True)
                code = 128 + signal.SIGINT
            else:
                click.echo("Aborted.", err=True)
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


main = cli
