"""`triggersync apply` against the emulator: convergence, renames, replaces, refusals."""

from __future__ import annotations

import signal
from collections.abc import Callable

from clirun import Run

from triggersync.emulator.server import Emulator

Config = Callable[[str], str]

DESIRED = """\
triggers:
  - name: Better Trigger
    description: Visitor requested new chat
  - name: Good Trigger
    description: Visitor entered page
    enabled: false
"""


COND = ["eq", "@visitor_country_code", "US"]
ACTIONS = [["sendMessageToVisitor", "Support", "Hi!"]]


def names(emulator: Emulator) -> list[str]:
    return sorted(t["name"] for t in emulator.store.list())


def test_apply_converges_and_the_next_plan_is_empty(
    run: Run, emulator: Emulator, config: Config
) -> None:
    emulator.store.create({"name": "Better Trigger", "description": "old", "enabled": 1})
    emulator.store.create({"name": "Old Trigger", "description": "", "enabled": 1})
    path = config(DESIRED)
    ran = run("apply", path, "--yes")
    assert ran.code == 0
    assert ran.stdout.endswith("Apply complete: 1 created, 1 updated, 1 deleted.\n")
    assert run("plan", path).stdout == "No changes.\n"


def test_apply_sends_enabled_as_an_integer(run: Run, emulator: Emulator, config: Config) -> None:
    run("apply", config(DESIRED), "--yes")
    assert emulator.store.get("Good Trigger")["enabled"] == 0


def test_update_sends_only_the_changed_fields(run: Run, emulator: Emulator, config: Config) -> None:
    emulator.store.create({"name": "Good Trigger", "description": "x", "enabled": 0})
    emulator.store.create({"name": "Better Trigger", "description": "x", "enabled": 1})
    emulator.reset_stats()
    run("apply", config(DESIRED), "--yes")
    assert emulator.stats()["update"] == 2
    assert emulator.store.get("Good Trigger")["enabled"] == 0


def test_rename_keeps_the_id(run: Run, emulator: Emulator, config: Config) -> None:
    old = emulator.store.create({"name": "Old Name", "description": "d", "enabled": 1})
    path = config("triggers:\n  - name: New Name\n    description: d\n    renamed_from: Old Name\n")
    assert run("apply", path, "--yes").code == 0
    assert emulator.store.get("New Name")["id"] == old["id"]
    assert names(emulator) == ["New Name"]


def test_definition_change_replaces_the_trigger(
    run: Run, emulator: Emulator, config: Config
) -> None:
    old = emulator.store.create(
        {
            "name": "Greeter",
            "description": "",
            "enabled": 1,
            "definition": {"event": "page_enter", "condition": ["and"], "actions": []},
        }
    )
    path = config(
        """\
        triggers:
          - name: Greeter
            definition:
              event: chat_requested
              condition: ["eq", "@visitor_country_code", "US"]
              actions: [["sendMessageToVisitor", "Support", "Hi!"]]
        """
    )
    ran = run("apply", path, "--yes")
    assert ran.code == 0
    live = emulator.store.get("Greeter")
    assert (live["definition"]["event"], live["id"] != old["id"]) == ("chat_requested", True)


def test_apply_without_yes_off_a_terminal_refuses(
    run: Run, emulator: Emulator, config: Config
) -> None:
    ran = run("apply", config(DESIRED))
    assert ran.code == 1
    assert "--yes" in ran.stderr
    assert names(emulator) == []


def test_apply_without_yes_and_nothing_to_do_succeeds(run: Run, config: Config) -> None:
    assert run("apply", config("triggers: []\n")).code == 0


def test_mass_deletion_is_refused(run: Run, emulator: Emulator, config: Config) -> None:
    for i in range(10):
        emulator.store.create({"name": f"T{i}", "description": "", "enabled": 1})
    keep = "".join(f"  - name: T{i}\n" for i in range(6))
    ran = run("apply", config("triggers:\n" + keep), "--yes")
    assert ran.code == 1
    assert "4 of 10" in ran.stderr
    assert len(names(emulator)) == 10


def test_deleting_every_owned_trigger_is_refused(
    run: Run, emulator: Emulator, config: Config
) -> None:
    emulator.store.create({"name": "Only", "description": "", "enabled": 1})
    ran = run("apply", config("triggers: []\n"), "--yes")
    assert ran.code == 1
    assert names(emulator) == ["Only"]


def test_force_allows_mass_deletion(run: Run, emulator: Emulator, config: Config) -> None:
    emulator.store.create({"name": "Only", "description": "", "enabled": 1})
    assert run("apply", config("triggers: []\n"), "--yes", "--force").code == 0
    assert names(emulator) == []


def test_partial_failure_reports_and_the_rest_lands(
    run: Run, emulator: Emulator, config: Config
) -> None:
    emulator.faults.fail_names = frozenset({"Good Trigger"})
    path = config(DESIRED)
    ran = run("apply", path, "--yes")
    assert ran.code == 1
    assert '"Good Trigger"' in ran.stderr
    assert "HTTP 500" in ran.stderr
    assert names(emulator) == ["Better Trigger"]


def test_after_a_partial_failure_the_plan_shows_only_what_is_left(
    run: Run, emulator: Emulator, config: Config
) -> None:
    emulator.faults.fail_names = frozenset({"Good Trigger"})
    path = config(DESIRED)
    run("apply", path, "--yes")
    emulator.faults.fail_names = frozenset()
    assert run("plan", path).stdout.splitlines()[0] == '  + create "Good Trigger"'


def test_both_configuration_and_plan_is_a_usage_error(run: Run, config: Config) -> None:
    assert run("apply", config(DESIRED), "--plan", "x.json").code == 1


def test_parallel_apply_creates_everything_once(
    run: Run, emulator: Emulator, config: Config
) -> None:
    many = "triggers:\n" + "".join(f"  - name: T{i:03}\n" for i in range(60))
    assert run("apply", config(many), "--yes", "--parallelism", "8").code == 0
    assert len(names(emulator)) == 60
    assert emulator.stats()["create"] == 60 + 1  # and the account's lock


def test_an_invalid_configuration_is_reported_before_credentials_are_needed(
    run: Run, config: Config
) -> None:
    ran = run(
        "apply",
        config("triggers:\n  - name: X\n    enabled: maybe\n"),
        "--yes",
        extra_env={"TRIGGERSYNC_EMAIL": "", "TRIGGERSYNC_PASSWORD": ""},
    )
    assert ran.code == 1
    assert "triggers.yaml:3" in ran.stderr
    assert "credentials" not in ran.stderr


def test_apply_restores_the_signal_handlers_it_installs(
    run: Run, emulator: Emulator, config: Config
) -> None:
    before = (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM))
    assert run("apply", config(DESIRED), "--yes").code == 0
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before
