"""Scenarios against a configuration, locally: no network, no credentials (docs/scenarios.md).

`test` runs scenario files against a configuration's triggers and returns each scenario's
result with the warnings found on the way; `simulate` decides what fires for one visitor.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from triggersync.errors import Problem, Severity

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


def test(config: Config, scenario_paths: Sequence[str | os.PathLike[str]]) -> TestReport:
    """Run the scenario files (or folders of them) against the configuration's triggers;
    ConfigError for an invalid scenario file."""
    from triggersync.config import scenarios as scenario_files
    from triggersync.language import literal
    from triggersync.language.rules import OVERLAPPING_MESSAGES
    from triggersync.language.scenarios import Suite, two_messages

    declared = specs(config.triggers)
    loaded = scenario_files.load_scenarios(scenario_paths, declared)
    suite = Suite(declared)
    warnings = list(loaded.warnings)
    runs = []
    for placed in loaded.scenarios:
        result = suite.run(placed.scenario)
        runs.append(ScenarioRun(placed, result))
        clash = two_messages(result)
        if clash:
            warnings.append(
                Problem(
                    path=placed.path,
                    location=placed.location,
                    message=f"in {literal(placed.scenario.name)}: {clash}",
                    severity=Severity.WARNING,
                    rule=OVERLAPPING_MESSAGES,
                )
            )
    return TestReport(tuple(runs), tuple(warnings))


def simulate(
    config: Config,
    event: str,
    visitor: Mapping[str, Any],
    fired_before: Sequence[str] = (),
) -> Simulation:
    """What fires for one visitor at `event`: every enabled trigger of that event, decided."""
    from triggersync.language.scenarios import Suite

    return Suite(specs(config.triggers)).simulate(event, dict(visitor), fired_before)
