"""Scenarios against a configuration, locally: no network, no credentials (docs/scenarios.md).

`test` runs scenario files against a configuration's triggers and returns each scenario's
result with the warnings found on the way; `simulate` decides what fires for one visitor.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from triggersync.errors import Problem, Rule, Severity

if TYPE_CHECKING:
    from triggersync.config.files import Config
    from triggersync.config.scenarios import PlacedScenario
    from triggersync.engine.model import Trigger
    from triggersync.language.scenarios import ScenarioResult, Simulation, TriggerSpec


def specs(triggers: Iterable[Trigger]) -> list[TriggerSpec]:
    """The declared triggers as the evaluation reads them."""
    from triggersync.language.scenarios import TriggerSpec

    return [TriggerSpec(t.name, bool(t.enabled), t.definition) for t in triggers]


@dataclass(frozen=True)
class ScenarioRun:
    """One scenario, where it is written, and its result."""

    placed: PlacedScenario
    result: ScenarioResult


@dataclass(frozen=True)
class TestReport:
    """Every scenario's run, in file order, and the warnings of the scenario files and runs."""

    runs: tuple[ScenarioRun, ...]
    warnings: tuple[Problem, ...]

    @property
    def passed(self) -> bool:
        return all(run.result.passed for run in self.runs)

    @property
    def results(self) -> list[ScenarioResult]:
        return [run.result for run in self.runs]


def test(
    config: Config, scenario_paths: Sequence[str | os.PathLike[str]] | str | os.PathLike[str]
) -> TestReport:
    """Run the scenario files (or folders of them) against the configuration's triggers;
    ConfigError for an invalid scenario file."""
    from triggersync.config import scenarios as scenario_files
    from triggersync.language import literal
    from triggersync.language.rules import OVERLAPPING_MESSAGES
    from triggersync.language.scenarios import Suite, two_messages
    from triggersync.operations.workflow import as_paths

    declared = specs(config.triggers)
    loaded = scenario_files.load_scenarios(as_paths(scenario_paths), declared)
    suite = Suite(declared)
    warnings = list(loaded.warnings)
    runs = []
    for placed in loaded.scenarios:
        result = suite.run(placed.scenario)
        runs.append(ScenarioRun(placed, result))
        clash = two_messages(result)
        if clash and _clash_kept(config, result.messages):
            warnings.append(
                Problem(
                    path=placed.path,
                    location=placed.location,
                    message=f"in {literal(placed.scenario.name)}: {clash}",
                    severity=Severity.WARNING,
                    rule=OVERLAPPING_MESSAGES,
                )
            )
    # The project's switched-off rules hold here as for every other warning (docs/rules.md).
    return TestReport(tuple(runs), tuple(w for w in warnings if config.settings.keeps(w)))


def simulate(
    config: Config,
    event: str,
    visitor: Mapping[str, Any],
    fired_before: Sequence[str] = (),
) -> Simulation:
    """What fires for one visitor at `event`: every enabled trigger of that event, decided."""
    from triggersync.language.scenarios import Suite

    return Suite(specs(config.triggers)).simulate(event, dict(visitor), fired_before)


def simulation_warnings(
    config: Config,
    event: str,
    visitor: Mapping[str, Any],
    fired_before: Sequence[str] = (),
) -> list[Problem]:
    """What a simulation's inputs (`--event`, `--set`, `--fired-before`) probably get wrong,
    each with the rule a scenario file's same mistake has (docs/rules.md): an event no
    trigger has (TS102), a variable no condition reads (TS104) or a value of the wrong kind
    for it (TS107), a trigger no file declares (TS109); a rule the project switches off
    (`rules.ignore`) is left out."""
    from triggersync.language import EVENTS, did_you_mean, literal
    from triggersync.language import rules as registry
    from triggersync.language.scenarios import kind_mismatch, known_keys

    declared = specs(config.triggers)
    found: list[Problem] = []

    def warn(rule: Rule, message: str) -> None:
        found.append(Problem(message=message, severity=Severity.WARNING, rule=rule))

    named = (spec.definition.get("event") for spec in declared if isinstance(spec.definition, dict))
    events = {*EVENTS, *(name for name in named if isinstance(name, str))}
    if event not in events:
        # A simulation still answers ("0 of 0 triggers fire."), which alone would read like an
        # answer: the warning says why nothing can fire, and what would.
        known = ", ".join(sorted(events, key=lambda name: (name not in EVENTS, name)))
        warn(
            registry.UNKNOWN_EVENT,
            f"{_unknown('event', event, events)}: no trigger has this event, so none can "
            f"fire; the events are: {known}",
        )
    keys = known_keys(spec.definition for spec in declared)
    for key, value in visitor.items():
        mismatch = kind_mismatch(key, value)
        if key not in keys:
            message = f"--set {_unknown('variable', key, keys)}; no condition reads it"
            warn(registry.UNKNOWN_VARIABLE, message)
        elif mismatch:
            warn(registry.WRONG_OPERAND, f"--set {mismatch}")
    names = [spec.name for spec in declared]
    for name in dict.fromkeys(fired_before):
        if name not in names:
            close = did_you_mean(name, names)
            hint = f" (did you mean {literal(close)}?)" if close is not None else ""
            message = f"--fired-before: no trigger named {literal(name)} in the configuration"
            warn(registry.UNKNOWN_TRIGGER, message + hint)
    return [problem for problem in found if config.settings.keeps(problem)]


def simulation_clash(config: Config, simulation: Simulation) -> Problem | None:
    """The warning for a simulated visitor who gets more than one message at once (TS205),
    or None: none, or the project or the triggers' comments switch the rule off."""
    from triggersync.language.rules import OVERLAPPING_MESSAGES
    from triggersync.language.scenarios import two_messages

    clash = two_messages(simulation)
    if clash is None or not _clash_kept(config, simulation.messages):
        return None
    problem = Problem(message=clash, severity=Severity.WARNING, rule=OVERLAPPING_MESSAGES)
    return problem if config.settings.keeps(problem) else None


def _clash_kept(config: Config, names: Sequence[str]) -> bool:
    """Whether a visitor's several messages stay a warning: not when every trigger but the
    first declared among them switches TS205 off on its name line, as validate's warning of
    a pair is silenced by the later trigger's comment (docs/rules.md#settings)."""
    from triggersync.language.rules import OVERLAPPING_MESSAGES

    order = {trigger.name: index for index, trigger in enumerate(config.triggers)}
    later = sorted(names, key=lambda name: order.get(name, len(order)))[1:]
    return not all(OVERLAPPING_MESSAGES.id in config.silenced.get(name, ()) for name in later)


def _unknown(what: str, name: str, choices: Iterable[str]) -> str:
    from triggersync.language import did_you_mean

    close = did_you_mean(name, choices)
    hint = f" (did you mean {close!r}?)" if close is not None and close != name else ""
    return f"unknown {what} {name!r}{hint}"
