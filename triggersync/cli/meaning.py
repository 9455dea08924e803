"""The commands about what triggers mean: explain, simulate and test.

`explain` reads definitions out in words (from files, or `--live` from the API); `simulate`
and `test` decide locally, with no network and no credentials, what fires for a visitor
(docs/scenarios.md). Core modules are imported inside the commands, as in main.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import click

from triggersync.cli import options as opts
from triggersync.cli import steps
from triggersync.cli.console import Console, pass_console
from triggersync.errors import ConfigError, Problem, Severity
from triggersync.views.github import annotation

if TYPE_CHECKING:
    from triggersync.config.files import Config
    from triggersync.engine.model import Trigger
    from triggersync.language.scenarios import TriggerSpec

CONFIG_WITHOUT_DEFINITION = "no definition: the configuration leaves it as it is in Zendesk"
LIVE_WITHOUT_DEFINITION = "no definition"


def _specs(triggers: Iterable[Trigger]) -> list[TriggerSpec]:
    from triggersync.language.scenarios import TriggerSpec

    return [TriggerSpec(t.name, bool(t.enabled), t.definition) for t in triggers]


def _unknown_names(wanted: Sequence[str], names: Sequence[str], where: str) -> list[str]:
    from triggersync.language import did_you_mean, literal

    messages = []
    for name in dict.fromkeys(wanted):
        if name not in names:
            close = did_you_mean(name, names)
            hint = f" (did you mean {literal(close)}?)" if close is not None else ""
            messages.append(f"no trigger named {literal(name)} {where}{hint}")
    return messages


@click.command(epilog=opts.api_epilog("0 ok; 1 error (with --live only)."))
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--live", is_flag=True, help="Explain the live triggers (credentials: env only).")
@click.option(
    "--name", "names", multiple=True, metavar="NAME", help="Only this trigger (repeatable)."
)
@click.option("--lines", is_flag=True, help="One line per event, condition and action.")
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
    vars_file: str | None,
    api_url: str | None,
) -> int:
    """Print each trigger's definition in plain words.

    \b
    Example:
      triggersync explain triggers/ --name "Pricing page greeting"
      triggersync explain --live
    """
    from triggersync.views.explain import render_explanations

    if bool(paths) == live:
        raise click.UsageError("give configuration PATHS or --live, not both or neither")
    if live and vars_file:
        raise click.UsageError("--vars applies to configuration PATHS, not --live")
    if api_url and not live:
        raise click.UsageError("--api-url applies to --live only")
    if live:
        with steps.client(api_url, console) as client:
            triggers = sorted(client.list(), key=lambda trigger: trigger.name)
        where, missing = "among the live triggers", LIVE_WITHOUT_DEFINITION
    else:
        triggers = list(steps.load(paths, vars_file, console).triggers)
        where, missing = "in the configuration", CONFIG_WITHOUT_DEFINITION
    known = [trigger.name for trigger in triggers]
    unknown = _unknown_names(names, known, where)
    for message in unknown:
        console.error(message)
    if unknown:
        return 1
    chosen = [t for t in triggers if t.name in names] if names else triggers
    console.emit(render_explanations(_specs(chosen), lines=lines, no_definition=missing))
    return 0


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
    from triggersync.language import EVENTS
    from triggersync.language.rules import OVERLAPPING_MESSAGES
    from triggersync.language.scenarios import (
        Suite,
        kind_mismatch,
        known_keys,
        two_messages,
        visitor_from,
    )
    from triggersync.views.scenarios import render_simulation

    try:
        visitor = visitor_from(settings)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--set'") from None
    cfg = steps.load(paths, vars_file, console)
    if not event.strip():
        raise click.BadParameter(
            "give the event to simulate, e.g. page_enter", param_hint="'--event'"
        )
    specs = _specs(cfg.triggers)
    names = [spec.name for spec in specs]
    events = {*EVENTS, *_events(specs)}
    if event not in events:
        console.warn(_unknown("event", event, events))
    keys = known_keys(spec.definition for spec in specs)
    for key, value in visitor.items():
        mismatch = kind_mismatch(key, value)
        if key not in keys:
            console.warn(f"--set {_unknown('variable', key, keys)}; no condition reads it")
        elif mismatch:
            console.warn(f"--set {mismatch}")
    for message in _unknown_names(fired_before, names, "in the configuration"):
        console.warn(f"--fired-before: {message}")
    simulation = Suite(specs).simulate(event, visitor, fired_before)
    clash = two_messages(simulation)
    if clash:
        console.warn(f"{OVERLAPPING_MESSAGES}: {clash}")
    console.emit(render_simulation(simulation, verbose=verbose))
    return 0


def _events(specs: Iterable[TriggerSpec]) -> set[str]:
    found = (s.definition.get("event") for s in specs if isinstance(s.definition, dict))
    return {event for event in found if isinstance(event, str)}


def _unknown(what: str, name: str, choices: Iterable[str]) -> str:
    from triggersync.language import did_you_mean

    close = did_you_mean(name, choices)
    hint = f" (did you mean {close!r}?)" if close is not None and close != name else ""
    return f"unknown {what} {name!r}{hint}"


@click.command()
@opts.paths
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
) -> int:
    """Run scenario files against the configuration, locally; exit 1 if any fails.

    \b
    Example:
      triggersync test triggers/ --scenarios scenarios/
    """
    from triggersync.config import scenarios as scenario_files
    from triggersync.language import literal
    from triggersync.language.rules import OVERLAPPING_MESSAGES
    from triggersync.language.scenarios import Suite, two_messages
    from triggersync.views.scenarios import (
        render_results_markdown,
        result_line,
        results_summary,
    )

    github = fmt == "github"
    try:
        cfg = _load_config(paths, vars_file, console, github)
        specs = _specs(cfg.triggers)
        loaded = scenario_files.load(scenario_paths, specs)
    except ConfigError as exc:
        if not github:
            raise
        for issue in exc.problems:
            click.echo(annotation("error", issue))
        return 1
    warnings = list(loaded.warnings)
    suite = Suite(specs)
    results = []
    for placed in loaded.scenarios:
        result = suite.run(placed.scenario)
        results.append(result)
        clash = two_messages(result)
        if clash:
            where = placed.location
            message = f"in {literal(placed.scenario.name)}: {clash}"
            warnings.append(
                Problem(
                    path=placed.path,
                    location=where,
                    message=message,
                    severity=Severity.WARNING,
                    rule=OVERLAPPING_MESSAGES,
                )
            )
        if github and not result.passed:
            where = placed.location
            failure = Problem(location=where, message=result_line(result))
            click.echo(annotation("error", failure))
        else:
            click.echo(result_line(result))
    _warn(warnings, console, github)
    click.echo(results_summary(results))
    console.append_step_summary(lambda: render_results_markdown(results))
    return 0 if all(result.passed for result in results) else 1


def _load_config(
    paths: Sequence[str], vars_file: str | None, console: Console, github: bool
) -> Config:
    from triggersync.config import files as config

    variables = config.load_vars(vars_file) if vars_file else None
    cfg = config.load(paths, variables=variables, settings=steps.rule_settings(None))
    _warn(cfg.warnings, console, github)
    return cfg


def _warn(warnings: Iterable[Problem], console: Console, github: bool) -> None:
    for warning in warnings:
        if github:
            click.echo(annotation("warning", warning))
        else:
            console.warn(str(warning))
