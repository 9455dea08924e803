"""The command line: parse options, call the core, render, choose the exit code.

Shared options and steps live in cli_support; nothing below the CLI prints. Core modules are
imported inside the commands so that `triggersync --version` and `--help` stay fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from triggersync import __version__
from triggersync.cli import options as opts
from triggersync.cli.console import Console, Interrupts, Progress, write_atomically
from triggersync.errors import ConfigError, TriggersyncError
from triggersync.untrusted import clean


class _Cli(click.Group):
    """Exit codes are ours, not click's: usage errors exit 1, because 2 means "changes"."""

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
        except click.Abort:
            click.echo("Aborted.", err=True)
            code = 1
        except TriggersyncError as exc:
            # One line per problem (a ConfigError carries each), each greppable; a line
            # break inside one is untrusted text and is shown escaped (text.clean).
            problems = (exc.problems if isinstance(exc, ConfigError) else ()) or (exc,)
            for problem in problems:
                click.echo(f"Error: {clean(str(problem)) or type(exc).__name__}", err=True)
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
@opts.paths
@opts.vars
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
    from triggersync.config import files as config

    github = fmt == "github"
    try:
        cfg = config.load(paths, variables=config.load_vars(vars_file) if vars_file else None)
    except ConfigError as exc:
        if not github:
            raise
        for problem in exc.problems:
            click.echo(opts.annotation("error", problem))
        return 1
    for warning in cfg.warnings:
        if github:
            click.echo(opts.annotation("warning", warning))
        else:
            click.echo(f"warning: {clean(str(warning))}", err=True)
    triggers = _plural(len(cfg.triggers), "trigger")
    verb = "is" if len(cfg.triggers) == 1 else "are"
    click.echo(f"{triggers} in {_plural(len(cfg.files), 'file')} {verb} valid.")
    return 0


@cli.command()
@opts.paths
@opts.vars
@opts.api_url
@opts.format(["text", "markdown", "json"])
@click.option("--out", type=click.Path(dir_okay=False), help="Also save the plan (JSON) here.")
@click.option("--detailed-exitcode", is_flag=True, help="Exit 2 when there are changes.")
@opts.max_chars
@opts.no_prune
@opts.common
def plan(
    paths: tuple[str, ...],
    vars_file: str | None,
    api_url: str | None,
    fmt: str,
    out: str | None,
    detailed_exitcode: bool,
    max_chars: int | None,
    no_prune: bool,
    verbose: int,
    quiet: bool,
    no_color: bool,
) -> int:
    """Show what apply would change; writes nothing to the API.

    \b
    Example:
      triggersync plan triggers/ --out plan.json
      triggersync plan triggers/ --format markdown --max-chars 65000 > comment.md
    """
    from triggersync.views import render

    console = opts.console(verbose, quiet, no_color)
    opts.check_max_chars(fmt, max_chars)
    cfg = opts.load(paths, vars_file, console)
    with opts.client(api_url) as client:
        the_plan = opts.make_plan(cfg, client, prune=not no_prune)
    if out:
        write_atomically(Path(out), render.render_json(the_plan))
        console.info(f"Saved the plan to {out}; apply it with: triggersync apply --plan {out}")
    opts.report(the_plan, fmt, console, max_chars, drift=False)
    return 2 if detailed_exitcode and not the_plan.empty else 0


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@opts.vars
@opts.api_url
@click.option("--plan", "plan_file", type=click.Path(dir_okay=False), help="Apply this saved plan.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--force", is_flag=True, help="Allow a plan that deletes many triggers.")
@opts.no_prune
@opts.parallelism
@opts.common
def apply(
    paths: tuple[str, ...],
    vars_file: str | None,
    api_url: str | None,
    plan_file: str | None,
    yes: bool,
    force: bool,
    no_prune: bool,
    parallelism: int,
    verbose: int,
    quiet: bool,
    no_color: bool,
) -> int:
    """Plan, confirm, and apply; or apply a saved plan exactly.

    \b
    Example:
      triggersync apply triggers/ --yes
      triggersync apply --plan plan.json
    """
    from triggersync.engine import apply as apply_mod
    from triggersync.views import render

    console = opts.console(verbose, quiet, no_color)
    if bool(paths) == bool(plan_file):
        raise click.UsageError("give configuration PATHS or --plan FILE, not both or neither")
    if plan_file and (no_prune or vars_file):
        raise click.UsageError(
            "--no-prune and --vars shape a new plan; a saved plan is applied as is"
        )
    # Files first (they are checked before anything else happens), then the API.
    saved = apply_mod.read_plan_file(Path(plan_file)) if plan_file else None
    cfg = None if saved else opts.load(paths, vars_file, console)
    with opts.client(api_url, parallelism) as client:
        if saved is not None:
            apply_mod.check_fresh(saved, client.list(), client.base_url)
            the_plan = saved
        else:
            assert cfg is not None
            the_plan = opts.make_plan(cfg, client, prune=not no_prune)
        opts.emit(render.render_text(the_plan, color=console.color))
        if the_plan.empty:
            return 0
        apply_mod.check_safety(the_plan, force=force)
        if not plan_file and not yes:
            if not console.interactive:
                console.error("refusing to apply: standard input is not a terminal; pass --yes")
                return 1
            if not click.confirm("Apply these changes?", default=False, err=True):
                console.error("apply cancelled; nothing was changed")
                return 1
        # Ctrl-C and SIGTERM stop the apply between changes, never in the middle of one.
        with (
            Progress(console, len(the_plan.changes)) as progress,
            Interrupts(client.cancel) as interrupts,
        ):
            result = apply_mod.apply_plan(
                the_plan,
                client,
                parallelism=parallelism,
                on_outcome=progress.update,
                stop=client.cancel,
            )
    for failure in result.failures():
        console.error(failure.message)
    counts = result.counts()
    summary = (
        f"{counts['created']} created, {counts['updated']} updated, {counts['deleted']} deleted."
    )
    failed = f"{result.count('failed')} failed, {result.count('skipped')} skipped"
    if interrupts.exit_code is not None:
        click.echo(
            f"Apply interrupted: {summary} {failed}, {result.count('not_applied')} not applied; "
            "plan again to see what is left."
        )
        return interrupts.exit_code
    if result.ok:
        click.echo(f"Apply complete: {summary}")
        return 0
    click.echo(f"Apply incomplete: {summary} {failed}; plan again to see what is left.")
    return 1


@cli.command()
@opts.paths
@opts.vars
@opts.api_url
@opts.format(["text", "markdown", "json"])
@opts.max_chars
@opts.common
def drift(
    paths: tuple[str, ...],
    vars_file: str | None,
    api_url: str | None,
    fmt: str,
    max_chars: int | None,
    verbose: int,
    quiet: bool,
    no_color: bool,
) -> int:
    """Report live triggers that differ from the configuration; exit 2 on drift.

    \b
    Example:
      triggersync drift triggers/ --format markdown
    """

    console = opts.console(verbose, quiet, no_color)
    opts.check_max_chars(fmt, max_chars)
    cfg = opts.load(paths, vars_file, console)
    with opts.client(api_url) as client:
        the_plan = opts.make_plan(cfg, client, prune=True)
    opts.report(the_plan, fmt, console, max_chars, drift=True)
    return 0 if the_plan.empty else 2


@cli.command()
@opts.api_url
@click.option(
    "--out",
    type=click.Path(),
    help="A .yaml file, or a directory for one file per trigger. Default: stdout.",
)
@opts.common
def export(api_url: str | None, out: str | None, verbose: int, quiet: bool, no_color: bool) -> int:
    """Write the live triggers as configuration YAML.

    \b
    Example:
      triggersync export --out triggers/
    """
    from triggersync.engine import export as export_mod

    console = opts.console(verbose, quiet, no_color)
    with opts.client(api_url) as client:
        live, refused = export_mod.exportable(client.list())
    if out is None:
        opts.emit(export_mod.to_yaml(live))
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


def _register_emulator() -> None:
    from triggersync.emulator.command import emulator

    cli.add_command(emulator)


_register_emulator()

main = cli
