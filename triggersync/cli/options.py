"""The options commands share, declared once.

-v, -q and --no-color set the run's Console through their callbacks (the values never reach a
command's signature), so they work after the command name on every command that has them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from triggersync.cli.console import Console

F = TypeVar("F", bound=Callable[..., Any])


def _set_console(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    # The parameter names are the Console's fields: verbose, quiet, no_color.
    assert param.name is not None
    setattr(ctx.ensure_object(Console), param.name, value)


def _console_option(*decls: str, **attrs: Any) -> Callable[[F], F]:
    return click.option(*decls, expose_value=False, callback=_set_console, **attrs)


def console_options(func: F) -> F:
    """-v/-q and --no-color, for the Console that `@pass_console` hands to the command: for
    the commands that make requests (-v logs each)."""
    func = offline_console_options(func)
    func = _console_option(
        "-v", "--verbose", count=True, help="Log each request: method, path, status, time."
    )(func)
    return func


def offline_console_options(func: F) -> F:
    """-q and --no-color, for a command that makes no request: it has none to log."""
    func = _console_option("--no-color", is_flag=True, help="No ANSI colour (also NO_COLOR).")(func)
    func = _console_option("-q", "--quiet", is_flag=True, help="Only results and errors.")(func)
    return func


paths = click.argument("paths", nargs=-1, required=True, type=click.Path())
# PATHS, or none: then the project file's accounts (cli/accounts.py).
paths_or_project = click.argument("paths", nargs=-1, type=click.Path())


def project(func: F) -> F:
    """--project FILE and --account NAME: the accounts a run without PATHS covers."""
    func = click.option(
        "--account",
        "account_names",
        multiple=True,
        metavar="NAME",
        help="Without PATHS: only this account of the project file (repeatable).",
    )(func)
    func = click.option(
        "--project",
        "project_file",
        type=click.Path(dir_okay=False),
        help="Without PATHS: the project file naming the accounts (default: ./triggersync.yaml).",
    )(func)
    return func


vars = click.option(
    "--vars", "vars_file", type=click.Path(), help="YAML mapping of names for ${NAME}."
)
api_url = click.option(
    "--api-url",
    help="API base URL; overrides TRIGGERSYNC_API_URL and TRIGGERSYNC_SUBDOMAIN "
    "(credentials: env only).",
)
no_prune = click.option(
    "--no-prune", is_flag=True, help="Keep live triggers that no file declares."
)
parallelism = click.option(
    "--parallelism",
    type=click.IntRange(1, 64),
    default=4,
    show_default=True,
    help="Changes applied at once.",
)
strict = click.option(
    "--strict",
    is_flag=True,
    help="Warnings are errors (exit 1); also strict: true in triggersync.yaml (docs/rules.md).",
)
targets = click.option(
    "--target",
    "targets",
    multiple=True,
    metavar="NAME",
    help="Only triggers whose name (live or declared) matches this glob; repeatable. "
    "Pruning, too, stays among them.",
)
max_chars = click.option(
    "--max-chars",
    type=click.IntRange(min=1000),
    help="Cut markdown at a line boundary to N characters, with a note (PR comments: 65,536).",
)


def format(choices: list[str], help: str | None = None) -> Callable[[F], F]:
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default="text", show_default=True, help=help
    )


def api_epilog(exit_codes: str) -> str:
    """The --help epilog of a command that talks to the API: where credentials come from
    (the environment only) and what its exit codes mean."""
    return (
        "\b\n"
        "Credentials (environment only; the first set wins):\n"
        "  TRIGGERSYNC_TOKEN                                 OAuth access token\n"
        "  TRIGGERSYNC_CLIENT_ID + TRIGGERSYNC_CLIENT_SECRET OAuth client credentials\n"
        "  TRIGGERSYNC_EMAIL + TRIGGERSYNC_PASSWORD          basic auth (Chat-only\n"
        "                                                    accounts, the emulator)\n"
        "API URL: --api-url, else TRIGGERSYNC_API_URL, else TRIGGERSYNC_SUBDOMAIN\n"
        "(acme: https://acme.zendesk.com/api/v2/chat); one of them is required.\n"
        "OAuth token URL: TRIGGERSYNC_TOKEN_URL, else the API's origin + /oauth2/chat/token.\n"
        f"Exit codes: {exit_codes}"
    )


def check_max_chars(fmt: str, max_chars: int | None) -> None:
    if max_chars is not None and fmt != "markdown":
        raise click.UsageError("--max-chars applies to --format markdown only")
