"""`triggersync plan` against the emulator: output, formats, exit codes, no writes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from clirun import Run

from triggersync.emulator.server import Emulator

BASIC = """\
triggers:
  - name: Better Trigger
    description: Visitor requested new chat
  - name: Good Trigger
    description: Visitor entered page
"""


def seed(emulator: Emulator, *triggers: dict[str, object]) -> None:
    for trigger in triggers:
        emulator.store.create(trigger)


def test_plan_shows_the_spec_example(
    run: Run, emulator: Emulator, config: Callable[[str], str]
) -> None:
    seed(
        emulator,
        {"name": "Better Trigger", "description": "Visitor requested chat", "enabled": 1},
        {"name": "Old Trigger", "description": "", "enabled": 1},
    )
    ran = run("plan", config(BASIC))
    assert ran.code == 0
    assert ran.stdout == (
        '  ~ update "Better Trigger"\n'
        '      ~ description: "Visitor requested chat" -> "Visitor requested new chat"\n'
        '  + create "Good Trigger"\n'
        '  - delete "Old Trigger"\n'
        "\n"
        "Plan: 1 to create, 1 to update, 1 to delete.\n"
    )


def test_plan_sends_one_list_request_and_no_writes(
    run: Run, emulator: Emulator, config: Callable[[str], str]
) -> None:
    seed(emulator, {"name": "Old Trigger", "description": "", "enabled": 1})
    run("plan", config(BASIC))
    stats = emulator.stats()
    assert (stats["list"], stats["total"]) == (1, 1)


def test_no_changes_says_so(run: Run, emulator: Emulator, config: Callable[[str], str]) -> None:
    seed(
        emulator,
        {"name": "Better Trigger", "description": "Visitor requested new chat", "enabled": True},
        {"name": "Good Trigger", "description": "Visitor entered page", "enabled": 1},
    )
    assert run("plan", config(BASIC)).stdout == "No changes.\n"


def test_detailed_exitcode_is_2_on_changes(run: Run, config: Callable[[str], str]) -> None:
    assert run("plan", config(BASIC), "--detailed-exitcode").code == 2


def test_detailed_exitcode_is_0_without_changes(run: Run, config: Callable[[str], str]) -> None:
    assert run("plan", config("triggers: []\n"), "--detailed-exitcode").code == 0


def test_json_format_is_the_spec_document(run: Run, config: Callable[[str], str]) -> None:
    document = json.loads(run("plan", config(BASIC), "--format", "json").stdout)
    assert document["format_version"] == 1
    assert document["summary"] == {"create": 2, "update": 0, "delete": 0}
    assert [c["name"] for c in document["changes"]] == ["Better Trigger", "Good Trigger"]


def test_markdown_starts_with_the_summary(run: Run, config: Callable[[str], str]) -> None:
    out = run("plan", config(BASIC), "--format", "markdown").stdout
    assert out.splitlines()[0] == "**Plan: 2 to create, 0 to update, 0 to delete.**"


def test_out_writes_a_plan_file(run: Run, config: Callable[[str], str], tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    run("plan", config(BASIC), "--out", str(target))
    assert json.loads(target.read_text())["summary"]["create"] == 2


def test_no_prune_keeps_undeclared_triggers(
    run: Run, emulator: Emulator, config: Callable[[str], str]
) -> None:
    seed(emulator, {"name": "Old Trigger", "description": "", "enabled": 1})
    assert "Old Trigger" not in run("plan", config(BASIC), "--no-prune").stdout


def test_ignored_triggers_are_invisible(
    run: Run, emulator: Emulator, config: Callable[[str], str]
) -> None:
    seed(emulator, {"name": "Legacy VIP", "description": "", "enabled": 1})
    ran = run("plan", config('ignore: ["Legacy *"]\ntriggers: []\n'))
    assert ran.stdout == "No changes.\n"


def test_undeclared_live_fields_never_differ(
    run: Run, emulator: Emulator, config: Callable[[str], str]
) -> None:
    seed(
        emulator,
        {
            "name": "Good Trigger",
            "description": None,
            "enabled": 1,
            "definition": {"event": "page_enter", "condition": ["and"], "actions": []},
            "created_by": "someone",
        },
    )
    assert run("plan", config("triggers:\n  - name: Good Trigger\n")).stdout == "No changes.\n"


def test_step_summary_gets_the_markdown(
    run: Run, config: Callable[[str], str], tmp_path: Path
) -> None:
    summary = tmp_path / "summary.md"
    run("plan", config(BASIC), extra_env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert "Plan: 2 to create" in summary.read_text()


def test_invalid_config_fails_before_any_request(
    run: Run, emulator: Emulator, config: Callable[[str], str]
) -> None:
    ran = run("plan", config("triggers:\n  - name: X\n    enabled: maybe\n"))
    assert ran.code == 1
    assert "triggers.yaml:3" in ran.stderr
    assert emulator.stats()["total"] == 0


def test_bad_credentials_are_one_message_naming_the_variables(
    run: Run, config: Callable[[str], str]
) -> None:
    ran = run("plan", config(BASIC), extra_env={"TRIGGERSYNC_PASSWORD": "wrong-pw"})
    assert ran.code == 1
    assert "HTTP 401" in ran.stderr
    assert "TRIGGERSYNC_EMAIL" in ran.stderr
    assert "wrong-pw" not in ran.stderr + ran.stdout


def test_server_down_is_one_message(run: Run, config: Callable[[str], str]) -> None:
    ran = run("plan", config(BASIC), "--api-url", "http://127.0.0.1:9/api/v2/chat")
    assert ran.code == 1
    notice, error = ran.stderr.splitlines()  # the retries announced, then the one error
    assert "; retrying for up to" in notice
    assert error.startswith("Error: ")
    assert "cannot connect" in error


def test_unknown_option_is_exit_1_not_2(run: Run, config: Callable[[str], str]) -> None:
    assert run("plan", config(BASIC), "--bogus").code == 1


def test_plain_http_to_a_remote_host_is_refused(run: Run, config: Callable[[str], str]) -> None:
    ran = run("plan", config(BASIC), "--api-url", "http://example.com/api/v2")
    assert ran.code == 1
    assert "plain http" in ran.stderr
