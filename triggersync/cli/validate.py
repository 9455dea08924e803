"""`triggersync validate`: the configuration checked, with no network (docs/commands.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from triggersync.cli import accounts
from triggersync.cli import options as opts
from triggersync.cli.console import Console, pass_console
from triggersync.errors import ConfigError

if TYPE_CHECKING:
    from triggersync.config.files import Config


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


@click.command()
@opts.paths_or_project
@opts.project
@opts.vars
@opts.format(["text", "github"], help="github prints ::error and ::warning annotations on stdout.")
@opts.strict
@pass_console
def validate(
    console: Console,
    paths: tuple[str, ...],
    vars_file: str | None,
    fmt: str,
    strict: bool,
    project_file: str | None,
    account_names: tuple[str, ...],
) -> int:
    """Load and validate configuration files; no network.

    Without PATHS, every account's configuration in the project file (triggersync.yaml).

    \b
    Example:
      triggersync validate triggers/ --vars env/production.yaml
    """
    from triggersync.cli.steps import rule_settings
    from triggersync.operations import combined_exit, load

    github = fmt == "github"
    project = accounts.project_for(console, paths, project_file, account_names, vars_file=vars_file)
    if project is None:
        settings = rule_settings(strict, project_file)
        return _report(console, github, lambda: load(paths, vars_file, settings=settings))
    codes = []
    for account in project.select(account_names):
        codes.append(
            _report(
                console,
                github,
                lambda account=account: project.load_config(  # type: ignore[misc]
                    account, strict=strict
                ),
                account=account.name,
            )
        )
    return combined_exit(codes)


def _report(
    console: Console, github: bool, loading: Callable[[], Config], account: str = ""
) -> int:
    """Load and say what was found. `account`: a project's account, named as every command
    names it: `account NAME: ` before each error and warning (and in each annotation, as
    accounts may share a file), `NAME: ` before the summary line."""
    from triggersync.views.github import annotation

    whose = f"account {account}" if account else ""
    said = f"{whose}: " if whose else ""
    try:
        cfg = loading()
    except ConfigError as exc:
        # Annotations are this format's report, on stdout: the errors are its data.
        for problem in exc.problems:
            if github:
                console.echo(annotation("error", problem, whose))
            else:
                console.error(f"{said}{problem}")
        return 1
    for warning in cfg.warnings:
        if github:
            console.echo(annotation("warning", warning, whose))
        else:
            console.warn(f"{said}{warning}")
    triggers = _plural(len(cfg.triggers), "trigger")
    verb = "is" if len(cfg.triggers) == 1 else "are"
    prefix = f"{account}: " if account else ""
    console.echo(f"{prefix}{triggers} in {_plural(len(cfg.files), 'file')} {verb} valid.")
    return 0
