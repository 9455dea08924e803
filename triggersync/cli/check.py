"""`triggersync validate`: the configuration checked, with no network (docs/commands.md)."""

from __future__ import annotations

import click

from triggersync.cli import options as opts
from triggersync.cli.console import Console, pass_console
from triggersync.errors import ConfigError


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


@click.command()
@opts.paths
@opts.vars
@opts.format(["text", "github"], help="github prints ::error and ::warning annotations on stdout.")
@opts.strict
@pass_console
def validate(
    console: Console, paths: tuple[str, ...], vars_file: str | None, fmt: str, strict: bool
) -> int:
    """Load and validate configuration files; no network.

    \b
    Example:
      triggersync validate triggers/ --vars env/production.yaml
    """
    from triggersync.cli.steps import rule_settings
    from triggersync.config import files as config
    from triggersync.views.github import annotation

    github = fmt == "github"
    try:
        variables = config.load_vars(vars_file) if vars_file else None
        cfg = config.load(paths, variables=variables, settings=rule_settings(strict))
    except ConfigError as exc:
        if not github:
            raise
        # Annotations are this format's report, on stdout: the errors are its data.
        for problem in exc.problems:
            console.echo(annotation("error", problem))
        return 1
    for warning in cfg.warnings:
        if github:
            console.echo(annotation("warning", warning))
        else:
            console.warn(str(warning))
    triggers = _plural(len(cfg.triggers), "trigger")
    verb = "is" if len(cfg.triggers) == 1 else "are"
    console.echo(f"{triggers} in {_plural(len(cfg.files), 'file')} {verb} valid.")
    return 0
