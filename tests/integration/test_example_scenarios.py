"""The example scenarios: they pass against the example triggers, cover every one of them, and
the demo's failing scenario fails for the reason it shows."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from langrun import invoke

ROOT = Path(__file__).resolve().parents[2]
TRIGGERS = str(ROOT / "examples" / "triggers")
SCENARIOS = str(ROOT / "examples" / "scenarios")


def test_the_example_scenarios_all_pass() -> None:
    ran = invoke("test", TRIGGERS, "--scenarios", SCENARIOS)
    assert ran.code == 0
    assert ran.stderr == ""
    assert "FAIL" not in ran.stdout
    assert ran.stdout.splitlines()[-1].endswith("passed, 0 failed.")


def test_every_example_trigger_is_named_by_a_scenario() -> None:
    declared = {
        trigger["name"]
        for path in sorted(Path(TRIGGERS).glob("*.yaml"))
        for trigger in yaml.safe_load(path.read_text(encoding="utf-8"))["triggers"]
    }
    named = {
        name
        for path in sorted(Path(SCENARIOS).glob("*.yaml"))
        for scenario in yaml.safe_load(path.read_text(encoding="utf-8"))["scenarios"]
        for names in scenario["expect"].values()
        for name in names
    }
    assert declared - named == set()


def test_the_demos_failing_scenario_fails_and_says_why() -> None:
    failing = str(ROOT / "examples" / "demo" / "failing-scenario.yaml")
    ran = invoke("test", TRIGGERS, "--scenarios", failing)
    assert ran.code == 1
    assert ran.stdout.splitlines() == [
        'FAIL An Austrian visitor goes to German support: "Route DACH to German support" did '
        'not fire: country code is "DE" or country code is "AT" or country code is "CH" did not '
        'hold (visitor_country_code is "at")',
        "Scenarios: 0 passed, 1 failed.",
    ]


@pytest.mark.parametrize("environment", ["sandbox", "production"])
def test_the_environment_scenarios_pass_in_each_account(environment: str) -> None:
    values = str(ROOT / "examples" / "vars" / f"{environment}.yaml")
    config = str(ROOT / "examples" / "environments")
    scenarios = str(ROOT / "examples" / "environment-scenarios")
    ran = invoke("test", config, "--vars", values, "--scenarios", scenarios)
    assert (ran.code, ran.stdout.splitlines()[-1]) == (0, "Scenarios: 3 passed, 0 failed.")
