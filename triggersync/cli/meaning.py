"""The commands about what triggers mean: explain, simulate and test.

`explain` reads definitions out in words (from files, or `--live` from the API); `simulate`
and `test` decide locally, with no network and no credentials, what fires for a visitor
(docs/scenarios.md). Core modules are imported inside the commands, as in main.py.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

import click

from triggersync.cli import accounts, steps
from triggersync.cli import options as opts
from triggersync.cli.console import Console, pass_console
from triggersync.errors import ConfigError, Problem
from triggersync.views.github import annotation

if TYPE_CHECKING:
    from triggersync.config.files import Config
    from triggersync.engine.model import Trigger
    from triggersync.language.scenarios import TriggerSpec
    from triggersync.operations import Project

CONFIG_WITHOUT_DEFINITION = "no definition: the configuration leaves it as it is in Zendesk"
LIVE_WITHOUT_DEFINITION = "no definition"


def _specs(triggers: Iterable[Trigger]) -> list[TriggerSpec]:
    from triggersync.operations.scenarios import specs

    return specs(triggers)


def _unknown_names(wanted: Sequence[str], names: Sequence[str], where: str) -> list[str]:
    from triggersync.language import literal

    messages = []
    for name in dict.fromkeys(wanted):
        if name not in names:
            hint = steps.closest_name(name, names)
            messages.append(f"no trigger named {literal(name)} {where}{hint}")
    return messages


@click.command(epilog=opts.api_epilog("0 ok; 1 error (with --live only)."))
@opts.paths_or_project
@opts.project
@click.option("--live", is_flag=True, help="Explain the live triggers (credentials: env only).")
@click.option(
    "--name", "names", multiple=True, metavar="NAME", help="Only this trigger (repeatable)."
)
@click.option("--lines", is_flag=True, help="One line per event, condition and action.")
@opts.targets
@opts.vars
@opts.api_url
@opts.console_options
@pass_console
def explain(
    console: Console,
    paths: tuple[str, ...],
    live: bool,
    names: tuple[str, ...],
    lines: bool,
    targets: tuple[str, ...],
    vars_file: str | None,
    api_url: str | None,
    project_file: str | None,
    account_names: tuple[str, ...],
) -> int:
    """Print each trigger's definition in plain words.

    Without PATHS (and without --live), every account's configuration in the project file;
    --live with a project file and no --api-url, every account's live triggers.

    \b
    Example:
      triggersync explain triggers/ --name "Pricing page greeting"
      triggersync explain --live
    """

    project = _project(console, paths, live, project_file, account_names, vars_file, api_url)
    if project is not None:
        return _explain_accounts(console, project, account_names, live, names, lines, targets)
    if bool(paths) == live:
        raise click.UsageError("give configuration PATHS or --live, not both or neither")
    if live and vars_file:
        raise click.UsageError("--vars applies to configuration PATHS, not --live")
    if api_url and not live:
        raise click.UsageError("--api-url applies to --live only")
    departments: dict[int, str] = {}
    if live:
        from triggersync.engine.departments import ids_in, names_for

        with steps.client(api_url, console) as client:
            triggers = sorted(client.list(), key=lambda trigger: trigger.name)
            wanted = [t for t in triggers if t.name in names] if names else triggers
            table = steps.departments_of(wanted, client, console, fallback="ids are shown")
        if table is not None:
            departments = names_for((n for t in wanted for n in ids_in(t.definition)), table)
        where, missing = "among the live triggers", LIVE_WITHOUT_DEFINITION
    else:
        loaded = steps.load_config(paths, vars_file, console, project_file=project_file)
        triggers = list(loaded.triggers)
        where, missing = "in the configuration", CONFIG_WITHOUT_DEFINITION
    text = _explained(
        console, triggers, names, lines, where, missing, departments=departments, targets=targets
    )
    if text is None:
        return 1
    if text:  # nothing chosen (a --target that matches nothing): no empty line either
        console.emit(text)
    return 0


def _explained(
    console: Console,
    triggers: Sequence[Trigger],
    names: Sequence[str],
    lines: bool,
    where: str,
    missing: str,
    prefix: str = "",
    *,
    departments: dict[int, str] | None = None,
    targets: Sequence[str] = (),
) -> str | None:
    """The chosen triggers (by --name, and among those --target's globs match) in words;
    None (each unknown name said) when a name is unknown."""
    from triggersync.engine.targets import matches
    from triggersync.views.explain import render_explanations

    known = [trigger.name for trigger in triggers]
    unknown = _unknown_names(names, known, where)
    for message in unknown:
        console.error(f"{prefix}{message}")
    if unknown:
        return None
    steps.warn_unmatched(targets, known, console)
    chosen = [t for t in triggers if (not names or t.name in names) and matches(t.name, targets)]
    return render_explanations(
        _specs(chosen), lines=lines, no_definition=missing, departments=departments
    )


def _project(
    console: Console,
    paths: Sequence[str],
    live: bool,
    project_file: str | None,
    account_names: Sequence[str],
    vars_file: str | None,
    api_url: str | None,
) -> Project | None:
    """The project to explain: none with PATHS; with --live, only when a project file names
    accounts and no --api-url is given (the TRIGGERSYNC_* variables are used otherwise)."""
    from triggersync.config import project as project_settings

    if paths or (live and api_url):
        if account_names:
            raise click.UsageError("--account chooses accounts of the project file: give no PATHS")
        return None
    found = project_settings.find_project_file(project_file)
    if found is None or (live and not project_settings.load_project_file(found).accounts):
        if account_names or project_file:
            raise click.UsageError("--account and --project need a project file's accounts")
        return None
    return accounts.project_for(
        console, paths, project_file, account_names, vars_file=vars_file, api_url=api_url
    )


def _explain_accounts(
    console: Console,
    project: Project,
    account_names: Sequence[str],
    live: bool,
    names: Sequence[str],
    lines: bool,
    targets: Sequence[str] = (),
) -> int:
    """Each account's triggers in words, a section each."""
    from triggersync.engine.departments import ids_in, names_for
    from triggersync.views import accounts as view

    found: list[tuple[str, list[Trigger] | None]]
    # Each account's names for the department ids its triggers route to (ids differ from
    # one account to the next: docs/configuration.md#departments).
    departments: dict[str, dict[int, str]] = {}
    if live:
        runs = project.live_with_departments(account_names, fallback="ids are shown")
        where, missing = "among the live triggers", LIVE_WITHOUT_DEFINITION
        failures = accounts.errors(console, runs)
        found = []
        for each in runs:
            listed = each.value
            found.append((each.account, None if listed is None else listed.triggers))
            if listed is None:
                continue
            accounts.warn(console, each.account, listed.warnings)
            if listed.departments is not None:
                routed = (n for t in listed.triggers for n in ids_in(t.definition))
                departments[each.account] = names_for(routed, listed.departments)
    else:
        configs = project.validate(account_names)
        where, missing = "in the configuration", CONFIG_WITHOUT_DEFINITION
        for run in configs:
            if run.value is not None:
                accounts.warn(console, run.account, run.value.warnings)
        failures = accounts.errors(console, configs)
        found = [
            (run.account, None if run.value is None else list(run.value.triggers))
            for run in configs
        ]
    sections: list[tuple[str, str | None]] = []
    for name, triggers in found:
        text = None
        if triggers is not None:
            prefix = f"account {name}: "
            text = _explained(
                console,
                triggers,
                names,
                lines,
                where,
                missing,
                prefix,
                departments=departments.get(name, {}),
                targets=targets,
            )
            if text is None:
                failures[name] = f"no such trigger {where}"
        sections.append((name, text))
    console.emit(view.render_accounts_text(sections, failures))
    return 1 if failures else 0


@click.command()
@opts.paths
@opts.vars
@click.option("--event", required=True, help="page_enter, chat_requested or chat_message.")
@click.option(
    "--set",
    "settings",
    multiple=True,
    metavar="NAME=VALUE",
    help="A visitor variable, without @ (repeatable; repeat visitor_tags for several tags).",
)
@click.option(
    "--fired-before",
    "fired_before",
    multiple=True,
    metavar="NAME",
    help="A trigger that already fired for this visitor (repeatable).",
)
@click.option(
    "-v", "--verbose", is_flag=True, help="Also each trigger that does not fire, and why."
)
@pass_console
def simulate(
    console: Console,
    paths: tuple[str, ...],
    vars_file: str | None,
    event: str,
    settings: tuple[str, ...],
    fired_before: tuple[str, ...],
    verbose: bool,
) -> int:
    """Show what fires for one visitor, decided locally; no network.

    \b
    Example:
      triggersync simulate triggers/ --event page_enter \\
        --set visitor_page_url=https://example.com/pricing --set visitor_time_on_page=45
    """
    from triggersync import operations
    from triggersync.language.scenarios import visitor_from
    from triggersync.views.scenarios import render_simulation

    try:
        visitor = visitor_from(settings)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--set'") from None
    cfg = steps.load_config(paths, vars_file, console)
    if not event.strip():
        raise click.BadParameter(
            "give the event to simulate, e.g. page_enter", param_hint="'--event'"
        )
    # Still exit 0, as a simulation always does, after a warning for each input that is
    # probably wrong (an unknown event, variable or trigger).
    for warning in operations.simulation_warnings(cfg, event, visitor, fired_before):
        console.warn(str(warning))
    simulation = operations.simulate(cfg, event, visitor, fired_before)
    clash = operations.simulation_clash(cfg, simulation)
    if clash is not None:
        console.warn(str(clash))
    console.emit(render_simulation(simulation, verbose=verbose))
    return 0


@click.command()
@opts.paths_or_project
@opts.project
@opts.vars
@click.option(
    "--scenarios",
    "scenario_paths",
    multiple=True,
    required=True,
    type=click.Path(),
    help="A scenario file, or a folder of them (repeatable).",
)
@opts.format(
    ["text", "github"],
    help="github prints each failure and problem as an ::error annotation on stdout.",
)
@pass_console
def test(
    console: Console,
    paths: tuple[str, ...],
    vars_file: str | None,
    scenario_paths: tuple[str, ...],
    fmt: str,
    project_file: str | None,
    account_names: tuple[str, ...],
) -> int:
    """Run scenario files against the configuration, locally; exit 1 if any fails.

    Without PATHS, against every account's configuration in the project file.

    \b
    Example:
      triggersync test triggers/ --scenarios scenarios/
    """
    from triggersync import operations

    github = fmt == "github"
    project = accounts.project_for(console, paths, project_file, account_names, vars_file=vars_file)
    if project is None:
        settings = steps.rule_settings(None, project_file)
        return _test(
            console,
            github,
            lambda: operations.load(paths, vars_file, settings=settings),
            scenario_paths,
        )
    codes = []
    for account in project.select(account_names):
        click.echo(f"== {account.name} ==")
        codes.append(
            _test(
                console,
                github,
                functools.partial(project.load_config, account),
                scenario_paths,
                prefix=f"account {account.name}: ",
            )
        )
    return operations.combined_exit(codes)


def _test(
    console: Console,
    github: bool,
    loading: Callable[[], Config],
    scenario_paths: Sequence[str],
    prefix: str = "",
) -> int:
    from triggersync import operations
    from triggersync.views.scenarios import (
        render_results_markdown,
        result_line,
        results_summary,
    )

    try:
        cfg = loading()
        _warn(cfg.warnings, console, github, prefix)
        report = operations.test(cfg, scenario_paths)
    except ConfigError as exc:
        for issue in exc.problems:
            if github:
                click.echo(annotation("error", issue))
            else:
                console.error(f"{prefix}{issue}")
        return 1
    for run in report.runs:
        if github and not run.result.passed:
            failure = Problem(location=run.placed.location, message=result_line(run.result))
            click.echo(annotation("error", failure))
        else:
            click.echo(result_line(run.result))
    _warn(report.warnings, console, github, prefix)
    click.echo(results_summary(report.results))
    console.append_step_summary(lambda: render_results_markdown(report.results))
    return 0 if report.passed else 1


def _warn(warnings: Iterable[Problem], console: Console, github: bool, prefix: str = "") -> None:
    for warning in warnings:
        if github:
            click.echo(annotation("warning", warning))
        else:
            console.warn(f"{prefix}{warning}")
