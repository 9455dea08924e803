"""What fires for a visitor, and scenario results: text for people, markdown for a job summary.

simulate:

      + "Route DACH to German support" fires
          set department to 1001
      - "Chat rescuer" does not fire: after 60 seconds, still on the site did not hold (...)

    1 of 3 triggers fire.

test: `PASS name` or `FAIL name: why` per scenario, then `Scenarios: N passed, M failed.`
(docs/scenarios.md). Trigger names and values arrive quoted and escaped from the language
package; scenario names are the file's own text, so every line passes untrusted.clean.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from triggersync.language import EvaluationOutcome, literal
from triggersync.language.scenarios import ScenarioResult, Simulation
from triggersync.untrusted import clean

_SYMBOLS = {
    EvaluationOutcome.FIRES: "+",
    EvaluationOutcome.DOES_NOT_FIRE: "-",
    EvaluationOutcome.UNKNOWN: "?",
}
# Every ASCII punctuation character: a backslash before one makes markdown read it literally.
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def simulation_summary(simulation: Simulation) -> str:
    return f"{len(simulation.fired)} of {len(simulation.decided)} triggers fire."


def render_simulation(simulation: Simulation, *, verbose: bool = False) -> str:
    """The triggers that fire with their actions; with `verbose`, also each one that does not
    fire and why, and what made each one fire."""
    lines: list[str] = []
    for entry in simulation.decided:
        name = literal(entry.name)
        if entry.fired:
            lines.append(f"  + {name} fires" + (f": {entry.why}" if verbose else ""))
            lines.extend(f"      {words}" for words in entry.actions or ("do nothing",))
        elif verbose and entry.outcome is EvaluationOutcome.DOES_NOT_FIRE:
            lines.append(f"  - {name} does not fire: {entry.why}")
        elif verbose:
            lines.append(f"  ? {name} cannot be decided: {entry.why}")
    undecided = len(simulation.undecided)
    if undecided and not verbose:
        them = "trigger" if undecided == 1 else "triggers"
        lines.append(f"  ({undecided} {them} could not be decided; -v shows why)")
    if lines:
        lines.append("")
    lines.append(simulation_summary(simulation))
    return "\n".join(clean(line) for line in lines) + "\n"


def result_line(result: ScenarioResult) -> str:
    name = result.scenario.name
    return clean(f"PASS {name}" if result.passed else f"FAIL {name}: {result.why}")


def results_summary(results: Sequence[ScenarioResult]) -> str:
    passed = sum(1 for result in results if result.passed)
    return f"Scenarios: {passed} passed, {len(results) - passed} failed."


def render_results_markdown(results: Sequence[ScenarioResult]) -> str:
    """A table for the GitHub job summary: one row per scenario."""
    lines = [
        "### triggersync test",
        "",
        f"**{results_summary(results)}**",
        "",
        "| result | scenario | why |",
        "| --- | --- | --- |",
    ]
    for result in results:
        mark = "✅ pass" if result.passed else "❌ fail"
        why = "" if result.passed else _code_cell(result.why)
        lines.append(f"| {mark} | {_text_cell(result.scenario.name)} | {why} |")
    return "\n".join(lines) + "\n"


def _text_cell(text: str) -> str:
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", clean(text))


def _code_cell(text: str) -> str:
    """Phrases stay verbatim in a code span; `|` is escaped, as a table cell needs even
    there, and the fence is longer than any run of backticks inside."""
    text = clean(text).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}"
