"""`triggersync test`: scenario files run against the configuration through the real CLI,
locally (no emulator, no credentials)."""

from __future__ import annotations

from pathlib import Path

import pytest
from langrun import TRIGGERS, invoke, write

PASSING = """\
scenarios:
  - name: German visitor is routed
    event: chat_requested
    visitor: {visitor_country_code: DE}
    expect: {fires: [Route DACH]}
  - name: Nobody on the docs page is greeted
    event: page_enter
    visitor: {visitor_page_url: https://example.com/docs, visitor_tags: []}
    expect: {fires: []}
"""


@pytest.fixture
def config(tmp_path: Path) -> str:
    return write(tmp_path / "config" / "triggers.yaml", TRIGGERS)


def _scenarios(tmp_path: Path, text: str, name: str = "scenarios.yaml") -> str:
    return write(tmp_path / "scenarios" / name, text)


def test_passing_scenarios_print_pass_and_the_summary_and_exit_0(
    config: str, tmp_path: Path
) -> None:
    ran = invoke("test", config, "--scenarios", _scenarios(tmp_path, PASSING))
    assert ran.code == 0
    assert ran.stdout == (
        "PASS German visitor is routed\n"
        "PASS Nobody on the docs page is greeted\n"
        "Scenarios: 2 passed, 0 failed.\n"
    )


def test_an_unexpected_trigger_fails_naming_the_condition_that_held(
    config: str, tmp_path: Path
) -> None:
    scenarios = """\
    scenarios:
      - name: German visitor
        event: page_enter
        visitor: {visitor_page_url: https://example.com/pricing}
        expect: {does_not_fire: [Pricing greeting]}
    """
    ran = invoke("test", config, "--scenarios", _scenarios(tmp_path, scenarios))
    assert ran.code == 1
    assert ran.stdout.splitlines() == [
        'FAIL German visitor: "Pricing greeting" fired, expected not to: page URL contains '
        '"/pricing" held and this trigger has not fired for the visitor yet held and after 30 '
        "seconds, still on the page held",
        "Scenarios: 0 passed, 1 failed.",
    ]


def test_a_trigger_that_did_not_fire_fails_with_the_value_that_stopped_it(
    config: str, tmp_path: Path
) -> None:
    scenarios = """\
    scenarios:
      - name: Austrian visitor
        event: chat_requested
        visitor: {visitor_country_code: AT}
        expect: {fires: [Route DACH]}
    """
    ran = invoke("test", config, "--scenarios", _scenarios(tmp_path, scenarios))
    assert ran.code == 1
    assert (
        'FAIL Austrian visitor: "Route DACH" did not fire: country code is "DE" did not hold '
        '(visitor_country_code is "AT")\n'
    ) in ran.stdout


def test_a_failure_names_what_was_unknown(config: str, tmp_path: Path) -> None:
    scenarios = """\
    scenarios:
      - name: Visitor from nowhere
        event: chat_requested
        expect: {fires: [Route DACH]}
    """
    ran = invoke("test", config, "--scenarios", _scenarios(tmp_path, scenarios))
    assert ran.code == 1
    assert 'country code is "DE" is unknown (visitor_country_code is not set)' in ran.stdout


def test_a_disabled_trigger_expected_to_fire_fails_saying_so(config: str, tmp_path: Path) -> None:
    scenarios = """\
    scenarios:
      - name: US visitor
        event: chat_requested
        visitor: {visitor_country_code: US}
        expect: {fires: [Route US]}
    """
    ran = invoke("test", config, "--scenarios", _scenarios(tmp_path, scenarios))
    assert 'FAIL US visitor: "Route US" did not fire: it is disabled' in ran.stdout


def test_fired_before_stops_a_trigger_guarded_by_not_fired_before(
    config: str, tmp_path: Path
) -> None:
    scenarios = """\
    scenarios:
      - name: Second page view
        event: page_enter
        visitor: {visitor_page_url: /pricing, visitor_time_on_page: 40}
        fired_before: [Pricing greeting]
        expect: {fires: []}
    """
    ran = invoke("test", config, "--scenarios", _scenarios(tmp_path, scenarios))
    assert (ran.code, ran.stdout) == (0, "PASS Second page view\nScenarios: 1 passed, 0 failed.\n")


def test_one_failing_scenario_among_passing_ones_exits_1(config: str, tmp_path: Path) -> None:
    failing = PASSING.replace("fires: []", "fires: [Pricing greeting]")
    ran = invoke("test", config, "--scenarios", _scenarios(tmp_path, failing))
    assert ran.code == 1
    assert ran.stdout.splitlines()[-1] == "Scenarios: 1 passed, 1 failed."


def test_github_format_annotates_a_failure_at_the_scenarios_line(
    config: str, tmp_path: Path
) -> None:
    failing = PASSING.replace("fires: []", "fires: [Pricing greeting]")
    path = _scenarios(tmp_path, failing)
    ran = invoke("test", config, "--scenarios", path, "--format", "github")
    assert ran.code == 1
    annotation = next(line for line in ran.stdout.splitlines() if line.startswith("::error"))
    where = path.replace(":", "%3A").replace(",", "%2C")
    assert annotation.startswith(f"::error file={where},line=6,col=5::FAIL Nobody on the docs")
    assert "PASS German visitor is routed" in ran.stdout


def test_github_format_annotates_an_invalid_scenario_file(config: str, tmp_path: Path) -> None:
    path = _scenarios(tmp_path, "scenarios:\n  - name: x\n    event: page_enter\n    expct: {}\n")
    ran = invoke("test", config, "--scenarios", path, "--format", "github")
    assert ran.code == 1
    assert "::error file=" in ran.stdout
    assert "unknown key 'expct' (did you mean 'expect'?)" in ran.stdout


def test_the_job_summary_gets_a_table_of_the_results(config: str, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    failing = PASSING.replace("fires: []", "fires: [Pricing greeting]")
    path = _scenarios(tmp_path, failing)
    invoke("test", config, "--scenarios", path, env={"GITHUB_STEP_SUMMARY": str(summary)})
    lines = summary.read_text(encoding="utf-8").splitlines()
    assert lines[:3] == ["earlier step", "### triggersync test", ""]
    assert "**Scenarios: 1 passed, 1 failed.**" in lines
    assert "| ✅ pass | German visitor is routed |  |" in lines
    assert any(
        line.startswith("| ❌ fail | Nobody on the docs page is greeted | `") for line in lines
    )


def test_an_unknown_key_is_an_error_at_its_place_with_a_suggestion(
    config: str, tmp_path: Path
) -> None:
    path = _scenarios(tmp_path, "scenarios:\n  - name: x\n    event: page_enter\n    expct: {}\n")
    ran = invoke("test", config, "--scenarios", path)
    assert ran.code == 1
    assert ran.stdout == ""
    assert (
        f"Error: {path}:4:5: scenarios[0].expct: unknown key 'expct' (did you mean 'expect'?)"
        in (ran.stderr)
    )


def test_a_trigger_no_configuration_declares_is_an_error_with_a_suggestion(
    config: str, tmp_path: Path
) -> None:
    scenarios = """\
    scenarios:
      - name: Typo
        event: chat_requested
        expect:
          fires: [Route DAHC]
    """
    path = _scenarios(tmp_path, scenarios)
    ran = invoke("test", config, "--scenarios", path)
    assert ran.code == 1
    assert (
        f"Error: {path}:5:15: scenarios[0].expect.fires[0]: no trigger named 'Route DAHC' in "
        "the configuration (did you mean 'Route DACH'?)"
    ) in ran.stderr


def test_a_trigger_expected_both_to_fire_and_not_is_an_error(config: str, tmp_path: Path) -> None:
    scenarios = """\
    scenarios:
      - name: Both
        event: chat_requested
        expect: {fires: [Route DACH], does_not_fire: [Route DACH]}
    """
    ran = invoke("test", config, "--scenarios", _scenarios(tmp_path, scenarios))
    assert ran.code == 1
    assert "'Route DACH' is expected both to fire and not to fire" in ran.stderr


def test_an_expectation_needs_fires_or_does_not_fire(config: str, tmp_path: Path) -> None:
    scenarios = "scenarios:\n  - name: Empty\n    event: page_enter\n    expect: {}\n"
    ran = invoke("test", config, "--scenarios", _scenarios(tmp_path, scenarios))
    assert ran.code == 1
    assert "scenarios[0].expect: expected fires and/or does_not_fire, got a mapping" in ran.stderr


def test_a_visitor_value_that_is_a_mapping_is_an_error(config: str, tmp_path: Path) -> None:
    scenarios = """\
    scenarios:
      - name: Odd
        event: page_enter
        visitor: {visitor_city: {name: Bonn}}
        expect: {fires: []}
    """
    ran = invoke("test", config, "--scenarios", _scenarios(tmp_path, scenarios))
    assert ran.code == 1
    assert "scenarios[0].visitor.visitor_city: expected text, a number, true/false" in ran.stderr


def test_two_scenarios_with_one_name_are_an_error(config: str, tmp_path: Path) -> None:
    twice = PASSING.replace("Nobody on the docs page is greeted", "German visitor is routed")
    ran = invoke("test", config, "--scenarios", _scenarios(tmp_path, twice))
    assert ran.code == 1
    assert "duplicate scenario name 'German visitor is routed': also at" in ran.stderr


def test_an_empty_scenario_file_is_an_error(config: str, tmp_path: Path) -> None:
    ran = invoke("test", config, "--scenarios", _scenarios(tmp_path, ""))
    assert ran.code == 1
    assert "the file is empty; declare no scenarios with `scenarios: []`" in ran.stderr


def test_no_scenarios_at_all_pass(config: str, tmp_path: Path) -> None:
    ran = invoke("test", config, "--scenarios", _scenarios(tmp_path, "scenarios: []\n"))
    assert (ran.code, ran.stdout) == (0, "Scenarios: 0 passed, 0 failed.\n")


def test_an_unknown_variable_is_a_warning_with_a_suggestion(config: str, tmp_path: Path) -> None:
    scenarios = """\
    scenarios:
      - name: Typo in a variable
        event: chat_requested
        visitor: {visitor_contry_code: DE}
        expect: {does_not_fire: [Route US]}
    """
    path = _scenarios(tmp_path, scenarios)
    ran = invoke("test", config, "--scenarios", path)
    assert ran.code == 0
    assert (
        f"warning: {path}:4:15: TS104 unknown-variable: scenarios[0].visitor.visitor_contry_code: "
        "unknown variable "
        "'visitor_contry_code' (did you mean 'visitor_country_code'?)"
    ) in ran.stderr


def test_a_variable_read_by_a_trigger_is_known_though_the_vocabulary_lacks_it(
    tmp_path: Path,
) -> None:
    config = write(
        tmp_path / "config" / "c.yaml",
        """\
        triggers:
          - name: Team plan
            definition:
              event: chat_requested
              condition: [eq, "@visitor_plan", team]
              actions: [[addTag, team]]
        """,
    )
    scenarios = """\
    scenarios:
      - name: Team visitor
        event: chat_requested
        visitor: {visitor_plan: team}
        expect: {fires: [Team plan]}
    """
    ran = invoke("test", config, "--scenarios", _scenarios(tmp_path, scenarios))
    assert ran.code == 0
    # The configuration's own check warns about the variable; the scenario adds nothing.
    assert "no condition reads it" not in ran.stderr


def test_a_variable_written_with_at_is_read_without_it(config: str, tmp_path: Path) -> None:
    scenarios = """\
    scenarios:
      - name: German visitor
        event: chat_requested
        visitor: {"@visitor_country_code": DE}
        expect: {fires: [Route DACH]}
    """
    ran = invoke("test", config, "--scenarios", _scenarios(tmp_path, scenarios))
    assert ran.code == 0


def test_an_unquoted_no_for_a_text_variable_warns(config: str, tmp_path: Path) -> None:
    scenarios = """\
    scenarios:
      - name: Norwegian visitor
        event: chat_requested
        visitor: {visitor_country_code: NO}
        expect: {fires: []}
    """
    ran = invoke("test", config, "--scenarios", _scenarios(tmp_path, scenarios))
    assert "visitor_country_code is text, got false; quote the value" in ran.stderr


def test_an_unknown_event_is_a_warning_with_a_suggestion(config: str, tmp_path: Path) -> None:
    scenarios = "scenarios:\n  - name: x\n    event: page_entr\n    expect: {fires: []}\n"
    ran = invoke("test", config, "--scenarios", _scenarios(tmp_path, scenarios))
    assert ran.code == 0
    assert "unknown event 'page_entr' (did you mean 'page_enter'?)" in ran.stderr


def test_an_undeclared_name_in_fired_before_is_a_warning(config: str, tmp_path: Path) -> None:
    scenarios = """\
    scenarios:
      - name: x
        event: page_enter
        fired_before: [Pricing greting]
        expect: {fires: []}
    """
    ran = invoke("test", config, "--scenarios", _scenarios(tmp_path, scenarios))
    assert ran.code == 0
    assert "no trigger named 'Pricing greting' in the configuration (did you mean" in ran.stderr


def test_two_triggers_that_both_message_the_visitor_are_a_warning(
    config: str, tmp_path: Path
) -> None:
    scenarios = """\
    scenarios:
      - name: VIP on the pricing page
        event: page_enter
        visitor:
          visitor_page_url: /pricing
          visitor_tags: [vip]
          visitor_previous_visits: 5
        expect: {fires: [Pricing greeting, VIP welcome]}
    """
    path = _scenarios(tmp_path, scenarios)
    ran = invoke("test", config, "--scenarios", path)
    assert ran.code == 0
    assert (
        f"warning: {path}:2:5: TS205 overlapping-messages: scenarios[0]: "
        f'in "VIP on the pricing page": "Pricing greeting" and '
        '"VIP welcome" both fire and send the visitor a message: '
        "the visitor gets 2 messages at once"
    ) in ran.stderr


def test_a_folder_of_scenarios_is_searched_sorted_and_hidden_files_skipped(
    config: str, tmp_path: Path
) -> None:
    first, second = PASSING.split("  - name: Nobody")
    write(tmp_path / "scenarios" / "b" / "two.yml", "scenarios:\n  - name: Nobody" + second)
    write(tmp_path / "scenarios" / "a.yaml", first)
    write(tmp_path / "scenarios" / ".hidden" / "broken.yaml", "scenarios: [")
    write(tmp_path / "scenarios" / ".skipped.yaml", "not: scenarios")
    ran = invoke("test", config, "--scenarios", str(tmp_path / "scenarios"))
    assert ran.code == 0
    assert ran.stdout.splitlines()[:2] == [
        "PASS German visitor is routed",
        "PASS Nobody on the docs page is greeted",
    ]


def test_scenarios_may_be_given_more_than_once(config: str, tmp_path: Path) -> None:
    first, second = PASSING.split("  - name: Nobody")
    one = write(tmp_path / "s1.yaml", first)
    two = write(tmp_path / "s2.yaml", "scenarios:\n  - name: Nobody" + second)
    ran = invoke("test", config, "--scenarios", one, "--scenarios", two)
    assert ran.stdout.splitlines()[-1] == "Scenarios: 2 passed, 0 failed."


def test_a_configuration_file_given_as_scenarios_points_to_paths(
    config: str, tmp_path: Path
) -> None:
    ran = invoke("test", config, "--scenarios", config)
    assert ran.code == 1
    assert "this is a configuration file (it declares triggers or ignore), not scenarios" in (
        ran.stderr
    )


def test_a_saved_plan_given_as_scenarios_points_to_apply_plan(config: str, tmp_path: Path) -> None:
    saved = write(tmp_path / "plan.json", '{"format_version": 1, "summary": {}, "changes": []}')
    ran = invoke("test", config, "--scenarios", saved)
    assert ran.code == 1
    assert ran.stderr.endswith(
        f"Error: {saved}:1:1: this is a saved plan, not scenarios; "
        f"did you mean `triggersync apply --plan {saved}`?\n"
    )


def test_a_scenario_file_among_the_configuration_points_to_scenarios(
    config: str, tmp_path: Path
) -> None:
    path = write(Path(config).parent / "scenarios.yaml", PASSING)
    ran = invoke("test", str(Path(config).parent), "--scenarios", path)
    assert ran.code == 1
    assert f"Error: {path}:1:1: scenario files are not configuration" in ran.stderr
    assert "--scenarios" in ran.stderr


def test_invalid_configuration_stops_the_run(tmp_path: Path) -> None:
    config = write(tmp_path / "c.yaml", "triggers:\n  - name: X\n    enabled: maybe\n")
    ran = invoke("test", config, "--scenarios", _scenarios(tmp_path, PASSING))
    assert ran.code == 1
    assert "triggers[0].enabled: expected true/false or 0/1" in ran.stderr


def test_variables_fill_the_configuration_first(tmp_path: Path) -> None:
    config = write(
        tmp_path / "c.yaml",
        """\
        triggers:
          - name: Local route
            definition:
              event: chat_requested
              condition: [eq, "@visitor_country_code", "${COUNTRY}"]
              actions: [[addTag, local]]
        """,
    )
    values = write(tmp_path / "vars.yaml", "COUNTRY: FR\n")
    scenarios = """\
    scenarios:
      - name: French visitor
        event: chat_requested
        visitor: {visitor_country_code: FR}
        expect: {fires: [Local route]}
    """
    path = _scenarios(tmp_path, scenarios)
    ran = invoke("test", config, "--vars", values, "--scenarios", path)
    assert (ran.code, ran.stdout.splitlines()[0]) == (0, "PASS French visitor")


def test_scenarios_are_required(config: str) -> None:
    ran = invoke("test", config)
    assert ran.code == 1
    assert "Missing option '--scenarios'" in ran.stderr


def test_test_needs_no_network_and_no_credentials(config: str, tmp_path: Path) -> None:
    # An API that does not answer, and no credentials at all: nothing reaches for either.
    env = {"TRIGGERSYNC_API_URL": "http://127.0.0.1:9/api/v2/chat"}
    ran = invoke("test", config, "--scenarios", _scenarios(tmp_path, PASSING), env=env)
    assert ran.code == 0


def test_github_format_annotates_warnings(config: str, tmp_path: Path) -> None:
    scenarios = """\
    scenarios:
      - name: Typo in a variable
        event: chat_requested
        visitor: {visitor_contry_code: DE}
        expect: {does_not_fire: [Route US]}
    """
    path = _scenarios(tmp_path, scenarios)
    ran = invoke("test", config, "--scenarios", path, "--format", "github")
    assert ran.code == 0
    assert any(
        line.startswith("::warning file=") and "unknown variable 'visitor_contry_code'" in line
        for line in ran.stdout.splitlines()
    )


def test_a_yaml_syntax_error_is_reported_at_its_place(config: str, tmp_path: Path) -> None:
    path = _scenarios(tmp_path, "scenarios:\n  - name: [unclosed\n")
    ran = invoke("test", config, "--scenarios", path)
    assert ran.code == 1
    assert f"Error: {path}:2:11: YAML syntax error: this [ is never closed" in ran.stderr


def test_scenarios_that_are_not_a_list_are_an_error(config: str, tmp_path: Path) -> None:
    ran = invoke("test", config, "--scenarios", _scenarios(tmp_path, "scenarios: 5\n"))
    assert ran.code == 1
    assert "scenarios: expected a list, got 5" in ran.stderr


def test_a_file_that_is_a_list_is_an_error(config: str, tmp_path: Path) -> None:
    ran = invoke("test", config, "--scenarios", _scenarios(tmp_path, "- name: x\n"))
    assert ran.code == 1
    assert "expected a mapping, got a list" in ran.stderr


def test_a_variable_given_with_and_without_at_is_an_error(config: str, tmp_path: Path) -> None:
    scenarios = """\
    scenarios:
      - name: Twice
        event: chat_requested
        visitor: {visitor_city: Bonn, "@visitor_city": Ulm}
        expect: {fires: []}
    """
    ran = invoke("test", config, "--scenarios", _scenarios(tmp_path, scenarios))
    assert ran.code == 1
    assert "visitor_city is set twice (with and without '@')" in ran.stderr


def test_a_missing_scenario_path_is_an_error(config: str, tmp_path: Path) -> None:
    ran = invoke("test", config, "--scenarios", str(tmp_path / "nowhere"))
    assert ran.code == 1
    assert f"Error: no such file or directory: {tmp_path / 'nowhere'}\n" in ran.stderr


def test_a_rule_the_project_switches_off_is_not_warned(
    config: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenarios = """\
    scenarios:
      - name: Typo in a variable
        event: chat_requested
        visitor: {visitor_contry_code: DE}
        expect: {does_not_fire: [Route US]}
    """
    path = _scenarios(tmp_path, scenarios)
    write(tmp_path / "project" / "triggersync.yaml", "rules:\n  ignore: [TS104]\n")
    monkeypatch.chdir(tmp_path / "project")
    ran = invoke("test", config, "--scenarios", path)
    assert ran.code == 0
    assert "TS104" not in ran.stderr


def test_the_configurations_warnings_follow_the_project_file_given(tmp_path: Path) -> None:
    unguarded = """\
    triggers:
      - name: Welcome
        definition:
          event: page_enter
          condition: ["and"]
          actions: [["sendMessageToVisitor", "Support", "Hi!"]]
    """
    config = write(tmp_path / "config" / "triggers.yaml", unguarded)
    project = write(tmp_path / "elsewhere" / "triggersync.yaml", "rules:\n  ignore: [TS201]\n")
    path = _scenarios(
        tmp_path, PASSING.replace("Route DACH", "Welcome").replace("chat_requested", "page_enter")
    )
    ran = invoke("test", config, "--project", project, "--scenarios", path)
    assert "TS201" not in ran.stderr
    assert "TS201" in invoke("test", config, "--scenarios", path).stderr


def test_two_messages_are_silenced_by_the_later_triggers_ignore_comment(tmp_path: Path) -> None:
    text = TRIGGERS.replace(
        "- name: VIP welcome\n", "- name: VIP welcome  # triggersync: ignore[TS205]\n"
    )
    config = write(tmp_path / "config" / "triggers.yaml", text)
    scenarios = """\
    scenarios:
      - name: VIP on pricing
        event: page_enter
        visitor: {visitor_page_url: /pricing, visitor_tags: [vip], visitor_previous_visits: 3}
        expect: {fires: [Pricing greeting, VIP welcome]}
    """
    ran = invoke("test", config, "--scenarios", _scenarios(tmp_path, scenarios))
    assert ran.code == 0
    assert "TS205" not in ran.stderr
