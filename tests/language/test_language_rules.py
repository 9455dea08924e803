"""The rule registry and docs/rules.md say the same, and every example there does what it says:
each rule's failing example warns with that rule, its passing example does not."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from triggersync.config import load
from triggersync.config import scenarios as scenario_files
from triggersync.errors import ConfigError
from triggersync.language import check_definition
from triggersync.language.rules import RULES, RuleSettings
from triggersync.language.scenarios import TriggerSpec

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
HEADING = re.compile(r"^## (TS\d{3}) (\S+)$", re.MULTILINE)
# Rules whose examples are not a configuration checked offline, each tested where it lives:
# TS108 (a condition too deep to write here), TS109 (a scenario file), TS401 and TS403 (need
# an account's departments: tests/integration/test_cli_department_rules.py).
NOT_OFFLINE = {"TS108", "TS109", "TS401", "TS403"}
# The project's patterns the TS3xx examples are written for (docs/rules.md says which).
SETTINGS = {
    "TS301": RuleSettings(name_pattern="^[A-Z]"),
    "TS302": RuleSettings(description_pattern=".+"),
}


def _sections() -> dict[str, tuple[str, str]]:
    text = DOC.read_text(encoding="utf-8")
    found = list(HEADING.finditer(text))
    sections: dict[str, tuple[str, str]] = {}
    for index, heading in enumerate(found):
        end = found[index + 1].start() if index + 1 < len(found) else len(text)
        sections[heading.group(1)] = (heading.group(2), text[heading.end() : end])
    return sections


def _example(body: str, label: str) -> str:
    pattern = rf"^{label}[^\n]*:\n\n```yaml\n(.*?)```"
    found = re.search(pattern, body, re.MULTILINE | re.DOTALL)
    assert found is not None, f"no {label} example"
    return found.group(1)


def _rule_ids(tmp_path: Path, yaml_text: str, rule_id: str) -> list[str]:
    path = tmp_path / "example.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    settings = SETTINGS.get(rule_id, RuleSettings())
    return [w.rule.id for w in load([path], settings=settings).warnings if w.rule is not None]


def test_every_rule_is_documented_with_its_name() -> None:
    documented = {rule_id: name for rule_id, (name, _) in _sections().items()}
    assert documented == {rule.id: rule.name for rule in RULES.values()}


def test_every_rule_has_a_failing_and_a_passing_example() -> None:
    for rule_id, (_, body) in _sections().items():
        assert "Fails" in body, rule_id
        assert "Passes" in body, rule_id


def test_ids_are_ts_and_three_digits_and_names_are_kebab_case() -> None:
    for rule in RULES.values():
        assert re.fullmatch(r"TS[1-4]\d{2}", rule.id)
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", rule.name)
        assert rule.summary


OFFLINE = sorted(set(RULES) - NOT_OFFLINE)


@pytest.mark.parametrize("rule_id", OFFLINE)
def test_the_failing_example_warns_with_its_rule(tmp_path: Path, rule_id: str) -> None:
    _, body = _sections()[rule_id]
    assert rule_id in _rule_ids(tmp_path, _example(body, "Fails"), rule_id)


@pytest.mark.parametrize("rule_id", OFFLINE)
def test_the_passing_example_does_not(tmp_path: Path, rule_id: str) -> None:
    _, body = _sections()[rule_id]
    assert rule_id not in _rule_ids(tmp_path, _example(body, "Passes"), rule_id)


def test_a_condition_nested_too_deep_warns_too_deep() -> None:
    # A file stops at 64 levels of YAML (an error); a live definition can go deeper.
    condition: Any = ["eq", "@visitor_country_code", "US"]
    for _ in range(70):
        condition = ["not", condition]
    definition = {"event": "chat_requested", "condition": condition, "actions": [["addTag", "x"]]}
    rules = {
        problem.rule.id for problem in check_definition(definition) if problem.rule is not None
    }
    assert "TS108" in rules


def test_settings_refuse_an_unknown_rule_id() -> None:
    with pytest.raises(ValueError, match="unknown rule id 'TS999'"):
        RuleSettings.from_mapping(False, {"ignore": ["TS999"]})


def test_settings_refuse_a_pattern_that_does_not_compile() -> None:
    with pytest.raises(ValueError, match=r"rules\.name_pattern: the pattern does not compile"):
        RuleSettings.from_mapping(False, {"name_pattern": "("})


def test_settings_read_the_project_files_values() -> None:
    settings = RuleSettings.from_mapping(
        True, {"ignore": ["TS201"], "name_pattern": "^[A-Z]", "description_pattern": ".+"}
    )
    assert settings == RuleSettings(True, frozenset({"TS201"}), "^[A-Z]", ".+")


def test_strict_flag_only_adds_strictness() -> None:
    assert RuleSettings(strict=True).with_strict(False).strict
    assert RuleSettings().with_strict(True).strict


def test_strict_settings_make_every_warning_an_error(tmp_path: Path) -> None:
    _, body = _sections()["TS103"]
    path = tmp_path / "example.yaml"
    path.write_text(_example(body, "Fails"), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load([path], settings=RuleSettings(strict=True))
    (problem,) = caught.value.problems
    assert problem.is_error
    assert "TS103 unknown-operator: triggers[0].definition.condition" in str(problem)


def _scenario_rule_ids(tmp_path: Path, yaml_text: str) -> list[str]:
    path = tmp_path / "scenarios.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    welcome = TriggerSpec("Welcome", True, {"event": "page_enter", "condition": ["and"]})
    loaded = scenario_files.load_scenarios([path], [welcome])
    return [w.rule.id for w in loaded.warnings if w.rule is not None]


def test_a_fired_before_name_no_file_declares_warns_unknown_trigger(tmp_path: Path) -> None:
    _, body = _sections()["TS109"]
    assert _scenario_rule_ids(tmp_path, _example(body, "Fails")) == ["TS109"]
    assert _scenario_rule_ids(tmp_path, _example(body, "Passes")) == []
