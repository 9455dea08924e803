"""`triggersync simulate`: what fires for one visitor, through the real CLI, locally."""

from __future__ import annotations

from pathlib import Path

import pytest
from langrun import TRIGGERS, invoke, write


@pytest.fixture
def config(tmp_path: Path) -> str:
    return write(tmp_path / "config" / "triggers.yaml", TRIGGERS)


def test_the_triggers_that_fire_are_listed_with_their_actions_then_the_count(config: str) -> None:
    ran = invoke(
        "simulate", config, "--event", "chat_requested", "--set", "visitor_country_code=DE"
    )
    assert ran.code == 0
    assert ran.stdout == '  + "Route DACH" fires\n      add tag "dach"\n\n1 of 1 triggers fire.\n'


def test_disabled_triggers_and_other_events_are_not_counted(config: str) -> None:
    ran = invoke(
        "simulate", config, "--event", "chat_requested", "--set", "visitor_country_code=US"
    )
    assert ran.stdout.splitlines()[-1] == "0 of 1 triggers fire."


def test_without_verbose_a_trigger_that_does_not_fire_is_not_shown(config: str) -> None:
    ran = invoke(
        "simulate", config, "--event", "chat_requested", "--set", "visitor_country_code=FR"
    )
    assert ran.stdout == "0 of 1 triggers fire.\n"


def test_verbose_shows_the_first_condition_that_stopped_a_trigger(config: str) -> None:
    ran = invoke(
        "simulate",
        config,
        "--event",
        "page_enter",
        "--set",
        "visitor_page_url=https://example.com/pricing",
        "--set",
        "visitor_time_on_page=10",
        "--set",
        "visitor_tags=new",
        "-v",
    )
    assert ran.stdout.splitlines()[0] == (
        '  - "Pricing greeting" does not fire: after 30 seconds, still on the page did not hold '
        "(visitor_time_on_page is 10)"
    )


def test_verbose_says_what_made_a_trigger_fire(config: str) -> None:
    ran = invoke(
        "simulate", config, "--event", "chat_requested", "--set", "visitor_country_code=DE", "-v"
    )
    assert ran.stdout.splitlines()[0] == '  + "Route DACH" fires: country code is "DE" held'


def test_verbose_says_what_was_unknown(config: str) -> None:
    ran = invoke("simulate", config, "--event", "chat_requested", "-v")
    assert ran.stdout.splitlines()[0] == (
        '  ? "Route DACH" cannot be decided: country code is "DE" is unknown '
        "(visitor_country_code is not set)"
    )


def test_without_verbose_the_undecided_are_counted(config: str) -> None:
    ran = invoke("simulate", config, "--event", "chat_requested")
    assert ran.stdout == (
        "  (1 trigger could not be decided; -v shows why)\n\n0 of 1 triggers fire.\n"
    )


def test_a_number_is_read_as_a_number(config: str) -> None:
    ran = invoke(
        "simulate",
        config,
        "--event",
        "page_enter",
        "--set",
        "visitor_tags=vip",
        "--set",
        "visitor_previous_visits=3",
        "--set",
        "visitor_page_url=/docs",
    )
    assert '"VIP welcome" fires' in ran.stdout


def test_the_quick_replies_of_a_message_are_shown(config: str) -> None:
    ran = invoke(
        "simulate",
        config,
        "--event",
        "page_enter",
        "--set",
        "visitor_tags=vip",
        "--set",
        "visitor_previous_visits=3",
        "--set",
        "visitor_page_url=/docs",
    )
    assert 'send "Welcome back!" as "Support" with quick replies "Yes/No"' in ran.stdout


def test_true_and_false_are_booleans(tmp_path: Path) -> None:
    config = write(
        tmp_path / "c.yaml",
        """\
        triggers:
          - name: Unserved
            definition:
              event: chat_requested
              condition: [eq, "@visitor_served", false]
              actions: [[addTag, waiting]]
        """,
    )
    ran = invoke("simulate", config, "--event", "chat_requested", "--set", "visitor_served=false")
    assert ran.stdout.splitlines()[-1] == "1 of 1 triggers fire."


def test_a_name_with_a_leading_at_is_accepted(config: str) -> None:
    ran = invoke(
        "simulate", config, "--event", "chat_requested", "--set", "@visitor_country_code=DE"
    )
    assert ran.stdout.splitlines()[-1] == "1 of 1 triggers fire."


def test_repeating_visitor_tags_gives_several_tags(config: str) -> None:
    ran = invoke(
        "simulate",
        config,
        "--event",
        "page_enter",
        "--set",
        "visitor_tags=returning",
        "--set",
        "visitor_tags=vip",
        "--set",
        "visitor_previous_visits=3",
        "--set",
        "visitor_page_url=/docs",
    )
    assert '"VIP welcome" fires' in ran.stdout


def test_fired_before_stops_a_trigger_that_fires_once(config: str) -> None:
    args = ["--event", "page_enter", "--set", "visitor_page_url=/pricing", "--set", "visitor_tags="]
    once = invoke("simulate", config, *args)
    again = invoke("simulate", config, *args, "--fired-before", "Pricing greeting")
    assert '"Pricing greeting" fires' in once.stdout
    assert '"Pricing greeting"' not in again.stdout


def test_an_unknown_variable_warns_with_a_suggestion(config: str) -> None:
    ran = invoke("simulate", config, "--event", "chat_requested", "--set", "visitor_contry_code=DE")
    assert ran.code == 0
    assert (
        "warning: TS104 unknown-variable: --set unknown variable 'visitor_contry_code' "
        "(did you mean 'visitor_country_code'?); no condition reads it"
    ) in ran.stderr


def test_a_value_of_the_wrong_kind_warns(config: str) -> None:
    ran = invoke(
        "simulate", config, "--event", "page_enter", "--set", "visitor_previous_visits=many"
    )
    assert (
        'warning: TS107 wrong-operand: --set visitor_previous_visits is a number, got "many"'
    ) in ran.stderr


def test_an_unknown_event_warns_with_a_suggestion(config: str) -> None:
    ran = invoke("simulate", config, "--event", "chat_request")
    assert ran.code == 0
    assert "unknown event 'chat_request' (did you mean 'chat_requested'?)" in ran.stderr
    assert ran.stdout == "0 of 0 triggers fire.\n"


def test_an_unknown_event_says_that_nothing_can_fire_and_names_the_events(config: str) -> None:
    ran = invoke("simulate", config, "--event", "page_entered")
    assert ran.code == 0  # a simulation exits 0; the warning makes the empty answer plain
    assert ran.stderr.splitlines()[-1] == (
        "warning: TS102 unknown-event: unknown event 'page_entered' (did you mean 'page_enter'?): "
        "no trigger has "
        "this event, so none can fire; the events are: chat_message, chat_requested, "
        "page_enter"
    )


def test_an_undeclared_fired_before_name_warns(config: str) -> None:
    ran = invoke("simulate", config, "--event", "page_enter", "--fired-before", "Pricing greting")
    assert (
        'warning: TS109 unknown-trigger: --fired-before: no trigger named "Pricing greting" in '
        'the configuration (did you mean "Pricing greeting"?)'
    ) in ran.stderr


def test_two_messages_at_once_are_a_warning(config: str) -> None:
    ran = invoke(
        "simulate",
        config,
        "--event",
        "page_enter",
        "--set",
        "visitor_page_url=/pricing",
        "--set",
        "visitor_tags=vip",
        "--set",
        "visitor_previous_visits=3",
    )
    assert '"Pricing greeting" and "VIP welcome" both fire and send the visitor a message' in (
        ran.stderr
    )


def test_a_setting_without_equals_is_a_usage_error(config: str) -> None:
    ran = invoke("simulate", config, "--event", "page_enter", "--set", "visitor_city")
    assert ran.code == 1
    assert "Invalid value for '--set': expected NAME=VALUE" in ran.stderr


def test_a_variable_set_twice_is_a_usage_error(config: str) -> None:
    ran = invoke(
        "simulate",
        config,
        "--event",
        "page_enter",
        "--set",
        "visitor_city=A",
        "--set",
        "visitor_city=B",
    )
    assert ran.code == 1
    assert "visitor_city is set twice" in ran.stderr


def test_the_event_is_required(config: str) -> None:
    ran = invoke("simulate", config)
    assert ran.code == 1
    assert "Missing option '--event'" in ran.stderr


def test_invalid_configuration_is_an_error(tmp_path: Path) -> None:
    config = write(tmp_path / "c.yaml", "triggers:\n  - nam: X\n")
    ran = invoke("simulate", config, "--event", "page_enter")
    assert ran.code == 1
    assert "unknown key 'nam'" in ran.stderr


def test_simulate_needs_no_network_and_no_credentials(config: str) -> None:
    env = {"TRIGGERSYNC_API_URL": "http://127.0.0.1:9/api/v2/chat"}
    ran = invoke("simulate", config, "--event", "chat_requested", env=env)
    assert ran.code == 0


def test_untrusted_text_in_a_value_is_shown_escaped(config: str) -> None:
    ran = invoke(
        "simulate",
        config,
        "--event",
        "chat_requested",
        "--set",
        "visitor_country_code=D\u202eE",
        "-v",
    )
    assert '(visitor_country_code is "D\\u202eE")' in ran.stdout


def test_an_empty_event_is_a_usage_error(config: str) -> None:
    ran = invoke("simulate", config, "--event", "")
    assert (ran.code, ran.stdout) == (1, "")
    assert "give the event to simulate" in ran.stderr


def test_a_rule_the_project_switches_off_is_not_warned(
    config: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "project"
    write(folder / "triggersync.yaml", "rules:\n  ignore: [TS104, TS205]\n")
    monkeypatch.chdir(folder)
    ran = invoke(
        "simulate",
        config,
        "--event",
        "page_enter",
        "--set",
        "visitor_page_url=/pricing",
        "--set",
        "visitor_tags=vip",
        "--set",
        "visitor_previous_visits=3",
        "--set",
        "visitor_contry_code=DE",
    )
    assert ran.code == 0
    assert '"Pricing greeting" fires' in ran.stdout  # the same visitor, both greetings fire
    assert "TS104" not in ran.stderr
    assert "TS205" not in ran.stderr


VIP = ["--set", "visitor_page_url=/pricing", "--set", "visitor_tags=vip"]


@pytest.mark.parametrize(
    ("commented", "warned"), [("VIP welcome", False), ("Pricing greeting", True)]
)
def test_two_messages_are_silenced_by_the_later_triggers_ignore_comment(
    tmp_path: Path, commented: str, warned: bool
) -> None:
    # As validate's TS205 of a pair is silenced by the later trigger's comment.
    text = TRIGGERS.replace(
        f"- name: {commented}\n", f"- name: {commented}  # triggersync: ignore[TS205]\n"
    )
    config = write(tmp_path / "config" / "triggers.yaml", text)
    args = ["--event", "page_enter", *VIP, "--set", "visitor_previous_visits=3"]
    ran = invoke("simulate", config, *args)
    assert '"VIP welcome" fires' in ran.stdout
    assert ("TS205" in ran.stderr) is warned
