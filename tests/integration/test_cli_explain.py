"""`triggersync explain`: definitions in plain words, from files, and `--live` from the
emulator over real HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest
from clirun import Run
from langrun import TRIGGERS, invoke, write

from triggersync.emulator.server import Emulator

GREETING = (
    'When a visitor enters a page — if page URL contains "/pricing" and this trigger has not '
    'fired for the visitor yet: after 30 seconds, still on the page; send "Hi!" as "Sales".'
)


@pytest.fixture
def config(tmp_path: Path) -> str:
    return write(tmp_path / "config" / "triggers.yaml", TRIGGERS)


def test_each_trigger_reads_as_one_sentence_under_its_name(config: str) -> None:
    ran = invoke("explain", config)
    assert ran.code == 0
    assert ran.stdout.startswith(f'"Pricing greeting"\n  {GREETING}\n\n"Route DACH"\n')


def test_a_disabled_trigger_is_marked(config: str) -> None:
    ran = invoke("explain", config, "--name", "Route US")
    assert ran.stdout == (
        '"Route US" (disabled)\n  When a visitor requests a chat — if country code is "US": '
        'add tag "us".\n'
    )


def test_a_trigger_without_a_definition_says_so(config: str) -> None:
    ran = invoke("explain", config, "--name", "Bare")
    assert ran.stdout == (
        '"Bare"\n  no definition: the configuration leaves it as it is in Zendesk\n'
    )


def test_names_choose_the_triggers_in_configuration_order(config: str) -> None:
    ran = invoke("explain", config, "--name", "Route DACH", "--name", "Pricing greeting")
    heads = [line for line in ran.stdout.splitlines() if line.startswith('"')]
    assert heads == ['"Pricing greeting"', '"Route DACH"']


def test_an_unknown_name_is_an_error_with_a_suggestion(config: str) -> None:
    ran = invoke("explain", config, "--name", "Pricing greting", "--name", "Nothing like it")
    assert ran.code == 1
    assert ran.stdout == ""
    errors = [line for line in ran.stderr.splitlines() if not line.startswith("warning:")]
    assert errors == [
        'Error: no trigger named "Pricing greting" in the configuration '
        '(did you mean "Pricing greeting"?)',
        'Error: no trigger named "Nothing like it" in the configuration',
    ]


def test_lines_give_one_line_per_part(config: str) -> None:
    ran = invoke("explain", config, "--name", "VIP welcome", "--lines")
    assert ran.stdout == (
        '"VIP welcome"\n'
        "  When a visitor enters a page\n"
        "    if all of:\n"
        '      has tag "vip"\n'
        "      previous visits is greater than 2\n"
        "    then:\n"
        '      send "Welcome back!" as "Support" with quick replies "Yes/No"\n'
    )


def test_variables_fill_the_configuration_first(tmp_path: Path) -> None:
    config = write(
        tmp_path / "c.yaml",
        """\
        triggers:
          - name: Local
            definition:
              event: chat_requested
              condition: [eq, "@visitor_country_code", "${COUNTRY}"]
              actions: [[addTag, local]]
        """,
    )
    ran = invoke("explain", config, "--vars", write(tmp_path / "v.yaml", "COUNTRY: FR\n"))
    assert 'country code is "FR"' in ran.stdout


def test_an_invalid_configuration_is_an_error(tmp_path: Path) -> None:
    ran = invoke("explain", write(tmp_path / "c.yaml", "triggers:\n  - nam: X\n"))
    assert ran.code == 1
    assert "unknown key 'nam'" in ran.stderr


def test_paths_and_live_together_are_a_usage_error(config: str) -> None:
    ran = invoke("explain", config, "--live")
    assert ran.code == 1
    assert "give configuration PATHS or --live, not both or neither" in ran.stderr


def test_neither_paths_nor_live_is_a_usage_error() -> None:
    ran = invoke("explain")
    assert ran.code == 1
    assert "give configuration PATHS or --live, not both or neither" in ran.stderr


def test_api_url_without_live_is_a_usage_error(config: str) -> None:
    ran = invoke("explain", config, "--api-url", "http://127.0.0.1:9/api/v2/chat")
    assert ran.code == 1
    assert "--api-url applies to --live only" in ran.stderr


def test_vars_with_live_is_a_usage_error(tmp_path: Path) -> None:
    ran = invoke("explain", "--live", "--vars", write(tmp_path / "v.yaml", "A: b\n"))
    assert ran.code == 1
    assert "--vars applies to configuration PATHS, not --live" in ran.stderr


def test_untrusted_names_are_shown_escaped(tmp_path: Path) -> None:
    config = write(tmp_path / "c.yaml", 'triggers:\n  - name: "A\\u202eB ##[x]"\n')
    ran = invoke("explain", config)
    assert ran.stdout.splitlines()[0] == '"A\\u202eB ##\\u005bx]"'


# --live, against the emulator


def _seed(emulator: Emulator) -> None:
    emulator.store.create(
        {
            "name": "Live greeting",
            "description": "",
            "enabled": 0,
            "definition": {
                "event": "page_enter",
                "condition": ["and", ["stillOnPage", 30]],
                "actions": [["sendMessageToVisitor", "Sales", "Hi!"]],
            },
        }
    )
    emulator.store.create({"name": "Another", "description": "", "enabled": 1})


def test_live_explains_the_live_triggers_sorted_by_name(run: Run, emulator: Emulator) -> None:
    _seed(emulator)
    ran = run("explain", "--live")
    assert ran.code == 0
    assert ran.stdout == (
        '"Another"\n  no definition\n\n'
        '"Live greeting" (disabled)\n'
        "  When a visitor enters a page — after 30 seconds, still on the page; "
        'send "Hi!" as "Sales".\n'
    )


def test_live_with_a_name_explains_that_trigger(run: Run, emulator: Emulator) -> None:
    _seed(emulator)
    ran = run("explain", "--live", "--name", "Another")
    assert ran.stdout == '"Another"\n  no definition\n'


def test_live_with_an_unknown_name_suggests_a_live_one(run: Run, emulator: Emulator) -> None:
    _seed(emulator)
    ran = run("explain", "--live", "--name", "Live greetings")
    assert ran.code == 1
    assert (
        'Error: no trigger named "Live greetings" among the live triggers '
        '(did you mean "Live greeting"?)'
    ) in ran.stderr


def test_live_reads_with_one_list_request(run: Run, emulator: Emulator) -> None:
    _seed(emulator)
    run("explain", "--live")
    assert emulator.stats()["total"] == emulator.stats()["list"] == 1


def test_live_honours_api_url(emulator: Emulator, env: dict[str, str]) -> None:
    _seed(emulator)
    elsewhere = {**env, "TRIGGERSYNC_API_URL": "http://127.0.0.1:9/api/v2/chat"}
    ran = invoke("explain", "--live", "--api-url", env["TRIGGERSYNC_API_URL"], env=elsewhere)
    assert (ran.code, ran.stdout.splitlines()[0]) == (0, '"Another"')


def test_live_without_credentials_is_an_error(emulator: Emulator) -> None:
    ran = invoke("explain", "--live", env={"TRIGGERSYNC_API_URL": emulator.url})
    assert ran.code == 1
    assert ran.stderr.startswith("Error: ")
    assert "TRIGGERSYNC_TOKEN" in ran.stderr


def test_live_with_refused_credentials_names_the_status(emulator: Emulator) -> None:
    env = {
        "TRIGGERSYNC_API_URL": emulator.url,
        "TRIGGERSYNC_EMAIL": "nobody@example.com",
        "TRIGGERSYNC_PASSWORD": "wrong-password",
    }
    ran = invoke("explain", "--live", env=env)
    assert ran.code == 1
    assert "401" in ran.stderr
    assert "wrong-password" not in ran.stderr


def test_a_target_that_matches_nothing_prints_nothing_but_the_warning(tmp_path: Path) -> None:
    config = write(tmp_path / "triggers.yaml", TRIGGERS)
    ran = invoke("explain", config, "--target", "Nothing*")
    assert (ran.code, ran.stdout) == (0, "")
    assert 'warning: --target "Nothing*" matches no trigger' in ran.stderr
