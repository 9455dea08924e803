"""What the commands share: their options, and the steps from files and API to a Plan.

Click-side code: it may echo. The core it calls never does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

from triggersync.cli.console import Console, append_step_summary
from triggersync.untrusted import clean

if TYPE_CHECKING:
    from triggersync.api.client import Client
    from triggersync.config.files import Config
    from triggersync.engine.plan import Plan
    from triggersync.errors import Problem


F = TypeVar("F", bound=Callable[..., Any])


def common(func: F) -> F:
    """-v/-q and --no-color on every command, so they work after the command name."""
    func = click.option("--no-color", is_flag=True, help="No ANSI colour (also NO_COLOR).")(func)
    func = click.option("-q", "--quiet", is_flag=True, help="Only results and errors.")(func)
    func = click.option(
        "-v", "--verbose", count=True, help="Log each request: method, path, status, time."
    )(func)
    return func


def console(verbose: int, quiet: bool, no_color: bool) -> Console:
    console = Console(verbosity=-1 if quiet else verbose, no_color=no_color)
    console.setup_logging()
    return console


paths = click.argument("paths", nargs=-1, required=True, type=click.Path())
vars = click.option(
    "--vars", "vars_file", type=click.Path(), help="YAML mapping of names for ${NAME}."
)
api_url = click.option(
    "--api-url", help="API base URL; overrides TRIGGERSYNC_API_URL (credentials: env only)."
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


max_chars = click.option(
    "--max-chars",
    type=click.IntRange(min=1000),
    help="Cut markdown at a line boundary to N characters, with a note (PR comments: 65,536).",
)


def format(choices: list[str]) -> Callable[[F], F]:
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default="text", show_default=True
    )


def load(paths: Sequence[str], vars_file: str | None, console: Console) -> Config:
    from triggersync.config import files as config

    cfg = config.load(paths, variables=config.load_vars(vars_file) if vars_file else None)
    for warning in cfg.warnings:
        console.warn(str(warning))
    return cfg


def client(api_url: str | None, parallelism: int = 4) -> Client:
    from triggersync.api.client import Client

    return Client.from_env(api_url=api_url, parallelism=parallelism)


def make_plan(cfg: Config, client: Client, prune: bool) -> Plan:
    from triggersync.engine.diff import make_plan

    live = client.list()
    return make_plan(
        cfg.triggers,
        live,
        ignore=[glob.pattern for glob in cfg.ignore],
        prune=prune,
        base_url=client.base_url,
    )


def render_as(plan: Plan, fmt: str, console: Console, *, drift: bool = False) -> str:
    from triggersync.views import render

    if fmt == "json":
        return render.render_json(plan)
    if fmt == "markdown":
        return render.render_drift_markdown(plan) if drift else render.render_markdown(plan)
    if drift:
        return render.render_drift_text(plan, color=console.color)
    return render.render_text(plan, color=console.color)


def check_max_chars(fmt: str, max_chars: int | None) -> None:
    if max_chars is not None and fmt != "markdown":
        raise click.UsageError("--max-chars applies to --format markdown only")


def emit(text: str) -> None:
    click.echo(text, nl=not text.endswith("\n"))


def annotation(level: str, problem: Problem) -> str:
    """A GitHub workflow command that marks the problem on its file and line in a PR."""
    message = f"{problem.where}: {problem.message}" if problem.path else problem.message
    place = problem.location
    where = (
        f" file={gh_escape(place.file, True)},line={place.line},col={place.col}" if place else ""
    )
    return f"::{level}{where}::{gh_escape(clean(message))}"


def report(plan: Plan, fmt: str, console: Console, max_chars: int | None, *, drift: bool) -> None:
    """Print a plan or drift report; append its markdown to the GitHub job summary."""
    from triggersync.views import render

    text = render_as(plan, fmt, console, drift=drift)
    if max_chars is not None:
        text = render.truncate_markdown(text, max_chars, what="report" if drift else "plan")
    emit(text)
    summary = render.render_drift_markdown if drift else render.render_markdown
    append_step_summary(lambda: summary(plan))


def gh_escape(text: str, is_property: bool = False) -> str:
    """GitHub workflow-command escaping: a newline or `%` in a message (and `:` or `,` in a
    property such as file=) would otherwise end or garble the annotation."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if is_property else text
